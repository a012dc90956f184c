#!/usr/bin/python3
"""The gil-16 model written in SimPy (Debian's python3-simpy: the SimPy 2
API, SimPy.Simulation), for `make bench-simpy`.

N Python threads each run `repeat forever: cpu 20us` and share one new GIL
(CPython >= 3.2, Python/ceval_gil.c) on a machine with a core per thread:

  take_gil   a thread that finds the GIL free takes it; otherwise it notes
             switch_number and sleeps in a timed wait of one switch
             interval.  When the wait times out with the GIL still held and
             no switch since, it sets drop_request.  It loops either way.
  run        the holder runs its op in one stretch, or, once drop_request
             is set, up to the next eval-breaker check point (every
             checkpoint_gap of the op's CPU time; an op's start is one).
             A thread taking the GIL from another after it slept because
             of the GIL (in the timed wait, or in the forced switch wait)
             pays switch_cost of CPU, which lengthens its op; a take
             without that sleep costs nothing (gilsim's gil_take).
  drop_gil   at that check point the holder frees the GIL,
             signals the longest-waiting waiter, and - forced switching -
             sleeps until another thread has taken the GIL; then it is an
             ordinary waiter again.
  OS         every wake-up (timeout, signal) reaches the woken thread after
             the wake latency; each thread keeps its own core, so a wake-up
             never waits for a core and pays no context switch after the
             first dispatch.

This is the same model as gilsim's run of tests/bench/simpy_gil16.yaml (the
same rules, in the same order at equal times), written independently of it
so that the two can check each other: make bench-simpy compares the GIL
switch count and every thread's work.  Times are integer nanoseconds.

Prints CSV on stdout: one row per thread (thread, work_ns, gil_takes,
ops_done), then
the rows "switches,<n>,", "drop_requests,<n>," and with --count-events
"events,<n>,"."""
import argparse
import sys

from SimPy.Simulation import Process, Simulation, hold, passivate


class Gil:
    def __init__(self, sim, interval, latency, gap, switch_cost):
        self.sim, self.interval, self.latency, self.gap = sim, interval, latency, gap
        self.switch_cost = switch_cost
        self.ever_taken = False
        self.locked = False
        self.holder = self.last_holder = self.switch_waiter = None
        self.switch_number = self.switches = self.drop_requests = self.forced_drops = 0
        self.drop_request = False
        self.waitq = []              # longest-waiting first

    def take(self, t):
        if t in self.waitq:
            self.waitq.remove(t)
        self.locked, self.holder = True, t
        t.takes += 1
        t.took_at = self.sim.now()
        slept, t.slept = t.slept, False
        if self.last_holder is not t:
            self.last_holder = t
            self.switch_number += 1
            self.switches += 1
            if self.ever_taken and slept:
                t.owed += self.switch_cost
            self.ever_taken = True
        if self.switch_waiter is not None:          # the forced dropper may go on
            w, self.switch_waiter = self.switch_waiter, None
            self.sim.reactivate(w, delay=self.latency)
        self.drop_request = False

    def set_drop_request(self):
        if self.drop_request:
            return
        self.drop_request = True
        self.drop_requests += 1
        self.holder.replan()                        # it stops at its next check point

    def signal_one(self):
        if not self.waitq:
            return
        w = self.waitq.pop(0)
        if not w.asleep:
            return
        w.asleep, w.timed_out, w.signalled = False, False, True
        self.sim.reactivate(w, delay=self.latency)  # cancels its timed wait

    def release_forced(self, t):
        self.locked, self.holder, self.last_holder = False, None, t
        self.signal_one()
        self.drop_request = False
        self.forced_drops += 1
        self.switch_waiter = t


