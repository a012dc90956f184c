/* thread.h — the interpreter that runs a thread's program: fetches ops,
 * asks the GIL policy for the GIL, runs bytecode in segments up to the next
 * point where the policy wants a check, and blocks in I/O. */
#ifndef GILSIM_THREAD_H
#define GILSIM_THREAD_H

#include "model.h"

void thr_start(sim_t *s, thread_t *t);
/* The OS put t on a core (after any context-switch cost). */
void thr_dispatched(sim_t *s, thread_t *t);
/* The OS takes t off its core at a slice end; t stays runnable. */
void thr_preempted(sim_t *s, thread_t *t);
/* The GIL policy wants the holder t to reach a check point soon. */
void thr_replan(sim_t *s, thread_t *t);
/* Changes t's state: accounts the time spent in the old one, traces. */
void thr_set_state(sim_t *s, thread_t *t, enum thr_state st, const char *detail);
/* A new engine generation for t: any pending event of t becomes stale. */
static inline uint64_t thr_next_gen(thread_t *t) { return ++t->gen; }

extern const char *const thr_state_names[TS__COUNT];

#endif
