/* test_config.c — the YAML config loader: values, defaults, --set, and
 * that every mistake in tests/bad/ is reported where its `# expect:` says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "config/config_units.h"   /* cfg_parse_bytes */
#include "configlib.h"

/* ---- helpers ----------------------------------------------------------- */

#define MINIMAL "processes:\n  - threads:\n      - program: [cpu: 1ms]\n"

/* ---- good configs ------------------------------------------------------ */

static void test_defaults(void **state)
{
    config_t c;
    char err[CFG_ERR_MAX];
    (void)state;
    assert_int_equal(cfg_load_string("configs/some.thing.yaml", MINIMAL, NULL, 0, &c, err), 0);
    assert_string_equal(c.name, "some.thing");
    assert_string_equal(c.path, "configs/some.thing.yaml");
    assert_int_equal(c.machine.cores, 4);
    assert_int_equal(c.os.sched_latency, MS(6));
    assert_int_equal(c.os.min_granularity, US(750));
    assert_int_equal(c.os.context_switch, US(1));
    assert_int_equal(c.os.timer_slack, US(50));
    assert_int_equal(c.os.wake_latency.kind, DIST_LOGNORMAL);
    assert_int_equal(c.os.wake_latency.a, US(6));
    assert_true(c.os.wake_latency.sigma == 0.45);
    /* bare metal: a timer's interrupt at once, an idle core's exit as any */
    assert_int_equal(c.os.timer_latency.kind, DIST_CONST);
    assert_int_equal(c.os.timer_latency.a, 0);
    assert_memory_equal(&c.os.timer_latency_idle, &c.os.wake_latency, sizeof(dist_t));
    assert_memory_equal(&c.os.wake_latency_deep, &c.os.wake_latency, sizeof(dist_t));
    assert_int_equal(c.os.halt_poll, US(200));
    cfg_free(&c);
    /* unset, the two follow the config's own os.wake_latency */
    assert_int_equal(cfg_load_string("x.yaml", "os: {wake_latency: 9us}\n" MINIMAL, NULL, 0, &c,
                                     err), 0);
    assert_int_equal(c.os.timer_latency_idle.a, US(9));
    assert_int_equal(c.os.wake_latency_deep.a, US(9));
    cfg_free(&c);
    assert_int_equal(cfg_load_string("configs/some.thing.yaml", MINIMAL, NULL, 0, &c, err), 0);
    assert_int_equal(c.python.gil, GIL_NEW);
    assert_int_equal(c.python.switch_interval, MS(15));
    assert_int_equal(c.python.checkpoint_gap, NS(100));
    assert_int_equal(c.duration, 0);
    assert_int_equal(c.seed, 1);
    assert_int_equal(c.nprocs, 1);
    assert_string_equal(c.procs[0].name, "p0");
    assert_int_equal(c.procs[0].count, 1);
    assert_int_equal(c.procs[0].nthreads, 1);
    assert_string_equal(c.procs[0].threads[0].name, "t0");
    assert_int_equal(c.procs[0].threads[0].count, 1);
    assert_int_equal(c.procs[0].threads[0].prog.nops, 1);
    cfg_free(&c);
    assert_true(is_zeroed(&c));
}

static const char full_yaml[] =
    "name: full\n"
    "machine:\n"
    "  cores: 8\n"
    "os:\n"
    "  sched_latency: 4ms\n"
    "  min_granularity: 0.75ms\n"
    "  context_switch: 0us\n"
    "  timer_slack: 1.5 us\n"
    "  wake_latency: exp(10us)\n"
    "python:\n"
    "  gil: new\n"
    "  switch_interval: 5ms\n"
    "  checkpoint_gap: 250ns\n"
    "duration: 1.5s\n"
    "seed: 18446744073709551615\n"
    "processes:\n"
    "  - name: app\n"
    "    count: 3\n"
    "    threads:\n"
    "      - name: worker\n"
    "        count: 4\n"
    "        program:\n"
    "          - cpu: 20us\n"
    "          - native: uniform(1ms, 2ms)\n"
    "          - io: normal( 5ms , 1ms )\n"
    "          - sleep: lognormal(1s, 0.5)\n"
    "      - program: [{sleep: 1s}]\n"
    "  - threads:\n"
    "      - program: [{io: \"uniform(0ms, 1ms)\"}]\n";

static void test_full_config(void **state)
{
    config_t c;
    (void)state;
    load_ok(full_yaml, NULL, 0, &c);
    assert_string_equal(c.name, "full");
    assert_int_equal(c.machine.cores, 8);
    assert_int_equal(c.os.sched_latency, MS(4));
    assert_int_equal(c.os.min_granularity, 750000);
    assert_int_equal(c.os.context_switch, 0);
    assert_int_equal(c.os.timer_slack, 1500);
    assert_int_equal(c.os.wake_latency.kind, DIST_EXP);
    assert_int_equal(c.os.wake_latency.a, US(10));
    assert_int_equal(c.python.switch_interval, MS(5));
    assert_int_equal(c.python.checkpoint_gap, 250);
    assert_int_equal(c.duration, MS(1500));
    assert_true(c.seed == UINT64_MAX);
    assert_int_equal(c.nprocs, 2);

    const process_cfg_t *p = &c.procs[0];
    assert_string_equal(p->name, "app");
    assert_int_equal(p->count, 3);
    assert_int_equal(p->nthreads, 2);
    assert_string_equal(p->threads[0].name, "worker");
    assert_int_equal(p->threads[0].count, 4);
    assert_string_equal(p->threads[1].name, "t1");

    const op_t *ops = p->threads[0].prog.ops;
    assert_int_equal(p->threads[0].prog.nops, 4);
    assert_int_equal(ops[0].kind, OP_CPU);
    assert_int_equal(ops[0].dur.kind, DIST_CONST);
    assert_int_equal(ops[0].dur.a, US(20));
    assert_int_equal(ops[0].line, 23);
    assert_int_equal(ops[0].col, 13);
    assert_int_equal(ops[1].kind, OP_NATIVE);
    assert_int_equal(ops[1].dur.kind, DIST_UNIFORM);
    assert_int_equal(ops[1].dur.a, MS(1));
    assert_int_equal(ops[1].dur.b, MS(2));
    assert_int_equal(ops[2].kind, OP_IO);
    assert_int_equal(ops[2].dur.kind, DIST_NORMAL);
    assert_int_equal(ops[2].dur.a, MS(5));
    assert_int_equal(ops[2].dur.b, MS(1));
    assert_int_equal(ops[3].kind, OP_SLEEP);
    assert_int_equal(ops[3].dur.kind, DIST_LOGNORMAL);
    assert_int_equal(ops[3].dur.a, SEC(1));
    assert_true(ops[3].dur.sigma == 0.5);

    assert_string_equal(c.procs[1].name, "p1");
    assert_int_equal(c.procs[1].threads[0].prog.ops[0].dur.kind, DIST_UNIFORM);
    assert_int_equal(c.procs[1].threads[0].prog.ops[0].line, 29);
    assert_int_equal(c.procs[1].threads[0].prog.ops[0].col, 19);
    cfg_free(&c);
}

static void test_nested_repeats_flatten(void **state)
{
    config_t c;
    (void)state;
    load_ok("duration: 2s\n"
            "processes:\n"
            "  - threads:\n"
            "      - program:\n"
            "          - cpu: 1ms\n"                      /* 0 */
            "          - repeat: 10\n"                    /* 1 */
            "            do:\n"
            "              - io: 1ms\n"                   /* 2 */
            "              - do: [sleep: 1ms]\n"          /* 3 (do written first) */
            "                repeat: forever\n"
            "              - native: 1ms\n"               /* 5 */
            "          - repeat: 2\n"                     /* 6 */
            "            do: [cpu: 3ms]\n"                /* 7 */
            "          - cpu: 4ms\n",                     /* 8 */
            NULL, 0, &c);
    const program_t *pr = &c.procs[0].threads[0].prog;
    static const enum op_kind kinds[] = {
        OP_CPU, OP_REPEAT, OP_IO, OP_REPEAT, OP_SLEEP, OP_NATIVE, OP_REPEAT, OP_CPU, OP_CPU,
    };
    assert_int_equal(pr->nops, 9);
    for (int i = 0; i < 9; i++) assert_int_equal(pr->ops[i].kind, kinds[i]);
    assert_int_equal(pr->ops[1].count, 10);
    assert_int_equal(pr->ops[1].body_end, 6);
    assert_int_equal(pr->ops[3].count, REPEAT_FOREVER);
    assert_int_equal(pr->ops[3].body_end, 5);
    assert_int_equal(pr->ops[6].count, 2);
    assert_int_equal(pr->ops[6].body_end, 8);
    assert_int_equal(pr->ops[3].line, 9);
    assert_int_equal(pr->ops[3].col, 17);
    assert_int_equal(pr->ops[8].dur.a, MS(4));
    cfg_free(&c);
}

static void test_max_depth_is_allowed(void **state)
{
    char yaml[4096];
    int n = snprintf(yaml, sizeof yaml, "processes:\n  - threads:\n      - program: ");
    config_t c;
    (void)state;
    for (int i = 0; i < PROGRAM_MAX_DEPTH; i++)
        n += snprintf(yaml + n, sizeof yaml - (size_t)n, "[{repeat: 2, do: ");
    n += snprintf(yaml + n, sizeof yaml - (size_t)n, "[cpu: 1ms]");
    for (int i = 0; i < PROGRAM_MAX_DEPTH; i++)
        n += snprintf(yaml + n, sizeof yaml - (size_t)n, "}]");
    snprintf(yaml + n, sizeof yaml - (size_t)n, "\n");
    load_ok(yaml, NULL, 0, &c);
    assert_int_equal(c.procs[0].threads[0].prog.nops, PROGRAM_MAX_DEPTH + 1);
    assert_int_equal(c.procs[0].threads[0].prog.ops[0].body_end, PROGRAM_MAX_DEPTH + 1);
    cfg_free(&c);
}

static void test_lenient_forms(void **state)
{
    config_t c;
    (void)state;
    /* empty sections mean defaults; quoted numbers are numbers */
    load_ok("os:\npython:\nmachine:\n  cores: \"2\"\nname: 'x'\n" MINIMAL, NULL, 0, &c);
    assert_int_equal(c.machine.cores, 2);
    assert_int_equal(c.os.sched_latency, MS(6));
    assert_string_equal(c.name, "x");
    cfg_free(&c);
    /* an anchor nobody refers to is harmless */
    load_ok("name: &n solo\n" MINIMAL, NULL, 0, &c);
    assert_string_equal(c.name, "solo");
    cfg_free(&c);
}

/* ---- durations and distributions --------------------------------------- */

