/* gil_new.c — CPython's GIL since 3.2 ("new GIL", Python/ceval_gil.c).
 *
 * State per GIL: locked, last_holder, switch_number (bumped when a
 * different thread takes it), drop_request, and the waiters asleep on the
 * GIL's condition variable.
 *
 * take_gil (acquire / wake):
 *   A thread that finds the GIL free takes it at once: there is no queue,
 *   so whoever reaches take_gil first while it is free wins ("barging") —
 *   typically a thread returning from a fast syscall, ahead of the waiter
 *   that the release signalled, which is still waking up.
 *   Otherwise it notes switch_number and sleeps in a timed wait of one full
 *   switch interval (plus the kernel's timer slack).  When the wait times
 *   out and the GIL is still held and no switch happened meanwhile, it sets
 *   drop_request.  Either way it loops: a new full interval, from now.
 *   Taking the GIL clears any pending drop_request and signals a forced
 *   dropper waiting for the hand-off.
 *
 * drop_gil (release):
 *   Frees the GIL and signals one waiter: which one is the kernel's choice
 *   in reality; python.gil_wakeup picks the model:
 *     os      the longest-waiting one, and whoever reaches take_gil first
 *             while the GIL is free wins (barging): the behaviour above;
 *     random  a random waiter, barging as os;
 *     fifo    a fair hand-off for comparison: the GIL is reserved for the
 *             longest waiter, which keeps its place in line across its
 *             timeouts; nobody barges.  If a drop request is pending — a forced drop at a check
 *   point, or a voluntary release that happens to coincide with one — the
 *   dropper clears the request and waits until another thread has taken the
 *   GIL (FORCE_SWITCHING), so it cannot win the race for it again.
 *   Threads that exit release without the hand-off.
 *
 * The holder honours drop_request at its next eval-breaker check point
 * (run_budget tells the interpreter how far that is), and then does
 * drop_gil + take_gil, i.e. becomes an ordinary waiter. */
#include "gil/gil.h"
#include "model/thread.h"
#include "model/trace.h"

/* Free for t: not held, and not handed to another waiter (fifo). */
static int free_for(const gil_t *g, const thread_t *t)
{
    return !g->locked && (!g->reserved || g->reserved == t);
}

static int fifo(const gil_t *g)
{
    return g->sim->cfg->python.gil_wakeup == WAKE_FIFO;
}

static void take(gil_t *g, thread_t *t)
{
    sim_t *s = g->sim;
    if (g->reserved == t || t->in_waitq)
        gil_waitq_remove(g, t);
    gil_take(g, t);
    if (g->switch_waiter) {
        thread_t *w = g->switch_waiter;
        g->switch_waiter = NULL;
        thr_unblock(s, w, RESUME_RUN);
    }
    g->drop_request = 0;
}

static void timer_fire(void *obj, uint64_t gen)
{
    thread_t *t = obj;
    if (t->os.gen != gen)
        return;
    gil_t *g = t->gil;
    if (!fifo(g))
        gil_waitq_remove(g, t);      /* fifo: a timed-out waiter keeps its place */
    t->timed_out = 1;
    t->gil_asleep = 0;
    thr_unblock(g->sim, t, RESUME_GIL);
}

/* Sleep on the condvar for one full interval. */
static int wait_interval(gil_t *g, thread_t *t)
{
    sim_t *s = g->sim;
    simtime_t slack = s->cfg->os.timer_slack;
    simtime_t late = slack ? (simtime_t)(rng_next(&s->rng) % (uint64_t)(slack + 1)) : 0;
    t->saved_switch = g->switch_number;
    t->timed_out = 0;
    if (!t->in_waitq)
        gil_waitq_push(g, t);
    t->gil_asleep = 1;
    thr_block(s, t, TS_GIL_WAIT, NULL);
    eng_after(&s->eng, st_add(g->interval, late), timer_fire, t, thr_next_gen(t));
    return 0;
}

static int new_acquire(gil_t *g, thread_t *t)
{
    if (free_for(g, t)) {
        take(g, t);
        return 1;
    }
    trace_gil(g->sim, t, GE_REQUEST, NULL);
    return wait_interval(g, t);
}

static void set_drop_request(gil_t *g, thread_t *requester)
{
    if (g->drop_request)
        return;
    g->drop_request = 1;
    g->drop_requests++;
    trace_gil(g->sim, requester, GE_DROP_REQUEST, g->holder ? g->holder->name : NULL);
    if (g->holder)
        thr_replan(g->sim, g->holder);
}

static int new_wake(gil_t *g, thread_t *t)
{
    if (t->timed_out && !free_for(g, t) && g->switch_number == t->saved_switch)
        set_drop_request(g, t);
    t->timed_out = 0;
    if (free_for(g, t)) {
        take(g, t);
        return 1;
    }
    return wait_interval(g, t);
}

static thread_t *pick_waiter(gil_t *g)
{
    thread_t *w = g->wq_head;
    if (w && g->sim->cfg->python.gil_wakeup == WAKE_RANDOM) {
        int n = 0;
        for (thread_t *x = g->wq_head; x; x = x->wq_next)
            n++;
        for (int k = (int)(rng_next(&g->sim->rng) % (uint64_t)n); k > 0; k--)
            w = w->wq_next;
    }
    return w;
}

static void signal_one(gil_t *g)
{
    thread_t *w = pick_waiter(g);
    if (!w)
        return;
    if (fifo(g))
        g->reserved = w;         /* handed over: it takes the GIL when it runs */
    else
        gil_waitq_remove(g, w);
    if (!w->gil_asleep)
        return;                  /* already on its way: it finds the GIL reserved */
    w->gil_asleep = 0;
    w->timed_out = 0;
    thr_unblock(g->sim, w, RESUME_GIL); /* also makes its timer stale */
}

static int new_release(gil_t *g, thread_t *t, enum drop_reason why)
{
    sim_t *s = g->sim;
    g->locked = 0;
    g->holder = NULL;
    g->last_holder = t;
    t->has_gil = 0;
    trace_gil(s, t, GE_DROP, trace_drop_reason_names[why]);
    signal_one(g);
    if (!g->drop_request || why == DROP_EXIT)
        return 1;
    g->drop_request = 0;
    if (why == DROP_FORCED) {
        t->forced_drops++;
        g->forced_drops++;
    }
    g->switch_waiter = t;
    thr_block(s, t, TS_SWITCH_WAIT, NULL);
    return 0;
}

static simtime_t new_run_budget(gil_t *g, thread_t *t, simtime_t to_check)
{
    (void)t;
    return g->drop_request ? to_check : SIMTIME_NEVER;
}

static int new_checkpoint(gil_t *g, thread_t *t)
{
    if (!g->drop_request)
        return 1;
    return new_release(g, t, DROP_FORCED);
}

const gil_ops_t gil_new_ops = {
    .name = "new",
    .exclusive = 1,
    .acquire = new_acquire,
    .wake = new_wake,
    .release = new_release,
    .run_budget = new_run_budget,
    .checkpoint = new_checkpoint,
};
