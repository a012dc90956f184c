/* machine.h — the operating system's side: cores, the run queue, time
 * slices and wake-ups.  It decides which runnable thread is on which core;
 * it knows nothing of the GIL.  When it puts a thread on a core it calls
 * thr_dispatched(); when it takes one off at a slice end, thr_preempted(). */
#ifndef GILSIM_MACHINE_H
#define GILSIM_MACHINE_H

#include "model/model.h"

void os_init(sim_t *s);
/* t can run now: a free core takes it, else it waits in the run queue. */
void os_ready(sim_t *s, thread_t *t);
/* t, blocked, is woken: it becomes runnable after a wake-up latency, then
 * continues as `resume` says. */
void os_wake(sim_t *s, thread_t *t, enum resume_kind resume);
/* Would waking t (asleep) make the OS preempt `waker`, running, at once?
 * (CFS wake-up preemption when no core is idle; the old GIL needs it to
 * know whether the holder gets to re-acquire.) */
int  os_wake_preempts(sim_t *s, const thread_t *waker, thread_t *t);
/* A new thread starts at the current minimum vruntime. */
void os_place_new(sim_t *s, thread_t *t);
/* t leaves its core to block (or finish) in state st. */
void os_block(sim_t *s, thread_t *t, enum thr_state st, const char *detail);
/* t vanishes from the scheduler: off its core, out of the run queue. */
void os_remove(sim_t *s, thread_t *t);
/* Adds time on cores up to now (for utilisation at the end of a run). */
void os_close(sim_t *s);

#endif
