"""Scenario 11: bytecode warm-up, the first calls of a loop function
against later ones.

CPython 3.11 quickens a function's bytecode on its 8th call (PEP 659);
until then the loop runs unspecialised.  The script compiles a fresh copy
of the calibrated counter loop (workload.count's source: a new code
object, cold), calls it --calls times with --iters iterations and times
every call.

    python3 s11_warmup.py --iters 100000 --calls 12

prints the result and one line `RESULT {"first_ms": ..., "later_ms": ...,
"call_ms": [...]}`: the first call, and the median of the last four.
"""

import argparse
import inspect
import json
import statistics
import time

import workload


def fresh_count():
    """A new, cold copy of workload.count, with the module globals it reads
    (its stop flag, switch tracking and limit) in a namespace of its own."""
    names = {"stop": False, "holder": -1, "switch_log": None, "time": time,
             "FOREVER": workload.FOREVER}
    exec(compile(inspect.getsource(workload.count), "<warmup>", "exec"), names)
    return names["count"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--iters", type=int, default=100000, help="loop iterations per call")
    ap.add_argument("--calls", type=int, default=12)
    a = ap.parse_args()

    loop = fresh_count()
    call_ms = []
    for _ in range(a.calls):
        t0 = time.perf_counter()
        loop(0, a.iters)
        call_ms.append((time.perf_counter() - t0) * 1e3)
    first, later = call_ms[0], statistics.median(call_ms[-4:])
    print(f"{a.calls} calls of a {a.iters}-iteration loop: first {first:.3f} ms, "
          f"later {later:.3f} ms ({first / later:.2f}x)")
    print("RESULT " + json.dumps({"first_ms": first, "later_ms": later, "call_ms": call_ms}))


if __name__ == "__main__":
    main()
