"""Scenario 3: N threads each time.sleep(S), started then joined: wall time and
the overhead over S."""

from validate import CONFIGS, ns

NUMBER = 3
TITLE = "3_io_threads"

FULL = {
    "threads": [1, 10, 100, 1000],
    "seconds": 1.0,
    "reps": 3,
}
QUICK = {
    "threads": [10, 100],
    "seconds": 0.2,
    "reps": 1,
}


def run(v):
    p = v.params(FULL, QUICK)
    S = p["seconds"]
    sc = TITLE
    v.say(f"\n{sc}: N threads each time.sleep({S}), started then joined, "
             f"{p['reps']} run(s) each", flush=True)
    cfg = CONFIGS / "io_threads.yaml"
    for n in p["threads"]:
        rs, ss = [], []
        for rep in range(p["reps"]):
            if v.measure:
                rs.append(v.real("s3_io_threads.py", "--threads", n, "--seconds", S)["wall_s"])
            s = v.sim(cfg, f"s3_n{n}_seed{rep + 1}", {
                "processes.0.main.0.count": n,
                "processes.0.main.0.args.0": ns(S * 1e9),
            }, seed=rep + 1)
            ss.append(v.mark(s, "wall time"))
        v.raw.setdefault(sc, {})[n] = {"real": rs, "sim": ss}
        v.add(sc, f"wall_s n={n}", rs, ss)
        v.add(sc, f"overhead_ms n={n}", [(r - S) * 1e3 for r in rs], [(s - S) * 1e3 for s in ss])

