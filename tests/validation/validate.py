#!/usr/bin/env python3
"""gilsim validation: run the same scenarios on this machine's python3 and in
gilsim, and compare.

    python3 tests/validation/validate.py [--quick] [--out DIR] [--gilsim PATH]
    python3 tests/validation/validate.py --simulated-only --calibration FILE

Writes DIR/validation.csv (scenario,metric,real,simulated,ratio with
ratio = simulated / real), DIR/validation.png (plots/validation.gp),
DIR/raw.json (every sample), the gilsim runs under DIR/sim/, and prints the
table.  The only calibrated quantity is the speed of the counter loop
(workload.py); every gilsim setting is its documented default except
machine.cores=2 and python.switch_interval=5ms (CPython's default), and the
switch interval where scenario 4 varies it.  See tests/validation/README.md.

--simulated-only runs the gilsim side alone, with the calibration and real
values a full run recorded in FILE (tests/validation/sample.csv: the README's
sample), and prints that sample's rows as a Markdown table: the simulated
column as the current gilsim gives it, beside the recorded real one.
"""

import argparse
import csv
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True   # leave no __pycache__ in the source tree
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CONFIGS = HERE / "configs"
SEED_CONFIGS = ROOT / "configs" / "seed"
PLOT = ROOT / "plots" / "validation.gp"

BASE_SETS = {"machine.cores": "2", "python.switch_interval": "5ms"}
CHUNK_ITERS = 1000   # counter-loop iterations per gilsim cpu op
CONVOY_WORK = 200    # iterations of the "tiny bit of work" in scenario 4
CONVOY_SLEEP_S = 0.001

MODES = {
    "full": dict(
        cal_procs=7, cal_seconds=0.4, cal_reps=2,
        s1_threads=[1, 4, 8, 16], s1_seconds=2.0, s1_reps=5,
        s2_seconds=1.0, s2_workers=[1, 2, 4], s2_reps=5,
        s3_threads=[1, 10, 100, 1000], s3_seconds=1.0, s3_reps=2,
        s4_ops=100, s4_intervals_ms=[1, 5, 15], s4_spinners=[0, 1, 2], s4_reps=3,
        s5_scale=1.0, s5_reps=1,
        s6_threads=4, s6_iters=1000000, s6_reps=3,
    ),
    "quick": dict(
        cal_procs=5, cal_seconds=0.1, cal_reps=2,
        s1_threads=[1, 4, 16], s1_seconds=0.5, s1_reps=2,
        s2_seconds=0.3, s2_workers=[1, 2, 4], s2_reps=2,
        s3_threads=[10, 100], s3_seconds=0.2, s3_reps=1,
        s4_ops=30, s4_intervals_ms=[1, 5, 15], s4_spinners=[0, 1, 2], s4_reps=1,
        s5_scale=0.2, s5_reps=1,
        s6_threads=4, s6_iters=200000, s6_reps=1,
    ),
}

ASYNCIO_EXAMPLES = [
    ("ex1_tasks_gather", "asyncio_ex1_tasks_gather.yaml"),
    ("ex2_await_coroutine", "asyncio_ex2_await_coroutine.yaml"),
    ("ex3_blocking_sleep", "asyncio_ex3_blocking_sleep.yaml"),
    ("ex4_synchronous", "asyncio_ex4_synchronous.yaml"),
    ("ex6_await_sleep", "asyncio_ex6_await_sleep.yaml"),
    ("ex6_time_sleep", "asyncio_ex6_time_sleep.yaml"),
]


class Failure(Exception):
    pass


def ns(d):
    """A duration in integer nanoseconds, as a gilsim duration string."""
    return f"{int(round(d))}ns"


def jain(x):
    sq = sum(v * v for v in x)
    return sum(x) ** 2 / (len(x) * sq) if sq > 0 else 1.0


def cv(x):
    mean = sum(x) / len(x)
    if mean <= 0:
        return 0.0
    return (sum((v - mean) ** 2 for v in x) / len(x)) ** 0.5 / mean


