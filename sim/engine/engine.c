/* engine.c — a 4-ary min-heap of 16-byte keys (time, seq|slot), with the
 * callbacks in a pool of records.
 *
 * The heap holds only what ordering needs: the time and a second word whose
 * high bits are the sequence number (ties run in scheduling order) and
 * whose low ENG_SLOT_BITS are the record's slot.  Four children per node
 * halve the depth of a binary heap, and with the array skewed by three
 * keys each group of siblings fills one cache line;
 * small keys keep the heap of a typical run cache-resident.  Records are
 * recycled through a free list, so the steady state allocates nothing.
 *
 * Layer engine (sim/engine/): the discrete-event core and what every layer
 * may use: the event queue, integer-nanosecond time (simtime.h), seeded
 * random numbers (rng.c) and file and text helpers (util.c). It knows
 * nothing of threads, cores or GILs; nothing here includes a higher layer. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "engine/engine.h"

#define ARITY 4
/* The heap array starts HEAP_SKEW keys into a 64-byte-aligned block, so
 * that every group of four siblings (indices 4i+1 .. 4i+4) fills exactly
 * one cache line. */
#define HEAP_SKEW 3
#define ENG_SLOT_BITS 24
#define ENG_SLOT_MASK ((1u << ENG_SLOT_BITS) - 1)
#define ENG_MAX_PENDING_TEXT "16777216"     /* ENG_MAX_PENDING */
_Static_assert(ENG_MAX_PENDING == ENG_SLOT_MASK + 1, "a key's slot bits name every record");

void eng_init(engine_t *e)
{
    *e = (engine_t){0};
    e->free_slot = -1;
}

void eng_free(engine_t *e)
{
    if (e->heap)
        free(e->heap - HEAP_SKEW);
    free(e->rec);
    *e = (engine_t){0};
}

/* No exit here: the owner hears of it, and eng_run stops. */
static void fail(engine_t *e, enum eng_failure what, const char *msg)
{
    e->failed = (int)what + 1;
    e->stopped = 1;
    if (e->fail)
        e->fail(e->fail_ctx, (int)what, msg);
}

/* Past the last key the heap holds sentinels that compare greater than
 * any key (time -1 read as unsigned), at least up to the last sibling
 * group: the least of four children is then found without a bound check. */
static const eng_key_t SENTINEL = {-1, UINT64_MAX};

static int grow_heap(engine_t *e)
{
    size_t cap = e->cap ? e->cap * 2 : 256;
    size_t slots = cap + ARITY + HEAP_SKEW + 1;        /* a multiple of 4 keys: 64 bytes */
    eng_key_t *base = aligned_alloc(64, slots * sizeof *base);
    if (!base) {
        fail(e, ENG_FAIL_NOMEM, "out of memory for the event queue");
        return -1;
    }
    eng_key_t *h = base + HEAP_SKEW;
    if (e->heap) {
        memcpy(h, e->heap, e->len * sizeof *h);
        free(e->heap - HEAP_SKEW);
    }
    for (size_t i = e->len; i < slots - HEAP_SKEW; i++)
        h[i] = SENTINEL;
    e->heap = h;
    e->cap = cap;
    return 0;
}

/* A free record slot: from the free list, else a new one; -1 on failure. */
static int64_t slot_get(engine_t *e)
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
            fail(e, ENG_FAIL_FULL, "more than " ENG_MAX_PENDING_TEXT " events pending at once");
            return -1;
        }
        eng_rec_t *r = realloc(e->rec, cap * sizeof *r);
        if (!r) {
            fail(e, ENG_FAIL_NOMEM, "out of memory for the event records");
            return -1;
        }
        e->rec = r;
        e->caprec = cap;
    }
    return (int64_t)e->nrec++;
}

static void slot_put(engine_t *e, uint32_t s)
{
    e->rec[s].arg = (uint64_t)e->free_slot;
    e->free_slot = s;
}

/* One 128-bit number per key, time in the high half: comparing two keys is
 * a single unsigned comparison, which compiles without branches. */
typedef unsigned __int128 key128;

static inline key128 k128(const eng_key_t *k)
{
    return (key128)(uint64_t)k->time << 64 | k->order;
}

