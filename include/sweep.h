/* sweep.h — many runs of one config: the cartesian product of varied keys
 * (and of seeds), one row per run in sweep.csv with summary.csv's columns.
 * Runs happen in this process or in --jobs forked workers, with no trace
 * files, so a run costs its simulation plus loading the config. */
#ifndef GILSIM_SWEEP_H
#define GILSIM_SWEEP_H

#include <signal.h>

/* The most runs one sweep may have (value counts times seeds). */
#define SWEEP_MAX_RUNS 1000000L

typedef struct sweep_axis {
    char *arg;                   /* the --vary argument, as given */
    char *key;                   /* a config key, as for --set */
    char **values;
    int n;
} sweep_axis_t;

typedef struct sweep_opts {
    const char *config;
    char *const *sets;           /* fixed --set overrides */
    int nsets;
    const sweep_axis_t *axes;    /* the first axis varies slowest */
    int naxes;
    int seeds;                   /* > 0: each combination with seeds 1..seeds */
    const char *outdir;          /* sweep.csv goes here; NULL: out/<config name>-sweep */
    int quiet;                   /* no summary line */
    int check;                   /* check the model's invariants after every event */
    int progress;                /* "run i of n" on stderr */
    int wait;                    /* wait while another gilsim writes the folder */
    int jobs;                    /* worker processes; 0: one per core */
    int resume;                  /* run only what sweep-partial.csv lacks */
    long point;                  /* > 0: run only this run, into DIR/points/<point>.csv */
    const char *emit_jobs;       /* write one command per point here, run nothing */
    const char *emit_slurm;      /* write a Slurm job array script here, run nothing */
    const char *collect;         /* merge DIR/points/ into DIR/sweep.csv (no config) */
    int aggregate;               /* also write sweep_summary.csv (mean, 95 % CI over seeds) */
    const char *plot_metric;     /* and draw this column against a varied key: */
    const char *plot_x;          /* ... this one (NULL: the first) */
    const char *plots_dir;       /* where plots/sweep.gp is */
    const char *format;          /* png, svg or pdf */
    const char *argv0;           /* how gilsim was started, for the emitted commands */
    volatile sig_atomic_t *stop; /* as run_opts_t.stop (NULL: none) */
} sweep_opts_t;

/* Parses "KEY=V1,V2,..." (commas inside parentheses belong to the value,
 * as in normal(5ms, 1ms)).  Returns 0, or -1 with a message in err. */
int  sweep_axis_parse(const char *arg, sweep_axis_t *ax, char *err, int errsize);
void sweep_axis_free(sweep_axis_t *ax);

/* The value index of axis a in run i (0-based): the first axis varies
 * slowest, seeds fastest. */
int  sweep_axis_pick(const sweep_opts_t *o, long i, int a);
/* The number of runs, or -1 when over SWEEP_MAX_RUNS (no overflow). */
long sweep_count(const sweep_axis_t *axes, int naxes, int seeds);
/* Runs the sweep; returns an exit status (0, 1 failed or folder in use,
 * 2 bad input, 128 + N stopped by signal N).  sweep.csv appears only
 * when every run succeeded; a sweep that stops keeps the rows it has in
 * sweep-partial.csv, which --resume reads back. */
int  sweep_run(const sweep_opts_t *o);

#endif
