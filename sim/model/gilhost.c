/* gilhost.c — creates the GILs and is their host: the few things a policy
 * asks of the interpreter and the OS (gilhost.h, gil/gil.h's gil_host_t). */
#include <stdlib.h>
#include "model/gilhost.h"
#include "model/fail.h"
#include "model/thread.h"
#include "os/machine.h"
#include "os/hrtimer.h"
#include "model/trace.h"

/* ---- the host --------------------------------------------------------- */

/* A GIL_SLEEP_TIMED wait ran out, unless the thread was woken (or anything
 * else happened to it) first. */
static void timeout_fire(void *obj, uint64_t gen)
{
    thread_t *t = obj;
    if (t->os.gen != gen)
        return;
    gil_timeout(t->gil, &t->gthr);
}

static void host_sleep(void *ctx, gil_thread_t *gt, enum gil_sleep how, simtime_t timeout)
{
    sim_t *s = ctx;
    thread_t *t = gilhost_thread(gt);
    int core = thr_core(t);
    thr_block(s, t, how == GIL_SLEEP_SWITCH ? TS_SWITCH_WAIT : TS_GIL_WAIT, NULL);
    if (how == GIL_SLEEP_TIMED) {    /* its timer's interrupt comes late too (os/hrtimer.c) */
        simtime_t fires = st_add(timeout, os_timer_interrupt(&s->os, &t->os, core, timeout));
        eng_after(&s->eng, fires, timeout_fire, t, thr_next_gen(t));
    }
}

static void host_wake(void *ctx, gil_thread_t *gt, enum gil_wake how)
{
    thread_t *t = gilhost_thread(gt);
    if (how == GIL_WAKE_TIMEOUT)
        thr_unblock_timer(ctx, t, RESUME_GIL);
    else
        thr_unblock(ctx, t, how == GIL_WAKE_RETRY ? RESUME_GIL : RESUME_RUN);
}

static int host_on_core(void *ctx, const gil_thread_t *gt)
{
    (void)ctx;
    return gilhost_thread(gt)->os.core >= 0;
}

static gil_thread_t *host_first_waking(void *ctx, gil_t *g, simtime_t from, simtime_t until)
{
    process_t *p = g->proc;
    thread_t *best = NULL;
    (void)ctx;
    for (int i = 0; i < p->nthreads; i++) {
        thread_t *w = p->threads[i];
        if (w->gil == g && w->state == TS_GIL_WAIT && w->resume == RESUME_GIL &&
            w->wake_at >= from && w->wake_at <= until && (!best || w->wake_at < best->wake_at))
            best = w;
    }
    return best ? &best->gthr : NULL;
}

static int host_wake_preempts(void *ctx, const gil_thread_t *waker, const gil_thread_t *gt)
{
    sim_t *s = ctx;
    return os_wake_preempts(&s->os, &gilhost_thread(waker)->os, &gilhost_thread(gt)->os);
}

static int host_must_exit(void *ctx, const gil_thread_t *gt)
{
    const thread_t *t = gilhost_thread(gt);
    (void)ctx;
    return t->proc->finalize == FIN_TEARDOWN && !t->is_main;
}

static void host_exit_thread(void *ctx, gil_thread_t *gt)
{
    sim_t *s = ctx;
    s->rooms->exit_in_take_gil(s, gilhost_thread(gt));
}

static void host_replan(void *ctx, gil_thread_t *gt)
{
    thr_replan(ctx, gilhost_thread(gt));
}

static int host_stop_the_world(void *ctx, gil_t *g, simtime_t pause)
{
    sim_t *s = ctx;
    process_t *p = g->proc;
    if (p->done)
        return 0;
    for (int i = 0; i < p->nthreads; i++) {
        thread_t *t = p->threads[i];
        if (t->gil == g && t->state == TS_PY && t->os.core >= 0) {
            t->gthr.owed = st_add(t->gthr.owed, pause);
            thr_replan(s, t);
        }
    }
    if (p->nthreads)
        trace_event(s, p->threads[0], ME_STW_PAUSE, NULL);
    return 1;
}

