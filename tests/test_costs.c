/* test_costs.c — costs that grow and distributions that are real (issue
 * 14, part B): the timer slack's expiry, thread start costs that grow with
 * the live threads, spawn re-imports, and bytecode warm-up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "testlib.h"
#include "os/hrtimer.h"

/* ---- timer slack (os/hrtimer.c) ---------------------------------------- */

struct timer_bench {
    config_t cfg;
    engine_t eng;
    os_core_t cores[2];
    os_t os;
};

static void timer_bench_init(struct timer_bench *b)
{
    memset(b, 0, sizeof *b);
    b->cfg.os.timer_slack = US(50);
    b->cfg.os.tick = MS(4);
    b->os.cfg = &b->cfg;
    b->os.eng = &b->eng;
    b->os.cores = b->cores;
    b->os.ncores = 2;
    rq_init(&b->os.rq, b->cores, 2, 1);
}

/* An idle core has no tick: a 1 ms timer fires the full slack late, from
 * whatever moment it is armed. */
static void test_idle_core_timer_fires_at_the_full_slack(void **state)
{
    (void)state;
    struct timer_bench b;
    timer_bench_init(&b);
    for (simtime_t now = 0; now < MS(8); now += US(7)) {
        b.eng.now = now;
        assert_int_equal(os_timer_delay(&b.os, 0, MS(1)), MS(1) + US(50));
    }
}

/* A busy core's tick ends the timer early when it falls inside the slack
 * range [deadline, deadline + slack]: at that tick, never before the
 * deadline; elsewhere the timer still waits the full slack.  Over every
 * phase, the share that ends early is slack / tick. */
static void test_busy_core_tick_ends_the_timer_early_inside_its_range(void **state)
{
    (void)state;
    struct timer_bench b;
    timer_bench_init(&b);
    os_thread_t other = { 0 };
    b.cores[1].cur = &other;
    b.eng.now = MS(3) - US(20);             /* deadline 20 us before the 4 ms tick */
    assert_int_equal(os_timer_delay(&b.os, 1, MS(1)), MS(1) + US(20));
    assert_int_equal(os_timer_delay(&b.os, 0, MS(1)), MS(1) + US(50));   /* core 0 idle */
    b.eng.now = MS(3);                      /* deadline on the tick: on time */
    assert_int_equal(os_timer_delay(&b.os, 1, MS(1)), MS(1));
    int early = 0, phases = 0;
    for (simtime_t now = 0; now < MS(4); now += US(1), phases++) {
        b.eng.now = now;
        simtime_t d = os_timer_delay(&b.os, 1, MS(1));
        assert_true(d >= MS(1) && d <= MS(1) + US(50));
        early += d < MS(1) + US(50);
    }
    assert_int_equal(early, 50);            /* deadlines 1..50 us before a tick */
    b.cfg.os.tick = 0;                      /* no tick: the full slack again */
    b.eng.now = MS(3) - US(20);
    assert_int_equal(os_timer_delay(&b.os, 1, MS(1)), MS(1) + US(50));
}

/* A core with nothing on it is still busy when a queued thread may run
 * there (the scheduler gives it the core): a thread pinned to another core
 * does not make it so. */
static void test_queued_thread_makes_a_core_busy_only_where_it_may_run(void **state)
{
    (void)state;
    struct timer_bench b;
    timer_bench_init(&b);
    os_thread_t queued = {.target = -1, .affinity = 1u << 0};   /* core 0 only */
    assert_int_equal(rq_reserve(&b.os.rq, 1), 0);
    rq_push(&b.os.rq, &queued);
    b.eng.now = MS(3) - US(20);             /* deadline 20 us before the 4 ms tick */
    assert_int_equal(os_timer_delay(&b.os, 0, MS(1)), MS(1) + US(20));
    assert_int_equal(os_timer_delay(&b.os, 1, MS(1)), MS(1) + US(50));
    rq_remove(&b.os.rq, &queued);
    queued.affinity = 0;                    /* any core */
    rq_push(&b.os.rq, &queued);
    assert_int_equal(os_timer_delay(&b.os, 1, MS(1)), MS(1) + US(20));
    rq_remove(&b.os.rq, &queued);
    queued.target = 0;                      /* its wake-up placed it on core 0's queue */
    rq_push(&b.os.rq, &queued);
    assert_int_equal(os_timer_delay(&b.os, 1, MS(1)), MS(1) + US(50));
    rq_free(&b.os.rq);
}

