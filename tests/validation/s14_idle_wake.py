"""Scenario 14: how long a wake-up takes onto a CPU that has been idle for a
given time.

Two threads share two pipes: a reader pinned to CPU 1 blocks in os.read; a
writer pinned to CPU 0 spins in Python for --idle-us microseconds, takes the
time and writes one byte; the reader takes the time as its read returns and
writes its timestamp back, then blocks again.  So CPU 1 has been idle for
about the spin when the byte arrives.  Both threads hold the GIL only
between their system calls.

    python3 s14_idle_wake.py --idle-us 20,100,300,1000 --count 200

prints one line per idle time and `RESULT {"wake_us": {"20": median, ...}}`.
"""

import argparse
import json
import os
import statistics
import struct
import threading
import time


def reader(rfd, back, count):
    os.sched_setaffinity(0, {1})
    for _ in range(count):
        os.read(rfd, 1)
        t = time.perf_counter_ns()
        os.write(back, struct.pack("q", t))


def measure(idle_ns, count):
    r, w = os.pipe()
    br, bw = os.pipe()
    th = threading.Thread(target=reader, args=(r, bw, count + 1))
    th.start()
    os.sched_setaffinity(0, {0})
    os.write(w, b"x")                   # a first round trip: both are running
    os.read(br, 8)
    lat = []
    for _ in range(count):
        end = time.perf_counter_ns() + idle_ns
        while time.perf_counter_ns() < end:
            pass
        t0 = time.perf_counter_ns()
        os.write(w, b"x")
        (t1,) = struct.unpack("q", os.read(br, 8))
        lat.append((t1 - t0) / 1e3)
    th.join()
    for fd in (r, w, br, bw):
        os.close(fd)
    return statistics.median(lat)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--idle-us", default="20,100,300,1000")
    ap.add_argument("--count", type=int, default=200)
    a = ap.parse_args()
    res = {}
    for idle in (int(x) for x in a.idle_us.split(",")):
        res[str(idle)] = measure(idle * 1000, a.count)
        print(f"CPU idle {idle:5d} us: the read returns {res[str(idle)]:.1f} us after the write")
    print("RESULT " + json.dumps({"wake_us": res}))


if __name__ == "__main__":
    main()