def median(xs):
    """None when nothing was measured (--simulated-only)."""
    return statistics.median(xs) if xs else None


def ratio_of(a, b):
    return None if a is None or b is None else a / b


def bad_input(msg):
    print(f"validate: {msg}", file=sys.stderr)
    sys.exit(2)


def load_recorded(path):
    """The real values a full run recorded: {(scenario, metric): real}, in
    the file's order.  Lines starting with # are comments."""
    try:
        with open(path, newline="") as fh:
            lines = [(n, line) for n, line in enumerate(fh, 1) if not line.startswith("#")]
    except (OSError, UnicodeDecodeError) as e:
        bad_input(f"{path}: {getattr(e, 'strerror', None) or e}")
    rows = csv.reader([line for _, line in lines])
    recorded = {}
    for (n, _), row in zip(lines, rows):
        if row == ["scenario", "metric", "real"] and not recorded:
            continue
        try:
            if len(row) != 3:
                raise ValueError
            recorded[row[0], row[1]] = float(row[2])
        except ValueError:
            bad_input(f"{path}:{n}: expected scenario,metric,real with a number, "
                      f"got {','.join(row)!r}")
    cal = recorded.get(("calibration", "ns_per_iteration"))
    if cal is None or not 0 < cal < 1e6:
        bad_input(f"{path}: needs a row calibration,ns_per_iteration,N with 0 < N < 1e6")
    return recorded


class CpuMeter:
    """CPU time used on this machine by everything but the validation itself
    (this process and its children), from /proc/stat: other work steals one
    of the two cores from the real scenarios and shows up as a model error
    that is not one."""

    def __init__(self):
        self.start = self.sample()

    @staticmethod
    def sample():
        try:
            with open("/proc/stat") as fh:
                f = [int(x) for x in fh.readline().split()[1:]]
        except OSError:
            return None
        tick = os.sysconf("SC_CLK_TCK")
        busy = (f[0] + f[1] + f[2] + f[5] + f[6]) / tick   # user nice system irq softirq
        steal = f[7] / tick if len(f) > 7 else 0.0
        own = 0.0
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
            r = resource.getrusage(who)
            own += r.ru_utime + r.ru_stime
        return busy, steal, own, time.monotonic()

    def others(self):
        """(mean number of cores busy with other work, cores stolen by the
        hypervisor) since the start."""
        end = self.sample()
        if self.start is None or end is None:
            return None
        dt = end[3] - self.start[3]
        if dt <= 0:
            return None
        other = (end[0] - self.start[0]) - (end[2] - self.start[2])
        return max(0.0, other / dt), (end[1] - self.start[1]) / dt


