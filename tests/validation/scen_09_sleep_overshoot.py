"""Scenario 9: how late time.sleep(1 ms) ends on an idle machine
(s09_sleep_overshoot.py, configs/sleep_overshoot.yaml): the median and the
90th percentile of the overshoot, in microseconds."""

import statistics

from validate import CONFIGS, median

NUMBER = 9
TITLE = "9_sleep_overshoot"

FULL = {"count": 200, "reps": 3}
QUICK = {"count": 50, "reps": 2}


def percentile_90(xs):
    """As the real script computes it (statistics.quantiles, interpolated)."""
    return statistics.quantiles(xs, n=10)[-1]


def run(v):
    p = v.params(FULL, QUICK)
    v.say(f"\n{TITLE}: {p['count']} sleeps of 1 ms, {p['reps']} run(s)", flush=True)
    real = None
    if v.measure:
        real = [v.real("s09_sleep_overshoot.py", "--count", p["count"]) for _ in range(p["reps"])]
    res = v.sim(CONFIGS / "sleep_overshoot.yaml", "s9", {})
    late = [gap / 1e3 - 1000 for gap in v.mark_gaps(res, "woke")]
    v.raw[TITLE] = {"real": real, "sim": late}
    v.add(TITLE, "late_us median", real and [r["median_us"] for r in real], median(late))
    v.add(TITLE, "late_us p90", real and [r["p90_us"] for r in real], percentile_90(late))
