/* test_model.c — the behaviour issue #2 promises, as figures.  Every run
 * here checks the model's invariants after every event (testlib.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "testlib.h"
#include "model/ops.h"

/* One thread doing 1 s of Python work in 1 ms calls: about 1 s. */
static const char one_thread[] =
    "machine: {cores: 4}\n"
    "processes:\n"
    "  - name: app\n"
    "    threads:\n"
    "      - name: w\n"
    "        program: [{repeat: 1000, do: [{cpu: 1ms}]}]\n";

static const char four_threads[] =
    "machine: {cores: 4}\n"
    "processes:\n"
    "  - name: app\n"
    "    threads:\n"
    "      - name: w\n"
    "        count: 4\n"
    "        program: [{repeat: 1000, do: [{cpu: 1ms}]}]\n";

static const char four_processes[] =
    "machine: {cores: 4}\n"
    "processes:\n"
    "  - name: p\n"
    "    count: 4\n"
    "    threads:\n"
    "      - name: w\n"
    "        program: [{repeat: 1000, do: [{cpu: 1ms}]}]\n";

static void test_one_thread_takes_its_work_time(void **state)
{
    (void)state;
    run_t *r = run_yaml(one_thread);
    assert_near(secs(r->sim.end), 1.0, 0.01);
    assert_int_equal(r->sim.threads[0]->ops_done, 1000);
    run_free(r);
}

/* 4 CPU-bound threads in one process: the GIL serialises them, so about 4x
 * one thread's time, and only one core is busy at a time. */
static void test_four_threads_take_four_times_as_long(void **state)
{
    (void)state;
    run_t *one = run_yaml(one_thread);
    run_t *four = run_yaml(four_threads);
    assert_near(secs(four->sim.end), 4.0 * secs(one->sim.end), 0.05);
    simtime_t busy = 0;
    for (int c = 0; c < four->sim.os.ncores; c++)
        busy += four->sim.os.cores[c].busy_ns;
    /* about one core's worth of busy time over the whole run */
    assert_near((double)busy, (double)four->sim.end, 0.05);
    assert_true(four->sim.procs[0]->gil.switches > 100);
    run_free(one);
    run_free(four);
}

/* The same work in 4 single-thread processes runs in parallel: about 1x. */
static void test_four_processes_run_in_parallel(void **state)
{
    (void)state;
    run_t *one = run_yaml(one_thread);
    run_t *four = run_yaml(four_processes);
    assert_near(secs(four->sim.end), secs(one->sim.end), 0.05);
    for (int c = 0; c < 4; c++)
        assert_near((double)four->sim.os.cores[c].busy_ns, (double)four->sim.end, 0.05);
    run_free(one);
    run_free(four);
}

/* More processes than cores: the OS time-slices, total = work / cores. */
static void test_os_time_slices_when_oversubscribed(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 2}\n"
        "processes:\n"
        "  - name: p\n"
        "    count: 4\n"
        "    threads: [{name: w, program: [{cpu: 1s}]}]\n";
    run_t *r = run_yaml(yaml);
    assert_near(secs(r->sim.end), 2.0, 0.02);
    /* fair slices: every process finishes in the last slice rounds */
    for (int i = 0; i < 4; i++)
        assert_true(r->sim.threads[i]->finish > MS(1900));
    run_free(r);
}

/* 10 threads each blocking 2 s in I/O overlap: about 2 s in all. */
static void test_ten_io_threads_overlap(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 4}\n"
        "processes:\n"
        "  - name: app\n"
        "    threads: [{name: t, count: 10, program: [{io: 2s}]}]\n";
    run_t *r = run_yaml(yaml);
    assert_near(secs(r->sim.end), 2.0, 0.01);
    for (int i = 0; i < 10; i++)
        assert_int_equal(r->sim.threads[i]->ops_done, 1);
    run_free(r);
}

