"""Scenario 13: how many messages of 1, 100, 1000 and 4096 bytes a pipe and a
socketpair take before a send blocks: the kernel's buffer, counted in pages
(a pipe) or skb truesize against sk_sndbuf (a socketpair)."""

from validate import CONFIGS

NUMBER = 13
TITLE = "13_chan_buffer"

FULL = {"sizes": (1, 100, 1000, 4096), "reps": 3}
QUICK = {"sizes": (1, 4096), "reps": 1}
KINDS = ("pipe", "socketpair")


def run(v):
    p = v.params(FULL, QUICK)
    sc = TITLE
    sizes = ",".join(str(b) for b in p["sizes"])
    v.say(f"\n{sc}: messages of {sizes} bytes that fit in a pipe and a socketpair "
          f"before a send blocks, {p['reps']} run(s)", flush=True)
    real = {(k, b): [] for k in KINDS for b in p["sizes"]}
    if v.measure:
        for _ in range(p["reps"]):
            r = v.real("s13_chan_buffer.py", "--sizes", sizes)
            for k in KINDS:
                for b in p["sizes"]:
                    real[(k, b)].append(r[k][str(b)])
    for k in KINDS:
        for b in p["sizes"]:
            s = v.sim(CONFIGS / "chan_buffer.yaml", f"s13_{k}_{b}", {
                "objects.0.kind": k,
                "processes.0.threads.0.program.0.do.0.bytes": b,
            })
            fit = int(s["threads"][0]["ops_done"])
            v.add(sc, f"messages_that_fit {k} bytes={b}", real[(k, b)] if v.measure else None, fit)
