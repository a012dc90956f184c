/* gil_old.c — the GIL of Python <= 3.1 and 2.x (ceval.c's ticker).
 *
 * The GIL is a plain lock (a POSIX semaphore on Linux, a mutex + condvar
 * on OS X).  The holder counts ticks (bytecode instructions); every
 * `python.check_interval` ticks (default 100) it releases the lock and
 * immediately takes it back: no hand-off, no waiting for a waiter.
 *   - A release with threads waiting signals the lock; that costs the
 *     holder `python.old_signal` (a futex/Mach syscall and its bookkeeping)
 *     at every such check — on one core too, where the signalled waiter
 *     cannot even run (Beazley measured ~1 syscall per check on 1 CPU).
 *   - The woken waiter needs a core and a wake-up latency; by then the
 *     holder has the lock again, so the waiter finds it taken ("GIL
 *     battle"): a failed wake-up, counted, after which it sleeps again and
 *     is signalled at a later check.  On a multicore machine each futile
 *     wake-up on another core also slows the holder (`python.old_contention`:
 *     the lock's cache line and futex bouncing between cores).
 *   - A waiter wins only if it arrives within `python.old_window` after a
 *     release, before the holder's re-acquire: rare, so switches take
 *     hundreds to thousands of checks.  On one core a switch needs the OS to
 *     run the waiter while the holder is off its core.
 *   - Blocking I/O releases the lock and takes it back after, as before.
 * Ticks are not time: a tick is `python.opcode_time` of bytecode, and a
 * C call holding the GIL (`hold`) counts as one tick, whatever it lasts:
 * PyEval_EvalFrameEx (Python/ceval.c, 2.x to 3.1) decrements _Py_Ticker
 * once per instruction at the top of its loop, and the C function runs
 * inside one CALL_FUNCTION (the interpreter, thread.c, counts it so). */
#include "gil/gil.h"

typedef struct old_gil {
    gil_queue_t sleepers;        /* asleep on the lock, longest-sleeping first */
    int nwaiting;                /* threads that want it (asleep or waking) */
    gil_thread_t *reserved;      /* the waiter that won the race at a check */
    simtime_t ticker;            /* bytecode time left until the next check */
    simtime_t owed;              /* futile wake-ups' cost the holder has yet to pay */
} old_gil_t;

static old_gil_t *state(const gil_t *g) { return g->state; }

static simtime_t check_period(const gil_t *g)
{
    const config_t *c = g->cfg;
    return st_mul(c->python.opcode_time, c->python.check_interval);
}

static void old_init(gil_t *g)
{
    state(g)->ticker = check_period(g);
}

static int free_for(const gil_t *g, const gil_thread_t *t)
{
    return !g->holder && (!state(g)->reserved || state(g)->reserved == t);
}

static void take(gil_t *g, gil_thread_t *t)
{
    state(g)->reserved = NULL;
    gil_take(g, t);
}

static int sleep_on_lock(gil_t *g, gil_thread_t *t)
{
    gil_queue_push(&state(g)->sleepers, t);
    gil_sleep(g, t, GIL_SLEEP_WAIT, 0);
    return 0;
}

static void signal_one(gil_t *g);

/* t exits in take_gil at finalisation (gil.h): forgotten first (waiting
 * is 1 for a waiter); a lock it won goes to the next sleeper. */
static int forget_and_exit(gil_t *g, gil_thread_t *t, int waiting)
{
    old_gil_t *o = state(g);
    gil_queue_remove(&o->sleepers, t);
    o->nwaiting -= waiting;
    if (o->reserved == t) {
        o->reserved = NULL;
        signal_one(g);
    }
    gil_exit_thread(g, t);
    return 0;
}

static int old_acquire(gil_t *g, gil_thread_t *t)
{
    if (gil_must_exit(g, t))
        return forget_and_exit(g, t, 0);
    if (free_for(g, t)) {
        take(g, t);
        return 1;
    }
    gil_trace(g, t, GE_REQUEST, NULL);
    state(g)->nwaiting++;
    if (g->holder)
        gil_replan(g, g->holder);    /* its checks now have work to do */
    return sleep_on_lock(g, t);
}

