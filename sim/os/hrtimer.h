/* hrtimer.h — when a timed wait armed with the thread's timer slack fires
 * (time.sleep, and the GIL's timed condition wait). */
#ifndef GILSIM_HRTIMER_H
#define GILSIM_HRTIMER_H

#include "os/machine.h"

/* How long after now a timer armed now for `timeout` on `core` fires:
 * between timeout and timeout + os.timer_slack (hrtimer.c says which). */
simtime_t os_timer_delay(const os_t *os, int core, simtime_t timeout);

#endif
