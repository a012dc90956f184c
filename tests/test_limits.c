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
#include "clilib.h"
#include "engine/engine.h"
#include "rng.h"
#include "caps.h"

#define MAXD SIMTIME_MAX_TEXT               /* the largest duration a config may give */
#define HUGE "9223372036854775807ns"        /* INT64_MAX ns: one too many */

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return tmp_make(tmpdir, sizeof tmpdir, "limits");
}

static int teardown(void **state)
{
    (void)state;
    return tmp_remove(tmpdir);
}

/* Runs `gilsim run CFG -q -o DIR ARGS`; returns the exit status, stderr in err. */
static int gilsim_run(const char *yaml, const char *args, char *err, size_t errsize)
{
    char cfg[300], errp[300], cmd[4096];
    snprintf(cfg, sizeof cfg, "%s/cfg.yaml", tmpdir);
    snprintf(errp, sizeof errp, "%s/stderr", tmpdir);
    put_file(cfg, yaml);
    snprintf(cmd, sizeof cmd, "%s run '%s' -q -o '%s/out' %s >/dev/null 2>'%s'", gilsim_bin(), cfg,
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
        "asyncio.select_poll", "python.finalize",
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
    char set[512], err[CFG_ERR_MAX], want[300];
    config_t cfg;
    assert_int_equal(cfg_load_string("cfg.yaml", every_key_yaml, NULL, 0, &cfg, err), 0);
    cfg_free(&cfg);
    /* in the library, as the command loads it: every key */
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        /* distributions where a distribution is allowed */
        int ndist = !strcmp(keys[i], "os.wake_latency") || strstr(keys[i], "program.") ||
                    strstr(keys[i], "args.") || strstr(keys[i], "default") ||
                    strstr(keys[i], "await.") ? 6 : 1;
        for (int v = 0; v < ndist; v++) {
            snprintf(set, sizeof set, "%s=%s", keys[i], values[v]);
            char *sets[] = {set};
            snprintf(want, sizeof want, "--set '%s=", keys[i]);
            if (cfg_load_string("cfg.yaml", every_key_yaml, sets, 1, &cfg, err) != -1 ||
                !strstr(err, want) || !strstr(err, "too large"))
                fail_msg("%s: %s", set, err);
        }
    }
    /* through the command: exit 2 */
    static const char *const cli[] = {"python.switch_interval", "os.context_switch",
                                      "processes.0.threads.0.program.1.sleep"};
    for (size_t i = 0; i < sizeof cli / sizeof cli[0]; i++) {
        snprintf(set, sizeof set, "--set '%s=" HUGE "'", cli[i]);
        snprintf(want, sizeof want, "--set '%s=" HUGE "': duration '" HUGE "' is too large",
                 cli[i]);
        int rc = gilsim_run(every_key_yaml, set, err, sizeof err);
        if (rc != 2 || !strstr(err, want))
            fail_msg("%s: exit %d, %s", set, rc, err);
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

/* ---- B. caps on what a program creates, failures without exit --------- */

/* Runs yaml in the library with caps lowered to `cap` (sim_opts_t.caps):
 * sim_run must fail with SIM_ERR_USER and want in the message; sim_free
 * then frees everything made so far (the sanitized build checks leaks). */
static void run_capped(const char *yaml, int cap, const char *want)
{
    config_t cfg;
    sim_t sim;
    char err[CFG_ERR_MAX];
    if (cfg_load_string("cfg.yaml", yaml, NULL, 0, &cfg, err) != 0)
        fail_msg("config error: %s", err);
    sim_opts_t o = {.caps = {cap, cap, cap, cap}};
    assert_int_equal(sim_build(&sim, &cfg, &o), SIM_OK);
    int rc = sim_run(&sim);
    const char *v = sim_violation(&sim);
    if (rc != SIM_ERR_USER || !v || !strstr(v, want))
        fail_msg("returned %d, %s (wanted '%s')", rc, v ? v : "no message", want);
    sim_free(&sim);
    cfg_free(&cfg);
}

#define THREAD_LOOP "duration: 100s\nfunctions:\n  w:\n    body: [cpu: 1us]\n" \
    "processes:\n  - main:\n      - repeat: forever\n        do:\n          - start: w\n"
#define PROCESS_LOOP "duration: 1000s\nfunctions:\n  w:\n    body: [cpu: 1us]\n" \
    "processes:\n  - main:\n      - repeat: forever\n        do:\n          - process: w\n"
#define TASK_LOOP "duration: 100s\nfunctions:\n  t:\n    async: true\n" \
    "    body: [{await: {sleep: 1us}}]\n  m:\n    async: true\n    body:\n" \
    "      - repeat: forever\n        do:\n          - create_task: t\n" \
    "          - await: {sleep: 1us}\nprocesses:\n  - main: [asyncio_run: m]\n"
#define FUTURE_LOOP "duration: 1000s\nfunctions:\n  w:\n    body: [cpu: 1us]\n" \
    "processes:\n  - main:\n      - with_pool: thread\n        max_workers: 2\n" \
    "        do:\n          - repeat: forever\n            do:\n              - submit: w\n"

/* A loop that creates things for ever stops at the cap with the creating
 * op's place. */
static void test_creation_loops_stop_at_the_cap(void **state)
{
    (void)state;
    run_capped(THREAD_LOOP, 300, "cfg.yaml:9:13: the program creates more than 300 threads (start)");
    run_capped(PROCESS_LOOP, 300,
               "cfg.yaml:9:13: the program creates more than 300 processes (process)");
    run_capped(TASK_LOOP, 300,
               "cfg.yaml:11:13: the program creates more than 300 asyncio tasks (create_task)");
    run_capped(FUTURE_LOOP, 300, "cfg.yaml:12:17: the program creates more than 300 futures (submit)");
    /* one op creating many at once: tasks for a gather, a process pool's workers */
    run_capped("functions:\n  t:\n    async: true\n    body: [{await: {sleep: 1us}}]\n"
               "  m:\n    async: true\n    body:\n      - create_task: t\n        count: 1000\n"
               "        as: ts\n      - await: {gather: ts}\n"
               "processes:\n  - main: [asyncio_run: m]\n", 300,
               "cfg.yaml:8:9: the program creates more than 300 asyncio tasks (create_task)");
    run_capped("machine: {cores: 8}\nfunctions:\n  w:\n    body: [cpu: 1us]\n"
               "processes:\n  - main:\n      - with_pool: process\n        max_workers: 8\n"
               "        do:\n          - submit: w\n            count: 100\n", 4,
               "cfg.yaml:10:13: the program creates more than 4 processes (submit)");
}

/* The real caps (caps.h), through the command: exit 2 and the message.
 * The thread cap's value is checked where a config declares too many
 * (tests/bad/too_many_threads.yaml); reaching it at run time is the same
 * check as above with small caps, and would build 1.6 GB of threads. */
static void test_real_caps(void **state)
{
    (void)state;
    char err[4096];
    int rc = gilsim_run(FUTURE_LOOP, "--trace none", err, sizeof err);
    if (rc != 2 || !strstr(err, "cfg.yaml:12:17: the program creates more than "
                                CAP_STR(FUTURES_MAX) " futures (submit)"))
        fail_msg("exit %d, stderr: %s", rc, err);
}

typedef struct failed { int calls, what; char msg[128]; } failed_t;

static void on_fail(void *ctx, int what, const char *msg)
{
    failed_t *f = ctx;
    f->calls++;
    f->what = what;
    snprintf(f->msg, sizeof f->msg, "%s", msg);
}

static void tick(void *obj, uint64_t arg)
{
    engine_t *e = obj;
    (void)arg;
    eng_at(e, eng_now(e) - 1, tick, e, 0);     /* the past: a bug, reported */
}

/* Scheduling in the past calls the engine's failure callback (no abort):
 * the event is dropped and eng_run stops. */
static void test_engine_failure_callback(void **state)
{
    (void)state;
    engine_t e;
    failed_t f = {0};
    eng_init(&e);
    e.fail = on_fail;
    e.fail_ctx = &f;
    eng_at(&e, 10, tick, &e, 0);
    eng_at(&e, 20, tick, &e, 0);
    assert_int_equal(eng_run(&e, 100), 1);     /* stopped after the failing event */
    assert_int_equal(f.calls, 1);
    assert_int_equal(f.what, ENG_FAIL_PAST);
    assert_non_null(strstr(f.msg, "event scheduled in the past (9 < 10)"));
    assert_int_equal(eng_pending(&e), 1);      /* the bad event was not queued */
    /* without a callback: no exit either, the engine only stops */
    e.fail = NULL;
    assert_int_equal(eng_run(&e, 100), 1);
    assert_int_equal(e.failed, ENG_FAIL_PAST + 1);
    assert_int_equal(eng_pending(&e), 0);
    eng_free(&e);
}

/* Out of memory at every allocation in turn, while threads, processes,
 * pools, futures, tasks, wait lists, blocking-extra bins and marks are
 * being made: sim_build or sim_run returns SIM_ERR_NOMEM with what was
 * running, and sim_free frees what was made (the sanitized build checks
 * for leaks). */
static void test_out_of_memory_anywhere(void **state)
{
    (void)state;
    static const char *const yaml =
        "duration: 1s\nmachine: {cores: 2}\n"
        "objects:\n  - {name: ev, kind: event}\n"
        "functions:\n  w:\n    params: {d: duration}\n    body: [cpu: $d]\n"
        "  t:\n    async: true\n    body: [{await: {sleep: 1ms}}]\n"
        "  m:\n    async: true\n    body:\n      - create_task: t\n        count: 3\n"
        "        as: ts\n      - await: {gather: ts}\n"
        "  waiter:\n    body: [event_wait: ev]\n"
        "processes:\n  - name: app\n    count: 2\n    main:\n"
        "      - start: waiter\n        count: 2\n        as: ws\n"
        "      - with_pool: thread\n        max_workers: 2\n        do:\n"
        "          - map: w\n            over: [1ms, 2ms, 3ms]\n"
        "      - with_pool: process\n        max_workers: 2\n        do:\n"
        "          - submit: w\n            args: [1ms]\n            count: 3\n            as: fs\n"
        "          - as_completed: fs\n"
        "      - process: w\n        args: [1ms]\n        as: ps\n      - join: ps\n"
        "      - asyncio_run: m\n      - event_set: ev\n      - join: ws\n      - mark: done\n"
        "    threads:\n      - name: worker\n        count: 3\n        program: [cpu: 1ms]\n";
    config_t cfg;
    char err[CFG_ERR_MAX];
    if (cfg_load_string("cfg.yaml", yaml, NULL, 0, &cfg, err) != 0)
        fail_msg("%s", err);
    int failed = 0, ran = 0;
    for (int64_t n = 1; n < 2000 && !ran; n++) {
        sim_t sim;
        sim_opts_t o = {.alloc_limit = n, .check_invariants = 1};
        int rc = sim_build(&sim, &cfg, &o);
        if (rc == SIM_OK)
            rc = sim_run(&sim);
        if (rc == SIM_OK) {
            ran = 1;
        } else {
            const char *v = sim_violation(&sim);
            if (rc != SIM_ERR_NOMEM || !v || !strstr(v, "cfg.yaml: out of memory at "))
                fail_msg("limit %lld: returned %d, %s", (long long)n, rc, v ? v : "no message");
            failed++;
        }
        sim_free(&sim);
    }
    assert_true(ran);                /* enough allocations: the run completes */
    assert_true(failed > 100);       /* and every one before it failed cleanly */
    cfg_free(&cfg);
}

/* ---- C. names ---------------------------------------------------------- */

#define N128 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn" \
             "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"

static void load_fails_with(const char *yaml, char *set, const char *want)
{
    config_t cfg;
    char err[CFG_ERR_MAX];
    char *sets[] = {set};
    if (cfg_load_string("cfg.yaml", yaml, sets, set ? 1 : 0, &cfg, err) != -1) {
        cfg_free(&cfg);
        fail_msg("loaded; wanted '%s'", want);
    }
    if (!strstr(err, want))
        fail_msg("got '%s', wanted '%s'", err, want);
}

/* libyaml checks a file's text; --set values reach names unchecked by it. */
static void test_set_names_are_checked(void **state)
{
    (void)state;
    static const char *const yaml =
        "functions:\n  w:\n    body: [cpu: 1ms]\n"
        "processes:\n  - main:\n      - start: w\n        as: ts\n        name: x\n"
        "    threads:\n      - program: [cpu: 1ms]\n";
    /* (libyaml refuses to store them: either way, not UTF-8 is an error) */
    load_fails_with(yaml, "processes.0.name=a\xff" "b", "--set 'processes.0.name=a\xff" "b': ");
    load_fails_with(yaml, "name=\xc3\xa9\xc0\xaf", "UTF-8");            /* an overlong '/' */
    load_fails_with(yaml, "processes.0.threads.0.name=\xed\xa0\x80", "UTF-8");   /* a surrogate */
    load_fails_with(yaml, "processes.0.main.0.name=\xf4\x90\x80\x80", "UTF-8"); /* > U+10FFFF */
    load_fails_with(yaml, "processes.0.threads.0.name=" N128 "x",
                    "a name is at most 128 bytes long, got 129");
    load_fails_with(yaml, "processes.0.main.0.as=" N128 "x",
                    "a handle name is at most 128 bytes long, got 129");
    /* the longest name, and any UTF-8 */
    config_t cfg;
    char err[CFG_ERR_MAX];
    char *sets[] = {"name=" N128, "processes.0.threads.0.name=\xc3\xa9t\xc3\xa9 \xf0\x9f\x90\x8d"};
    if (cfg_load_string("cfg.yaml", yaml, sets, 2, &cfg, err) != 0)
        fail_msg("%s", err);
    assert_int_equal(strlen(cfg.name), NAME_MAX_BYTES);
    cfg_free(&cfg);
}

/* The default name comes from the file's name, which may be any bytes. */
static void test_default_name_is_a_valid_name(void **state)
{
    (void)state;
    static const struct { const char *file, *name; } cases[] = {
        {"b\xff" "ad\xc3.yaml", "b?ad?"},
        {"caf\xc3\xa9.yaml", "caf\xc3\xa9"},
        {N128 "tail.yaml", N128},
        /* a character that would straddle the cut goes whole */
        {N128 "\xc3\xa9.yaml", N128},
    };
    char path[600], err[CFG_ERR_MAX];
    char shifted[300];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tmpdir, cases[i].file);
        put_file(path, "processes:\n  - main: [cpu: 1ms]\n");
        config_t cfg;
        if (cfg_load(path, NULL, 0, &cfg, err) != 0)
            fail_msg("%s", err);
        assert_string_equal(cfg.name, cases[i].name);
        cfg_free(&cfg);
        remove(path);
    }
    /* one byte shorter: the two-byte character ends exactly at the cut */
    snprintf(shifted, sizeof shifted, "%.127s\xc3\xa9", N128);
    snprintf(path, sizeof path, "%s/%s.yaml", tmpdir, shifted);
    put_file(path, "processes:\n  - main: [cpu: 1ms]\n");
    config_t cfg;
    assert_int_equal(cfg_load(path, NULL, 0, &cfg, err), 0);
    assert_int_equal(strlen(cfg.name), 127);
    cfg_free(&cfg);
    remove(path);
}

