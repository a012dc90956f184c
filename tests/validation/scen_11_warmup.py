"""Scenario 11: bytecode warm-up, the first call of a loop function against
later calls (s11_warmup.py, configs/warmup.yaml with python.specialize)."""

from validate import CONFIGS, median, ns

NUMBER = 11
TITLE = "11_warmup"

FULL = {"iters": 100000, "reps": 5}
QUICK = {"iters": 100000, "reps": 2}


def run(v):
    p = v.params(FULL, QUICK)
    v.say(f"\n{TITLE}: 12 calls of a fresh {p['iters']}-iteration loop, {p['reps']} run(s)",
          flush=True)
    real = None
    if v.measure:
        real = [v.real("s11_warmup.py", "--iters", p["iters"]) for _ in range(p["reps"])]
    # the loop's specialised time: the calibrated (warmed-up) loop speed
    res = v.sim(CONFIGS / "warmup.yaml", "s11",
                {"functions.loop.params.work.default": ns(v.ns_per_iter * p["iters"])})
    each = [gap / 1e6 for gap in v.mark_gaps(res, "call", v.mark(res, "start") * 1e9)]
    v.raw[TITLE] = {"real": real, "sim": each}
    v.add(TITLE, "first_ms", real and [r["first_ms"] for r in real], each[0])
    v.add(TITLE, "later_ms", real and [r["later_ms"] for r in real], median(each[-4:]))