static void test_durations(void **state)
{
    static const struct { const char *s; simtime_t ns; } ok[] = {
        { "15ms", MS(15) },          { "0.75ms", 750000 },      { "1.5s", MS(1500) },
        { "1 s", SEC(1) },           { "100ns", 100 },          { "0ns", 0 },
        { "0.000001ms", 1 },         { "1.50ms", 1500000 },     { "2.000000000000s", SEC(2) },
        { "1.005ms", 1005000 },      { "  7us ", 7000 },        { "007us", 7000 },
        { ".5us", 500 },             { "3\xc2\xb5s", 3000 },    /* µs */
        { "1000000000s", SIMTIME_MAX_DURATION },
        { "1000000000000000000ns", SIMTIME_MAX_DURATION },
    };
    static const struct { const char *s, *want; } bad[] = {
        { "15", "expected a duration with a unit (ns, us, ms, s), e.g. 15ms" },
        { "", "expected a duration with a unit" },
        { "ms", "expected a duration with a unit" },
        { "0.5ns", "finer than 1ns" },
        { "1.0000000001s", "finer than 1ns" },
        { "9223372036854775808ns", "too large" },
        { "9223372036854775807ns", "too large" },
        { "1000000000000000001ns", "too large" },
        { "9223372037s", "too large" },
        { "99999999999999999999999999s", "too large" },
        { "-1ms", "must not be negative" },
        { "1.ms", "expected digits after '.'" },
        { "15sec", "unknown unit 'sec'" },
        { "15  ms", "unknown unit" },
        { "1e3ms", "unknown unit 'e3ms'" },
        { "1.5.5ms", "unknown unit" },
    };
    char err[256];
    simtime_t v;
    (void)state;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (cfg_parse_duration(ok[i].s, &v, err, sizeof err) != 0)
            fail_msg("'%s': %s", ok[i].s, err);
        if (v != ok[i].ns) fail_msg("'%s' -> %lld, want %lld", ok[i].s, (long long)v, (long long)ok[i].ns);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        if (cfg_parse_duration(bad[i].s, &v, err, sizeof err) != -1)
            fail_msg("'%s' should not parse", bad[i].s);
        if (!strstr(err, bad[i].want)) fail_msg("'%s': \"%s\" lacks \"%s\"", bad[i].s, err, bad[i].want);
    }
    /* a tiny or missing error buffer is not a crash */
    assert_int_equal(cfg_parse_duration("x", &v, err, 1), -1);
    assert_int_equal(cfg_parse_duration("x", &v, NULL, 0), -1);
}

static void test_distributions(void **state)
{
    static const struct { const char *s; dist_t d; } ok[] = {
        { "2ms",                   { DIST_CONST, MS(2), 0, 0 } },
        { "exp(2ms)",              { DIST_EXP, MS(2), 0, 0 } },
        { " exp ( 2ms ) ",         { DIST_EXP, MS(2), 0, 0 } },
        { "uniform(1ms, 2ms)",     { DIST_UNIFORM, MS(1), MS(2), 0 } },
        { "uniform(1ms,1ms)",      { DIST_UNIFORM, MS(1), MS(1), 0 } },
        { "normal(5ms, 0.5ms)",    { DIST_NORMAL, MS(5), US(500), 0 } },
        { "lognormal(6us, 0.45)",  { DIST_LOGNORMAL, US(6), 0, 0.45 } },
        { "lognormal(6us, 0)",     { DIST_LOGNORMAL, US(6), 0, 0 } },
    };
    static const struct { const char *s, *want; } bad[] = {
        { "expo(2ms)", "unknown distribution 'expo' (known: exp, uniform, normal, lognormal)" },
        { "(2ms)", "unknown distribution ''" },
        { "uniform(1ms)", "uniform takes 2 arguments (A, B), got 1" },
        { "exp(1ms, 2ms)", "exp takes 1 argument (MEAN), got 2" },
        { "exp()", "exp takes 1 argument (MEAN), got 0" },
        { "exp(1ms", "missing ')'" },
        { "exp(1ms))", "unexpected parenthesis" },
        { "exp(exp(1ms))", "unexpected parenthesis" },
        { "uniform(2ms, 1ms)", "needs A <= B" },
        { "uniform(1ms, )", "expected a duration with a unit" },
        { "normal(5ms, -1ms)", "must not be negative" },
        { "lognormal(6us, x)", "sigma must be a plain number" },
        { "lognormal(6us, 0.45ms)", "sigma must be a plain number" },
        { "lognormal(6us, -1)", "sigma must not be negative" },
        { "lognormal(6us, 1e3)", "sigma must be a plain number" },
        { "exp(5)", "expected a duration with a unit" },
    };
    char err[256];
    dist_t d;
    (void)state;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (cfg_parse_dist(ok[i].s, &d, err, sizeof err) != 0) fail_msg("'%s': %s", ok[i].s, err);
        assert_int_equal(d.kind, ok[i].d.kind);
        assert_int_equal(d.a, ok[i].d.a);
        if (d.kind == DIST_LOGNORMAL) assert_true(d.sigma == ok[i].d.sigma);
        else assert_int_equal(d.b, ok[i].d.b);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        if (cfg_parse_dist(bad[i].s, &d, err, sizeof err) != -1)
            fail_msg("'%s' should not parse", bad[i].s);
        if (!strstr(err, bad[i].want)) fail_msg("'%s': \"%s\" lacks \"%s\"", bad[i].s, err, bad[i].want);
    }
}

static void test_leaf_ops_must_be_able_to_take_time(void **state)
{
    static const char *const zero[] = {
        "0ms", "exp(0ms)", "uniform(0ms, 0ms)", "normal(0ms, 1ms)", "lognormal(0ms, 1)",
    };
    static const char *const fine[] = {
        "1ns", "exp(1ns)", "uniform(0ms, 1ns)", "normal(1ms, 0ms)", "lognormal(1us, 0)",
    };
    char yaml[256];
    config_t c;
    (void)state;
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++) {
        snprintf(yaml, sizeof yaml, "processes: [{threads: [{program: [{cpu: \"%s\"}]}]}]", zero[i]);
        load_fails(yaml, NULL, 0, "'cpu' must be greater than zero");
    }
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        snprintf(yaml, sizeof yaml, "processes: [{threads: [{program: [{io: \"%s\"}]}]}]", fine[i]);
        load_ok(yaml, NULL, 0, &c);
        cfg_free(&c);
    }
}

/* ---- --set ------------------------------------------------------------- */

static void test_set_overrides(void **state)
{
    char *sets[] = {
        "machine.cores=8",
        "python.switch_interval=5ms",
        "seed=7",
        "duration=2s",
        "os.timer_slack=3us",                     /* os: absent from the file */
        "processes.0.threads.0.count=16",
        "processes.0.threads.0.name=main",
        "processes.0.threads.0.program.0.cpu=exp(2ms)",
        "processes.1.name=second",                /* creates the key */
        "name=renamed",
        "machine.cores=12",                       /* the last --set wins */
    };
    config_t c;
    (void)state;
    load_ok("machine: {cores: 2}\n"
            "python:\n"
            "processes:\n"
            "  - threads:\n"
            "      - program: [cpu: 1ms]\n"
            "  - threads:\n"
            "      - program: [cpu: 1ms]\n",
            sets, (int)(sizeof sets / sizeof sets[0]), &c);
    assert_int_equal(c.machine.cores, 12);
    assert_int_equal(c.python.switch_interval, MS(5));
    assert_int_equal(c.seed, 7);
    assert_int_equal(c.duration, SEC(2));
    assert_int_equal(c.os.timer_slack, US(3));
    assert_int_equal(c.os.sched_latency, MS(6));
    assert_int_equal(c.procs[0].threads[0].count, 16);
    assert_string_equal(c.procs[0].threads[0].name, "main");
    assert_int_equal(c.procs[0].threads[0].prog.ops[0].dur.kind, DIST_EXP);
    assert_string_equal(c.procs[1].name, "second");
    assert_string_equal(c.name, "renamed");
    cfg_free(&c);
}

static void test_set_enables_forever(void **state)
{
    char *sets[] = { "duration=1s" };
    (void)state;
    config_t c;
    const char *yaml = "processes: [{threads: [{program: [{repeat: forever, do: [cpu: 1ms]}]}]}]\n";
    load_fails(yaml, NULL, 0, "test.yaml:1:36: repeat: forever needs a top-level 'duration:'");
    load_ok(yaml, sets, 1, &c);
    assert_int_equal(c.procs[0].threads[0].prog.ops[0].count, REPEAT_FOREVER);
    cfg_free(&c);
}

static void test_set_errors(void **state)
{
    static const struct { char *set; const char *want; } cases[] = {
        { "foo", "--set 'foo': expected key.path=value" },
        { "=3", "--set '=3': expected key.path=value" },
        { "machine.cores=x", "--set 'machine.cores=x': expected a positive integer" },
        { "machine.cores=", "--set 'machine.cores=': expected a positive integer, got an empty value" },
        { "machine.corse=8",
          "--set 'machine.corse=8': unknown key 'corse' in machine (did you mean 'cores'?)" },
        { "machin.cores=8",
          "--set 'machin.cores=8': unknown key 'machin' at the top level (did you mean 'machine'?)" },
        { "python.switch_interval=15",
          "--set 'python.switch_interval=15': expected a duration with a unit (ns, us, ms, s)" },
        { "python.switch_interval=0s", "--set 'python.switch_interval=0s': 'switch_interval' must be greater" },
        { "machine=8", "--set 'machine=8': expected a mapping of machine settings, got '8'" },
        { "processes.3.count=2", "--set 'processes.3.count=2': index 3 is out of range: 'processes' has 1 entry" },
        { "processes.x.count=2", "--set 'processes.x.count=2': 'processes' is a sequence: expected a numeric index" },
        { "processes.0.threads.0.program.0.cpu.x=1",
          "'processes.0.threads.0.program.0.cpu' is a single value, it has no 'x'" },
        { "seed.low=1", "--set 'seed.low=1': 'seed' is a single value" },
        { "a..b=1", "--set 'a..b=1': empty key in the path" },
        { "machine.=1", "empty key in the path" },
        { "processes.0.threads.0.program.0.io=1ms", "--set 'processes.0.threads.0.program.0.io=1ms': an op does one thing" },
        { "processes.0.threads.0.program.0.repeat=forever",
          "--set 'processes.0.threads.0.program.0.repeat=forever': an op does one thing" },
        { "processes=none", "--set 'processes=none': expected a sequence of processes, got 'none'" },
        { "processes.0.threads.0.name=t0x", NULL },   /* sanity: a good one */
    };
    config_t c;
    char err[CFG_ERR_MAX];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *sets[] = { "seed=3", cases[i].set };
        if (!cases[i].want) {
            assert_int_equal(cfg_load_string("t.yaml", MINIMAL, sets, 2, &c, err), 0);
            cfg_free(&c);
            continue;
        }
        load_fails(MINIMAL, sets, 2, cases[i].want);
    }
}