static const char convoy[] =
    "machine: {cores: 4}\n"
    "python: {switch_interval: 5ms}\n"
    "duration: 5s\n"
    "processes:\n"
    "  - name: app\n"
    "    threads:\n"
    "      - name: io\n"
    "        program: [{repeat: 100, do: [{io: 1ms}, {cpu: 10us}]}]\n"
    "      - name: spin\n"
    "        program: [{repeat: forever, do: [{cpu: 100us}]}]\n";

/* The convoy: each return from I/O waits about one switch interval for the
 * GIL, so 100 x (1 ms I/O) take about 100 x (1 ms + 5 ms). */
static void test_convoy_costs_a_switch_interval_per_io(void **state)
{
    (void)state;
    run_t *r = run_yaml(convoy);
    const thread_t *io = thread_named(r, "io");
    assert_int_equal(io->ops_done, 200);
    assert_near(secs(io->finish), 0.600, 0.05);
    /* real CPython 3.11: 5.1-5.2 ms extra per operation at 5 ms */
    double extra_ms = (secs(io->finish) - 0.100) / 100 * 1e3;
    assert_true(extra_ms > 5.0 && extra_ms < 5.3);
    run_free(r);
}

static void test_convoy_scales_with_switch_interval(void **state)
{
    (void)state;
    char *sets[] = {"python.switch_interval=15ms"};
    run_t *r = run_yaml_sets(convoy, sets, 1);
    const thread_t *io = thread_named(r, "io");
    double extra_ms = (secs(io->finish) - 0.100) / 100 * 1e3;
    /* real CPython 3.11: 15.1-15.3 ms at 15 ms */
    assert_true(extra_ms > 15.0 && extra_ms < 15.4);
    run_free(r);
}

static void test_io_thread_alone_takes_its_io_time(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 4}\n"
        "python: {switch_interval: 5ms}\n"
        "processes:\n"
        "  - name: app\n"
        "    threads:\n"
        "      - name: io\n"
        "        program: [{repeat: 100, do: [{io: 1ms}, {cpu: 10us}]}]\n";
    run_t *r = run_yaml(yaml);
    assert_near(secs(r->sim.end), 0.100, 0.03);
    run_free(r);
}

/* Two CPU-bound threads alternate about once per switch interval: the
 * waiter times out, requests a drop, the holder hands over (forced). */
static void test_two_cpu_threads_switch_every_interval(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 2}\n"
        "python: {switch_interval: 5ms}\n"
        "duration: 1s\n"
        "processes:\n"
        "  - name: app\n"
        "    threads: [{name: w, count: 2, program: [{repeat: forever, do: [{cpu: 50us}]}]}]\n";
    run_t *r = run_yaml(yaml);
    const gil_t *g = &r->sim.procs[0]->gil;
    /* 1 s / (5 ms + timer slack + wake-ups) is a little under 200 */
    assert_true(g->switches > 185 && g->switches <= 201);
    assert_true(g->forced_drops + 2 >= g->switches);
    assert_near((double)g->drop_requests, (double)g->switches, 0.02);
    /* the two threads share the work about equally */
    assert_near((double)thr_work(r->sim.threads[0]), (double)thr_work(r->sim.threads[1]), 0.05);
    run_free(r);
}

/* Native code releases the GIL: two threads run it in parallel. */
static void test_native_work_runs_in_parallel(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 4}\n"
        "processes:\n"
        "  - name: app\n"
        "    threads: [{name: h, count: 2, program: [{repeat: 100, do: [{native: 10ms}]}]}]\n";
    run_t *r = run_yaml(yaml);
    assert_near(secs(r->sim.end), 1.0, 0.02);
    run_free(r);
}

/* With a GIL holder descheduled by the OS, nobody else in its process can
 * run Python: 2 processes x 2 threads on 1 core still finish their work. */
