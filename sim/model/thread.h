/* thread.h — the interpreter that runs a thread: the ops of its current
 * execution context (its own, or the running asyncio task's), asking the
 * GIL policy for the GIL, running bytecode in segments up to the next point
 * where the policy wants a check, and blocking in I/O or waits.
 *
 * The rooms above it (life, aio, pool, sync) use its helpers; it reaches
 * them only through the table sim_build registers (thr_rooms_t in
 * rooms.h, s->rooms), which ops.c fills: one handler per op kind and a few
 * entry points.  Control flow (blocks, calls, exceptions) is flow.c's. */
#ifndef GILSIM_THREAD_H
#define GILSIM_THREAD_H

#include <stddef.h>
#include "model/model.h"
#include "model/rooms.h"


/* A new thread in proc, named by fmt (allocated to its exact length,
 * never cut) and linked into the sim before anything else is allocated
 * for it; its exec is set up by the caller.  It becomes runnable (and
 * takes the GIL first, as a thread's bootstrap does) at thr_start. */
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
/* t, blocked, is woken synchronously by `waker`, which runs on (a socket
 * or pipe write: WF_SYNC); see os_wake_sync. */
void      thr_unblock_sync(sim_t *s, thread_t *t, const thread_t *waker);
/* t, blocked in a timed wait (os_timer_arm), is woken by its timer's
 * interrupt (os_wake_timer). */
void      thr_unblock_timer(sim_t *s, thread_t *t, enum resume_kind resume);
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
/* For op handlers: the current op makes a system call of `ns` on the core
 * with the GIL released (Py_BEGIN_ALLOW_THREADS); after it the handler runs
 * again with x->phase one higher, still without the GIL (it sets
 * t->restore_gil when the op is done: Py_END_ALLOW_THREADS).  Returns 0. */
int       thr_syscall(sim_t *s, thread_t *t, exec_t *x, simtime_t ns);
/* A thread's program ended (exc: the exception that ended it, or NULL):
 * it lets the GIL go and leaves its core, done (life_exit does the rest). */
void      thr_exit(sim_t *s, thread_t *t, const char *exc);
/* Kills t at once: its process crashed or exited (why: trace detail); off
 * its core, GIL dropped, done (life.c does the rest). */
void      thr_kill(sim_t *s, thread_t *t, const char *why);
/* A syscall of ns on t's core outside any op (the event loop's own
 * select(0)), t having released the GIL (inside Py_BEGIN/END_ALLOW_THREADS);
 * t takes the GIL back after it, then runs on.  An op's system call is
 * thr_syscall.  Returns 0: t's run goes on later, as after an op that
 * blocks. */
int       thr_loop_syscall(sim_t *s, thread_t *t, simtime_t ns);

/* The interpreter's own timed ops, for the op table: cpu, hold, native,
 * io and sleep (control flow's are flow.h's). */
int       thr_op_timed(sim_t *s, thread_t *t, exec_t *x, const op_t *op);

/* A new generation for t's one pending engine event: any other is stale. */
static inline uint64_t thr_next_gen(thread_t *t) { return ++t->os.gen; }
/* The core t is on, or was last on: where a timer it arms now sits. */
static inline int thr_core(const thread_t *t) { return t->os.core >= 0 ? t->os.core : t->os.last_core; }
/* The thread whose scheduling entity ot is. */
static inline thread_t *thr_of(os_thread_t *ot)
{
    return (thread_t *)((char *)ot - offsetof(thread_t, os));
}

extern const char *const thr_state_names[TS__COUNT];

#endif
