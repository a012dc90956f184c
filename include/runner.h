/* runner.h — one complete run: simulate a loaded config, write its files,
 * print its summary.  Shared by the CLI and the tests. */
#ifndef GILSIM_RUNNER_H
#define GILSIM_RUNNER_H

#include <stdio.h>
#include "config.h"
#include "output.h"
#include "stats.h"

typedef struct run_opts {
    const char *outdir;          /* ignored when trace == TRACE_NONE */
    enum trace_level trace;
    int check_invariants;
    FILE *report;                /* human summary, or NULL */
    int show_progress;           /* on stderr, once a run takes over 1 s */
    int perfetto;                /* also write outdir/trace.json */
    /* Called with the finished run's model and statistics (the sweep's row). */
    void (*on_done)(void *ctx, const sim_t *s, const run_stats_t *st);
    void *done_ctx;
} run_opts_t;

/* Returns 0; 1 when the run failed (message on stderr); 2 when the program
 * cannot be simulated (a loop that takes no time). */
int run_simulation(const config_t *cfg, const run_opts_t *opts);

#endif
