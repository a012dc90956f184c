/* thread.h — the interpreter that runs a thread: the ops of its current
 * execution context (its own, or the running asyncio task's), asking the
 * GIL policy for the GIL, running bytecode in segments up to the next point
 * where the policy wants a check, and blocking in I/O or waits.
 *
 * Op handlers in the other rooms (life.c, aio.c, pool.c, sync.c) follow one
 * convention: return 1 when run() should go on at once, 0 when the thread
 * is blocked (something will wake it and the op runs again: handlers
 * re-check their condition, so a spurious wake-up is harmless). */
#ifndef GILSIM_THREAD_H
#define GILSIM_THREAD_H

#include <stddef.h>
#include "model/model.h"

/* A new thread in proc whose exec is set up by the caller; it becomes
 * runnable (and takes the GIL first, as a thread's bootstrap does) when
 * thr_start is called. */
/* A new thread named by fmt (allocated to its exact length, never cut),
 * linked into the sim before anything else is allocated for it. */
thread_t *thr_new(sim_t *s, process_t *proc, const char *group, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void      thr_start(sim_t *s, thread_t *t);
void      thr_free(thread_t *t);
/* What the interpreter does when the OS moves a thread: sim_build
 * registers these with the OS (os_init). */
extern const os_hooks_t thr_os_hooks;
/* t leaves its core to block (or finish) in state st. */
void      thr_block(sim_t *s, thread_t *t, enum thr_state st, const char *detail);
/* t, blocked, is woken: it becomes runnable after a wake-up latency, then
 * continues as `resume` says.  Nothing wakes a thread that is done. */
void      thr_unblock(sim_t *s, thread_t *t, enum resume_kind resume);
/* The GIL policy wants the holder t to reach a check point soon. */
void      thr_replan(sim_t *s, thread_t *t);
/* Counts the loop iterations t's running segment has finished by now (a
 * one-op cpu loop runs as one segment); for a kill, and for the end of the
 * run (at_end: an op ending right at the end counts, as its end event would
 * have run). */
void      thr_settle(sim_t *s, thread_t *t, int at_end);
/* Changes t's state: accounts the time spent in the old one, traces. */
void      thr_set_state(sim_t *s, thread_t *t, enum thr_state st, const char *detail);

/* For op handlers: make the current op pay `ns` of CPU (GIL held) before
 * its handler runs again.  Returns 1 (go on). */
int       thr_cost(exec_t *x, simtime_t ns);
/* Blocks t until woken, when ready is false: releases the GIL first (a
 * blocking C call) and adds t to wl (if not NULL).  When ready is true the
 * op may finish: returns 1 and makes t take the GIL back if it let it go. */
int       thr_wait(sim_t *s, thread_t *t, int ready, waitlist_t *wl, const char *detail);
/* Wakes t if it is blocked in thr_wait and not already woken; returns
 * whether it did. */
int       thr_wake(sim_t *s, thread_t *t);
/* A thread's program ended (exc: the exception that ended it, or NULL). */
void      thr_exit(sim_t *s, thread_t *t, const char *exc);
/* Kills t at once: its process crashed or exited (why: trace detail). */
void      thr_kill(sim_t *s, thread_t *t, const char *why);

/* A new generation for t's one pending engine event: any other is stale. */
static inline uint64_t thr_next_gen(thread_t *t) { return ++t->os.gen; }
/* The thread whose scheduling entity ot is. */
static inline thread_t *thr_of(os_thread_t *ot)
{
    return (thread_t *)((char *)ot - offsetof(thread_t, os));
}

extern const char *const thr_state_names[TS__COUNT];

#endif