/* Names built from a long name ("name-999") are whole: never cut. */
static void test_long_names_are_whole(void **state)
{
    (void)state;
    run_t *r = run_yaml("functions:\n  w:\n    body: [cpu: 1us]\n"
                        "processes:\n  - name: " N128 "\n    count: 2\n    main:\n"
                        "      - start: w\n        count: 12\n        name: " N128 "\n"
                        "    threads:\n      - name: " N128 "\n        count: 1000\n"
                        "        program: [cpu: 1us]\n");
    assert_string_equal(r->sim.procs[1]->name, N128 "-1");
    int whole = 0;
    for (int i = 0; i < r->sim.nthreads; i++) {
        const char *n = r->sim.threads[i]->name;
        whole += !strcmp(n, N128 "-999") || !strcmp(n, N128 "-11");
    }
    assert_int_equal(whole, 6);              /* the group's -11 and -999, the start's -11, twice */
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
        cmocka_unit_test(test_creation_loops_stop_at_the_cap),
        cmocka_unit_test(test_real_caps),
        cmocka_unit_test(test_engine_failure_callback),
        cmocka_unit_test(test_out_of_memory_anywhere),
        cmocka_unit_test(test_set_names_are_checked),
        cmocka_unit_test(test_default_name_is_a_valid_name),
        cmocka_unit_test(test_long_names_are_whole),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