static void host_trace(void *ctx, const gil_thread_t *gt, enum gil_event ev, const char *detail)
{
    trace_gil(ctx, gilhost_thread(gt), ev, detail);
}

static void host_trace_drop(void *ctx, const gil_thread_t *gt, enum drop_reason why)
{
    trace_gil(ctx, gilhost_thread(gt), GE_DROP, trace_drop_reason_names[why]);
}

static void host_trace_other(void *ctx, const gil_thread_t *gt, enum model_event event)
{
    trace_event(ctx, gilhost_thread(gt), event, NULL);
}

static const char *host_name(void *ctx, const gil_thread_t *gt)
{
    (void)ctx;
    return gilhost_thread(gt)->name;
}

static const gil_host_t host = {
    .sleep = host_sleep,
    .wake = host_wake,
    .on_core = host_on_core,
    .first_waking = host_first_waking,
    .wake_preempts = host_wake_preempts,
    .must_exit = host_must_exit,
    .exit_thread = host_exit_thread,
    .replan = host_replan,
    .stop_the_world = host_stop_the_world,
    .trace = host_trace,
    .trace_drop = host_trace_drop,
    .trace_other = host_trace_other,
    .name = host_name,
};

/* ---- creating GILs ---------------------------------------------------- */

/* Whether the trace sink takes what a policy reports (else the calls are
 * skipped: they would do nothing). */
static int gil_events_traced(const sim_t *s)
{
    return s->trace && (s->trace->gil || s->trace->event);
}

/* Room in the list before a GIL is allocated: a failure leaks nothing. */
static void reserve_gil(sim_t *s)
{
    if (s->ngils == s->capgils)
        s->gils = sim_grow(s, s->gils, &s->capgils, sizeof *s->gils);
}

static void setup(gil_t *g, sim_t *s, process_t *p, int interp, simtime_t interval)
{
    const gil_policy_entry_t *policy = gil_policy_lookup(s->cfg->python.gil);
    *g = (gil_t){0};
    g->ops = policy->ops;
    g->flags = policy->flags;
    g->host = &host;
    g->host_ctx = s;
    g->tracing = gil_events_traced(s);
    g->eng = &s->eng;
    g->rng = &s->rng;
    g->cfg = s->cfg;
    g->proc = p;
    g->interp = interp;
    g->interval = interval ? interval : s->cfg->python.switch_interval;
    reserve_gil(s);
    s->gils[s->ngils++] = g;     /* linked before its state: gilhost_free_all frees that */
    if (g->ops->gil_size)
        g->state = sim_calloc(s, 1, g->ops->gil_size);
    if (g->ops->init)
        g->ops->init(g);
}

void gilhost_init(gil_t *g, sim_t *s, process_t *p)
{
    setup(g, s, p, 0, 0);
}

gil_t *gilhost_of_interpreter(sim_t *s, process_t *p, int interp, int own_gil, simtime_t interval)
{
    if (!own_gil && !(p->gil.flags & GIL_OWN_PER_INTERPRETER))
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
    if (interp > p->last_interp)
        p->last_interp = interp;
    return g;
}

/* Numbered after every interpreter p has, configured ones included: all
 * of those exist from the start (sim.c builds a process's thread groups
 * at once), so a pool's interpreter never shares a group's GIL. */
gil_t *gilhost_new_interpreter(sim_t *s, process_t *p)
{
    return gilhost_of_interpreter(s, p, p->last_interp + 1, 1, 0);
}

void gilhost_free_all(sim_t *s)
{
    for (int i = 0; i < s->ngils; i++) {
        free(s->gils[i]->state);
        if (s->gils[i]->interp > 0)
            free(s->gils[i]);
    }
    free(s->gils);
    s->gils = NULL;
    s->ngils = 0;
}

void gilhost_trace_sink_set(sim_t *s)
{
    for (int i = 0; i < s->ngils; i++)
        s->gils[i]->tracing = gil_events_traced(s);
}

