/* test_gil.c — the GIL policies' registry (include/gil_policies.def) and
 * interface (sim/gil/gil.h): every registered name loads, a misspelt one is
 * answered with it, the config reference's python.gil quotes every line,
 * and each policy keeps the interface's contract. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "testlib.h"
#include "clilib.h"
#include "gil/gil.h"

typedef struct registered {
    enum gil_policy id;
    const char *name, *about;
} registered_t;

static const registered_t registry[] = {
#define GIL_POLICY(id, name, ops, flags, about) {GIL_##id, name, about},
#include "gil_policies.def"
#undef GIL_POLICY
};

#define NPOLICIES (sizeof registry / sizeof registry[0])

#define MINIMAL_PROGRAM "processes:\n  - threads:\n      - program: [cpu: 1ms]\n"

/* python.gil: NAME loads as its registry id; NAME less its last letter is
 * refused with "did you mean 'NAME'". */
static void test_every_policy_name_loads(void **state)
{
    (void)state;
    for (size_t i = 0; i < NPOLICIES; i++) {
        const registered_t *p = &registry[i];
        char yaml[256], err[CFG_ERR_MAX], want[80];
        config_t c;
        snprintf(yaml, sizeof yaml, "python: {gil: %s}\n" MINIMAL_PROGRAM, p->name);
        if (cfg_load_string("test.yaml", yaml, NULL, 0, &c, err) != 0)
            fail_msg("gil %s: %s", p->name, err);
        assert_int_equal(c.python.gil, p->id);
        assert_string_equal(gil_policy_lookup(p->id)->name, p->name);
        cfg_free(&c);
        snprintf(yaml, sizeof yaml, "python: {gil: %.*s}\n" MINIMAL_PROGRAM,
                 (int)strlen(p->name) - 1, p->name);
        assert_int_equal(cfg_load_string("test.yaml", yaml, NULL, 0, &c, err), -1);
        snprintf(want, sizeof want, "did you mean '%s'?", p->name);
        if (!strstr(err, want))
            fail_msg("gil %s misspelt: \"%s\" lacks \"%s\"", p->name, err, want);
    }
}

/* The config reference's python.gil says "`NAME`: ABOUT" for every line. */
static void test_reference_quotes_every_policy(void **state)
{
    (void)state;
    cfg_key_ref_t r;
    int i = 0;
    while (cfg_key_reference(i, &r) != -1 && strcmp(r.key, "python.gil") != 0)
        i++;
    assert_string_equal(r.key, "python.gil");
    for (size_t p = 0; p < NPOLICIES; p++) {
        char quoted[300];
        snprintf(quoted, sizeof quoted, "`%s`: %s", registry[p].name, registry[p].about);
        if (!strstr(r.meaning, quoted))
            fail_msg("the config reference's python.gil does not say \"%s\"", quoted);
    }
}

/* What a run leaves in its threads, to compare two runs. */
typedef struct threads_seen {
    int n;
    uint64_t ops[4], takes[4];
    simtime_t state_time[4][TS__COUNT];
} threads_seen_t;

static threads_seen_t run_seen(const char *yaml, int op_by_op)
{
    config_t cfg;
    sim_t sim;
    char err[CFG_ERR_MAX];
    if (cfg_load_string("contract.yaml", yaml, NULL, 0, &cfg, err) != 0)
        fail_msg("config error: %s", err);
    sim_opts_t o = {.check_invariants = 1, .op_by_op = op_by_op};
    assert_int_equal(sim_build(&sim, &cfg, &o), 0);
    if (sim_run(&sim) != 0)
        fail_msg("invariant violated: %s", sim_violation(&sim));
    threads_seen_t seen = {.n = sim.nthreads < 4 ? sim.nthreads : 4};
    for (int i = 0; i < seen.n; i++) {
        seen.ops[i] = sim.threads[i]->ops_done;
        seen.takes[i] = sim.threads[i]->gthr.takes;
        memcpy(seen.state_time[i], sim.threads[i]->state_time, sizeof seen.state_time[i]);
    }
    sim_free(&sim);
    cfg_free(&cfg);
    return seen;
}

/* Every policy has the operations the interpreter calls unconditionally.
 * One that counts bytecode time (ran) is not batchable; one that says it is
 * gives the same run with one-op cpu loops batched as op by op: drop
 * requests, I/O returns and preemptions cut the loops. */
