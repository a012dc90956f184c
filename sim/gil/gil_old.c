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
 * C call holding the GIL (`hold`) counts as one tick. */
#include "gil/gil.h"
#include "os/machine.h"
#include "model/thread.h"
#include "model/trace.h"

static simtime_t check_period(const gil_t *g)
{
    const config_t *c = g->sim->cfg;
    return st_mul(c->python.opcode_time, c->python.check_interval);
}

static void take(gil_t *g, thread_t *t)
{
    gil_take(g, t);
}

static int sleep_on_lock(gil_t *g, thread_t *t)
{
    gil_waitq_push(g, t);
    thr_block(g->sim, t, TS_GIL_WAIT, NULL);
    return 0;
}

static int old_acquire(gil_t *g, thread_t *t)
{
    if (!g->locked && (!g->reserved || g->reserved == t)) {
        take(g, t);
        return 1;
    }
    trace_gil(g->sim, t, GE_REQUEST, NULL);
    g->nwaiting++;
    if (g->holder)
        thr_replan(g->sim, g->holder);   /* its checks now have work to do */
    return sleep_on_lock(g, t);
}

/* A signalled waiter got a core: the lock is free, or it lost the race. */
static int old_wake(gil_t *g, thread_t *t)
{
    if (!g->locked && (!g->reserved || g->reserved == t)) {
        g->nwaiting--;
        take(g, t);
        return 1;
    }
    g->failed_wakeups++;
    if (g->holder && g->holder->os.core >= 0)
        g->owed = st_add(g->owed, g->sim->cfg->python.old_contention);
    trace_event(g->sim, t, ME_GIL_FAILED_WAKEUP, NULL);
    return sleep_on_lock(g, t);
}

static void signal_one(gil_t *g)
{
    thread_t *w = gil_waitq_pop(g);
    if (w)
        thr_unblock(g->sim, w, RESUME_GIL);
}

static int old_release(gil_t *g, thread_t *t, enum drop_reason why)
{
    g->locked = 0;
    g->holder = NULL;
    t->has_gil = 0;
    trace_gil(g->sim, t, GE_DROP, trace_drop_reason_names[why]);
    signal_one(g);
    return 1;
}

/* A woken waiter whose wake-up lands inside the release window. */
static thread_t *racing_waiter(gil_t *g)
{
    simtime_t now = g->sim->eng.now, until = st_add(now, g->sim->cfg->python.old_window);
    thread_t *best = NULL;
    process_t *p = g->proc;
    for (int i = 0; i < p->nthreads; i++) {
        thread_t *w = p->threads[i];
        if (w->gil == g && w->state == TS_GIL_WAIT && !w->in_waitq && w->resume == RESUME_GIL &&
            w->wake_at >= now && w->wake_at <= until && (!best || w->wake_at < best->wake_at))
            best = w;
    }
    return best;
}

static simtime_t old_run_budget(gil_t *g, thread_t *t, simtime_t to_check)
{
    (void)t;
    (void)to_check;
    if (!g->nwaiting)
        return SIMTIME_NEVER;    /* checks with nobody waiting change nothing */
    return g->ticker > 0 ? g->ticker : 0;
}

static void old_ran(gil_t *g, thread_t *t, simtime_t ns)
{
    (void)t;
    if (g->nwaiting)
        g->ticker -= ns;
}

/* release + immediate re-acquire, every check_interval ticks */
static int old_checkpoint(gil_t *g, thread_t *t)
{
    if (!g->nwaiting || g->ticker > 0)
        return 1;
    while (g->ticker <= 0)
        g->ticker += check_period(g);
    simtime_t cost = st_add(g->sim->cfg->python.old_signal, g->owed);
    g->owed = 0;
    thread_t *w = racing_waiter(g);
    if (!w && g->wq_head && os_wake_preempts(&g->sim->os, &t->os, &g->wq_head->os)) {
        /* the signal wakes a sleeper with a vruntime lead: the kernel
         * preempts the holder on return from the syscall, before it can
         * take the lock back (how switches happen on one core) */
        w = gil_waitq_pop(g);
        thr_unblock(g->sim, w, RESUME_GIL);
    }
    if (w) {                     /* the waiter gets there first */
        old_release(g, t, DROP_FORCED);
        g->reserved = w;
        t->forced_drops++;
        g->forced_drops++;
        return old_acquire(g, t);
    }
    trace_gil(g->sim, t, GE_DROP, trace_drop_reason_names[DROP_CHECK]);
    trace_gil(g->sim, t, GE_TAKE, "same");
    signal_one(g);
    t->owed = st_add(t->owed, cost);
    g->ticker += cost;           /* the check's cost is not bytecode */
    return 1;
}

const gil_ops_t gil_old_ops = {
    .name = "old",
    .exclusive = 1,
    .acquire = old_acquire,
    .wake = old_wake,
    .release = old_release,
    .run_budget = old_run_budget,
    .checkpoint = old_checkpoint,
    .ran = old_ran,
};
