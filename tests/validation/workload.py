"""The counter loop shared by the CPU-bound validation scenarios, and its
calibration.  Importing this module warms the loop up (see warm_up).

Every CPU-bound piece of work in the real-Python scenarios is this one loop,
so one measurement of its speed (nanoseconds per iteration, one thread)
converts iteration counts into gilsim `cpu:` durations and back.

    python3 workload.py --calibrate --seconds 1 --reps 5

prints one line `RESULT {"ns_per_iter": MEDIAN, "samples": [...]}`.
"""

import argparse
import json
import statistics
import sys
import time

# Shared stop flag: another thread (or the driver of a scenario) sets
# `workload.stop = True`; the loop reads the module global on every pass.
stop = False

# Which thread ran the last iteration (in this process).  A thread that finds
# somebody else's id here has just taken the GIL from that thread: a GIL
# switch, counted at iteration granularity.  The check is part of the
# calibrated loop, so it costs nothing that the calibration does not see.
holder = -1

# With a list here, every switch the loop sees is appended to it as
# (time.perf_counter_ns(), id of the thread that took the GIL): who followed
# whom, and how long each held it.  Only the switch branch reads it, so the
# loop's per-iteration cost is the calibrated one.
switch_log = None

# "No limit" for the stop-flag runs.  It must stay below 2**30: CPython 3.11
# specialises `n < limit` (COMPARE_OP_INT_JUMP) only for one-digit ints, and a
# larger limit made the loop ~10 % slower than the calibrated one.  2**30 - 1
# iterations is over 30 s of loop on this kind of machine.
FOREVER = (1 << 30) - 1


def count(me, limit=FOREVER):
    """Increment a counter until `limit` or until `stop` is set.

    Returns (iterations, GIL switches seen by this thread)."""
    global holder
    n = 0
    switches = 0
    while n < limit and not stop:
        n += 1
        if holder != me:
            holder = me
            switches += 1
            if switch_log is not None:
                switch_log.append((time.perf_counter_ns(), me))
    return n, switches


def warm_up():
    """Have CPython specialise `count` before anything is measured.

    CPython 3.11 quickens a function's bytecode (the specialising adaptive
    interpreter) only after the function has been called 8 times; a long
    loop in a function called once runs unspecialised, here about twice as
    slow.  Without this, the 8th and later threads of a scenario would run
    a faster loop than the first seven, and the calibration would measure
    the slow one."""
    global holder
    for _ in range(16):
        count(-2, 1)
    holder = -1


warm_up()


def calibrate(seconds, reps):
    """ns per iteration of `count`, single thread: the median of `reps`
    timed runs of about `seconds` each (after a short warm-up that also sizes
    the runs)."""
    n = 200_000
    t = time.perf_counter()
    count(0, n)
    dt = time.perf_counter() - t
    iters = max(100_000, int(n * seconds / dt))
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        count(0, iters)
        samples.append((time.perf_counter() - t) * 1e9 / iters)
    return statistics.median(samples), samples, iters


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calibrate", action="store_true", required=True)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    med, samples, iters = calibrate(a.seconds, a.reps)
    print(f"counter loop: {med:.2f} ns/iteration (median of {a.reps} x {iters} iterations)",
          flush=True)
    print("RESULT " + json.dumps({"ns_per_iter": med, "samples": samples, "iters": iters,
                                   "python": sys.version.split()[0]}))


if __name__ == "__main__":
    main()
