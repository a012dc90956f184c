/* runner.c — see runner.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "out/report.h"
#include "engine/util.h"
#include "model/trace.h"
#include "out/output.h"
#include "model/hang.h"
#include "model/thread.h"
#include "out/perfetto.h"
#include "out/runfiles.h"
#include "runner.h"
#include "sim.h"
#include "stats.h"

typedef struct progress {
    struct timespec start;
    int shown, enabled;          /* enabled: run_opts_t's show_progress */
    double last;                 /* wall time of the last line (RUN_PROGRESS_LINES) */
} progress_t;

static double wall_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Progress goes to stderr, and only once a run has taken a second: on a
 * terminal one line rewritten in place, elsewhere a line a second. */
static void show_progress(void *ctx, simtime_t now, simtime_t end)
{
    progress_t *p = ctx;
    double wall = p->enabled ? wall_since(&p->start) : 0;
    if (wall < 1.0 || (p->enabled == RUN_PROGRESS_LINES && wall - p->last < 1.0))
        return;
    const char *lead = p->enabled == RUN_PROGRESS_TTY ? "\r" : "";
    const char *tail = p->enabled == RUN_PROGRESS_TTY ? "   " : "\n";
    char a[32], b[32];
    report_time(now, a, sizeof a);
    if (end != SIMTIME_NEVER) {
        report_time(end, b, sizeof b);
        fprintf(stderr, "%ssimulated %s of %s (%.0f%%)%s", lead, a, b,
                100.0 * (double)now / (double)end, tail);
    } else {
        fprintf(stderr, "%ssimulated %s%s", lead, a, tail);
    }
    p->last = wall;
    p->shown = 1;
}

/* Passes every record to the output's sink and keeps the program's first
 * output lines for the printed summary. */
typedef struct tee {
    trace_sink_t sink;
    trace_sink_t *out;
    trace_sink_t *extra;         /* the Perfetto export, or NULL */
    report_log_t log;
    const output_t *files;       /* their writers' error flags */
    const perfetto_t *pf;
    volatile sig_atomic_t *stop;
} tee_t;

/* A failed write stops the run at the next event: a full disk is
 * reported at once, not after simulating to the end. */
static inline void tee_check(tee_t *e)
{
    if (out_failed(e->files) || (e->pf && perfetto_error(e->pf)))
        *e->stop = RUN_STOP_WRITE;
}

static void tee_state(void *ctx, simtime_t t, const thread_t *th, enum thr_state st,
                      const char *detail)
{
    tee_t *e = ctx;
    if (e->out && e->out->state)
        e->out->state(e->out->ctx, t, th, st, detail);
    if (e->extra)
        e->extra->state(e->extra->ctx, t, th, st, detail);
    tee_check(e);
}

static void tee_gil(void *ctx, simtime_t t, const thread_t *th, enum gil_event ev,
                    const char *detail)
{
    tee_t *e = ctx;
    if (e->out && e->out->gil)
        e->out->gil(e->out->ctx, t, th, ev, detail);
    if (e->extra)
        e->extra->gil(e->extra->ctx, t, th, ev, detail);
    tee_check(e);
}

static void tee_event(void *ctx, simtime_t t, const thread_t *th, enum model_event ev,
                      const char *detail)
{
    tee_t *e = ctx;
    if (e->out && e->out->event)
        e->out->event(e->out->ctx, t, th, ev, detail);
    tee_check(e);
}

/* Tasks matter to trace.json only. */
static void tee_task(void *ctx, simtime_t t, const task_t *k)
{
    tee_t *e = ctx;
    e->extra->task(e->extra->ctx, t, k);
    tee_check(e);
}

static void tee_task_link(void *ctx, simtime_t t, const task_t *from, const task_t *to,
                          const char *why)
{
    tee_t *e = ctx;
    e->extra->task_link(e->extra->ctx, t, from, to, why);
    tee_check(e);
}

static void tee_log(void *ctx, simtime_t t, const thread_t *th, const char *task,
                    enum log_kind kind, const char *text)
{
    tee_t *e = ctx;
    report_keep(&e->log, t, th->name, task, trace_log_kind_names[kind], text);
    if (e->out && e->out->log)
        e->out->log(e->out->ctx, t, th, task, kind, text);
    tee_check(e);
}

