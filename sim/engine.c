/* engine.c — a 4-ary min-heap of 16-byte keys (time, seq|slot), with the
 * callbacks in a pool of records.
 *
 * The heap holds only what ordering needs: the time and a second word whose
 * high bits are the sequence number (ties run in scheduling order) and
 * whose low ENG_SLOT_BITS are the record's slot.  Four children per node
 * halve the depth of a binary heap and keep siblings in one cache line;
 * small keys keep the heap of a typical run cache-resident.  Records are
 * recycled through a free list, so the steady state allocates nothing. */
#include <stdlib.h>
#include <stdio.h>
#include "engine.h"

#define ARITY 4
#define ENG_SLOT_BITS 24
#define ENG_SLOT_MASK ((1u << ENG_SLOT_BITS) - 1)

void eng_init(engine_t *e)
{
    *e = (engine_t){0};
    e->free_slot = -1;
}

void eng_free(engine_t *e)
{
    free(e->heap);
    free(e->rec);
    *e = (engine_t){0};
}

static void oom(const char *what)
{
    fprintf(stderr, "gilsim: out of memory for the %s\n", what);
    exit(1);
}

static void grow_heap(engine_t *e)
{
    size_t cap = e->cap ? e->cap * 2 : 256;
    eng_key_t *h = realloc(e->heap, cap * sizeof *h);
    if (!h)
        oom("event queue");
    e->heap = h;
    e->cap = cap;
}

/* A free record slot: from the free list, else a new one. */
static uint32_t slot_get(engine_t *e)
{
    if (e->free_slot >= 0) {
        uint32_t s = (uint32_t)e->free_slot;
        e->free_slot = (int64_t)e->rec[s].arg;     /* the free list threads through arg */
        return s;
    }
    if (e->nrec == e->caprec) {
        size_t cap = e->caprec ? e->caprec * 2 : 256;
        if (cap > (size_t)ENG_SLOT_MASK + 1)
            cap = (size_t)ENG_SLOT_MASK + 1;
        if (e->nrec == cap) {
            fprintf(stderr, "gilsim: more than %u events pending at once\n", ENG_SLOT_MASK + 1);
            exit(1);
        }
        eng_rec_t *r = realloc(e->rec, cap * sizeof *r);
        if (!r)
            oom("event records");
        e->rec = r;
        e->caprec = cap;
    }
    return (uint32_t)e->nrec++;
}

static void slot_put(engine_t *e, uint32_t s)
{
    e->rec[s].arg = (uint64_t)e->free_slot;
    e->free_slot = s;
}

static int before(const eng_key_t *a, const eng_key_t *b)
{
    return a->time < b->time || (a->time == b->time && a->order < b->order);
}

static void sift_up(eng_key_t *h, size_t i)
{
    eng_key_t k = h[i];
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!before(&k, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = k;
}

static void sift_down(eng_key_t *h, size_t len, size_t i)
{
    eng_key_t k = h[i];
    for (;;) {
        size_t first = i * ARITY + 1;
        if (first >= len)
            break;
        size_t last = first + ARITY < len ? first + ARITY : len;
        size_t best = first;
        for (size_t c = first + 1; c < last; c++)
            if (before(&h[c], &h[best]))
                best = c;
        if (!before(&h[best], &k))
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = k;
}

void eng_at(engine_t *e, simtime_t t, eng_fn fn, void *obj, uint64_t arg)
{
    if (t < e->now) {
        fprintf(stderr, "gilsim: internal error: event scheduled in the past (%lld < %lld)\n",
                (long long)t, (long long)e->now);
        abort();
    }
    if (e->len == e->cap)
        grow_heap(e);
    uint32_t s = slot_get(e);
    e->rec[s] = (eng_rec_t){fn, obj, arg};
    e->heap[e->len] = (eng_key_t){t, (e->seq++ << ENG_SLOT_BITS) | s};
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
    eng_key_t k = e->heap[0];
    e->heap[0] = e->heap[--e->len];
    if (e->len)
        sift_down(e->heap, e->len, 0);
    uint32_t s = (uint32_t)(k.order & ENG_SLOT_MASK);
    eng_rec_t r = e->rec[s];
    slot_put(e, s);              /* before the call: it may schedule into this slot */
    e->now = k.time;
    e->executed++;
    r.fn(r.obj, r.arg);
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
