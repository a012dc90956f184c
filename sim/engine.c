/* engine.c — a 4-ary min-heap of events keyed by (time, seq).
 *
 * Four children per node halve the depth of a binary heap and keep siblings
 * in one or two cache lines, which is what a hold-heavy simulation spends its
 * time on. */
#include <stdlib.h>
#include <stdio.h>
#include "engine.h"

#define ARITY 4

void eng_init(engine_t *e)
{
    *e = (engine_t){0};
}

void eng_free(engine_t *e)
{
    free(e->heap);
    *e = (engine_t){0};
}

static int before(const eng_event_t *a, const eng_event_t *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void grow(engine_t *e)
{
    size_t cap = e->cap ? e->cap * 2 : 256;
    eng_event_t *h = realloc(e->heap, cap * sizeof *h);
    if (!h) {
        fprintf(stderr, "gilsim: out of memory for the event queue\n");
        exit(1);
    }
    e->heap = h;
    e->cap = cap;
}

static void sift_up(eng_event_t *h, size_t i)
{
    eng_event_t ev = h[i];
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!before(&ev, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = ev;
}

static void sift_down(eng_event_t *h, size_t len, size_t i)
{
    eng_event_t ev = h[i];
    for (;;) {
        size_t first = i * ARITY + 1;
        if (first >= len)
            break;
        size_t last = first + ARITY < len ? first + ARITY : len;
        size_t best = first;
        for (size_t c = first + 1; c < last; c++)
            if (before(&h[c], &h[best]))
                best = c;
        if (!before(&h[best], &ev))
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = ev;
}

void eng_at(engine_t *e, simtime_t t, eng_fn fn, void *obj, uint64_t arg)
{
    if (t < e->now) {
        fprintf(stderr, "gilsim: internal error: event scheduled in the past (%lld < %lld)\n",
                (long long)t, (long long)e->now);
        abort();
    }
    if (e->len == e->cap)
        grow(e);
    e->heap[e->len] = (eng_event_t){t, e->seq++, fn, obj, arg};
    sift_up(e->heap, e->len++);
}

void eng_after(engine_t *e, simtime_t dt, eng_fn fn, void *obj, uint64_t arg)
{
    eng_at(e, e->now + dt, fn, obj, arg);
}

int eng_step(engine_t *e)
{
    if (e->len == 0)
        return 0;
    eng_event_t ev = e->heap[0];
    e->heap[0] = e->heap[--e->len];
    if (e->len)
        sift_down(e->heap, e->len, 0);
    e->now = ev.time;
    e->executed++;
    ev.fn(ev.obj, ev.arg);
    if (e->after_event)
        e->after_event(e->after_ctx);
    return 1;
}

uint64_t eng_run(engine_t *e, simtime_t until)
{
    uint64_t start = e->executed;
    e->stopped = 0;
    while (!e->stopped && e->len && e->heap[0].time <= until)
        eng_step(e);
    return e->executed - start;
}

void eng_stop(engine_t *e) { e->stopped = 1; }
size_t eng_pending(const engine_t *e) { return e->len; }

simtime_t eng_next_time(const engine_t *e)
{
    return e->len ? e->heap[0].time : SIMTIME_NEVER;
}