/* The overshoot of 50 `sleep: 1ms` in a loop of 51, each followed by a
 * mark, in the thread of `yaml` that logs marks (the gap to the first mark
 * also holds the thread's start); their median. */
static simtime_t median_overshoot(const char *yaml, simtime_t lo, simtime_t hi)
{
    run_t *r = run_yaml(yaml);
    simtime_t prev = -1, late[50];
    int marks = 0;
    for (int i = 0; i < r->nlog && marks < 50; i++) {
        if (strcmp(r->log[i].kind, "mark"))
            continue;
        if (prev >= 0) {
            late[marks] = r->log[i].t - prev - MS(1);
            assert_true(late[marks] >= lo && late[marks] < hi);
            marks++;
        }
        prev = r->log[i].t;
    }
    assert_int_equal(marks, 50);
    run_free(r);
    for (int i = 1; i < 50; i++)                /* insertion sort */
        for (int j = i; j > 0 && late[j] < late[j - 1]; j--) {
            simtime_t x = late[j]; late[j] = late[j - 1]; late[j - 1] = x;
        }
    return late[25];
}

/* The timer path of a 2-vCPU KVM guest (the config reference, os.timer_latency). */
#define VM_TIMERS "os: {timer_latency: \"lognormal(45us, 0.1)\",\n" \
                  "     timer_latency_idle: \"lognormal(66us, 0.15)\"}\n"

/* On an otherwise idle machine a 1 ms sleep ends the full slack late plus
 * the idle core's timer latency (66 us median), which also brings the core
 * out of idle: no wake-up latency on top. */
static void test_sleep_on_an_idle_machine_overshoots_by_the_full_slack(void **state)
{
    (void)state;
    simtime_t med = median_overshoot("machine: {cores: 2}\n" VM_TIMERS
                                     "processes:\n"
                                     "  - main: [{repeat: 51, do: [{sleep: 1ms}, {mark: woke}]}]\n",
                                     US(50) + US(30), US(50) + US(150));
    assert_true(med >= US(50) + US(61) && med <= US(50) + US(71));
    /* bare metal (the defaults): the idle core's exit is os.wake_latency's */
    med = median_overshoot("machine: {cores: 2}\n"
                           "processes:\n"
                           "  - main: [{repeat: 51, do: [{sleep: 1ms}, {mark: woke}]}]\n",
                           US(50), US(50) + US(40));
    assert_true(med >= US(50) + US(4) && med <= US(50) + US(9));
    med = median_overshoot("machine: {cores: 2}\n"
                           "os: {wake_latency: 20us}\n"
                           "processes:\n"
                           "  - main: [{repeat: 51, do: [{sleep: 1ms}, {mark: woke}]}]\n",
                           US(50) + US(20), US(50) + US(21));
    assert_int_equal(med, US(50) + US(20));
}

/* A sleep's wait is over when its timer expires: the interrupt's latency
 * that follows counts in the blocking extra, as a wake-up's does. */
static void test_timer_latency_counts_in_the_blocking_extra(void **state)
{
    (void)state;
    run_t *r = run_yaml("machine: {cores: 2}\n"
                        "os: {wake_latency: 20us, timer_slack: 0ns}\n"
                        "processes:\n"
                        "  - main: [{repeat: 5, do: [{sleep: 1ms}]}]\n");
    const thread_t *m = thread_named(r, "MainThread");
    assert_int_equal(m->blocking_extra.count, 5);
    assert_int_equal(m->blocking_extra.max, US(20));
    assert_int_equal(hist_percentile(&m->blocking_extra, 1, 100), US(20));
    run_free(r);
}

