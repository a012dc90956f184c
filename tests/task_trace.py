"""task_trace.py TRACE_JSON TASKS_CSV -- checks trace.json's asyncio task
tracks against tasks.csv and prints the arrows between task steps.

Checked, failing with a message (exit 1) otherwise:
  - trace.json is JSON (Python's json module, a real parser);
  - every task of tasks.csv has a track "Task-N coroutine" in its process,
    whose slices (cat "task") follow each other without gap or overlap
    from created_ns, are named running, ready or await sleep|io|gather,
    and add up to running_ns, ready_ns and awaiting_ns exactly, with one
    running slice per step;
  - every flow id has one "s" and one "f" (with "bp":"e") of the same name
    and cat; each binds, as a viewer binds it, to the slice that encloses
    its time on its track, strictly inside (so no viewer can pick the
    neighbour), and that slice is a running step; the "s" comes first.
Prints one line per arrow, in id order:
  NAME FROM_TASK#STEP -> TO_TASK#STEP
(steps counted from 1 on each task's track)."""
import csv
import json
import sys

AWAITS = {"await sleep", "await io", "await gather"}


def fail(msg):
    print("task_trace: " + msg, file=sys.stderr)
    sys.exit(1)


def ns(us):
    """A trace.json time (µs, three decimals) as integer ns."""
    return round(us * 1000)


def tracks(events, tasks):
    """Each task's slices, by (pid, tid), checked against its row."""
    procs = {e["pid"]: e["args"]["name"] for e in events
             if e.get("ph") == "M" and e["name"] == "process_name"}
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
             if e.get("ph") == "M" and e["name"] == "thread_name"}
    by_name = {}
    for key, name in names.items():
        by_name.setdefault(name, []).append(key)
    slices = {}
    for e in events:
        if e.get("ph") == "X" and e.get("cat") == "task":
            slices.setdefault((e["pid"], e["tid"]), []).append(
                (ns(e["ts"]), ns(e["dur"]), e["name"]))
    out = {}
    for row in tasks:
        label = row["task"] + " " + row["coroutine"]
        keys = [k for k in by_name.get(label, []) if procs.get(k[0]) == row["process"]]
        if len(keys) != 1:
            fail("%s: %d tracks named %r in process %s" % (row["task"], len(keys), label,
                                                        row["process"]))
        track = sorted(slices.get(keys[0], []))
        at = int(row["created_ns"])
        sums = {"running": 0, "ready": 0, "await": 0}
        for ts, dur, name in track:
            if ts != at:
                fail("%s: a slice starts at %d ns, the one before ended at %d" %
                     (row["task"], ts, at))
            if name not in AWAITS and name not in ("running", "ready"):
                fail("%s: a slice named %r" % (row["task"], name))
            sums["await" if name in AWAITS else name] += dur
            at = ts + dur
        if row["finished_ns"] and at != int(row["finished_ns"]):
            fail("%s: the slices end at %d ns, not at finished_ns" % (row["task"], at))
        want = {"running": row["running_ns"], "ready": row["ready_ns"],
                "await": row["awaiting_ns"]}
        for k in sums:
            if sums[k] != int(want[k]):
                fail("%s: %s slices add up to %d ns, tasks.csv says %s" %
                     (row["task"], k, sums[k], want[k]))
        steps = [(ts, dur) for ts, dur, name in track if name == "running"]
        if len(steps) != int(row["steps"]):
            fail("%s: %d running slices for %s steps" % (row["task"], len(steps), row["steps"]))
        out[keys[0]] = (row["task"], steps)
    return out


def bind(task_tracks, e):
    """The task and step a flow event binds to: the running slice that
    encloses its time strictly (a slice under 2 ns: at its start)."""
    key = (e["pid"], e["tid"])
    if key not in task_tracks:
        fail("flow %s binds to no task track: %r" % (e["id"], key))
    task, steps = task_tracks[key]
    t = ns(e["ts"])
    for i, (ts, dur) in enumerate(steps):
        if ts < t < ts + dur or (dur < 2 and t == ts):
            return task, i + 1, t
    fail("flow %s %s at %d ns is strictly inside no running step of %s" % (e["id"], e["ph"], t,
                                                                         task))


def main():
    try:
        events = json.load(open(sys.argv[1]))["traceEvents"]
    except (OSError, ValueError, KeyError) as err:
        fail("%s: %s" % (sys.argv[1], err))
    tasks = list(csv.DictReader(open(sys.argv[2], newline="")))
    task_tracks = tracks(events, tasks)
    flows = {}
    for e in events:
        if e.get("ph") in ("s", "f"):
            flows.setdefault(e["id"], []).append(e)
    for fid in sorted(flows):
        ends = {e["ph"]: e for e in flows[fid]}
        if len(flows[fid]) != 2 or set(ends) != {"s", "f"}:
            fail("flow %s: %d events, not one s and one f" % (fid, len(flows[fid])))
        s, f = ends["s"], ends["f"]
        if (s["name"], s["cat"]) != (f["name"], f["cat"]) or f.get("bp") != "e":
            fail("flow %s: its ends differ in name or cat, or f has no bp e" % fid)
        src, dst = bind(task_tracks, s), bind(task_tracks, f)
        if src[2] >= dst[2]:
            fail("flow %s ends before it starts" % fid)
        print("%s %s#%d -> %s#%d" % (s["name"], src[0], src[1], dst[0], dst[1]))


main()
