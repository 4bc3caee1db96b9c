#!/usr/bin/env python3
"""Twin critics as two Linear stacks or as one batched network (baddbmm per layer): forward + backward time.

    python bench/twin_critic_layouts.py [--threads 1 2] [--reps 2000]

A question for the TD3/SAC speed work (docs/benchmarks.md): does stacking the two critics' weights and running
one batched matmul per layer beat two separate stacks on this machine's torch (MKL)? performance.md measured the
batched form slower on OpenBLAS. Hopper sizes: input 14, 256-256, batch 256.
"""
import argparse
import time

import torch


def separate(params, x):
    outs = []
    for w1, b1, w2, b2, w3, b3 in params:
        h = torch.relu(torch.addmm(b1, x, w1))
        h = torch.relu(torch.addmm(b2, h, w2))
        outs.append(torch.addmm(b3, h, w3))
    return outs


def batched(params, x):
    w1, b1, w2, b2, w3, b3 = params
    h = torch.relu(torch.baddbmm(b1, x.expand(2, -1, -1), w1))
    h = torch.relu(torch.baddbmm(b2, h, w2))
    return torch.baddbmm(b3, h, w3)


def timeit(fn, reps):
    for _ in range(50):
        fn()
    t = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t) / reps * 1e3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--reps", type=int, default=2000)
    args = parser.parse_args()
    n, i, h = 256, 14, 256
    x, y = torch.randn(n, i), torch.randn(n, 1)
    sep = [[torch.randn(a, b, requires_grad=True) * 0.1 for a, b in ((i, h), (1, h), (h, h), (1, h), (h, 1), (1, 1))]
           for _ in range(2)]
    sep = [[p.detach().requires_grad_(True) for p in group] for group in sep]
    bat = [torch.stack([sep[0][k], sep[1][k]]).detach().requires_grad_(True) for k in range(6)]

    def step_separate():
        loss = sum(((q - y) ** 2).mean() for q in separate(sep, x))
        loss.backward()

    def step_batched():
        loss = ((batched(bat, x) - y) ** 2).mean(dim=(1, 2)).sum()
        loss.backward()

    for threads in args.threads:
        torch.set_num_threads(threads)
        print(f"threads={threads}: separate {timeit(step_separate, args.reps):.3f} ms, "
              f"batched {timeit(step_batched, args.reps):.3f} ms (twin critics, forward + backward)")


if __name__ == "__main__":
    main()