static void test_every_policy_keeps_the_contract(void **state)
{
    (void)state;
    for (size_t i = 0; i < NPOLICIES; i++) {
        const gil_policy_entry_t *e = gil_policy_lookup(registry[i].id);
        const gil_ops_t *o = e->ops;
        assert_non_null(o->name);
        assert_true(o->acquire && o->wake && o->release && o->run_budget && o->checkpoint &&
                    o->kill);
        if (o->ran && (e->flags & GIL_BATCHABLE))
            fail_msg("%s counts bytecode time (ran) and says it is batchable", e->name);
        if (!(e->flags & GIL_BATCHABLE))
            continue;
        char yaml[600];
        snprintf(yaml, sizeof yaml,
                 "machine: {cores: 2}\npython: {gil: %s, switch_interval: 1ms}\n"
                 "duration: 60ms\nprocesses:\n  - threads:\n"
                 "      - {name: w, count: 2, program: [{repeat: forever, do: [{cpu: 7us}]}]}\n"
                 "      - {name: io, program: [{repeat: forever, do: [{io: 300us}, "
                 "{repeat: 40, do: [{cpu: 11us}]}]}]}\n", e->name);
        threads_seen_t a = run_seen(yaml, 1), b = run_seen(yaml, 0);
        assert_int_equal(a.n, 3);
        assert_int_equal(a.n, b.n);
        for (int k = 0; k < a.n; k++) {
            assert_true(a.ops[k] > 0);
            assert_int_equal(a.ops[k], b.ops[k]);
            assert_int_equal(a.takes[k], b.takes[k]);
            assert_memory_equal(a.state_time[k], b.state_time[k], sizeof a.state_time[k]);
        }
    }
}

/* ---- the I/O-priority GIL (bpo-7946) ----------------------------------- */

/* When the thread called name finished, in seconds; fails the test if it
 * did not. */
static double finish_of(const run_t *r, const char *name)
{
    const thread_t *t = thread_named(r, name);
    if (t->finish < 0)
        fail_msg("%s did not finish within the run (%.3f s)", name, secs(r->sim.end));
    return secs(t->finish);
}

/* configs/convoy.yaml at a 15 ms interval under a policy. */
static run_t *convoy(const char *gil)
{
    char policy[64];
    snprintf(policy, sizeof policy, "python.gil=%s", gil);
    char *sets[] = {policy, "python.switch_interval=15ms"};
    return run_file_sets("configs/convoy.yaml", sets, 2);
}

/* The convoy: under the new GIL each of the I/O thread's 100 requests waits
 * a whole interval for the GIL (about 100 x 16 ms); with I/O priority it
 * takes the GIL from the CPU-bound thread at once, finishing near its I/O
 * time alone (100 x 1 ms), while the CPU-bound thread loses nothing. */
static void test_io_priority_breaks_the_convoy(void **state)
{
    (void)state;
    run_t *n = convoy("new"), *p = convoy("io-priority");
    double io_new = finish_of(n, "io"), io_prio = finish_of(p, "io");
    if (!(io_prio < io_new / 5 && io_prio < 0.15))
        fail_msg("io finishes at %.3f s with io-priority, %.3f s with new", io_prio, io_new);
    assert_true(io_new > 1.5);
    assert_near((double)thread_named(p, "spin")->state_time[TS_PY],
                (double)thread_named(n, "spin")->state_time[TS_PY], 0.01);
    run_free(n);
    run_free(p);
}

static double io_finish_beside_spinners(const char *gil, int spinners, const char *first)
{
    char yaml[700];
    snprintf(yaml, sizeof yaml,
             "machine: {cores: 4}\npython: {gil: %s, switch_interval: 5ms}\nduration: 5s\n"
             "processes:\n  - name: app\n    threads:\n"
             "      - {name: io, program: [%s{repeat: 100, do: [{io: 1ms}, {cpu: 10us}]}]}\n"
             "      - {name: spin, count: %d, program: [{repeat: forever, do: [{cpu: 100us}]}]}\n",
             gil, first, spinners);
    run_t *r = run_yaml(yaml);
    double t = finish_of(r, "io");
    run_free(r);
    return t;
}

/* Counts, for the thread "io", the drop requests it made that were
 * followed by its own take of the GIL (won) or by another thread's (lost). */
typedef struct hand_offs {
    int asked, won, lost;
} hand_offs_t;

static void count_hand_offs(void *ctx, simtime_t t, const thread_t *th, enum gil_event ev,
                            const char *detail)
{
    hand_offs_t *h = ctx;
    (void)t;
    (void)detail;
    int io = strcmp(th->name, "io") == 0;
    if (ev == GE_DROP_REQUEST && io)
        h->asked = 1;
    else if (ev == GE_TAKE && h->asked) {
        h->won += io;
        h->lost += !io;
        h->asked = 0;
    }
}

static hand_offs_t io_hand_offs(const char *yaml)
{
    config_t cfg;
    sim_t sim;
    char err[CFG_ERR_MAX];
    if (cfg_load_string("hand_off.yaml", yaml, NULL, 0, &cfg, err) != 0)
        fail_msg("config error: %s", err);
    hand_offs_t h = {0};
    trace_sink_t sink = {.ctx = &h, .gil = count_hand_offs};
    sim_opts_t o = {.check_invariants = 1, .trace = &sink};
    assert_int_equal(sim_build(&sim, &cfg, &o), 0);
    if (sim_run(&sim) != 0)
        fail_msg("invariant violated: %s", sim_violation(&sim));
    sim_free(&sim);
    cfg_free(&cfg);
    return h;
}