/* A core still polling for work (idle for less than os.halt_poll at the
 * expiry) takes a timer's interrupt as a busy core does. */
static void test_short_idle_timer_pays_the_busy_latency(void **state)
{
    (void)state;
    simtime_t med = median_overshoot("machine: {cores: 2}\n"
                                     "os: {timer_latency: 5us, timer_latency_idle: 300us,\n"
                                     "     timer_slack: 0ns, halt_poll: 200us}\n"
                                     "processes:\n"
                                     "  - main: [{repeat: 51, do: [{sleep: 1ms}, {mark: woke}]}]\n",
                                     US(300), US(301));
    assert_int_equal(med, US(300));
    run_t *r = run_yaml("machine: {cores: 2}\n"
                        "os: {timer_latency: 5us, timer_latency_idle: 300us,\n"
                        "     timer_slack: 0ns, halt_poll: 200us}\n"
                        "processes:\n"
                        "  - main: [{mark: start}, {repeat: 5, do: [{sleep: 100us}]}, {mark: done}]\n");
    assert_int_equal(log_time(r, "mark", "done") - log_time(r, "mark", "start"),
                     5 * (US(100) + US(5)));
    run_free(r);
}

/* On a core kept busy by another process's thread, the timer's interrupt
 * comes after the busy core's os.timer_latency (45 us median); the woken
 * sleeper then preempts the spinner (a woken sleeper's vruntime credit). */
static void test_sleep_beside_a_spinner_pays_the_busy_core_timer_latency(void **state)
{
    (void)state;
    simtime_t med = median_overshoot("machine: {cores: 2}\n" VM_TIMERS
                                     "duration: 200ms\n"
                                     "processes:\n"
                                     "  - threads: [{name: s, affinity: [0], program:\n"
                                     "      [{repeat: 51, do: [{sleep: 1ms}, {mark: woke}]}]}]\n"
                                     "  - threads: [{name: spin, affinity: [0], program:\n"
                                     "      [{repeat: forever, do: [{cpu: 1ms}]}]}]\n",
                                     US(50) + US(30), US(50) + US(80));
    assert_true(med >= US(50) + US(40) && med <= US(50) + US(50));
}

/* When b, waiting for the GIL that a holds, first gets it and logs a mark:
 * its timed wait of one 5 ms interval (no slack here), then its timer's
 * interrupt on its idle core (`timer_latency_idle`), the drop request, a's
 * drop at its next check point (at once: a's 100 us ops end there) and 1 us
 * of b's Python. */
static simtime_t first_take(const char *latency)
{
    char yaml[640];
    snprintf(yaml, sizeof yaml,
             "machine: {cores: 2}\n"
             "os: {context_switch: 0ns, timer_slack: 0ns, wake_latency: 0ns, migration: 0ns,\n"
             "     timer_latency_idle: %s}\n"
             "python: {switch_interval: 5ms, switch_cost: 0ns, checkpoint_gap: 1ns}\n"
             "duration: 20ms\n"
             "processes:\n"
             "  - threads:\n"
             "      - {name: a, program: [{repeat: forever, do: [{cpu: 100us}]}]}\n"
             "      - {name: b, program: [{cpu: 1us}, {mark: got}]}\n", latency);
    run_t *r = run_yaml(yaml);
    simtime_t t = log_time(r, "mark", "got");
    run_free(r);
    return t;
}

/* The GIL's timed wait is a timer like a sleep's: its interrupt's latency
 * delays the drop request. */
static void test_gil_timed_wait_pays_the_timer_latency(void **state)
{
    (void)state;
    assert_int_equal(first_take("0ns"), MS(5) + US(1));
    assert_int_equal(first_take("200us"), MS(5) + US(200) + US(1));
}

/* A sleeper whose timer fires on a core that another thread took
 * meanwhile is woken as any thread: onto the idle core (here core 1, free
 * since x ended), after the wake-up latency, not queued behind h. */
