"""Scenario 10: starting a process with the spawn method, when the main
module imports more or less.

A spawned child runs a fresh interpreter which re-runs the parent's main
module as __mp_main__ (multiprocessing/spawn.py), so it imports again what
the main module imports at its top level.  This module imports the modules
named by --imports at its top level (read from sys.argv, which the child
gets back too), then times Process(target=noop).start() + join(), --count
times.

    python3 s10_spawn_imports.py --imports asyncio,concurrent.futures

prints the result and one line `RESULT {"ms": [...], "median_ms": ...}`.
"""

import argparse
import importlib
import json
import multiprocessing
import statistics
import sys
import time


def _imports_from_argv(argv):
    for i, arg in enumerate(argv):
        if arg == "--imports" and i + 1 < len(argv):
            return [m for m in argv[i + 1].split(",") if m]
        if arg.startswith("--imports="):
            return [m for m in arg.split("=", 1)[1].split(",") if m]
    return []


# The main module's top-level imports: the parent and every spawned child
# run this line.
for _name in _imports_from_argv(sys.argv):
    importlib.import_module(_name)


def noop():
    pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--imports", default="", help="modules the main module imports, comma-separated")
    ap.add_argument("--count", type=int, default=5, help="processes started, one after the other")
    a = ap.parse_args()

    ctx = multiprocessing.get_context("spawn")
    ms = []
    for _ in range(a.count):
        t0 = time.perf_counter()
        p = ctx.Process(target=noop)
        p.start()
        p.join()
        ms.append((time.perf_counter() - t0) * 1e3)
    med = statistics.median(ms)
    print(f"spawn + join with imports [{a.imports}]: {med:.1f} ms (median of {a.count})")
    print("RESULT " + json.dumps({"ms": ms, "median_ms": med}))


if __name__ == "__main__":
    main()