static void test_gil_holder_can_be_preempted(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 1}\n"
        "processes:\n"
        "  - name: p\n"
        "    count: 2\n"
        "    threads: [{name: w, count: 2, program: [{repeat: 100, do: [{cpu: 1ms}]}]}]\n";
    run_t *r = run_yaml(yaml);
    assert_near(secs(r->sim.end), 0.4, 0.03);
    run_free(r);
}

/* The holder honours a drop request only at a check point: with a coarse
 * check-point gap (a long C call holding the GIL) the waiter waits longer. */
static void test_drop_waits_for_a_check_point(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 2}\n"
        "python: {switch_interval: 5ms, checkpoint_gap: 20ms}\n"
        "duration: 1s\n"
        "processes:\n"
        "  - name: app\n"
        "    threads: [{name: w, count: 2, program: [{repeat: forever, do: [{cpu: 100ms}]}]}]\n";
    run_t *r = run_yaml(yaml);
    const gil_t *g = &r->sim.procs[0]->gil;
    /* a hand-off every 20 ms at best, not every 5 ms */
    assert_true(g->switches <= 51);
    assert_true(g->switches >= 40);
    run_free(r);
}

/* Different seeds give different runs when durations are random; the same
 * seed gives the same run. */
static void test_seed_changes_random_runs_only(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 2}\n"
        "processes:\n"
        "  - name: app\n"
        "    threads: [{name: w, count: 3, program: [{repeat: 200, do: [{cpu: exp(1ms)}, {io: \"uniform(1ms, 3ms)\"}]}]}]\n";
    char *s1[] = {"seed=1"}, *s2[] = {"seed=2"};
    run_t *a = run_yaml_sets(yaml, s1, 1);
    run_t *b = run_yaml_sets(yaml, s1, 1);
    run_t *c = run_yaml_sets(yaml, s2, 1);
    assert_true(a->sim.end == b->sim.end);
    assert_true(a->sim.eng.executed == b->sim.eng.executed);
    assert_true(a->sim.end != c->sim.end);
    run_free(a);
    run_free(b);
    run_free(c);
}

/* Thread-load asymmetry: CPU-bound threads sharing a GIL get unequal
 * shares, and the run ends at its duration with every state accounted. */
static void test_asymmetry_run_accounts_all_time(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 4}\n"
        "python: {switch_interval: 15ms}\n"
        "duration: 3s\n"
        "processes:\n"
        "  - name: app\n"
        "    threads: [{name: w, count: 8, program: [{repeat: forever, do: [{cpu: 20us}]}]}]\n";
    run_t *r = run_yaml(yaml);
    simtime_t work = 0;
    assert_true(r->sim.cut);
    assert_int_equal(r->sim.end, SEC(3));
    for (int i = 0; i < r->sim.nthreads; i++) {
        const thread_t *t = r->sim.threads[i];
        simtime_t life = 0;
        for (int k = 0; k < TS__COUNT; k++)
            life += t->state_time[k];
        assert_int_equal(life, SEC(3));
        work += thr_work(t);
    }
    /* one GIL: about one core's worth of Python in all */
    assert_near((double)work, (double)SEC(3), 0.02);
    run_free(r);
}

/* ---- one-op cpu loops run as one segment (thread.c's batch) ---- */

/* Every trace record folded into one hash, with a count. */
typedef struct digest { uint64_t h, n; } digest_t;

static void mix(digest_t *d, simtime_t t, int id, int what, const char *detail)
{
    uint64_t v[3] = {(uint64_t)t, (uint64_t)id, (uint64_t)what};
    for (int i = 0; i < 3; i++)
        d->h = (d->h ^ v[i]) * 0x100000001b3ull;
    for (const char *c = detail ? detail : ""; *c; c++)
        d->h = (d->h ^ (uint8_t)*c) * 0x100000001b3ull;
    d->n++;
}

static void dg_state(void *ctx, simtime_t t, const thread_t *th, enum thr_state st, const char *d)
{
    mix(ctx, t, th->id, (int)st, d);
}

