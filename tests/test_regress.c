/* test_regress.c — one test per bug found in review of the constructs
 * (the configs in tests/regress/ reproduce them); each asserts what CPython does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "testlib.h"

#define R "tests/regress/"

static int has(const run_t *r, const char *kind, const char *text)
{
    return strstr(log_texts(r, kind), text) != NULL;
}

/* An exception in a process-pool task reaches the consumer. */
static void test_process_pool_exception_reaches_consumer(void **state)
{
    (void)state;
    run_t *r = run_file(R "ppe_exc.yaml");
    assert_true(has(r, "mark", "caught"));
    assert_false(has(r, "mark", "no exception seen"));
    run_free(r);
}

/* A crash kills an event loop's thread for good: its pending task timers
 * do not bring it back, and the other process runs to its end. */
static void test_killed_loop_thread_stays_dead(void **state)
{
    (void)state;
    run_t *z = run_file(R "zombie.yaml");
    assert_false(has(z, "mark", "loop still running"));
    assert_true(has(z, "mark", "other done"));
    assert_near(secs(z->sim.end), 2.0, 0.01);
    run_free(z);
    run_t *d = run_file(R "daemon_zombie.yaml");
    assert_false(has(d, "mark", "daemon loop still running"));
    assert_near(secs(d->sim.end), 2.0, 0.01);
    run_free(d);
}

/* An op after an exception starts clean: the second map runs its items;
 * as_completed in except yields every future. */
static void test_exception_leaves_no_op_state_behind(void **state)
{
    (void)state;
    run_t *a = run_file(R "stale_tmp.yaml");
    assert_true(has(a, "result", "ok(1s)|ok(2s)"));
    assert_true(has(a, "mark", "after second map"));
    run_free(a);
    run_t *b = run_file(R "stale_seq.yaml");
    assert_true(has(b, "result", "ok(10ms)"));
    run_free(b);
}

/* Stale wait-list entries (from an as_completed left by an exception) do
 * not swallow a queue's wake-up meant for another thread. */
static void test_no_lost_wake_up(void **state)
{
    (void)state;
    run_t *r = run_file(R "lost_wake.yaml");
    assert_near(secs(log_time(r, "mark", "U got item")), 8.0, 0.01);
    assert_near(secs(log_time(r, "mark", "M saw event")), 9.0, 0.01);
    run_free(r);
}

/* The owner of a process pool crashes: its workers see EOF and exit. */
static void test_pool_owner_crash_does_not_hang(void **state)
{
    (void)state;
    run_t *r = run_file(R "owner_crash.yaml");
    assert_false(r->sim.deadlock);
    assert_true(secs(r->sim.end) < 1.1);
    run_free(r);
}

/* asyncio.run() from code running on a loop raises RuntimeError. */
static void test_nested_asyncio_run_raises(void **state)
{
    (void)state;
    run_t *r = run_file(R "nested_run.yaml");
    assert_true(has(r, "raise", "cannot be called from a running event loop"));
    run_free(r);
}

/* gather raises the first exception as soon as it happens. */
static void test_gather_fails_fast(void **state)
{
    (void)state;
    run_t *r = run_file(R "gather_exc2.yaml");
    assert_true(has(r, "exception", "FastError"));
    assert_false(has(r, "exception", "SlowError"));
    assert_near(secs(r->sim.end), 0.1, 0.01);
    run_free(r);
}

/* Without an exception, gather is over when its last task ends, whatever
 * order they end in: here the first created ends last. */
