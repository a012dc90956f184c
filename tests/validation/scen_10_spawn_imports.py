"""Scenario 10: a spawned child whose main module imports asyncio and
concurrent.futures, against a bare one (s10_spawn_imports.py,
configs/spawn_bare.yaml, configs/spawn_imports.yaml): milliseconds per
start + join."""
from validate import CONFIGS, median

NUMBER = 10
TITLE = "10_spawn_imports"

CASES = (("bare", "spawn_bare.yaml", ()),
         ("asyncio+cf", "spawn_imports.yaml", ("--imports", "asyncio,concurrent.futures")))


def run(v):
    reps = 1 if v.quick else 3
    for label, config, args in CASES:
        real = None
        if v.measure:
            v.say(f"  spawn, {label} x {reps}")
            real = [v.real("s10_spawn_imports.py", *args)["median_ms"] for _ in range(reps)]
        res = v.sim(CONFIGS / config, f"spawn_{label.replace('+', '_')}", {})
        joined = [int(r["time_ns"]) for r in res["log"]
                  if r["kind"] == "mark" and r["text"] == "joined"]
        start = v.mark(res, "start") * 1e9
        each = [(b - a) / 1e6 for a, b in zip([start] + joined, joined)]
        v.add(TITLE, f"ms {label}", real, median(each))
