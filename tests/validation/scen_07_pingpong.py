"""Scenario 7: ping-pong over a socketpair between two threads, alone and
beside one CPU-bound thread, at a 5 ms switch interval: microseconds per
round trip, and the spinner's rate against its rate alone and how often it
takes the GIL."""

from validate import CONFIGS, ns

NUMBER = 7
TITLE = "7_pingpong"

FULL = {"trips": 2000, "alone_s": 0.5, "reps": 3}
QUICK = {"trips": 500, "alone_s": 0.2, "reps": 1}
INTERVAL_MS = 5


def run(v):
    p = v.params(FULL, QUICK)
    N = p["trips"]
    sc = TITLE
    v.say(f"\n{sc}: {N} round trips over socket.socketpair() between two threads, "
          f"beside 0 or 1 CPU-bound thread, interval {INTERVAL_MS} ms, {p['reps']} run(s) each; "
          "metrics: us per round trip, the spinner's rate against its rate alone", flush=True)
    cfg = CONFIGS / "pingpong.yaml"
    real = {"rt0": [], "rt1": [], "spin_rel": [], "takes": []}
    sim = {"rt0": [], "rt1": [], "spin_rel": [], "takes": []}
    for rep in range(p["reps"]):
        if v.measure:
            args = ("--interval", INTERVAL_MS / 1e3)
            real["rt0"].append(v.real("s07_pingpong.py", "--spinners", 0, "--trips", N,
                                      *args)["rt_us"])
            alone = v.real("s07_pingpong.py", "--spinners", 1, "--trips", 0,
                           "--seconds", p["alone_s"], *args)["spin_rate"]
            r = v.real("s07_pingpong.py", "--spinners", 1, "--trips", N, *args)
            real["rt1"].append(r["rt_us"])
            real["spin_rel"].append(r["spin_rate"] / alone)
            real["takes"].append(r["spin_takes"] / r["seconds"])
        for nspin in (0, 1):
            s = v.sim(cfg, f"s7_spin{nspin}_seed{rep + 1}", {
                "python.switch_interval": f"{INTERVAL_MS}ms",
                "processes.0.main.0.args.0": N,
                "processes.0.main.1.count": nspin,
                "processes.0.main.1.args.0": ns(v.chunk_ns),
                "processes.0.main.3.repeat": N,
            }, seed=rep + 1)
            window_s = v.mark(s, "end") - v.mark(s, "start")
            sim[f"rt{nspin}"].append(window_s / N * 1e6)
            if nspin:
                # alone, the spinner runs all the time: its rate relative to
                # alone is the share of the window it ran
                spin = [t for t in s["threads"] if t["group"] == "spin"]
                work_s = sum(int(t["work_ns"]) for t in spin) / 1e9
                sim["spin_rel"].append(work_s / window_s)
                sim["takes"].append(sum(int(t["gil_acquisitions"]) for t in spin) / window_s)
    v.raw[sc] = {k: {"real": real[k], "sim": sim[k]} for k in sim}
    v.add(sc, "round_trip_us spin=0", real["rt0"] if v.measure else None, sim["rt0"])
    v.add(sc, "round_trip_us spin=1", real["rt1"] if v.measure else None, sim["rt1"])
    v.add(sc, "spinner_rate_rel_alone spin=1", real["spin_rel"] if v.measure else None,
          sim["spin_rel"])
    v.add(sc, "spinner_gil_takes_per_s spin=1", real["takes"] if v.measure else None,
          sim["takes"])
