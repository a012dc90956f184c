/* hrtimer.h — when a timed wait armed with the thread's timer slack fires
 * (time.sleep, and the GIL's timed condition wait). */
#ifndef GILSIM_HRTIMER_H
#define GILSIM_HRTIMER_H

#include "os/machine.h"

/* How long after now a timer armed now for `timeout` on `core` fires:
 * between timeout and timeout + os.timer_slack (hrtimer.c says which). */
simtime_t os_timer_delay(const os_t *os, int core, simtime_t timeout);

/* ot, about to sleep in a timed wait it arms now on `core`: how long after
 * now its timer's interrupt wakes it (os_timer_delay, then
 * os_timer_interrupt). */
simtime_t os_timer_arm(os_t *os, os_thread_t *ot, int core, simtime_t timeout);

/* From the expiry of a timer on `core`, `fire` from now, to its interrupt
 * waking ot: a draw of os.timer_latency, or of os.timer_latency_idle when
 * the core is idle and will have idled for os.halt_poll by then.  Notes it
 * in ot (timer_late), for the blocking extra. */
simtime_t os_timer_interrupt(os_t *os, os_thread_t *ot, int core, simtime_t fire);

#endif