static void test_file_errors_win_over_sets(void **state)
{
    char *sets[] = { "machine.cores=x" };
    (void)state;
    load_fails("machine: [\n", sets, 1, "test.yaml:2:1: YAML syntax error");
    /* with --set in play, a mistake in the file still points into the file */
    char *fine[] = { "machine.cores=3" };
    load_fails("seed: x\n" MINIMAL, fine, 1, "test.yaml:1:7: expected a non-negative integer");
}

/* ---- functions, ops, objects (the program model) ------------------------ */

static void test_new_defaults(void **state)
{
    config_t c;
    (void)state;
    load_ok(MINIMAL, NULL, 0, &c);
    assert_int_equal(c.python.version, 311);
    assert_int_equal(c.python.thread_start, US(150));
    assert_int_equal(c.python.shutdown_scan, NS(15));
    assert_int_equal(c.os.tick, MS(4));
    assert_int_equal(c.python.imports, 0);
    assert_int_equal(c.python.specialize, 0);
    assert_int_equal(c.python.warmup_calls, 8);         /* 3.11 */
    assert_true(c.python.unspecialized_slowdown == 2.1);
    assert_int_equal(c.python.thread_memory, 16384);
    assert_int_equal(c.python.task_memory, 819);
    assert_int_equal(c.python.process_memory, 10 * 1024 * 1024);
    assert_int_equal(c.python.pickle, US(20));
    assert_int_equal(c.mp.start_method, START_FORK);
    assert_int_equal(c.mp.fork_parent, MS(1));
    assert_int_equal(c.mp.fork_child, MS(4));
    assert_int_equal(c.mp.spawn_parent, MS(5));
    assert_int_equal(c.mp.spawn_child, MS(95));
    assert_int_equal(c.aio.loop_iteration, US(5));
    assert_int_equal(c.aio.task_step, US(2));
    assert_int_equal(c.aio.create_task, US(2));
    assert_int_equal(c.nfunctions, 0);
    assert_null(c.functions);
    assert_int_equal(c.nobjects, 0);
    assert_null(c.objects);
    assert_int_equal(c.procs[0].has_main, 0);
    assert_int_equal(c.procs[0].main.nops, 0);
    /* the old leaf ops get the new defaults too */
    const op_t *op = &c.procs[0].threads[0].prog.ops[0];
    assert_int_equal(op->dur_param, -1);
    assert_int_equal(op->count_param, -1);
    assert_int_equal(op->local, -1);
    assert_int_equal(op->pool, -1);
    assert_int_equal(op->object, -1);
    assert_int_equal(op->call.fn, -1);
    assert_null(op->call.args);
    assert_true(op->probability == 1.0);
    assert_int_equal(op->method, START_DEFAULT);
    assert_int_equal(op->count, 0);
    assert_null(op->text);
    assert_int_equal(c.procs[0].threads[0].prog.nlocals, 0);
    cfg_free(&c);
}

static void test_new_settings(void **state)
{
    config_t c;
    (void)state;
    load_fails("multiprocessing: {}\nmultiprocessing: {}\n" MINIMAL, NULL, 0,
               "test.yaml:2:1: duplicate key 'multiprocessing' at the top level");

    load_ok("python:\n"
            "  version: \"3.13\"\n"
            "  thread_start: 0us\n"
            "  thread_memory: 8MiB\n"
            "  task_memory: 1.5 KiB\n"
            "  process_memory: 0.25GiB\n"
            "  pickle: 3us\n"
            "multiprocessing:\n"
            "  start_method: spawn\n"
            "  fork_parent: 0ms\n"
            "  fork_child: 2ms\n"
            "  spawn_parent: 6ms\n"
            "  spawn_child: 80ms\n"
            "asyncio:\n"
            "  loop_iteration: 7us\n"
            "  task_step: 1us\n"
            "  create_task: 0ns\n"
            "objects:\n"
            "functions:\n" MINIMAL, NULL, 0, &c);
    assert_int_equal(c.python.version, 313);
    assert_int_equal(c.python.thread_start, 0);
    assert_int_equal(c.python.thread_memory, 8 << 20);
    assert_int_equal(c.python.task_memory, 1536);
    assert_int_equal(c.python.process_memory, 1 << 28);
    assert_int_equal(c.python.pickle, US(3));
    assert_int_equal(c.mp.start_method, START_SPAWN);
    assert_int_equal(c.mp.fork_parent, 0);
    assert_int_equal(c.mp.fork_child, MS(2));
    assert_int_equal(c.mp.spawn_parent, MS(6));
    assert_int_equal(c.mp.spawn_child, MS(80));
    assert_int_equal(c.aio.loop_iteration, US(7));
    assert_int_equal(c.aio.task_step, US(1));
    assert_int_equal(c.aio.create_task, 0);
    assert_int_equal(c.nobjects, 0);
    assert_int_equal(c.nfunctions, 0);
    cfg_free(&c);
}

static void test_python_versions(void **state)
{
    static const struct { const char *v; int want; } ok[] = {
        { "\"3.11\"", 311 }, { "3.11", 311 }, { "3.10", 310 }, { "\"3.10\"", 310 },
        { "'3.2'", 302 }, { "3.14", 314 }, { "3.9", 309 }, { "3.1", 301 }, { "2.7", 207 },
        { "\"3.0\"", 300 },
    };
    static const struct { const char *v, *want; } bad[] = {
        { "3.15", "Python version 3.15 is not modelled: expected 2.0 to 2.7 or 3.0 to 3.14" },
        { "2.8", "Python version 2.8 is not modelled" },
        { "4.1", "expected a Python version such as \"3.11\" or \"3.13t\", got '4.1'" },
        { "3.11t", "Python 3.11 has no free-threaded build: the `t` builds are 3.13t and 3.14t" },
        { "2.7t", "Python 2.7 has no free-threaded build" },
        { "3.13tt", "expected a Python version" },
        { "3.t", "expected a Python version" },
        { "t", "expected a Python version" },
        { "3", "expected a Python version" },
        { "3.", "expected a Python version" },
        { "3.011", "expected a Python version" },
        { "3.09", "expected a Python version" },
        { "3.11.2", "expected a Python version" },
        { "[3, 11]", "expected a Python version such as \"3.11\", got a sequence" },
    };
    char yaml[256];
    config_t c;
    (void)state;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        snprintf(yaml, sizeof yaml, "python: {version: %s}\n" MINIMAL, ok[i].v);
        load_ok(yaml, NULL, 0, &c);
        assert_int_equal(c.python.version, ok[i].want);
        cfg_free(&c);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(yaml, sizeof yaml, "python:\n  version: %s\n" MINIMAL, bad[i].v);
        load_fails(yaml, NULL, 0, bad[i].want);
    }
}

/* python.version picks the GIL model when python.gil is not given:
 * <= 3.1 old, 3.2+ new, 3.13t/3.14t none; python.gil alone keeps 3.11 when
 * 3.11 has it, else takes the nearest version that does. */
static void test_version_picks_the_gil(void **state)
{
    static const struct { const char *python; int gil, version; } cases[] = {
        { "{version: \"2.0\"}", GIL_OLD, 200 },
        { "{version: \"2.7\"}", GIL_OLD, 207 },
        { "{version: \"3.0\"}", GIL_OLD, 300 },
        { "{version: \"3.1\"}", GIL_OLD, 301 },
        { "{version: \"3.2\"}", GIL_NEW, 302 },
        { "{version: \"3.11\"}", GIL_NEW, 311 },
        { "{version: \"3.12\"}", GIL_NEW, 312 },
        { "{version: \"3.13\"}", GIL_NEW, 313 },
        { "{version: 3.13t}", GIL_NONE, 313 },
        { "{version: \"3.14t\"}", GIL_NONE, 314 },
        { "{}", GIL_NEW, 311 },
        { "{gil: old}", GIL_OLD, 301 },
        { "{gil: new}", GIL_NEW, 311 },
        { "{gil: io-priority}", GIL_IO_PRIORITY, 311 },
        { "{gil: per-interpreter}", GIL_PER_INTERPRETER, 312 },
        { "{gil: none}", GIL_NONE, 313 },
        { "{gil: old, version: \"2.7\"}", GIL_OLD, 207 },
        { "{gil: io-priority, version: \"3.2\"}", GIL_IO_PRIORITY, 302 },
        { "{gil: per-interpreter, version: \"3.12\"}", GIL_PER_INTERPRETER, 312 },
        { "{gil: none, version: \"3.13\"}", GIL_NONE, 313 },      /* means 3.13t */
        { "{gil: none, version: 3.14t}", GIL_NONE, 314 },
    };
    char yaml[256];
    config_t c;
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(yaml, sizeof yaml, "python: %s\n" MINIMAL, cases[i].python);
        load_ok(yaml, NULL, 0, &c);
        if ((int)c.python.gil != cases[i].gil || c.python.version != cases[i].version)
            fail_msg("python: %s gave gil %d, version %d", cases[i].python, c.python.gil,
                     c.python.version);
        cfg_free(&c);
    }
    /* the per-version defaults follow the version picked */
    load_ok("python: {gil: old}\n" MINIMAL, NULL, 0, &c);
    assert_int_equal(c.python.checkpoint_gap, c.python.opcode_time);
    cfg_free(&c);
    load_ok("python: {version: 3.14t}\n" MINIMAL, NULL, 0, &c);
    assert_true(c.python.nogil_slowdown == 1.05);
    cfg_free(&c);
}

/* A python.gil no CPython of python.version has: an error at the gil's
 * value, naming the version's place (a --set's, given with --set). */
static void test_version_contradictions(void **state)
{
    static const struct { const char *python, *want; } cases[] = {
        { "{version: \"3.11\", gil: none}", "test.yaml:1:32: python.gil: none contradicts "
          "python.version \"3.11\" (at 1:19): `none` exists in the free-threaded builds" },
        { "{gil: per-interpreter, version: \"3.8\"}", "test.yaml:1:15: python.gil: "
          "per-interpreter contradicts python.version \"3.8\" (at 1:41): `per-interpreter` "
          "exists in 3.12 on (PEP 684)" },
        { "{gil: per-interpreter, version: \"3.11\"}", "contradicts python.version \"3.11\"" },
        { "{gil: old, version: \"3.2\"}", "test.yaml:1:15: python.gil: old contradicts" },
        { "{gil: new, version: \"3.1\"}", "python.gil: new contradicts python.version \"3.1\"" },
        { "{gil: io-priority, version: \"2.7\"}", "python.gil: io-priority contradicts" },
        { "{gil: new, version: 3.14t}", "3.14t is the free-threaded build, without a GIL" },
        { "{gil: per-interpreter, version: 3.13t}", "3.13t is the free-threaded build" },
        { "{gil: none, version: \"3.12\"}", "python.gil: none contradicts" },
    };
    char yaml[256];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(yaml, sizeof yaml, "python: %s\n" MINIMAL, cases[i].python);
        load_fails(yaml, NULL, 0, cases[i].want);
    }
    char *gil_set[] = { "python.gil=old" }, *both[] = { "python.version=3.14t", "python.gil=new" };
    load_fails("python: {version: \"3.12\"}\n" MINIMAL, gil_set, 1,
               "--set 'python.gil=old': python.gil: old contradicts python.version \"3.12\" "
               "(at 1:19)");
    load_fails(MINIMAL, both, 2, "--set 'python.gil=new': python.gil: new contradicts "
               "python.version \"3.14t\" (at a --set)");
}

