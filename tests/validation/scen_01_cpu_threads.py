"""Scenario 1: N CPU-bound threads counting for T seconds: total rate against
one thread, per-thread unevenness (CV, Jain index) and GIL switches per
second."""

from validate import CONFIGS, cv, jain, ns

NUMBER = 1
TITLE = "1_cpu_threads"

FULL = {"threads": [1, 4, 8, 16], "seconds": 2.0, "reps": 5}
QUICK = {"threads": [1, 4, 16], "seconds": 0.5, "reps": 2}


def measures(counts, window_s, switches):
    """One run's figures, from its per-thread counts (real iterations, or
    gilsim's work converted to iterations)."""
    return dict(rate=sum(counts) / window_s, cv=cv(counts), jain=jain(counts),
                sw=switches / window_s, counts=counts)


def run(v):
    p = v.params(FULL, QUICK)
    T = p["seconds"]
    sc = TITLE
    v.say(f"\n{sc}: N CPU-bound threads counting for {T} s, {p['reps']} run(s) each "
          "(repetitions interleaved)", flush=True)
    cfg = CONFIGS / "cpu_threads.yaml"
    rs = {n: [] for n in p["threads"]}
    ss = {n: [] for n in p["threads"]}
    for rep in range(p["reps"]):
        for n in p["threads"]:
            if v.measure:
                r = v.real("s1_cpu_threads.py", "--threads", n, "--seconds", T)
                rs[n].append(measures(r["counts"], r["window_s"], r["switches"]))
            s = v.sim(cfg, f"s1_n{n}_seed{rep + 1}", {
                "duration": f"{T}s",
                "processes.0.threads.0.count": n,
                "processes.0.threads.0.program.0.do.0.cpu": ns(v.chunk_ns),
            }, seed=rep + 1)
            w = [int(t["work_ns"]) / v.ns_per_iter for t in s["threads"] if t["group"] == "worker"]
            ss[n].append(measures(w, T, int(s["summary"]["gil_switches"])))
            if v.measure:
                print(f"  run {rep + 1}, n={n}: real {rs[n][-1]['rate'] / 1e6:.2f} M iter/s, "
                      f"cv {rs[n][-1]['cv']:.3f}; sim {ss[n][-1]['rate'] / 1e6:.2f}, "
                      f"cv {ss[n][-1]['cv']:.3f}", flush=True)
    v.raw[sc] = {n: {"real": rs[n], "sim": ss[n]} for n in rs}
    base = p["threads"][0]

    def each(runs, key, n):
        """key of every repetition; 'rel' is the rate against the same
        repetition's one-thread run (they ran interleaved)."""
        if key == "rel":
            return [x["rate"] / b["rate"] for x, b in zip(runs[n], runs[base])]
        return [x[key] / (1e6 if key == "rate" else 1) for x in runs[n]]

    for n in p["threads"]:
        metrics = ([("Miter_per_s", "rate")] if n == base else
                   [(f"iters_rel_{base}thr", "rel"), ("cv", "cv"), ("jain", "jain"),
                    ("gil_switches_per_s", "sw")])
        for name, key in metrics:
            v.add(sc, f"{name} n={n}", each(rs, key, n) if v.measure else None, each(ss, key, n))
