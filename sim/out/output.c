/* output.c — trace.csv, threads.csv and summary.csv (columns: README). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "output.h"
#include "model/thread.h"
#include "gil/gil.h"
#include "engine/util.h"

const char *const trace_gil_event_names[] = {
    [GE_REQUEST] = "gil_request",
    [GE_DROP_REQUEST] = "gil_drop_request",
    [GE_DROP] = "gil_drop",
    [GE_TAKE] = "gil_take",
};

const char *const trace_drop_reason_names[] = {
    [DROP_FORCED] = "forced",
    [DROP_IO] = "io",
    [DROP_SLEEP] = "sleep",
    [DROP_NATIVE] = "native",
    [DROP_EXIT] = "exit",
    [DROP_WAIT] = "wait",
    [DROP_SELECT] = "select",
};

const char *const out_trace_header = "time_ns,process,thread,core,event,detail";

/* libcsv-quoted names, cached by id: threads and processes appear during
 * the run, so the caches grow.  Out of memory, the row gets an empty name
 * and its writer an error (ENOMEM), which stops the run like a failed
 * write: no file with a wrong name is kept. */
static const qname_t EMPTY_NAME = {"\"\"", 2};

static const qname_t *no_memory(csvw_t *w)
{
    w->error = 1;
    if (!w->err_no)
        w->err_no = ENOMEM;
    return &EMPTY_NAME;
}

static const qname_t *quoted(csvw_t *w, qname_t **cache, int *n, int id, const char *name)
{
    if (id >= *n) {
        int cap = *n ? *n : 64;
        while (cap <= id)
            cap *= 2;
        qname_t *c = realloc(*cache, sizeof *c * (size_t)cap);
        if (!c)
            return no_memory(w);
        memset(c + *n, 0, sizeof *c * (size_t)(cap - *n));
        *cache = c;
        *n = cap;
    }
    qname_t *q = &(*cache)[id];
    if (!q->s && (q->s = csvw_quote(name)))
        q->n = strlen(q->s);
    return q->s ? q : no_memory(w);
}

static void put_names(output_t *o, csvw_t *w, const thread_t *th)
{
    const qname_t *pq = quoted(w, &o->proc_q, &o->nprocs, th->proc->id, th->proc->name);
    const qname_t *tq = quoted(w, &o->thread_q, &o->nthreads, th->id, th->name);
    csvw_raw(w, pq->s, pq->n);
    csvw_raw(w, tq->s, tq->n);
}

/* One trace row, written whole into the buffer: time, process, thread,
 * core, event, detail.  `event` and a plain detail are fixed words that
 * need no quotes; a quoted detail (a thread name) goes through libcsv. */
static void trace_row(output_t *o, simtime_t t, const thread_t *th, const char *event,
                      const char *detail, int quote_detail)
{
    const qname_t *pq = quoted(&o->trace, &o->proc_q, &o->nprocs, th->proc->id, th->proc->name);
    const qname_t *tq = quoted(&o->trace, &o->thread_q, &o->nthreads, th->id, th->name);
    size_t elen = strlen(event), dlen = detail ? strlen(detail) : 0;
    size_t droom = quote_detail && detail ? csvw_quoted_len(detail, dlen) : dlen;
    char *p = csvw_reserve(&o->trace, 48 + pq->n + tq->n + elen + droom);
    if (!p) {                    /* a name longer than the buffer */
        o->trace.error = 1;
        o->trace.err_no = ENAMETOOLONG;
        return;
    }
    if (t != o->last_t) {        /* rows often share their time: format it once */
        o->last_t = t;
        o->last_tn = (size_t)(csvw_put_i64(o->last_ts, t) - o->last_ts);
    }
    p = csvw_put(p, o->last_ts, o->last_tn);
    *p++ = ',';
    p = csvw_put(p, pq->s, pq->n);
    *p++ = ',';
    p = csvw_put(p, tq->s, tq->n);
    *p++ = ',';
    if (th->core >= 0)
        p = csvw_put_i64(p, th->core);
    *p++ = ',';
    p = csvw_put(p, event, elen);
    *p++ = ',';
    if (detail)
        p = quote_detail ? csvw_put_quoted(p, detail, dlen) : csvw_put(p, detail, dlen);
    *p++ = '\n';
    csvw_commit(&o->trace, p);
    o->rows++;
}

