/* runner.c — see runner.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "report.h"
#include "trace.h"
#include "thread.h"
#include "perfetto.h"
#include "runner.h"
#include "sim.h"
#include "stats.h"

typedef struct progress {
    struct timespec start;
    int shown, enabled;
} progress_t;

static double wall_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Progress goes to stderr, and only once a run has taken a second. */
static void show_progress(void *ctx, simtime_t now, simtime_t end)
{
    progress_t *p = ctx;
    if (!p->enabled || wall_since(&p->start) < 1.0)
        return;
    char a[32], b[32];
    report_time(now, a, sizeof a);
    if (end != SIMTIME_NEVER) {
        report_time(end, b, sizeof b);
        fprintf(stderr, "\rsimulated %s of %s (%.0f%%)   ", a, b,
                100.0 * (double)now / (double)end);
    } else {
        fprintf(stderr, "\rsimulated %s   ", a);
    }
    p->shown = 1;
}

/* Passes every record to the output's sink and keeps the program's first
 * output lines for the printed summary. */
typedef struct tee {
    trace_sink_t sink;
    trace_sink_t *out;
    trace_sink_t *extra;         /* the Perfetto export, or NULL */
    report_log_t log;
} tee_t;

static void tee_state(void *ctx, simtime_t t, const thread_t *th, enum thr_state st,
                      const char *detail)
{
    tee_t *e = ctx;
    if (e->out && e->out->state)
        e->out->state(e->out->ctx, t, th, st, detail);
    if (e->extra)
        e->extra->state(e->extra->ctx, t, th, st, detail);
}

static void tee_gil(void *ctx, simtime_t t, const thread_t *th, enum gil_event ev,
                    const char *detail)
{
    tee_t *e = ctx;
    if (e->out && e->out->gil)
        e->out->gil(e->out->ctx, t, th, ev, detail);
    if (e->extra)
        e->extra->gil(e->extra->ctx, t, th, ev, detail);
}

static void tee_event(void *ctx, simtime_t t, const thread_t *th, const char *event,
                      const char *detail)
{
    tee_t *e = ctx;
    if (e->out && e->out->event)
        e->out->event(e->out->ctx, t, th, event, detail);
}

static void tee_log(void *ctx, simtime_t t, const thread_t *th, const char *task,
                    const char *kind, const char *text)
{
    tee_t *e = ctx;
    report_keep(&e->log, t, th->name, task, kind, text);
    if (e->out && e->out->log)
        e->out->log(e->out->ctx, t, th, task, kind, text);
}

static void tee_init(tee_t *e, trace_sink_t *out, trace_sink_t *extra)
{
    memset(e, 0, sizeof *e);
    e->out = out;
    e->extra = extra;
    e->sink = (trace_sink_t){e, (out && out->state) || extra ? tee_state : NULL,
                             (out && out->gil) || extra ? tee_gil : NULL,
                             out && out->event ? tee_event : NULL, tee_log};
}

/* A hung program is a result, not an error: say who waits for what. */
static void warn_deadlock(const sim_t *s)
{
    fprintf(stderr, "gilsim: warning: the program hangs at %.6f s: %d threads blocked for ever\n",
            (double)s->eng.now / 1e9, s->live);
    int shown = 0;
    for (int i = 0; i < s->nthreads && shown < 8; i++) {
        const thread_t *t = s->threads[i];
        if (t->state == TS_DONE)
            continue;
        fprintf(stderr, "  %s/%s: %s%s%s\n", t->proc->name, t->name, thr_state_names[t->state],
                t->state_detail ? " " : "", t->state_detail ? t->state_detail : "");
        shown++;
    }
}

static void files_line(const run_opts_t *o, char *buf, size_t size)
{
    if (o->trace == TRACE_FULL)
        snprintf(buf, size, "%s/trace.csv, log.csv, threads.csv, summary.csv", o->outdir);
    else
        snprintf(buf, size, "%s/log.csv, threads.csv, summary.csv", o->outdir);
}

static int finish_run(sim_t *sim, output_t *out, const run_opts_t *o, const report_log_t *log,
                      double wall)
{
    char err[512];
    run_stats_t st;
    if (stats_compute(sim, wall, &st) != 0) {
        fprintf(stderr, "gilsim: out of memory computing the statistics of %d threads\n",
                sim->nthreads);
        stats_free(&st);
        out_abort(out);
        return 1;
    }
    if (o->on_done)
        o->on_done(o->done_ctx, sim, &st);
    int rc = 0;
    if (out_finish(out, sim, &st, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: %s\n", err);
        out_abort(out);
        rc = 1;
    } else if (o->report) {
        char files[1024];
        files_line(o, files, sizeof files);
        report_print(o->report, sim, &st, log, o->trace == TRACE_NONE ? NULL : files);
    }
    stats_free(&st);
    return rc;
}

int run_simulation(const config_t *cfg, const run_opts_t *o)
{
    char err[512];
    progress_t prog = {.enabled = o->show_progress};
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    sim_opts_t so = {.check_invariants = o->check_invariants,
                     .progress = show_progress, .progress_ctx = &prog};
    sim_t sim;
    output_t out = {0};
    int rc = 1;
    int r = sim_build(&sim, cfg, &so);
    if (r != SIM_OK) {
        fprintf(stderr, "gilsim: %s\n", sim_violation(&sim));
        rc = r == SIM_ERR_USER ? 2 : 1;
        goto done;
    }
    if (out_begin(&out, o->outdir, o->trace, &sim, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: %s\n", err);
        out_abort(&out);
        goto done;
    }
    tee_t tee;
    char json[1100], json_part[1200];
    perfetto_t *pf = NULL;
    if (o->perfetto && o->trace != TRACE_NONE) {
        snprintf(json, sizeof json, "%s/trace.json", o->outdir);
        snprintf(json_part, sizeof json_part, "%s.part", json);
        if (!(pf = perfetto_open(json_part))) {
            fprintf(stderr, "gilsim: cannot write %s\n", json_part);
            out_abort(&out);
            goto done;
        }
    }
    tee_init(&tee, out_sink(&out), pf ? perfetto_sink(pf) : NULL);
    sim.trace = &tee.sink;
    r = sim_run(&sim);
    if (prog.shown)
        fprintf(stderr, "\r%60s\r", "");
    if (pf && (perfetto_close(pf, &sim) != 0 || r != 0 || rename(json_part, json) != 0))
        remove(json_part);
    if (r != 0) {
        if (r == SIM_ERR_INTERNAL)
            fprintf(stderr, "gilsim: internal error in %s: %s\n",
                    cfg->path ? cfg->path : cfg->name, sim_violation(&sim));
        else             /* the message names the config and, where known, the op */
            fprintf(stderr, "gilsim: %s\n", sim_violation(&sim));
        out_abort(&out);
        rc = r == SIM_ERR_USER ? 2 : 1;
        goto done;
    }
    if (sim.deadlock)
        warn_deadlock(&sim);
    rc = finish_run(&sim, &out, o, &tee.log, wall_since(&prog.start));
done:
    out_free(&out);
    sim_free(&sim);
    return rc;
}
