"""Scenario 9: how late time.sleep(1 ms) ends on an idle machine, and on a
CPU kept busy by a spinning process (s09_sleep_overshoot.py,
configs/sleep_overshoot.yaml, configs/sleep_overshoot_busy.yaml): the
median and the 90th percentile of the overshoot, in microseconds."""

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
    for label, flag, cfg in (("", (), "sleep_overshoot.yaml"),
                             (" busy", ("--beside-spinner",), "sleep_overshoot_busy.yaml")):
        real = None
        if v.measure:
            real = [v.real("s09_sleep_overshoot.py", "--count", p["count"], *flag)
                    for _ in range(p["reps"])]
        res = v.sim(CONFIGS / cfg, "s9" + label.strip(), {})
        # the first gap also holds the thread's start (and, busy, the spinner's first slice)
        late = [gap / 1e3 - 1000 for gap in v.mark_gaps(res, "woke")][1:]
        v.raw[TITLE + label] = {"real": real, "sim": late}
        v.add(TITLE, "late_us median" + label, real and [r["median_us"] for r in real],
              median(late), calibrates=True)
        v.add(TITLE, "late_us p90" + label, real and [r["p90_us"] for r in real],
              percentile_90(late))
