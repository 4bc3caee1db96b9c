#!/usr/bin/env python3
"""Seeds as a population on the CPU: N td3 updates with weights stacked along a seed dimension (one baddbmm per
layer) against N separate updates, per thread count.

    python bench/seed_population.py [--seeds 4] [--threads 1 2] [--reps 300]

The question of issue 19's CPU goal (docs/benchmarks.md): does a population of 4 seeds in one process on 2 cores
beat four separate single-thread runs two at a time by 1.2x? The separate runs' aggregate rate is 2 / t(1 seed,
1 thread) (two processes side by side, one core each); the population's is N / t(N stacked, 2 threads).

One td3 update as credo runs it for imitation (DAC's sizes on Hopper-v5: observation 11 (+1 absorbing flag for
the discriminator, not modelled here), action 3, 400-300 ReLU networks, batch 100): target actor and twin target
critics forward, twin critics forward and backward, actor forward and backward through critic 1 (every update
here: td3's policy delay halves that part in a run), one fused Adam step each. Python adds its dispatch cost to
every operation, which favours the stacked form (fewer operations); the C++ learners pay less per operation.
"""
import argparse
import time

import torch

OBS, ACT, HIDDEN, BATCH = 11, 3, (400, 300), 100


def layer_shapes(n_in, n_out):
    sizes = [n_in, *HIDDEN, n_out]
    return [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]


def make_net(seeds, n_in, n_out, stacked):
    """Weights [in, out] and biases [1, out] per layer; with a leading seed dimension when stacked."""
    lead = (seeds,) if stacked else ()
    return [(torch.randn(*lead, a, b).mul_(a ** -0.5).requires_grad_(True),
             torch.zeros(*lead, 1, b).requires_grad_(True)) for a, b in layer_shapes(n_in, n_out)]


def forward(net, x, out_tanh=False):
    for k, (w, b) in enumerate(net):
        x = torch.baddbmm(b, x, w) if w.dim() == 3 else torch.addmm(b, x, w)
        if k < len(net) - 1:
            x = torch.relu(x)
    return torch.tanh(x) if out_tanh else x


def params(*nets):
    return [t for net in nets for layer in net for t in layer]


class Td3:
    """One seed (stacked=False) or a population of `seeds` (stacked=True)."""

    def __init__(self, seeds, stacked, capturable=False):
        self.lead = (seeds,) if stacked else ()
        self.actor = make_net(seeds, OBS, ACT, stacked)
        self.critics = [make_net(seeds, OBS + ACT, 1, stacked) for _ in range(2)]
        self.actor_target = [tuple(t.detach().clone() for t in layer) for layer in self.actor]
        self.critic_targets = [[tuple(t.detach().clone() for t in layer) for layer in c] for c in self.critics]
        # capturable: the optimisers' step counts live on the device, so a CUDA graph can hold the step
        # (bench/gpu_update.py).
        self.actor_opt = torch.optim.Adam(params(self.actor), lr=1e-3, fused=True, capturable=capturable)
        self.critic_opt = torch.optim.Adam(params(*self.critics), lr=1e-3, fused=True, capturable=capturable)

    def update(self, batch):
        obs, act, rew, next_obs, done = batch
        with torch.no_grad():
            noise = (torch.randn(*self.lead, BATCH, ACT) * 0.2).clamp(-0.5, 0.5)
            next_act = (forward(self.actor_target, next_obs, True) + noise).clamp(-1, 1)
            next_in = torch.cat([next_obs, next_act], -1)
            next_q = torch.min(*[forward(c, next_in) for c in self.critic_targets])
            y = rew + (1 - done) * 0.99 * next_q
        inp = torch.cat([obs, act], -1)
        loss = sum(torch.nn.functional.mse_loss(forward(c, inp), y) for c in self.critics)
        self.critic_opt.zero_grad(set_to_none=True)
        loss.backward()
        self.critic_opt.step()
        actor_loss = -forward(self.critics[0], torch.cat([obs, forward(self.actor, obs, True)], -1)).mean()
        self.actor_opt.zero_grad(set_to_none=True)
        actor_loss.backward()
        self.actor_opt.step()
        with torch.no_grad():
            for target, online in ((self.actor_target, self.actor), *zip(self.critic_targets, self.critics)):
                targets = [t for layer in target for t in layer]
                torch._foreach_lerp_(targets, [t.detach() for layer in online for t in layer], 0.005)


def batch(lead):
    return (torch.randn(*lead, BATCH, OBS), torch.rand(*lead, BATCH, ACT) * 2 - 1, torch.randn(*lead, BATCH, 1),
            torch.randn(*lead, BATCH, OBS), (torch.rand(*lead, BATCH, 1) < 0.01).float())


def seconds_per_update(make, lead, reps):
    agents = make()
    b = batch(lead)
    for _ in range(30):
        for agent in agents:
            agent.update(b)
    start = time.perf_counter()
    for _ in range(reps):
        for agent in agents:
            agent.update(b)
    return (time.perf_counter() - start) / reps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--reps", type=int, default=300)
    args = parser.parse_args()
    torch.manual_seed(0)
    n = args.seeds
    times = {}
    for threads in args.threads:
        torch.set_num_threads(threads)
        separate = seconds_per_update(lambda: [Td3(1, False) for _ in range(n)], (), args.reps)
        stacked = seconds_per_update(lambda: [Td3(n, True)], (n,), args.reps)
        times[threads] = (separate, stacked)
        print(f"{threads} thread(s): {n} separate updates {separate * 1e3:.2f} ms "
              f"({separate / n * 1e3:.2f} ms per seed), {n} stacked {stacked * 1e3:.2f} ms "
              f"({stacked / n * 1e3:.2f} ms per seed): stacked {separate / stacked:.2f}x")
    if 1 in times and 2 in times:
        one_seed_one_thread = times[1][0] / n
        population = n / times[2][1]
        two_runs = 2 / one_seed_one_thread
        print(f"goal: population of {n} on 2 threads {population:.0f} updates/s against two 1-thread runs side by "
              f"side {two_runs:.0f} updates/s (if they do not slow each other): {population / two_runs:.2f}x")


if __name__ == "__main__":
    main()
