"""Scenario 4: the convoy: K x (time.sleep(1 ms) + a little work) beside 0, 1
or 2 CPU-bound threads, at 1, 5 and 15 ms switch intervals: extra ms per
operation."""

from validate import CONFIGS, ns

NUMBER = 4
TITLE = "4_convoy"

CONVOY_WORK = 200    # iterations of the "tiny bit of work"
CONVOY_SLEEP_S = 0.001

FULL = {
    "ops": 100,
    "intervals_ms": [1, 5, 15],
    "spinners": [0, 1, 2],
    "reps": 3,
}
QUICK = {
    "ops": 30,
    "intervals_ms": [1, 5, 15],
    "spinners": [0, 1, 2],
    "reps": 1,
}


def run(v):
    p = v.params(FULL, QUICK)
    K = p["ops"]
    sc = TITLE
    v.say(f"\n{sc}: {K} x (time.sleep(1 ms) + {CONVOY_WORK} iterations) beside 0/1/2 "
             f"CPU-bound threads, {p['reps']} run(s) each (interleaved); "
             "metric: extra ms per operation", flush=True)
    work_ns = CONVOY_WORK * v.ns_per_iter
    cases = [(si, nspin) for si in p["intervals_ms"] for nspin in p["spinners"]]
    rs = {c: [] for c in cases}
    ss = {c: [] for c in cases}
    for rep in range(p["reps"]):
        for si, nspin in cases:
            if v.measure:
                rs[si, nspin].append(v.real(
                    "s4_convoy.py", "--spinners", nspin, "--interval", si / 1e3, "--ops", K,
                    "--work", CONVOY_WORK)["extra_ms"])
            sets = {"python.switch_interval": f"{si}ms"}
            if nspin == 0:
                cfg = CONFIGS / "convoy_alone.yaml"
                sets.update({"processes.0.main.1.repeat": K,
                             "processes.0.main.1.do.1.cpu": ns(work_ns)})
            else:
                cfg = CONFIGS / "convoy.yaml"
                sets.update({"processes.0.main.0.count": nspin,
                             "processes.0.main.0.args.0": ns(v.chunk_ns),
                             "processes.0.main.2.repeat": K,
                             "processes.0.main.2.do.1.cpu": ns(work_ns)})
            s = v.sim(cfg, f"s4_si{si}_spin{nspin}_seed{rep + 1}", sets, seed=rep + 1)
            total = v.mark(s, "end") - v.mark(s, "start")
            ss[si, nspin].append((total / K - CONVOY_SLEEP_S) * 1e3)
    for si, nspin in cases:
        v.raw.setdefault(sc, {})[f"si={si}ms spin={nspin}"] = {"real": rs[si, nspin],
                                                                  "sim": ss[si, nspin]}
        v.add(sc, f"extra_ms_per_op si={si}ms spin={nspin}", rs[si, nspin],
              ss[si, nspin])

