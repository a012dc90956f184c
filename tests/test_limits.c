/* test_limits.c — what gilsim promises at the edges: every duration a
 * config can give fits the clock (larger ones are load errors), the largest
 * legal ones run to the end without wrapping, and (below) the caps on what
 * a program creates, and names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testlib.h"
#include "engine.h"
#include "rng.h"

#define MAXD SIMTIME_MAX_TEXT               /* the largest duration a config may give */
#define HUGE "9223372036854775807ns"        /* INT64_MAX ns: one too many */

static const char *bin(void)
{
    const char *b = getenv("GILSIM_BIN");
    return b ? b : "build/gilsim";
}

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gilsim-limits-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Runs `gilsim run CFG -q -o DIR ARGS`; returns the exit status, stderr in err. */
static int gilsim_run(const char *yaml, const char *args, char *err, size_t errsize)
{
    char cfg[300], errp[300], cmd[4096];
    snprintf(cfg, sizeof cfg, "%s/cfg.yaml", tmpdir);
    snprintf(errp, sizeof errp, "%s/stderr", tmpdir);
    write_file(cfg, yaml);
    snprintf(cmd, sizeof cmd, "%s run '%s' -q -o '%s/out' %s >/dev/null 2>'%s'", bin(), cfg,
             tmpdir, args, errp);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    FILE *f = fopen(errp, "r");
    assert_non_null(f);
    size_t n = fread(err, 1, errsize - 1, f);
    err[n] = '\0';
    fclose(f);
    return WEXITSTATUS(st);
}

/* ---- A. durations ------------------------------------------------------ */

static void test_saturating_helpers(void **state)
{
    (void)state;
    assert_int_equal(st_add(1, 2), 3);
    assert_int_equal(st_add(SIMTIME_NEVER, 1), SIMTIME_NEVER);
    assert_int_equal(st_add(SIMTIME_NEVER - 5, SIMTIME_MAX_DURATION), SIMTIME_NEVER);
    assert_int_equal(st_add(INT64_MIN, -1), INT64_MIN);
    assert_int_equal(st_mul(SEC(2), 3), SEC(6));
    assert_int_equal(st_mul(SIMTIME_MAX_DURATION, 1000000), SIMTIME_NEVER);
    assert_int_equal(st_mul(SIMTIME_MAX_DURATION, -1000000), INT64_MIN);
    assert_int_equal(st_scale(MS(10), 1.4), MS(14));
    assert_int_equal(st_scale(SIMTIME_MAX_DURATION, 100.0), SIMTIME_NEVER);
    assert_int_equal(st_scale(SIMTIME_MAX_DURATION, 9.3), SIMTIME_NEVER);   /* 2^63 and up */
    assert_int_equal(st_from_double(0.0 / 0.0), 0);
    assert_int_equal(st_from_double(-1e300), INT64_MIN);
    assert_int_equal(st_from_double(1234.9), 1234);
}

/* A normal can draw below 0, lognormal and exp far beyond the clock. */
static void test_draws_stay_in_range(void **state)
{
    (void)state;
    rng_t r;
    rng_seed(&r, 7);
    const dist_t d[] = {
        {DIST_NORMAL, SIMTIME_MAX_DURATION, SIMTIME_MAX_DURATION, 0},
        {DIST_NORMAL, 0, SIMTIME_MAX_DURATION, 0},
        {DIST_LOGNORMAL, SIMTIME_MAX_DURATION, 0, 100.0},
        {DIST_EXP, SIMTIME_MAX_DURATION, 0, 0},
        {DIST_UNIFORM, 0, SIMTIME_MAX_DURATION, 0},
        {DIST_UNIFORM, SIMTIME_MAX_DURATION, SIMTIME_MAX_DURATION, 0},
    };
    int high = 0;
    for (size_t k = 0; k < sizeof d / sizeof d[0]; k++)
        for (int i = 0; i < 2000; i++) {
            simtime_t x = dist_draw(&d[k], &r);
            if (x < 0 || x > SIMTIME_MAX_DURATION)
                fail_msg("dist %zu drew %lld", k, (long long)x);
            high += x == SIMTIME_MAX_DURATION;
        }
    assert_true(high > 0);                     /* the clamp is reached, not just avoided */
    assert_true(dist_mean(&d[2]) <= SIMTIME_MAX_DURATION);
}

