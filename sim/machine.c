/* machine.c — the OS scheduler: cores, one run queue, slices, wake-ups.
 *
 * A deliberately small model of Linux's CFS as it matters to Python threads:
 *  - A runnable thread takes a free core at once (its last core if free,
 *    else the lowest-numbered free one), paying `os.context_switch` when the
 *    core last ran another thread.
 *  - When more threads are runnable than cores, each running thread gets a
 *    slice of max(latency / runnable-per-core, min_granularity), both scaled
 *    by 1 + log2(min(cores, 8)) as the kernel scales them; at the slice end
 *    the thread goes to the tail of one FIFO run queue.  Slice timers are
 *    armed only while the queue is non-empty, so uncontended runs pay nothing.
 *  - A blocked thread is runnable `os.wake_latency` after it was woken.
 * Simplifications (see README): one global queue, no wake-up preemption, no
 * per-task vruntime, no migration cost. */
#include <stdio.h>
#include <stdlib.h>
#include "machine.h"
#include "thread.h"

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
    s->slice_latency = s->cfg->os.sched_latency * factor;
    s->slice_min = s->cfg->os.min_granularity * factor;
}

static void core_set(sim_t *s, int c, thread_t *t)
{
    core_t *core = &s->cores[c];
    simtime_t now = s->eng.now;
    if (!core->cur && t)
        core->busy_since = now;
    else if (core->cur && !t)
        core->busy_ns += now - core->busy_since;
    core->cur = t;
    if (t) {
        core->last = t;
        t->core = c;
        t->last_core = c;
    }
}

static int core_free(const sim_t *s, const thread_t *t)
{
    if (t->last_core >= 0 && !s->cores[t->last_core].cur)
        return t->last_core;
    for (int c = 0; c < s->ncores; c++)
        if (!s->cores[c].cur)
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

static void slice_end(void *obj, uint64_t arg);

static void slice_arm(sim_t *s, int c)
{
    core_t *core = &s->cores[c];
    if (core->slice_armed || !core->cur)
        return;
    core->slice_armed = 1;
    /* arg packs the core and its timer generation */
    eng_after(&s->eng, slice_length(s), slice_end, s,
              ((uint64_t)++core->gen << 16) | (uint64_t)c);
}

static void rq_push(sim_t *s, thread_t *t)
{
    t->rq_next = NULL;
    if (s->rq_tail)
        s->rq_tail->rq_next = t;
    else
        s->rq_head = t;
    s->rq_tail = t;
    s->rq_len++;
}

static thread_t *rq_pop(sim_t *s)
{
    thread_t *t = s->rq_head;
    if (!t)
        return NULL;
    s->rq_head = t->rq_next;
    if (!s->rq_head)
        s->rq_tail = NULL;
    s->rq_len--;
    t->rq_next = NULL;
    return t;
}

static void dispatch_done(void *obj, uint64_t gen)
{
    thread_t *t = obj;
    if (t->gen != gen)
        return;
    thr_dispatched(t->sim, t);
}

/* Puts t on core c.  The thread starts after the context switch; the start
 * always goes through the event queue, so no call chain grows with the
 * number of threads handed a core in a row. */
static void dispatch(sim_t *s, thread_t *t, int c)
{
    simtime_t cost = s->cores[c].last != t ? s->cfg->os.context_switch : 0;
    core_set(s, c, t);
    eng_after(&s->eng, cost, dispatch_done, t, thr_next_gen(t));
    if (s->rq_len)
        slice_arm(s, c);
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
    for (c = 0; c < s->ncores; c++)
        slice_arm(s, c);
}

static void slice_end(void *obj, uint64_t arg)
{
    sim_t *s = obj;
    int c = (int)(arg & 0xffff);
    core_t *core = &s->cores[c];
    if (core->gen != arg >> 16)
        return;
    core->slice_armed = 0;
    if (!s->rq_len || !core->cur)
        return;
    thread_t *t = core->cur;
    thr_preempted(s, t);
    t->core = -1;
    core_set(s, c, NULL);
    thr_set_state(s, t, TS_RUNNABLE, "preempted");
    rq_push(s, t);
    dispatch(s, rq_pop(s), c);
}

static void wake_arrive(void *obj, uint64_t gen)
{
    thread_t *t = obj;
    if (t->gen != gen)
        return;
    os_ready(t->sim, t);
}

void os_wake(sim_t *s, thread_t *t, enum resume_kind resume)
{
    if (t->state == TS_DONE)
        return;                  /* nothing wakes the dead */
    t->resume = resume;
    simtime_t lat = dist_draw(&s->cfg->os.wake_latency, &s->rng);
    t->wake_at = s->eng.now + lat;
    eng_after(&s->eng, lat, wake_arrive, t, thr_next_gen(t));
}

void os_block(sim_t *s, thread_t *t, enum thr_state st, const char *detail)
{
    int c = t->core;
    t->core = -1;
    thr_set_state(s, t, st, detail);
    if (c < 0)
        return;
    core_set(s, c, NULL);
    thread_t *next = rq_pop(s);
    if (next)
        dispatch(s, next, c);
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

void os_remove(sim_t *s, thread_t *t)
{
    if (t->core >= 0) {
        int c = t->core;
        t->core = -1;
        core_set(s, c, NULL);
        thread_t *next = rq_pop(s);
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
