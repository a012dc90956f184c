/* machine.c — the OS scheduler: cores, one run queue, slices, wake-ups.
 *
 * A small model of Linux's CFS (kernel/sched/fair.c, <= 6.5) as it matters
 * to Python threads; `os.scheduler: rr` swaps in plain round robin.
 *  - Every thread has a vruntime: the CPU time it has had (all weights are
 *    equal).  The run queue is ordered by vruntime (FIFO for rr).
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
 *  - A woken thread is runnable `os.wake_latency` after the wake-up when a
 *    core is idle for it (the cross-core wake-up path); when every core it
 *    may use is busy it is queued at once, and preemption decides.
 * Simplifications (see README): one global queue instead of per-core trees
 * and load balancing; no weights or nice levels; no cache-hot heuristics.
 *
 * Layer os (sim/os/): cores and the Linux scheduler that hands them to
 * threads, above the engine.  For now it still includes model/thread.h
 * and calls back into it (thr_dispatched, thr_preempted, thr_set_state):
 * that upward include is to become a narrow interface of its own. */
#include <stdio.h>
#include <stdlib.h>
#include "os/machine.h"
#include "model/thread.h"

#define CORE_BITS 20             /* slice timer argument: core | gen << 20 */

static int ilog2(int x)
{
    int r = 0;
    while (x >>= 1)
        r++;
    return r;
}

void os_init(sim_t *s)
{
    int n = s->ncores < 8 ? s->ncores : 8;
    simtime_t factor = 1 + ilog2(n);
    s->slice_latency = st_mul(s->cfg->os.sched_latency, factor);
    s->slice_min = st_mul(s->cfg->os.min_granularity, factor);
    s->wakeup_gran = st_mul(s->cfg->os.wakeup_granularity, factor);
}

static int cfs(const sim_t *s)
{
    return s->cfg->os.scheduler == SCHED_CFS;
}

static int allowed(const thread_t *t, int c)
{
    return !t->affinity || (c < 64 && (t->affinity >> c) & 1);
}

/* vruntime including the run in progress. */
static simtime_t vruntime_now(const sim_t *s, const thread_t *t)
{
    return t->core >= 0 ? t->vruntime + (s->eng.now - t->exec_start) : t->vruntime;
}

static void core_set(sim_t *s, int c, thread_t *t)
{
    core_t *core = &s->cores[c];
    simtime_t now = s->eng.now;
    if (core->cur && core->cur != t) {
        thread_t *old = core->cur;
        old->vruntime += now - old->exec_start;
    }
    if (!core->cur && t)
        core->busy_since = now;
    else if (core->cur && !t)
        core->busy_ns += now - core->busy_since;
    core->cur = t;
    if (t) {
        core->last = t;
        t->core = c;
        t->last_core = c;
        t->exec_start = now;
    }
}

static int core_free(const sim_t *s, const thread_t *t)
{
    if (t->last_core >= 0 && !s->cores[t->last_core].cur && allowed(t, t->last_core))
        return t->last_core;
    for (int c = 0; c < s->ncores; c++)
        if (!s->cores[c].cur && allowed(t, c))
            return c;
    return -1;
}

static simtime_t slice_length(const sim_t *s)
{
    int runnable = s->rq_len + s->ncores;
    int per_core = (runnable + s->ncores - 1) / s->ncores;
    simtime_t slice = s->slice_latency / per_core;
    return slice > s->slice_min ? slice : s->slice_min;
}

/* ---- the run queue: by vruntime (cfs) or FIFO (rr) ---------------------- */

static void rq_push(sim_t *s, thread_t *t)
{
    thread_t **pp = &s->rq_head, *prev = NULL;
    if (cfs(s))
        while (*pp && (*pp)->vruntime <= t->vruntime) {
            prev = *pp;
            pp = &(*pp)->rq_next;
        }
    else
        while (*pp) {
            prev = *pp;
            pp = &(*pp)->rq_next;
        }
    t->rq_next = *pp;
    *pp = t;
    if (!t->rq_next)
        s->rq_tail = t;
    (void)prev;
    s->rq_len++;
}

