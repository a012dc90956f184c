/* gil_none.c — the free-threaded build (PEP 703; 3.13t, 3.14t): no GIL.
 *
 * Threads need only cores.  Bytecode runs `python.nogil_slowdown` times
 * slower than on the default build (about 1.4 in 3.13, 1.01-1.08 in 3.14:
 * biased reference counting, per-object locks, a specializer that was
 * off in 3.13); the interpreter applies the factor through cpu_scale.
 * With `python.stw_interval` set, a stop-the-world pause (as the cyclic GC
 * does) halts every thread of the process running Python for
 * `python.stw_pause`, every interval: this policy keeps the timer, the
 * host stops the threads. */
#include "gil/gil.h"

typedef struct none_gil {
    uint64_t stw_gen;            /* stop-the-world timer generation */
} none_gil_t;

static none_gil_t *state(const gil_t *g) { return g->state; }

static int none_acquire(gil_t *g, gil_thread_t *t)
{
    (void)g;
    (void)t;
    return 1;
}

static int none_wake(gil_t *g, gil_thread_t *t)
{
    (void)g;
    (void)t;
    return 1;
}

static int none_release(gil_t *g, gil_thread_t *t, enum drop_reason why)
{
    (void)g;
    (void)t;
    (void)why;
    return 1;
}

static simtime_t none_run_budget(gil_t *g, gil_thread_t *t, simtime_t to_check)
{
    (void)g;
    (void)t;
    (void)to_check;
    return SIMTIME_NEVER;
}

static int none_checkpoint(gil_t *g, gil_thread_t *t)
{
    (void)g;
    (void)t;
    return 1;
}

static void none_kill(gil_t *g, gil_thread_t *t)
{
    (void)g;
    (void)t;
}

static double none_cpu_scale(const gil_t *g)
{
    return g->cfg->python.nogil_slowdown;
}

/* Stop the world: every thread of the process running bytecode now stops
 * for the pause (its segment ends that much later). */
static void stw_fire(void *obj, uint64_t gen)
{
    gil_t *g = obj;
    if (gen != state(g)->stw_gen)
        return;
    if (!g->host->stop_the_world(g->host_ctx, g, g->cfg->python.stw_pause))
        return;                  /* the process has ended */
    g->stw_pauses++;
    eng_after(g->eng, g->cfg->python.stw_interval, stw_fire, g, ++state(g)->stw_gen);
}

static void none_init(gil_t *g)
{
    if (g->cfg->python.stw_interval > 0)
        eng_after(g->eng, g->cfg->python.stw_interval, stw_fire, g, ++state(g)->stw_gen);
}

const gil_ops_t gil_none_ops = {
    .name = "none",
    .gil_size = sizeof(none_gil_t),
    .init = none_init,
    .acquire = none_acquire,
    .wake = none_wake,
    .release = none_release,
    .run_budget = none_run_budget,
    .checkpoint = none_checkpoint,
    .kill = none_kill,
    .cpu_scale = none_cpu_scale,
};
