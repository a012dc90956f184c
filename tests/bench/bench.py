#!/usr/bin/env python3
"""gilsim benchmarks (`make bench`; never part of `make test`).

Runs the event-queue hold benchmark and named simulation scenarios several
times each, and reports the median wall time, simulated events, events per
second, trace rows per second and peak RSS (from os.wait4), in
build/bench/results.csv and a table.  --scale multiplies the simulated
durations (the issue's full sizes: gil-16 for 1 h is --scale 60).

With --base OLD_GILSIM (`make bench BASE=REV`) it measures the scenarios
A/B instead: old and new binaries alternately, run after run, so both see
the same machine load; it reports each side's median, min and max wall
time and the ratio of the medians, in build/bench/ab.csv.

The scale series (also alone, with --series scale) measures events per
second of wall time with 16, 4,096 and 65,536 runnable CPU-bound threads,
each as a share of the rate with 16, in build/bench/scale.csv; 1,000,000
threads for 10 ms simulated, wall time and peak RSS per thread, in
build/bench/million.csv; gil-16's
rate on 1,024 cores as a share of its rate on 4, in build/bench/cores.csv;
and the
wall time of gather, as_completed and one contended lock at n and 2n, in
build/bench/linear.csv (a ratio near 2: linear).

With --simulated scenarios|growth it runs each scenario (or each size of
the growth series) once and prints, as a Markdown table, only what the
simulation computes, the same on every machine: simulated seconds, events,
trace rows and bytes.  sim/README.md quotes these tables; make docs-check
reruns them (the measured ones come from a full `make bench`).

The WebAssembly series (also alone, with --series wasm; in a full run when
`make web` has built build/wasm/gilsim-node) times the same scenarios with
the WebAssembly build under node beside the native build, run after run in
turn, and reports the ratio of the median wall times, in
build/bench/wasm.csv.

With --labs (also the last part of a full run) it times `gilsim lab make`
of every lab in configs/labs/ for a roster of 200 students on every core
(the coursework target: all of them within 2 minutes), in
build/bench/labs.csv."""
import argparse, csv, os, re, statistics, subprocess, sys, time

SCENARIOS = [
    # name, config, simulated seconds at scale 1, trace level
    ("gil-16", "tests/bench/gil16.yaml", 60, "none"),
    ("gil-16-trace", "tests/bench/gil16.yaml", 60, "full"),
    ("old-gil-battle", "tests/bench/oldgil.yaml", 60, "none"),
    ("server", "tests/bench/server.yaml", 600, "none"),
]


def run_once(gilsim, config, seconds, trace, out, extra=()):
    args = [gilsim, "run", config, "-o", out, "--trace", trace,
            "--set", "duration=%gs" % seconds] + list(extra)
    t0 = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    stdout = proc.stdout.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit("bench: %s failed: %s" % (" ".join(args), proc.stderr.read()))
    events = int(re.search(r"events\s+(\d+)", stdout).group(1))
    # gilsim reports its own peak (VmHWM): a child's ru_maxrss would include
    # the memory of the forked Python before the exec
    peak = re.search(r"peak memory ([\d.]+) (MiB|GiB)", stdout)   # "unknown" in WebAssembly
    rss = int(float(peak.group(1)) * (1024 if peak.group(2) == "MiB" else 1024 * 1024)) if peak else 0
    rows, size = 0, 0
    if trace == "full":
        path = os.path.join(out, "trace.csv")
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            rows = sum(1 for _ in f) - 1
    return wall, events, rows, size, rss


def sweep(gilsim, out, reps):
    """100 runs of a small config (4 CPU-bound threads, 100 ms simulated):
    10 switch intervals x 10 seeds through `gilsim sweep`."""
    args = [gilsim, "sweep", "configs/cpu_threads.yaml", "-o", out, "--jobs", "1",
            "--set", "duration=100ms",
            "--vary", "python.switch_interval=" + ",".join("%dms" % i for i in range(1, 11)),
            "--seeds", "10"]
    walls, overheads = [], []
    for _ in range(reps):
        t0 = time.monotonic()
        p = subprocess.run(args, capture_output=True, text=True)
        walls.append(time.monotonic() - t0)
        if p.returncode != 0:
            sys.exit("bench: %s failed: %s" % (" ".join(args), p.stderr))
        overheads.append(float(re.search(r"of which ([\d.]+) ms loading", p.stdout).group(1)))
    with open(os.path.join(out, "sweep.csv")) as f:
        table = list(csv.DictReader(f))
    events = sum(int(r["events"]) for r in table)
    wall = statistics.median(walls)
    return {"scenario": "sweep-100", "simulated_s": "%g" % (0.1 * len(table)), "reps": reps,
            "median_wall_s": "%.3f" % wall, "events": events,
            "events_per_s": "%.0f" % (events / wall),
            "per_run_overhead_ms": "%.3f" % statistics.median(overheads)}


