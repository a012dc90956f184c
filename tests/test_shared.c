/* test_shared.c — shared variables and non-atomic updates (`update:`):
 * where the interpreter checks for a drop request decides whether a forced
 * GIL switch can fall between an update's load and its store, and so
 * whether updates are lost (sim/model/shared.c).  Every run checks the
 * model's invariants after every event (testlib.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "testlib.h"
#include "stats.h"

/* THREADS threads each doing UPDATES updates of one shared counter; the
 * switch interval is short so that the GIL changes hands many times. */
#define UPDATES 50000
static const char counter_yaml[] =
    "python: {switch_interval: 1ms}\n"
    "objects: [{name: counter, kind: shared}]\n"
    "processes:\n"
    "  - name: app\n"
    "    threads:\n"
    "      - name: worker\n"
    "        count: 4\n"
    "        program: [{repeat: 50000, do: [{update: counter, call: false}]}]\n";

/* The counter of r's only process. */
static const shared_t *counter_of(const run_t *r)
{
    assert_int_equal(r->sim.procs[0]->objects[0].kind, OBJ_SHARED);
    return &r->sim.procs[0]->objects[0].shared;
}

/* Runs counter_yaml at a Python version, call: true or false, with `threads`
 * threads; checks what holds whatever the version: every update was stored,
 * the final value is the updates minus the lost ones, summary.csv's count
 * is that net one, and the threads' counts (what each store wrote over)
 * add up to at least it, none wrapped below 0.  Returns the lost updates. */
static int64_t lost_updates(const char *version, int call, int threads)
{
    char v[64], c[64], n[64];
    snprintf(v, sizeof v, "python.version=%s", version);
    snprintf(c, sizeof c, "processes.0.threads.0.program.0.do.0.call=%s", call ? "true" : "false");
    snprintf(n, sizeof n, "processes.0.threads.0.count=%d", threads);
    char *sets[] = { v, c, n };
    run_t *r = run_yaml_sets(counter_yaml, sets, 3);
    const shared_t *x = counter_of(r);
    uint64_t by_threads = 0;
    for (int i = 0; i < r->sim.nthreads; i++)
        by_threads += r->sim.threads[i]->lost_updates;
    assert_int_equal(x->updates, (int64_t)threads * UPDATES);
    assert_int_equal(x->value, x->updates - x->lost);
    assert_true(by_threads >= (uint64_t)x->lost);
    for (int i = 0; i < r->sim.nthreads; i++)        /* no count wrapped below 0 */
        assert_true(r->sim.threads[i]->lost_updates <= (uint64_t)x->updates);
    run_stats_t st;
    assert_int_equal(stats_compute(&r->sim, 0, &st), 0);
    assert_int_equal(st.lost_updates, (uint64_t)x->lost);      /* summary.csv: the net */
    stats_free(&st);
    int64_t lost = x->lost;
    run_free(r);
    return lost;
}

/* 3.10+: a plain `counter += 1` has no check point between load and store. */
static void test_plain_update_loses_nothing_from_3_10(void **state)
{
    (void)state;
    assert_int_equal(lost_updates("3.11", 0, 4), 0);
    assert_int_equal(lost_updates("3.10", 0, 4), 0);
}

/* Up to 3.9 the eval loop checks before nearly every opcode: a forced
 * switch lands inside the update, and the store overwrites a whole switch
 * interval of the other threads' updates. */
static void test_plain_update_loses_updates_up_to_3_9(void **state)
{
    (void)state;
    int64_t lost = lost_updates("3.9", 0, 4);
    assert_true(lost > UPDATES / 10);
}

/* `counter += f()`: f's RESUME is a check point inside, in every version. */
static void test_update_with_a_call_loses_updates_in_3_11(void **state)
{
    (void)state;
    assert_true(lost_updates("3.11", 1, 4) > UPDATES / 10);
}

/* Many threads and switches: stale stores lower the counter below a later
 * load, so some stores give increments back; no thread's count goes below
 * 0 (it once wrapped to 2^64 - n). */
static void test_stale_stores_count_no_negative(void **state)
{
    (void)state;
    char *sets[] = {"python.version=3.9", "python.switch_interval=5us",
                    "processes.0.threads.0.count=16",
                    "processes.0.threads.0.program.0.do.0.call=true",
                    "processes.0.threads.0.program.0.repeat=2000"};
    run_t *r = run_yaml_sets(counter_yaml, sets, 5);
    const shared_t *x = counter_of(r);
    uint64_t by_threads = 0;
    for (int i = 0; i < r->sim.nthreads; i++) {
        assert_true(r->sim.threads[i]->lost_updates <= (uint64_t)x->updates);
        by_threads += r->sim.threads[i]->lost_updates;
    }
    assert_true(x->lost > 0);
    assert_true(by_threads > (uint64_t)x->lost);       /* some stores gave some back */
    run_free(r);
}

/* Alone, nobody stores between its load and its store. */
static void test_one_thread_alone_loses_none(void **state)
{
    (void)state;
    assert_int_equal(lost_updates("3.9", 1, 1), 0);
}

/* `call:` may come first: beside `update:` it is update's key, not an op. */
static void test_call_key_before_update(void **state)
{
    (void)state;
    static const char yaml[] =
        "objects: [{name: n, kind: shared}]\n"
        "processes: [{main: [{call: true, update: n}, {update: n}]}]\n";
    run_t *r = run_yaml(yaml);
    const program_t *p = &r->cfg.procs[0].main;
    assert_int_equal(p->ops[0].kind, OP_UPDATE);
    assert_int_equal(p->ops[0].rhs_call, 1);
    assert_int_equal(p->ops[1].rhs_call, 0);
    assert_int_equal(counter_of(r)->value, 2);
    /* 9 opcodes (the call) + 4, python.opcode_time each, holding the GIL */
    assert_int_equal(r->sim.threads[0]->state_time[TS_PY], 13 * r->cfg.python.opcode_time);
    run_free(r);
}

/* The shipped example says what happens at 3.9 and 3.11, with and without
 * the call; its default (3.11, plain) loses nothing. */
static void test_shipped_example(void **state)
{
    (void)state;
    run_t *r = run_file("configs/shared_counter.yaml");
    assert_int_equal(counter_of(r)->lost, 0);
    assert_true(counter_of(r)->updates > 0);
    run_free(r);
    char *sets[] = { "python.version=3.9" };
    r = run_file_sets("configs/shared_counter.yaml", sets, 1);
    assert_true(counter_of(r)->lost > 0);
    run_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_update_loses_nothing_from_3_10),
        cmocka_unit_test(test_plain_update_loses_updates_up_to_3_9),
        cmocka_unit_test(test_update_with_a_call_loses_updates_in_3_11),
        cmocka_unit_test(test_one_thread_alone_loses_none),
        cmocka_unit_test(test_stale_stores_count_no_negative),
        cmocka_unit_test(test_call_key_before_update),
        cmocka_unit_test(test_shipped_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
