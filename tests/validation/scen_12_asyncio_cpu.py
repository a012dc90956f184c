"""Scenario 12: an asyncio loop with ten ready tasks (a CPU step, then
`await asyncio.sleep(0)`) beside a CPU-bound thread: each side's share of
the run.  The loop's select(0) on every pass releases the GIL; whether the
CPU-bound thread gets it then depends on its wake-up against that
syscall."""

from validate import CONFIGS, ns

NUMBER = 12
TITLE = "12_asyncio_cpu"

TASKS = 10
STEP_ITERS = 2000    # counter iterations per task step

FULL = {
    "seconds": 2.0,
    "reps": 3,
}
QUICK = {
    "seconds": 0.5,
    "reps": 1,
}

# Ops of the loop's thread that are not task steps: asyncio_run's call and
# op, create_task, amain's await; each step is two ops (cpu, sleep(0)).
LOOP_OTHER_OPS = 3


def run(v):
    p = v.params(FULL, QUICK)
    sc = TITLE
    v.say(f"\n{sc}: {TASKS} asyncio tasks of {STEP_ITERS}-iteration steps + sleep(0) beside "
          f"a CPU-bound thread, {p['seconds']:g} s, {p['reps']} run(s); "
          "metric: each side's share of the run", flush=True)
    step_ns = STEP_ITERS * v.ns_per_iter
    sets = {"duration": f"{p['seconds']:g}s",
            "functions.spin.body.0.do.0.cpu": ns(v.chunk_ns),
            "functions.step.body.0.do.0.cpu": ns(step_ns),
            "functions.amain.body.0.count": TASKS}
    real = {"cpu_share": [], "loop_share": []}
    sim = {"cpu_share": [], "loop_share": []}
    window_ns = p["seconds"] * 1e9
    for rep in range(p["reps"]):
        if v.measure:
            r = v.real("s12_asyncio_cpu.py", "--tasks", TASKS, "--step", STEP_ITERS,
                       "--seconds", p["seconds"], "--ns-per-iter", v.ns_per_iter)
            real["cpu_share"].append(r["cpu_share"])
            real["loop_share"].append(r["loop_share"])
        s = v.sim(CONFIGS / "asyncio_cpu.yaml", f"s12_seed{rep + 1}", sets, seed=rep + 1)
        threads = {t["thread"]: t for t in s["threads"]}
        spin_ops = int(threads["spin"]["ops_done"])
        steps = (int(threads["loop"]["ops_done"]) - LOOP_OTHER_OPS) // 2
        sim["cpu_share"].append(spin_ops * v.chunk_ns / window_ns)
        sim["loop_share"].append(steps * step_ns / window_ns)
    for metric in ("cpu_share", "loop_share"):
        v.raw.setdefault(sc, {})[metric] = {"real": real[metric] if v.measure else None,
                                            "sim": sim[metric]}
        v.add(sc, metric, real[metric] if v.measure else None, sim[metric])
