"""Scenario 5: the course notes' asyncio examples, as shipped in
configs/seed/: their total time."""

import re

from validate import SEED_CONFIGS

NUMBER = 5
TITLE = "5_asyncio"

ASYNCIO_EXAMPLES = [
    ("ex1_tasks_gather", "asyncio_ex1_tasks_gather.yaml"),
    ("ex2_await_coroutine", "asyncio_ex2_await_coroutine.yaml"),
    ("ex3_blocking_sleep", "asyncio_ex3_blocking_sleep.yaml"),
    ("ex4_synchronous", "asyncio_ex4_synchronous.yaml"),
    ("ex6_await_sleep", "asyncio_ex6_await_sleep.yaml"),
    ("ex6_time_sleep", "asyncio_ex6_time_sleep.yaml"),
]

FULL = {
    "scale": 1.0,
    "reps": 3,
}
QUICK = {
    "scale": 0.2,
    "reps": 1,
}


def run(v):
    p = v.params(FULL, QUICK)
    scale = p["scale"]
    sc = TITLE
    v.say(f"\n{sc}: the course notes' asyncio examples, sleeps x {scale:g}", flush=True)
    cdir = v.out / "configs"
    for example, yaml in ASYNCIO_EXAMPLES:
        cfg = SEED_CONFIGS / yaml
        if scale != 1:
            cdir.mkdir(parents=True, exist_ok=True)
            text = cfg.read_text()
            scaled = re.sub(r"(sleep:\s*)([0-9.]+)(ns|us|ms|s)\b",
                            lambda m: f"{m.group(1)}{float(m.group(2)) * scale:g}{m.group(3)}",
                            text)
            cfg = cdir / yaml
            cfg.write_text(f"# {yaml} with every sleep x {scale:g} (validate.py --quick)\n"
                           + scaled)
        rs, ss = [], []
        for rep in range(p["reps"]):
            if v.measure:
                rs.append(v.real("s5_asyncio.py", "--example", example,
                                    "--scale", scale)["total_s"])
            ss.append(v.mark(v.sim(cfg, f"s5_{example}_seed{rep + 1}", {}, seed=rep + 1),
                                "Total time"))
        v.raw.setdefault(sc, {})[example] = {"real": rs, "sim": ss}
        v.add(sc, f"total_s {example}", rs, ss)