class Validation:
    def __init__(self, args):
        self.quick = args.quick
        self.p = MODES["quick" if args.quick else "full"]
        self.out = Path(args.out)
        self.gilsim = Path(args.gilsim)
        self.python = args.python
        self.rows = []       # (scenario, metric, real, simulated)
        self.raw = {"mode": "quick" if self.quick else "full"}
        self.ns_per_iter = None
        self.measure = not args.simulated_only
        self.recorded = load_recorded(args.calibration) if args.calibration else {}

    # ---------------------------------------------------------------- running
    def real(self, script, *args):
        """Run a scenario script on the real python3; return its RESULT json."""
        cmd = [self.python, "-B", str(HERE / script)] + [str(a) for a in args]
        r = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise Failure(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr}")
        for line in reversed(r.stdout.splitlines()):
            if line.startswith("RESULT "):
                return json.loads(line[len("RESULT "):])
        raise Failure(f"{' '.join(cmd)} printed no RESULT line:\n{r.stdout}")

    def sim(self, config, name, sets, seed=1):
        """Run gilsim on a config with --set overrides; return its outputs."""
        d = self.out / "sim" / name
        allsets = dict(BASE_SETS)
        allsets.update(sets)
        cmd = [str(self.gilsim), "run", str(config), "-o", str(d), "-q",
               "--trace", "summary", "--seed", str(seed)]
        for k, v in allsets.items():
            cmd += ["--set", f"{k}={v}"]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise Failure(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr}")

        def read(f):
            with open(d / f, newline="") as fh:
                return list(csv.DictReader(fh))
        return {"summary": read("summary.csv")[0], "threads": read("threads.csv"),
                "log": read("log.csv"), "cmd": cmd}

    @staticmethod
    def mark(res, text):
        for row in res["log"]:
            if row["kind"] == "mark" and row["text"] == text:
                return int(row["time_ns"]) / 1e9
        raise Failure(f"no mark '{text}' in {res['cmd']}")

    def add(self, scenario, metric, real, simulated):
        if real is None:
            real = self.recorded.get((scenario, metric))
        self.rows.append((scenario, metric, real, simulated))
        if not self.measure:
            return
        ratio = simulated / real if real else float("nan")
        shown = "-" if real is None else f"{real:.4g}"     # None: not measurable here
        print(f"  {scenario:<24} {metric:<34} real {shown:>10}  sim {simulated:>10.4g}  "
              f"ratio {ratio:>7.3f}", flush=True)

    def say(self, *args, **kw):
        """Progress, when measuring (--simulated-only prints its table only)."""
        if self.measure:
            print(*args, **kw)

    # ------------------------------------------------------------ calibration
    def calibration(self):
        if not self.measure:
            self.ns_per_iter = self.recorded["calibration", "ns_per_iteration"]
            self.chunk_ns = round(CHUNK_ITERS * self.ns_per_iter)
            self.add("calibration", "ns_per_iteration", None, self.chunk_ns / CHUNK_ITERS)
            return
        p = self.p
        procs, reps, secs = p["cal_procs"], p["cal_reps"], p["cal_seconds"]
        print(f"calibration: counter loop speed, 1 thread, in {procs} fresh processes x {reps} "
              f"runs of {secs} s; median of the per-process medians", flush=True)
        runs = [self.real("workload.py", "--calibrate", "--seconds", secs, "--reps", reps)
                for _ in range(procs)]
        per_proc = [r["ns_per_iter"] for r in runs]
        self.raw["calibration"] = {"per_process": per_proc, "runs": runs}
        self.ns_per_iter = median(per_proc)
        self.chunk_ns = round(CHUNK_ITERS * self.ns_per_iter)
        # What gilsim is given (rounded to whole nanoseconds per 1000 iterations).
        self.add("calibration", "ns_per_iteration", self.ns_per_iter, self.chunk_ns / CHUNK_ITERS)
        lo, hi = min(per_proc), max(per_proc)
        print(f"  -> {runs[0]['python']}: {self.ns_per_iter:.2f} ns per iteration; per process "
              f"{', '.join(f'{x:.1f}' for x in per_proc)}; gilsim cpu op = {CHUNK_ITERS} "
              f"iterations = {self.chunk_ns} ns", flush=True)
        if hi > 1.15 * lo:
            print(f"  note: the loop's speed differs by {100 * (hi / lo - 1):.0f} % between "
                  "processes: this machine's CPU speed drifts; expect that much noise in the "
                  "CPU-bound rows", flush=True)

    # ------------------------------------------------- 1: CPU-bound threads
    def s1_cpu_threads(self):
        p = self.p
        T = p["s1_seconds"]
        sc = "1_cpu_threads"
        self.say(f"\n{sc}: N CPU-bound threads counting for {T} s, {p['s1_reps']} run(s) each "
                 "(repetitions interleaved)", flush=True)
        cfg = CONFIGS / "cpu_threads.yaml"
        keys = ("rate", "cv", "jain", "sw")
        rs = {n: [] for n in p["s1_threads"]}
        ss = {n: [] for n in p["s1_threads"]}
        for rep in range(p["s1_reps"]):
            for n in p["s1_threads"]:
                if self.measure:
                    r = self.real("s1_cpu_threads.py", "--threads", n, "--seconds", T)
                    c = r["counts"]
                    rs[n].append(dict(rate=sum(c) / r["window_s"], cv=cv(c), jain=jain(c),
                                      sw=r["switches"] / r["window_s"], counts=c))
                s = self.sim(cfg, f"s1_n{n}_seed{rep + 1}", {
                    "duration": f"{T}s",
                    "processes.0.threads.0.count": n,
                    "processes.0.threads.0.program.0.do.0.cpu": ns(self.chunk_ns),
                }, seed=rep + 1)
                w = [int(t["work_ns"]) for t in s["threads"] if t["group"] == "worker"]
                ss[n].append(dict(rate=sum(w) / self.ns_per_iter / T, cv=cv(w), jain=jain(w),
                                  sw=int(s["summary"]["gil_switches"]) / T,
                                  counts=[x / self.ns_per_iter for x in w]))
                if self.measure:
                    print(f"  run {rep + 1}, n={n}: real {rs[n][-1]['rate'] / 1e6:.2f} M iter/s, "
                          f"cv {rs[n][-1]['cv']:.3f}; sim {ss[n][-1]['rate'] / 1e6:.2f}, "
                          f"cv {ss[n][-1]['cv']:.3f}", flush=True)
        real = {n: {k: median([x[k] for x in rs[n]]) for k in keys} for n in rs}
        sim = {n: {k: median([x[k] for x in ss[n]]) for k in keys} for n in ss}
        self.raw[sc] = {n: {"real": rs[n], "sim": ss[n]} for n in rs}
        base = p["s1_threads"][0]
        for n in p["s1_threads"]:
            if n == base:
                self.add(sc, f"Miter_per_s n={n}", ratio_of(real[n]["rate"], 1e6),
                         sim[n]["rate"] / 1e6)
                continue
            self.add(sc, f"iters_rel_{base}thr n={n}", ratio_of(real[n]["rate"], real[base]["rate"]),
                     sim[n]["rate"] / sim[base]["rate"])
            self.add(sc, f"cv n={n}", real[n]["cv"], sim[n]["cv"])
            self.add(sc, f"jain n={n}", real[n]["jain"], sim[n]["jain"])
            self.add(sc, f"gil_switches_per_s n={n}", real[n]["sw"], sim[n]["sw"])

    # ------------------------------------- 2: threads vs processes, fixed work
    def s2_threads_vs_processes(self):
        p = self.p
        sc = "2_threads_vs_procs"
        quantum = CHUNK_ITERS * 4 * max(p["s2_workers"])
        iters = max(quantum, round(p["s2_seconds"] * 1e9 / self.ns_per_iter / quantum) * quantum)
        self.say(f"\n{sc}: {iters} iterations (~{p['s2_seconds']} s of 1 thread) split over "
                 f"K threads / K processes, {p['s2_reps']} run(s) each (interleaved)", flush=True)
        cases = [(mode, k) for mode in ("threads", "processes") for k in p["s2_workers"]]
        rs = {c: [] for c in cases}
        ss = {c: [] for c in cases}
        for rep in range(p["s2_reps"]):
            for mode, k in cases:
                if self.measure:
                    rs[mode, k].append(self.real("s2_threads_vs_processes.py", "--mode", mode,
                                                 "--workers", k, "--iters", iters)["wall_s"])
                s = self.sim(CONFIGS / f"threads_vs_processes_{mode}.yaml",
                             f"s2_{mode}_{k}_seed{rep + 1}", {
                                 "processes.0.main.0.count": k,
                                 "processes.0.main.0.args.0": iters // k // CHUNK_ITERS,
                                 "processes.0.main.0.args.1": ns(self.chunk_ns),
                             }, seed=rep + 1)
                ss[mode, k].append(self.mark(s, "wall time"))
        for mode, k in cases:
            self.raw.setdefault(sc, {})[f"{mode}={k}"] = {"real": rs[mode, k], "sim": ss[mode, k]}
            self.add(sc, f"wall_s {mode}={k}", median(rs[mode, k]), median(ss[mode, k]))

    # ------------------------------------------------- 3: I/O-bound threads
    def s3_io_threads(self):
        p = self.p
        S = p["s3_seconds"]
        sc = "3_io_threads"
        self.say(f"\n{sc}: N threads each time.sleep({S}), started then joined, "
                 f"{p['s3_reps']} run(s) each", flush=True)
        cfg = CONFIGS / "io_threads.yaml"
        for n in p["s3_threads"]:
            rs, ss = [], []
            for rep in range(p["s3_reps"]):
                if self.measure:
                    rs.append(self.real("s3_io_threads.py", "--threads", n, "--seconds", S)["wall_s"])
                s = self.sim(cfg, f"s3_n{n}_seed{rep + 1}", {
                    "processes.0.main.0.count": n,
                    "processes.0.main.0.args.0": ns(S * 1e9),
                }, seed=rep + 1)
                ss.append(self.mark(s, "wall time"))
            self.raw.setdefault(sc, {})[n] = {"real": rs, "sim": ss}
            r, s = median(rs), median(ss)
            self.add(sc, f"wall_s n={n}", r, s)
            self.add(sc, f"overhead_ms n={n}", None if r is None else (r - S) * 1e3, (s - S) * 1e3)

    # ------------------------------------------------------------ 4: convoy
    def s4_convoy(self):
        p = self.p
        K = p["s4_ops"]
        sc = "4_convoy"
        self.say(f"\n{sc}: {K} x (time.sleep(1 ms) + {CONVOY_WORK} iterations) beside 0/1/2 "
                 f"CPU-bound threads, {p['s4_reps']} run(s) each (interleaved); "
                 "metric: extra ms per operation", flush=True)
        work_ns = CONVOY_WORK * self.ns_per_iter
        cases = [(si, nspin) for si in p["s4_intervals_ms"] for nspin in p["s4_spinners"]]
        rs = {c: [] for c in cases}
        ss = {c: [] for c in cases}
        for rep in range(p["s4_reps"]):
            for si, nspin in cases:
                if self.measure:
                    rs[si, nspin].append(self.real(
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
                                 "processes.0.main.0.args.0": ns(self.chunk_ns),
                                 "processes.0.main.2.repeat": K,
                                 "processes.0.main.2.do.1.cpu": ns(work_ns)})
                s = self.sim(cfg, f"s4_si{si}_spin{nspin}_seed{rep + 1}", sets, seed=rep + 1)
                total = self.mark(s, "end") - self.mark(s, "start")
                ss[si, nspin].append((total / K - CONVOY_SLEEP_S) * 1e3)
        for si, nspin in cases:
            self.raw.setdefault(sc, {})[f"si={si}ms spin={nspin}"] = {"real": rs[si, nspin],
                                                                      "sim": ss[si, nspin]}
            self.add(sc, f"extra_ms_per_op si={si}ms spin={nspin}", median(rs[si, nspin]),
                     median(ss[si, nspin]))

    # -------------------------------------------------- 5: asyncio examples
    def s5_asyncio(self):
        p = self.p
        scale = p["s5_scale"]
        sc = "5_asyncio"
        self.say(f"\n{sc}: the course notes' asyncio examples, sleeps x {scale:g}", flush=True)
        cdir = self.out / "configs"
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
            for rep in range(p["s5_reps"]):
                if self.measure:
                    rs.append(self.real("s5_asyncio.py", "--example", example,
                                        "--scale", scale)["total_s"])
                ss.append(self.mark(self.sim(cfg, f"s5_{example}_seed{rep + 1}", {}, seed=rep + 1),
                                    "Total time"))
            self.raw.setdefault(sc, {})[example] = {"real": rs, "sim": ss}
            self.add(sc, f"total_s {example}", median(rs), median(ss))

    # ------------------------------------------------------- 6: lost updates
    def s6_lost_updates(self):
        p = self.p
        n, m = p["s6_threads"], p["s6_iters"]
        sc = "6_lost_updates"
        self.say(f"\n{sc}: {n} threads x {m} x `counter += 1` / `counter += f()`, "
                 f"{p['s6_reps']} run(s) each; metric: fraction of the updates lost", flush=True)
        cfg = CONFIGS / "lost_updates.yaml"
        # (case, real python3 runs it, gilsim's python.version, call)
        cases = [("plain", True, "3.11", False), ("call", True, "3.11", True),
                 ("plain py3.9", False, "3.9", False)]
        for case, real_too, version, call in cases:
            rs, ss = [], []
            for rep in range(p["s6_reps"]):
                if self.measure and real_too:
                    r = self.real("s6_lost_updates.py", "--threads", n, "--iters", m,
                                  *(["--call"] if call else []))
                    rs.append(r["lost"] / r["updates"])
                s = self.sim(cfg, f"s6_{case.replace(' ', '_')}_seed{rep + 1}", {
                    "python.version": version,
                    "processes.0.threads.0.count": n,
                    "processes.0.threads.0.program.0.repeat": m,
                    "processes.0.threads.0.program.0.do.0.call": str(call).lower(),
                }, seed=rep + 1)
                ss.append(int(s["summary"]["lost_updates"]) / (n * m))
            self.raw.setdefault(sc, {})[case] = {"real": rs, "sim": ss}
            self.add(sc, f"lost_fraction {case}", median(rs), median(ss))

    # ---------------------------------------------------------------- output
    def write(self):
        path = self.out / "validation.csv"
        with open(path, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["scenario", "metric", "real", "simulated", "ratio"])
            for sc, metric, real, sim in self.rows:
                ratio = f"{sim / real:.4g}" if real else ""
                w.writerow([sc, metric, "" if real is None else f"{real:.6g}", f"{sim:.6g}",
                            ratio])
        with open(self.out / "raw.json", "w") as fh:
            json.dump(self.raw, fh, indent=1)
        return path

    def table(self):
        print()
        hdr = f"{'scenario':<20} {'metric':<34} {'real':>11} {'simulated':>11} {'ratio':>7}"
        print(hdr)
        print("-" * len(hdr))
        last = None
        for sc, metric, real, sim in self.rows:
            if last is not None and sc != last:
                print()
            last = sc
            ratio = f"{sim / real:7.3f}" if real else "      -"
            flag = ""
            if real and (sim / real > 1.5 or sim / real < 1 / 1.5):
                flag = "  <-- off by more than 1.5x"
            shown = "-" if real is None else f"{real:.4g}"
            print(f"{sc:<20} {metric:<34} {shown:>11} {sim:>11.4g} {ratio}{flag}")

    def markdown(self):
        """The recorded rows as a Markdown table, in the recorded file's order."""
        sim = {(sc, metric): (real, s) for sc, metric, real, s in self.rows}
        for key in self.recorded:
            if key not in sim:
                bad_input(f"the recorded row {key[0]},{key[1]} is no row of this run")
        print("| scenario | metric | real | simulated | ratio |")
        print("|---|---|---:|---:|---:|")
        for key in self.recorded:
            real, s = sim[key]
            ratio = f"{s / real:.2f}" if real else ""
            print(f"| {key[0]} | {key[1]} | {real:.4g} | {s:.4g} | {ratio} |")

    def plot(self):
        if not shutil.which("gnuplot"):
            print("gnuplot not found: no plot", file=sys.stderr)
            return None
        mode = "quick" if self.quick else "full"
        cal = f"{self.ns_per_iter:.1f} ns/iteration"
        r = subprocess.run(["gnuplot", "-c", str(PLOT), str(self.out), mode, cal],
                           capture_output=True, text=True)
        if r.returncode != 0 or r.stderr.strip():
            print(f"gnuplot: {r.stderr.strip()}", file=sys.stderr)
        png = self.out / "validation.png"
        return png if png.exists() else None


