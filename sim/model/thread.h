/* thread.h — the interpreter that runs a thread: the ops of its current
 * execution context (its own, or the running asyncio task's), asking the
 * GIL policy for the GIL, running bytecode in segments up to the next point
 * where the policy wants a check, and blocking in I/O or waits.
 *
 * The rooms above it (life, aio, pool, sync) use its helpers; it reaches
 * them only through the table sim_build registers (thr_rooms_t, s->rooms),
 * which ops.c fills: one handler per op kind and a few entry points.  Op
 * handlers follow one convention: return 1 when run() should go on at
 * once, 0 when the thread is blocked (something will wake it and the op
 * runs again: handlers re-check their condition, so a spurious wake-up is
 * harmless). */
#ifndef GILSIM_THREAD_H
#define GILSIM_THREAD_H

#include <stddef.h>
#include "model/model.h"

/* Runs op, the op at x's pc, for thread t (x is t->cur). */
typedef int (*thr_op_fn)(sim_t *s, thread_t *t, exec_t *x, const op_t *op);

/* What the interpreter calls in the rooms above it. */
typedef struct thr_rooms {
    thr_op_fn op[OP__COUNT];     /* the op table: a handler per op kind */
    /* x ran out of frames (exc: the exception that ended it, or NULL): its
     * task completes, a pool worker takes its next item, or t exits. */
    int  (*exec_ended)(sim_t *s, thread_t *t, exec_t *x, const char *exc);
    /* x leaves b, a with block of its top frame (BLK_POOL, BLK_LOCK), at
     * the block's end or as an exception passes: 0 = blocked (a pool's
     * shutdown waits for its workers), and it leaves again when woken. */
    int  (*block_left)(sim_t *s, thread_t *t, exec_t *x, block_t *b);
    /* t runs an event loop and no task: the loop's turn. */
    int  (*loop_step)(sim_t *s, thread_t *t);
    /* t ran its bootstrap (it took the GIL once). */
    void (*started)(sim_t *s, thread_t *t);
    /* t reached take_gil while its process finalizes: it exits there. */
    void (*exit_in_take_gil)(sim_t *s, thread_t *t);
} thr_rooms_t;

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

/* The interpreter's own ops, for the op table: cpu, hold, native, io and
 * sleep (timed work); repeat, try, call, mark, raise (control flow). */
int       thr_op_timed(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int       thr_op_repeat(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int       thr_op_try(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int       thr_op_call(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int       thr_op_mark(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int       thr_op_raise(sim_t *s, thread_t *t, exec_t *x, const op_t *op);

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