/* Every duration key, and durations inside ops, distributions, arguments
 * and defaults, at INT64_MAX ns: exit 2, naming the --set. */
static const char *const every_key_yaml =
    "duration: 1s\n"
    "python: {gil: per-interpreter}\n"
    "functions:\n"
    "  f:\n"
    "    params: {d: {type: duration, default: 1ms}}\n"
    "    body: [sleep: $d]\n"
    "  co:\n"
    "    async: true\n"
    "    body: [{await: {sleep: 1ms}}, {await: {io: 1ms}}]\n"
    "processes:\n"
    "  - main:\n"
    "      - call: f\n"
    "        args: [2ms]\n"
    "      - asyncio_run: co\n"
    "    threads:\n"
    "      - switch_interval: 5ms\n"
    "        program: [cpu: 1ms, sleep: 1ms, io: 1ms, native: 1ms, hold: 1ms]\n";

static void test_every_duration_key_rejects_int64_max(void **state)
{
    (void)state;
    static const char *const keys[] = {
        "duration", "os.sched_latency", "os.min_granularity", "os.context_switch",
        "os.timer_slack", "os.wake_latency", "os.wakeup_granularity", "os.migration",
        "python.switch_interval", "python.checkpoint_gap", "python.switch_cost",
        "python.opcode_time", "python.old_signal", "python.old_contention",
        "python.old_window", "python.stw_interval", "python.stw_pause",
        "python.thread_start", "python.pickle",
        "multiprocessing.fork_parent", "multiprocessing.fork_child",
        "multiprocessing.spawn_parent", "multiprocessing.spawn_child",
        "asyncio.loop_iteration", "asyncio.task_step", "asyncio.create_task",
        "processes.0.threads.0.switch_interval",
        "processes.0.threads.0.program.0.cpu", "processes.0.threads.0.program.1.sleep",
        "processes.0.threads.0.program.2.io", "processes.0.threads.0.program.3.native",
        "processes.0.threads.0.program.4.hold", "processes.0.main.0.args.0",
        "functions.f.params.d.default", "functions.co.body.0.await.sleep",
        "functions.co.body.1.await.io",
    };
    static const char *const values[] = {
        HUGE, "uniform(0ns, " HUGE ")", "normal(" HUGE ", 1ms)", "normal(1ms, " HUGE ")",
        "exp(" HUGE ")", "lognormal(" HUGE ", 0.5)",
    };
    char args[512], err[4096], want[300];
    assert_int_equal(gilsim_run(every_key_yaml, "", err, sizeof err), 0);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        /* distributions where a distribution is allowed */
        int ndist = !strcmp(keys[i], "os.wake_latency") || strstr(keys[i], "program.") ||
                    strstr(keys[i], "args.") || strstr(keys[i], "default") ||
                    strstr(keys[i], "await.") ? 6 : 1;
        for (int v = 0; v < ndist; v++) {
            snprintf(args, sizeof args, "--set '%s=%s'", keys[i], values[v]);
            int rc = gilsim_run(every_key_yaml, args, err, sizeof err);
            snprintf(want, sizeof want, "--set '%s=", keys[i]);
            if (rc != 2 || !strstr(err, want) || !strstr(err, "too large"))
                fail_msg("%s: exit %d, %s", args, rc, err);
        }
    }
}

/* The largest legal values run to the end of the run, never past it. */
static void run_to(const char *yaml, char *const *sets, int nsets, simtime_t end)
{
    run_t *r = run_yaml_sets(yaml, sets, nsets);
    if (r->sim.end != end)
        fail_msg("ended at %lld, expected %lld", (long long)r->sim.end, (long long)end);
    run_free(r);
}

