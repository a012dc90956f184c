/* test_machine.c — the OS scheduler's choice of a core (os/machine.c)
 * with the engine and no model: which idle core a runnable thread takes,
 * across many cores, a core freed by a wake-up that never arrived, and
 * the index of cores (os/cores.c) agreeing with a scan through any mix of
 * wake-ups, dispatches, slices and removals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "os/cores.h"
#include "os/machine.h"

#define NCORES 130               /* three words of core bits */

static void nothing(os_thread_t *ot) { (void)ot; }
static const os_hooks_t hooks = {nothing, nothing, nothing};

struct bench {
    config_t cfg;
    engine_t eng;
    rng_t rng;
    os_core_t cores[NCORES];
    os_t os;
    os_thread_t t[2 * NCORES + 8];
};

#define NTHREADS(b) ((int)(sizeof (b)->t / sizeof (b)->t[0]))

/* The OS for b's config, and its threads. */
static void bench_os_init(struct bench *b)
{
    os_init(&b->os, &b->eng, &b->rng, &b->cfg, &hooks, b->cores);
    for (int i = 0; i < NTHREADS(b); i++)
        assert_int_equal(os_thread_init(&b->os, &b->t[i]), 0);
}

/* What bench_init allocated. */
static void bench_free(struct bench *b)
{
    eng_free(&b->eng);
    os_free(&b->os);
}

static void bench_init(struct bench *b, int ncores)
{
    memset(b, 0, sizeof *b);
    b->cfg.machine.cores = ncores;
    b->cfg.os.sched_latency = MS(6);
    b->cfg.os.min_granularity = US(750);
    eng_init(&b->eng);
    rng_seed(&b->rng, 1);
    bench_os_init(b);
}

/* A runnable thread takes the lowest idle core; a core freed anywhere is
 * the next one taken; with none idle it waits. */
static void test_lowest_idle_core_across_words(void **state)
{
    (void)state;
    static struct bench b;
    bench_init(&b, NCORES);
    for (int i = 0; i < NCORES; i++) {
        os_ready(&b.os, &b.t[i]);
        assert_int_equal(b.t[i].core, i);
    }
    os_ready(&b.os, &b.t[NCORES]);            /* every core busy: queued */
    assert_int_equal(b.t[NCORES].core, -1);
    assert_int_equal(b.os.rq.len, 1);
    os_core_idle(&b.os, os_leave(&b.os, &b.t[100]));   /* core 100 takes the queued one */
    assert_int_equal(b.t[NCORES].core, 100);
    assert_int_equal(os_leave(&b.os, &b.t[129]), 129);
    assert_int_equal(os_leave(&b.os, &b.t[64]), 64);
    b.t[NCORES + 1].last_core = 129;          /* its last core first, if idle */
    os_ready(&b.os, &b.t[NCORES + 1]);
    assert_int_equal(b.t[NCORES + 1].core, 129);
    b.t[64].last_core = -1;
    os_ready(&b.os, &b.t[64]);
    assert_int_equal(b.t[64].core, 64);
    bench_free(&b);
}

/* A wake-up on its way to an idle core keeps it for that thread; when the
 * thread goes instead (its process ended), the core is idle again. */
static void test_core_of_a_cancelled_wake_up_is_idle_again(void **state)
{
    (void)state;
    static struct bench b;
    bench_init(&b, 1);
    b.cfg.os.wake_latency = (dist_t){0};
    os_wake(&b.os, &b.t[0]);                  /* on its way to core 0 */
    os_ready(&b.os, &b.t[1]);
    assert_int_equal(b.t[1].core, -1);        /* core 0 is not free for another */
    os_remove(&b.os, &b.t[1]);
    os_remove(&b.os, &b.t[0]);
    os_ready(&b.os, &b.t[1]);
    assert_int_equal(b.t[1].core, 0);
    bench_free(&b);
}

/* One random step of a thread's life: a blocked thread wakes (plainly,
 * by a timer, synchronously by a running thread, or made runnable at
 * once), sometimes with an affinity first; a running one blocks and hands
 * its core on; a queued or waking one vanishes; or time passes (wake-ups
 * arrive, slices end). */
static void churn_step(struct bench *b, int nthreads, rng_t *r, char *waking)
{
    int i = (int)(rng_next(r) % (uint64_t)nthreads), dice = (int)(rng_next(r) % 8);
    os_thread_t *t = &b->t[i];
    if (t->core >= 0 || t->rq_where)
        waking[i] = 0;
    if (dice == 0) {
        for (int k = (int)(rng_next(r) % 6); k > 0 && eng_step(&b->eng); k--)
            ;
    } else if (t->core >= 0) {
        os_core_idle(&b->os, os_leave(&b->os, t));
    } else if (t->rq_where || waking[i]) {
        if (dice == 1) {
            t->gen++;                           /* as the model: what it waited for is void */
            os_remove(&b->os, t);
            waking[i] = 0;
        }
    } else {
        t->affinity = rng_next(r) % 4 == 0 ? rng_next(r) | 1 : 0;
        const os_thread_t *waker = &b->t[rng_next(r) % (uint64_t)nthreads];
        if (dice == 3 || dice == 4)
            os_wake(&b->os, t);
        else if (dice == 5)
            os_wake_timer(&b->os, t);
        else if (dice == 6 && waker->core >= 0)
            os_wake_sync(&b->os, t, waker);
        else {
            os_ready(&b->os, t);
            return;
        }
        waking[i] = 1;
    }
}

/* The index of cores says what a scan says after every step, on machines
 * of one core, of sizes that are not powers of two, the largest that
 * scans and the smallest with tournaments, of one word of bits and past
 * it, for CFS and round robin, with a few threads more than cores (so the
 * queue fills and drains, and slices end with it empty) and with twice as
 * many (so it stays long). */