static void test_gather_waits_for_its_last_task(void **state)
{
    (void)state;
    run_t *r = run_yaml("functions:\n"
                        "  slow: {async: true, body: [{await: {sleep: 30ms}}]}\n"
                        "  fast: {async: true, body: [{await: {sleep: 10ms}}]}\n"
                        "  mid: {async: true, body: [{await: {sleep: 20ms}}]}\n"
                        "  main:\n"
                        "    async: true\n"
                        "    body:\n"
                        "      - {create_task: slow, as: ts}\n"
                        "      - {create_task: fast, as: ts}\n"
                        "      - {create_task: mid, as: ts}\n"
                        "      - {mark: created}\n"
                        "      - {await: {gather: ts}}\n"
                        "      - {mark: gathered}\n"
                        "processes:\n"
                        "  - main: [{asyncio_run: main}]\n");
    simtime_t took = log_time(r, "mark", "gathered") - log_time(r, "mark", "created");
    assert_true(took >= MS(30) && took < MS(31));
    /* main ran twice: up to the gather, and once it was over; no task's
     * end woke it before the last one's */
    const task_t *main_task = r->sim.loops[0]->all[0];
    assert_string_equal(main_task->coro, "main");
    assert_int_equal(main_task->steps, 2);
    run_free(r);
}

/* Leaving a with_pool block through an exception still waits for the
 * workers (Executor.__exit__ -> shutdown(wait=True)). */
static void test_exception_through_pool_waits_for_shutdown(void **state)
{
    (void)state;
    run_t *r = run_file(R "pool_unwind.yaml");
    assert_near(secs(log_time(r, "mark", "caught")), 2.0, 0.01);
    run_free(r);
}

/* map cancels the futures not yet started when a result raises. */
static void test_map_cancels_pending_on_exception(void **state)
{
    (void)state;
    run_t *r = run_file(R "map_exc.yaml");
    assert_near(secs(r->sim.end), 1.1, 0.01);       /* not 4.1 s */
    run_free(r);
}

/* A crashed worker breaks the pool: unfinished futures fail, the other
 * workers are terminated. */
static void test_broken_pool_terminates_workers(void **state)
{
    (void)state;
    run_t *r = run_file(R "broken.yaml");
    assert_true(has(r, "exception", "BrokenProcessPool"));
    assert_false(has(r, "mark", "work done"));
    assert_near(secs(r->sim.end), 0.106, 0.05);
    run_free(r);
}

/* A worker process that already left the pool may crash later without
 * breaking it. */
static void test_late_crash_of_a_former_worker(void **state)
{
    (void)state;
    run_t *r = run_file(R "late_crash.yaml");
    assert_true(has(r, "result", "work(2s)"));
    assert_false(has(r, "exception", "BrokenProcessPool"));
    run_free(r);
}

/* Python 3.11 with fork starts all max_workers at the first submit. */
static void test_fork_process_pool_starts_all_workers(void **state)
{
    (void)state;
    run_t *r = run_file(R "ppe_fork.yaml");
    assert_int_equal(r->sim.peak_procs, 9);          /* main + cpus = 8 */
    char *v310[] = {"python.version=3.10"};
    run_t *o = run_file_sets(R "ppe_fork.yaml", v310, 1);
    assert_int_equal(o->sim.peak_procs, 2);          /* on demand */
    run_free(r);
    run_free(o);
}

/* A result is shown only once the consumer has the GIL back. */
static void test_results_shown_with_the_gil(void **state)
{
    (void)state;
    run_t *r = run_file(R "nogil_result.yaml");
    /* the hog holds the GIL; the consumer waits about a switch interval */
    assert_true(log_time(r, "result", "ok(50ms)") > MS(65));
    run_free(r);
}

/* Thread pools in the free-threaded build: submitting and showing results
 * waited for a GIL that does not exist, so the main thread spun at one
 * instant until the run was stopped.  Now the pool's eight 1 s CPU calls
 * run four at a time on the 4 cores: about 2 s (8 s with the GIL). */
static void test_thread_pool_without_gil(void **state)
{
    (void)state;
    char *sets[] = {"python.gil=none", "python.version=3.14"};
    run_t *r = run_file_sets("configs/seed/pool_cpu_threads.yaml", sets, 2);
    assert_true(secs(r->sim.end) > 2.0 && secs(r->sim.end) < 2.3);
    assert_false(r->sim.deadlock);
    assert_int_equal(r->sim.live, 0);
    char *one[] = {"python.gil=none", "python.version=3.14", "machine.cores=1"};
    run_t *o = run_file_sets("configs/seed/tpe_map.yaml", one, 3);
    assert_true(fabs(secs(o->sim.end) - 5.0) < 0.05);      /* the map's longest sleep */
    run_free(r);
    run_free(o);
}

