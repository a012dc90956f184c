"""Scenario 4: the convoy effect.  One thread does K x (time.sleep(1 ms) +
a tiny bit of work) beside 0, 1 or 2 CPU-bound threads.

The CPU-bound threads run workload.count until the end; the tiny work is
--work iterations of the same loop.  The I/O loop runs in the main thread,
timed after the spinners are started.  Extra latency per operation =
total / K - 1 ms.

    python3 s4_convoy.py --spinners 1 --interval 0.005 --ops 100

prints the result and one line `RESULT {"total_s": ..., "extra_ms": ...}`.
"""

import argparse
import json
import sys
import threading
import time

import workload


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--spinners", type=int, default=1)
    ap.add_argument("--interval", type=float, default=0.005, help="sys.setswitchinterval (s)")
    ap.add_argument("--ops", type=int, default=100, help="K: sleep+work operations")
    ap.add_argument("--sleep", type=float, default=0.001, help="the sleep of one operation (s)")
    ap.add_argument("--work", type=int, default=200, help="loop iterations after each sleep")
    a = ap.parse_args()
    sys.setswitchinterval(a.interval)

    spinners = [threading.Thread(target=workload.count, args=(i,), daemon=True)
                for i in range(a.spinners)]
    for t in spinners:
        t.start()
    start = time.perf_counter()
    for _ in range(a.ops):
        time.sleep(a.sleep)
        workload.count(-1, a.work)
    total = time.perf_counter() - start
    workload.stop = True
    for t in spinners:
        t.join()
    extra_ms = (total / a.ops - a.sleep) * 1e3
    print(f"{a.ops} x (sleep {a.sleep * 1e3:g} ms + {a.work} iterations) beside {a.spinners} "
          f"CPU-bound threads, interval {a.interval * 1e3:g} ms: {total:.4f} s, "
          f"{extra_ms:.3f} ms extra per operation")
    print("RESULT " + json.dumps({"total_s": total, "extra_ms": extra_ms}))


if __name__ == "__main__":
    main()