static void rq_unlink(sim_t *s, thread_t *t)
{
    thread_t **pp = &s->rq_head, *prev = NULL;
    while (*pp && *pp != t) {
        prev = *pp;
        pp = &(*pp)->rq_next;
    }
    if (!*pp)
        return;
    *pp = t->rq_next;
    if (s->rq_tail == t)
        s->rq_tail = prev;
    s->rq_len--;
    t->rq_next = NULL;
}

/* The first queued thread that may run on core c. */
static thread_t *rq_pop(sim_t *s, int c)
{
    thread_t *t = s->rq_head;
    while (t && !allowed(t, c))
        t = t->rq_next;
    if (t)
        rq_unlink(s, t);
    return t;
}

static void update_min_vruntime(sim_t *s)
{
    simtime_t m = SIMTIME_NEVER;
    for (int c = 0; c < s->ncores; c++)
        if (s->cores[c].cur && vruntime_now(s, s->cores[c].cur) < m)
            m = vruntime_now(s, s->cores[c].cur);
    if (s->rq_head && s->rq_head->vruntime < m)
        m = s->rq_head->vruntime;
    if (m != SIMTIME_NEVER && m > s->min_vruntime)
        s->min_vruntime = m;
}

/* ---- dispatching -------------------------------------------------------- */

static void slice_end(void *obj, uint64_t arg);

static void slice_arm(sim_t *s, int c)
{
    core_t *core = &s->cores[c];
    if (core->slice_armed || !core->cur)
        return;
    core->slice_armed = 1;
    eng_after(&s->eng, slice_length(s), slice_end, s,
              ((uint64_t)++core->gen << CORE_BITS) | (uint64_t)c);
}

static void dispatch_done(void *obj, uint64_t gen)
{
    thread_t *t = obj;
    if (t->gen != gen)
        return;
    thr_dispatched(t->sim, t);
}

/* Puts t on core c.  The thread starts after the switch costs; the start
 * always goes through the event queue, so no call chain grows with the
 * number of threads handed a core in a row. */
static void dispatch(sim_t *s, thread_t *t, int c)
{
    simtime_t cost = s->cores[c].last != t ? s->cfg->os.context_switch : 0;
    if (t->last_core >= 0 && t->last_core != c)
        cost = st_add(cost, s->cfg->os.migration);
    core_set(s, c, t);
    eng_after(&s->eng, cost, dispatch_done, t, thr_next_gen(t));
    if (s->rq_len)
        slice_arm(s, c);
}

/* Takes t off core c (it stays runnable) and gives c to the next thread. */
static void preempt(sim_t *s, thread_t *t, int c, thread_t *next)
{
    thr_preempted(s, t);
    core_set(s, c, NULL);
    t->core = -1;
    thr_set_state(s, t, TS_RUNNABLE, "preempted");
    rq_push(s, t);
    if (next)
        rq_unlink(s, next);
    else
        next = rq_pop(s, c);
    if (next)
        dispatch(s, next, c);
}

/* check_preempt_wakeup: the running thread t may preempt, if any. */
static int preempt_victim(const sim_t *s, const thread_t *t)
{
    int victim = -1;
    simtime_t most = 0;
    for (int c = 0; c < s->ncores; c++) {
        const thread_t *cur = s->cores[c].cur;
        if (!cur || !allowed(t, c))
            continue;
        simtime_t v = vruntime_now(s, cur);
        if (victim < 0 || v > most) {
            victim = c;
            most = v;
        }
    }
    if (victim >= 0 && st_add(t->vruntime, s->wakeup_gran) < most)
        return victim;
    return -1;
}