static void put_name(csvw_t *w, const char *s)
{
    if (s)
        csvw_raw(w, s, strlen(s));
    else
        csvw_empty(w);
}

static void sink_state(void *ctx, simtime_t t, const thread_t *th,
                       enum thr_state st, const char *detail)
{
    trace_row(ctx, t, th, thr_state_names[st], detail, 0);
}

static void sink_gil(void *ctx, simtime_t t, const thread_t *th,
                     enum gil_event ev, const char *detail)
{
    /* a drop request's detail is the requesting thread's name: quote it */
    trace_row(ctx, t, th, trace_gil_event_names[ev], detail, ev == GE_DROP_REQUEST);
}

static void sink_event(void *ctx, simtime_t t, const thread_t *th, const char *event,
                       const char *detail)
{
    trace_row(ctx, t, th, event, detail, 1);
}

static void sink_log(void *ctx, simtime_t t, const thread_t *th, const char *task,
                     const char *kind, const char *text)
{
    output_t *o = ctx;
    csvw_i64(&o->log, t);
    put_names(o, &o->log, th);
    if (task)
        csvw_text(&o->log, task);
    else
        csvw_empty(&o->log);
    put_name(&o->log, kind);
    csvw_text(&o->log, text ? text : "");
    csvw_end(&o->log);
}

static int open_part(output_t *o, csvw_t *w, const char *name, const char *header)
{
    char part[64];
    snprintf(part, sizeof part, "%s.part", name);
    char *p = path_join(o->dir, part);
    int r = !p ? -1 : w == &o->trace ? csvw_open_background(w, p) : csvw_open(w, p);
    free(p);
    if (r == 0) {
        csvw_raw(w, header, strlen(header));
        csvw_end(w);
    }
    return r;
}

const char *const out_log_header = "time_ns,process,thread,task,kind,text";

int out_begin(output_t *o, const char *dir, enum trace_level level,
              const sim_t *s, char *err, int errsize)
{
    (void)s;
    *o = (output_t){0};
    o->last_t = -1;              /* no time formatted yet */
    o->level = level;
    if (level == TRACE_NONE)
        return 0;
    o->dir = strdup(dir);
    if (!o->dir || make_dirs(dir) != 0) {
        snprintf(err, errsize, "cannot create output folder %s: %s", dir, strerror(errno));
        return -1;
    }
    if (outdir_clean(dir, err, errsize) != 0)
        return -1;
    if (open_part(o, &o->log, "log.csv", out_log_header) != 0 ||
        (level == TRACE_FULL && open_part(o, &o->trace, "trace.csv", out_trace_header) != 0)) {
        snprintf(err, errsize, "cannot write in %s: %s", dir, strerror(errno));
        return -1;
    }
    o->sink = (trace_sink_t){.ctx = o, .log = sink_log};
    if (level == TRACE_FULL) {
        o->sink.state = sink_state;
        o->sink.gil = sink_gil;
        o->sink.event = sink_event;
    }
    return 0;
}

trace_sink_t *out_sink(output_t *o)
{
    return o->level == TRACE_NONE ? NULL : &o->sink;
}

static const char *const thread_cols[] = {
    "process", "thread", "group", "runnable_ns", "py_ns", "native_ns", "gil_wait_ns",
    "switch_wait_ns", "blocked_ns", "sync_wait_ns", "lifetime_ns", "work_ns", "work_share",
    "gil_acquisitions", "forced_drops", "ops_done", "start_ns", "finish_ns", "group_size",
};

static void header(csvw_t *w, const char *const *cols, size_t n)
{
    for (size_t i = 0; i < n; i++)
        csvw_raw(w, cols[i], strlen(cols[i]));
    csvw_end(w);
}

