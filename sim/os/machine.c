/* machine.c — the OS scheduler: cores, one run queue, slices, wake-ups.
 *
 * A small model of Linux's CFS (kernel/sched/fair.c, <= 6.5) as it matters
 * to Python threads; `os.scheduler: rr` swaps in plain round robin.
 *  - Every thread has a vruntime: the CPU time it has had (all weights are
 *    equal).  The run queue is ordered by vruntime (FIFO for rr); runq.c
 *    keeps it and says which thread a core takes next.
 *  - A runnable thread takes a free core at once (its last core if free,
 *    else the lowest-numbered free one it may use), paying
 *    `os.context_switch` when the core last ran another thread, and
 *    `os.migration` more when it last ran on another core.
 *  - A woken sleeper is placed at max(its vruntime, min_vruntime - latency/2)
 *    (GENTLE_FAIR_SLEEPERS); if no core is free and its vruntime is more
 *    than `os.wakeup_granularity` below that of the running thread with the
 *    most, it preempts that thread at once (check_preempt_wakeup).
 *  - With more threads runnable than cores, a running thread is preempted
 *    after a slice of max(latency / runnable-per-core, min_granularity);
 *    latency, min_granularity and wakeup_granularity are scaled by
 *    1 + log2(min(cores, 8)) as the kernel scales them.  Slice timers are
 *    armed only while the queue is non-empty, so uncontended runs pay nothing.
 *  - Where a woken thread goes is select_task_rq_fair's choice, and what
 *    the wake-up costs depends on it:
 *      idle core   select_idle_sibling finds a core with nothing running
 *                  (its last core first): the thread is placed there and
 *                  runs `os.wake_latency` later, the IPI and the core's exit
 *                  from idle (`os.wake_latency_deep` once the core has
 *                  idled for `os.halt_poll`).  Until then the core is
 *                  pending: not idle for another wake-up (available_idle_cpu
 *                  is false while rq->ttwu_pending is set) nor free for
 *                  another thread.
 *      its own core  a timer's interrupt wakes its thread on the core that
 *                  armed it; if that core is free the thread runs there
 *                  at once (os_wake_timer), the interrupt's latency already
 *                  paid (hrtimer.c); else it is woken as below.
 *      waker's core  a sync wake-up (WF_SYNC: a socket or pipe write,
 *                  wake_up_interruptible_sync_poll; not a futex wake, so not
 *                  the GIL's pthread_cond_signal) by a thread alone on its
 *                  core, with no idle core: wake_affine_idle returns the
 *                  waker's core (`sync && nr_running == 1`).  The thread is
 *                  queued for that core alone, at once, and runs when the
 *                  waker blocks, paying only the context switch; wake-up
 *                  preemption is weighed against the waker only.
 *      run queue   otherwise (a plain wake-up with every core busy) it is
 *                  queued at once and check_preempt_wakeup decides, as above.
 *    A thread placed on a core waits for that core only (in Linux it sits
 *    in that core's queue; newidle balancing leaves a task that ran within
 *    sched_migration_cost where it is: task_hot).
 * Simplifications (see sim/README.md): one global queue instead of per-core trees
 * and load balancing (a thread a wake-up placed waits for its core, every
 * other queued thread for any core); no weights or nice levels; no
 * cache-hot heuristics beyond that; the idle-core search ignores cache
 * topology (every core shares one LLC, as on a small VM).
 *
 * Layer os (sim/os/): cores and the Linux scheduler that hands them to
 * threads, above the engine.  It knows a thread only as its os_thread_t
 * and tells the model what it did through the hooks the model registered
 * (os_hooks_t: dispatched, preempted, woken); it includes only the engine
 * and public headers below it. */
#include "os/cores.h"
#include "os/machine.h"

#define CORE_BITS 20             /* slice timer argument: core | gen << 20 */

static int ilog2(int x)
{
    int r = 0;
    while (x >>= 1)
        r++;
    return r;
}

void os_init(os_t *os, engine_t *eng, rng_t *rng, const config_t *cfg,
             const os_hooks_t *hooks, os_core_t *cores)
{
    *os = (os_t){.eng = eng, .rng = rng, .cfg = cfg, .hooks = hooks, .cores = cores,
                 .ncores = cfg->machine.cores};
    rq_init(&os->rq, cores, os->ncores, cfg->os.scheduler == SCHED_CFS);
    cores_init(cores, os->ncores);
    int n = os->ncores < 8 ? os->ncores : 8;
    simtime_t factor = 1 + ilog2(n);
    os->slice_latency = st_mul(cfg->os.sched_latency, factor);
    os->slice_min = st_mul(cfg->os.min_granularity, factor);
    os->wakeup_gran = st_mul(cfg->os.wakeup_granularity, factor);
}

