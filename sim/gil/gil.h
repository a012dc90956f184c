/* gil.h — the one small interface every GIL policy implements.
 *
 * The thread interpreter (thread.c) calls these; a policy changes thread
 * states only through thr_block / thr_unblock, and reports events via
 * trace.h.  Return values: 1 = the calling thread goes on now, on its core;
 * 0 = the thread is blocked, and the policy will thr_unblock() it later. */
#ifndef GILSIM_GIL_H
#define GILSIM_GIL_H

#include "model/model.h"

typedef struct gil_ops {
    const char *name;
    int exclusive;       /* one holder at a time (every policy but none) */
    /* t, on a core, needs the GIL (take_gil). */
    int (*acquire)(gil_t *g, thread_t *t);
    /* t, blocked by this policy, is on a core again (RESUME_GIL). */
    int (*wake)(gil_t *g, thread_t *t);
    /* t, the holder, releases the GIL (drop_gil). */
    int (*release)(gil_t *g, thread_t *t, enum drop_reason why);
    /* How much more bytecode time the holder may run before it must call
     * checkpoint(); to_check is the time to its next eval-breaker check. */
    simtime_t (*run_budget)(gil_t *g, thread_t *t, simtime_t to_check);
    /* The holder is at an eval-breaker check point. */
    int (*checkpoint)(gil_t *g, thread_t *t);
    /* The holder ran ns of bytecode (segment end or preemption); optional. */
    void (*ran)(gil_t *g, thread_t *t, simtime_t ns);
} gil_ops_t;

extern const gil_ops_t gil_new_ops, gil_old_ops, gil_none_ops;

/* A process's main GIL (embedded in it), registered in s->gils. */
void   gil_init(gil_t *g, sim_t *s, process_t *p);
/* The GIL of interpreter `interp` of p: its own with python.gil
 * per-interpreter (or own_gil, as InterpreterPoolExecutor's interpreters
 * have), else the process's. */
gil_t *gil_of_interpreter(sim_t *s, process_t *p, int interp, int own_gil, simtime_t interval);
void   gil_free_all(sim_t *s);
/* t takes g: holder, counters, switch_number when the holder changes (and
 * then python.switch_cost for t: cold caches, hand-off syscalls), trace. */
void      gil_take(gil_t *g, thread_t *t);
/* The threads asleep on a GIL, FIFO (policies share it). */
void      gil_waitq_push(gil_t *g, thread_t *t);
void      gil_waitq_remove(gil_t *g, thread_t *t);
thread_t *gil_waitq_pop(gil_t *g);
/* Free-threaded: starts the stop-the-world timer if configured. */
void   gil_none_start(gil_t *g);

static inline int gil_acquire(gil_t *g, thread_t *t) { return g->ops->acquire(g, t); }
static inline int gil_release(gil_t *g, thread_t *t, enum drop_reason why)
{
    return g->ops->release(g, t, why);
}

/* May t run Python code now: it holds its GIL, or its build has none
 * (free-threaded), where "taking the GIL back" is a no-op. */
static inline int gil_may_run(const thread_t *t)
{
    return t->has_gil || !t->gil->ops->exclusive;
}

#endif
