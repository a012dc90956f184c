/* testlib.h — helpers shared by gilsim's cmocka suites.
 * Include after <cmocka.h> and its prerequisites. */
#ifndef GILSIM_TESTLIB_H
#define GILSIM_TESTLIB_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "model/model.h"
#include "sim.h"
#include "stats.h"
#include "model/trace.h"

/* What the program showed (log.csv rows), captured in memory. */
typedef struct logrow {
    simtime_t t;
    char thread[64], kind[24], text[160];
} logrow_t;

/* A loaded config and the finished simulation of it. */
typedef struct run {
    config_t cfg;
    sim_t sim;
    trace_sink_t sink;
    logrow_t *log;
    int nlog, caplog;
} run_t;

static inline void capture_log(void *ctx, simtime_t t, const thread_t *th, const char *task,
                               enum log_kind kind, const char *text)
{
    run_t *r = ctx;
    (void)task;
    if (r->nlog == r->caplog) {
        r->caplog = r->caplog ? r->caplog * 2 : 64;
        r->log = realloc(r->log, sizeof *r->log * (size_t)r->caplog);
    }
    logrow_t *l = &r->log[r->nlog++];
    l->t = t;
    snprintf(l->thread, sizeof l->thread, "%s", th->name);
    snprintf(l->kind, sizeof l->kind, "%s", trace_log_kind_names[kind]);
    snprintf(l->text, sizeof l->text, "%s", text ? text : "");
}

/* The time of the first log row of this kind (and text, if not NULL). */
static inline simtime_t log_time(const run_t *r, const char *kind, const char *text)
{
    for (int i = 0; i < r->nlog; i++)
        if (!strcmp(r->log[i].kind, kind) && (!text || !strcmp(r->log[i].text, text)))
            return r->log[i].t;
    fail_msg("no log row %s %s", kind, text ? text : "");
    return -1;
}

/* The texts of the log rows of one kind, joined by '|'. */
static inline const char *log_texts(const run_t *r, const char *kind)
{
    static char buf[2048];
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < r->nlog; i++)
        if (!strcmp(r->log[i].kind, kind))
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? "|" : "", r->log[i].text);
    return buf;
}

/* Pieces of the configs the tests write: a two-core machine, and the start
 * of a process list of one process, `app`, whose thread groups follow. */
#define TWO_CORES "machine: {cores: 2}\n"
#define APP_THREADS "processes:\n  - name: app\n    threads:\n"

/* Loads yaml (with optional --set overrides), runs it with every invariant
 * checked after every event, and fails the test on any error. */
static inline run_t *run_yaml_sets(const char *yaml, char *const *sets, int nsets)
{
    run_t *r = calloc(1, sizeof *r);
    char err[CFG_ERR_MAX];
    assert_non_null(r);
    if (cfg_load_string("test.yaml", yaml, sets, nsets, &r->cfg, err) != 0)
        fail_msg("config error: %s", err);
    r->sink = (trace_sink_t){.ctx = r, .log = capture_log};
    sim_opts_t o = {.check_invariants = 1, .trace = &r->sink};
    assert_int_equal(sim_build(&r->sim, &r->cfg, &o), 0);
    if (sim_run(&r->sim) != 0)
        fail_msg("invariant violated: %s", sim_violation(&r->sim));
    return r;
}

static inline run_t *run_yaml(const char *yaml)
{
    return run_yaml_sets(yaml, NULL, 0);
}

/* Runs a config file (e.g. one of configs/seed/). */
static inline run_t *run_file_sets(const char *path, char *const *sets, int nsets)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    run_t *r = calloc(1, sizeof *r);
    char err[CFG_ERR_MAX];
    if (cfg_load_string(path, text, sets, nsets, &r->cfg, err) != 0)
        fail_msg("config error: %s", err);
    r->sink = (trace_sink_t){.ctx = r, .log = capture_log};
    sim_opts_t o = {.check_invariants = 1, .trace = &r->sink};
    assert_int_equal(sim_build(&r->sim, &r->cfg, &o), 0);
    if (sim_run(&r->sim) != 0)
        fail_msg("%s: invariant violated: %s", path, sim_violation(&r->sim));
    return r;
}

static inline run_t *run_file(const char *path) { return run_file_sets(path, NULL, 0); }

static inline void run_free(run_t *r)
{
    free(r->log);
    sim_free(&r->sim);
    cfg_free(&r->cfg);
    free(r);
}

static inline double secs(simtime_t ns) { return (double)ns / 1e9; }

/* The thread called name (first match). */
static inline const thread_t *thread_named(const run_t *r, const char *name)
{
    for (int i = 0; i < r->sim.nthreads; i++)
        if (strcmp(r->sim.threads[i]->name, name) == 0)
            return r->sim.threads[i];
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