int os_thread_init(os_t *os, os_thread_t *ot)
{
    *ot = (os_thread_t){.os = os, .core = -1, .last_core = -1, .target = -1};
    if (rq_reserve(&os->rq, os->threads + 1) < 0)
        return -1;
    os->threads++;
    return 0;
}

void os_free(os_t *os)
{
    rq_free(&os->rq);
}

static int cfs(const os_t *os)
{
    return os->cfg->os.scheduler == SCHED_CFS;
}

/* Core c is free for t: nothing runs there, and no wake-up of another
 * thread is on its way to it. */
static int free_for(const os_t *os, int c, const os_thread_t *t)
{
    const os_core_t *core = &os->cores[c];
    return !core->cur && (!core->pending || core->pending == t) && rq_allowed(t, c);
}

/* vruntime including the run in progress. */
static simtime_t vruntime_now(const os_t *os, const os_thread_t *t)
{
    return t->core >= 0 ? t->vruntime + (os->eng->now - t->exec_start) : t->vruntime;
}

static void core_set(os_t *os, int c, os_thread_t *t)
{
    os_core_t *core = &os->cores[c];
    simtime_t now = os->eng->now;
    if (core->cur && core->cur != t) {
        os_thread_t *old = core->cur;
        old->vruntime += now - old->exec_start;
    }
    if (!core->cur && t)
        core->busy_since = now;
    else if (core->cur && !t) {
        core->busy_ns += now - core->busy_since;
        core->idle_since = now;
    }
    core->cur = t;
    if (t) {
        core->last = t;
        t->core = c;
        t->last_core = c;
        t->exec_start = now;
        core->run_base = t->vruntime - now;
    }
    cores_ran(os->cores, os->ncores, c);
}

/* A core t may take now, its last one first, else the lowest-numbered,
 * or -1.  For a wake-up this is select_idle_sibling's idle core: one a
 * wake-up is on its way to is not idle (available_idle_cpu).  A thread a
 * wake-up placed may take that core alone; any other is free to take an
 * idle one (the core a wake-up holds for t is its target's). */
static int core_free(const os_t *os, const os_thread_t *t)
{
    if (t->last_core >= 0 && free_for(os, t->last_core, t))
        return t->last_core;
    if (t->target >= 0)
        return free_for(os, t->target, t) ? t->target : -1;
    return cores_first_idle(os->cores, os->ncores, t->affinity);
}

static simtime_t slice_length(const os_t *os)
{
    int runnable = os->rq.len + os->ncores;
    int per_core = (runnable + os->ncores - 1) / os->ncores;
    simtime_t slice = os->slice_latency / per_core;
    return slice > os->slice_min ? slice : os->slice_min;
}

/* The first queued thread core c may run, taken out of the queue. */
static os_thread_t *rq_pop(os_t *os, int c)
{
    os_thread_t *t = rq_first_for(&os->rq, c);
    if (t)
        rq_remove(&os->rq, t);
    return t;
}

static void update_min_vruntime(os_t *os)
{
    simtime_t m = SIMTIME_NEVER;
    int least = cores_least_running(os->cores, os->ncores);
    if (least >= 0)
        m = os->eng->now + os->cores[least].run_base;
    simtime_t first = rq_least_vruntime(&os->rq);
    if (first < m)
        m = first;
    if (m != SIMTIME_NEVER && m > os->min_vruntime)
        os->min_vruntime = m;
}

/* ---- dispatching -------------------------------------------------------- */

static void slice_end(void *obj, uint64_t arg);

static void slice_arm(os_t *os, int c)
{
    os_core_t *core = &os->cores[c];
    if (core->slice_armed || !core->cur)
        return;
    core->slice_armed = 1;
    cores_mark(os->cores, os->ncores, c);
    eng_after(os->eng, slice_length(os), slice_end, os,
              ((uint64_t)++core->gen << CORE_BITS) | (uint64_t)c);
}

static void dispatch_done(void *obj, uint64_t gen)
{
    os_thread_t *t = obj;
    if (t->gen != gen)
        return;
    t->os->hooks->dispatched(t);
}

