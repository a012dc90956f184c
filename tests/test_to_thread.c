/* test_to_thread.c — `await: {to_thread: f}` (asyncio.to_thread): f runs
 * in the event loop's default ThreadPoolExecutor while the loop runs its
 * other tasks (sim/model/pool.c, aio.c).  Every run checks the model's
 * invariants after every event (testlib.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "testlib.h"

#define EXAMPLE "configs/asyncio_to_thread.yaml"

/* The threads of r's default executor (group pool_worker). */
static int workers(const run_t *r)
{
    int n = 0;
    for (int i = 0; i < r->sim.nthreads; i++)
        n += strcmp(r->sim.threads[i]->group, "pool_worker") == 0;
    return n;
}

/* The notes' Example 3 with time.sleep(1) moved to to_thread: the five
 * sleeps overlap in five workers, asyncio_0 .. asyncio_4, so it takes about
 * one sleep, not five; asyncio.run joins the workers and returns. */
static void test_example_3_fixed_takes_one_sleep(void **state)
{
    (void)state;
    run_t *r = run_file(EXAMPLE);
    assert_near(secs(log_time(r, "mark", "Total time")), 1.0, 0.01);
    assert_int_equal(workers(r), 5);
    assert_int_equal(thread_named(r, "asyncio_4")->finish >= 0, 1);
    assert_int_equal(r->sim.deadlock, 0);
    /* each print_number task awaited about the whole second */
    const loop_t *l = r->sim.loops[0];
    for (int i = 1; i < l->nall; i++)
        assert_near(secs(l->all[i]->state_time[TASK_WAITING]), 1.0, 0.01);
    run_free(r);
}

/* max_workers = min(32, cores + 4): 40 calls of a 1 s sleep run 8 at a
 * time on 4 cores (5 rounds), 32 at a time on 30 cores (2 rounds). */
static void test_default_executor_workers(void **state)
{
    (void)state;
    static const struct { const char *cores; int workers; double total; } cases[] = {
        { "machine.cores=4", 8, 5.0 }, { "machine.cores=30", 32, 2.0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *sets[] = { "functions.main.body.0.count=40", (char *)cases[i].cores };
        run_t *r = run_file_sets(EXAMPLE, sets, 2);
        assert_int_equal(workers(r), cases[i].workers);
        assert_near(secs(log_time(r, "mark", "Total time")), cases[i].total, 0.01);
        run_free(r);
    }
}

/* An exception in f is raised in the awaiting task when it resumes. */
static void test_exception_reaches_the_task(void **state)
{
    (void)state;
    static const char yaml[] =
        "functions:\n"
        "  f: {body: [{sleep: 10ms}, {raise: ValueError}]}\n"
        "  main: {async: true, body: [{await: {to_thread: f}}, {mark: not reached}]}\n"
        "processes: [{main: [{try: [{asyncio_run: main}], except: [{mark: caught}]}]}]\n";
    run_t *r = run_yaml(yaml);
    assert_near(secs(log_time(r, "mark", "caught")), 0.01, 0.05);
    assert_string_equal(log_texts(r, "mark"), "caught");
    assert_string_equal(r->sim.loops[0]->main->exc, "ValueError");
    run_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_3_fixed_takes_one_sleep),
        cmocka_unit_test(test_default_executor_workers),
        cmocka_unit_test(test_exception_reaches_the_task),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