/* interpreter: and switch_interval: of a thread group mean something only
 * with a GIL per interpreter: elsewhere an error at the key's value. */
/* python.specialize before 3.11 (no PEP 659) is refused at the key, in the
 * file and through --set; 3.11 takes it. */
static void test_specialize_needs_3_11(void **state)
{
    char *sets[] = { "python.specialize=true" };
    config_t c;
    (void)state;
    load_fails("python: {version: \"3.10\", specialize: true}\n"
               "processes:\n  - threads:\n      - program: [cpu: 1ms]\n", NULL, 0,
               "test.yaml:1:39: python.specialize: Python 3.10 has no specialising adaptive "
               "interpreter (PEP 659 came with 3.11)");
    load_fails("python: {version: \"3.10\"}\n"
               "processes:\n  - threads:\n      - program: [cpu: 1ms]\n", sets, 1,
               "--set 'python.specialize=true': python.specialize: Python 3.10 has no");
    load_ok("python: {version: \"3.10\", specialize: false}\n"
            "processes:\n  - threads:\n      - program: [cpu: 1ms]\n", NULL, 0, &c);
    cfg_free(&c);
    load_ok("python: {version: \"3.11\"}\n"
            "processes:\n  - threads:\n      - program: [cpu: 1ms]\n", sets, 1, &c);
    assert_int_equal(c.python.specialize, 1);
    cfg_free(&c);
}

static void test_group_interpreter_needs_per_interpreter(void **state)
{
    static const char *const group[] = {
        "processes:\n  - threads:\n      - {program: [cpu: 1ms], interpreter: 1}\n",
        "processes:\n  - threads:\n      - {program: [cpu: 1ms], switch_interval: 1ms}\n",
        "processes:\n  - threads:\n      - {program: [cpu: 1ms], interpreter: 0}\n",
    };
    static const char *const want[] = {
        "test.yaml:4:44: a thread group's 'interpreter' needs a GIL per interpreter: set "
        "python.gil: per-interpreter (Python 3.12+, PEP 684); with the `new` GIL",
        "test.yaml:4:48: a thread group's 'switch_interval' needs a GIL per interpreter",
        "test.yaml:4:44: a thread group's 'interpreter' needs",
    };
    char yaml[256], *per[] = { "python.gil=per-interpreter" };
    config_t c;
    (void)state;
    for (size_t i = 0; i < sizeof group / sizeof group[0]; i++) {
        snprintf(yaml, sizeof yaml, "python: {version: \"3.13\"}\n%s", group[i]);
        load_fails(yaml, NULL, 0, want[i]);
        snprintf(yaml, sizeof yaml, "python: {version: 3.13t}\n%s", group[i]);
        load_fails(yaml, NULL, 0, "with the `none` GIL");
        snprintf(yaml, sizeof yaml, "python: {version: \"3.13\"}\n%s", group[i]);
        load_ok(yaml, per, 1, &c);
        assert_int_equal(c.python.gil, GIL_PER_INTERPRETER);
        cfg_free(&c);
    }
}

static void test_bytes(void **state)
{
    static const struct { const char *s; int64_t b; } ok[] = {
        { "16KiB", 16384 },      { "0.8KiB", 819 },        { "10MiB", 10485760 },
        { "1GiB", 1 << 30 },     { "0B", 0 },              { "512B", 512 },
        { "1.5 KiB", 1536 },     { " 2MiB ", 2 << 20 },    { ".5KiB", 512 },
        { "0.5B", 1 },           { "0.4B", 0 },            { "0.0009765625KiB", 1 },
        { "8589934591GiB", INT64_C(8589934591) << 30 },
    };
    static const struct { const char *s, *want; } bad[] = {
        { "16", "expected a size with a unit (B, KiB, MiB, GiB), e.g. 16KiB, got '16'" },
        { "", "expected a size with a unit" },
        { "KiB", "expected a size with a unit" },
        { "16KB", "unknown unit 'KB' in '16KB' (expected B, KiB, MiB, GiB)" },
        { "16kib", "unknown unit 'kib'" },
        { "-1KiB", "a size must not be negative" },
        { "1.KiB", "expected digits after '.'" },
        { "8589934592GiB", "too large" },
        { "99999999999999999999B", "too large" },
    };
    char err[256];
    int64_t v;
    (void)state;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (cfg_parse_bytes(ok[i].s, &v, err, sizeof err) != 0) fail_msg("'%s': %s", ok[i].s, err);
        if (v != ok[i].b) fail_msg("'%s' -> %lld, want %lld", ok[i].s, (long long)v, (long long)ok[i].b);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        if (cfg_parse_bytes(bad[i].s, &v, err, sizeof err) != -1) fail_msg("'%s' should not parse", bad[i].s);
        if (!strstr(err, bad[i].want)) fail_msg("'%s': \"%s\" lacks \"%s\"", bad[i].s, err, bad[i].want);
    }
    assert_int_equal(cfg_parse_bytes(NULL, &v, NULL, 0), -1);
}

/* Every op kind, in functions, a main program and a thread program.  The
 * comments give each op's index in its program. */
static const char rich_yaml[] =
    "duration: 10s\n"                                          /*  1 */
    "objects:\n"                                               /*  2 */
    "  - {name: guard, kind: lock}\n"                          /*  3 */
    "  - {name: ready, kind: event}\n"                         /*  4 */
    "  - {name: jobs, kind: queue, maxsize: 10}\n"             /*  5 */
    "  - {name: out, kind: queue}\n"                           /*  6 */
    "functions:\n"                                             /*  7 */
    "  work:\n"                                                /*  8 */
    "    params:\n"                                            /*  9 */
    "      sec: duration\n"                                    /* 10 */
    "      n: {type: count, default: 3}\n"                     /* 11 */
    "      pause: {type: duration, default: exp(2ms)}\n"       /* 12 */
    "    body:\n"                                              /* 13 */
    "      - cpu: $sec\n"                                      /* 14  0 */
    "      - repeat: $n\n"                                     /* 15  1 */
    "        do:\n"                                            /* 16 */
    "          - native: $pause\n"                             /* 17  2 */
    "          - io: $sec\n"                                   /* 18  3 */
    "          - sleep: 1ms\n"                                 /* 19  4 */
    "  fetch:\n"                                               /* 20 */
    "    async: true\n"                                        /* 21 */
    "    params: {d: duration}\n"                              /* 22 */
    "    body:\n"                                              /* 23 */
    "      - await: {sleep: 0}\n"                              /* 24  0 */
    "      - await: {io: $d}\n"                                /* 25  1 */
    "      - await: {sleep: $d}\n"                             /* 26  2 */
    "      - mark: fetched\n"                                  /* 27  3 */
    "  amain:\n"                                               /* 28 */
    "    async: true\n"                                        /* 29 */
    "    params: {k: count}\n"                                 /* 30 */
    "    body:\n"                                              /* 31 */
    "      - as: tasks\n"                                      /* 32  0 (as before the kind) */
    "        create_task: fetch\n"                             /* 33 */
    "        args: [5ms]\n"                                    /* 34 */
    "        count: $k\n"                                      /* 35 */
    "      - create_task: fetch\n"                             /* 36  1 */
    "        args: {d: 1ms}\n"                                 /* 37 */
    "        as: tasks\n"                                      /* 38 */
    "      - await: {gather: tasks}\n"                         /* 39  2 */
    "      - await: {call: fetch, args: [\"uniform(1ms, 2ms)\"]}\n" /* 40  3 */
    "  boss:\n"                                                /* 41 */
    "    params: {t: duration, k: count}\n"                    /* 42 */
    "    body:\n"                                              /* 43 */
    "      - asyncio_run: amain\n"                             /* 44  0 */
    "        args: [$k]\n"                                     /* 45 */
    "      - start: work\n"                                    /* 46  1 */
    "        args: [$t]\n"                                     /* 47 */
    "        count: 4\n"                                       /* 48 */
    "        name: worker\n"                                   /* 49 */
    "        as: ts\n"                                         /* 50 */
    "      - process: work\n"                                  /* 51  2 */
    "        args: {sec: 2ms, n: 0}\n"                         /* 52 */
    "        count: $k\n"                                      /* 53 */
    "        method: spawn\n"                                  /* 54 */
    "        as: ps\n"                                         /* 55 */
    "      - join: ts\n"                                       /* 56  3 */
    "      - join: ps\n"                                       /* 57  4 */
    "      - with_pool: process\n"                             /* 58  5 */
    "        max_workers: 4\n"                                 /* 59 */
    "        method: fork\n"                                   /* 60 */
    "        as: outer\n"                                      /* 61 */
    "        do:\n"                                            /* 62 */
    "          - with_pool: thread\n"                          /* 63  6 */
    "            do:\n"                                        /* 64 */
    "              - submit: work\n"                           /* 65  7 innermost: anonymous */
    "                args: [1ms]\n"                            /* 66 */
    "                as: futs\n"                               /* 67 */
    "              - submit: work\n"                           /* 68  8 */
    "                args: [1ms]\n"                            /* 69 */
    "                count: 2\n"                               /* 70 */
    "                pool: outer\n"                            /* 71 */
    "                as: futs\n"                               /* 72 */
    "              - as_completed: futs\n"                     /* 73  9 */
    "          - map: work\n"                                  /* 74 10 */
    "            over: [1ms, exp(3ms), 5ms]\n"                 /* 75 */
    "      - with_lock: guard\n"                               /* 76 11 */
    "        do:\n"                                            /* 77 */
    "          - queue_put: jobs\n"                            /* 78 12 */
    "          - try:\n"                                       /* 79 13 */
    "              - queue_get: out\n"                         /* 80 14 */
    "              - raise: TimeoutError\n"                    /* 81 15 */
    "                probability: 0.25\n"                      /* 82 */
    "            except:\n"                                    /* 83 */
    "              - event_set: ready\n"                       /* 84 16 */
    "              - raise: ValueError\n"                      /* 85 17 */
    "      - event_wait: ready\n"                              /* 86 18 */
    "      - call: work\n"                                     /* 87 19 */
    "        args: {pause: 7ms, sec: $t}\n"                    /* 88 */
    "      - crash: out of memory\n"                           /* 89 20 */
    "processes:\n"                                             /* 90 */
    "  - name: app\n"                                          /* 91 */
    "    main:\n"                                              /* 92 */
    "      - call: boss\n"                                     /* 93  0 */
    "        args: [10ms, 2]\n"                                /* 94 */
    "      - repeat: forever\n"                                /* 95  1 */
    "        do: [cpu: 1ms]\n"                                 /* 96  2 */
    "    threads:\n"                                           /* 97 */
    "      - program:\n"                                       /* 98 */
    "          - start: work\n"                                /* 99  0 */
    "            args: [3ms]\n"                                /* 100 */
    "            as: helpers\n"                                /* 101 */
    "          - join: helpers\n"                              /* 102 1 */
    "  - main: [mark: \"a: b\"]\n";                            /* 103 */

