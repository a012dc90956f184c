/* runq.c — see runq.h.
 *
 * A queued thread is in exactly one place, chosen by where it may run:
 *   - any core: one of RQ_RUNS sorted runs (rq->runs), or else one
 *     pairing heap (rq->any_core);
 *   - one core only (its wake-up placed it there, or its affinity allows
 *     that core alone): that core's pairing heap (os_core_t's queue);
 *   - several cores but not all: one list, kept sorted.
 * The first thread core c may take is the least of the any-core first
 * (rq->any_first: the least of the heap's root and the runs' heads), core
 * c's heap's root and the first allowed thread of the list.  Keys are
 * unique (vruntime, then arrival number; arrival alone for round robin),
 * so this is exactly the first allowed thread of one queue sorted by key,
 * as Linux's rbtree order by vruntime would give it.
 *
 * Why runs.  With many threads queued, CFS's keys come in a few rising
 * streams: sleepers woken at the floor min_vruntime - latency/2, which
 * only rises, and threads preempted at their own vruntime.  A thread whose
 * key is not below a run's last key joins that run's end, and the first
 * thread of a run is its head: both O(1), and a take reads one node where
 * the heap's pairing pass reads many, each cold in the caches.  Of the
 * runs it may join it takes the one whose last key is greatest (patience
 * sorting's rule, which keeps the fewest runs going); a key below every
 * run's last key, with no run empty, goes to the heap.  Round robin's keys
 * only rise, so its queue is one run.
 *
 * Only a long queue (RQ_RUNS_FROM threads) queues into the runs.  A short
 * one's heap is in the cache, and its keys need not rise: in the `server`
 * bench few of them would fit a run, and looking at eight runs for each
 * push cost more than the heap it spared.
 *
 * The pairing heap (Fredman, Sedgewick, Sleator, Tarjan 1986) links its
 * nodes: child is the first child, next the next sibling, prev the
 * previous sibling or, for a first child, the parent.  Insertion and meld
 * are O(1), removal O(log n) amortised; the two-pass pairing is iterative,
 * so no recursion grows with the queue.  A run links its nodes by next
 * and prev alone.
 *
 * Nodes come in blocks of RQ_BLOCK that never move, so links are plain
 * pointers, and are handed out from a free list, most recently freed
 * first: a short queue among many threads stays in a few cache lines.  A
 * thread holds its node (rq_node) while it is queued. */
#include <stddef.h>
#include <stdlib.h>
#include "os/cores.h"
#include "os/runq.h"

void rq_init(runq_t *rq, os_core_t *cores, int ncores, int by_vruntime)
{
    *rq = (runq_t){.by_vruntime = by_vruntime, .cores = cores, .ncores = ncores,
                   .runs_from = RQ_RUNS_FROM};
}

int rq_reserve(runq_t *rq, int n)
{
    while ((long long)rq->nblocks * RQ_BLOCK < n) {
        if (rq->nblocks == rq->capblocks) {
            int cap = rq->capblocks ? rq->capblocks * 2 : 16;
            rq_node_t **blocks = realloc(rq->blocks, (size_t)cap * sizeof *blocks);
            if (!blocks)
                return -1;
            rq->blocks = blocks;
            rq->capblocks = cap;
        }
        rq_node_t *block = malloc(RQ_BLOCK * sizeof *block);
        if (!block)
            return -1;
        rq->blocks[rq->nblocks++] = block;
        for (int i = RQ_BLOCK - 1; i >= 0; i--) {     /* the block's first node first */
            block[i].next = rq->free;
            rq->free = &block[i];
        }
    }
    return 0;
}

void rq_free(runq_t *rq)
{
    for (int i = 0; i < rq->nblocks; i++)
        free(rq->blocks[i]);
    free(rq->blocks);
    rq->blocks = NULL;
    rq->free = NULL;
    rq->nblocks = rq->capblocks = 0;
}

/* a before b in the queue's order */
static int before(const runq_t *rq, const rq_node_t *a, const rq_node_t *b)
{
    if (rq->by_vruntime && a->vruntime != b->vruntime)
        return a->vruntime < b->vruntime;
    return a->arrival < b->arrival;
}

