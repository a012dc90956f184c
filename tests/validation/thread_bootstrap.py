"""Measures a new thread's own CPU in Thread.start() on this machine's python3.

The main thread starts --threads threads that stay alive (each waits on one
Event), so every start creates a fresh stack.  A Thread subclass reads the
new thread's CPU time (time.thread_time_ns) where its bootstrap's Python
begins (_bootstrap_inner's first call, _set_ident) and where run() begins;
the difference is the bootstrap that holds the GIL before _started.set()
lets start() return (gilsim's python.thread_bootstrap; in 3.10-3.12 it
includes the shutdown-lock scan, python.shutdown_scan per live thread).
The CPU before it (clone's return, glibc's start_thread, the fresh stack,
the thread state) is printed too.  Medians over the threads, each of --runs
runs; run it on an otherwise idle machine.

    python3 thread_bootstrap.py --threads 50 --runs 3

prints one line per run: `RESULT {"threads": ..., "bootstrap_us": ...,
"before_us": ..., "wall_per_start_us": ...}`.
"""

import argparse
import json
import statistics
import threading
import time


class Timed(threading.Thread):
    """A thread that notes its CPU time where its bootstrap starts and where
    run() starts, then waits on the event it is given."""

    def __init__(self, go):
        super().__init__()
        self.go = go
        self.at_bootstrap = self.at_run = 0

    def _set_ident(self):
        self.at_bootstrap = time.thread_time_ns()
        super()._set_ident()

    def run(self):
        self.at_run = time.thread_time_ns()
        self.go.wait()


def one_run(n):
    go = threading.Event()
    threads = [Timed(go) for _ in range(n)]
    start = time.perf_counter_ns()
    for t in threads:
        t.start()
    wall = (time.perf_counter_ns() - start) / n / 1e3
    go.set()
    for t in threads:
        t.join()
    return {"threads": n,
            "bootstrap_us": statistics.median(t.at_run - t.at_bootstrap for t in threads) / 1e3,
            "before_us": statistics.median(t.at_bootstrap for t in threads) / 1e3,
            "wall_per_start_us": wall}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=50)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    for _ in range(a.runs):
        print("RESULT " + json.dumps(one_run(a.threads)))


if __name__ == "__main__":
    main()
