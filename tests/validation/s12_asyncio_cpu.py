"""Scenario 12: an asyncio loop with many ready tasks beside a CPU-bound
thread.  The loop runs N tasks, each a step of S iterations of the counter
loop followed by `await asyncio.sleep(0)`, so that every pass of the loop
has tasks ready and calls select(0); a CPU-bound thread runs the counter
loop (workload.count) beside it, started first.  Both run for D seconds.

Each side's share of the run is the time its own work took at the
calibrated speed: the CPU thread's iterations, and the loop's steps x S,
times ns per iteration, over the elapsed time.

    python3 s12_asyncio_cpu.py --tasks 10 --step 2000 --seconds 2 --ns-per-iter 14.2

prints the result and one line `RESULT {"cpu_share": ..., "loop_share": ...,
"cpu_iters": ..., "loop_steps": ..., "elapsed_s": ...}`.
"""

import argparse
import asyncio
import json
import sys
import threading
import time

import workload


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=10, help="N: tasks of the loop")
    ap.add_argument("--step", type=int, default=2000, help="S: counter iterations per step")
    ap.add_argument("--seconds", type=float, default=2.0, help="D: how long both run")
    ap.add_argument("--interval", type=float, default=0.005, help="sys.setswitchinterval (s)")
    ap.add_argument("--ns-per-iter", type=float, required=True,
                    help="the calibrated speed of the counter loop (workload.py)")
    a = ap.parse_args()
    sys.setswitchinterval(a.interval)

    cpu = {}
    steps = [0]

    def spin():
        cpu["iters"], _ = workload.count(0)

    async def step(me):
        while not workload.stop:
            workload.count(me, a.step)
            steps[0] += 1
            await asyncio.sleep(0)

    async def amain():
        await asyncio.gather(*(step(1 + i) for i in range(a.tasks)))

    threads = [threading.Thread(target=spin), threading.Thread(target=asyncio.run,
                                                               args=(amain(),))]
    start = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(a.seconds)
    workload.stop = True
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    cpu_share = cpu["iters"] * a.ns_per_iter / 1e9 / elapsed
    loop_share = steps[0] * a.step * a.ns_per_iter / 1e9 / elapsed
    print(f"{a.tasks} tasks x {a.step}-iteration steps beside a CPU-bound thread, "
          f"{elapsed:.3f} s: CPU thread {cpu_share:.1%} of the time, loop's steps "
          f"{loop_share:.1%} ({steps[0]} steps)")
    print("RESULT " + json.dumps({"cpu_share": cpu_share, "loop_share": loop_share,
                                  "cpu_iters": cpu["iters"], "loop_steps": steps[0],
                                  "elapsed_s": elapsed}))


if __name__ == "__main__":
    main()