GROWTH = [
    # dimension, --vary, fixed sets, simulated seconds at scale 1 (None: the
    # --vary sets them): gil-16 (1 ms interval, 4 cores)
    ("threads", "processes.0.threads.0.count=4,16,64", [], 60),
    ("processes", "processes.0.count=1,4,16", ["processes.0.threads.0.count=4"], 60),
    ("simulated_s", "duration=60s,600s,3600s", [], None),
    ("cores", "machine.cores=4,64,1024", [], 60),
    ("many_threads", "processes.0.threads.0.count=1024,4096,65536", [], 0.5),
]


def growth(gilsim, out, reps, scale):
    """How run time grows with threads, processes, simulated time and cores,
    each measured at three sizes through `gilsim sweep` (its wall_s column
    is the run: building the model, then simulating it, without loading the
    config or writing files).  Median of reps sweeps; returns the rows."""
    rows = []
    for dim, vary, sets, seconds in GROWTH:
        if seconds is None and scale != 1:
            vary = "duration=" + ",".join("%gs" % (v * scale) for v in (60, 600, 3600))
        args = [gilsim, "sweep", "tests/bench/gil16.yaml", "-q", "-o", out, "--vary", vary]
        for kv in sets:
            args += ["--set", kv]
        if seconds is not None:
            args += ["--set", "duration=%gs" % (seconds * scale)]
        runs = []
        for _ in range(reps):
            subprocess.run(args, check=True)
            with open(os.path.join(out, "sweep.csv")) as f:
                runs.append(list(csv.DictReader(f)))
        for i, r in enumerate(runs[0]):
            wall = statistics.median(float(run[i]["wall_s"]) for run in runs)
            sim_s = int(r["makespan_ns"]) / 1e9
            rows.append({"dimension": dim, "value": r[vary.split("=")[0]],
                         "processes": r["processes"], "threads": r["threads"],
                         "simulated_s": "%g" % sim_s, "events": r["events"],
                         "wall_s": "%.4f" % wall,
                         "events_per_s": "%.0f" % (int(r["events"]) / wall),
                         "wall_ms_per_simulated_s": "%.3f" % (wall / sim_s * 1e3)})
    return rows


