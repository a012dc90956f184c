"""Scenario 9: how late time.sleep(1 ms) ends on an idle machine
(s09_sleep_overshoot.py, configs/sleep_overshoot.yaml): the median and the
90th percentile of the overshoot, in microseconds."""
from validate import CONFIGS, median

NUMBER = 9
TITLE = "9_sleep_overshoot"


def _quantile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def run(v):
    reps = 2 if v.quick else 3
    count = 50 if v.quick else 200
    real = None
    if v.measure:
        v.say(f"  {count} sleeps of 1 ms x {reps}")
        real = [v.real("s09_sleep_overshoot.py", "--count", str(count)) for _ in range(reps)]
    res = v.sim(CONFIGS / "sleep_overshoot.yaml", "sleep_overshoot", {})
    woke = [int(r["time_ns"]) for r in res["log"] if r["kind"] == "mark" and r["text"] == "woke"]
    late = [(b - a) / 1e3 - 1000 for a, b in zip([0] + woke, woke)]
    v.add(TITLE, "late_us median", real and [r["median_us"] for r in real], median(late))
    v.add(TITLE, "late_us p90", real and [r["p90_us"] for r in real], _quantile(late, 0.9))