static void test_timer_on_a_taken_core_wakes_elsewhere(void **state)
{
    (void)state;
    run_t *r = run_yaml("machine: {cores: 2}\n"
                        "os: {wake_latency: 20us, timer_slack: 0ns, context_switch: 0ns, migration: 0ns}\n"
                        "python: {gil: none, nogil_slowdown: 1.0}\n"
                        "processes:\n"
                        "  - threads:\n"
                        "      - {name: x, affinity: [1], program: [{cpu: 500us}]}\n"
                        "      - {name: s, program: [{cpu: 10us}, {mark: sleeps}, {sleep: 1ms},\n"
                        "                            {mark: woke}]}\n"
                        "      - {name: h, affinity: [0], program: [{sleep: 200us}, {cpu: 5ms}]}\n");
    assert_int_equal(log_time(r, "mark", "woke") - log_time(r, "mark", "sleeps"),
                     MS(1) + US(20));
    assert_int_equal(thread_named(r, "s")->os.last_core, 1);
    run_free(r);
}

/* ---- thread starts (model/life.c) -------------------------------------- */

/* The time main takes to start 50 threads that wait on an event, with
 * each new thread's own bootstrap (python.thread_bootstrap) as given. */
static simtime_t start_50_booting(const char *scan, const char *version, const char *daemon,
                                  const char *boot)
{
    char yaml[512], set_scan[64], set_version[64], set_boot[64];
    snprintf(yaml, sizeof yaml,
             "machine: {cores: 2}\n"
             "python: {switch_cost: 0us}\n"
             "objects: [{name: go, kind: event}]\n"
             "functions:\n"
             "  waiter: {body: [{event_wait: go}]}\n"
             "processes:\n"
             "  - main:\n"
             "      - {start: waiter, count: 50, as: ts, daemon: %s}\n"
             "      - mark: started\n"
             "      - event_set: go\n"
             "      - join: ts\n", daemon);
    snprintf(set_scan, sizeof set_scan, "python.shutdown_scan=%s", scan);
    snprintf(set_version, sizeof set_version, "python.version=%s", version);
    snprintf(set_boot, sizeof set_boot, "python.thread_bootstrap=%s", boot);
    char *sets[] = { set_scan, set_version, set_boot };
    run_t *r = run_yaml_sets(yaml, sets, 3);
    simtime_t t = log_time(r, "mark", "started");
    run_free(r);
    return t;
}

static simtime_t start_50(const char *scan, const char *version, const char *daemon)
{
    return start_50_booting(scan, version, daemon, "0ns");
}

/* Thread.start() returns once the new thread has run its bootstrap to
 * `_started.set()`, GIL held: 50 starts wait 50 bootstraps, daemon or not,
 * in every version. */
static void test_thread_start_waits_for_the_new_threads_bootstrap(void **state)
{
    (void)state;
    const char *versions[] = {"3.9", "3.11", "3.13"};
    for (int i = 0; i < 3; i++)
        for (int daemon = 0; daemon < 2; daemon++) {
            const char *d = daemon ? "true" : "false";
            assert_int_equal(start_50_booting("0ns", versions[i], d, "100us")
                             - start_50_booting("0ns", versions[i], d, "0ns"), 50 * US(100));
        }
}

/* The bootstrap is the new thread's own Python time, not its starter's. */
static void test_the_bootstrap_is_the_new_threads_cpu(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 2}\n"
        "functions: {f: {body: [{cpu: 1us}]}}\n"
        "processes:\n"
        "  - main:\n"
        "      - {start: f, name: child, as: c}\n"
        "      - join: c\n";
    simtime_t child[2], main_py[2];
    for (int i = 0; i < 2; i++) {
        char set[64];
        snprintf(set, sizeof set, "python.thread_bootstrap=%s", i ? "100us" : "0ns");
        char *sets[] = { set };
        run_t *r = run_yaml_sets(yaml, sets, 1);
        child[i] = thread_named(r, "child")->state_time[TS_PY];
        main_py[i] = thread_named(r, "MainThread")->state_time[TS_PY];
        run_free(r);
    }
    assert_int_equal(child[1] - child[0], US(100));
    assert_int_equal(main_py[1], main_py[0]);
}

