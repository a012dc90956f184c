/* sweep_internal.h — one sweep as its two files share it: sweep.c makes
 * a run and its row, sweep_runs.c runs them all into the table. */
#ifndef GILSIM_SWEEP_INTERNAL_H
#define GILSIM_SWEEP_INTERNAL_H

#include "sim.h"
#include "stats.h"
#include "sweep.h"
#include "out/csvw.h"
#include "out/runtable.h"
#include "cli/sweep_table.h"

typedef struct sweep {
    const sweep_opts_t *o;
    long total;
    int *pick;                   /* value index per axis of the current run */
    int seed;                    /* 0: the config's own */
    char **sets;                 /* fixed sets, then one per axis, then the seed */
    int nsets;
    char **keys;                 /* the axes' keys, for reading tables back */
    runtable_t table;
    long run;                    /* 1-based number of the current run */
    double sim_wall;             /* summed wall time of the simulations alone */
    sweep_row_t **held;          /* per run: its row, read back, until it enters the table */
    long next;                   /* the first run (0-based) not yet in the table */
    long *todo;                  /* the runs still to run (0-based), in order */
    long ntodo, done;            /* ... and how many of them are done */
    long kept;                   /* rows that entered the table */
    csvw_t point;                /* a worker's run as a one-row table */
    const char *dir;
    long twice;                  /* a run a table read back holds twice */
    double t0, shown;            /* when the runs began; when progress was last shown */
} sweep_t;

/* "sweep: out of memory" said; returns 1. */
int  sweep_oom(void);
/* sweep_shape_t.value: what run (1-based) has for axis a (ctx: the opts). */
const char *sweep_axis_value(const void *ctx, long run, int a);
/* sweep.csv's leading names: run, one per --vary key, summary.csv's. */
void sweep_write_header(csvw_t *h, void *ctx);
/* run_opts_t.on_done: the run's row into the table (in this process), or
 * a one-row table into w->point (in a worker, or for --point). */
void sweep_write_row(void *ctx, const sim_t *s, const run_stats_t *st);
void sweep_write_point(void *ctx, const sim_t *s, const run_stats_t *st);
/* A row read back into the table; every held row from w->next on that
 * has no gap before it; sweep_table_parse's on_row holding a row at its
 * run (a run held twice sets w->twice). */
void sweep_keep_row(sweep_t *w, sweep_row_t *r);
void sweep_keep_ready(sweep_t *w);
int  sweep_hold_row(sweep_row_t *row, void *ctx);
/* Run i (0-based) with on_done; 0 or an exit status (said). */
int  sweep_run_one(sweep_t *w, long i, void (*on_done)(void *, const sim_t *, const run_stats_t *));
/* Every run (those not held) into DIR/sweep.csv under the folder's lock;
 * 0 or an exit status (said). */
int  sweep_in(sweep_t *w);

#endif
