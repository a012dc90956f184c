"""Scenario 1: N CPU-bound threads counting for T seconds: total rate against
one thread, per-thread unevenness (CV, Jain index, the smallest share) and
GIL switches per second; the unevenness at the 5 ms and at the 15 ms
switch interval (is it a lasting per-thread bias, or does it average out
over the extra hand-offs of the shorter interval?); and from the sequence of
takes, how often the GIL goes straight back to the thread that held it
before the last holder (a take-back), and whether a thread's share of the
first half of the run predicts its share of the second (a lasting bias would
make them correlate)."""

import statistics

from validate import CONFIGS, cv, jain, ns

NUMBER = 1
TITLE = "1_cpu_threads"

FULL = {"threads": [1, 4, 8, 16], "seconds": 2.0, "reps": 5}
QUICK = {"threads": [1, 4, 16], "seconds": 0.5, "reps": 2}
# The interval of the main rows, and the one the unevenness rows repeat at.
INTERVAL_MS = 5
LONG_INTERVAL_MS = 15


def take_pattern(takes, window_ns):
    """From the takes [(ns since the window began, who)] of one run: the
    share of takes that return the GIL to the holder before the last one,
    and the correlation, over the threads, of each one's share of GIL time
    in the first half of the window with its share in the second (each hold
    counted in the half it began in)."""
    takes = [t for t in takes if 0 <= t[0] < window_ns]
    seq = [who for _, who in takes]
    back = sum(1 for i in range(2, len(seq)) if seq[i] == seq[i - 2])
    share = len(seq) > 2 and back / (len(seq) - 2) or 0.0
    halves = ({}, {})
    for (t, who), nxt in zip(takes, [x[0] for x in takes[1:]] + [window_ns]):
        h = halves[t >= window_ns / 2]
        h[who] = h.get(who, 0) + nxt - t
    who_all = sorted(set(seq))
    a = [halves[0].get(w, 0) for w in who_all]
    b = [halves[1].get(w, 0) for w in who_all]
    try:
        corr = statistics.correlation(a, b)
    except statistics.StatisticsError:     # fewer than two threads, or a constant half
        corr = 0.0
    return share, corr


def measures(counts, window_s, switches, takes=None):
    """One run's figures, from its per-thread counts (real iterations, or
    gilsim's work converted to iterations) and, when given, its takes."""
    back, corr = take_pattern(takes, window_s * 1e9) if takes else (0.0, 0.0)
    return dict(rate=sum(counts) / window_s, cv=cv(counts), jain=jain(counts),
                min_share=min(counts) / sum(counts) if sum(counts) else 0.0,
                sw=switches / window_s, counts=counts, takeback=back, corr=corr)


def sim_takes(trace):
    """gilsim's takes of the GIL by the workers, [(ns, who)], a take by the
    thread that already held it last not counted (the real loop cannot see
    one)."""
    takes = []
    for row in trace:
        if row["event"] == "gil_take" and row["thread"].startswith("worker"):
            who = row["thread"]
            if not takes or takes[-1][1] != who:
                takes.append((int(row["time_ns"]), who))
    return takes


def run(v):
    p = v.params(FULL, QUICK)
    T = p["seconds"]
    sc = TITLE
    v.say(f"\n{sc}: N CPU-bound threads counting for {T} s, {p['reps']} run(s) each "
          "(repetitions interleaved)", flush=True)
    cfg = CONFIGS / "cpu_threads.yaml"
    intervals = (INTERVAL_MS, LONG_INTERVAL_MS)
    # cases: (threads, interval); the long interval only where unevenness exists
    cases = [(n, si) for si in intervals for n in p["threads"]
             if si == INTERVAL_MS or n > 1]
    rs = {c: [] for c in cases}
    ss = {c: [] for c in cases}
    for rep in range(p["reps"]):
        for n, si in cases:
            if v.measure:
                r = v.real("s1_cpu_threads.py", "--threads", n, "--seconds", T,
                           "--interval", si / 1e3)
                rs[n, si].append(measures(r["counts"], r["window_s"], r["switches"],
                                          r.get("takes")))
            s = v.sim(cfg, f"s1_n{n}_si{si}_seed{rep + 1}", {
                "duration": f"{T}s",
                "python.switch_interval": f"{si}ms",
                "processes.0.threads.0.count": n,
                "processes.0.threads.0.program.0.do.0.cpu": ns(v.chunk_ns),
            }, seed=rep + 1, trace="full" if n > 1 else "summary")
            w = [int(t["work_ns"]) / v.ns_per_iter for t in s["threads"] if t["group"] == "worker"]
            ss[n, si].append(measures(w, T, int(s["summary"]["gil_switches"]),
                                      sim_takes(s["trace"]) if n > 1 else None))
            if v.measure:
                print(f"  run {rep + 1}, n={n}, {si} ms: real {rs[n, si][-1]['rate'] / 1e6:.2f} "
                      f"M iter/s, cv {rs[n, si][-1]['cv']:.3f}; sim {ss[n, si][-1]['rate'] / 1e6:.2f}, "
                      f"cv {ss[n, si][-1]['cv']:.3f}", flush=True)
    v.raw[sc] = {f"n={n} si={si}ms": {"real": rs[n, si], "sim": ss[n, si]} for n, si in rs}
    base = p["threads"][0]

    def each(runs, key, n, si=INTERVAL_MS):
        """key of every repetition; 'rel' is the rate against the same
        repetition's one-thread run (they ran interleaved)."""
        if key == "rel":
            return [x["rate"] / b["rate"] for x, b in zip(runs[n, si], runs[base, INTERVAL_MS])]
        return [x[key] / (1e6 if key == "rate" else 1) for x in runs[n, si]]

    def add(name, key, n, si=INTERVAL_MS):
        v.add(sc, name, each(rs, key, n, si) if v.measure else None, each(ss, key, n, si))

    for n in p["threads"]:
        metrics = ([("Miter_per_s", "rate")] if n == base else
                   [(f"iters_rel_{base}thr", "rel"), ("cv", "cv"), ("jain", "jain"),
                    ("min_share", "min_share"), ("gil_switches_per_s", "sw")])
        for name, key in metrics:
            add(f"{name} n={n}", key, n)
    for n in p["threads"]:
        if n > 2:
            add(f"takeback_share n={n}", "takeback", n)
        if n > 4:
            add(f"corr_halves n={n}", "corr", n)
    for n in p["threads"]:
        if n > 1:
            add(f"cv n={n} si={LONG_INTERVAL_MS}ms", "cv", n, LONG_INTERVAL_MS)
            add(f"min_share n={n} si={LONG_INTERVAL_MS}ms", "min_share", n, LONG_INTERVAL_MS)