/* When the mark `submitted` comes in the config with one --set. */
static simtime_t submitted_at(const char *yaml, const char *set)
{
    char *sets[] = { (char *)set };
    run_t *r = run_yaml_sets(yaml, sets, 1);
    simtime_t t = log_time(r, "mark", "submitted");
    run_free(r);
    return t;
}

/* A thread pool's first submit waits for its new worker's bootstrap too:
 * the submitter goes on that much later. */
static void test_pool_worker_start_waits_for_its_bootstrap(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 2}\n"
        "python: {switch_cost: 0us}\n"
        "functions: {f: {body: [{cpu: 1ms}]}}\n"
        "processes:\n"
        "  - main:\n"
        "      - with_pool: thread\n"
        "        max_workers: 1\n"
        "        do:\n"
        "          - submit: f\n"
        "          - mark: submitted\n";
    assert_int_equal(submitted_at(yaml, "python.thread_bootstrap=250us")
                     - submitted_at(yaml, "python.thread_bootstrap=0ns"), US(250));
}

/* In 3.10-3.12 a pool's worker is a non-daemon thread (3.9+), and its
 * bootstrap scans the shutdown locks too: after 20 started threads, the
 * worker scans 21 (main's and theirs), on top of the starts' 1 + ... + 20. */
static void test_pool_worker_scans_the_shutdown_locks(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 2}\n"
        "python: {switch_cost: 0us, version: \"3.11\"}\n"
        "objects: [{name: go, kind: event}]\n"
        "functions: {f: {body: [{cpu: 1ms}]}, waiter: {body: [{event_wait: go}]}}\n"
        "processes:\n"
        "  - main:\n"
        "      - {start: waiter, count: 20, as: ts}\n"
        "      - with_pool: thread\n"
        "        max_workers: 1\n"
        "        do:\n"
        "          - submit: f\n"
        "          - mark: submitted\n"
        "      - event_set: go\n"
        "      - join: ts\n";
    assert_int_equal(submitted_at(yaml, "python.shutdown_scan=1us")
                     - submitted_at(yaml, "python.shutdown_scan=0ns"), US(20 * 21 / 2 + 21));
}

/* In 3.10-3.12 the k-th non-daemon thread's bootstrap scans the shutdown
 * locks of the k live non-daemon threads (main and the k-1 before it)
 * before Thread.start() may return: 50 starts cost 1 + 2 + ... + 50 scans
 * more, serially.  Daemon threads and 3.13 do no scan. */
static void test_thread_starts_grow_with_the_live_threads(void **state)
{
    (void)state;
    simtime_t none = start_50("0ns", "3.11", "false");
    assert_int_equal(start_50("1us", "3.11", "false") - none, 50 * 51 / 2 * US(1));
    assert_int_equal(start_50("1us", "3.12", "false") - none, 50 * 51 / 2 * US(1));
    assert_int_equal(start_50("1us", "3.13", "false"), start_50("0ns", "3.13", "false"));
    assert_int_equal(start_50("1us", "3.9", "false"), start_50("0ns", "3.9", "false"));
    assert_int_equal(start_50("1us", "3.11", "true"), start_50("0ns", "3.11", "true"));
    assert_true(none > 50 * US(150));                /* python.thread_start each */
}

/* ---- spawn re-imports (include/imports.def) ---------------------------- */

/* A main thread that starts one child process running a 1 us function and
 * joins it: the run lasts the parent's cost, the child's start-up, and the
 * child's imports. */
static simtime_t spawn_run(const char *method, const char *imports)
{
    char yaml[512], set_method[64];
    snprintf(yaml, sizeof yaml,
             "machine: {cores: 2}\n"
             "python: {imports: %s}\n"
             "functions:\n"
             "  noop: {body: [{cpu: 1us}]}\n"
             "processes:\n"
             "  - main: [{process: noop, as: ps}, {join: ps}]\n", imports);
    snprintf(set_method, sizeof set_method, "multiprocessing.start_method=%s", method);
    char *sets[] = { set_method };
    run_t *r = run_yaml_sets(yaml, sets, 1);
    simtime_t end = r->sim.end;
    run_free(r);
    return end;
}