void os_ready(sim_t *s, thread_t *t)
{
    if (t->state != TS_RUNNABLE)
        thr_set_state(s, t, TS_RUNNABLE, NULL);
    int c = core_free(s, t);
    if (c >= 0) {
        dispatch(s, t, c);
        return;
    }
    rq_push(s, t);
    if (cfs(s) && t->placed && (c = preempt_victim(s, t)) >= 0) {
        t->placed = 0;
        preempt(s, s->cores[c].cur, c, t);
        return;
    }
    t->placed = 0;
    for (c = 0; c < s->ncores; c++)
        slice_arm(s, c);
}

static void slice_end(void *obj, uint64_t arg)
{
    sim_t *s = obj;
    int c = (int)(arg & ((1u << CORE_BITS) - 1));
    core_t *core = &s->cores[c];
    if (core->gen != arg >> CORE_BITS)
        return;
    core->slice_armed = 0;
    if (!s->rq_len || !core->cur)
        return;
    thread_t *next = s->rq_head;
    while (next && !allowed(next, c))
        next = next->rq_next;
    if (!next)
        return;
    preempt(s, core->cur, c, next);
}

/* ---- wake-ups ----------------------------------------------------------- */

static void wake_arrive(void *obj, uint64_t gen)
{
    thread_t *t = obj;
    if (t->gen != gen)
        return;
    os_ready(t->sim, t);
}

void os_place_new(sim_t *s, thread_t *t)
{
    update_min_vruntime(s);
    t->vruntime = s->min_vruntime;
}

/* Sleeper placement: a thread that slept gets at most half a latency of
 * credit over the most-served runnable thread. */
static void place_sleeper(sim_t *s, thread_t *t)
{
    update_min_vruntime(s);
    simtime_t floor = s->min_vruntime - s->slice_latency / 2;
    if (t->vruntime < floor)
        t->vruntime = floor;
    t->placed = 1;
}

static int idle_core_for(const sim_t *s, const thread_t *t)
{
    for (int c = 0; c < s->ncores; c++)
        if (!s->cores[c].cur && allowed(t, c))
            return 1;
    return 0;
}

void os_wake(sim_t *s, thread_t *t, enum resume_kind resume)
{
    if (t->state == TS_DONE)
        return;                  /* nothing wakes the dead */
    t->resume = resume;
    place_sleeper(s, t);
    simtime_t lat = idle_core_for(s, t) ? dist_draw(&s->cfg->os.wake_latency, &s->rng) : 0;
    t->wake_at = st_add(s->eng.now, lat);
    eng_after(&s->eng, lat, wake_arrive, t, thr_next_gen(t));
}

int os_wake_preempts(sim_t *s, const thread_t *waker, thread_t *t)
{
    if (!cfs(s) || idle_core_for(s, t) || waker->core < 0 || !allowed(t, waker->core))
        return 0;
    simtime_t saved = t->vruntime;
    place_sleeper(s, t);
    t->placed = 0;
    int preempts = st_add(t->vruntime, s->wakeup_gran) < vruntime_now(s, waker);
    t->vruntime = saved;
    return preempts;
}

void os_block(sim_t *s, thread_t *t, enum thr_state st, const char *detail)
{
    int c = t->core;
    if (c >= 0)
        core_set(s, c, NULL);
    t->core = -1;
    thr_set_state(s, t, st, detail);
    if (c < 0)
        return;
    thread_t *next = rq_pop(s, c);
    if (next)
        dispatch(s, next, c);
}

void os_remove(sim_t *s, thread_t *t)
{
    if (t->core >= 0) {
        int c = t->core;
        core_set(s, c, NULL);
        t->core = -1;
        thread_t *next = rq_pop(s, c);
        if (next)
            dispatch(s, next, c);
    } else if (t->state == TS_RUNNABLE) {
        rq_unlink(s, t);
    }
}

void os_close(sim_t *s)
{
    for (int c = 0; c < s->ncores; c++) {
        core_t *core = &s->cores[c];
        if (core->cur) {
            core->busy_ns += s->eng.now - core->busy_since;
            core->busy_since = s->eng.now;
        }
    }
}
