/* test_gil.c — the GIL policies' registry (include/gil_policies.def) and
 * interface (sim/gil/gil.h): every registered name loads, a misspelt one is
 * answered with it, the README quotes every line, and each policy keeps
 * the interface's contract. */
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

/* README.md's python.gil row says "`NAME`: ABOUT" for every line. */
static void test_readme_quotes_every_policy(void **state)
{
    (void)state;
    size_t n;
    char *readme = slurp("README.md", &n);
    const char *row = strstr(readme, "| `python.gil` |");
    assert_non_null(row);
    const char *end = strchr(row, '\n');
    for (size_t i = 0; i < NPOLICIES; i++) {
        char quoted[300];
        snprintf(quoted, sizeof quoted, "`%s`: %s", registry[i].name, registry[i].about);
        const char *at = strstr(row, quoted);
        if (!at || at > end)
            fail_msg("README.md's python.gil row does not say \"%s\"", quoted);
    }
    free(readme);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_policy_name_loads),
        cmocka_unit_test(test_readme_quotes_every_policy),
        cmocka_unit_test(test_every_policy_keeps_the_contract),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