static void thread_row(csvw_t *w, const sim_t *s, const run_stats_t *st, const thread_t *t)
{
    const group_stats_t *g = &st->groups[st->group_of[t->id]];
    simtime_t life = 0;
    (void)s;
    csvw_text(w, t->proc->name);
    csvw_text(w, t->name);
    csvw_text(w, t->group);
    for (int k = 0; k < TS_DONE; k++) {
        csvw_i64(w, t->state_time[k]);
        life += t->state_time[k];
    }
    csvw_i64(w, life);
    csvw_i64(w, thr_work(t));
    csvw_f64(w, g->work_ns > 0 ? (double)thr_work(t) / (double)g->work_ns : 0);
    csvw_u64(w, t->gthr.takes);
    csvw_u64(w, t->gthr.forced_drops);
    csvw_u64(w, t->ops_done);
    csvw_i64(w, t->born);
    if (t->finish >= 0)
        csvw_i64(w, t->finish);
    else
        csvw_empty(w);
    csvw_i64(w, g->n);
    csvw_end(w);
}

/* 0, or the errno of the failure. */
static int close_errno(csvw_t *w)
{
    return csvw_close(w) == 0 ? 0 : w->err_no ? w->err_no : EIO;
}

static int write_threads(const char *path, const sim_t *s, const run_stats_t *st)
{
    csvw_t w;
    if (csvw_open(&w, path) != 0)
        return errno ? errno : EIO;
    header(&w, thread_cols, sizeof thread_cols / sizeof thread_cols[0]);
    for (int i = 0; i < s->nthreads; i++)
        thread_row(&w, s, st, s->threads[i]);
    return close_errno(&w);
}

static const char *const summary_cols[] = {
    "config", "seed", "cores", "switch_interval_ns", "processes", "threads",
    "makespan_ns", "ended_by", "events", "wall_s", "core_util_mean", "core_util",
    "gil_switches", "gil_drop_requests", "gil_forced_drops", "gil_by_process",
    "jain_min", "fairness_by_group", "mem_peak_bytes", "peak_threads", "peak_tasks",
    "peak_processes", "gil_policy", "gil_failed_wakeups", "stw_pauses", "ops_done", "work_ns",
};

/* A list field: items joined by ';', written as one quoted text field.
 * Items are whole (names are never cut); out of memory, the field's
 * writer gets an error (ENOMEM) instead of a list missing items. */
typedef struct listbuf { char *p; size_t len, cap; int failed; } listbuf_t;

