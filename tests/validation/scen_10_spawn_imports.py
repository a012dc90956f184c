"""Scenario 10: a spawned child whose main module imports asyncio and
concurrent.futures, against a bare one (s10_spawn_imports.py,
configs/spawn_bare.yaml, configs/spawn_imports.yaml): milliseconds per
start + join."""

from validate import CONFIGS, median

NUMBER = 10
TITLE = "10_spawn_imports"

CASES = (("bare", "spawn_bare.yaml", ()),
         ("asyncio+cf", "spawn_imports.yaml", ("--imports", "asyncio,concurrent.futures")))
FULL = {"reps": 3}
QUICK = {"reps": 1}


def run(v):
    p = v.params(FULL, QUICK)
    v.say(f"\n{TITLE}: spawn + join, 5 children a run, {p['reps']} run(s) each", flush=True)
    for label, config, args in CASES:
        real = None
        if v.measure:
            real = [v.real("s10_spawn_imports.py", *args)["median_ms"] for _ in range(p["reps"])]
        res = v.sim(CONFIGS / config, f"s10_{label.replace('+', '_')}", {})
        each = [gap / 1e6 for gap in v.mark_gaps(res, "joined", v.mark(res, "start") * 1e9)]
        v.raw.setdefault(TITLE, {})[label] = {"real": real, "sim": each}
        v.add(TITLE, f"ms {label}", real, median(each))