/* Puts t on core c.  The thread starts after the switch costs; the start
 * always goes through the event queue, so no call chain grows with the
 * number of threads handed a core in a row. */
static void dispatch(os_t *os, os_thread_t *t, int c)
{
    simtime_t cost = os->cores[c].last != t ? os->cfg->os.context_switch : 0;
    if (t->last_core >= 0 && t->last_core != c) {
        cost = st_add(cost, os->cfg->os.migration);
        t->migrations++;
    }
    core_set(os, c, t);
    t->target = -1;
    eng_after(os->eng, cost, dispatch_done, t, ++t->gen);
    if (os->rq.len)
        slice_arm(os, c);
}

/* Takes t off core c (it stays runnable) and gives c to the next thread. */
static void preempt(os_t *os, os_thread_t *t, int c, os_thread_t *next)
{
    core_set(os, c, NULL);
    t->core = -1;
    os->hooks->preempted(t);
    rq_push(&os->rq, t);
    if (next)
        rq_remove(&os->rq, next);
    else
        next = rq_pop(os, c);
    if (next)
        dispatch(os, next, c);
}

/* Among the cores t may run on, the one whose running thread has the most
 * vruntime (the lowest-numbered among equals), or -1: a thread placed on a
 * core has that core alone, any other the cores its affinity allows. */
static int most_served_core(const os_t *os, const os_thread_t *t)
{
    if (t->target >= 0)
        return os->cores[t->target].cur && rq_allowed(t, t->target) ? t->target : -1;
    return cores_most_running(os->cores, os->ncores, t->affinity);
}

/* check_preempt_wakeup: the running thread t may preempt, if any. */
static int preempt_victim(const os_t *os, const os_thread_t *t)
{
    int victim = most_served_core(os, t);
    if (victim >= 0 && st_add(t->vruntime, os->wakeup_gran) <
                           vruntime_now(os, os->cores[victim].cur))
        return victim;
    return -1;
}

void os_ready(os_t *os, os_thread_t *t)
{
    int c = core_free(os, t);
    if (c >= 0) {
        dispatch(os, t, c);
        return;
    }
    rq_push(&os->rq, t);
    if (cfs(os) && t->placed && (c = preempt_victim(os, t)) >= 0) {
        t->placed = 0;
        preempt(os, os->cores[c].cur, c, t);
        return;
    }
    t->placed = 0;
    for (c = cores_next(os->cores, os->ncores, CORES_UNARMED, 0); c >= 0;
         c = cores_next(os->cores, os->ncores, CORES_UNARMED, c + 1))
        slice_arm(os, c);
}

static void slice_end(void *obj, uint64_t arg)
{
    os_t *os = obj;
    int c = (int)(arg & ((1u << CORE_BITS) - 1));
    os_core_t *core = &os->cores[c];
    if (core->gen != arg >> CORE_BITS)
        return;
    core->slice_armed = 0;
    cores_mark(os->cores, os->ncores, c);
    if (!os->rq.len || !core->cur)
        return;
    os_thread_t *next = rq_first_for(&os->rq, c);
    if (!next)
        return;
    preempt(os, core->cur, c, next);
}

/* ---- wake-ups ----------------------------------------------------------- */

/* t's wake-up no longer goes to the core it was placed on. */
static void unpend(os_t *os, os_thread_t *t)
{
    if (t->target >= 0 && os->cores[t->target].pending == t) {
        os->cores[t->target].pending = NULL;
        cores_mark(os->cores, os->ncores, t->target);
    }
}

static void wake_arrive(void *obj, uint64_t gen)
{
    os_thread_t *t = obj;
    if (t->gen != gen)
        return;
    unpend(t->os, t);
    t->os->hooks->woken(t);
    os_ready(t->os, t);
}

void os_place_new(os_t *os, os_thread_t *t)
{
    update_min_vruntime(os);
    t->vruntime = os->min_vruntime;
}

/* Sleeper placement: a thread that slept gets at most half a latency of
 * credit over the most-served runnable thread. */
static void place_sleeper(os_t *os, os_thread_t *t)
{
    update_min_vruntime(os);
    simtime_t floor = os->min_vruntime - os->slice_latency / 2;
    if (t->vruntime < floor)
        t->vruntime = floor;
    t->placed = 1;
}