/* A spawned child pays the table's cost of what __main__ imports, each
 * module of the closure once (asyncio imports concurrent.futures); a
 * forked child pays none of it. */
static void test_spawn_pays_the_imports_and_fork_does_not(void **state)
{
    (void)state;
    simtime_t bare = spawn_run("spawn", "[]");
    simtime_t both = spawn_run("spawn", "[asyncio, concurrent.futures]");
    simtime_t aio = spawn_run("spawn", "[asyncio]");
    simtime_t cf = spawn_run("spawn", "[concurrent.futures]");
    assert_int_equal(both - bare, US(39100) + US(9900));
    assert_int_equal(aio, both);                     /* concurrent.futures comes with it */
    assert_int_equal(cf - bare, US(9900));
    assert_int_equal(spawn_run("spawn", "[threading, json]") - bare, US(2200));
    assert_int_equal(spawn_run("fork", "[asyncio, concurrent.futures]"), spawn_run("fork", "[]"));
}

/* An unknown module is a config error at its place, with a suggestion. */
static void test_unknown_import_is_an_error_at_its_line(void **state)
{
    (void)state;
    config_t c;
    char err[CFG_ERR_MAX];
    const char *yaml = "python:\n"
                       "  imports: [asyncio, concurrent.future]\n"
                       "processes:\n"
                       "  - main: [{cpu: 1ms}]\n";
    assert_int_equal(cfg_load_string("t.yaml", yaml, NULL, 0, &c, err), -1);
    assert_string_equal(err, "t.yaml:2:22: unknown module 'concurrent.future' "
                             "(did you mean 'concurrent.futures'?)");
    assert_int_equal(cfg_load_string("t.yaml", "python: {imports: asyncio}\n"
                                     "processes: [{main: [{cpu: 1ms}]}]\n", NULL, 0, &c, err), -1);
    assert_non_null(strstr(err, "t.yaml:1:19: expected a list of module names"));
}

/* ---- warm-up (model/warmup.c) ------------------------------------------ */

/* The durations of 10 calls of a function doing 1 ms of cpu (each up to a
 * few us late when the OS hands main's core to the other process), and
 * when 10 threads of another process, each running a 1 ms target, are all
 * done (the GIL serialises them). */
static void warmup_run(const char *specialize, const char *version, simtime_t calls[10],
                       simtime_t *threads_end)
{
    char set_spec[64], set_version[64];
    snprintf(set_spec, sizeof set_spec, "python.specialize=%s", specialize);
    snprintf(set_version, sizeof set_version, "python.version=%s", version);
    char *sets[] = { set_spec, set_version };
    run_t *r = run_yaml_sets("machine: {cores: 2}\n"
                             "functions:\n"
                             "  loop: {body: [{cpu: 1ms}]}\n"
                             "processes:\n"
                             "  - main:\n"
                             "      - repeat: 10\n"
                             "        do: [{call: loop}, {mark: call}]\n"
                             "  - threads: [{count: 10, program: [{cpu: 1ms}]}]\n", sets, 2);
    simtime_t prev = 0;
    int k = 0;
    for (int i = 0; i < r->nlog && k < 10; i++)
        if (!strcmp(r->log[i].kind, "mark")) {
            calls[k++] = r->log[i].t - prev;
            prev = r->log[i].t;
        }
    assert_int_equal(k, 10);
    *threads_end = r->sim.procs[1]->finish;
    run_free(r);
}

/* 3.11: the first 7 calls of a function run unspecialised, 2.1 times
 * slower; from the 8th, specialised.  Each thread calls its target once:
 * the first 7 threads' targets are slow.  3.12 specialises from the first
 * call; off (3.11, or 3.10, which has nothing to specialise: test_config
 * checks that `specialize: true` is refused there), nothing changes. */
