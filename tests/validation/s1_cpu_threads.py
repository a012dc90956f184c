"""Scenario 1: N CPU-bound threads for a fixed time, one per-thread counter each.

Each thread runs workload.count (a `while` loop incrementing its own counter)
until the main thread, after sleeping --seconds, sets the shared stop flag.
The threads wait at a barrier first, so thread start-up is not counted.

    python3 s1_cpu_threads.py --threads 4 --seconds 2

prints per-thread counts and one line `RESULT {json}`: counts, the measured
window (s), the GIL switches the loop saw (a thread finding another
thread's id in workload.holder), summed over the threads, and each of those
takes as [ns since the window began, thread index].
"""

import argparse
import json
import sys
import threading
import time

import workload


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--interval", type=float, default=0.005, help="sys.setswitchinterval (s)")
    a = ap.parse_args()
    sys.setswitchinterval(a.interval)

    n = a.threads
    results = [None] * n
    workload.switch_log = []
    barrier = threading.Barrier(n + 1)

    def worker(i):
        barrier.wait()
        results[i] = workload.count(i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    t0_ns = time.perf_counter_ns()
    time.sleep(a.seconds)
    workload.stop = True
    window = time.perf_counter() - t0
    for t in threads:
        t.join()

    counts = [r[0] for r in results]
    switches = sum(r[1] for r in results) - 1   # the first take is not a switch
    for i, c in enumerate(counts):
        print(f"thread {i:2d}: {c:>12d} iterations")
    print(f"total {sum(counts)} iterations in {window:.3f} s, {switches} GIL switches seen")
    takes = [(t - t0_ns, who) for t, who in workload.switch_log]
    print("RESULT " + json.dumps({"counts": counts, "window_s": window, "switches": switches,
                                  "takes": takes}))


if __name__ == "__main__":
    main()
