/* stats.h — figures computed from a finished run, shared by the printed
 * summary and the CSV files. */
#ifndef GILSIM_STATS_H
#define GILSIM_STATS_H

#include <stdint.h>
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
} group_stats_t;

typedef struct run_stats {
    simtime_t makespan;
    uint64_t events;
    double wall_s;
    double core_util_mean;
    double *core_util;        /* per core */
    uint64_t gil_switches, gil_drop_requests, gil_forced_drops, gil_failed_wakeups, stw_pauses;
    uint64_t ops_done;        /* over every thread */
    simtime_t work_ns;        /* py + native over every thread */
    group_stats_t *groups;
    int ngroups;
    int *group_of;            /* by thread id */
    double jain_min;
} run_stats_t;

simtime_t thr_work(const struct thread *t);       /* py + native time */
double    stats_jain(const double *x, int n);
double    stats_cv(const double *x, int n);
/* 0, or -1 out of memory (st is then still safe to stats_free). */
int       stats_compute(const struct sim *s, double wall_s, run_stats_t *st);
void      stats_free(run_stats_t *st);

#endif
