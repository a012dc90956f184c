/* effects.h — what waiting cost each thread, in numbers, and the times of
 * the program's marks: the figures threads.csv and summary.csv show beside
 * the states' times (see effects.c).  Used by thread.c, and by chan.c for
 * a woken recv's system call. */
#ifndef GILSIM_EFFECTS_H
#define GILSIM_EFFECTS_H

#include "model/model.h"

/* t, blocked in I/O, a sleep, select or a sync wait, was woken to go on
 * (thr_unblock with RESUME_RUN): its blocking extra starts now. */
void eff_woken(sim_t *s, thread_t *t);
/* t's blocking extra under way starts ns later: after work t does on its
 * core before it goes on (a woken recv's system call, chan.c); or, ns
 * negative, earlier, when the wait was over before the wake-up (a timer's
 * expiry).  Nothing when no extra is under way. */
void eff_starts_later(thread_t *t, simtime_t ns);
/* t goes on: on a core with the GIL taken back: a blocking extra under
 * way ends now. */
void eff_resumed(sim_t *s, thread_t *t);
/* The program shows a `mark` with this text now. */
void eff_mark(sim_t *s, const char *label);

#endif