/* A program that hangs is a result: the run ends, flagged deadlock, and
 * says who waits for what. */
static void test_deadlock_is_reported(void **state)
{
    (void)state;
    static const char yaml[] =
        "objects: [{name: a, kind: lock}, {name: b, kind: lock}]\n"
        "functions:\n"
        "  ab: {body: [{with_lock: a, do: [{sleep: 10ms}, {with_lock: b, do: [{cpu: 1us}]}]}]}\n"
        "  ba: {body: [{with_lock: b, do: [{sleep: 10ms}, {with_lock: a, do: [{cpu: 1us}]}]}]}\n"
        "processes:\n"
        "  - main: [{start: ab, as: t}, {start: ba, as: t}, {join: t}]\n";
    run_t *r = run_yaml(yaml);
    assert_true(r->sim.deadlock);
    assert_false(r->sim.cut);
    assert_int_equal(r->sim.live, 3);
    assert_near(secs(r->sim.end), 0.01, 0.05);   /* both hold one lock after 10 ms */
    /* log.csv says who waits for what: each lock and its holder */
    assert_string_equal(log_texts(r, trace_log_kind_names[LK_DEADLOCK]),
                        "thread Thread-1 to end (join)|lock b, held by Thread-2|"
                        "lock a, held by Thread-1");
    run_free(r);
}

/* Found by the validation harness: sleeps get the timer slack, a first
 * GIL take pays no switch cost, and zero counts are allowed (range(0)). */
static void test_validation_findings(void **state)
{
    (void)state;
    static const char yaml[] =
        "functions: {f: {body: [{cpu: 1ms}]}}\n"
        "processes:\n"
        "  - main:\n"
        "      - {cpu: 11us}\n"
        "      - mark: first cpu done\n"
        "      - {start: f, count: 0, as: none}\n"
        "      - {repeat: 0, do: [{cpu: 1s}]}\n"
        "      - {repeat: 100, do: [{sleep: 1ms}]}\n"
        "      - mark: slept\n";
    run_t *r = run_yaml(yaml);
    /* bootstrap take (no predecessor) + 11 us of work, no switch cost */
    assert_true(log_time(r, "mark", "first cpu done") < US(15));
    double over = secs(log_time(r, "mark", "slept")) - 0.1;
    /* 100 sleeps: each up to 50 us of slack (mean 25) plus a wake-up */
    assert_true(over > 100 * 10e-6 && over < 100 * 80e-6);
    assert_int_equal(r->sim.nthreads, 1);
    run_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_process_pool_exception_reaches_consumer),
        cmocka_unit_test(test_killed_loop_thread_stays_dead),
        cmocka_unit_test(test_exception_leaves_no_op_state_behind),
        cmocka_unit_test(test_no_lost_wake_up),
        cmocka_unit_test(test_pool_owner_crash_does_not_hang),
        cmocka_unit_test(test_nested_asyncio_run_raises),
        cmocka_unit_test(test_gather_fails_fast),
        cmocka_unit_test(test_gather_waits_for_its_last_task),
        cmocka_unit_test(test_exception_through_pool_waits_for_shutdown),
        cmocka_unit_test(test_map_cancels_pending_on_exception),
        cmocka_unit_test(test_broken_pool_terminates_workers),
        cmocka_unit_test(test_late_crash_of_a_former_worker),
        cmocka_unit_test(test_fork_process_pool_starts_all_workers),
        cmocka_unit_test(test_results_shown_with_the_gil),
        cmocka_unit_test(test_thread_pool_without_gil),
        cmocka_unit_test(test_deadlock_is_reported),
        cmocka_unit_test(test_validation_findings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