static void dg_gil(void *ctx, simtime_t t, const thread_t *th, enum gil_event ev, const char *d)
{
    mix(ctx, t, th->id, 100 + (int)ev, d);
}

static void dg_event(void *ctx, simtime_t t, const thread_t *th, enum model_event ev,
                     const char *d)
{
    mix(ctx, t, th->id, 200, trace_model_event_names[ev]);
    mix(ctx, t, th->id, 201, d);
}

static void dg_log(void *ctx, simtime_t t, const thread_t *th, const char *task,
                   enum log_kind kind, const char *text)
{
    (void)task;
    mix(ctx, t, th->id, 300, trace_log_kind_names[kind]);
    mix(ctx, t, th->id, 301, text);
}

typedef struct outcome {
    digest_t trace;
    uint64_t events, ops[8], takes[8];
    simtime_t py[8], wait[8];
    int nthreads;
} outcome_t;

static outcome_t run_mode(const char *yaml, int op_by_op)
{
    config_t cfg;
    sim_t sim;
    char err[CFG_ERR_MAX];
    if (cfg_load_string("batch.yaml", yaml, NULL, 0, &cfg, err) != 0)
        fail_msg("config error: %s", err);
    outcome_t o = {0};
    trace_sink_t sink = {.ctx = &o.trace, .state = dg_state, .gil = dg_gil, .event = dg_event,
                         .log = dg_log};
    sim_opts_t so = {.trace = &sink, .check_invariants = 1, .op_by_op = op_by_op};
    assert_int_equal(sim_build(&sim, &cfg, &so), 0);
    assert_int_equal(sim_run(&sim), 0);
    o.events = sim.eng.executed;
    o.nthreads = sim.nthreads < 8 ? sim.nthreads : 8;
    for (int i = 0; i < o.nthreads; i++) {
        const thread_t *t = sim.threads[i];
        o.ops[i] = t->ops_done;
        o.takes[i] = t->gthr.takes;
        o.py[i] = t->state_time[TS_PY];
        o.wait[i] = t->state_time[TS_GIL_WAIT];
    }
    sim_free(&sim);
    cfg_free(&cfg);
    return o;
}

/* The same run op by op and with loops batched: every trace record at the
 * same nanosecond, the same ops counted, the same time in every state —
 * with fewer events.  The configs cut loops every way: drop requests
 * (forced switches), OS preemption (more threads than cores), the
 * free-threaded build's stop-the-world pauses, a loop ending (repeat N),
 * I/O between loops, a crash mid-loop and the run's duration mid-loop. */
