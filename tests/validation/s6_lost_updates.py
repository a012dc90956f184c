"""Scenario 6: lost updates of a shared counter, `counter += 1` vs `counter += f()`.

N threads each add 1 to a module-level counter M times; every update the
final value misses was lost: a thread loaded the counter, the GIL went to
another thread before it stored, and its store overwrote the other's
updates.  From CPython 3.10 a plain `counter += 1` has no eval-breaker check
between its load and its store (checks are at back edges, RESUME and calls),
so it loses none; `counter += f()` checks at f's RESUME, so it can.

    python3 s6_lost_updates.py --threads 4 --iters 1000000 --call

prints the counts and one line `RESULT {"lost": ..., "updates": ...}`.
"""

import argparse
import json
import sys
import threading

counter = 0


def one():
    return 1


def plain(m):
    global counter
    for _ in range(m):
        counter += 1


def with_call(m):
    global counter
    for _ in range(m):
        counter += one()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--iters", type=int, default=1000000)
    ap.add_argument("--call", action="store_true", help="counter += f() instead of counter += 1")
    ap.add_argument("--interval", type=float, default=0.005, help="sys.setswitchinterval (s)")
    a = ap.parse_args()
    sys.setswitchinterval(a.interval)
    target = with_call if a.call else plain
    threads = [threading.Thread(target=target, args=[a.iters]) for _ in range(a.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    updates = a.threads * a.iters
    print(f"{a.threads} threads x {a.iters} x counter += {'f()' if a.call else '1'}: "
          f"final {counter}, lost {updates - counter}")
    print("RESULT " + json.dumps({"lost": updates - counter, "updates": updates}))


if __name__ == "__main__":
    main()
