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
        joined = [int(r["time_ns"]) for r in res["log"]
                  if r["kind"] == "mark" and r["text"] == "joined"]
        start = v.mark(res, "start") * 1e9
        each = [(b - a) / 1e6 for a, b in zip([start] + joined, joined)]
        v.raw.setdefault(TITLE, {})[label] = {"real": real, "sim": each}
        v.add(TITLE, f"ms {label}", real, median(each))
