"""Scenario 8: Thread.start() with 50 and 1000 live threads (s08_thread_start.py,
configs/thread_start.yaml): milliseconds per start."""
from validate import CONFIGS

NUMBER = 8
TITLE = "8_thread_start"


def run(v):
    reps = 2 if v.quick else 5
    for n in (50, 1000):
        real = None
        if v.measure:
            v.say(f"  {n} thread starts x {reps}")
            real = [v.real("s08_thread_start.py", "--threads", str(n))["ms_per_start"]
                    for _ in range(reps)]
        res = v.sim(CONFIGS / "thread_start.yaml", f"thread_start_{n}",
                    {"processes.0.main.1.count": n})
        per = (v.mark(res, "started") - v.mark(res, "start")) / n * 1e3
        v.add(TITLE, f"ms_per_start n={n}", real, per)
