/* test_runq.c — the run queue (os/runq.c) against the plain definition of
 * its order: every queued thread sorted by (vruntime, arrival), or by
 * arrival for round robin; a core takes the first one it may run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "os/runq.h"
#include "rng.h"

#define NCORES 70                /* at most; each churn picks its own count */
#define NTHREADS 400

struct bench {
    os_core_t cores[NCORES];
    runq_t rq;
    int cfs, ncores;
    os_thread_t t[NTHREADS];
    uint64_t arrival[NTHREADS];  /* the reference's own arrival numbers */
    int queued[NTHREADS];
};

static void bench_init(struct bench *b, int cfs, int ncores)
{
    memset(b, 0, sizeof *b);
    b->cfs = cfs;
    b->ncores = ncores;
    rq_init(&b->rq, b->cores, ncores, cfs);
    assert_int_equal(rq_reserve(&b->rq, NTHREADS), 0);
    for (int i = 0; i < NTHREADS; i++)
        b->t[i] = (os_thread_t){.core = -1, .last_core = -1, .target = -1};
}

/* The reference: the first queued thread in the order that core c (or any
 * core, c < 0) may run, by a scan of them all. */
static os_thread_t *ref_first(struct bench *b, int c)
{
    int best = -1;
    for (int i = 0; i < NTHREADS; i++) {
        if (!b->queued[i] || (c >= 0 && !rq_allowed(&b->t[i], c)))
            continue;
        if (best < 0)
            best = i;
        else if (b->cfs && b->t[i].vruntime != b->t[best].vruntime) {
            if (b->t[i].vruntime < b->t[best].vruntime)
                best = i;
        } else if (b->arrival[i] < b->arrival[best])
            best = i;
    }
    return best < 0 ? NULL : &b->t[best];
}

/* Where a thread may run: anywhere, placed on a core, pinned to one core,
 * to several, to all of them (which is anywhere), or to cores the machine
 * may not have (affinity names cores 0-63; bits past the last core count
 * for nothing). */
static void random_place(struct bench *b, os_thread_t *t, rng_t *rng)
{
    int n = b->ncores;
    t->target = -1;
    t->affinity = 0;
    switch (rng_next(rng) % 7) {
    case 0: t->target = (int)(rng_next(rng) % (uint64_t)n); break;
    case 1: t->affinity = UINT64_C(1) << (rng_next(rng) % 64); break;
    case 2: t->affinity = (rng_next(rng) % 31) + 1; break;
    case 3: t->affinity = n >= 64 ? UINT64_MAX : (UINT64_C(1) << n) - 1; break;
    case 4: t->affinity = rng_next(rng) | 1; break;
    default: break;
    }
}

static void check_firsts(struct bench *b)
{
    assert_null(rq_check(&b->rq));
    for (int c = -1; c < b->ncores; c++) {
        os_thread_t *want = ref_first(b, c), *got = c < 0 ? rq_first(&b->rq) : rq_first_for(&b->rq, c);
        assert_ptr_equal(got, want);
        if (c < 0)               /* its key, from the queue's own copy */
            assert_int_equal(rq_least_vruntime(&b->rq), want ? want->vruntime : SIMTIME_NEVER);
    }
}

/* Random pushes and removals, ties in vruntime on purpose; after each, the
 * first thread for every core and of all is the reference's.  runs_from:
 * the queue's length from which threads free to run anywhere join its
 * sorted runs (0: always, so runs and heap are both in use; this bench's
 * NTHREADS never reach the default). */