static void check_lit_dur(const argref_t *a, enum dist_kind kind, simtime_t v)
{
    assert_int_equal(a->param, -1);
    assert_int_equal(a->lit.type, PARAM_DURATION);
    assert_int_equal(a->lit.dur.kind, kind);
    assert_int_equal(a->lit.dur.a, v);
}

static void check_lit_count(const argref_t *a, int64_t n)
{
    assert_int_equal(a->param, -1);
    assert_int_equal(a->lit.type, PARAM_COUNT);
    assert_int_equal(a->lit.count, n);
}

static void test_functions(void **state)
{
    config_t c;
    (void)state;
    load_ok(rich_yaml, NULL, 0, &c);
    assert_int_equal(c.nfunctions, 4);
    const function_cfg_t *w = &c.functions[0];
    assert_string_equal(w->name, "work");
    assert_int_equal(w->line, 8);
    assert_int_equal(w->col, 3);
    assert_int_equal(w->is_async, 0);
    assert_int_equal(w->nparams, 3);
    assert_string_equal(w->params[0], "sec");
    assert_string_equal(w->params[1], "n");
    assert_string_equal(w->params[2], "pause");
    assert_int_equal(w->param_types[0], PARAM_DURATION);
    assert_int_equal(w->param_types[1], PARAM_COUNT);
    assert_int_equal(w->param_types[2], PARAM_DURATION);
    assert_int_equal(w->has_default[0], 0);
    assert_int_equal(w->has_default[1], 1);
    assert_int_equal(w->defaults[1].count, 3);
    assert_int_equal(w->has_default[2], 1);
    assert_int_equal(w->defaults[2].dur.kind, DIST_EXP);
    assert_int_equal(w->defaults[2].dur.a, MS(2));

    const program_t *b = &w->body;
    assert_int_equal(b->nops, 5);
    assert_int_equal(b->ops[0].kind, OP_CPU);
    assert_int_equal(b->ops[0].dur_param, 0);
    assert_int_equal(b->ops[0].line, 14);
    assert_int_equal(b->ops[0].col, 9);
    assert_int_equal(b->ops[1].kind, OP_REPEAT);
    assert_int_equal(b->ops[1].count_param, 1);
    assert_int_equal(b->ops[1].body_end, 5);
    assert_int_equal(b->ops[2].kind, OP_NATIVE);
    assert_int_equal(b->ops[2].dur_param, 2);
    assert_int_equal(b->ops[3].kind, OP_IO);
    assert_int_equal(b->ops[3].dur_param, 0);
    assert_int_equal(b->ops[4].kind, OP_SLEEP);
    assert_int_equal(b->ops[4].dur_param, -1);
    assert_int_equal(b->ops[4].dur.a, MS(1));
    assert_int_equal(b->nlocals, 0);

    assert_string_equal(c.functions[1].name, "fetch");
    assert_int_equal(c.functions[1].is_async, 1);
    assert_int_equal(c.functions[2].is_async, 1);
    assert_int_equal(c.functions[3].is_async, 0);
    assert_int_equal(c.functions[3].nparams, 2);
    assert_int_equal(c.functions[3].has_default[0], 0);
    cfg_free(&c);
}

static void test_asyncio_ops(void **state)
{
    config_t c;
    (void)state;
    load_ok(rich_yaml, NULL, 0, &c);
    const program_t *f = &c.functions[1].body;
    assert_int_equal(f->nops, 4);
    assert_int_equal(f->ops[0].kind, OP_AWAIT_SLEEP);
    assert_int_equal(f->ops[0].dur.a, 0);
    assert_int_equal(f->ops[0].dur_param, -1);
    assert_int_equal(f->ops[1].kind, OP_AWAIT_IO);
    assert_int_equal(f->ops[1].dur_param, 0);
    assert_int_equal(f->ops[2].kind, OP_AWAIT_SLEEP);
    assert_int_equal(f->ops[2].dur_param, 0);
    assert_int_equal(f->ops[3].kind, OP_MARK);
    assert_string_equal(f->ops[3].text, "fetched");

    const program_t *a = &c.functions[2].body;
    assert_int_equal(a->nops, 4);
    assert_int_equal(a->nlocals, 1);
    assert_string_equal(a->locals[0], "tasks");
    assert_int_equal(a->local_kinds[0], LOCAL_TASKS);
    assert_int_equal(a->ops[0].kind, OP_CREATE_TASK);
    assert_int_equal(a->ops[0].line, 32);   /* the mapping starts at `as:` */
    assert_int_equal(a->ops[0].call.fn, 1);
    assert_int_equal(a->ops[0].call.nargs, 1);
    check_lit_dur(&a->ops[0].call.args[0], DIST_CONST, MS(5));
    assert_int_equal(a->ops[0].count, 1);
    assert_int_equal(a->ops[0].count_param, 0);
    assert_int_equal(a->ops[0].local, 0);
    assert_int_equal(a->ops[1].kind, OP_CREATE_TASK);
    assert_int_equal(a->ops[1].count, 1);
    assert_int_equal(a->ops[1].count_param, -1);
    assert_int_equal(a->ops[1].local, 0);   /* the same handle, appended to */
    check_lit_dur(&a->ops[1].call.args[0], DIST_CONST, MS(1));
    assert_int_equal(a->ops[2].kind, OP_GATHER);
    assert_int_equal(a->ops[2].local, 0);
    assert_int_equal(a->ops[3].kind, OP_AWAIT_CALL);
    assert_int_equal(a->ops[3].call.fn, 1);
    check_lit_dur(&a->ops[3].call.args[0], DIST_UNIFORM, MS(1));

    const op_t *run = &c.functions[3].body.ops[0];
    assert_int_equal(run->kind, OP_ASYNCIO_RUN);
    assert_int_equal(run->call.fn, 2);
    assert_int_equal(run->call.nargs, 1);
    assert_int_equal(run->call.args[0].param, 1);   /* boss's $k */
    cfg_free(&c);
}

static void test_thread_and_process_ops(void **state)
{
    config_t c;
    (void)state;
    load_ok(rich_yaml, NULL, 0, &c);
    const program_t *b = &c.functions[3].body;
    assert_int_equal(b->nops, 21);

    const op_t *st = &b->ops[1];
    assert_int_equal(st->kind, OP_START_THREAD);
    assert_int_equal(st->call.fn, 0);
    assert_int_equal(st->call.nargs, 3);
    assert_int_equal(st->call.args[0].param, 0);        /* $t */
    check_lit_count(&st->call.args[1], 3);              /* defaults filled in */
    check_lit_dur(&st->call.args[2], DIST_EXP, MS(2));
    assert_int_equal(st->count, 4);
    assert_string_equal(st->text, "worker");
    assert_int_equal(st->method, START_DEFAULT);
    assert_string_equal(b->locals[st->local], "ts");
    assert_int_equal(b->local_kinds[st->local], LOCAL_THREADS);

    const op_t *pr = &b->ops[2];
    assert_int_equal(pr->kind, OP_START_PROCESS);
    check_lit_dur(&pr->call.args[0], DIST_CONST, MS(2));
    check_lit_count(&pr->call.args[1], 0);              /* a count argument may be 0 */
    check_lit_dur(&pr->call.args[2], DIST_EXP, MS(2));
    assert_int_equal(pr->count, 1);
    assert_int_equal(pr->count_param, 1);
    assert_int_equal(pr->method, START_SPAWN);
    assert_null(pr->text);
    assert_string_equal(b->locals[pr->local], "ps");
    assert_int_equal(b->local_kinds[pr->local], LOCAL_PROCESSES);

    assert_int_equal(b->ops[3].kind, OP_JOIN);
    assert_int_equal(b->ops[3].local, st->local);
    assert_int_equal(b->ops[4].kind, OP_JOIN);
    assert_int_equal(b->ops[4].local, pr->local);

    const op_t *call = &b->ops[19];
    assert_int_equal(call->kind, OP_CALL);
    assert_int_equal(call->call.fn, 0);
    assert_int_equal(call->call.args[0].param, 0);      /* by name, out of order */
    check_lit_count(&call->call.args[1], 3);
    check_lit_dur(&call->call.args[2], DIST_CONST, MS(7));

    /* main and thread programs */
    const process_cfg_t *p = &c.procs[0];
    assert_int_equal(p->has_main, 1);
    assert_int_equal(p->main.nops, 3);
    assert_int_equal(p->main.ops[0].kind, OP_CALL);
    assert_int_equal(p->main.ops[0].call.fn, 3);
    check_lit_dur(&p->main.ops[0].call.args[0], DIST_CONST, MS(10));
    check_lit_count(&p->main.ops[0].call.args[1], 2);
    assert_int_equal(p->main.ops[1].count, REPEAT_FOREVER);
    assert_int_equal(p->nthreads, 1);
    const program_t *t = &p->threads[0].prog;
    assert_int_equal(t->nops, 2);
    assert_int_equal(t->nlocals, 1);
    assert_string_equal(t->locals[0], "helpers");
    assert_int_equal(t->ops[1].local, 0);
    assert_int_equal(c.procs[1].has_main, 1);
    assert_int_equal(c.procs[1].nthreads, 0);
    assert_null(c.procs[1].threads);
    assert_string_equal(c.procs[1].main.ops[0].text, "a: b");
    cfg_free(&c);
}

