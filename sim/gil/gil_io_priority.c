/* gil_io_priority.c — the I/O-priority GIL proposed for CPython in 2010
 * (bpo-7946, "Convoy effect with I/O bound threads and New GIL").
 *
 * The convoy: under the new GIL (gil_new.c) a thread back from a blocking
 * call finds the GIL held by a CPU-bound thread and must sleep a whole
 * switch interval before it may even ask for it, so a thread making many
 * short blocking calls pays an interval on each.  Beazley's patch on the
 * issue, and Pitrou's "interactiveness" patches after it, answered with
 * priorities: a thread that gives the GIL up by itself to block is
 * I/O-bound, one from which the GIL had to be taken is CPU-bound, and the
 * I/O-bound may take the GIL from the CPU-bound without waiting.  Neither
 * was merged (simple priorities have pathological cases of their own; the
 * issue was closed in 2021 without a fix).  This policy is that idea on top
 * of the new GIL's algorithm.
 *
 * Classes, per thread:
 *   Every thread starts I/O-bound.  One forced to drop the GIL (a drop
 *   request honoured at a check point), or dropping it to run native code
 *   on its core, becomes CPU-bound; one that releases it to block — io,
 *   sleep, an event loop's select, a wait on a lock, event, queue, join or
 *   future — is I/O-bound again.
 *
 * take_gil (acquire / wake):
 *   A free GIL is taken at once (barging, as in the new GIL), unless it is
 *   being handed to a priority waiter.  When it is held:
 *     - an I/O-bound thread whose holder is CPU-bound asks for it at once
 *       (drop_request, no interval first) and sleeps as a priority waiter
 *       until the GIL is handed to it, or for at most an interval: if the
 *       holder left by itself and another priority waiter got the GIL, it
 *       then waits as any other thread does;
 *     - any other thread waits as in the new GIL: a timed wait of a full
 *       interval, then a drop request if no switch happened meanwhile.
 *   Taking the GIL clears a pending drop request and wakes a forced
 *   dropper waiting for the hand-off.
 *
 * drop_gil (release):
 *   The releaser's class is updated.  If a priority waiter is asleep, the
 *   GIL is handed to the longest-waiting one: reserved for it, so that
 *   neither the dropper nor a CPU-bound waiter can re-take it before the
 *   I/O thread has woken up.  Else the longest-waiting ordinary waiter is
 *   signalled and whoever reaches take_gil first wins, as in the new GIL.
 *   With a drop request pending the dropper waits until another thread has
 *   taken the GIL (FORCE_SWITCHING).
 *
 * python.gil_wakeup does not apply: the hand-off order is the one above.
 * A thread that is I/O-bound but then computes keeps the GIL until a
 * waiter's interval runs out, is forced to drop it and so becomes
 * CPU-bound: priority lasts one burst, and CPU-bound threads among
 * themselves switch every interval, as under the new GIL. */
#include "gil/gil.h"

typedef struct iopri_gil {
    gil_force_t force;           /* drop request, forced switch */
    gil_queue_t urgent;          /* priority waiters, longest-waiting first */
    gil_queue_t waiters;         /* the others, asleep on the condvar */
    gil_thread_t *reserved;      /* the priority waiter the GIL was handed to */
} iopri_gil_t;

typedef struct iopri_thread {
    int cpu_bound;               /* was forced to drop, and has not blocked since */
    int urgent;                  /* in the urgent queue (else, if queued, in waiters) */
    int asleep;                  /* asleep on the GIL (not waking up) */
    int timed_out;
    uint64_t saved_switch;       /* switch_number when its timed wait began */
} iopri_thread_t;

static iopri_gil_t *state(const gil_t *g) { return g->state; }
_Static_assert(sizeof(iopri_thread_t) <= GIL_THREAD_ROOM && _Alignof(iopri_thread_t) <= 8,
               "a thread's state fits its room");
static iopri_thread_t *tstate(const gil_thread_t *t) { return t->state; }

static int free_for(const gil_t *g, const gil_thread_t *t)
{
    return !g->holder && (!state(g)->reserved || state(g)->reserved == t);
}

/* May t take the GIL from its holder without waiting an interval? */
static int has_priority(const gil_t *g, const gil_thread_t *t)
{
    return !tstate(t)->cpu_bound && g->holder && tstate(g->holder)->cpu_bound;
}

static void dequeue(gil_t *g, gil_thread_t *t)
{
    iopri_thread_t *w = tstate(t);
    gil_queue_remove(w->urgent ? &state(g)->urgent : &state(g)->waiters, t);
    w->urgent = 0;
}

static void take(gil_t *g, gil_thread_t *t)
{
    iopri_gil_t *s = state(g);
    dequeue(g, t);
    s->reserved = NULL;
    gil_take(g, t);
    gil_force_taken(g, &s->force);
}

/* t waits in queue q (urgent or waiters). */
static void enqueue(gil_t *g, gil_thread_t *t, gil_queue_t *q)
{
    dequeue(g, t);
    gil_queue_push(q, t);
    tstate(t)->urgent = q == &state(g)->urgent;
}

/* Sleeps on the GIL for at most one interval (the new GIL's timed wait);
 * timer slack makes the wake-up a little late. */