/* ---- pairing heap ------------------------------------------------------- */

/* Two roots (either NULL) as one heap; returns its root. */
static rq_node_t *meld(const runq_t *rq, rq_node_t *a, rq_node_t *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    if (before(rq, b, a)) {
        rq_node_t *x = a;
        a = b;
        b = x;
    }
    b->prev = a;
    b->next = a->child;
    if (a->child)
        a->child->prev = b;
    a->child = b;
    a->next = a->prev = NULL;
    return a;
}

/* The sibling list from `first` as one heap: meld pairs left to right,
 * then the pairs right to left (kept on a stack linked by prev, which
 * each pair's root gets anew). */
static rq_node_t *merge_pairs(const runq_t *rq, rq_node_t *first)
{
    if (!first || !first->next) {               /* none, or one: the short queues' case */
        if (first)
            first->prev = NULL;
        return first;
    }
    rq_node_t *stack = NULL;
    while (first) {
        rq_node_t *a = first, *b = a->next;
        first = b ? b->next : NULL;
        rq_node_t *pair = meld(rq, a, b);       /* links b under a, or a under b; a lone
                                                   last one's next is NULL already */
        pair->prev = stack;
        stack = pair;
    }
    rq_node_t *root = NULL;
    while (stack) {
        rq_node_t *next = stack->prev;
        stack->prev = NULL;
        root = meld(rq, root, stack);
        stack = next;
    }
    return root;
}