static void churn(int cfs, uint64_t seed, int ncores, int runs_from)
{
    static struct bench b;
    bench_init(&b, cfs, ncores);
    b.rq.runs_from = runs_from;
    rng_t rng;
    rng_seed(&rng, seed);
    uint64_t arrivals = 0;
    int len = 0;
    for (int step = 0; step < 20000; step++) {
        int i = (int)(rng_next(&rng) % NTHREADS);
        os_thread_t *t = &b.t[i];
        if (!b.queued[i]) {
            t->vruntime = (simtime_t)(rng_next(&rng) % 16) * 1000;
            random_place(&b, t, &rng);
            rq_push(&b.rq, t);
            b.arrival[i] = arrivals++;
            b.queued[i] = 1;
            len++;
        } else if (rng_next(&rng) % 2) {
            rq_remove(&b.rq, t);
            b.queued[i] = 0;
            len--;
        } else {                                  /* a core takes its first */
            int c = (int)(rng_next(&rng) % (uint64_t)ncores);
            os_thread_t *first = rq_first_for(&b.rq, c);
            assert_ptr_equal(first, ref_first(&b, c));
            if (first) {
                rq_remove(&b.rq, first);
                b.queued[first - b.t] = 0;
                len--;
            }
        }
        assert_int_equal(b.rq.len, len);
        check_firsts(&b);
    }
    for (int i = 0; i < NTHREADS; i++)           /* removing what is not queued: nothing */
        if (!b.queued[i]) {
            rq_remove(&b.rq, &b.t[i]);
            assert_int_equal(b.rq.len, len);
        }
    rq_free(&b.rq);
}

static void test_cfs_order_is_vruntime_then_arrival(void **state)
{
    (void)state;
    churn(1, 1, 5, 0);
    churn(1, 2, 5, 0);
    churn(1, 4, 64, 0);          /* affinity can name every core */
    churn(1, 5, 70, 0);          /* ... or only some */
    churn(1, 6, 5, 100);         /* runs while the queue is long */
    churn(1, 7, 5, RQ_RUNS_FROM);  /* the heap alone */
}

static void test_round_robin_order_is_arrival(void **state)
{
    (void)state;
    churn(0, 3, 5, 0);
    churn(0, 8, 5, 100);         /* runs only while long: heap and runs both */
}

/* Many threads of one vruntime leave in the order they came. */
static void test_equal_vruntimes_leave_in_arrival_order(void **state)
{
    (void)state;
    static struct bench b;
    bench_init(&b, 1, 5);
    for (int i = 0; i < NTHREADS; i++)
        rq_push(&b.rq, &b.t[(i * 7) % NTHREADS]);
    for (int i = 0; i < NTHREADS; i++) {
        os_thread_t *first = rq_first_for(&b.rq, i % 5);
        assert_ptr_equal(first, &b.t[(i * 7) % NTHREADS]);
        rq_remove(&b.rq, first);
    }
    assert_int_equal(b.rq.len, 0);
    assert_null(rq_first(&b.rq));
    assert_int_equal(rq_least_vruntime(&b.rq), SIMTIME_NEVER);
    rq_free(&b.rq);
}

/* A node freed is the next one handed out, so a short queue among many
 * threads keeps to a few nodes; and reserving room again for as many
 * threads allocates nothing more. */
static void test_nodes_are_reused(void **state)
{
    (void)state;
    static struct bench b;
    bench_init(&b, 1, 5);
    int blocks = b.rq.nblocks;
    rq_push(&b.rq, &b.t[0]);
    rq_node_t *first = b.t[0].rq_node;
    rq_remove(&b.rq, &b.t[0]);
    rq_push(&b.rq, &b.t[1]);
    assert_ptr_equal(b.t[1].rq_node, first);
    rq_remove(&b.rq, &b.t[1]);
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < 30; i++)
            rq_push(&b.rq, &b.t[(round * 31 + i) % NTHREADS]);
        for (int i = 0; i < 30; i++)
            rq_remove(&b.rq, rq_first_for(&b.rq, i % 5));
    }
    assert_ptr_equal(b.rq.free, first);
    assert_int_equal(rq_reserve(&b.rq, NTHREADS), 0);
    assert_int_equal(b.rq.nblocks, blocks);
    rq_free(&b.rq);
}

/* The invariant check sees a queued thread whose vruntime moved away from
 * the key its node holds, and a node left on a thread not queued. */
