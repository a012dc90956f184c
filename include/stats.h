/* stats.h — figures computed from a finished run, shared by the printed
 * summary and the CSV files. */
#ifndef GILSIM_STATS_H
#define GILSIM_STATS_H

#include <stdint.h>
#include "hist.h"
#include "simtime.h"

struct sim;
struct process;
struct thread;

/* A thread group: the threads of one process with the same group label
 * (a config thread entry, or the target of `start`). */
typedef struct group_stats {
    const struct process *proc;
    const char *label;
    int n;
    simtime_t work_ns;        /* py + native over the group */
    double jain;              /* Jain's fairness index of per-thread work */
    double cv;                /* coefficient of variation of per-thread work */
    simtime_t finished;       /* when its last thread finished; -1 if one never did */
    hist_t blocking_extra;    /* its threads' blocking extras (thread_t), merged */
} group_stats_t;

/* A summary.csv column named by the run: one of columns.def's rows in
 * angle brackets, `mark:LABEL`, `finished:PROCESS/GROUP`, `jain:...` or
 * `cv:...`. */
typedef struct named_col {
    int row;                  /* the row it stands for: COL_SUMMARY_MARKS, _FINISHED, _JAIN, _CV */
    char *name;
    simtime_t value;          /* a time (marks, finished): -1 empty */
    double fraction;          /* a fraction (jain, cv), written as NAMED_FRACTION_FORMAT */
} named_col_t;

#define NAMED_FRACTION_FORMAT "%.4f"

typedef struct run_stats {
    simtime_t makespan;
    uint64_t events;
    double wall_s;
    double core_util_mean;
    double *core_util;        /* per core */
    uint64_t gil_switches, gil_drop_requests, gil_forced_drops, gil_failed_wakeups, stw_pauses;
    uint64_t ops_done;        /* over every thread */
    uint64_t lost_updates;    /* over every shared variable: updates - final value */
    simtime_t work_ns;        /* py + native over every thread */
    group_stats_t *groups;
    int ngroups;
    int *group_of;            /* by thread id */
    double jain_min;
    hist_t blocking_extra;    /* every thread's blocking extras, merged */
    named_col_t *named;       /* the marks in first-shown order, then the groups' finishes */
    int nnamed;
    const char *gilsim_version;   /* the program's, given by its runner; NULL: "unknown" */
} run_stats_t;

simtime_t thr_work(const struct thread *t);       /* py + native time */
double    stats_jain(const double *x, int n);
double    stats_cv(const double *x, int n);
/* 0, or -1 out of memory (st is then still safe to stats_free). */
int       stats_compute(const struct sim *s, double wall_s, run_stats_t *st);
void      stats_free(run_stats_t *st);

#endif