static void test_warmup_slows_the_first_calls_when_on(void **state)
{
    (void)state;
    simtime_t calls[10], end;
    warmup_run("true", "3.11", calls, &end);
    assert_in_range(calls[0], US(2100), US(2100) + US(50));   /* from the run's start */
    for (int k = 1; k < 10; k++)
        assert_in_range(calls[k], k < 7 ? US(2100) : MS(1), (k < 7 ? US(2100) : MS(1)) + US(20));
    assert_true(end >= 7 * US(2100) + 3 * MS(1) && end < 7 * US(2100) + 3 * MS(1) + US(500));
    static const char *const plain[][2] = { {"true", "3.12"}, {"false", "3.10"}, {"false", "3.11"} };
    for (int v = 0; v < 3; v++) {
        warmup_run(plain[v][0], plain[v][1], calls, &end);
        assert_in_range(calls[0], MS(1), MS(1) + US(50));
        for (int k = 1; k < 10; k++)
            assert_in_range(calls[k], MS(1), MS(1) + US(20));
        assert_true(end >= 10 * MS(1) && end < 10 * MS(1) + US(500));
    }
}

/* When a function called once, a 20-iteration loop of 100 us of cpu, ends
 * (from the run's start). */
static simtime_t warm_loop_end(const char *version)
{
    char set_version[64];
    snprintf(set_version, sizeof set_version, "python.version=%s", version);
    char *sets[] = { "python.specialize=true", set_version };
    run_t *r = run_yaml_sets("functions:\n"
                             "  loop: {body: [{repeat: 20, do: [{cpu: 100us}]}]}\n"
                             "processes: [{main: [{call: loop}, {mark: done}]}]\n", sets, 2);
    simtime_t done = log_time(r, "mark", "done");
    run_free(r);
    return done;
}

/* 3.11's JUMP_BACKWARD warms the code up like a call: the call and the
 * loop's first 7 back-edges make 8, so the first 7 iterations run
 * unspecialised (210 us), the other 13 specialised (and not as one batch
 * before the count is reached: batch.c).  3.12 specialises from the first
 * call. */
static void test_loop_back_edges_warm_up_a_function_called_once(void **state)
{
    (void)state;
    simtime_t end = warm_loop_end("3.11");
    assert_in_range(end, 7 * US(210) + 13 * US(100), 7 * US(210) + 13 * US(100) + US(20));
    end = warm_loop_end("3.12");
    assert_in_range(end, 20 * US(100), 20 * US(100) + US(20));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idle_core_timer_fires_at_the_full_slack),
        cmocka_unit_test(test_busy_core_tick_ends_the_timer_early_inside_its_range),
        cmocka_unit_test(test_queued_thread_makes_a_core_busy_only_where_it_may_run),
        cmocka_unit_test(test_sleep_on_an_idle_machine_overshoots_by_the_full_slack),
        cmocka_unit_test(test_sleep_beside_a_spinner_pays_the_busy_core_timer_latency),
        cmocka_unit_test(test_gil_timed_wait_pays_the_timer_latency),
        cmocka_unit_test(test_timer_on_a_taken_core_wakes_elsewhere),
        cmocka_unit_test(test_timer_latency_counts_in_the_blocking_extra),
        cmocka_unit_test(test_short_idle_timer_pays_the_busy_latency),
        cmocka_unit_test(test_thread_starts_grow_with_the_live_threads),
        cmocka_unit_test(test_thread_start_waits_for_the_new_threads_bootstrap),
        cmocka_unit_test(test_pool_worker_start_waits_for_its_bootstrap),
        cmocka_unit_test(test_the_bootstrap_is_the_new_threads_cpu),
        cmocka_unit_test(test_pool_worker_scans_the_shutdown_locks),
        cmocka_unit_test(test_spawn_pays_the_imports_and_fork_does_not),
        cmocka_unit_test(test_unknown_import_is_an_error_at_its_line),
        cmocka_unit_test(test_warmup_slows_the_first_calls_when_on),
        cmocka_unit_test(test_loop_back_edges_warm_up_a_function_called_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