/* A signalled waiter got a core: the lock is free, or it lost the race. */
static int old_wake(gil_t *g, gil_thread_t *t)
{
    old_gil_t *o = state(g);
    if (gil_must_exit(g, t))
        return forget_and_exit(g, t, 1);
    if (free_for(g, t)) {
        o->nwaiting--;
        take(g, t);
        return 1;
    }
    g->failed_wakeups++;
    if (g->holder && g->host->on_core(g->host_ctx, g->holder))
        o->owed = st_add(o->owed, g->cfg->python.old_contention);
    gil_trace_other(g, t, ME_GIL_FAILED_WAKEUP);
    return sleep_on_lock(g, t);
}

static void signal_one(gil_t *g)
{
    gil_thread_t *w = gil_queue_pop(&state(g)->sleepers);
    if (w)
        gil_wake_thread(g, w, GIL_WAKE_RETRY);
}

static int old_release(gil_t *g, gil_thread_t *t, enum drop_reason why)
{
    gil_let_go(g, t);
    gil_trace_drop(g, t, why);
    signal_one(g);
    return 1;
}

/* A signalled waiter whose wake-up lands inside the release window (one
 * asleep on the lock has no wake-up on its way). */
static gil_thread_t *racing_waiter(gil_t *g)
{
    simtime_t now = g->eng->now;
    return g->host->first_waking(g->host_ctx, g, now, st_add(now, g->cfg->python.old_window));
}

static simtime_t old_run_budget(gil_t *g, gil_thread_t *t, simtime_t to_check)
{
    old_gil_t *o = state(g);
    (void)t;
    (void)to_check;
    if (!o->nwaiting)
        return SIMTIME_NEVER;    /* checks with nobody waiting change nothing */
    return o->ticker > 0 ? o->ticker : 0;
}

static void old_ran(gil_t *g, gil_thread_t *t, simtime_t ns)
{
    (void)t;
    if (state(g)->nwaiting)
        state(g)->ticker -= ns;
}

/* The waiter w gets there first: the holder drops and waits its turn. */
static int lose_the_race(gil_t *g, gil_thread_t *t, gil_thread_t *w)
{
    old_release(g, t, DROP_FORCED);
    state(g)->reserved = w;
    t->forced_drops++;
    g->forced_drops++;
    return old_acquire(g, t);
}

/* The ticker after a check that found it run out (ticker <= 0): the
 * counter is reset by whole periods until positive again — bytecode
 * past several periods (a segment that ran before anyone waited: ran()
 * drains it when the waiter comes) gives one check, not one per period.
 * In O(1): the k = -ticker/period + 1 periods a loop of `ticker += period`
 * would add. */
static simtime_t next_ticker(simtime_t ticker, simtime_t period)
{
    return ticker + (-ticker / period + 1) * period;
}

/* release + immediate re-acquire, every check_interval ticks */
static int old_checkpoint(gil_t *g, gil_thread_t *t)
{
    old_gil_t *o = state(g);
    if (!o->nwaiting || o->ticker > 0)
        return 1;
    o->ticker = next_ticker(o->ticker, check_period(g));
    simtime_t cost = st_add(g->cfg->python.old_signal, o->owed);
    o->owed = 0;
    gil_thread_t *w = racing_waiter(g);
    if (!w && o->sleepers.head && g->host->wake_preempts(g->host_ctx, t, o->sleepers.head)) {
        /* the signal wakes a sleeper with a vruntime lead: the kernel
         * preempts the holder on return from the syscall, before it can
         * take the lock back (how switches happen on one core) */
        w = gil_queue_pop(&o->sleepers);
        gil_wake_thread(g, w, GIL_WAKE_RETRY);
    }
    if (w)
        return lose_the_race(g, t, w);
    gil_trace_drop(g, t, DROP_CHECK);
    gil_trace(g, t, GE_TAKE, "same");
    signal_one(g);
    t->owed = st_add(t->owed, cost);
    o->ticker += cost;           /* the check's cost is not bytecode */
    return 1;
}

const gil_ops_t gil_old_ops = {
    .name = "old",
    .gil_size = sizeof(old_gil_t),
    .init = old_init,
    .acquire = old_acquire,
    .wake = old_wake,
    .release = old_release,
    .run_budget = old_run_budget,
    .checkpoint = old_checkpoint,
    .ran = old_ran,
    .kill = gil_kill_holder,
};