static void test_max_durations_run(void **state)
{
    (void)state;
    run_to("duration: 10s\nprocesses:\n  - threads:\n      - program: [sleep: " MAXD "]\n",
           NULL, 0, SEC(10));
    run_to("duration: 1s\nprocesses:\n  - threads:\n      - program: [cpu: " MAXD "]\n",
           NULL, 0, SEC(1));
    char *si[] = {"python.switch_interval=" MAXD};
    run_to("duration: 1s\nprocesses:\n  - threads:\n      - count: 2\n"
           "        program: [cpu: 10ms, cpu: " MAXD "]\n", si, 1, SEC(1));
    run_to("duration: 100ms\nprocesses:\n  - threads:\n      - count: 3\n        program:\n"
           "          - repeat: 5\n            do:\n"
           "              - cpu: uniform(0ns, " MAXD ")\n"
           "              - sleep: normal(" MAXD ", " MAXD ")\n"
           "              - io: exp(" MAXD ")\n"
           "              - native: lognormal(" MAXD ", 100)\n", NULL, 0, MS(100));
    run_to("duration: " MAXD "\nprocesses:\n  - threads:\n      - program: [sleep: " MAXD
           ", cpu: 1ms]\n", NULL, 0, SIMTIME_MAX_DURATION);
}

/* Every os. and python. duration at the maximum at once, per GIL policy. */
static void test_max_costs_run(void **state)
{
    (void)state;
    static const char *const yaml =
        "duration: 50ms\nmachine: {cores: 2}\n"
        "processes:\n  - threads:\n      - count: 3\n"
        "        program:\n          - repeat: forever\n"
        "            do: [cpu: 1ms, sleep: 1ms, cpu: 1ms, io: 1ms, native: 1ms]\n";
    char *sets[] = {
        "os.sched_latency=" MAXD, "os.min_granularity=" MAXD, "os.context_switch=" MAXD,
        "os.timer_slack=" MAXD, "os.wake_latency=lognormal(" MAXD ", 50)",
        "os.wakeup_granularity=" MAXD, "os.migration=" MAXD, "python.switch_cost=" MAXD,
        "python.opcode_time=" MAXD, "python.check_interval=1000", "python.old_signal=" MAXD,
        "python.old_contention=" MAXD, "python.old_window=" MAXD,
        "python.stw_interval=" MAXD, "python.stw_pause=" MAXD, "python.thread_start=" MAXD,
        "python.gil=new",
    };
    int n = sizeof sets / sizeof sets[0];
    run_to(yaml, sets, n, MS(50));
    sets[n - 1] = "python.gil=old";
    run_to(yaml, sets, n, MS(50));
    sets[n - 1] = "python.gil=none";
    run_to(yaml, sets, n, MS(50));
    /* each alone too: together, the first stops the others from mattering */
    for (int i = 0; i < n - 1; i++) {
        char *one[] = {sets[i], "python.gil=old"};
        run_to(yaml, one, 2, MS(50));
        one[1] = "python.gil=none";
        run_to(yaml, one, 2, MS(50));
        run_to(yaml, one, 1, MS(50));
    }
}

/* Without a duration, times that add up past int64 saturate: the run ends
 * (at the end of time) instead of wrapping or spinning. */
static void test_sums_past_int64_end(void **state)
{
    (void)state;
    run_t *r = run_yaml("processes:\n  - threads:\n      - program:\n"
                        "          - repeat: 20\n            do: [sleep: " MAXD ", cpu: " MAXD "]\n");
    assert_true(r->sim.end >= SEC(9000000000LL));
    run_free(r);
    /* the same far in: a large stw interval and sleeps */
    char *sets[] = {"python.gil=none", "python.stw_interval=" MAXD};
    r = run_yaml_sets("processes:\n  - threads:\n      - count: 2\n        program:\n"
                      "          - repeat: 12\n            do: [sleep: " MAXD ", cpu: 1ms]\n",
                      sets, 2);
    run_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saturating_helpers),
        cmocka_unit_test(test_draws_stay_in_range),
        cmocka_unit_test(test_every_duration_key_rejects_int64_max),
        cmocka_unit_test(test_max_durations_run),
        cmocka_unit_test(test_max_costs_run),
        cmocka_unit_test(test_sums_past_int64_end),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