static void sift_up(eng_key_t *h, size_t i)
{
    eng_key_t k = h[i];
    key128 kv = k128(&k);
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (kv >= k128(&h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = k;
}

/* The least of the four children from `first`: a two-round tournament of
 * conditional moves.  The outcome of a comparison between random times is
 * unpredictable, so a branch on it would be mispredicted half the time. */
static size_t least_child(const eng_key_t *h, size_t first)
{
    key128 a = k128(&h[first]), b = k128(&h[first + 1]);
    key128 c = k128(&h[first + 2]), d = k128(&h[first + 3]);
    size_t ab = first + (size_t)(b < a);
    size_t cd = first + 2 + (size_t)(d < c);
    key128 vab = b < a ? b : a, vcd = d < c ? d : c;
    size_t pick_cd = -(size_t)(vcd < vab);      /* all ones or zero */
    return (cd & pick_cd) | (ab & ~pick_cd);
}

static void sift_down(eng_key_t *h, size_t len, size_t i)
{
    eng_key_t k = h[i];
    key128 kv = k128(&k);
    for (;;) {
        size_t first = i * ARITY + 1;
        if (first >= len)
            break;
        size_t best = least_child(h, first);
        if (k128(&h[best]) >= kv)
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = k;
}

/* The root whose event is running stays in place until the event is over
 * (root_spent): an event that schedules a follow-up, the common case, then
 * overwrites the root and sifts it down once, instead of a pop's sift-down
 * followed by a push's sift-up. */
static void root_discard(engine_t *e)
{
    e->root_spent = 0;
    e->heap[0] = e->heap[--e->len];
    e->heap[e->len] = SENTINEL;
    if (e->len)
        sift_down(e->heap, e->len, 0);
}

void eng_at(engine_t *e, simtime_t t, eng_fn fn, void *obj, uint64_t arg)
{
    if (t < e->now) {
        char msg[128];
        snprintf(msg, sizeof msg, "event scheduled in the past (%lld < %lld)", (long long)t,
                 (long long)e->now);
        fail(e, ENG_FAIL_PAST, msg);
        return;
    }
    /* room in the heap first: a failure then leaves no slot taken */
    if (!e->root_spent && e->len == e->cap && grow_heap(e) != 0)
        return;
    int64_t slot = slot_get(e);
    if (slot < 0)
        return;
    uint32_t s = (uint32_t)slot;
    e->rec[s] = (eng_rec_t){fn, obj, arg};
    eng_key_t k = {t, (e->seq++ << ENG_SLOT_BITS) | s};
    if (e->root_spent) {
        e->root_spent = 0;
        e->heap[0] = k;
        sift_down(e->heap, e->len, 0);
        return;
    }
    e->heap[e->len] = k;
    sift_up(e->heap, e->len++);
}

void eng_after(engine_t *e, simtime_t dt, eng_fn fn, void *obj, uint64_t arg)
{
    eng_at(e, st_add(e->now, dt), fn, obj, arg);     /* far enough: never */
}

/* With many events pending, the next event's object is most likely cold
 * in memory (with 65,536 threads, each event finds its thread there).
 * Before the running event's work, ask the cache for the first
 * prefetch_bytes of the object of the event most likely to run after it:
 * the least of the root's children, which sit in one cache line.  The
 * running event may still schedule an earlier one, or cancel that one;
 * then the hint is wasted, never wrong.  Below ENG_PREFETCH_PENDING
 * events everything is in the cache already, and the hint would cost. */
#define ENG_PREFETCH_PENDING 1024

static void prefetch_next(const engine_t *e)
{
    const eng_key_t *next = &e->heap[least_child(e->heap, 1)];
    uintptr_t obj = (uintptr_t)e->rec[(uint32_t)(next->order & ENG_SLOT_MASK)].obj;
    if (!obj)
        return;
    /* the addresses as integers: an object smaller than prefetch_bytes
     * (a core's timer, a GIL) has no bytes there to point at */
    for (size_t at = 0; at < e->prefetch_bytes; at += 64)
        __builtin_prefetch((const void *)(obj + at));
}

int eng_step(engine_t *e)
{
    if (e->len == 0)
        return 0;
    eng_key_t k = e->heap[0];
    uint32_t s = (uint32_t)(k.order & ENG_SLOT_MASK);
    eng_rec_t r = e->rec[s];
    if (e->len > ENG_PREFETCH_PENDING && e->prefetch_bytes)
        prefetch_next(e);
    slot_put(e, s);              /* before the call: it may schedule into this slot */
    e->now = k.time;
    e->executed++;
    e->root_spent = 1;
    r.fn(r.obj, r.arg);
    if (e->root_spent)
        root_discard(e);
    if (e->after_event)
        e->after_event(e->after_ctx);
    return 1;
}

uint64_t eng_run(engine_t *e, simtime_t until)
{
    uint64_t start = e->executed;
    e->stopped = 0;
    while (!e->stopped && e->len && e->heap[0].time <= until) {
        if (e->stop_flag && *e->stop_flag)
            break;
        eng_step(e);
    }
    return e->executed - start;
}

void eng_stop(engine_t *e) { e->stopped = 1; }
size_t eng_pending(const engine_t *e) { return e->len - (size_t)e->root_spent; }

/* Outside a running event; inside one, the root may be the spent event. */
simtime_t eng_next_time(const engine_t *e)
{
    return e->len ? e->heap[0].time : SIMTIME_NEVER;
}