def run_scenarios(v, scenarios, only):
    v.calibration()
    for i, fn in enumerate(scenarios, 1):
        if only is None or str(i) in only:
            fn()


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="a subset with shorter durations (under a minute)")
    ap.add_argument("--out", default="build/validation", help="output folder (build/validation)")
    ap.add_argument("--gilsim", default="build/gilsim", help="the gilsim binary (build/gilsim)")
    ap.add_argument("--python", default=sys.executable,
                    help="the Python that runs the real scenarios (this one)")
    ap.add_argument("--only", help="comma-separated scenario numbers to run, e.g. 1,4 "
                    "(the calibration always runs)")
    ap.add_argument("--simulated-only", action="store_true",
                    help="run the gilsim side only, with --calibration's recorded run, and "
                    "print its rows as a Markdown table")
    ap.add_argument("--calibration", metavar="FILE",
                    help="a recorded run's real values (scenario,metric,real), its "
                    "calibration row included, e.g. tests/validation/sample.csv")
    args = ap.parse_args()
    if args.simulated_only != bool(args.calibration):
        ap.error("--simulated-only and --calibration FILE go together")
    return args


def main():
    args = parse_args()
    if not os.access(args.gilsim, os.X_OK):
        sys.exit(f"validate: no gilsim binary at {args.gilsim} (make build/gilsim, or --gilsim PATH)")
    v = Validation(args)
    v.out.mkdir(parents=True, exist_ok=True)
    if (v.out / "sim").exists():
        shutil.rmtree(v.out / "sim")
    scenarios = [v.s1_cpu_threads, v.s2_threads_vs_processes, v.s3_io_threads, v.s4_convoy,
                 v.s5_asyncio, v.s6_lost_updates]
    only = set(args.only.split(",")) if args.only else None
    if not v.measure:
        try:
            run_scenarios(v, scenarios, only)
        except Failure as e:
            sys.exit(f"validate: {e}")
        v.write()
        return v.markdown()
    measure(v, args, scenarios, only)


