/* sim.c — builds the world a config describes and runs it.
 *
 * Initial order: processes in config order (a process with count N becomes
 * N processes), within each its main thread then its thread groups in
 * order.  All of them start at time 0 in that order; threads and processes
 * started by programs join the lists as they are created. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim.h"
#include "model/fail.h"
#include "gil/gil.h"
#include "os/machine.h"
#include "model/thread.h"
#include "model/exec.h"
#include "model/gilhost.h"
#include "model/hang.h"
#include "model/aio.h"
#include "model/life.h"
#include "model/ops.h"
#include "model/pool.h"

/* One configured process: its main thread (if it has `main:`), then its
 * thread groups, in order; a group's threads are contiguous.  With a count
 * above 1, "name-3": built to its exact length, so a long name is never
 * cut and two names can't become one. */
static void build_process(sim_t *s, const process_cfg_t *pc, int i)
{
    process_t *p = pc->count > 1 ? life_process_new(s, NULL, pc->name, "%s-%d", pc->name, i)
                                 : life_process_new(s, NULL, pc->name, "%s", pc->name);
    if (pc->has_main) {
        thread_t *m = thr_new(s, p, "main", "MainThread");
        m->is_main = 1;
        p->main = m;
        ex_push_program(&m->base, &pc->main);
    }
    for (int g = 0; g < pc->nthreads; g++) {
        const thread_cfg_t *tc = &pc->threads[g];
        for (int k = 0; k < tc->count; k++) {
            thread_t *t = tc->count > 1 ? thr_new(s, p, tc->name, "%s-%d", tc->name, k)
                                        : thr_new(s, p, tc->name, "%s", tc->name);
            t->gil = gilhost_of_interpreter(s, p, tc->interpreter, 0, tc->switch_interval);
            t->os.affinity = tc->affinity;
            ex_push_program(&t->base, &tc->prog);
        }
    }
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

/* The engine could not schedule an event: past times are gilsim's bug,
 * the rest a limit or the memory. */
static void engine_failed(void *ctx, int what, const char *msg)
{
    sim_t *s = ctx;
    if (what == ENG_FAIL_PAST)
        sim_fail(s, SIM_ERR_INTERNAL, "at %lld ns: %s", (long long)s->eng.now, msg);
    if (what == ENG_FAIL_NOMEM)
        sim_fail(s, SIM_ERR_NOMEM, "at %lld ns: %s, with %lld threads, %lld asyncio tasks "
                 "and %lld processes alive", (long long)s->eng.now, msg,
                 (long long)s->alive_threads, (long long)s->alive_tasks,
                 (long long)s->alive_procs);
    sim_fail(s, SIM_ERR_USER, "at %lld ns the program has %s, with %lld threads and %lld "
             "asyncio tasks alive", (long long)s->eng.now, msg, (long long)s->alive_threads,
             (long long)s->alive_tasks);
}

static int build(sim_t *s, void *arg)
{
    const config_t *cfg = arg;
    os_core_t *cores = sim_calloc(s, (size_t)cfg->machine.cores, sizeof *cores);
    os_init(&s->os, &s->eng, &s->rng, cfg, &thr_os_hooks, cores);
    for (int p = 0; p < cfg->nprocs; p++)
        for (int i = 0; i < cfg->procs[p].count; i++)
            build_process(s, &cfg->procs[p], i);
    s->initial_threads = s->nthreads;
    return SIM_OK;
}

int sim_build(sim_t *s, const config_t *cfg, const sim_opts_t *opts)
{
    memset(s, 0, sizeof *s);
    eng_init(&s->eng);
    s->eng.fail = engine_failed;
    s->eng.fail_ctx = s;
    s->eng.prefetch_bytes = THREAD_HOT_BYTES;
    slab_init(&s->thread_memory, sizeof(thread_t));
    rng_seed(&s->rng, cfg->seed);
    s->cfg = cfg;
    s->rooms = &ops_rooms;
    s->caps = (sim_caps_t){THREADS_MAX, PROCESSES_MAX, TASKS_MAX, FUTURES_MAX,
                           STEPS_AT_ONE_INSTANT_MAX};
    if (opts) {
        const sim_caps_t *c = &opts->caps;
        s->caps.threads = c->threads > 0 && c->threads < THREADS_MAX ? c->threads : THREADS_MAX;
        s->caps.processes = c->processes > 0 && c->processes < PROCESSES_MAX ? c->processes
                                                                            : PROCESSES_MAX;
        s->caps.tasks = c->tasks > 0 && c->tasks < TASKS_MAX ? c->tasks : TASKS_MAX;
        s->caps.futures = c->futures > 0 && c->futures < FUTURES_MAX ? c->futures : FUTURES_MAX;
        if (c->steps_at_one_instant > 0 && c->steps_at_one_instant < STEPS_AT_ONE_INSTANT_MAX)
            s->caps.steps_at_one_instant = c->steps_at_one_instant;
        s->alloc_limit = opts->alloc_limit;
        s->trace = opts->trace;
        s->check = opts->check_invariants;
        s->op_by_op = opts->op_by_op;
        s->progress = opts->progress;
        s->progress_ctx = opts->progress_ctx;
    }
    if (s->check) {
        s->eng.after_event = after_event;
        s->eng.after_ctx = s;
    }
    return sim_guard(s, build, (void *)cfg);
}

/* Accounts every live thread's current state up to the end of the run. */
static void close_run(sim_t *s, simtime_t end)
{
    s->eng.now = end;
    s->end = end;
    for (int i = 0; i < s->nthreads; i++) {
        thread_t *t = s->threads[i];
        thr_settle(s, t, 1);     /* loop iterations a running segment finished */
        t->state_time[t->state] += end - t->state_since;
        t->state_since = end;
    }
    aio_close_run(s);
    os_close(&s->os);
}

static int run(sim_t *s, void *arg)
{
    (void)arg;
    gilhost_trace_sink_set(s);       /* the caller may have changed it since sim_build */
    for (int i = 0; i < s->initial_threads; i++)
        thr_start(s, s->threads[i]);
    /* Without a duration, time ends just short of SIMTIME_NEVER: an event
     * whose time saturated there (simtime.h) never happens. */
    simtime_t limit = s->cfg->duration > 0 ? s->cfg->duration : SIMTIME_NEVER - 1;
    simtime_t shown = s->cfg->duration > 0 ? limit : SIMTIME_NEVER;
    simtime_t step = s->cfg->duration > 0 ? (s->cfg->duration + 99) / 100 : SEC(1);
    simtime_t until = 0;
    const volatile sig_atomic_t *stop = s->eng.stop_flag;
    while (s->live > 0 && !s->violation[0] && eng_pending(&s->eng)) {
        simtime_t next = eng_next_time(&s->eng);
        if (next > until)        /* skip quiet stretches (a year-long sleep) at once */
            until = next < limit ? next : limit;
        until = until > limit - step ? limit : until + step;
        eng_run(&s->eng, until);
        if (stop && *stop)
            return SIM_STOPPED;  /* s->eng.now: the simulated time reached */
        if (s->progress)
            s->progress(s->progress_ctx, s->eng.now, shown);
        if (until >= limit)
            break;
    }
    if (s->violation[0])
        return s->user_error ? SIM_ERR_USER : SIM_ERR_INTERNAL;
    /* threads alive and nothing left to happen: the program hangs */
    s->deadlock = s->live > 0 && eng_pending(&s->eng) == 0;
    if (s->deadlock)
        hang_report(s);
    s->cut = s->live > 0 && !s->deadlock;
    close_run(s, s->cut ? limit : s->eng.now);
    return SIM_OK;
}

int sim_run(sim_t *s)
{
    return sim_guard(s, run, NULL);
}

const char *sim_violation(const sim_t *s)
{
    return s->violation[0] ? s->violation : NULL;
}

void sim_free(sim_t *s)
{
    for (int i = 0; i < s->nloops; i++)
        aio_free(s->loops[i]);
    for (int i = 0; i < s->npools; i++)
        pool_free(s->pools[i]);
    for (int i = 0; i < s->nthreads; i++)
        thr_free(s->threads[i]);
    gilhost_free_all(s);             /* before the processes that embed GILs */
    for (int p = 0; p < s->nprocs; p++)
        life_process_free(s->procs[p]);
    free(s->loops);
    free(s->pools);
    free(s->threads);
    slab_free(&s->thread_memory);    /* the threads themselves, after thr_free */
    free(s->procs);
    free(s->marks);
    free(s->os.cores);
    os_free(&s->os);
    eng_free(&s->eng);
    memset(s, 0, sizeof *s);
}

sim_t *sim_new(const config_t *cfg, const sim_opts_t *opts, int *status)
{
    sim_t *s = malloc(sizeof *s);
    if (!s)
        return NULL;
    *status = sim_build(s, cfg, opts);
    return s;
}

void sim_delete(sim_t *s)
{
    if (!s)
        return;
    sim_free(s);
    free(s);
}

simtime_t sim_now(const sim_t *s)
{
    return s->eng.now;
}