static void list_add(listbuf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void list_add(listbuf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    size_t need = b->len + (size_t)(n > 0 ? n : 0) + 2;
    if (n >= 0 && need > b->cap) {
        char *p = realloc(b->p, need * 2);
        if (p) {
            b->p = p;
            b->cap = need * 2;
        }
    }
    if (n < 0 || need > b->cap) {
        b->failed = 1;
        return;
    }
    if (b->len)
        b->p[b->len++] = ';';
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static void list_put(csvw_t *w, listbuf_t *b)
{
    if (b->failed)
        no_memory(w);
    csvw_text(w, b->p ? b->p : "");
    free(b->p);
    *b = (listbuf_t){0};
}

static void summary_lists(csvw_t *w, const sim_t *s, const run_stats_t *st, int part)
{
    listbuf_t b = {0};
    if (part == 0) {
        for (int c = 0; c < s->ncores; c++)
            list_add(&b, "%.4f", st->core_util[c]);
    } else if (part == 1) {
        for (int i = 0; i < s->ngils; i++) {
            const gil_t *g = s->gils[i];
            if (g->interp)
                list_add(&b, "%s#%d:%llu:%llu", g->proc->name, g->interp,
                         (unsigned long long)g->switches, (unsigned long long)g->drop_requests);
            else
                list_add(&b, "%s:%llu:%llu", g->proc->name, (unsigned long long)g->switches,
                         (unsigned long long)g->drop_requests);
        }
    } else {
        for (int i = 0; i < st->ngroups; i++) {
            const group_stats_t *g = &st->groups[i];
            list_add(&b, "%s/%s:%.4f:%.4f", g->proc->name, g->label, g->jain, g->cv);
        }
    }
    list_put(w, &b);
}

void out_summary_header(csvw_t *w)
{
    for (size_t i = 0; i < sizeof summary_cols / sizeof summary_cols[0]; i++)
        csvw_raw(w, summary_cols[i], strlen(summary_cols[i]));
}

void out_summary_fields(csvw_t *w, const sim_t *s, const run_stats_t *st)
{
    csvw_text(w, s->cfg->name);
    csvw_u64(w, s->cfg->seed);
    csvw_i64(w, s->ncores);
    csvw_i64(w, s->cfg->python.switch_interval);
    csvw_i64(w, s->nprocs);
    csvw_i64(w, s->nthreads);
    csvw_i64(w, st->makespan);
    csvw_text(w, s->deadlock ? "deadlock" : s->cut ? "duration" : "all_done");
    csvw_u64(w, st->events);
    csvw_f64(w, st->wall_s);
    csvw_f64(w, st->core_util_mean);
    summary_lists(w, s, st, 0);
    csvw_u64(w, st->gil_switches);
    csvw_u64(w, st->gil_drop_requests);
    csvw_u64(w, st->gil_forced_drops);
    summary_lists(w, s, st, 1);
    csvw_f64(w, st->jain_min);
    summary_lists(w, s, st, 2);
    csvw_i64(w, s->mem_peak);
    csvw_i64(w, s->peak_threads);
    csvw_i64(w, s->peak_tasks);
    csvw_i64(w, s->peak_procs);
    csvw_text(w, s->procs[0]->gil.ops->name);
    csvw_u64(w, st->gil_failed_wakeups);
    csvw_u64(w, st->stw_pauses);
    csvw_u64(w, st->ops_done);
    csvw_i64(w, st->work_ns);
}

static int write_summary(const char *path, const sim_t *s, const run_stats_t *st)
{
    csvw_t w;
    if (csvw_open(&w, path) != 0)
        return errno ? errno : EIO;
    out_summary_header(&w);
    csvw_end(&w);
    out_summary_fields(&w, s, st);
    csvw_end(&w);
    return close_errno(&w);
}

/* The commit order: summary.csv, the file that says a run is complete,
 * last; trace.json only when the caller wrote it. */
static const char *const out_files[] = {"trace.csv", "trace.json", "log.csv", "threads.csv",
                                        "summary.csv"};
#define NFILES 5

static int run_files(const output_t *o, const char **names)
{
    int n = 0;
    for (int i = 0; i < NFILES; i++)
        if ((i != 0 || o->level == TRACE_FULL) && (i != 1 || o->json))
            names[n++] = out_files[i];
    return n;
}

static void file_error(const output_t *o, const char *name, int e, char *err, int errsize)
{
    snprintf(err, (size_t)errsize, "writing %s/%s: %s", o->dir, name,
             strerror(e ? e : EIO));
}

int out_error(const output_t *o, char *err, int errsize)
{
    if (o->trace.error)
        file_error(o, "trace.csv", o->trace.err_no, err, errsize);
    else if (o->log.error)
        file_error(o, "log.csv", o->log.err_no, err, errsize);
    return out_failed(o);
}

int out_finish(output_t *o, const sim_t *s, const run_stats_t *st,
               char *err, int errsize)
{
    if (o->level == TRACE_NONE)
        return 0;
    if (o->level == TRACE_FULL)
        csvw_close(&o->trace);
    csvw_close(&o->log);
    if (out_error(o, err, errsize)) {
        out_abort(o);
        return -1;
    }
    char *tp = path_join(o->dir, "threads.csv.part");
    char *sp = path_join(o->dir, "summary.csv.part");
    int e = tp && sp ? write_threads(tp, s, st) : ENOMEM;
    if (e)
        file_error(o, "threads.csv", e, err, errsize);
    else if ((e = write_summary(sp, s, st)) != 0)
        file_error(o, "summary.csv", e, err, errsize);
    free(tp);
    free(sp);
    const char *names[NFILES];
    int n = run_files(o, names);
    if (e) {
        outdir_remove_parts(o->dir, names, n);
        return -1;
    }
    return outdir_commit(o->dir, names, n, err, errsize);
}

void out_abort(output_t *o)
{
    if (o->trace.f)
        csvw_close(&o->trace);
    if (o->log.f)
        csvw_close(&o->log);
    if (o->dir)
        outdir_remove_parts(o->dir, out_files, NFILES);
}

void out_free(output_t *o)
{
    for (int i = 0; o->thread_q && i < o->nthreads; i++)
        free(o->thread_q[i].s);
    for (int i = 0; o->proc_q && i < o->nprocs; i++)
        free(o->proc_q[i].s);
    free(o->thread_q);
    free(o->proc_q);
    free(o->dir);
    *o = (output_t){0};
}
