/* stats.c — utilisation, GIL counters, fairness, finishes and blocking
 * extras of a finished run. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "columns.h"
#include "engine/util.h"
#include "model/model.h"
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

static int by_group(const void *a, const void *b)
{
    const thread_t *x = *(thread_t *const *)a, *y = *(thread_t *const *)b;
    if (x->proc->id != y->proc->id)
        return x->proc->id < y->proc->id ? -1 : 1;
    int c = strcmp(x->group, y->group);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* 0, or -1 out of memory. */
static int group_fill(group_stats_t *g, thread_t **members, double *x)
{
    g->work_ns = 0;
    g->finished = 0;
    for (int i = 0; i < g->n; i++) {
        const thread_t *t = members[i];
        x[i] = (double)thr_work(t);
        g->work_ns += thr_work(t);
        if (t->finish < 0 || g->finished < 0)
            g->finished = -1;
        else if (t->finish > g->finished)
            g->finished = t->finish;
        if (hist_merge(&g->blocking_extra, &t->blocking_extra) != 0)
            return -1;
    }
    g->jain = stats_jain(x, g->n);
    g->cv = stats_cv(x, g->n);
    return 0;
}

/* Sorts threads by (process, group label) and cuts the runs. */
static int groups_compute(const sim_t *s, run_stats_t *st)
{
    size_t n = (size_t)s->nthreads;
    thread_t **sorted = malloc(sizeof *sorted * (n ? n : 1));
    double *x = malloc(sizeof *x * (n ? n : 1));
    st->groups = calloc(n ? n : 1, sizeof *st->groups);
    st->group_of = calloc(n ? n : 1, sizeof *st->group_of);
    if (!sorted || !x || !st->groups || !st->group_of) {
        free(sorted);
        free(x);
        return -1;
    }
    memcpy(sorted, s->threads, sizeof *sorted * n);
    qsort(sorted, n, sizeof *sorted, by_group);
    st->jain_min = 1.0;
    size_t i = 0;
    while (i < n) {
        group_stats_t *g = &st->groups[st->ngroups];
        size_t j = i;
        while (j < n && sorted[j]->proc == sorted[i]->proc &&
               strcmp(sorted[j]->group, sorted[i]->group) == 0)
            st->group_of[sorted[j++]->id] = st->ngroups;
        g->proc = sorted[i]->proc;
        g->label = sorted[i]->group;
        g->n = (int)(j - i);
        st->ngroups++;
        if (group_fill(g, sorted + i, x) != 0 ||
            hist_merge(&st->blocking_extra, &g->blocking_extra) != 0)
            break;
        if (g->jain < st->jain_min)
            st->jain_min = g->jain;
        i = j;
    }
    free(sorted);
    free(x);
    return i < n ? -1 : 0;
}

/* Appends a named column; name is malloc'd, NULL out of memory (-1). */
static int named_add(run_stats_t *st, int row, char *name, simtime_t value, double fraction)
{
    st->named[st->nnamed++] = (named_col_t){row, name, value, fraction};
    return name ? 0 : -1;
}

/* summary.csv's named columns, in columns.def's order: each mark's last
 * time, then each group's finish, Jain index and CV.  0, or -1 out of
 * memory. */
static int named_compute(const sim_t *s, run_stats_t *st)
{
    static const struct { int row; const char *prefix; } per_group[] = {
        {COL_SUMMARY_FINISHED, "finished"}, {COL_SUMMARY_JAIN, "jain"}, {COL_SUMMARY_CV, "cv"}};
    st->named = calloc((size_t)(s->nmarks + 3 * st->ngroups) + 1, sizeof *st->named);
    if (!st->named)
        return -1;
    for (int i = 0; i < s->nmarks; i++)
        if (named_add(st, COL_SUMMARY_MARKS, text_printf("mark:%s", s->marks[i].label),
                      s->marks[i].last, 0) != 0)
            return -1;
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < st->ngroups; i++) {
            const group_stats_t *g = &st->groups[i];
            char *name = text_printf("%s:%s/%s", per_group[k].prefix, g->proc->name, g->label);
            if (named_add(st, per_group[k].row, name, g->finished,
                          k == 1 ? g->jain : g->cv) != 0)
                return -1;
        }
    return 0;
}

int stats_compute(const sim_t *s, double wall_s, run_stats_t *st)
{
    *st = (run_stats_t){0};
    st->makespan = s->end;
    st->events = s->eng.executed;
    st->wall_s = wall_s;
    st->core_util = calloc((size_t)s->os.ncores, sizeof *st->core_util);
    if (!st->core_util)
        return -1;
    for (int c = 0; c < s->os.ncores; c++) {
        st->core_util[c] = s->end > 0 ? (double)s->os.cores[c].busy_ns / (double)s->end : 0;
        st->core_util_mean += st->core_util[c] / s->os.ncores;
    }
    for (int i = 0; i < s->ngils; i++) {
        st->gil_switches += s->gils[i]->switches;
        st->gil_drop_requests += s->gils[i]->drop_requests;
        st->gil_forced_drops += s->gils[i]->forced_drops;
        st->gil_failed_wakeups += s->gils[i]->failed_wakeups;
        st->stw_pauses += s->gils[i]->stw_pauses;
    }
    for (int i = 0; i < s->nthreads; i++) {
        st->ops_done += s->threads[i]->ops_done;
        st->work_ns += thr_work(s->threads[i]);
    }
    for (int p = 0; p < s->nprocs; p++)        /* net: updates done - final values */
        for (int i = 0; i < s->procs[p]->nobjects; i++)
            if (s->procs[p]->objects[i].kind == OBJ_SHARED)
                st->lost_updates += (uint64_t)s->procs[p]->objects[i].shared.lost;
    return groups_compute(s, st) == 0 ? named_compute(s, st) : -1;
}

void stats_free(run_stats_t *st)
{
    for (int i = 0; st->groups && i < st->ngroups; i++)
        hist_free(&st->groups[i].blocking_extra);
    for (int i = 0; i < st->nnamed; i++)
        free(st->named[i].name);
    hist_free(&st->blocking_extra);
    free(st->named);
    free(st->core_util);
    free(st->groups);
    free(st->group_of);
    *st = (run_stats_t){0};
}
