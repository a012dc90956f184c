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
values a full run recorded in FILE (tests/validation/sample.csv: tests/README.md's
sample), and prints that sample's rows as a Markdown table: the simulated
column as the current gilsim gives it, beside the recorded real one.
"""

import argparse
import csv
import json
import os
import importlib
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

# The machine the sample was measured on: 2 vCPUs of a KVM guest, whose
# timer interrupts and exits from a halted vCPU are far slower than bare
# metal's (gilsim's defaults).  Its own scenarios measure them, and these
# keys are set from their rows, which the table then marks "calibration"
# and does not count (the machine drifts between runs by 10-30 %):
#  - scenario 9: a 1 ms sleep overshoots by 95 us beside a spinner (busy
#    core) and by 115 us alone (idle core), of which 50 us is timer slack;
#    the rest is os.timer_latency and os.timer_latency_idle;
#  - scenario 14: a pipe write wakes a reader on a vCPU idle for 300 us or
#    1 ms in 80-104 us, against 14-15 us after 20-100 us: KVM polls a
#    halted vCPU for a while before it deschedules it (halt_poll_ns, 200 us
#    by default: os.halt_poll's default).  The slow wake-up, less the 3 us
#    write and the 3 us the woken read takes to finish (os.socket_syscall
#    each), is os.wake_latency_deep.
# The same keys then shape every GIL hand-over, convoy and wake-up of the
# other scenarios.
BASE_SETS = {"machine.cores": "2", "python.switch_interval": "5ms",
             "os.timer_latency": "lognormal(45us, 0.1)",
             "os.timer_latency_idle": "lognormal(66us, 0.15)",
             "os.wake_latency_deep": "lognormal(74us, 0.1)"}
CHUNK_ITERS = 1000   # counter-loop iterations per gilsim cpu op

CALIBRATION = {
    "full": dict(procs=7, seconds=0.4, reps=2),
    "quick": dict(procs=5, seconds=0.1, reps=2),
}
MATCH_WITHIN = 0.10   # a simulated figure within 10 % of the real median matches


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


RECORDED_HEADER = ["scenario", "metric", "real", "real_min", "real_max"]


def load_recorded(path):
    """The real values a full run recorded: {(scenario, metric): (median,
    min, max)}, in the file's order; min and max (the spread of the
    repetitions) may be empty.  Lines starting with # are comments."""
    try:
        with open(path, newline="") as fh:
            lines = [(n, line) for n, line in enumerate(fh, 1) if not line.startswith("#")]
    except (OSError, UnicodeDecodeError) as e:
        bad_input(f"{path}: {getattr(e, 'strerror', None) or e}")
    rows = csv.reader([line for _, line in lines])
    recorded = {}
    for (n, _), row in zip(lines, rows):
        if row == RECORDED_HEADER and not recorded:
            continue
        try:
            if len(row) != 5 or (row[3] == "") != (row[4] == ""):
                raise ValueError
            spread = (float(row[3]), float(row[4])) if row[3] else (None, None)
            recorded[row[0], row[1]] = (float(row[2]),) + spread
        except ValueError:
            bad_input(f"{path}:{n}: expected {','.join(RECORDED_HEADER)} with numbers "
                      f"(min and max both given or both empty), got {','.join(row)!r}")
    cal = recorded.get(("calibration", "ns_per_iteration"), (None,))[0]
    if cal is None or not 0 < cal < 1e6:
        bad_input(f"{path}: needs a row calibration,ns_per_iteration,N with 0 < N < 1e6")
    return recorded


class Row:
    """A row of the table: the real median and spread (None when unknown)
    and the simulated figure."""

    def __init__(self, scenario, metric, real, lo, hi, sim, calibrates=False):
        self.scenario, self.metric = scenario, metric
        self.real, self.lo, self.hi, self.sim = real, lo, hi, sim
        self.calibrates = calibrates


def matches(row):
    """'yes' when the simulated figure is within MATCH_WITHIN of the real
    median or inside the real spread (min..max of the repetitions), 'no'
    when not, '' when there is no real figure; 'calibration' for a row a
    key of BASE_SETS was set from, which is not counted."""
    if row.real is None:
        return ""
    if row.calibrates:
        return "calibration"
    if row.lo is not None and row.lo <= row.sim <= row.hi:
        return "yes"
    if row.real == 0:
        return "yes" if row.sim == 0 else "no"
    # rounded: 110 against 100 is within 10 %, whatever binary floating point says
    return "yes" if round(abs(row.sim / row.real - 1), 9) <= MATCH_WITHIN else "no"