static void test_check_sees_a_stale_key(void **state)
{
    (void)state;
    static struct bench b;
    bench_init(&b, 1, 5);
    os_thread_t *t = &b.t[3];
    t->vruntime = 500;
    rq_push(&b.rq, t);
    assert_null(rq_check_thread(&b.rq, t));
    t->vruntime = 501;
    assert_non_null(rq_check_thread(&b.rq, t));
    t->vruntime = 500;
    rq_remove(&b.rq, t);
    assert_null(rq_check_thread(&b.rq, t));
    t->rq_node = b.rq.free;
    assert_non_null(rq_check_thread(&b.rq, t));
    rq_free(&b.rq);
}

/* Keys that come in up to RQ_RUNS rising streams, interleaved, each far
 * from the others (as CFS's floor-placed sleepers and preempted threads
 * are), keep to the runs: every push and take is O(1), and the heap stays
 * empty.  The runs are still taken in key order. */
static void test_rising_streams_keep_to_the_runs(void **state)
{
    (void)state;
    static struct bench b;
    bench_init(&b, 1, 5);
    b.rq.runs_from = 0;
    int per = NTHREADS / RQ_RUNS;
    for (int k = 0; k < per; k++)
        for (int s = 0; s < RQ_RUNS; s++) {
            os_thread_t *t = &b.t[s * per + k];
            t->vruntime = (simtime_t)s * 1000000 + k;
            rq_push(&b.rq, t);
            assert_null(b.rq.any_core);
        }
    for (int i = 0; i < per * RQ_RUNS; i++) {
        os_thread_t *first = rq_first(&b.rq);
        assert_ptr_equal(first, &b.t[i]);
        rq_remove(&b.rq, first);
    }
    assert_int_equal(b.rq.len, 0);
    rq_free(&b.rq);
}

/* The same streams, while threads leave from the front (a core takes the
 * first), from a stream's end (its newest thread exits) and runs empty and
 * fill again in any order: a push still finds a run (the one whose last
 * key is greatest below its own), so the heap stays empty, and the order
 * is the reference's throughout. */
static void test_streams_keep_to_the_runs_as_threads_leave(void **state)
{
    (void)state;
    static struct bench b;
    bench_init(&b, 1, 5);
    b.rq.runs_from = 0;
    enum { PER = NTHREADS / RQ_RUNS };
    int lo[RQ_RUNS] = {0}, hi[RQ_RUNS] = {0};   /* stream s's queued k: [lo, hi) */
    rng_t rng;
    rng_seed(&rng, 11);
    for (int step = 0; step < 20000; step++) {
        int s = (int)(rng_next(&rng) % RQ_RUNS), what = (int)(rng_next(&rng) % 3);
        if (what == 0 && hi[s] - lo[s] < PER) {           /* stream s's next thread */
            int i = s * PER + hi[s] % PER;
            b.t[i].vruntime = (simtime_t)s * 1000000 + hi[s]++;
            rq_push(&b.rq, &b.t[i]);
            b.queued[i] = 1;
            assert_null(b.rq.any_core);
        } else if (what == 1 && hi[s] > lo[s]) {          /* its newest leaves */
            int i = s * PER + --hi[s] % PER;
            rq_remove(&b.rq, &b.t[i]);
            b.queued[i] = 0;
        } else if (what == 2 && b.rq.len) {                /* a core takes the first */
            os_thread_t *first = rq_first(&b.rq);
            int i = (int)(first - b.t);
            assert_int_equal(i, i / PER * PER + lo[i / PER] % PER);
            lo[i / PER]++;
            rq_remove(&b.rq, first);
            b.queued[i] = 0;
        }
        check_firsts(&b);                                 /* keys unique: no ties */
    }
    rq_free(&b.rq);
}

/* Of the runs a key may join, it joins the one whose last key is the
 * greatest not above its own; below them all, with no run free, the heap. */
