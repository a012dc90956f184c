/* stats.c — utilisation, GIL counters and fairness of a finished run. */
#include <math.h>
#include <stdlib.h>
#include "stats.h"

simtime_t thr_work(const thread_t *t)
{
    return t->state_time[TS_PY] + t->state_time[TS_NATIVE];
}

/* Jain's index (sum x)^2 / (n sum x^2): 1 when all equal, 1/n when one
 * thread did everything.  An all-zero group counts as fair. */
double stats_jain(const double *x, int n)
{
    double sum = 0, sq = 0;
    for (int i = 0; i < n; i++) {
        sum += x[i];
        sq += x[i] * x[i];
    }
    return sq > 0 ? sum * sum / (n * sq) : 1.0;
}

double stats_cv(const double *x, int n)
{
    double mean = 0, var = 0;
    for (int i = 0; i < n; i++)
        mean += x[i];
    mean /= n;
    if (mean <= 0)
        return 0;
    for (int i = 0; i < n; i++)
        var += (x[i] - mean) * (x[i] - mean);
    return sqrt(var / n) / mean;
}

static void group_fill(const sim_t *s, group_stats_t *g)
{
    double *x = malloc(sizeof *x * (size_t)g->n);
    g->work_ns = 0;
    for (int i = 0; i < g->n; i++) {
        const thread_t *t = &s->threads[g->first + i];
        x[i] = (double)thr_work(t);
        g->work_ns += thr_work(t);
    }
    g->jain = stats_jain(x, g->n);
    g->cv = stats_cv(x, g->n);
    free(x);
}

/* Threads of one group in one process are contiguous in sim.threads. */
static void groups_compute(const sim_t *s, run_stats_t *st)
{
    st->groups = calloc((size_t)s->nthreads, sizeof *st->groups);
    st->ngroups = 0;
    st->jain_min = 1.0;
    for (int i = 0; i < s->nthreads;) {
        const thread_t *t = &s->threads[i];
        group_stats_t *g = &st->groups[st->ngroups++];
        g->proc = t->proc->id;
        g->group = t->group;
        g->first = i;
        while (i < s->nthreads && s->threads[i].proc == t->proc &&
               s->threads[i].group == t->group)
            i++;
        g->n = i - g->first;
        group_fill(s, g);
        if (g->jain < st->jain_min)
            st->jain_min = g->jain;
    }
}

int stats_group_of(const run_stats_t *st, const thread_t *t)
{
    for (int i = 0; i < st->ngroups; i++)
        if (t->id >= st->groups[i].first && t->id < st->groups[i].first + st->groups[i].n)
            return i;
    return -1;
}

void stats_compute(const sim_t *s, double wall_s, run_stats_t *st)
{
    *st = (run_stats_t){0};
    st->makespan = s->end;
    st->events = s->eng.executed;
    st->wall_s = wall_s;
    st->core_util = calloc((size_t)s->ncores, sizeof *st->core_util);
    for (int c = 0; c < s->ncores; c++) {
        st->core_util[c] = s->end > 0 ? (double)s->cores[c].busy_ns / (double)s->end : 0;
        st->core_util_mean += st->core_util[c] / s->ncores;
    }
    for (int p = 0; p < s->nprocs; p++) {
        st->gil_switches += s->procs[p].gil.switches;
        st->gil_drop_requests += s->procs[p].gil.drop_requests;
        st->gil_forced_drops += s->procs[p].gil.forced_drops;
    }
    groups_compute(s, st);
}

void stats_free(run_stats_t *st)
{
    free(st->core_util);
    free(st->groups);
    *st = (run_stats_t){0};
}