/* The heap `root` without x, one of its nodes. */
static rq_node_t *heap_remove(const runq_t *rq, rq_node_t *root, rq_node_t *x)
{
    if (x != root) {
        if (x->prev->child == x)
            x->prev->child = x->next;           /* a first child: prev is the parent */
        else
            x->prev->next = x->next;
        if (x->next)
            x->next->prev = x->prev;
    }
    rq_node_t *rest = merge_pairs(rq, x->child);
    return x == root ? rest : meld(rq, root, rest);
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

static void list_insert(runq_t *rq, rq_node_t *x)
{
    rq_node_t *prev = NULL, *y = rq->some_cores;
    while (y && !before(rq, x, y)) {
        prev = y;
        y = y->next;
    }
    x->prev = prev;
    x->next = y;
    if (y)
        y->prev = x;
    if (prev)
        prev->next = x;
    else
        rq->some_cores = x;
}

static void list_remove(runq_t *rq, rq_node_t *x)
{
    if (x->prev)
        x->prev->next = x->next;
    else
        rq->some_cores = x->next;
    if (x->next)
        x->next->prev = x->prev;
}

/* ---- queuing ------------------------------------------------------------ */

/* A heap's root is the next thread a core takes from it, and that core
 * reads and writes the thread: with many threads queued it is cold in
 * memory, so ask the cache for it now, while it waits.  A short queue's
 * threads are in the cache already (as for the engine's prefetch). */
#define RQ_WARM_QUEUED 1024

static void warm_root(const runq_t *rq, const rq_node_t *root)
{
    if (root && rq->len > RQ_WARM_QUEUED) {
        const char *t = (const char *)root->owner;
        __builtin_prefetch(t, 1);
        __builtin_prefetch(t + sizeof(os_thread_t) - 1, 1);
    }
}

/* ---- the runs ----------------------------------------------------------
 * rq->runs_used has bit i set while run i holds a thread, and rq->run_top
 * is the used run whose last key is greatest.  A key not below that one
 * (the highest stream's next) joins run_top at once; only the others look
 * at each used run. */

#define RUN_BITS ((1u << RQ_RUNS) - 1)

/* The used run whose last key is greatest (-1: none). */
static int greatest_tail(const runq_t *rq)
{
    int top = -1;
    for (unsigned m = rq->runs_used; m; m &= m - 1) {
        int i = __builtin_ctz(m);
        if (top < 0 || before(rq, rq->runs[top].tail, rq->runs[i].tail))
            top = i;
    }
    return top;
}

/* The run x (any core's, its key the newest) joins, or -1: the used run
 * with the greatest last key not above x's, else an unused one. */
static int run_for(const runq_t *rq, const rq_node_t *x)
{
    if (rq->runs_used && !before(rq, x, rq->runs[rq->run_top].tail))
        return rq->run_top;
    int best = -1;
    for (unsigned m = rq->runs_used; m; m &= m - 1) {
        int i = __builtin_ctz(m);
        const rq_node_t *tail = rq->runs[i].tail;
        if (!before(rq, x, tail) && (best < 0 || before(rq, rq->runs[best].tail, tail)))
            best = i;
    }
    unsigned unused = ~rq->runs_used & RUN_BITS;
    return best >= 0 ? best : unused ? __builtin_ctz(unused) : -1;
}

/* The least of the any-core heap's root and the runs' heads, after the
 * old first left: its owner is the next thread a core takes. */
static void any_first_again(runq_t *rq)
{
    rq_node_t *best = rq->any_core;
    for (unsigned m = rq->runs_used; m; m &= m - 1) {
        rq_node_t *head = rq->runs[__builtin_ctz(m)].head;
        if (!best || before(rq, head, best))
            best = head;
    }
    rq->any_first = best;
    warm_root(rq, best);
}

static void run_append(runq_t *rq, int i, rq_node_t *x)
{
    rq_run_t *run = &rq->runs[i];
    x->prev = run->tail;                /* rq_push zeroed its other links */
    if (run->tail)
        run->tail->next = x;
    else
        run->head = x;
    run->tail = x;
    if (!rq->runs_used)                 /* else x is below run_top's last, or joins it */
        rq->run_top = i;
    rq->runs_used |= 1u << i;
}

static void any_push(runq_t *rq, os_thread_t *t, rq_node_t *x)
{
    int i = rq->len >= rq->runs_from ? run_for(rq, x) : -1;
    if (i >= 0) {
        run_append(rq, i, x);
        t->rq_where = RQ_RUN0 + i;
    } else
        rq->any_core = meld(rq, rq->any_core, x);
    if (!rq->any_first || before(rq, x, rq->any_first))
        rq->any_first = x;
}

/* x out of run i.  With a long queue, a run's threads are cold in the
 * caches, and the take after next reads the thread two behind x, and its
 * successor's node: ask for both now, while the cache has a take's time
 * to answer (the node was asked for one take earlier, so reading it here
 * does not wait). */
static void run_remove(runq_t *rq, int i, rq_node_t *x)
{
    rq_run_t *run = &rq->runs[i];
    if (x->prev)
        x->prev->next = x->next;
    else {
        run->head = x->next;
        rq_node_t *after = x->next ? x->next->next : NULL;
        warm_root(rq, after);
        if (after && after->next && rq->len > RQ_WARM_QUEUED)
            __builtin_prefetch(after->next, 1);
    }
    if (x->next)
        x->next->prev = x->prev;
    else {                              /* its last key went: run_top may change */
        run->tail = x->prev;
        if (!run->tail)
            rq->runs_used &= ~(1u << i);
        if (i == rq->run_top)
            rq->run_top = greatest_tail(rq);
    }
}

void rq_push(runq_t *rq, os_thread_t *t)
{
    rq_node_t *x = rq->free;                /* rq_reserve made room */
    rq->free = x->next;
    *x = (rq_node_t){.vruntime = t->vruntime, .arrival = rq->arrivals++, .owner = t};
    t->rq_node = x;
    t->rq_where = place_of(rq, t);
    if (t->rq_where == RQ_SOME_CORES)
        list_insert(rq, x);
    else if (t->rq_where == RQ_ANY_CORE)
        any_push(rq, t, x);
    else {
        rq_node_t **root = &rq->cores[t->rq_where - RQ_CORE0].queue;
        *root = meld(rq, *root, x);
        cores_set(rq->cores, rq->ncores, CORES_QUEUED, t->rq_where - RQ_CORE0, 1);
    }
    rq->len++;
    rq->one_core += t->rq_where >= RQ_CORE0;
}

void rq_remove(runq_t *rq, os_thread_t *t)
{
    if (t->rq_where == RQ_NOT_QUEUED)
        return;
    rq_node_t *x = t->rq_node;
    if (t->rq_where == RQ_SOME_CORES)
        list_remove(rq, x);
    else if (t->rq_where < RQ_CORE0) {          /* any core's: the heap or a run */
        if (t->rq_where == RQ_ANY_CORE)
            rq->any_core = heap_remove(rq, rq->any_core, x);
        else
            run_remove(rq, t->rq_where - RQ_RUN0, x);
        if (x == rq->any_first)
            any_first_again(rq);
    } else {
        rq_node_t **root = &rq->cores[t->rq_where - RQ_CORE0].queue;
        rq_node_t *was = *root;
        *root = heap_remove(rq, *root, x);
        if (*root != was)
            warm_root(rq, *root);
        if (!*root)
            cores_set(rq->cores, rq->ncores, CORES_QUEUED, t->rq_where - RQ_CORE0, 0);
    }
    x->next = rq->free;
    rq->free = x;
    rq->one_core -= t->rq_where >= RQ_CORE0;
    t->rq_where = RQ_NOT_QUEUED;
    t->rq_node = NULL;
    rq->len--;
}

/* ---- the first ---------------------------------------------------------- */

static rq_node_t *first_of(const runq_t *rq, rq_node_t *a, rq_node_t *b)
{
    return !a || (b && before(rq, b, a)) ? b : a;
}

os_thread_t *rq_first_for(const runq_t *rq, int c)
{
    rq_node_t *best = first_of(rq, rq->any_first, rq->cores[c].queue);
    for (rq_node_t *x = rq->some_cores; x; x = x->next)
        if (rq_allowed(x->owner, c)) {
            best = first_of(rq, best, x);
            break;
        }
    return best ? best->owner : NULL;
}

/* The first node of all, or NULL. */
static rq_node_t *first_node(const runq_t *rq)
{
    rq_node_t *best = first_of(rq, rq->any_first, rq->some_cores);
    if (rq->one_core)
        for (int c = cores_next(rq->cores, rq->ncores, CORES_QUEUED, 0); c >= 0;
             c = cores_next(rq->cores, rq->ncores, CORES_QUEUED, c + 1))
            best = first_of(rq, best, rq->cores[c].queue);
    return best;
}

os_thread_t *rq_first(const runq_t *rq)
{
    rq_node_t *best = first_node(rq);
    return best ? best->owner : NULL;
}

simtime_t rq_least_vruntime(const runq_t *rq)
{
    rq_node_t *best = first_node(rq);
    return best ? best->vruntime : SIMTIME_NEVER;
}

/* Run i's nodes in order, each its owner's, linked both ways. */
static const char *check_run(const runq_t *rq, int i)
{
    const rq_run_t *run = &rq->runs[i];
    if (!run->head != !run->tail || !(rq->runs_used >> i & 1) != !run->head)
        return "a run's ends and the runs in use disagree";
    for (const rq_node_t *x = run->head; x; x = x->next) {
        if (x->owner->rq_where != RQ_RUN0 + i || x->owner->rq_node != x)
            return "a run holds a node that is not its thread's";
        if (x->next ? x->next->prev != x || before(rq, x->next, x) : x != run->tail)
            return "a run is not linked in its order";
    }
    return NULL;
}

const char *rq_check(const runq_t *rq)
{
    const char *v;
    for (int i = 0; i < RQ_RUNS; i++)
        if ((v = check_run(rq, i)))
            return v;
    if (rq->runs_used && rq->run_top != greatest_tail(rq))
        return "run_top is not the run of greatest last key";
    const rq_node_t *first = rq->any_core;
    for (int i = 0; i < RQ_RUNS; i++)
        if (rq->runs[i].head && (!first || before(rq, rq->runs[i].head, first)))
            first = rq->runs[i].head;
    return first == rq->any_first ? NULL : "any_first is not the first of the heap and the runs";
}

const char *rq_check_thread(const runq_t *rq, const os_thread_t *t)
{
    if (t->rq_where == RQ_NOT_QUEUED)
        return t->rq_node ? "a thread not queued holds a run queue node" : NULL;
    if (!t->rq_node || t->rq_node->owner != t)
        return "a queued thread's run queue node is not its own";
    if (rq->by_vruntime && t->rq_node->vruntime != t->vruntime)
        return "a queued thread's vruntime changed, but its run queue key did not";
    return NULL;
}
