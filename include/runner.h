/* runner.h — one complete run: simulate a loaded config, write its files,
 * print its summary.  Shared by the CLI and the tests. */
#ifndef GILSIM_RUNNER_H
#define GILSIM_RUNNER_H

#include <signal.h>
#include <stdio.h>
#include "config.h"
#include "sim.h"
#include "stats.h"
#include "trace_level.h"

enum { RUN_PROGRESS_TTY = 1, RUN_PROGRESS_LINES = 2 };

typedef struct run_opts {
    const char *outdir;          /* ignored when trace == TRACE_NONE */
    enum trace_level trace;
    int check_invariants;
    FILE *report;                /* human summary, or NULL */
    /* Progress on stderr, once a run takes over 1 s: RUN_PROGRESS_TTY
     * rewrites one line, RUN_PROGRESS_LINES writes a line a second (a log,
     * a pipe, the web page's worker); 0: none. */
    int show_progress;
    int perfetto;                /* also write outdir/trace.json */
    /* Called with the finished run's model and statistics (the sweep's row). */
    void (*on_done)(void *ctx, const sim_t *s, const run_stats_t *st);
    void *done_ctx;
    /* The run stops at the next event once *stop is non-zero: a signal
     * number (set by the CLI's handler), or RUN_STOP_WRITE, which the
     * runner sets when writing a file fails.  NULL: a flag of its own. */
    volatile sig_atomic_t *stop;
    int quiet_stop;              /* the caller reports an interruption (a sweep) */
    int quiet_warnings;          /* no warning for a hang: the caller reads the run's
                                    files instead (a lab's runs, where a deadlock is
                                    the lesson, not news) */
} run_opts_t;

enum { RUN_STOP_WRITE = -1 };

/* Returns 0; 1 when the run failed (message on stderr, e.g. a write that
 * failed); 2 when the program cannot be simulated (a loop that takes no
 * time); 128 + the signal when *stop was set by one.  Any but 0 leaves no
 * file of this run in outdir. */
int run_simulation(const config_t *cfg, const run_opts_t *opts);
/* The program's version, which every run records (summary.csv's
 * gilsim_version); the CLI sets it once at start-up, before any worker
 * forks.  Until then "unknown". */
void run_set_version(const char *version);
const char *run_version(void);

#endif