static int sleep_one_interval(gil_t *g, gil_thread_t *t)
{
    simtime_t wait = gil_interval_wait(g);
    iopri_thread_t *w = tstate(t);
    w->saved_switch = g->switch_number;
    w->timed_out = 0;
    w->asleep = 1;
    gil_sleep(g, t, GIL_SLEEP_TIMED, wait);
    return 0;
}

/* Asks the CPU-bound holder to drop now, and sleeps until handed the GIL.
 * The wait is timed all the same: when the holder leaves by itself (to
 * block, or at its end), the GIL goes to one priority waiter and the
 * drop request is spent, so another would otherwise sleep until that one
 * let go.  Timed out, it tries again as any waiter does: a drop request
 * if nothing moved, then the wait its new holder calls for. */
static int wait_with_priority(gil_t *g, gil_thread_t *t)
{
    enqueue(g, t, &state(g)->urgent);
    gil_force_request(g, &state(g)->force, t);
    return sleep_one_interval(g, t);
}

/* The new GIL's wait: one full interval on the condvar. */
static int wait_interval(gil_t *g, gil_thread_t *t)
{
    enqueue(g, t, &state(g)->waiters);
    return sleep_one_interval(g, t);
}

static int wait_for(gil_t *g, gil_thread_t *t)
{
    return has_priority(g, t) ? wait_with_priority(g, t) : wait_interval(g, t);
}

static void hand_off(gil_t *g);

/* t exits in take_gil at finalisation (gil.h): forgotten first; a GIL
 * handed to it goes to the next waiter. */
static int forget_and_exit(gil_t *g, gil_thread_t *t)
{
    iopri_gil_t *s = state(g);
    dequeue(g, t);
    tstate(t)->asleep = 0;
    if (s->reserved == t) {
        s->reserved = NULL;
        hand_off(g);
    }
    gil_exit_thread(g, t);
    return 0;
}

static int iopri_acquire(gil_t *g, gil_thread_t *t)
{
    if (gil_must_exit(g, t))
        return forget_and_exit(g, t);
    if (free_for(g, t)) {
        take(g, t);
        return 1;
    }
    gil_trace(g, t, GE_REQUEST, NULL);
    return wait_for(g, t);
}

static int iopri_wake(gil_t *g, gil_thread_t *t)
{
    iopri_thread_t *w = tstate(t);
    if (gil_must_exit(g, t))
        return forget_and_exit(g, t);
    if (w->timed_out && !free_for(g, t) && g->switch_number == w->saved_switch)
        gil_force_request(g, &state(g)->force, t);
    w->timed_out = 0;
    if (free_for(g, t)) {
        take(g, t);
        return 1;
    }
    return wait_for(g, t);
}

static void iopri_timeout(gil_t *g, gil_thread_t *t)
{
    dequeue(g, t);
    tstate(t)->timed_out = 1;
    tstate(t)->asleep = 0;
    gil_wake_thread(g, t, GIL_WAKE_TIMEOUT);
}

/* The GIL is free: to the first priority waiter, else signal an ordinary
 * one and let whoever comes first take it. */
static void hand_off(gil_t *g)
{
    iopri_gil_t *s = state(g);
    gil_thread_t *w = s->urgent.head;
    if (w)
        s->reserved = w;
    else
        w = s->waiters.head;
    if (!w)
        return;
    dequeue(g, w);
    if (!tstate(w)->asleep)
        return;
    tstate(w)->asleep = 0;
    tstate(w)->timed_out = 0;
    gil_wake_thread(g, w, GIL_WAKE_RETRY);     /* also makes its timer stale */
}

/* Priority is earned by blocking, lost by computing: being forced to drop
 * the GIL, or dropping it to run native code on the core. */
static void classify(gil_thread_t *t, enum drop_reason why)
{
    if (why == DROP_FORCED || why == DROP_NATIVE)
        tstate(t)->cpu_bound = 1;
    else if (why != DROP_EXIT)
        tstate(t)->cpu_bound = 0;       /* io, sleep, select, a wait */
}

static int iopri_release(gil_t *g, gil_thread_t *t, enum drop_reason why)
{
    iopri_gil_t *s = state(g);
    gil_let_go(g, t);
    g->last_holder = t;
    classify(t, why);
    gil_trace_drop(g, t, why);
    hand_off(g);
    return gil_force_released(g, &s->force, t, why);
}

static simtime_t iopri_run_budget(gil_t *g, gil_thread_t *t, simtime_t to_check)
{
    (void)t;
    return gil_force_budget(&state(g)->force, to_check);
}

static int iopri_checkpoint(gil_t *g, gil_thread_t *t)
{
    if (!state(g)->force.drop_request)
        return 1;
    return iopri_release(g, t, DROP_FORCED);
}

const gil_ops_t gil_io_priority_ops = {
    .name = "io-priority",
    .gil_size = sizeof(iopri_gil_t),
    .thread_size = sizeof(iopri_thread_t),
    .acquire = iopri_acquire,
    .wake = iopri_wake,
    .timeout = iopri_timeout,
    .release = iopri_release,
    .run_budget = iopri_run_budget,
    .checkpoint = iopri_checkpoint,
    .kill = gil_kill_holder,
};
