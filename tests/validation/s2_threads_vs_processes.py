"""Scenario 2: a fixed amount of CPU work split over K threads or K processes.

The work is --iters iterations of workload.count, split evenly; the wall
time runs from before the first start() to after the last join(), so it
includes starting threads or forking processes (multiprocessing, fork).

    python3 s2_threads_vs_processes.py --mode processes --workers 2 --iters 20000000

prints the wall time and one line `RESULT {"wall_s": ...}`.
"""

import argparse
import json
import multiprocessing
import sys
import threading
import time

import workload


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mode", choices=["threads", "processes"], required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--iters", type=int, required=True, help="total iterations")
    ap.add_argument("--interval", type=float, default=0.005, help="sys.setswitchinterval (s)")
    a = ap.parse_args()
    sys.setswitchinterval(a.interval)

    share = a.iters // a.workers
    if a.mode == "threads":
        make = threading.Thread
    else:
        make = multiprocessing.get_context("fork").Process
    start = time.perf_counter()
    workers = [make(target=workload.count, args=(i, share)) for i in range(a.workers)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wall = time.perf_counter() - start
    print(f"{a.workers} {a.mode}, {share} iterations each: {wall:.3f} s")
    print("RESULT " + json.dumps({"wall_s": wall}))


if __name__ == "__main__":
    main()
