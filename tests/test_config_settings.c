/* test_config_settings.c — the loader's settings: durations and
 * distributions, the OS and Python settings and their defaults by
 * python.version, sizes in bytes; and the errors of programs that name
 * functions, arguments and handles wrongly. */
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

/* ---- functions, ops, objects (the program model) ------------------------ */

static void test_new_defaults(void **state)
{
    config_t c;
    (void)state;
    load_ok(MINIMAL, NULL, 0, &c);
    assert_int_equal(c.python.version, 311);
    assert_int_equal(c.python.thread_start, US(150));
    assert_int_equal(c.python.shutdown_scan, NS(15));
    assert_int_equal(c.python.thread_bootstrap, US(24));
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_distributions),
        cmocka_unit_test(test_leaf_ops_must_be_able_to_take_time),
        cmocka_unit_test(test_new_defaults),
        cmocka_unit_test(test_new_settings),
        cmocka_unit_test(test_python_versions),
        cmocka_unit_test(test_version_picks_the_gil),
        cmocka_unit_test(test_version_contradictions),
        cmocka_unit_test(test_group_interpreter_needs_per_interpreter),
        cmocka_unit_test(test_specialize_needs_3_11),
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_program_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
