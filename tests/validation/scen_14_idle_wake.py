"""Scenario 14: how long a wake-up takes onto a core that has been idle for
20 us to 1 ms (s14_idle_wake.py, configs/idle_wake.yaml): the median time
from a pipe write to the blocked reader's read returning on an idle core.
Under KVM a vCPU polls for a while before it halts (halt polling) and is
quick to wake until then; gilsim's os.halt_poll and os.wake_latency_deep."""

from validate import CONFIGS, median, ns

NUMBER = 14
TITLE = "14_idle_wake"

FULL = {"idle_us": (20, 100, 300, 1000), "count": 200, "reps": 3}
QUICK = {"idle_us": (20, 1000), "count": 50, "reps": 1}


def run(v):
    p = v.params(FULL, QUICK)
    idles = ",".join(str(i) for i in p["idle_us"])
    v.say(f"\n{TITLE}: wake-ups onto a core idle for {idles} us, {p['count']} each, "
          f"{p['reps']} run(s)", flush=True)
    real = {i: [] for i in p["idle_us"]}
    if v.measure:
        for _ in range(p["reps"]):
            r = v.real("s14_idle_wake.py", "--idle-us", idles, "--count", p["count"])
            for i in p["idle_us"]:
                real[i].append(r["wake_us"][str(i)])
    for i in p["idle_us"]:
        s = v.sim(CONFIGS / "idle_wake.yaml", f"s14_idle{i}", {
            "processes.0.threads.1.program.1.do.1.cpu": ns(i * 1000),
        })
        sends = [int(r["time_ns"]) for r in s["log"] if r["text"] == "sends"]
        got = [int(r["time_ns"]) for r in s["log"] if r["text"] == "got"][1:]
        v.add(TITLE, f"wake_us idle={i}us", real[i] if v.measure else None,
              median([(b - a) / 1e3 for a, b in zip(sends, got)]), calibrates=i >= 300)
