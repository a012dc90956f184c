"""Scenario 7: ping-pong over a socketpair, beside 0 or 1 CPU-bound thread.

Two threads of one process pass one byte back and forth over
socket.socketpair(): the pinger sends on its end and waits for the answer,
the ponger answers each byte it receives.  With --spinners 1 a third thread
runs workload.count meanwhile.  Round trip = elapsed / round trips; the
spinner's rate is its iterations per second, to be compared with its rate
alone (--spinners 1 --trips 0 measures that).

    python3 s07_pingpong.py --spinners 1 --interval 0.005 --trips 2000

prints the result and one line
`RESULT {"rt_us": ..., "trips": ..., "seconds": ..., "spin_rate": ..., "spin_takes": ...}`
(spin_rate: iterations per second, 0 without a spinner).
"""

import argparse
import json
import socket
import sys
import threading
import time

import workload

PINGPONG = -2    # workload.holder while the ping-pong threads hold the GIL


def ponger(end, trips):
    for _ in range(trips):
        end.recv(1)
        workload.holder = PINGPONG     # the spinner sees it took the GIL from us
        end.send(b"x")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--spinners", type=int, default=1, help="CPU-bound threads beside it (0 or more)")
    ap.add_argument("--interval", type=float, default=0.005, help="sys.setswitchinterval (s)")
    ap.add_argument("--trips", type=int, default=2000, help="round trips (0: the spinner alone)")
    ap.add_argument("--seconds", type=float, default=0.5, help="how long the spinner runs alone with --trips 0")
    a = ap.parse_args()
    sys.setswitchinterval(a.interval)

    counts = []
    spinners = [threading.Thread(target=lambda i=i: counts.append(workload.count(i)))
                for i in range(a.spinners)]
    ping, pong = socket.socketpair()
    peer = threading.Thread(target=ponger, args=(pong, a.trips))
    peer.start()
    for t in spinners:
        t.start()
    start = time.perf_counter()
    if a.trips:
        for _ in range(a.trips):
            ping.send(b"x")
            ping.recv(1)
            workload.holder = PINGPONG
    else:
        time.sleep(a.seconds)
    elapsed = time.perf_counter() - start
    workload.stop = True
    for t in spinners:
        t.join()
    peer.join()
    rt_us = elapsed / a.trips * 1e6 if a.trips else 0.0
    spin_rate = sum(n for n, _ in counts) / elapsed
    # GIL takes by the spinners: times the loop found another thread's id
    # in workload.holder (the ping-pong threads write PINGPONG there)
    spin_takes = sum(sw for _, sw in counts)
    print(f"{a.trips} round trips beside {a.spinners} CPU-bound threads, interval "
          f"{a.interval * 1e3:g} ms: {elapsed:.4f} s, {rt_us:.1f} us per round trip, "
          f"spinner {spin_rate:.0f} iterations/s, {spin_takes} spinner GIL takes")
    print("RESULT " + json.dumps({"rt_us": rt_us, "trips": a.trips, "seconds": elapsed,
                                  "spin_rate": spin_rate, "spin_takes": spin_takes}))


if __name__ == "__main__":
    main()
