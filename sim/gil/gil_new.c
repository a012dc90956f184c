/* gil_new.c — CPython's GIL since 3.2 ("new GIL", Python/ceval_gil.c).
 *
 * State per GIL: the holder (NULL while free), last_holder, switch_number (bumped
 * when a different thread takes it: gil.c), and, private to this file,
 * drop_request, the waiters asleep on the GIL's condition variable, the
 * forced dropper waiting for the hand-off and, with gil_wakeup fifo, the
 * waiter the GIL is handed to.  Per waiter: the switch_number it saw, and
 * whether its timed wait ran out.
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
 *             timeouts; nobody barges.
 *   If a drop request is pending — a forced drop at a check point, or a
 *   voluntary release that happens to coincide with one — the dropper
 *   clears the request and waits until another thread has taken the GIL
 *   (FORCE_SWITCHING), so it cannot win the race for it again.
 *   Threads that exit release without the hand-off.
 *
 * The holder honours drop_request at its next eval-breaker check point
 * (run_budget tells the interpreter how far that is), and then does
 * drop_gil + take_gil, i.e. becomes an ordinary waiter. */
#include "gil/gil.h"

typedef struct new_gil {
    gil_force_t force;           /* drop request, forced switch */
    gil_queue_t waiters;         /* asleep on the condvar, longest-waiting first */
    gil_thread_t *reserved;      /* handed to this waiter (gil_wakeup fifo) */
} new_gil_t;

typedef struct new_thread {
    uint64_t saved_switch;       /* switch_number when its wait began */
    int timed_out;
    int asleep;                  /* asleep on the condvar (not waking up) */
} new_thread_t;

static new_gil_t *state(const gil_t *g) { return g->state; }
_Static_assert(sizeof(new_thread_t) <= GIL_THREAD_ROOM && _Alignof(new_thread_t) <= 8,
               "a thread's state fits its room");
static new_thread_t *tstate(const gil_thread_t *t) { return t->state; }

/* Free for t: not held, and not handed to another waiter (fifo). */
static int free_for(const gil_t *g, const gil_thread_t *t)
{
    return !g->holder && (!state(g)->reserved || state(g)->reserved == t);
}

static int fifo(const gil_t *g)
{
    return g->cfg->python.gil_wakeup == WAKE_FIFO;
}

static void take(gil_t *g, gil_thread_t *t)
{
    new_gil_t *n = state(g);
    if (n->reserved == t || t->queued)
        gil_queue_remove(&n->waiters, t);
    n->reserved = NULL;
    gil_take(g, t);
    gil_force_taken(g, &n->force);
}

static void new_timeout(gil_t *g, gil_thread_t *t)
{
    if (!fifo(g))
        gil_queue_remove(&state(g)->waiters, t);  /* fifo: a timed-out waiter keeps its place */
    tstate(t)->timed_out = 1;
    tstate(t)->asleep = 0;
    gil_wake_thread(g, t, GIL_WAKE_TIMEOUT);
}

/* Sleep on the condvar for one full interval. */
static int wait_interval(gil_t *g, gil_thread_t *t)
{
    simtime_t wait = gil_interval_wait(g);
    new_thread_t *w = tstate(t);
    w->saved_switch = g->switch_number;
    w->timed_out = 0;
    if (!t->queued)
        gil_queue_push(&state(g)->waiters, t);
    w->asleep = 1;
    gil_sleep(g, t, GIL_SLEEP_TIMED, wait);
    return 0;
}

static void signal_one(gil_t *g);

/* t exits in take_gil at finalisation (gil.h): forgotten first; a GIL
 * handed to it (fifo) goes to the next waiter. */
static int forget_and_exit(gil_t *g, gil_thread_t *t)
{
    new_gil_t *n = state(g);
    gil_queue_remove(&n->waiters, t);
    tstate(t)->asleep = 0;
    if (n->reserved == t) {
        n->reserved = NULL;
        signal_one(g);
    }
    gil_exit_thread(g, t);
    return 0;
}

static int new_acquire(gil_t *g, gil_thread_t *t)
{
    if (gil_must_exit(g, t))
        return forget_and_exit(g, t);
    if (free_for(g, t)) {
        take(g, t);
        return 1;
    }
    gil_trace(g, t, GE_REQUEST, NULL);
    return wait_interval(g, t);
}

static int new_wake(gil_t *g, gil_thread_t *t)
{
    new_thread_t *w = tstate(t);
    if (gil_must_exit(g, t))
        return forget_and_exit(g, t);
    if (w->timed_out && !free_for(g, t) && g->switch_number == w->saved_switch)
        gil_force_request(g, &state(g)->force, t);
    w->timed_out = 0;
    if (free_for(g, t)) {
        take(g, t);
        return 1;
    }
    return wait_interval(g, t);
}

static gil_thread_t *pick_waiter(gil_t *g)
{
    gil_thread_t *w = state(g)->waiters.head;
    if (w && g->cfg->python.gil_wakeup == WAKE_RANDOM) {
        int n = 0;
        for (gil_thread_t *x = w; x; x = x->q_next)
            n++;
        for (int k = (int)(rng_next(g->rng) % (uint64_t)n); k > 0; k--)
            w = w->q_next;
    }
    return w;
}

static void signal_one(gil_t *g)
{
    new_gil_t *n = state(g);
    gil_thread_t *w = pick_waiter(g);
    if (!w)
        return;
    if (fifo(g))
        n->reserved = w;         /* handed over: it takes the GIL when it runs */
    else
        gil_queue_remove(&n->waiters, w);
    if (!tstate(w)->asleep)
        return;                  /* already on its way: it finds the GIL reserved */
    tstate(w)->asleep = 0;
    tstate(w)->timed_out = 0;
    gil_wake_thread(g, w, GIL_WAKE_RETRY);     /* also makes its timer stale */
}

static int new_release(gil_t *g, gil_thread_t *t, enum drop_reason why)
{
    new_gil_t *n = state(g);
    gil_let_go(g, t);
    g->last_holder = t;
    gil_trace_drop(g, t, why);
    signal_one(g);
    return gil_force_released(g, &n->force, t, why);
}

static simtime_t new_run_budget(gil_t *g, gil_thread_t *t, simtime_t to_check)
{
    (void)t;
    return gil_force_budget(&state(g)->force, to_check);
}

static int new_checkpoint(gil_t *g, gil_thread_t *t)
{
    if (!state(g)->force.drop_request)
        return 1;
    return new_release(g, t, DROP_FORCED);
}

const gil_ops_t gil_new_ops = {
    .name = "new",
    .gil_size = sizeof(new_gil_t),
    .thread_size = sizeof(new_thread_t),
    .acquire = new_acquire,
    .wake = new_wake,
    .timeout = new_timeout,
    .release = new_release,
    .run_budget = new_run_budget,
    .checkpoint = new_checkpoint,
    .kill = gil_kill_holder,
};
