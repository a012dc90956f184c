/* sim.c — builds the world a config describes and runs it.
 *
 * Thread order: processes in config order (a process with count N becomes
 * N processes), and within each its thread groups in order; a group's
 * threads are contiguous.  All threads start at time 0 in that order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim.h"
#include "gil.h"
#include "machine.h"
#include "thread.h"

static char *indexed_name(const char *base, int i, int count)
{
    size_t n = strlen(base) + 16;
    char *s = malloc(n);
    if (!s)
        return NULL;
    if (count > 1)
        snprintf(s, n, "%s-%d", base, i);
    else
        snprintf(s, n, "%s", base);
    return s;
}

static void count_world(const config_t *cfg, int *nprocs, int *nthreads)
{
    *nprocs = *nthreads = 0;
    for (int p = 0; p < cfg->nprocs; p++) {
        int per = 0;
        for (int g = 0; g < cfg->procs[p].nthreads; g++)
            per += cfg->procs[p].threads[g].count;
        *nprocs += cfg->procs[p].count;
        *nthreads += cfg->procs[p].count * per;
    }
}

static int build_threads(sim_t *s, process_t *proc, const process_cfg_t *pc, int *next)
{
    int per = 0;
    for (int g = 0; g < pc->nthreads; g++)
        per += pc->threads[g].count;
    proc->threads = calloc((size_t)per, sizeof *proc->threads);
    if (!proc->threads)
        return -1;
    for (int g = 0; g < pc->nthreads; g++) {
        const thread_cfg_t *tc = &pc->threads[g];
        for (int i = 0; i < tc->count; i++) {
            thread_t *t = &s->threads[*next];
            t->id = (*next)++;
            t->group = g;
            t->proc = proc;
            t->prog = &tc->prog;
            t->core = t->last_core = -1;
            t->finish = -1;
            t->state = TS_RUNNABLE;
            if (!(t->name = indexed_name(tc->name, i, tc->count)))
                return -1;
            proc->threads[proc->nthreads++] = t;
        }
    }
    return 0;
}

static int build_world(sim_t *s)
{
    const config_t *cfg = s->cfg;
    int np = 0, nextthr = 0;
    for (int p = 0; p < cfg->nprocs; p++)
        for (int i = 0; i < cfg->procs[p].count; i++) {
            process_t *proc = &s->procs[np];
            proc->id = np++;
            proc->cfg_index = p;
            if (!(proc->name = indexed_name(cfg->procs[p].name, i, cfg->procs[p].count)))
                return -1;
            gil_init(&proc->gil, s, proc);
            if (build_threads(s, proc, &cfg->procs[p], &nextthr) != 0)
                return -1;
        }
    return 0;
}

static void after_event(void *ctx)
{
    sim_t *s = ctx;
    if (s->violation[0])
        return;
    const char *v = sim_check(s);
    if (v) {
        snprintf(s->violation, sizeof s->violation, "at %lld ns: %s",
                 (long long)s->eng.now, v);
        eng_stop(&s->eng);
    }
}

int sim_build(sim_t *s, const config_t *cfg, const sim_opts_t *opts)
{
    memset(s, 0, sizeof *s);
    eng_init(&s->eng);
    rng_seed(&s->rng, cfg->seed);
    s->cfg = cfg;
    s->ncores = cfg->machine.cores;
    count_world(cfg, &s->nprocs, &s->nthreads);
    s->cores = calloc((size_t)s->ncores, sizeof *s->cores);
    s->procs = calloc((size_t)s->nprocs, sizeof *s->procs);
    s->threads = calloc((size_t)s->nthreads, sizeof *s->threads);
    if (!s->cores || !s->procs || !s->threads || build_world(s) != 0)
        return -1;
    s->live = s->nthreads;
    if (opts) {
        s->trace = opts->trace;
        s->check = opts->check_invariants;
        s->progress = opts->progress;
        s->progress_ctx = opts->progress_ctx;
    }
    if (s->check) {
        s->eng.after_event = after_event;
        s->eng.after_ctx = s;
    }
    os_init(s);
    return 0;
}

/* Accounts every live thread's current state up to the end of the run. */
static void close_run(sim_t *s, simtime_t end)
{
    s->eng.now = end;
    s->end = end;
    for (int i = 0; i < s->nthreads; i++) {
        thread_t *t = &s->threads[i];
        t->state_time[t->state] += end - t->state_since;
        t->state_since = end;
    }
    os_close(s);
}

int sim_run(sim_t *s)
{
    for (int i = 0; i < s->nthreads; i++)
        thr_start(s, &s->threads[i]);
    simtime_t limit = s->cfg->duration > 0 ? s->cfg->duration : SIMTIME_NEVER;
    simtime_t step = s->cfg->duration > 0 ? (s->cfg->duration + 99) / 100 : SEC(1);
    simtime_t until = 0;
    while (s->live > 0 && !s->violation[0] && eng_pending(&s->eng)) {
        until = until > limit - step ? limit : until + step;
        eng_run(&s->eng, until);
        if (s->progress)
            s->progress(s->progress_ctx, s->eng.now, limit);
        if (until >= limit)
            break;
    }
    if (s->violation[0])
        return -1;
    s->cut = s->live > 0;
    close_run(s, s->cut ? limit : s->eng.now);
    if (s->cut && limit == SIMTIME_NEVER) {
        snprintf(s->violation, sizeof s->violation,
                 "the run stalled: %d threads alive and nothing left to happen", s->live);
        return -1;
    }
    return 0;
}

const char *sim_violation(const sim_t *s)
{
    return s->violation[0] ? s->violation : NULL;
}

void sim_free(sim_t *s)
{
    for (int i = 0; s->threads && i < s->nthreads; i++)
        free(s->threads[i].name);
    for (int p = 0; s->procs && p < s->nprocs; p++) {
        free(s->procs[p].name);
        free(s->procs[p].threads);
    }
    free(s->threads);
    free(s->procs);
    free(s->cores);
    eng_free(&s->eng);
    memset(s, 0, sizeof *s);
}
