#!/usr/bin/env python3
"""`make bench-simpy`: the gil-16 model in gilsim and in SimPy, side by side.

Runs gilsim on tests/bench/simpy_gil16.yaml and tests/bench/simpy_gil.py
(SimPy 2, run by Debian's /usr/bin/python3, which has python3-simpy) with
the same parameters, checks that they agree on the GIL switch count and on
every thread's work and completed ops within 1 %, and reports the median
wall times and their ratio in build/bench/simpy.csv and a table.  Exits 1
when the two disagree."""
import argparse, csv, os, statistics, subprocess, sys, time

# The model's parameters, given to both simulators explicitly.
PARAMS = {  # gilsim key: (SimPy option, value in ns)
    "python.switch_interval": ("--interval-ns", 1_000_000),
    "python.checkpoint_gap": ("--checkpoint-gap-ns", 100),
    "python.switch_cost": ("--switch-cost-ns", 20_000),
    "os.wake_latency": ("--wake-latency-ns", 7_000),
    "os.context_switch": ("--context-switch-ns", 1_000),
}
THREADS, OP_NS = 16, 20_000     # as in simpy_gil16.yaml


def timed(args):
    t0 = time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True)
    wall = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit("bench-simpy: %s failed:\n%s" % (" ".join(args), p.stderr))
    return wall, p.stdout


def run_gilsim(gilsim, seconds, out):
    args = [gilsim, "run", "tests/bench/simpy_gil16.yaml", "-q", "--trace", "summary",
            "-o", out, "--set", "duration=%gs" % seconds,
            "--set", "processes.0.threads.0.count=%d" % THREADS]
    for key, (_, ns) in PARAMS.items():
        args += ["--set", "%s=%dns" % (key, ns)]
    wall, _ = timed(args)
    with open(os.path.join(out, "summary.csv")) as f:
        summary = next(csv.DictReader(f))
        switches, events = int(summary["gil_switches"]), int(summary["events"])
    with open(os.path.join(out, "threads.csv")) as f:
        threads = {r["thread"]: (int(r["work_ns"]), int(r["ops_done"])) for r in csv.DictReader(f)}
    return wall, switches, threads, events


def run_simpy(seconds, count=False):
    args = ["/usr/bin/python3", "tests/bench/simpy_gil.py", "--threads", str(THREADS),
            "--duration-ns", str(int(seconds * 1e9)), "--op-ns", str(OP_NS)]
    if count:
        args.append("--count-events")
    for opt, ns in PARAMS.values():
        args += [opt, str(ns)]
    wall, out = timed(args)
    threads, totals = {}, {}
    for row in csv.DictReader(out.splitlines()):
        if row["thread"] in ("switches", "drop_requests", "events"):
            totals[row["thread"]] = int(row["work_ns"])
        else:
            threads[row["thread"]] = (int(row["work_ns"]), int(row["ops_done"]))
    return (wall, totals["switches"], threads, totals["events"]) if count else \
        (wall, totals["switches"], threads)


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gilsim", default="build/gilsim")
    ap.add_argument("--out", default="build/bench")
    ap.add_argument("--seconds", type=float, default=60.0, help="simulated seconds (default 60)")
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    # gilsim's run is short, so its wall time is noisier: more runs, same median
    g = [run_gilsim(a.gilsim, a.seconds, os.path.join(a.out, "simpy-gilsim"))
         for _ in range(4 * a.reps - 1)]
    s = [run_simpy(a.seconds) for _ in range(a.reps)]
    _, g_sw, g_th, g_ev = g[0]
    _, s_sw, s_th = s[0]
    s_ev = run_simpy(a.seconds, count=True)[3]       # untimed: counting slows SimPy
    worst = max([rel(g_sw, s_sw)] + [rel(g_th[n][k], s_th[n][k]) for n in g_th for k in (0, 1)])
    agree = set(g_th) == set(s_th) and worst <= 0.01
    g_wall = statistics.median(r[0] for r in g)
    s_wall = statistics.median(r[0] for r in s)
    row = {"simulated_s": "%g" % a.seconds, "threads": THREADS,
           "gil_switches_gilsim": g_sw, "gil_switches_simpy": s_sw,
           "worst_relative_difference": "%.6f" % worst,
           "gilsim_wall_s": "%.3f" % g_wall, "simpy_wall_s": "%.3f" % s_wall,
           "gilsim_events": g_ev, "simpy_events": s_ev,
           "gilsim_events_per_s": "%.0f" % (g_ev / g_wall),
           "simpy_events_per_s": "%.0f" % (s_ev / s_wall),
           "speed_ratio": "%.1f" % (s_wall / g_wall)}
    path = os.path.join(a.out, "simpy.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(row))
        w.writeheader()
        w.writerow(row)
    print("gil-16 model, %g s simulated, %d threads (median of %d gilsim and %d SimPy runs)"
          % (a.seconds, THREADS, len(g), a.reps))
    print("  GIL switches   gilsim %d, SimPy %d" % (g_sw, s_sw))
    print("  per thread     work and ops: largest relative difference %.4f %%" % (100 * worst))
    print("  events         gilsim %d (%.1f M/s), SimPy %d (%.2f M/s)"
          % (g_ev, g_ev / g_wall / 1e6, s_ev, s_ev / s_wall / 1e6))
    print("  wall time      gilsim %.3f s, SimPy %.3f s: gilsim %.1fx faster"
          % (g_wall, s_wall, s_wall / g_wall))
    print("results: %s" % path)
    if not agree:
        sys.exit("bench-simpy: the two simulators disagree by more than 1 %")


if __name__ == "__main__":
    main()
