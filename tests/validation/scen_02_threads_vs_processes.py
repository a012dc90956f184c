"""Scenario 2: fixed CPU-bound work split over K threads or K processes: wall
time of each."""

from validate import CHUNK_ITERS, CONFIGS, ns

NUMBER = 2
TITLE = "2_threads_vs_procs"

FULL = {
    "seconds": 1.0,
    "workers": [1, 2, 4],
    "reps": 5,
}
QUICK = {
    "seconds": 0.3,
    "workers": [1, 2, 4],
    "reps": 2,
}


def run(v):
    p = v.params(FULL, QUICK)
    sc = TITLE
    quantum = CHUNK_ITERS * 4 * max(p["workers"])
    iters = max(quantum, round(p["seconds"] * 1e9 / v.ns_per_iter / quantum) * quantum)
    v.say(f"\n{sc}: {iters} iterations (~{p['seconds']} s of 1 thread) split over "
             f"K threads / K processes, {p['reps']} run(s) each (interleaved)", flush=True)
    cases = [(mode, k) for mode in ("threads", "processes") for k in p["workers"]]
    rs = {c: [] for c in cases}
    ss = {c: [] for c in cases}
    for rep in range(p["reps"]):
        for mode, k in cases:
            if v.measure:
                rs[mode, k].append(v.real("s2_threads_vs_processes.py", "--mode", mode,
                                             "--workers", k, "--iters", iters)["wall_s"])
            s = v.sim(CONFIGS / f"threads_vs_processes_{mode}.yaml",
                         f"s2_{mode}_{k}_seed{rep + 1}", {
                             "processes.0.main.0.count": k,
                             "processes.0.main.0.args.0": iters // k // CHUNK_ITERS,
                             "processes.0.main.0.args.1": ns(v.chunk_ns),
                         }, seed=rep + 1)
            ss[mode, k].append(v.mark(s, "wall time"))
    for mode, k in cases:
        v.raw.setdefault(sc, {})[f"{mode}={k}"] = {"real": rs[mode, k], "sim": ss[mode, k]}
        v.add(sc, f"wall_s {mode}={k}", rs[mode, k], ss[mode, k])

