/* gil.c — picks a GIL policy and creates GILs: one per process, plus one
 * per subinterpreter that has its own (PEP 684).
 *
 * Layer gil (sim/gil/): the GIL policies (new, old, none, per-interpreter)
 * behind gil_ops_t, above the OS layer.  For now the policies still
 * include model/thread.h (thr_replan, the thread's fields) and gil.c
 * model/fail.h (allocation): upward includes that are to go. */
#include <stdio.h>
#include <stdlib.h>
#include "model/fail.h"
#include "gil/gil.h"
#include "model/trace.h"

static const gil_ops_t *policy(const config_t *cfg)
{
    switch (cfg->python.gil) {
    case GIL_OLD:
        return &gil_old_ops;
    case GIL_NONE:
        return &gil_none_ops;
    case GIL_NEW:
    case GIL_PER_INTERPRETER:
        break;
    }
    return &gil_new_ops;
}

/* Room in the list before a GIL is allocated: a failure leaks nothing. */
static void reserve_gil(sim_t *s)
{
    if (s->ngils == s->capgils)
        s->gils = sim_grow(s, s->gils, &s->capgils, sizeof *s->gils);
}

static void setup(gil_t *g, sim_t *s, process_t *p, int interp, simtime_t interval)
{
    *g = (gil_t){0};
    g->sim = s;
    g->proc = p;
    g->interp = interp;
    g->interval = interval ? interval : s->cfg->python.switch_interval;
    g->ops = policy(s->cfg);
    g->cpu_scale = s->cfg->python.gil == GIL_NONE ? s->cfg->python.nogil_slowdown : 1.0;
    g->ticker = st_mul(s->cfg->python.opcode_time, s->cfg->python.check_interval);
    reserve_gil(s);
    s->gils[s->ngils++] = g;
    gil_none_start(g);
}

void gil_init(gil_t *g, sim_t *s, process_t *p)
{
    setup(g, s, p, 0, 0);
}

gil_t *gil_of_interpreter(sim_t *s, process_t *p, int interp, int own_gil, simtime_t interval)
{
    if (!own_gil && s->cfg->python.gil != GIL_PER_INTERPRETER)
        return &p->gil;
    if (interp == 0 && !own_gil) {
        if (interval)
            p->gil.interval = interval;
        return &p->gil;
    }
    for (int i = 0; i < s->ngils; i++)
        if (s->gils[i]->proc == p && s->gils[i]->interp == interp && interp > 0)
            return s->gils[i];
    reserve_gil(s);
    gil_t *g = sim_calloc(s, 1, sizeof *g);
    setup(g, s, p, interp, interval);
    return g;
}

void gil_free_all(sim_t *s)
{
    for (int i = 0; i < s->ngils; i++)
        if (s->gils[i]->interp > 0)
            free(s->gils[i]);
    free(s->gils);
    s->gils = NULL;
    s->ngils = 0;
}

void gil_waitq_push(gil_t *g, thread_t *t)
{
    t->wq_next = NULL;
    t->wq_prev = g->wq_tail;
    if (g->wq_tail)
        g->wq_tail->wq_next = t;
    else
        g->wq_head = t;
    g->wq_tail = t;
    t->in_waitq = 1;
}

void gil_waitq_remove(gil_t *g, thread_t *t)
{
    if (!t->in_waitq)
        return;
    if (t->wq_prev)
        t->wq_prev->wq_next = t->wq_next;
    else
        g->wq_head = t->wq_next;
    if (t->wq_next)
        t->wq_next->wq_prev = t->wq_prev;
    else
        g->wq_tail = t->wq_prev;
    t->wq_next = t->wq_prev = NULL;
    t->in_waitq = 0;
}

thread_t *gil_waitq_pop(gil_t *g)
{
    thread_t *t = g->wq_head;
    if (t)
        gil_waitq_remove(g, t);
    return t;
}

void gil_take(gil_t *g, thread_t *t)
{
    g->reserved = NULL;
    g->locked = 1;
    g->holder = t;
    t->has_gil = 1;
    t->gil_takes++;
    g->takes++;
    int switched = g->last_holder != t;
    if (switched) {
        g->last_holder = t;
        g->switch_number++;
        g->switches++;
        if (g->last_holder_was_set)
            t->owed = st_add(t->owed, g->sim->cfg->python.switch_cost);
        g->last_holder_was_set = 1;
    }
    trace_gil(g->sim, t, GE_TAKE, switched ? "switch" : "same");
}
