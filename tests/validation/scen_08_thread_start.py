"""Scenario 8: Thread.start() with 50 and 1000 threads alive
(s08_thread_start.py, configs/thread_start.yaml): milliseconds per start."""

from validate import CONFIGS

NUMBER = 8
TITLE = "8_thread_start"

FULL = {"threads": [50, 1000], "reps": 5}
QUICK = {"threads": [50, 1000], "reps": 2}


def run(v):
    p = v.params(FULL, QUICK)
    v.say(f"\n{TITLE}: N threads started, each waiting on one event, {p['reps']} run(s) each",
          flush=True)
    for n in p["threads"]:
        real = None
        if v.measure:
            real = [v.real("s08_thread_start.py", "--threads", n)["ms_per_start"]
                    for _ in range(p["reps"])]
        res = v.sim(CONFIGS / "thread_start.yaml", f"s8_n{n}", {"processes.0.main.1.count": n})
        per = (v.mark(res, "started") - v.mark(res, "start")) / n * 1e3
        v.raw.setdefault(TITLE, {})[n] = {"real": real, "sim": per}
        v.add(TITLE, f"ms_per_start n={n}", real, per)
