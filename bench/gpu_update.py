#!/usr/bin/env python3
"""td3 updates on a GPU: eager against one CUDA graph per update, one seed against populations stacked along a
seed dimension, in PyTorch on the machine's own torch.

    python bench/gpu_update.py [--reps 300] [--populations 8 32]

Issue 19 asks credo to capture its off-policy update as a CUDA graph and to train seeds as populations; this
script measures, before credo does either, what each is worth on the GPU it runs on. The update is
bench/seed_population.py's (DAC's sizes on Hopper-v5: 400-300 networks, batch 100, twin critics, the actor
every update, fused Adam, Polyak averaging); acting is one observation copied in, the actor's forward pass and
one action copied out. bench/gpu_device.sh runs it on a lent GPU machine; docs/benchmarks.md has the results.
"""
import argparse
import time

import torch

from seed_population import ACT, BATCH, OBS, Td3, batch, forward


def per_update(step, reps):
    """Seconds per call of `step`, after a warm-up, the GPU synchronised at both ends."""
    for _ in range(20):
        step()
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(reps):
        step()
    torch.cuda.synchronize()
    return (time.perf_counter() - start) / reps


def graphed(agent, b):
    """One CUDA graph of agent.update(b), recorded after a warm-up on a side stream (PyTorch's recipe)."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(5):
            agent.update(b)
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        agent.update(b)
    return graph.replay


def act_seconds(reps):
    """One env step's acting: observation in, actor forward, action out (a synchronisation each time)."""
    actor = Td3(1, False).actor
    obs = torch.randn(1, OBS, device="cpu").pin_memory()

    def act():
        with torch.no_grad():
            forward(actor, obs.to("cuda", non_blocking=True), True).cpu()

    return per_update(act, reps)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=300)
    parser.add_argument("--populations", type=int, nargs="+", default=[8, 32])
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_default_device("cuda")
    print(f"{torch.cuda.get_device_name()}, torch {torch.__version__}; td3 update 400-300, batch {BATCH}, "
          f"obs {OBS}, act {ACT}")
    print(f"acting (1 obs in, actor, 1 action out): {act_seconds(args.reps) * 1e6:.0f} us")
    print("seeds | eager ms/update | graph ms/update | graph vs eager | updates/s per seed (graph) | aggregate")
    one_seed = None
    for seeds in [1, *args.populations]:
        stacked = seeds > 1
        lead = (seeds,) if stacked else ()
        b = batch(lead)
        eager_agent = Td3(seeds, stacked)
        eager = per_update(lambda: eager_agent.update(b), args.reps)
        graph_agent = Td3(seeds, stacked, capturable=True)
        replay = graphed(graph_agent, b)
        graph = per_update(replay, args.reps)
        aggregate = seeds / graph
        one_seed = one_seed or aggregate
        print(f"{seeds} | {eager * 1e3:.3f} | {graph * 1e3:.3f} | {eager / graph:.1f}x | {1 / graph:.0f} | "
              f"{aggregate:.0f} updates/s ({aggregate / one_seed:.1f}x one seed)")
        torch.cuda.synchronize()
    print(f"peak GPU memory: {torch.cuda.max_memory_allocated() / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