class PyThread(Process):
    def __init__(self, sim, name, gil, ctx_switch, op):
        Process.__init__(self, name=name, sim=sim)
        self.gil, self.ctx_switch, self.op = gil, ctx_switch, op
        self.work = self.takes = self.saved = self.ops = self.owed = 0
        self.took_at = None          # when it took the GIL it holds
        self.op_total = self.op_left = op
        self.seg_start = 0
        self.asleep = self.timed_out = self.signalled = False
        self.slept = False           # slept because of the GIL since it last held it

    def body(self):
        g, sim = self.gil, self.sim
        yield hold, self, self.ctx_switch           # first dispatch on its core
        while True:
            if not g.locked:
                g.take(self)
            else:
                yield from self.wait_for_gil()
            yield from self.run_python()
            self.work += sim.now() - self.took_at
            self.took_at = None
            g.release_forced(self)
            self.slept = True
            yield passivate, self                   # switch_wait: until someone took it
            yield hold, self, 0                     # dispatched

    def segment(self):
        """The next stretch of the op: to its end, or to the check point."""
        if self.owed:
            self.op_total += self.owed
            self.op_left += self.owed
            self.owed = 0
        if not self.gil.drop_request:
            return self.op_left
        into = (self.op_total - self.op_left) % self.gil.gap
        return min(self.gil.gap - into if into else 0, self.op_left)

    def replan(self):
        self.op_left -= self.sim.now() - self.seg_start
        self.seg_start = self.sim.now()
        self.sim.reactivate(self, delay=self.segment())

    def run_python(self):
        """Runs ops while holding the GIL; returns at a check point with a
        drop request pending."""
        while True:
            seg = self.segment()
            if seg == 0 and self.op_left > 0:
                return
            self.seg_start = self.sim.now()
            yield hold, self, seg                   # a drop request may shorten it
            self.op_left -= self.sim.now() - self.seg_start
            if self.op_left == 0:
                self.ops += 1
                self.op_total = self.op_left = self.op

    def wait_for_gil(self):
        g = self.gil
        while True:
            self.saved, self.timed_out, self.signalled = g.switch_number, False, False
            if self not in g.waitq:
                g.waitq.append(self)
            self.asleep = self.slept = True
            yield hold, self, g.interval            # the timed wait; a signal cuts it short
            if not self.signalled:                  # timed out
                g.waitq.remove(self)
                self.timed_out, self.asleep = True, False
                yield hold, self, g.latency
            yield hold, self, 0                     # dispatched
            if self.timed_out and g.locked and g.switch_number == self.saved:
                g.set_drop_request()
            self.timed_out = False
            if not g.locked:
                g.take(self)
                return


class Counting(Simulation):
    """Counts the events SimPy runs (--count-events; slower, so the timed
    runs leave it off)."""
    events = 0

    def step(self):
        self.events += 1
        Simulation.step(self)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--duration-ns", type=int, default=10_000_000_000)
    ap.add_argument("--interval-ns", type=int, default=1_000_000)
    ap.add_argument("--wake-latency-ns", type=int, default=7_000)
    ap.add_argument("--context-switch-ns", type=int, default=1_000)
    ap.add_argument("--checkpoint-gap-ns", type=int, default=100)
    ap.add_argument("--switch-cost-ns", type=int, default=20_000)
    ap.add_argument("--op-ns", type=int, default=20_000)
    ap.add_argument("--count-events", action="store_true")
    a = ap.parse_args()
    sim = Counting() if a.count_events else Simulation()
    gil = Gil(sim, a.interval_ns, a.wake_latency_ns, a.checkpoint_gap_ns, a.switch_cost_ns)
    threads = [PyThread(sim, "w-%d" % i, gil, a.context_switch_ns, a.op_ns)
               for i in range(a.threads)]
    for t in threads:
        sim.activate(t, t.body())
    sim.simulate(until=a.duration_ns)
    out = sys.stdout
    out.write("thread,work_ns,gil_takes,ops_done\n")
    for t in threads:
        work = t.work + (a.duration_ns - t.took_at if t.took_at is not None else 0)
        out.write("%s,%d,%d,%d\n" % (t.name, work, t.takes, t.ops))
    out.write("switches,%d,\ndrop_requests,%d,\n" % (gil.switches, gil.drop_requests))
    if a.count_events:
        out.write("events,%d,\n" % sim.events)


if __name__ == "__main__":
    main()