def report(out, name, rows, fmt, header):
    """rows as build/bench/<name>.csv (out's folder), and printed as a table
    under header."""
    path = os.path.join(os.path.dirname(out), name + ".csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(fmt % header)
    for r in rows:
        print(fmt % tuple(r.values()))
    print("%s: %s" % (name, path))


def jobs_series(gilsim, out, reps):
    """100 points of gil-16 (5 s simulated each, about 5 ms of wall time)
    through `gilsim sweep --jobs 1` and `--jobs 2`, interleaved: the
    speed-up of two workers on this machine (1.7 or more on 2 cores)."""
    walls = {1: [], 2: []}
    for _ in range(reps):
        for jobs in (1, 2):
            args = [gilsim, "sweep", "tests/bench/gil16.yaml", "-q", "-o", out,
                    "--jobs", str(jobs), "--set", "duration=5s",
                    "--vary", "python.switch_interval=1ms:10ms:+1ms", "--seeds", "10"]
            t0 = time.monotonic()
            subprocess.run(args, check=True)
            walls[jobs].append(time.monotonic() - t0)
    one, two = statistics.median(walls[1]), statistics.median(walls[2])
    # The cost of a point beyond its simulation, on two workers: 4,000
    # points of 1 ms simulated, whose wall time is almost all overhead
    # (loading the config, the row through the pipe, read back in order).
    tiny = []
    for _ in range(reps):
        args = [gilsim, "sweep", "configs/cpu_threads.yaml", "-q", "-o", out, "--jobs", "2",
                "--seeds", "4000", "--set", "duration=1ms"]
        t0 = time.monotonic()
        subprocess.run(args, check=True)
        wall = time.monotonic() - t0
        with open(os.path.join(out, "sweep.csv")) as f:
            sim = sum(float(r["wall_s"]) for r in csv.DictReader(f))
        tiny.append((2 * wall - sim) / 4000 * 1e3)
    rows = [{"points": 100, "reps": reps, "jobs1_wall_s": "%.3f" % one,
             "jobs2_wall_s": "%.3f" % two, "speedup": "%.2f" % (one / two),
             "overhead_ms_per_point": "%.3f" % statistics.median(tiny)}]
    report(out, "jobs", rows, "%-7s %5s %13s %13s %8s %15s",
           ("points", "reps", "jobs 1 wall s", "jobs 2 wall s", "speed-up", "ms/point extra"))


SCALE_THREADS = [
    # runnable CPU-bound threads (gil-16's program, 4 cores, 1 ms interval),
    # and the two simulated durations whose difference is measured
    (16, 5.0, 50.0),
    (4096, 0.1, 1.0),
    (65536, 0.05, 0.5),
]


def scale_series(gilsim, out, reps):
    """Events per second of wall time with many runnable threads, as a share
    of the rate with 16: the run queue and the wake-up path must not grow
    with the threads.  Each size runs two durations; their difference in
    events over their difference in wall time leaves out building the
    threads, which the memory series measures.  Median of reps."""
    rows, base = [], None
    for n, short, long_ in SCALE_THREADS:
        rates = []
        for _ in range(reps):
            res = []
            for sim_s in (short, long_):
                res.append(run_once(gilsim, "tests/bench/gil16.yaml", sim_s, "none", out,
                                    ["--set", "processes.0.threads.0.count=%d" % n]))
            (w1, e1, _, _, _), (w2, e2, _, _, rss) = res
            rates.append((e2 - e1) / max(w2 - w1, 1e-6))
        rate = statistics.median(rates)
        base = base or rate
        rows.append({"threads": n, "simulated_s": "%g-%g" % (short, long_),
                     "events_per_s": "%.0f" % rate, "share_of_16": "%.2f" % (rate / base),
                     "peak_rss_kb": rss})
    report(out, "scale", rows, "%-10s %12s %12s %12s %12s",
           ("scale", "sim s", "events/s", "share of 16", "RSS KiB"))
    million(gilsim, out)
    cores_series(gilsim, out, reps)
    return rows


def million(gilsim, out):
    """The thread cap: 1,000,000 CPU-bound threads start and run 10 ms
    simulated (target: within 60 s, at most 2 KiB of peak RSS a thread)."""
    n = 1000000
    wall, events, _, _, rss = run_once(gilsim, "tests/bench/gil16.yaml", 0.01, "none", out,
                                       ["--set", "processes.0.threads.0.count=%d" % n])
    rows = [{"threads": n, "simulated_s": "0.01", "wall_s": "%.1f" % wall,
             "peak_rss_kb": rss, "kib_per_thread": "%.2f" % (rss / n)}]
    report(out, "million", rows, "%-10s %12s %10s %12s %14s",
           ("threads", "sim s", "wall s", "RSS KiB", "KiB/thread"))


def cores_series(gilsim, out, reps):
    """Events per second of gil-16 (16 threads, 20 s simulated) on 4 and on
    1,024 cores: a wake-up must not scan the idle cores."""
    rows, base = [], None
    for cores in (4, 1024):
        rates = []
        for _ in range(reps):
            wall, events, _, _, _ = run_once(gilsim, "tests/bench/gil16.yaml", 20, "none", out,
                                             ["--set", "machine.cores=%d" % cores])
            rates.append(events / wall)
        rate = statistics.median(rates)
        base = base or rate
        rows.append({"cores": cores, "events_per_s": "%.0f" % rate,
                     "share_of_4": "%.2f" % (rate / base)})
    report(out, "cores", rows, "%-10s %12s %12s", ("cores", "events/s", "share of 4"))


LINEAR = [
    # name, config, the count's key, n (measured at n and 2n)
    ("gather", "tests/bench/gather.yaml", "functions.main.body.0.count", 45000),
    ("as_completed", "tests/bench/as_completed.yaml", "processes.0.main.0.do.0.count", 50000),
    ("one-lock", "tests/bench/lock.yaml", "processes.0.threads.1.count", 8000),
]


def linear_series(gilsim, out, reps):
    """Ops whose cost per completion must not grow with their size: each
    run at n and 2n (to the end of its program); the wall-time ratio is 2
    when the cost is linear, 4 when quadratic.  Median of reps."""
    rows = []
    for name, config, key, n in LINEAR:
        walls = []
        for size in (n, 2 * n):
            w = [run_once(gilsim, config, 100000, "none", out, ["--set", "%s=%d" % (key, size)])[0]
                 for _ in range(reps)]
            walls.append(statistics.median(w))
        rows.append({"op": name, "n": n, "wall_n_s": "%.3f" % walls[0],
                     "wall_2n_s": "%.3f" % walls[1], "ratio": "%.2f" % (walls[1] / walls[0])})
    report(out, "linear", rows, "%-14s %8s %10s %10s %7s",
           ("linear", "n", "wall n s", "wall 2n s", "ratio"))
    return rows


def print_growth(rows, out):
    report(out, "growth", rows, "%-12s %6s %5s %5s %8s %11s %8s %10s %12s",
           ("growth", "value", "procs", "thr", "sim s", "events", "wall s", "events/s",
            "ms per sim s"))


def markdown(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|---|" + "---:|" * (len(header) - 1))
    for r in rows:
        print("| " + " | ".join(str(v) for v in r) + " |")


def simulated(gilsim, out, which, scale):
    """--simulated: one run of each scenario, or of each growth size; the
    simulated columns only, as a Markdown table."""
    if which == "growth":
        rows = growth(gilsim, os.path.join(out, "growth"), 1, scale)
        return markdown(["growth", "value", "processes", "threads", "simulated s", "events"],
                        [[r[k] for k in ("dimension", "value", "processes", "threads",
                                         "simulated_s", "events")] for r in rows])
    rows = []
    for name, config, seconds, trace in SCENARIOS:
        _, events, trows, size, _ = run_once(gilsim, config, seconds * scale, trace,
                                             os.path.join(out, name))
        rows.append([name, "%g" % (seconds * scale), events, trows or "",
                     "%.1f" % (size / 1e6) if size else ""])
    s = sweep(gilsim, os.path.join(out, "sweep"), 1)
    rows.append([s["scenario"], s["simulated_s"], s["events"], "", ""])
    markdown(["scenario", "simulated s", "events", "trace rows", "trace MB"], rows)


def hold(bench_bin):
    out = subprocess.run([bench_bin], capture_output=True, text=True, check=True).stdout
    return list(csv.DictReader(out.splitlines()))


def ab(base, gilsim, out, reps, scale):
    """The scenarios through both binaries, interleaved."""
    rows = []
    for name, config, seconds, trace in SCENARIOS:
        sim_s = seconds * scale
        walls = {"base": [], "new": []}
        for _ in range(reps):
            for side, binary in (("base", base), ("new", gilsim)):
                walls[side].append(run_once(binary, config, sim_s, trace,
                                            os.path.join(out, name + "-" + side))[0])
        b, n = statistics.median(walls["base"]), statistics.median(walls["new"])
        rows.append({"scenario": name, "simulated_s": "%g" % sim_s, "reps": reps,
                     "base_median_s": "%.3f" % b, "base_min_s": "%.3f" % min(walls["base"]),
                     "base_max_s": "%.3f" % max(walls["base"]),
                     "new_median_s": "%.3f" % n, "new_min_s": "%.3f" % min(walls["new"]),
                     "new_max_s": "%.3f" % max(walls["new"]),
                     "new_over_base": "%.3f" % (n / b)})
    path = os.path.join(out, "ab.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print("%-16s %8s %4s %24s %24s %8s" % ("A/B", "sim s", "reps", "base median (min-max)",
                                          "new median (min-max)", "new/base"))
    for r in rows:
        print("%-16s %8s %4s %24s %24s %8s" % (
            r["scenario"], r["simulated_s"], r["reps"],
            "%s (%s-%s)" % (r["base_median_s"], r["base_min_s"], r["base_max_s"]),
            "%s (%s-%s)" % (r["new_median_s"], r["new_min_s"], r["new_max_s"]),
            r["new_over_base"]))
    print("A/B: %s" % path)


def wasm_series(gilsim, wasm, out, reps):
    """The WebAssembly build (`make web`: build/wasm/gilsim-node, node
    running the same C) against the native one on the scenarios without a
    trace, at their simulated durations, run after run in turn; the ratio of
    the median wall times, and node's start-up (`--version`, included in
    each wasm time), in build/bench/wasm.csv.  Skipped, saying so, without
    the WebAssembly build."""
    if not os.path.exists(wasm):
        print("wasm: skipped, no %s (make web builds it)" % wasm)
        return
    os.makedirs(out, exist_ok=True)
    rows = []
    for name, config, seconds, trace in SCENARIOS:
        if trace != "none":
            continue
        walls = {"native": [], "wasm": []}
        for _ in range(reps):
            for side, binary in (("native", gilsim), ("wasm", wasm)):
                walls[side].append(run_once(binary, config, seconds, trace,
                                            os.path.join(out, side))[0])
        n, w = statistics.median(walls["native"]), statistics.median(walls["wasm"])
        rows.append({"scenario": name, "simulated_s": seconds, "reps": reps,
                     "native_s": "%.3f" % n, "wasm_s": "%.3f" % w,
                     "wasm_over_native": "%.2f" % (w / n)})
    starts = []
    for _ in range(reps):
        t0 = time.monotonic()
        subprocess.run([wasm, "--version"], check=True, stdout=subprocess.DEVNULL)
        starts.append(time.monotonic() - t0)
    rows.append({"scenario": "start-up", "simulated_s": 0, "reps": reps, "native_s": "",
                 "wasm_s": "%.3f" % statistics.median(starts), "wasm_over_native": ""})
    report(out, "wasm", rows, "%-15s %6s %5s %9s %9s %6s",
           ("scenario", "sim s", "reps", "native s", "wasm s", "ratio"))


def labs(gilsim, out, students=200):
    """Wall time of lab make per lab for a roster of `students` ids."""
    os.makedirs(out, exist_ok=True)
    roster = os.path.join(out, "roster.csv")
    with open(roster, "w") as f:
        f.write("student\n" + "".join("s%03d\n" % i for i in range(students)))
    ids = [l.split()[0] for l in subprocess.run([gilsim, "lab", "list"], check=True,
                                                capture_output=True, text=True).stdout.splitlines()]
    rows, total = [], 0.0
    for lab in ids:
        t = time.perf_counter()
        p = subprocess.run([gilsim, "lab", "make", lab, "--roster", roster, "-o",
                            os.path.join(out, lab)], capture_output=True, text=True)
        wall = time.perf_counter() - t
        if p.returncode != 0:
            sys.exit("lab make %s failed: %s" % (lab, p.stderr.strip()))
        distinct = re.search(r"distinct answers: ([0-9.]+%)", p.stdout)
        total += wall
        rows.append({"lab": lab, "students": students, "wall_s": "%.1f" % wall,
                     "distinct": distinct.group(1) if distinct else ""})
    rows.append({"lab": "all", "students": students, "wall_s": "%.1f" % total, "distinct": ""})
    path = os.path.join(out, "labs.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["lab", "students", "wall_s", "distinct"])
        w.writeheader()
        w.writerows(rows)
    print("%-18s %8s %7s %9s" % ("lab", "students", "wall s", "distinct"))
    for r in rows:
        print("%-18s %8s %7s %9s" % (r["lab"], r["students"], r["wall_s"], r["distinct"]))
    print("results: %s" % path)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gilsim", default="build/gilsim")
    ap.add_argument("--hold", default="build/bench/hold")
    ap.add_argument("--out", default="build/bench")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--base", help="an older gilsim binary: measure the scenarios A/B")
    ap.add_argument("--series", choices=["scale", "jobs", "wasm"],
                    help="run only this series")
    ap.add_argument("--wasm", default="build/wasm/gilsim-node",
                    help="the WebAssembly build (make web); its series is skipped when missing")
    ap.add_argument("--simulated", choices=["scenarios", "growth"],
                    help="run each once and print only the simulated figures, in Markdown")
    ap.add_argument("--labs", action="store_true",
                    help="only time lab make of every lab for 200 students")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.labs:
        return labs(a.gilsim, os.path.join(a.out, "labs"))
    if a.series == "jobs":
        return jobs_series(a.gilsim, os.path.join(a.out, "jobs"), a.reps)
    if a.series == "wasm":
        return wasm_series(a.gilsim, a.wasm, os.path.join(a.out, "wasm"), a.reps)
    if a.series == "scale":
        scale_series(a.gilsim, os.path.join(a.out, "scale"), a.reps)
        return linear_series(a.gilsim, os.path.join(a.out, "linear"), a.reps)
    if a.simulated:
        return simulated(a.gilsim, a.out, a.simulated, a.scale)
    if a.base:
        return ab(a.base, a.gilsim, a.out, max(a.reps, 5), a.scale)
    rows = []
    for r in hold(a.hold):
        rows.append({"scenario": "hold-%s" % r["n"], "ns_per_hold": r["ns_per_hold"]})
    for name, config, seconds, trace in SCENARIOS:
        sim_s = seconds * a.scale
        runs = [run_once(a.gilsim, config, sim_s, trace, os.path.join(a.out, name))
                for _ in range(a.reps)]
        wall = statistics.median(r[0] for r in runs)
        events, trows, size, rss = runs[0][1], runs[0][2], runs[0][3], max(r[4] for r in runs)
        rows.append({
            "scenario": name, "simulated_s": "%g" % sim_s, "reps": a.reps,
            "median_wall_s": "%.3f" % wall, "events": events,
            "events_per_s": "%.0f" % (events / wall),
            "trace_rows_per_s": "%.0f" % (trows / wall) if trows else "",
            "trace_mb_per_s": "%.1f" % (size / wall / 1e6) if size else "",
            "peak_rss_kb": rss,
        })
    rows.append(sweep(a.gilsim, os.path.join(a.out, "sweep"), a.reps))
    # The trace writer's own rate: rows over the wall time the trace adds to
    # the same run without it.  End to end, rows/s cannot exceed events/s
    # times rows per event (0.37 on gil-16), whatever the writer does.
    by = {r["scenario"]: r for r in rows}
    if "gil-16" in by and "gil-16-trace" in by:
        t = by["gil-16-trace"]
        extra = float(t["median_wall_s"]) - float(by["gil-16"]["median_wall_s"])
        trows = float(t["trace_rows_per_s"]) * float(t["median_wall_s"])
        t["writer_rows_per_s"] = "%.0f" % (trows / extra) if extra > 0 else ""
    print_results(rows, a.out)
    print()
    out = os.path.join(a.out, "growth")
    print_growth(growth(a.gilsim, out, a.reps, a.scale), out)
    print()
    scale_series(a.gilsim, os.path.join(a.out, "scale"), a.reps)
    linear_series(a.gilsim, os.path.join(a.out, "linear"), a.reps)
    print()
    jobs_series(a.gilsim, os.path.join(a.out, "jobs"), a.reps)
    print()
    wasm_series(a.gilsim, a.wasm, os.path.join(a.out, "wasm"), a.reps)
    print()
    labs(a.gilsim, os.path.join(a.out, "labs"))


def print_results(rows, out):
    fields = ["scenario", "ns_per_hold", "simulated_s", "reps", "median_wall_s", "events",
              "events_per_s", "trace_rows_per_s", "trace_mb_per_s", "writer_rows_per_s",
              "per_run_overhead_ms", "peak_rss_kb"]
    path = os.path.join(out, "results.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    fmt = "%-15s %7s %6s %7s %10s %9s %8s %6s %9s %7s %7s"
    print(fmt % ("scenario", "ns/hold", "sim s", "wall s", "events", "events/s", "rows/s",
                 "MB/s", "writer/s", "ovh ms", "RSS KiB"))
    for r in rows:
        print(fmt % tuple(str(r.get(k, "")) for k in fields if k != "reps"))
    print("results: %s" % path)


if __name__ == "__main__":
    main()
