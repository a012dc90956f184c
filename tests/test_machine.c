/* test_machine.c — the OS scheduler's choice of a core (os/machine.c)
 * with the engine and no model: which idle core a runnable thread takes,
 * across many cores, and a core freed by a wake-up that never arrived. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
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
    os_thread_t t[NCORES + 2];
};

static void bench_init(struct bench *b, int ncores)
{
    memset(b, 0, sizeof *b);
    b->cfg.machine.cores = ncores;
    b->cfg.os.sched_latency = MS(6);
    b->cfg.os.min_granularity = US(750);
    eng_init(&b->eng);
    rng_seed(&b->rng, 1);
    os_init(&b->os, &b->eng, &b->rng, &b->cfg, &hooks, b->cores);
    for (int i = 0; i < NCORES + 2; i++)
        os_thread_init(&b->os, &b->t[i]);
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
    eng_free(&b.eng);
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
    eng_free(&b.eng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lowest_idle_core_across_words),
        cmocka_unit_test(test_core_of_a_cancelled_wake_up_is_idle_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