/* Where t's wake-up goes (select_task_rq_fair): an idle core, or, for a
 * sync wake-up by a thread alone on its core, that core (wake_affine_idle);
 * -1: the run queue, where wake-up preemption decides. */
static int wake_target(const os_t *os, const os_thread_t *t, const os_thread_t *waker)
{
    int c = core_free(os, t);
    if (c >= 0 || !waker || !cfs(os))
        return c;
    if (waker->core >= 0 && !os->rq.len && rq_allowed(t, waker->core))
        return waker->core;
    return -1;
}

/* An idle core polls for work for os.halt_poll before it halts (KVM's
 * halt polling; on bare metal, a shallow idle state before a deep one). */
int os_core_halted(const os_t *os, int c, simtime_t at)
{
    return at - os->cores[c].idle_since >= os->cfg->os.halt_poll;
}

/* A wake-up onto an idle core that still polls is cheap; one onto a core
 * that has halted pays the full exit. */
static const dist_t *idle_wake_latency(const os_t *os, int c)
{
    return os_core_halted(os, c, os->eng->now) ? &os->cfg->os.wake_latency_deep
                                               : &os->cfg->os.wake_latency;
}

/* t, woken, becomes runnable `lat` from now on core c (pending there if
 * it is idle), or in the run queue (c < 0). */
static simtime_t wake_onto(os_t *os, os_thread_t *t, int c, simtime_t lat)
{
    if (c >= 0 && !os->cores[c].cur) {
        os->cores[c].pending = t;
        cores_mark(os->cores, os->ncores, c);
    }
    t->target = c;
    eng_after(os->eng, lat, wake_arrive, t, ++t->gen);
    return st_add(os->eng->now, lat);
}

static simtime_t wake(os_t *os, os_thread_t *t, const os_thread_t *waker)
{
    unpend(os, t);
    t->target = -1;
    place_sleeper(os, t);
    int c = wake_target(os, t, waker);
    simtime_t lat = 0;
    if (c >= 0 && !os->cores[c].cur)        /* an idle core: its exit from idle, the IPI */
        lat = dist_draw(idle_wake_latency(os, c), os->rng);
    return wake_onto(os, t, c, lat);
}

simtime_t os_wake(os_t *os, os_thread_t *t)
{
    return wake(os, t, NULL);
}

/* A timer on a core that is free: its interrupt already woke the core
 * (hrtimer.c charged that), so the thread is runnable there at once. */
simtime_t os_wake_timer(os_t *os, os_thread_t *t)
{
    int c = t->last_core;
    unpend(os, t);
    t->target = -1;
    if (c < 0 || c >= os->ncores || !free_for(os, c, t))
        return wake(os, t, NULL);
    place_sleeper(os, t);
    return wake_onto(os, t, c, 0);
}

simtime_t os_wake_sync(os_t *os, os_thread_t *t, const os_thread_t *waker)
{
    return wake(os, t, waker);
}

int os_wake_preempts(os_t *os, const os_thread_t *waker, os_thread_t *t)
{
    if (!cfs(os) || core_free(os, t) >= 0 || waker->core < 0 || !rq_allowed(t, waker->core))
        return 0;
    simtime_t saved = t->vruntime;
    place_sleeper(os, t);
    t->placed = 0;
    int preempts = st_add(t->vruntime, os->wakeup_gran) < vruntime_now(os, waker);
    t->vruntime = saved;
    return preempts;
}

int os_leave(os_t *os, os_thread_t *t)
{
    int c = t->core;
    if (c >= 0)
        core_set(os, c, NULL);
    t->core = -1;
    return c;
}

void os_core_idle(os_t *os, int c)
{
    if (c < 0)
        return;
    os_thread_t *next = rq_pop(os, c);
    if (next)
        dispatch(os, next, c);
}

int os_queued_for(const os_t *os, int c)
{
    return rq_first_for(&os->rq, c) != NULL;
}

void os_remove(os_t *os, os_thread_t *t)
{
    unpend(os, t);
    t->target = -1;
    if (t->core >= 0)
        os_core_idle(os, os_leave(os, t));
    else
        rq_remove(&os->rq, t);
}

void os_close(os_t *os)
{
    for (int c = 0; c < os->ncores; c++) {
        os_core_t *core = &os->cores[c];
        if (core->cur) {
            core->busy_ns += os->eng->now - core->busy_since;
            core->busy_since = os->eng->now;
        }
    }
}