static void tee_init(tee_t *e, output_t *files, perfetto_t *pf, volatile sig_atomic_t *stop)
{
    trace_sink_t *out = out_sink(files), *extra = pf ? perfetto_sink(pf) : NULL;
    memset(e, 0, sizeof *e);
    e->out = out;
    e->extra = extra;
    e->files = files;
    e->pf = pf;
    e->stop = stop;
    e->sink = (trace_sink_t){.ctx = e,
                             .state = (out && out->state) || extra ? tee_state : NULL,
                             .gil = (out && out->gil) || extra ? tee_gil : NULL,
                             .event = out && out->event ? tee_event : NULL, .log = tee_log,
                             .task = extra ? tee_task : NULL,
                             .task_link = extra ? tee_task_link : NULL};
}

/* A hung program is a result, not an error: say who waits for what (as
 * log.csv's deadlock rows do). */
static void warn_deadlock(const sim_t *s)
{
    say("warning: the program hangs at %.6f s: %d threads blocked for ever",
            (double)s->eng.now / 1e9, s->live);
    int shown = 0;
    for (int i = 0; i < s->nthreads && shown < 8; i++) {
        const thread_t *t = s->threads[i];
        if (t->state == TS_DONE)
            continue;
        char pn[NAME_SHOWN], tn[NAME_SHOWN], what[HANG_TEXT_MAX], wn[4 * HANG_TEXT_MAX + 1];
        hang_describe(s, t, what, sizeof what);
        fprintf(stderr, "  %s/%s: waits for %s\n", text_shown(t->proc->name, pn, sizeof pn),
                text_shown(t->name, tn, sizeof tn), text_shown(what, wn, sizeof wn));
        shown++;
    }
}

static void print_files(const run_opts_t *o, const sim_t *sim, const run_stats_t *st,
                        const report_log_t *log)
{
    if (o->trace == TRACE_NONE) {
        report_print(o->report, sim, st, log, NULL);
        return;
    }
    const char *names[RUN_FILES_MAX];
    int nnames = run_files_written(o->trace, o->perfetto, names);
    size_t n = strlen(o->outdir) + 2;
    for (int i = 0; i < nnames; i++)
        n += strlen(names[i]) + 2;
    char *files = malloc(n);
    if (files) {                 /* "DIR/a.csv, b.csv, ..." */
        size_t used = (size_t)snprintf(files, n, "%s/", o->outdir);
        for (int i = 0; i < nnames; i++)
            used += (size_t)snprintf(files + used, n - used, "%s%s", i ? ", " : "", names[i]);
    }
    report_print(o->report, sim, st, log, files);
    free(files);
}

static const char *program_version = "unknown";

void run_set_version(const char *version)
{
    program_version = version;
}

const char *run_version(void)
{
    return program_version;
}

/* Writes the run's last files and renames them all; stops short, with no
 * file kept, when a signal came after the last event. */
static int finish_run(sim_t *sim, output_t *out, const run_opts_t *o, const report_log_t *log,
                      double wall)
{
    char err[PATH_ERR_MAX];
    run_stats_t st;
    if (stats_compute(sim, wall, &st) != 0) {
        say("out of memory computing the statistics of %d threads",
                sim->nthreads);
        stats_free(&st);
        out_abort(out);
        return 1;
    }
    st.gilsim_version = program_version;
    if (o->on_done)
        o->on_done(o->done_ctx, sim, &st);
    int rc = 0;
    if (*o->stop) {
        out_abort(out);
        rc = SIM_STOPPED;
    } else if (out_finish(out, sim, &st, err, sizeof err) != 0) {
        say("%s", err);
        rc = 1;
    } else if (o->report) {
        print_files(o, sim, &st, log);
    }
    stats_free(&st);
    return rc;
}

