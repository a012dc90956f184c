/* hrtimer.c — when a timed wait armed with the thread's timer slack fires.
 *
 * Linux (kernel/time/hrtimer.c): a timer of a thread with timer slack has
 * a range, a soft expiry at the deadline and a hard one at deadline +
 * slack (hrtimer_set_expires_range_ns; the slack is the thread's
 * timer_slack_ns, 50 us by default, prctl PR_SET_TIMERSLACK).  The CPU's
 * clock event device is programmed for the hard expiry; but every hrtimer
 * interrupt on that CPU runs __hrtimer_run_queues, which expires each
 * timer whose soft expiry has passed.  So a timer ends early, inside its
 * range, only when some other interrupt hits its CPU inside the range:
 *
 *   - an idle CPU (NOHZ idle, the tick stopped) gets none: the timer fires
 *     at its hard expiry, the full slack late, every time;
 *   - a busy CPU takes the scheduler tick every 1/CONFIG_HZ (os.tick; the
 *     ticks of all CPUs fall on the same jiffy boundaries, sched_skew_tick
 *     being off by default): if a tick falls inside the range, the timer
 *     fires at that tick.
 *
 * The timer sits on the CPU that armed it: the core the thread was on.
 * That core counts as busy when, as the thread leaves it, another thread
 * runs there, or waits in the run queue and may run there (its affinity
 * and wake-up placement allow that core: the scheduler hands it the core,
 * so the tick goes on); a queued thread pinned to other cores leaves it
 * idle.  Other timers' interrupts on that CPU are not modelled (sim/README.md,
 * "Where the model simplifies reality").  Nothing is random: the spread
 * comes from where the deadline falls between ticks.
 *
 * From the expiry to the interrupt handler waking the thread takes time
 * of its own: the clock event device's interrupt path, under a hypervisor
 * its emulation of the guest's timer.  On a busy core, or one idle for
 * less than os.halt_poll (still polling for work), that is
 * os.timer_latency; on a core that has halted, os.timer_latency_idle,
 * which also brings it out of idle.  Either way a thread whose timer's
 * core is idle runs there with no further wake-up cost (os_wake_timer).
 * Both are measured (the config reference: os.timer_latency). */
#include "os/hrtimer.h"

static int core_busy(const os_t *os, int core)
{
    if (core < 0 || core >= os->ncores)
        return 0;
    return os->cores[core].cur != NULL || os_queued_for(os, core);
}

/* os_timer_delay for a core that is busy or not. */
static simtime_t delay_on(const os_t *os, int busy, simtime_t timeout)
{
    simtime_t slack = os->cfg->os.timer_slack, tick = os->cfg->os.tick;
    simtime_t soft = st_add(os->eng->now, timeout);
    if (slack == 0 || timeout == SIMTIME_NEVER)
        return timeout;
    if (tick > 0 && busy && soft <= SIMTIME_NEVER - tick) {
        simtime_t next_tick = (soft + tick - 1) / tick * tick;
        if (next_tick - soft <= slack)
            return next_tick - os->eng->now;
    }
    return st_add(timeout, slack);
}

simtime_t os_timer_delay(const os_t *os, int core, simtime_t timeout)
{
    return delay_on(os, core_busy(os, core), timeout);
}

/* Idle at the expiry `fire` from now for os.halt_poll or longer: a core that
 * has idled less is still polling for work and takes the interrupt as a
 * busy one does. */
static int halted_at(const os_t *os, int core, int busy, simtime_t fire)
{
    if (busy || core < 0 || core >= os->ncores)
        return 0;
    return os_core_halted(os, core, st_add(os->eng->now, fire));
}

static simtime_t interrupt_late(os_t *os, os_thread_t *ot, int halted)
{
    ot->timer_late = dist_draw(halted ? &os->cfg->os.timer_latency_idle
                                      : &os->cfg->os.timer_latency, os->rng);
    return ot->timer_late;
}

simtime_t os_timer_interrupt(os_t *os, os_thread_t *ot, int core, simtime_t fire)
{
    return interrupt_late(os, ot, halted_at(os, core, core_busy(os, core), fire));
}

simtime_t os_timer_arm(os_t *os, os_thread_t *ot, int core, simtime_t timeout)
{
    int busy = core_busy(os, core);             /* as the thread leaves it: asked once */
    simtime_t fire = delay_on(os, busy, timeout);
    if (fire == SIMTIME_NEVER)
        return fire;
    return st_add(fire, interrupt_late(os, ot, halted_at(os, core, busy, fire)));
}