static void test_core_index_agrees_with_a_scan(void **state)
{
    (void)state;
    static struct bench b;
    static const int sizes[] = {1, 2, 3, 5, CORES_SCAN_MAX, CORES_SCAN_MAX + 1, 64, 65, NCORES};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        for (int mode = 0; mode < 4; mode++) {
            int rr = mode & 1, nthreads = mode & 2 ? 2 * sizes[k] + 8 : sizes[k] + 2;
            bench_init(&b, sizes[k]);
            b.cfg.os.scheduler = rr ? SCHED_RR : SCHED_CFS;
            b.cfg.os.wake_latency = (dist_t){.kind = DIST_CONST, .a = US(3)};
            b.cfg.os.wake_latency_deep = (dist_t){.kind = DIST_CONST, .a = US(30)};
            b.cfg.os.halt_poll = US(200);
            b.cfg.os.context_switch = US(2);
            b.cfg.os.sched_latency = US(40);   /* slices end within the events it steps */
            b.cfg.os.min_granularity = US(5);
            os_free(&b.os);
            bench_os_init(&b);
            rng_t r;
            rng_seed(&r, 7 + k);
            char waking[NTHREADS(&b)];
            memset(waking, 0, sizeof waking);
            for (int step = 0; step < 20000; step++) {
                churn_step(&b, nthreads, &r, waking);
                const char *v = cores_check(b.cores, sizes[k]);
                for (int i = 0; !v && i < nthreads; i++)
                    v = rq_check_thread(&b.os.rq, &b.t[i]);
                if (v)
                    fail_msg("%d cores, step %d: %s", sizes[k], step, v);
            }
            bench_free(&b);
        }
}

/* Among running threads of equal vruntime the lowest-numbered core is
 * both the least and the most served, as a scan from core 0 finds it; on
 * machines that scan and on ones that keep the index. */
static void test_equal_vruntimes_go_to_the_lowest_core(void **state)
{
    (void)state;
    static struct bench b;
    static const int sizes[] = {5, CORES_SCAN_MAX + 5, 64, 100};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        int n = sizes[k];
        bench_init(&b, n);
        for (int i = 0; i < n; i++)
            b.t[i].last_core = n - 1 - i;     /* taken in the order n-1, ..., 0 */
        for (int i = 0; i < n; i++)
            os_ready(&b.os, &b.t[i]);
        assert_int_equal(cores_least_running(b.cores, n), 0);
        assert_int_equal(cores_most_running(b.cores, n, 0), 0);
        b.t[0].vruntime = 1;                  /* core n-1's thread leaves with more */
        os_leave(&b.os, &b.t[0]);
        os_ready(&b.os, &b.t[0]);
        assert_int_equal(b.t[0].core, n - 1);
        assert_int_equal(cores_most_running(b.cores, n, 0), n - 1);
        assert_int_equal(cores_least_running(b.cores, n), 0);
        bench_free(&b);
    }
}

/* The core among `allowed` (0: all) whose running thread has the most
 * vruntime now, the lowest-numbered among equals: the old scan. */
static int most_served_by_scan(const struct bench *b, int n, uint64_t allowed)
{
    int best = -1;
    simtime_t most = 0;
    for (int c = 0; c < n; c++) {
        const os_thread_t *cur = b->cores[c].cur;
        if (!cur || (allowed && (c >= 64 || !(allowed >> c & 1))))
            continue;
        simtime_t v = cur->vruntime + (b->eng.now - cur->exec_start);
        if (best < 0 || v > most) {
            best = c;
            most = v;
        }
    }
    return best;
}

/* What the index decides: a new thread starts at the least vruntime of
 * the running ones (min_vruntime); a woken sleeper with every core busy
 * preempts the most served thread it may replace, among all cores or
 * among those its affinity names. */
static void test_placement_and_preemption_use_least_and_most(void **state)
{
    (void)state;
    static struct bench b;
    static const int sizes[] = {5, CORES_SCAN_MAX + 5, 100};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        int n = sizes[k];
        bench_init(&b, n);
        for (int i = 0; i < n; i++) {         /* distinct vruntimes, least on core 3 */
            b.t[i].vruntime = MS(1) * (1 + (i * 7 + n - 3 * 7 % n) % n);
            b.t[i].last_core = i;
            os_ready(&b.os, &b.t[i]);
        }
        eng_run(&b.eng, US(5));               /* the dispatches */
        assert_int_equal(b.cores[3].cur->vruntime, MS(1));
        os_place_new(&b.os, &b.t[n]);
        assert_int_equal(b.t[n].vruntime, MS(1) + b.eng.now - b.cores[3].cur->exec_start);
        for (int j = 0; j < 2; j++) {
            os_thread_t *w = &b.t[n + 1 + j];
            w->affinity = j ? UINT64_C(0xe) : 0;   /* then cores 1-3 only */
            int victim = most_served_by_scan(&b, n, w->affinity);
            os_thread_t *was = b.cores[victim].cur;
            os_wake(&b.os, w);
            eng_run(&b.eng, b.eng.now);       /* its wake-up arrives */
            assert_int_equal(w->core, victim);
            assert_int_equal(was->core, -1);
            assert_true(was->rq_where != RQ_NOT_QUEUED);
        }
        bench_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lowest_idle_core_across_words),
        cmocka_unit_test(test_core_of_a_cancelled_wake_up_is_idle_again),
        cmocka_unit_test(test_core_index_agrees_with_a_scan),
        cmocka_unit_test(test_equal_vruntimes_go_to_the_lowest_core),
        cmocka_unit_test(test_placement_and_preemption_use_least_and_most),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