/* Why the run stopped early, in one line; returns the exit status. */
static int report_stop(const config_t *cfg, const sim_t *sim, const run_opts_t *o,
                       const output_t *out, perfetto_t *pf)
{
    char now[32], end[32], sn[32], err[PATH_ERR_MAX] = "a write failed";
    const char *name = cfg->path ? cfg->path : cfg->name;
    report_time(sim->eng.now, now, sizeof now);
    snprintf(end, sizeof end, "no limit");
    if (cfg->duration > 0)
        report_time(cfg->duration, end, sizeof end);
    if (*o->stop > 0) {
        if (!o->quiet_stop)
            say("%s interrupted by %s at simulated %s of %s; no files "
                    "written", name, outdir_signame(*o->stop, sn, sizeof sn), now, end);
        return 128 + *o->stop;
    }
    if (!out_error(out, err, sizeof err) && pf)
        snprintf(err, sizeof err, "writing %s/trace.json: %s", o->outdir,
                 strerror(perfetto_error(pf)));
    say("%s; %s stopped at simulated %s of %s, no files written", err,
            name, now, end);
    return 1;
}

/* The run's trace.json.part, when asked for; 0, or 1 with a message. */
static int open_perfetto(const run_opts_t *o, output_t *out, perfetto_t **pf)
{
    *pf = NULL;
    if (!o->perfetto || o->trace == TRACE_NONE)
        return 0;
    char *part = path_join(o->outdir, "trace.json.part");
    *pf = part ? perfetto_open(part) : NULL;
    if (!*pf)
        say("cannot write %s/trace.json.part: %s", o->outdir,
                strerror(part ? errno : ENOMEM));
    free(part);
    out->json = 1;
    return *pf ? 0 : 1;
}

static int simulate(sim_t *sim, const config_t *cfg, const run_opts_t *o, output_t *out,
                    progress_t *prog)
{
    perfetto_t *pf;
    if (open_perfetto(o, out, &pf) != 0) {
        out_abort(out);
        return 1;
    }
    tee_t tee;
    tee_init(&tee, out, pf, o->stop);
    sim->trace = &tee.sink;
    sim->eng.stop_flag = o->stop;
    int r = sim_run(sim);
    if (prog->shown && prog->enabled == RUN_PROGRESS_TTY)
        fprintf(stderr, "\r%60s\r", "");
    if (r == SIM_STOPPED) {
        int rc = report_stop(cfg, sim, o, out, pf);
        if (pf)
            perfetto_close(pf, sim);
        out_abort(out);
        return rc;
    }
    int pe = pf ? perfetto_close(pf, sim) : 0;
    if (r != 0 || pe) {
        if (pe)
            say("writing %s/trace.json: %s", o->outdir, strerror(pe));
        else if (r == SIM_ERR_INTERNAL)
            say("internal error in %s: %s",
                    cfg->path ? cfg->path : cfg->name, sim_violation(sim));
        else             /* the message names the config and, where known, the op */
            say("%s", sim_violation(sim));
        out_abort(out);
        return r == SIM_ERR_USER ? 2 : 1;
    }
    if (sim->deadlock && !o->quiet_warnings)
        warn_deadlock(sim);
    int rc = finish_run(sim, out, o, &tee.log, wall_since(&prog->start));
    return rc == SIM_STOPPED ? report_stop(cfg, sim, o, out, NULL) : rc;
}

int run_simulation(const config_t *cfg, const run_opts_t *opts)
{
    char err[PATH_ERR_MAX];
    volatile sig_atomic_t own_stop = 0;
    run_opts_t o = *opts;
    if (!o.stop)
        o.stop = &own_stop;
    progress_t prog = {.enabled = o.show_progress};
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    sim_opts_t so = {.check_invariants = o.check_invariants,
                     .progress = show_progress, .progress_ctx = &prog};
    sim_t sim;
    output_t out = {0};
    int rc = 1;
    int r = sim_build(&sim, cfg, &so);
    if (r != SIM_OK) {
        say("%s", sim_violation(&sim));
        rc = r == SIM_ERR_USER ? 2 : 1;
    } else if (out_begin(&out, o.outdir, o.trace, &sim, err, sizeof err) != 0) {
        say("%s", err);
        out_abort(&out);
    } else {
        rc = simulate(&sim, cfg, &o, &out, &prog);
    }
    out_free(&out);
    sim_free(&sim);
    return rc;
}
