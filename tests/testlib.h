/* testlib.h — helpers shared by gilsim's cmocka suites.
 * Include after <cmocka.h> and its prerequisites. */
#ifndef GILSIM_TESTLIB_H
#define GILSIM_TESTLIB_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "sim.h"
#include "stats.h"

/* A loaded config and the finished simulation of it. */
typedef struct run {
    config_t cfg;
    sim_t sim;
} run_t;

/* Loads yaml (with optional --set overrides), runs it with every invariant
 * checked after every event, and fails the test on any error. */
static inline run_t *run_yaml_sets(const char *yaml, char *const *sets, int nsets)
{
    run_t *r = calloc(1, sizeof *r);
    char err[CFG_ERR_MAX];
    assert_non_null(r);
    if (cfg_load_string("test.yaml", yaml, sets, nsets, &r->cfg, err) != 0)
        fail_msg("config error: %s", err);
    sim_opts_t o = {.check_invariants = 1};
    assert_int_equal(sim_build(&r->sim, &r->cfg, &o), 0);
    if (sim_run(&r->sim) != 0)
        fail_msg("invariant violated: %s", sim_violation(&r->sim));
    return r;
}

static inline run_t *run_yaml(const char *yaml)
{
    return run_yaml_sets(yaml, NULL, 0);
}

static inline void run_free(run_t *r)
{
    sim_free(&r->sim);
    cfg_free(&r->cfg);
    free(r);
}

static inline double secs(simtime_t ns) { return (double)ns / 1e9; }

/* The thread called name (first match). */
static inline const thread_t *thread_named(const run_t *r, const char *name)
{
    for (int i = 0; i < r->sim.nthreads; i++)
        if (strcmp(r->sim.threads[i].name, name) == 0)
            return &r->sim.threads[i];
    fail_msg("no thread named %s", name);
    return NULL;
}

/* Asserts |got - want| <= tol * want, with a readable message. */
#define assert_near(got, want, tol)                                              \
    do {                                                                         \
        double g_ = (got), w_ = (want);                                          \
        if (fabs(g_ - w_) > (tol) * fabs(w_))                                    \
            fail_msg("%s = %.6g, expected %.6g within %.1f%%", #got, g_, w_,     \
                     100.0 * (tol));                                             \
    } while (0)

#endif
