/* runq.c — see runq.h.
 *
 * A queued thread is in exactly one place, chosen by where it may run:
 *   - any core: one pairing heap (rq->any_core);
 *   - one core only (its wake-up placed it there, or its affinity allows
 *     that core alone): that core's pairing heap (os_core_t's queue);
 *   - several cores but not all: one list, kept sorted.
 * The first thread core c may take is the least of the any-core heap's
 * root, core c's heap's root and the first allowed thread of the list.
 * Keys are unique (vruntime, then arrival number; arrival alone for round
 * robin), so this is exactly the first allowed thread of one queue sorted
 * by key, as Linux's rbtree order by vruntime would give it.
 *
 * The pairing heap (Fredman, Sedgewick, Sleator, Tarjan 1986) links its
 * nodes through the threads themselves: rq_child is the first child,
 * rq_next the next sibling, rq_prev the previous sibling or, for a first
 * child, the parent.  Insertion and meld are O(1), removal O(log n)
 * amortised; the two-pass pairing is iterative, so no recursion grows with
 * the queue. */
#include <stddef.h>
#include "os/cores.h"
#include "os/runq.h"

void rq_init(runq_t *rq, os_core_t *cores, int ncores, int by_vruntime)
{
    *rq = (runq_t){.by_vruntime = by_vruntime, .cores = cores, .ncores = ncores};
}

/* a before b in the queue's order */
static int before(const runq_t *rq, const os_thread_t *a, const os_thread_t *b)
{
    if (rq->by_vruntime && a->vruntime != b->vruntime)
        return a->vruntime < b->vruntime;
    return a->rq_arrival < b->rq_arrival;
}

/* ---- pairing heap ------------------------------------------------------- */

/* Two roots (either NULL) as one heap; returns its root. */
static os_thread_t *meld(const runq_t *rq, os_thread_t *a, os_thread_t *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    if (before(rq, b, a)) {
        os_thread_t *x = a;
        a = b;
        b = x;
    }
    b->rq_prev = a;
    b->rq_next = a->rq_child;
    if (a->rq_child)
        a->rq_child->rq_prev = b;
    a->rq_child = b;
    a->rq_next = a->rq_prev = NULL;
    return a;
}

/* The sibling list from `first` as one heap: meld pairs left to right,
 * then the pairs right to left (kept on a stack linked by rq_prev, which
 * each pair's root gets anew). */
static os_thread_t *merge_pairs(const runq_t *rq, os_thread_t *first)
{
    if (!first || !first->rq_next) {            /* none, or one: the short queues' case */
        if (first)
            first->rq_prev = NULL;
        return first;
    }
    os_thread_t *stack = NULL;
    while (first) {
        os_thread_t *a = first, *b = a->rq_next;
        first = b ? b->rq_next : NULL;
        os_thread_t *pair = meld(rq, a, b);     /* links b under a, or a under b; a lone
                                                   last one's rq_next is NULL already */
        pair->rq_prev = stack;
        stack = pair;
    }
    os_thread_t *root = NULL;
    while (stack) {
        os_thread_t *next = stack->rq_prev;
        stack->rq_prev = NULL;
        root = meld(rq, root, stack);
        stack = next;
    }
    return root;
}

static os_thread_t *heap_insert(const runq_t *rq, os_thread_t *root, os_thread_t *t)
{
    t->rq_child = t->rq_next = t->rq_prev = NULL;
    return meld(rq, root, t);
}

/* The heap `root` without t, one of its nodes. */
static os_thread_t *heap_remove(const runq_t *rq, os_thread_t *root, os_thread_t *t)
{
    os_thread_t *children = t->rq_child;
    if (t != root) {
        if (t->rq_prev->rq_child == t)
            t->rq_prev->rq_child = t->rq_next;      /* a first child: rq_prev is the parent */
        else
            t->rq_prev->rq_next = t->rq_next;
        if (t->rq_next)
            t->rq_next->rq_prev = t->rq_prev;
    }
    t->rq_child = t->rq_next = t->rq_prev = NULL;
    os_thread_t *rest = merge_pairs(rq, children);
    return t == root ? rest : meld(rq, root, rest);
}

/* ---- where a thread queues ---------------------------------------------- */

