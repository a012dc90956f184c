"""Scenario 6: lost updates: threads doing `counter += 1` or `counter += f()`
on one global: the fraction of the updates lost."""

from validate import CONFIGS

NUMBER = 6
TITLE = "6_lost_updates"

FULL = {
    "threads": 4,
    "iters": 1000000,
    "reps": 3,
}
QUICK = {
    "threads": 4,
    "iters": 200000,
    "reps": 1,
}


def run(v):
    p = v.params(FULL, QUICK)
    n, m = p["threads"], p["iters"]
    sc = TITLE
    v.say(f"\n{sc}: {n} threads x {m} x `counter += 1` / `counter += f()`, "
             f"{p['reps']} run(s) each; metric: fraction of the updates lost", flush=True)
    cfg = CONFIGS / "lost_updates.yaml"
    # (case, real python3 runs it, gilsim's python.version, call)
    cases = [("plain", True, "3.11", False), ("call", True, "3.11", True),
             ("plain py3.9", False, "3.9", False)]
    for case, real_too, version, call in cases:
        rs, ss = [], []
        for rep in range(p["reps"]):
            if v.measure and real_too:
                r = v.real("s6_lost_updates.py", "--threads", n, "--iters", m,
                              *(["--call"] if call else []))
                rs.append(r["lost"] / r["updates"])
            s = v.sim(cfg, f"s6_{case.replace(' ', '_')}_seed{rep + 1}", {
                "python.version": version,
                "processes.0.threads.0.count": n,
                "processes.0.threads.0.program.0.repeat": m,
                "processes.0.threads.0.program.0.do.0.call": str(call).lower(),
            }, seed=rep + 1)
            ss.append(int(s["summary"]["lost_updates"]) / (n * m))
        v.raw.setdefault(sc, {})[case] = {"real": rs, "sim": ss}
        v.add(sc, f"lost_fraction {case}", rs, ss)