static void test_pool_ops(void **state)
{
    config_t c;
    (void)state;
    load_ok(rich_yaml, NULL, 0, &c);
    const program_t *b = &c.functions[3].body;
    const op_t *outer = &b->ops[5], *inner = &b->ops[6];
    assert_int_equal(outer->kind, OP_POOL);
    assert_int_equal(outer->pool_kind, POOL_PROCESS);
    assert_int_equal(outer->max_workers, 4);
    assert_int_equal(outer->method, START_FORK);
    assert_int_equal(outer->body_end, 11);
    assert_string_equal(b->locals[outer->local], "outer");
    assert_int_equal(b->local_kinds[outer->local], LOCAL_POOL);
    assert_int_equal(inner->kind, OP_POOL);
    assert_int_equal(inner->pool_kind, POOL_THREAD);
    assert_int_equal(inner->max_workers, 0);
    assert_int_equal(inner->method, START_DEFAULT);
    assert_int_equal(inner->body_end, 10);
    /* a with_pool without `as:` still gets a handle, one no name reaches */
    assert_true(inner->local >= 0);
    assert_int_equal(b->local_kinds[inner->local], LOCAL_POOL);
    assert_true(inner->local != outer->local);

    const op_t *s1 = &b->ops[7], *s2 = &b->ops[8];
    assert_int_equal(s1->kind, OP_SUBMIT);
    assert_int_equal(s1->pool, inner->local);            /* the innermost by default */
    assert_int_equal(s1->count, 1);
    assert_string_equal(b->locals[s1->local], "futs");
    assert_int_equal(b->local_kinds[s1->local], LOCAL_FUTURES);
    assert_int_equal(s2->pool, outer->local);
    assert_int_equal(s2->count, 2);
    assert_int_equal(s2->local, s1->local);
    assert_int_equal(b->ops[9].kind, OP_AS_COMPLETED);
    assert_int_equal(b->ops[9].local, s1->local);

    const op_t *m = &b->ops[10];
    assert_int_equal(m->kind, OP_MAP);
    assert_int_equal(m->pool, outer->local);
    assert_int_equal(m->call.fn, 0);
    assert_int_equal(m->nover, 3);
    assert_int_equal(m->over[0].type, PARAM_DURATION);
    assert_int_equal(m->over[0].dur.a, MS(1));
    assert_int_equal(m->over[1].dur.kind, DIST_EXP);
    assert_int_equal(m->over[2].dur.a, MS(5));
    assert_int_equal(m->call.nargs, 3);                  /* the rest from defaults */
    check_lit_count(&m->call.args[1], 3);
    check_lit_dur(&m->call.args[2], DIST_EXP, MS(2));
    assert_int_equal(m->local, -1);
    assert_int_equal(b->nlocals, 5);   /* ts ps outer (anonymous pool) futs */
    cfg_free(&c);
}

static void test_sync_and_fault_ops(void **state)
{
    config_t c;
    (void)state;
    load_ok(rich_yaml, NULL, 0, &c);
    assert_int_equal(c.nobjects, 4);
    assert_string_equal(c.objects[0].name, "guard");
    assert_int_equal(c.objects[0].kind, OBJ_LOCK);
    assert_int_equal(c.objects[1].kind, OBJ_EVENT);
    assert_int_equal(c.objects[2].kind, OBJ_QUEUE);
    assert_int_equal(c.objects[2].maxsize, 10);
    assert_int_equal(c.objects[3].maxsize, 0);

    const program_t *b = &c.functions[3].body;
    assert_int_equal(b->ops[11].kind, OP_LOCK);
    assert_int_equal(b->ops[11].object, 0);
    assert_int_equal(b->ops[11].body_end, 18);
    assert_int_equal(b->ops[12].kind, OP_QUEUE_PUT);
    assert_int_equal(b->ops[12].object, 2);
    const op_t *t = &b->ops[13];
    assert_int_equal(t->kind, OP_TRY);
    assert_int_equal(t->body_end, 16);
    assert_int_equal(t->except_end, 18);
    assert_int_equal(b->ops[14].kind, OP_QUEUE_GET);
    assert_int_equal(b->ops[14].object, 3);
    assert_int_equal(b->ops[15].kind, OP_RAISE);
    assert_string_equal(b->ops[15].text, "TimeoutError");
    assert_true(b->ops[15].probability == 0.25);
    assert_int_equal(b->ops[16].kind, OP_EVENT_SET);
    assert_int_equal(b->ops[16].object, 1);
    assert_int_equal(b->ops[17].kind, OP_RAISE);
    assert_true(b->ops[17].probability == 1.0);
    assert_int_equal(b->ops[18].kind, OP_EVENT_WAIT);
    assert_int_equal(b->ops[18].object, 1);
    assert_int_equal(b->ops[20].kind, OP_CRASH);
    assert_string_equal(b->ops[20].text, "out of memory");
    assert_int_equal(b->ops[20].line, 89);
    assert_int_equal(b->ops[20].col, 9);
    cfg_free(&c);
}

static void test_forms_and_order(void **state)
{
    config_t c;
    (void)state;
    /* processes before functions; a scalar `args` is one argument; an
     * empty args list; `params:` empty; a lone count op */
    load_ok("processes:\n"
            "  - main:\n"
            "      - call: f\n"
            "        args: 2ms\n"
            "      - call: g\n"
            "        args: []\n"
            "      - call: g\n"
            "        args: {}\n"
            "    threads:\n"
            "      - count: 2\n"
            "        program: [call: g]\n"
            "functions:\n"
            "  f: {params: {d: duration}, body: [cpu: $d]}\n"
            "  g:\n"
            "    params:\n"
            "    async: false\n"
            "    body: [{raise: E, probability: 1}]\n", NULL, 0, &c);
    assert_int_equal(c.procs[0].main.ops[0].call.fn, 0);
    check_lit_dur(&c.procs[0].main.ops[0].call.args[0], DIST_CONST, MS(2));
    assert_int_equal(c.procs[0].main.ops[1].call.fn, 1);
    assert_int_equal(c.procs[0].main.ops[1].call.nargs, 0);
    assert_int_equal(c.functions[1].nparams, 0);
    cfg_free(&c);

    /* the same handle in two programs is two handles; re-using a name for
     * the same kind is one */
    load_ok("functions:\n"
            "  j: {body: [cpu: 1ms]}\n"
            "processes:\n"
            "  - main:\n"
            "      - {start: j, as: h}\n"
            "      - {start: j, as: h}\n"
            "      - join: h\n"
            "    threads:\n"
            "      - program: [{process: j, as: h}, join: h]\n", NULL, 0, &c);
    assert_int_equal(c.procs[0].main.nlocals, 1);
    assert_int_equal(c.procs[0].main.ops[1].local, 0);
    assert_int_equal(c.procs[0].threads[0].prog.local_kinds[0], LOCAL_PROCESSES);
    cfg_free(&c);
}

static void test_call_depth_limit(void **state)
{
    size_t cap = 64 * (CALL_MAX_DEPTH + 2) + 128;
    char *yaml = malloc(cap);
    int n = 0;
    config_t c;
    (void)state;
    assert_non_null(yaml);
    n += snprintf(yaml + n, cap - (size_t)n, "functions:\n");
    for (int i = 0; i < CALL_MAX_DEPTH; i++)   /* f0 .. f63: exactly the limit */
        n += snprintf(yaml + n, cap - (size_t)n, i < CALL_MAX_DEPTH - 1 ?
                      "  f%d: {body: [call: f%d]}\n" : "  f%d: {body: [cpu: 1ms]}\n", i, i + 1);
    snprintf(yaml + n, cap - (size_t)n, "processes: [{main: [call: f0]}]\n");
    load_ok(yaml, NULL, 0, &c);
    assert_int_equal(c.nfunctions, CALL_MAX_DEPTH);
    cfg_free(&c);
    /* one more level, added on top: too deep; starting a thread resets it */
    n = snprintf(yaml, cap, "functions:\n  top: {body: [call: f0]}\n  t: {body: [start: f0]}\n");
    for (int i = 0; i < CALL_MAX_DEPTH; i++)
        n += snprintf(yaml + n, cap - (size_t)n, i < CALL_MAX_DEPTH - 1 ?
                      "  f%d: {body: [call: f%d]}\n" : "  f%d: {body: [cpu: 1ms]}\n", i, i + 1);
    snprintf(yaml + n, cap - (size_t)n, "processes: [{main: [call: t]}]\n");
    load_fails(yaml, NULL, 0, "test.yaml:2:22: calls nested more than 64 deep: calling 'f0' from 'top' makes a chain of 65");
    free(yaml);
}

