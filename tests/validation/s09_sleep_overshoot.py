"""Scenario 9: how late time.sleep(1 ms) ends, on an otherwise idle machine
or, with --beside-spinner, on a CPU kept busy by another process.

The main thread sleeps --sleep seconds --count times and measures each
sleep with time.perf_counter(); the overshoot is the measured time minus
the requested one.  Linux's timer slack (50 us by default) lets the
kernel end a timed sleep up to that much late; on an idle CPU it ends
the full slack late; then the timer's interrupt takes its own time to
arrive (longer on an idle CPU, which it brings out of idle).

    python3 s09_sleep_overshoot.py --count 200
    python3 s09_sleep_overshoot.py --count 200 --beside-spinner

prints the result and one line `RESULT {"median_us": ..., "p10_us": ...,
"p90_us": ..., "late_us": [...]}`.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--sleep", type=float, default=0.001, help="one sleep (s)")
    ap.add_argument("--beside-spinner", action="store_true",
                    help="pinned to CPU 0 with a spinning process: the timer fires on a busy CPU")
    a = ap.parse_args()

    spinner = None
    late = []
    try:                                # never leave the spinner spinning
        if a.beside_spinner:
            os.sched_setaffinity(0, {0})
            spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
            os.sched_setaffinity(spinner.pid, {0})
            time.sleep(0.2)             # the spinner is running
        for _ in range(a.count):
            t0 = time.perf_counter()
            time.sleep(a.sleep)
            late.append((time.perf_counter() - t0 - a.sleep) * 1e6)
    finally:
        if spinner:
            spinner.kill()
            spinner.wait()
    q = statistics.quantiles(late, n=10)
    med = statistics.median(late)
    print(f"{a.count} sleeps of {a.sleep * 1e3:g} ms: late by {med:.1f} us (median), "
          f"p10 {q[0]:.1f} us, p90 {q[-1]:.1f} us")
    print("RESULT " + json.dumps({"median_us": med, "p10_us": q[0], "p90_us": q[-1],
                                  "late_us": late}))


if __name__ == "__main__":
    main()