static void test_batched_loops_match_op_by_op(void **state)
{
    (void)state;
    static const char *const yamls[] = {
        "machine: {cores: 2}\npython: {switch_interval: 1ms}\nduration: 200ms\n"
        "processes:\n  - threads: [{name: w, count: 4, program: "
        "[{repeat: forever, do: [{cpu: 20us}]}]}]\n",
        "machine: {cores: 1}\nduration: 300ms\n"
        "processes:\n  - threads: [{name: w, count: 3, program: "
        "[{repeat: 5000, do: [{cpu: 7us}]}, {io: 3ms}, {repeat: forever, do: [{cpu: 33us}]}]}]\n",
        "machine: {cores: 4}\npython: {gil: none, version: '3.13', stw_interval: 3ms}\n"
        "duration: 100ms\nprocesses:\n  - threads: [{name: w, count: 6, program: "
        "[{repeat: forever, do: [{cpu: 50us}]}]}]\n",
        "machine: {cores: 2}\npython: {switch_interval: 5ms}\n"
        "processes:\n  - name: a\n    threads:\n"
        "      - {name: w, count: 2, program: [{repeat: 2000, do: [{cpu: 13us}]}]}\n"
        "      - {name: c, program: [{sleep: 7ms}, {crash: boom}]}\n"
        "  - name: b\n    threads: [{name: v, program: [{repeat: 300, do: [{cpu: 100us}]}]}]\n",
        "machine: {cores: 4}\npython: {gil: none, version: '3.14'}\nduration: 50ms\n"  /* killed mid-loop */
        "processes:\n  - name: a\n    threads:\n"
        "      - {name: w, count: 2, program: [{repeat: forever, do: [{cpu: 30us}]}]}\n"
        "      - {name: c, program: [{sleep: 7ms}, {crash: boom}]}\n",
        /* cuts landing exactly on op ends: no context-switch cost, no slowdown */
        "machine: {cores: 4}\nos: {context_switch: 0s}\nduration: 1010us\n"
        "python: {gil: none, nogil_slowdown: 1, stw_interval: 1ms, stw_pause: 50us}\n"
        "processes:\n  - threads: [{name: w, program: [{repeat: forever, do: [{cpu: 20us}]}]}]\n",
        "machine: {cores: 1}\nos: {context_switch: 0s, scheduler: rr}\nduration: 3ms\n"
        "python: {gil: none, nogil_slowdown: 1}\n"
        "processes:\n  - threads: [{name: w, count: 2, program: [{repeat: forever, do: [{cpu: 100us}]}]}]\n",
        "machine: {cores: 1}\nos: {context_switch: 0s}\nduration: 100ms\n"
        "processes:\n  - count: 4\n    threads: [{name: w, program: [{repeat: 1000, do: [{cpu: 1ms}]}]}]\n",
    };
    for (size_t i = 0; i < sizeof yamls / sizeof yamls[0]; i++) {
        outcome_t a = run_mode(yamls[i], 1), b = run_mode(yamls[i], 0);
        assert_true(a.trace.n > 2);
        assert_int_equal(a.trace.n, b.trace.n);
        assert_true(a.trace.h == b.trace.h);
        assert_int_equal(a.nthreads, b.nthreads);
        for (int k = 0; k < a.nthreads; k++) {
            assert_int_equal(a.ops[k], b.ops[k]);
            assert_int_equal(a.takes[k], b.takes[k]);
            assert_int_equal(a.py[k], b.py[k]);
            assert_int_equal(a.wait[k], b.wait[k]);
        }
        assert_true(b.events < a.events);
    }
}

/* The op table has a handler for every op kind, and the other entry
 * points the interpreter calls. */
static void test_every_op_kind_has_a_handler(void **state)
{
    (void)state;
    for (int k = 0; k < OP__COUNT; k++)
        assert_non_null(ops_rooms.op[k]);
    assert_non_null(ops_rooms.exec_ended);
    assert_non_null(ops_rooms.block_left);
    assert_non_null(ops_rooms.loop_step);
    assert_non_null(ops_rooms.started);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_thread_takes_its_work_time),
        cmocka_unit_test(test_four_threads_take_four_times_as_long),
        cmocka_unit_test(test_four_processes_run_in_parallel),
        cmocka_unit_test(test_os_time_slices_when_oversubscribed),
        cmocka_unit_test(test_ten_io_threads_overlap),
        cmocka_unit_test(test_convoy_costs_a_switch_interval_per_io),
        cmocka_unit_test(test_convoy_scales_with_switch_interval),
        cmocka_unit_test(test_io_thread_alone_takes_its_io_time),
        cmocka_unit_test(test_two_cpu_threads_switch_every_interval),
        cmocka_unit_test(test_native_work_runs_in_parallel),
        cmocka_unit_test(test_gil_holder_can_be_preempted),
        cmocka_unit_test(test_drop_waits_for_a_check_point),
        cmocka_unit_test(test_seed_changes_random_runs_only),
        cmocka_unit_test(test_asymmetry_run_accounts_all_time),
        cmocka_unit_test(test_batched_loops_match_op_by_op),
        cmocka_unit_test(test_every_op_kind_has_a_handler),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