static void test_program_errors(void **state)
{
    static const struct { const char *yaml, *want; } cases[] = {
        { "functions: {f: {body: [cpu: 1ms]}}\nprocesses: [{main: [{call: f, args: [1ms]}]}]",
          "2:38: too many arguments: f takes 0, got 1" },
        { "functions: {f: {body: [cpu: 1ms]}}\nprocesses: [{main: [{call: f, args: {x: 1}}]}]",
          "unknown argument 'x': f takes no arguments" },
        { "functions: {f: {params: {a: count}, body: [cpu: 1ms]}}\n"
          "processes: [{main: [{call: f, args: {a: 1, a: 2}}]}]",
          "argument 'a' of f given twice" },
        { "functions: {f: {params: {a: {type: count, default: $b}}, body: [cpu: 1ms]}}\n"
          "processes: [{main: [call: f]}]",
          "the default of 'a' of f must be a literal value, got '$b'" },
        { "functions: {f: {params: {a: {type: duration, default: 0ms}}, body: [cpu: 1ms]}}\n"
          "processes: [{main: [call: f]}]",
          "the default of 'a' of f must be greater than zero" },
        { "functions: {f: {params: {a: {default: 1ms}}, body: [cpu: 1ms]}}\nprocesses: [{main: [call: f]}]",
          "missing required key 'type' in a parameter" },
        { "functions: {f: {params: {a: {type: count, defalt: 1}}, body: [cpu: 1ms]}}\nprocesses: [{main: [call: f]}]",
          "unknown key 'defalt' in a parameter (did you mean 'default'?)" },
        { "functions: {f: {params: {$a: count}, body: [cpu: 1ms]}}\nprocesses: [{main: [call: f]}]",
          "expected a parameter name (written without '$')" },
        { "functions: {f: {params: [a, b], body: [cpu: 1ms]}}\nprocesses: [{main: [call: f]}]",
          "expected a mapping of parameters (name: type), got a sequence" },
        { "functions: {f: {body: [cpu: 1ms], asinc: true}}\nprocesses: [{main: [call: f]}]",
          "unknown key 'asinc' in a function (did you mean 'async'?)" },
        { "functions: [f]\nprocesses: [{main: [cpu: 1ms]}]",
          "1:12: expected a mapping of functions (name: definition), got a sequence" },
        { "functions: {f: [cpu: 1ms]}\nprocesses: [{main: [cpu: 1ms]}]",
          "expected a function definition (a mapping with async, params, body), got a sequence" },
        { "functions: {f: {body: []}}\nprocesses: [{main: [cpu: 1ms]}]",
          "expected a sequence of ops, got an empty sequence" },
        { "processes: [{main: [call: f]}]",
          "unknown function 'f' (no functions are defined: add it under 'functions:')" },
        { "functions: {alpha: {body: [cpu: 1ms]}, beta: {body: [cpu: 1ms]}}\nprocesses: [{main: [call: zzzzzz]}]",
          "unknown function 'zzzzzz' (functions: alpha, beta)" },
        { "functions: {f: {params: {d: duration}, body: [{repeat: $d, do: [cpu: 1ms]}]}}\nprocesses: [{main: [cpu: 1ms]}]",
          "'$d' is a duration parameter of f, but 'repeat' needs a count" },
        { "functions: {f: {body: [cpu: $d]}}\nprocesses: [{main: [cpu: 1ms]}]",
          "'$d': f has no parameters" },
        { "functions: {f: {params: {n: count}, body: [cpu: 1ms]}, g: {params: {d: duration}, body: [{call: f, args: [$d]}]}}\n"
          "processes: [{main: [cpu: 1ms]}]",
          "'$d' is a duration parameter of g, but argument 'n' of f needs a count" },
        { "processes: [{main: [{start: f}]}]", "unknown function 'f'" },
        { "functions: {f: {body: [cpu: 1ms]}}\nprocesses: [{main: [{start: f, count: -1}]}]",
          "expected a count (an integer >= 0) of at most 1000000, got '-1'" },
        { "functions: {f: {body: [cpu: 1ms]}}\nprocesses: [{main: [{start: f, as: ''}]}]",
          "expected a handle name, got an empty value" },
        { "functions: {f: {body: [cpu: 1ms]}}\nprocesses: [{main: [{process: f, method: forkserver}]}]",
          "unknown start method 'forkserver' (known: fork, spawn)" },
        { "functions: {f: {body: [cpu: 1ms]}}\nprocesses: [{main: [{start: f, method: fork}]}]",
          "unknown key 'method' in an op ('start' takes: start, args, count, name, as, daemon)" },
        { "processes: [{main: [{args: [1]}]}]", "'args' alone is not an op: expected one of cpu, hold, native" },
        { "processes: [{main: [{repeat: 2, do: [cpu: 1ms], do: [io: 1ms]}]}]",
          "duplicate key 'do' in an op (first given at 1:33)" },
        { "processes: [{main: [{with_pool: threads, do: [cpu: 1ms]}]}]",
          "unknown pool kind 'threads' (did you mean 'thread'?)" },
        { "processes: [{main: [{with_pool: thread, max_workers: 0, do: [cpu: 1ms]}]}]",
          "expected a positive integer, got '0'" },
        { "processes: [{main: [{with_pool: thread}]}]",
          "missing required key 'do' after 'with_pool' (the ops inside the with block)" },
        { "functions: {f: {body: [cpu: 1ms]}}\nprocesses: [{main: [{with_pool: thread, do: [{map: f, over: [1ms]}]}]}]",
          "'f' takes no parameters: map passes each item of 'over' as its first argument" },
        { "functions: {f: {params: {d: duration}, body: [cpu: $d]}}\nprocesses: [{main: [{with_pool: thread, do: [{map: f, over: []}]}]}]",
          "expected a sequence of items to map over, got an empty sequence" },
        { "functions: {f: {params: {d: duration}, body: [cpu: $d]}}\nprocesses: [{main: [{with_pool: thread, do: [{map: f}]}]}]",
          "missing required key 'over' after 'map'" },
        { "functions: {f: {async: true, body: [{await: {sleep: 1ms, args: [1]}}]}}\nprocesses: [{main: [asyncio_run: f]}]",
          "'args' goes with 'call' or 'to_thread' in an await" },
        { "functions: {f: {async: true, body: [{await: {}}]}}\nprocesses: [{main: [asyncio_run: f]}]",
          "empty await: expected one of sleep, io, call, gather" },
        { "functions: {f: {async: true, body: [{await: {slep: 1ms}}]}}\nprocesses: [{main: [asyncio_run: f]}]",
          "unknown key 'slep' in an await (did you mean 'sleep'?)" },
        { "functions: {f: {async: true, body: [{await: asyncio.sleep(1)}]}}\nprocesses: [{main: [asyncio_run: f]}]",
          "expected what to await: {sleep: D}, {io: D}, {call: f}, {gather: tasks} or {to_thread: f}" },
        { "functions: {f: {async: true, body: [{await: {io: 0}}]}}\nprocesses: [{main: [asyncio_run: f]}]",
          "expected a duration with a unit" },
        { "functions: {f: {async: true, body: [{await: {io: 0ms}}]}}\nprocesses: [{main: [asyncio_run: f]}]",
          "'await io' must be greater than zero" },
        { "functions: {f: {async: true, body: [{await: {sleep: -1ms}}]}}\nprocesses: [{main: [asyncio_run: f]}]",
          "a duration must not be negative" },
        { "processes: [{main: [mark: '']}]", "expected a label, got an empty value" },
        { "processes: [{main: [crash: [a]]}]", "expected a reason, got a sequence" },
        { "processes: [{main: [{raise: E, probability: 0}]}]", "expected a probability > 0 and <= 1, got '0'" },
        { "processes: [{main: [{raise: E, probability: nan}]}]", "expected a probability > 0 and <= 1" },
        { "processes: [{main: [{raise: E, probability: 1e-3x}]}]", "expected a probability > 0 and <= 1" },
        { "processes: [{main: [{try: [cpu: 1ms], except: []}]}]", "expected a sequence of ops, got an empty sequence" },
        { "processes: [{main: [{except: [cpu: 1ms]}]}]", "'except' alone is not an op" },
        { "processes: [{main: [{cpu: 1ms, except: [cpu: 1ms]}]}]",
          "unknown key 'except' in an op ('cpu' takes: cpu)" },
        { "processes: [{main: [{with_lock: l, do: [cpu: 1ms]}]}]",
          "unknown object 'l' (no objects are defined: add it under 'objects:' with kind lock)" },
        { "objects: [{name: q, kind: queue}]\nprocesses: [{main: [event_set: q]}]", "'q' is a queue, not an event" },
        { "objects: [{name: q, kind: quue}]\nprocesses: [{main: [cpu: 1ms]}]", "unknown object kind 'quue' (did you mean 'queue'?)" },
        { "objects: [{kind: lock}]\nprocesses: [{main: [cpu: 1ms]}]", "missing required key 'name' in an object" },
        { "objects: [{name: q, kind: queue, maxsize: -1}]\nprocesses: [{main: [cpu: 1ms]}]",
          "expected a non-negative integer, got '-1'" },
        { "objects: {q: queue}\nprocesses: [{main: [cpu: 1ms]}]", "expected a sequence of objects, got a mapping" },
        { "processes: [{main: []}]", "expected a sequence of ops, got an empty sequence" },
        { "processes: [{main: [cpu: 1ms], threads: []}]", "expected a sequence of threads, got an empty sequence" },
        { "processes: [{count: 1000000, main: [cpu: 1ms], threads: [program: [cpu: 1ms]]}]",
          "too many processes: 1000000 in all up to this process" },
        { "multiprocessing: {start_method: fork, fork_child: -1ms}\nprocesses: [{main: [cpu: 1ms]}]",
          "a duration must not be negative" },
        { "asyncio: {loop_iteraton: 1us}\nprocesses: [{main: [cpu: 1ms]}]",
          "unknown key 'loop_iteraton' in asyncio (did you mean 'loop_iteration'?)" },
        { "python: {task_memory: 1.2}\nprocesses: [{main: [cpu: 1ms]}]",
          "expected a size with a unit (B, KiB, MiB, GiB)" },
        { "python: {thread_start: 1}\nprocesses: [{main: [cpu: 1ms]}]",
          "expected a duration with a unit" },
        /* issue 4's keys */
        { "machine: {cores: 2}\nprocesses: [{threads: [{name: w, affinity: [3], program: [cpu: 1ms]}]}]",
          "thread w of process p0: its affinity names no core of this 2-core machine" },
        { "processes: [{threads: [{affinity: [64], program: [cpu: 1ms]}]}]",
          "1:36: expected a core number from 0 to 63, got '64'" },
        { "python: {version: \"3.13\"}\nprocesses: [{main: [{with_pool: interpreter, do: [cpu: 1ms]}]}]",
          "2:21: with_pool: interpreter (InterpreterPoolExecutor) needs python.version \"3.14\" or "
          "later (What's New in Python 3.14); python.version is \"3.13\" (at 1:19)" },
        { "python: {gil_wakeup: fair}\nprocesses: [{main: [cpu: 1ms]}]",
          "unknown gil_wakeup 'fair'" },
        { "os: {scheduler: eevdf}\nprocesses: [{main: [cpu: 1ms]}]",
          "unknown scheduler 'eevdf' (known: cfs, rr)" },
        { "python: {nogil_slowdown: 0.5}\nprocesses: [{main: [cpu: 1ms]}]",
          "expected a factor from 1 to 100 such as 1.4, got '0.5'" },
        { "processes: [{threads: [{interpreter: -1, program: [cpu: 1ms]}]}]",
          "expected an interpreter number from 0 to 1000, got '-1'" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        load_fails(cases[i].yaml, NULL, 0, cases[i].want);
}

static void test_set_reaches_the_new_keys(void **state)
{
    char *sets[] = {
        "python.version=3.12",
        "python.thread_memory=1MiB",
        "multiprocessing.start_method=spawn",
        "asyncio.task_step=9us",
        "functions.work.body.0.cpu=exp(3ms)",
        "functions.work.async=false",
        "processes.0.main.0.args.0=4ms",
        "objects.2.maxsize=5",
    };
    config_t c;
    (void)state;
    load_ok(rich_yaml, sets, (int)(sizeof sets / sizeof sets[0]), &c);
    assert_int_equal(c.python.version, 312);
    assert_int_equal(c.python.thread_memory, 1 << 20);
    assert_int_equal(c.mp.start_method, START_SPAWN);
    assert_int_equal(c.aio.task_step, US(9));
    assert_int_equal(c.functions[0].body.ops[0].kind, OP_CPU);
    assert_int_equal(c.functions[0].body.ops[0].dur_param, -1);
    assert_int_equal(c.functions[0].body.ops[0].dur.kind, DIST_EXP);
    assert_int_equal(c.functions[0].body.ops[0].line, 14);  /* the op is still where it was */
    check_lit_dur(&c.procs[0].main.ops[0].call.args[0], DIST_CONST, MS(4));
    cfg_free(&c);

    static const struct { char *set; const char *want; } bad[] = {
        { "processes.0.main.0.call=bos", "--set 'processes.0.main.0.call=bos': unknown function 'bos' (did you mean 'boss'?)" },
        { "functions.work.async=true", "'work' is a coroutine function: start needs a plain function" },
        { "functions.fetch.async=false", "test.yaml:24:9: 'await' outside async function" },
        { "functions.boss.body.0.as=tasks", "unknown key 'as' in an op ('asyncio_run' takes: asyncio_run, args)" },
        { "objects.0.kind=event", "'guard' is an event, not a lock" },
        { "functions.work.body.1.do.0.call=work", "--set 'functions.work.body.1.do.0.call=work': an op does one thing" },
        { "python.version=3.16", "--set 'python.version=3.16': Python version 3.16 is not modelled" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *one[] = { bad[i].set };
        load_fails(rich_yaml, one, 1, bad[i].want);
    }
    char *cycle[] = { "functions.g.body.0.call=f" };
    load_fails("functions: {f: {body: [call: g]}, g: {body: [call: h]}, h: {body: [cpu: 1ms]}}\n"
               "processes: [{main: [call: f]}]\n", cycle, 1,
               "--set 'functions.g.body.0.call=f': recursive call: 'f' -> 'g' -> 'f'");
}

/* The fuzzers of the old format, over the new one. */
static void test_rich_never_crashes(void **state)
{
    size_t len = strlen(rich_yaml);
    char *buf = malloc(len + 1);
    uint64_t x = 0x2545F4914F6CDD1Dull;
    static const char flips[] = " :-[]{},#$\n0123456789.()xmsu";
    (void)state;
    assert_non_null(buf);
    for (size_t cut = 0; cut <= len; cut += 3) {
        config_t c;
        char err[CFG_ERR_MAX] = "";
        memcpy(buf, rich_yaml, cut);
        buf[cut] = 0;
        if (cfg_load_string("fuzz", buf, NULL, 0, &c, err) == 0) cfg_free(&c);
        else if (strncmp(err, "fuzz:", 5) != 0) fail_msg("cut %zu: unlocated error \"%s\"", cut, err);
    }
    for (int round = 0; round < 3000; round++) {
        config_t c;
        char err[CFG_ERR_MAX] = "";
        memcpy(buf, rich_yaml, len + 1);
        for (int k = 0; k < 1 + round % 4; k++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            buf[x % len] = flips[(x >> 32) % (sizeof flips - 1)];
        }
        if (cfg_load_string("fuzz", buf, NULL, 0, &c, err) == 0) cfg_free(&c);
        else if (strncmp(err, "fuzz:", 5) != 0) fail_msg("round %d: unlocated error \"%s\"", round, err);
    }
    free(buf);
}

/* ---- bad configs ------------------------------------------------------- */

static char *read_first_line(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    if (!f) return NULL;
    n = getline(&line, &cap, f);
    fclose(f);
    if (n < 0) { free(line); return NULL; }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
    return line;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Checks one fixture; returns 0, or 1 after printing what went wrong. */
static int check_fixture(const char *path)
{
    static const char tag[] = "# expect: ";
    char *line = read_first_line(path), *want;
    char err[CFG_ERR_MAX] = "";
    config_t c;
    int rc, bad = 0;
    size_t wn;

    if (!line || strncmp(line, tag, sizeof tag - 1) != 0) {
        print_error("%s: first line is not '# expect: LINE:COL: message'\n", path);
        free(line);
        return 1;
    }
    wn = strlen(path) + strlen(line) + 2;
    want = malloc(wn);
    assert_non_null(want);
    snprintf(want, wn, "%s:%s", path, line + sizeof tag - 1);
    rc = cfg_load(path, NULL, 0, &c, err);
    if (rc != -1) {
        print_error("%s: cfg_load returned %d, expected -1\n", path, rc);
        if (rc == 0) cfg_free(&c);
        bad = 1;
    } else if (!strstr(err, want)) {
        print_error("%s:\n  got:      %s\n  expected: %s\n", path, err, want);
        bad = 1;
    } else if (!is_zeroed(&c)) {
        print_error("%s: config not zeroed after the error\n", path);
        bad = 1;
    }
    free(want);
    free(line);
    return bad;
}

static void test_bad_fixtures(void **state)
{
    const char *dir = getenv("GILSIM_BAD_DIR");
    DIR *d;
    struct dirent *e;
    int n = 0, failed = 0;
    (void)state;

    if (!dir || !*dir) dir = "tests/bad";
    if (!(d = opendir(dir))) fail_msg("cannot open %s (run from the project root)", dir);
    while ((e = readdir(d))) {
        size_t pn = strlen(dir) + strlen(e->d_name) + 2;
        char *path;
        if (!ends_with(e->d_name, ".yaml")) continue;
        path = malloc(pn);
        assert_non_null(path);
        snprintf(path, pn, "%s/%s", dir, e->d_name);
        failed += check_fixture(path);
        free(path);
        n++;
    }
    closedir(d);
    if (failed) fail_msg("%d of %d fixtures in %s failed", failed, n, dir);
    assert_true(n >= 100);
}

static void test_file_loading(void **state)
{
    char dir[] = "/tmp/gilsim_cfg_XXXXXX", path[64], err[CFG_ERR_MAX];
    config_t c;
    FILE *f;
    (void)state;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/busy.yaml", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(MINIMAL, f);
    fclose(f);
    assert_int_equal(cfg_load(path, NULL, 0, &c, err), 0);
    assert_string_equal(c.name, "busy");
    assert_string_equal(c.path, path);
    cfg_free(&c);
    unlink(path);

    assert_int_equal(cfg_load(path, NULL, 0, &c, err), -1);
    assert_true(strncmp(err, path, strlen(path)) == 0);
    assert_non_null(strstr(err, "cannot open"));
    assert_true(is_zeroed(&c));

    assert_int_equal(cfg_load(dir, NULL, 0, &c, err), -1);   /* a directory */
    assert_non_null(strstr(err, "cannot read"));
    rmdir(dir);
}

static void test_long_input_is_truncated_safely(void **state)
{
    size_t n = 20000;
    char *yaml = malloc(n + 64), *set = malloc(n + 64);
    (void)state;
    assert_non_null(yaml);
    assert_non_null(set);
    memcpy(yaml, "seed: ", 6);
    memset(yaml + 6, 'k', n);
    strcpy(yaml + 6 + n, "\n" MINIMAL);
    load_fails(yaml, NULL, 0, "test.yaml:1:7: expected a non-negative integer, got 'kkkk");
    memcpy(set, "machine.cores=", 14);
    memset(set + 14, '9', n);
    set[14 + n] = 0;
    load_fails(MINIMAL, &set, 1, "--set 'machine.cores=999");
    free(yaml);
    free(set);
}

/* Truncations and byte flips of a good config either load or fail with a
 * located message; under ASan this doubles as a small fuzzer. */
static void test_never_crashes(void **state)
{
    size_t len = strlen(full_yaml);
    char *buf = malloc(len + 1);
    uint64_t x = 88172645463325252ull;
    static const char flips[] = " :-[]{},#&*!|>'\"%@`\t\n0123456789.()xmsu";
    (void)state;
    assert_non_null(buf);
    for (size_t cut = 0; cut <= len; cut++) {
        config_t c;
        char err[CFG_ERR_MAX] = "";
        memcpy(buf, full_yaml, cut);
        buf[cut] = 0;
        if (cfg_load_string("fuzz", buf, NULL, 0, &c, err) == 0) cfg_free(&c);
        else if (strncmp(err, "fuzz:", 5) != 0) fail_msg("cut %zu: unlocated error \"%s\"", cut, err);
    }
    for (int round = 0; round < 3000; round++) {
        config_t c;
        char err[CFG_ERR_MAX] = "";
        memcpy(buf, full_yaml, len + 1);
        for (int k = 0; k < 1 + round % 4; k++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            buf[x % len] = flips[(x >> 32) % (sizeof flips - 1)];
        }
        if (cfg_load_string("fuzz", buf, NULL, 0, &c, err) == 0) cfg_free(&c);
        else if (strncmp(err, "fuzz:", 5) != 0) fail_msg("round %d: unlocated error \"%s\"", round, err);
    }
    free(buf);
}

/* Random --set paths and values over a good config: same contract. */
static void test_set_never_crashes(void **state)
{
    static const char *const parts[] = {
        "machine", "cores", "os", "python", "processes", "threads", "program", "0", "1",
        "9", "cpu", "repeat", "do", "name", "seed", "duration", "", "x",
    };
    static const char *const values[] = { "1", "0", "", "5ms", "forever", "x", "exp(1ms)", "-1" };
    uint64_t x = 0x9E3779B97F4A7C15ull;
    (void)state;
    for (int round = 0; round < 3000; round++) {
        char set[256], err[CFG_ERR_MAX] = "";
        char *sets[] = { set };
        config_t c;
        int n = 0, depth;
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        depth = 1 + (int)(x % 7);
        for (int k = 0; k < depth; k++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            n += snprintf(set + n, sizeof set - (size_t)n, "%s%s", k ? "." : "",
                          parts[x % (sizeof parts / sizeof parts[0])]);
        }
        snprintf(set + n, sizeof set - (size_t)n, "%s%s", (x >> 40) % 9 ? "=" : "",
                 values[(x >> 20) % (sizeof values / sizeof values[0])]);
        if (cfg_load_string("fuzz", full_yaml, sets, 1, &c, err) == 0) cfg_free(&c);
        else if (strncmp(err, "--set '", 7) != 0 && strncmp(err, "fuzz:", 5) != 0)
            fail_msg("--set '%s': unlocated error \"%s\"", set, err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_full_config),
        cmocka_unit_test(test_nested_repeats_flatten),
        cmocka_unit_test(test_max_depth_is_allowed),
        cmocka_unit_test(test_lenient_forms),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_distributions),
        cmocka_unit_test(test_leaf_ops_must_be_able_to_take_time),
        cmocka_unit_test(test_set_overrides),
        cmocka_unit_test(test_set_enables_forever),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_file_errors_win_over_sets),
        cmocka_unit_test(test_new_defaults),
        cmocka_unit_test(test_new_settings),
        cmocka_unit_test(test_python_versions),
        cmocka_unit_test(test_version_picks_the_gil),
        cmocka_unit_test(test_version_contradictions),
        cmocka_unit_test(test_group_interpreter_needs_per_interpreter),
        cmocka_unit_test(test_specialize_needs_3_11),
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_asyncio_ops),
        cmocka_unit_test(test_thread_and_process_ops),
        cmocka_unit_test(test_pool_ops),
        cmocka_unit_test(test_sync_and_fault_ops),
        cmocka_unit_test(test_forms_and_order),
        cmocka_unit_test(test_call_depth_limit),
        cmocka_unit_test(test_program_errors),
        cmocka_unit_test(test_set_reaches_the_new_keys),
        cmocka_unit_test(test_bad_fixtures),
        cmocka_unit_test(test_file_loading),
        cmocka_unit_test(test_long_input_is_truncated_safely),
        cmocka_unit_test(test_never_crashes),
        cmocka_unit_test(test_set_never_crashes),
        cmocka_unit_test(test_rich_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
