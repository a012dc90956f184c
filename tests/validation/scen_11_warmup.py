"""Scenario 11: bytecode warm-up, the first call of a loop function against
later calls (s11_warmup.py, configs/warmup.yaml with python.specialize)."""
from validate import CONFIGS, median

NUMBER = 11
TITLE = "11_warmup"


def run(v):
    reps = 2 if v.quick else 5
    iters = 100000
    real = None
    if v.measure:
        v.say(f"  12 calls of a {iters}-iteration loop x {reps}")
        real = [v.real("s11_warmup.py", "--iters", str(iters)) for _ in range(reps)]
    work = round(v.ns_per_iter * iters)          # the specialised loop's time
    res = v.sim(CONFIGS / "warmup.yaml", "warmup",
                {"functions.loop.params.work.default": f"{work}ns"})
    calls = [int(r["time_ns"]) for r in res["log"] if r["kind"] == "mark" and r["text"] == "call"]
    start = v.mark(res, "start") * 1e9
    each = [(b - a) / 1e6 for a, b in zip([start] + calls, calls)]
    v.add(TITLE, "first_ms", real and [r["first_ms"] for r in real], each[0])
    v.add(TITLE, "later_ms", real and [r["later_ms"] for r in real], median(each[-4:]))