def spread(row):
    return "" if row.lo is None else f"{row.lo:.4g}..{row.hi:.4g}"


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
        self.out = Path(args.out)
        self.gilsim = Path(args.gilsim)
        self.python = args.python
        self.rows = []       # Row
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

    def sim(self, config, name, sets, seed=1, trace="summary"):
        """Run gilsim on a config with --set overrides; return its outputs
        (with trace="full", also trace.csv's rows as "trace")."""
        d = self.out / "sim" / name
        allsets = dict(BASE_SETS)
        allsets.update(sets)
        cmd = [str(self.gilsim), "run", str(config), "-o", str(d), "-q",
               "--trace", trace, "--seed", str(seed)]
        for k, v in allsets.items():
            cmd += ["--set", f"{k}={v}"]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise Failure(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr}")

        def read(f):
            with open(d / f, newline="") as fh:
                return list(csv.DictReader(fh))
        res = {"summary": read("summary.csv")[0], "threads": read("threads.csv"),
               "log": read("log.csv"), "cmd": cmd}
        if trace == "full":
            res["trace"] = read("trace.csv")
        return res

    def params(self, full, quick):
        """A scenario's parameters for this mode."""
        return quick if self.quick else full

    @staticmethod
    def mark_gaps(res, text, since_ns=0):
        """The times in ns between consecutive marks `text` of a run, the
        first measured from since_ns."""
        at = [int(r["time_ns"]) for r in res["log"] if r["kind"] == "mark" and r["text"] == text]
        return [b - a for a, b in zip([since_ns] + at, at)]

    @staticmethod
    def mark(res, text):
        for row in res["log"]:
            if row["kind"] == "mark" and row["text"] == text:
                return int(row["time_ns"]) / 1e9
        raise Failure(f"no mark '{text}' in {res['cmd']}")

    def add(self, scenario, metric, real, simulated, calibrates=False):
        """One row.  real: the repetitions of the real measurement (a list:
        its median, and with two or more its min..max as the spread), one
        number, or None (not measured here: the recorded run's value, if
        any); simulated: a number or the repetitions (their median);
        calibrates: a key of BASE_SETS was set from this row."""
        lo = hi = None
        if isinstance(real, list):
            real, lo, hi = ((median(real), min(real), max(real)) if len(real) > 1 else
                            (real[0] if real else None, None, None))
        if real is None:
            real, lo, hi = self.recorded.get((scenario, metric), (None, None, None))
        if isinstance(simulated, list):
            simulated = median(simulated)
        row = Row(scenario, metric, real, lo, hi, simulated, calibrates)
        self.rows.append(row)
        if not self.measure:
            return
        ratio = simulated / real if real else float("nan")
        shown = "-" if real is None else f"{real:.4g}"     # None: not measurable here
        print(f"  {scenario:<24} {metric:<34} real {shown:>10}{spread(row):>20}  "
              f"sim {simulated:>10.4g}  ratio {ratio:>7.3f}  {matches(row)}", flush=True)

    def say(self, *args, **kw):
        """Progress, when measuring (--simulated-only prints its table only)."""
        if self.measure:
            print(*args, **kw)

    # ------------------------------------------------------------ calibration
    def calibration(self):
        if not self.measure:
            self.ns_per_iter = self.recorded["calibration", "ns_per_iteration"][0]
            self.chunk_ns = round(CHUNK_ITERS * self.ns_per_iter)
            self.add("calibration", "ns_per_iteration", None, self.chunk_ns / CHUNK_ITERS)
            return
        p = CALIBRATION["quick" if self.quick else "full"]
        procs, reps, secs = p["procs"], p["reps"], p["seconds"]
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

    # ---------------------------------------------------------------- output
    def write(self):
        path = self.out / "validation.csv"
        with open(path, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["scenario", "metric", "real", "simulated", "ratio", "real_min",
                        "real_max", "match"])

            def num(x):
                return "" if x is None else f"{x:.6g}"
            for r in self.rows:
                ratio = f"{r.sim / r.real:.4g}" if r.real else ""
                w.writerow([r.scenario, r.metric, num(r.real), num(r.sim), ratio, num(r.lo),
                            num(r.hi), matches(r)])
        with open(self.out / "raw.json", "w") as fh:
            json.dump(self.raw, fh, indent=1)
        return path

    def table(self):
        print()
        hdr = (f"{'scenario':<20} {'metric':<34} {'real':>11} {'real spread':>20} "
               f"{'simulated':>11} {'ratio':>7} match")
        print(hdr)
        print("-" * len(hdr))
        last = None
        for r in self.rows:
            if last is not None and r.scenario != last:
                print()
            last = r.scenario
            ratio = f"{r.sim / r.real:7.3f}" if r.real else "      -"
            shown = "-" if r.real is None else f"{r.real:.4g}"
            print(f"{r.scenario:<20} {r.metric:<34} {shown:>11} {spread(r):>20} {r.sim:>11.4g} "
                  f"{ratio} {matches(r)}")
        judged = [r for r in self.rows if matches(r) in ("yes", "no")]
        good = sum(matches(r) == "yes" for r in judged)
        print(f"\n{good} of {len(judged)} rows match (simulated within "
              f"{MATCH_WITHIN:.0%} of the real median, or inside the real spread)")

    def markdown(self):
        """The recorded rows as a Markdown table, in the recorded file's order."""
        rows = {(r.scenario, r.metric): r for r in self.rows}
        for key in self.recorded:
            if key not in rows:
                bad_input(f"the recorded row {key[0]},{key[1]} is no row of this run")
        print("| scenario | metric | real | real spread | simulated | ratio | match |")
        print("|---|---|---:|---:|---:|---:|---|")
        good = judged = 0
        for key in self.recorded:
            r = rows[key]
            ratio = f"{r.sim / r.real:.2f}" if r.real else ""
            good += matches(r) == "yes"
            judged += matches(r) in ("yes", "no")
            print(f"| {key[0]} | {key[1]} | {r.real:.4g} | {spread(r)} | {r.sim:.4g} | {ratio} "
                  f"| {matches(r)} |")
        print(f"\n{good} of {judged} rows match; {len(self.recorded) - judged} calibrate.")

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


def find_scenarios():
    """The scenario modules scen_NN_*.py beside this file, by NUMBER."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    mods = [importlib.import_module(p.stem) for p in sorted(HERE.glob("scen_[0-9][0-9]_*.py"))]
    mods.sort(key=lambda m: m.NUMBER)
    numbers = [m.NUMBER for m in mods]
    if len(set(numbers)) != len(numbers):
        sys.exit(f"validate: two scenario files have the same NUMBER: {numbers}")
    return mods


def run_scenarios(v, scenarios, only):
    v.calibration()
    for m in scenarios:
        if only is None or str(m.NUMBER) in only:
            m.run(v)


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
    scenarios = find_scenarios()
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