def measure(v, args, scenarios, only):
    """The real scenarios and gilsim's, with the machine's load around them."""
    t0 = time.monotonic()
    meter = CpuMeter()
    load = os.getloadavg()[0]
    ver = subprocess.run([args.gilsim, "--version"], capture_output=True, text=True).stdout.strip()
    pyver = subprocess.run([args.python, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"gilsim validation ({'quick' if args.quick else 'full'}): {pyver} vs {ver}, "
          f"{os.cpu_count()} CPUs, load average {load:.2f}")
    print("gilsim: documented defaults, plus machine.cores=2 and python.switch_interval=5ms "
          "(CPython's default)\n")
    if load > 0.5:
        print(f"warning: load average {load:.2f}: other work on this machine makes the real "
              "timings noisy\n")
    v.raw.update(python=pyver, gilsim=ver, load_before=load, cpus=os.cpu_count())

    try:
        run_scenarios(v, scenarios, only)
    except Failure as e:
        sys.exit(f"validate: {e}")
    finally:
        other = meter.others()
        if v.rows:
            v.raw["elapsed_s"] = time.monotonic() - t0
            if other:
                v.raw["other_cores_busy"], v.raw["steal_cores"] = other
            path = v.write()

    v.table()
    png = v.plot()
    elapsed = time.monotonic() - t0
    print(f"\nratio = simulated / real; calibrated: the counter loop's speed only "
          f"({v.ns_per_iter:.2f} ns/iteration on this machine).")
    print(f"files: {path}, {v.out / 'raw.json'}" + (f", {png}" if png else "")
          + f"; gilsim runs in {v.out / 'sim'}")
    print(f"validation took {elapsed:.0f} s (load average now {os.getloadavg()[0]:.2f})")
    if other:
        busy, steal = other
        print(f"other processes kept {busy:.2f} of {os.cpu_count()} cores busy on average during "
              f"the run (hypervisor steal {steal:.2f})")
        if busy > 0.1 or steal > 0.1:
            print("warning: the machine was not idle: the real timings (and the ratios) are "
                  "disturbed; run again on an idle machine")


if __name__ == "__main__":
    main()