static void test_a_key_joins_the_closest_run_below_it(void **state)
{
    (void)state;
    static struct bench b;
    bench_init(&b, 1, 5);
    b.rq.runs_from = 0;
    simtime_t firsts[RQ_RUNS] = {30, 20, 10, 8, 7, 6, 5, 4};   /* falling: one run each */
    for (int i = 0; i < RQ_RUNS; i++) {
        b.t[i].vruntime = firsts[i];
        rq_push(&b.rq, &b.t[i]);
        assert_int_equal(b.t[i].rq_where, RQ_RUN0 + i);
    }
    b.t[10].vruntime = 25;                       /* above 20 and 10, below 30 */
    rq_push(&b.rq, &b.t[10]);
    assert_int_equal(b.t[10].rq_where, RQ_RUN0 + 1);
    b.t[11].vruntime = 3;                        /* below every run's last */
    rq_push(&b.rq, &b.t[11]);
    assert_int_equal(b.t[11].rq_where, RQ_ANY_CORE);
    assert_ptr_equal(rq_first(&b.rq), &b.t[11]);
    assert_null(rq_check(&b.rq));
    /* a run emptied and used again by a low key: the closest run is then
     * not the first in number that fits */
    rq_remove(&b.rq, &b.t[10]);
    rq_remove(&b.rq, &b.t[0]);                   /* run 0 empty */
    rq_remove(&b.rq, &b.t[11]);
    b.t[12].vruntime = 1;
    rq_push(&b.rq, &b.t[12]);                    /* below all: the free run 0 */
    assert_int_equal(b.t[12].rq_where, RQ_RUN0);
    b.t[13].vruntime = 9;                        /* fits run 0 (1), 3 (8), 4 (7) ...: 3 */
    rq_push(&b.rq, &b.t[13]);
    assert_int_equal(b.t[13].rq_where, RQ_RUN0 + 3);
    assert_null(rq_check(&b.rq));
    rq_free(&b.rq);
}

static void check_says(const runq_t *rq, const char *want)
{
    const char *got = rq_check(rq);
    assert_non_null(got);
    assert_string_equal(got, want);
}

/* The invariant check sees runs out of order, a run's ends and the runs in
 * use disagreeing, a wrong run_top and a wrong any_first, each by its own
 * message. */
static void test_check_sees_broken_runs(void **state)
{
    (void)state;
    static struct bench b;
    bench_init(&b, 1, 5);
    b.rq.runs_from = 0;
    simtime_t keys[] = {10, 20, 5, 6};           /* run 0: 10, 20; run 1: 5, 6 */
    for (int i = 0; i < 4; i++) {
        b.t[i].vruntime = keys[i];
        rq_push(&b.rq, &b.t[i]);
    }
    assert_int_equal(b.t[3].rq_where, RQ_RUN0 + 1);
    assert_null(rq_check(&b.rq));
    rq_node_t *head1 = b.t[2].rq_node;           /* 7 before 6: only the order */
    head1->vruntime = 7;
    check_says(&b.rq, "a run is not linked in its order");
    head1->vruntime = 5;
    b.rq.runs_used &= ~2u;                       /* run 1 said unused */
    check_says(&b.rq, "a run's ends and the runs in use disagree");
    b.rq.runs_used |= 2u;
    b.rq.run_top = 1;
    check_says(&b.rq, "run_top is not the run of greatest last key");
    b.rq.run_top = 0;
    b.rq.any_first = b.t[0].rq_node;
    check_says(&b.rq, "any_first is not the first of the heap and the runs");
    b.rq.any_first = head1;
    assert_null(rq_check(&b.rq));
    rq_free(&b.rq);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cfs_order_is_vruntime_then_arrival),
        cmocka_unit_test(test_round_robin_order_is_arrival),
        cmocka_unit_test(test_equal_vruntimes_leave_in_arrival_order),
        cmocka_unit_test(test_nodes_are_reused),
        cmocka_unit_test(test_check_sees_a_stale_key),
        cmocka_unit_test(test_rising_streams_keep_to_the_runs),
        cmocka_unit_test(test_streams_keep_to_the_runs_as_threads_leave),
        cmocka_unit_test(test_a_key_joins_the_closest_run_below_it),
        cmocka_unit_test(test_check_sees_broken_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
