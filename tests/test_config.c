/* test_config.c — the YAML config loader: values, defaults and --set, and
 * that every mistake in tests/bad/ is reported where its `# expect:` says,
 * and that no cut or changed config crashes it.  Settings by version are
 * test_config_settings.c, programs and ops test_config_program.c. */
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
    (void)state;
    load_mutants(full_yaml, 1, 88172645463325252ull, " :-[]{},#&*!|>'\"%@`\t\n0123456789.()xmsu");
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
        cmocka_unit_test(test_set_overrides),
        cmocka_unit_test(test_set_enables_forever),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_file_errors_win_over_sets),
        cmocka_unit_test(test_bad_fixtures),
        cmocka_unit_test(test_file_loading),
        cmocka_unit_test(test_long_input_is_truncated_safely),
        cmocka_unit_test(test_never_crashes),
        cmocka_unit_test(test_set_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
