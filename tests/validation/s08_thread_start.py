"""Scenario 8: the cost of Thread.start() with many threads alive.

The main thread starts --threads non-daemon threads, each waiting on one
Event, and times the loop of start() calls; then sets the event and joins
them.  Nothing else runs, so each start costs the starter's
pthread_create and CPython bookkeeping plus the wait for the new thread's
bootstrap (Thread.start() waits on its `_started` event).

    python3 s08_thread_start.py --threads 1000

prints the result and one line `RESULT {"ms_per_start": ..., "total_s": ...}`.
"""

import argparse
import json
import threading
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=50)
    a = ap.parse_args()

    go = threading.Event()
    threads = [threading.Thread(target=go.wait) for _ in range(a.threads)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    total = time.perf_counter() - start
    go.set()
    for t in threads:
        t.join()
    per = total / a.threads * 1e3
    print(f"{a.threads} threads started in {total:.4f} s: {per:.3f} ms per start")
    print("RESULT " + json.dumps({"ms_per_start": per, "total_s": total}))


if __name__ == "__main__":
    main()
