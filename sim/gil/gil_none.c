/* gil_none.c — the free-threaded build (PEP 703; 3.13t, 3.14t): no GIL.
 *
 * Threads need only cores.  Bytecode runs `python.nogil_slowdown` times
 * slower than on the default build (about 1.4 in 3.13, 1.01-1.08 in 3.14:
 * biased reference counting, per-object locks, a specializer that was
 * off in 3.13); the interpreter applies the factor through cpu_scale.
 * With `python.stw_interval` set, a stop-the-world pause (as the cyclic GC
 * does) halts every thread of the process running Python for
 * `python.stw_pause`, every interval. */
#include "gil/gil.h"
#include "model/thread.h"
#include "model/trace.h"

static int none_acquire(gil_t *g, thread_t *t)
{
    (void)g;
    (void)t;
    return 1;
}

static int none_wake(gil_t *g, thread_t *t)
{
    (void)g;
    (void)t;
    return 1;
}

static int none_release(gil_t *g, thread_t *t, enum drop_reason why)
{
    (void)g;
    (void)t;
    (void)why;
    return 1;
}

static simtime_t none_run_budget(gil_t *g, thread_t *t, simtime_t to_check)
{
    (void)g;
    (void)t;
    (void)to_check;
    return SIMTIME_NEVER;
}

static int none_checkpoint(gil_t *g, thread_t *t)
{
    (void)g;
    (void)t;
    return 1;
}

const gil_ops_t gil_none_ops = {
    .name = "none",
    .exclusive = 0,
    .acquire = none_acquire,
    .wake = none_wake,
    .release = none_release,
    .run_budget = none_run_budget,
    .checkpoint = none_checkpoint,
};

/* Stop the world: every thread of the process running bytecode now stops
 * for the pause (its segment ends that much later). */
static void stw_fire(void *obj, uint64_t gen)
{
    gil_t *g = obj;
    sim_t *s = g->sim;
    if (gen != g->stw_gen || g->proc->done)
        return;
    simtime_t pause = s->cfg->python.stw_pause;
    g->stw_pauses++;
    process_t *p = g->proc;
    for (int i = 0; i < p->nthreads; i++) {
        thread_t *t = p->threads[i];
        if (t->gil == g && t->state == TS_PY && t->os.core >= 0) {
            t->owed = st_add(t->owed, pause);
            thr_replan(s, t);
        }
    }
    if (p->nthreads)
        trace_event(s, p->threads[0], ME_STW_PAUSE, NULL);
    eng_after(&s->eng, s->cfg->python.stw_interval, stw_fire, g, ++g->stw_gen);
}

void gil_none_start(gil_t *g)
{
    sim_t *s = g->sim;
    if (s->cfg->python.gil == GIL_NONE && s->cfg->python.stw_interval > 0)
        eng_after(&s->eng, s->cfg->python.stw_interval, stw_fire, g, ++g->stw_gen);
}
