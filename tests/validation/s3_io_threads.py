"""Scenario 3: N I/O-bound threads, each calling time.sleep(S).

The course notes' threading example (do_something started in N threads,
then joined), without its prints.  Wall time from before the first start()
to after the last join(): about S, plus what starting N threads costs.

    python3 s3_io_threads.py --threads 100 --seconds 1

prints the wall time and one line `RESULT {"wall_s": ...}`.
"""

import argparse
import json
import sys
import threading
import time


def do_something(sec):
    time.sleep(sec)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--interval", type=float, default=0.005, help="sys.setswitchinterval (s)")
    a = ap.parse_args()
    sys.setswitchinterval(a.interval)

    start = time.perf_counter()
    threads = []
    for _ in range(a.threads):
        t = threading.Thread(target=do_something, args=[a.seconds])
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    print(f"{a.threads} threads x time.sleep({a.seconds}): {wall:.4f} s")
    print("RESULT " + json.dumps({"wall_s": wall}))


if __name__ == "__main__":
    main()