/* The GIL is handed to the returning I/O thread: beside two CPU-bound
 * threads it goes to it before the other CPU-bound waiter; and reserved for
 * it while it wakes up (here a slow 200 us), so that no thread coming back
 * from native code can take it first. */
static void test_io_thread_wins_the_hand_off(void **state)
{
    (void)state;
    double io_new = io_finish_beside_spinners("new", 2, ""),
           io_prio = io_finish_beside_spinners("io-priority", 2, "");
    if (!(io_prio < io_new / 4 && io_prio < 0.2))
        fail_msg("io finishes at %.3f s with io-priority, %.3f s with new", io_prio, io_new);
    hand_offs_t h = io_hand_offs(
        "machine: {cores: 8}\nos: {wake_latency: 200us}\n"
        "python: {gil: io-priority, switch_interval: 5ms}\nduration: 2s\n"
        "processes:\n  - name: app\n    threads:\n"
        "      - {name: io, program: [{repeat: 100, do: [{io: 1ms}, {cpu: 10us}]}]}\n"
        "      - {name: spin, program: [{repeat: forever, do: [{cpu: 100us}]}]}\n"
        "      - {name: hasher, count: 6, program: [{repeat: forever, do: "
        "[{cpu: 10us}, {native: 1ms}]}]}\n");
    if (h.won < 90 || h.lost > 0)
        fail_msg("io asked for the GIL and took it %d times, another thread took it first %d times",
                 h.won, h.lost);
}

/* A thread forced to drop the GIL is CPU-bound until it blocks: the I/O
 * thread computes 30 ms first (and is forced to drop meanwhile), then gets
 * its priority back at its first I/O. */
static void test_blocking_restores_priority(void **state)
{
    (void)state;
    double io_new = io_finish_beside_spinners("new", 1, "{cpu: 30ms}, "),
           io_prio = io_finish_beside_spinners("io-priority", 1, "{cpu: 30ms}, ");
    if (!(io_prio < io_new / 3))
        fail_msg("io finishes at %.3f s with io-priority, %.3f s with new", io_prio, io_new);
}

/* CPU-bound threads among themselves still wait a full interval for each
 * other: about as many switches as under the new GIL, the work shared. */
static void test_cpu_bound_threads_wait_an_interval(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 2}\npython: {gil: %s, switch_interval: 5ms}\nduration: 1s\n"
        "processes:\n  - name: app\n"
        "    threads: [{name: w, count: 2, program: [{repeat: forever, do: [{cpu: 50us}]}]}]\n";
    char y[400];
    snprintf(y, sizeof y, yaml, "new");
    run_t *n = run_yaml(y);
    snprintf(y, sizeof y, yaml, "io-priority");
    run_t *p = run_yaml(y);
    assert_near((double)p->sim.procs[0]->gil.switches, (double)n->sim.procs[0]->gil.switches, 0.03);
    assert_near((double)thr_work(p->sim.threads[0]), (double)thr_work(p->sim.threads[1]), 0.05);
    run_free(n);
    run_free(p);
}

/* Two I/O threads back while a CPU-bound holder leaves for good (its
 * `hold` ends in I/O): the first takes the GIL, and the second, whose
 * priority is gone with the CPU-bound holder, still gets its turn an
 * interval later instead of waiting for the first to finish. */
static void test_priority_waiter_not_starved(void **state)
{
    (void)state;
    static const char yaml[] =
        "machine: {cores: 4}\npython: {gil: io-priority, switch_interval: 5ms}\n"
        "processes:\n  - name: app\n    threads:\n"
        "      - {name: h, program: [{cpu: 20ms}, {hold: 40ms}, {io: 1s}]}\n"
        "      - {name: a, program: [{io: 20ms}, {cpu: 500ms}]}\n"
        "      - {name: b, program: [{io: 21ms}, {cpu: 500ms}]}\n";
    run_t *r = run_yaml(yaml);
    const thread_t *a = thread_named(r, "a"), *b = thread_named(r, "b");
    if (b->gthr.takes < 50 || a->gthr.takes < 50)
        fail_msg("a took the GIL %llu times, b %llu: they should alternate every interval",
                 (unsigned long long)a->gthr.takes, (unsigned long long)b->gthr.takes);
    run_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_policy_name_loads),
        cmocka_unit_test(test_reference_quotes_every_policy),
        cmocka_unit_test(test_every_policy_keeps_the_contract),
        cmocka_unit_test(test_io_priority_breaks_the_convoy),
        cmocka_unit_test(test_io_thread_wins_the_hand_off),
        cmocka_unit_test(test_blocking_restores_priority),
        cmocka_unit_test(test_cpu_bound_threads_wait_an_interval),
        cmocka_unit_test(test_priority_waiter_not_starved),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
