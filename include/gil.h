/* gil.h — the one small interface every GIL policy implements.
 *
 * The thread interpreter (thread.c) calls these; a policy changes thread
 * states only through os_block / os_wake, and reports events via trace.h.
 * Return values: 1 = the calling thread goes on now, on its core;
 * 0 = the thread is blocked, and the policy will os_wake() it later. */
#ifndef GILSIM_GIL_H
#define GILSIM_GIL_H

#include "model.h"

typedef struct gil_ops {
    const char *name;
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
} gil_ops_t;

extern const gil_ops_t gil_new_ops;

void gil_init(gil_t *g, sim_t *s, process_t *p);

static inline int gil_acquire(gil_t *g, thread_t *t) { return g->ops->acquire(g, t); }
static inline int gil_release(gil_t *g, thread_t *t, enum drop_reason why)
{
    return g->ops->release(g, t, why);
}

#endif