/* RQ_CORE0 + c, RQ_ANY_CORE or RQ_SOME_CORES. */
static int place_of(const runq_t *rq, const os_thread_t *t)
{
    if (t->target >= 0)
        return RQ_CORE0 + t->target;
    if (!t->affinity)
        return RQ_ANY_CORE;
    uint64_t mine = t->affinity;
    if (rq->ncores < 64)
        mine &= (UINT64_C(1) << rq->ncores) - 1;
    if (mine && !(mine & (mine - 1)))               /* one core alone */
        return RQ_CORE0 + __builtin_ctzll(mine);
    if (rq->ncores <= 64 && mine == (rq->ncores == 64 ? UINT64_MAX
                                                      : (UINT64_C(1) << rq->ncores) - 1))
        return RQ_ANY_CORE;
    return RQ_SOME_CORES;
}

static os_thread_t **heap_of(runq_t *rq, int where)
{
    return where == RQ_ANY_CORE ? &rq->any_core : &rq->cores[where - RQ_CORE0].queue;
}

static void list_insert(runq_t *rq, os_thread_t *t)
{
    os_thread_t *prev = NULL, *x = rq->some_cores;
    while (x && !before(rq, t, x)) {
        prev = x;
        x = x->rq_next;
    }
    t->rq_child = NULL;
    t->rq_prev = prev;
    t->rq_next = x;
    if (x)
        x->rq_prev = t;
    if (prev)
        prev->rq_next = t;
    else
        rq->some_cores = t;
}

static void list_remove(runq_t *rq, os_thread_t *t)
{
    if (t->rq_prev)
        t->rq_prev->rq_next = t->rq_next;
    else
        rq->some_cores = t->rq_next;
    if (t->rq_next)
        t->rq_next->rq_prev = t->rq_prev;
    t->rq_next = t->rq_prev = NULL;
}

void rq_push(runq_t *rq, os_thread_t *t)
{
    t->rq_arrival = rq->arrivals++;
    t->rq_where = place_of(rq, t);
    if (t->rq_where == RQ_SOME_CORES)
        list_insert(rq, t);
    else {
        os_thread_t **root = heap_of(rq, t->rq_where);
        *root = heap_insert(rq, *root, t);
        if (t->rq_where >= RQ_CORE0)
            cores_set(rq->cores, rq->ncores, CORES_QUEUED, t->rq_where - RQ_CORE0, 1);
    }
    rq->len++;
    rq->one_core += t->rq_where >= RQ_CORE0;
}

void rq_remove(runq_t *rq, os_thread_t *t)
{
    if (t->rq_where == RQ_NOT_QUEUED)
        return;
    if (t->rq_where == RQ_SOME_CORES)
        list_remove(rq, t);
    else {
        os_thread_t **root = heap_of(rq, t->rq_where);
        *root = heap_remove(rq, *root, t);
        if (t->rq_where >= RQ_CORE0 && !*root)
            cores_set(rq->cores, rq->ncores, CORES_QUEUED, t->rq_where - RQ_CORE0, 0);
    }
    rq->one_core -= t->rq_where >= RQ_CORE0;
    t->rq_where = RQ_NOT_QUEUED;
    rq->len--;
}

/* ---- the first ---------------------------------------------------------- */

static os_thread_t *first_of(const runq_t *rq, os_thread_t *a, os_thread_t *b)
{
    return !a || (b && before(rq, b, a)) ? b : a;
}

os_thread_t *rq_first_for(const runq_t *rq, int c)
{
    os_thread_t *best = first_of(rq, rq->any_core, rq->cores[c].queue);
    for (os_thread_t *t = rq->some_cores; t; t = t->rq_next)
        if (rq_allowed(t, c)) {
            best = first_of(rq, best, t);
            break;
        }
    return best;
}

os_thread_t *rq_first(const runq_t *rq)
{
    os_thread_t *best = first_of(rq, rq->any_core, rq->some_cores);
    if (!rq->one_core)
        return best;
    for (int c = cores_next(rq->cores, rq->ncores, CORES_QUEUED, 0); c >= 0;
         c = cores_next(rq->cores, rq->ncores, CORES_QUEUED, c + 1))
        best = first_of(rq, best, rq->cores[c].queue);
    return best;
}
