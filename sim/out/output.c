/* output.c — trace.csv, log.csv, threads.csv, tasks.csv (its rows:
 * tasks.c) and summary.csv: their columns are columns.def's, their event
 * names events.def's; the folder's files are runfiles.h's. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "columns.h"
#include "out/output.h"
#include "out/runfiles.h"
#include "out/tasks.h"
#include "model/thread.h"
#include "gil/gil.h"
#include "engine/util.h"

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
 * core, event, detail, gil (columns.def's TRACE_COL order).  `event` and a
 * plain detail are fixed words that need no quotes; a quoted detail (a
 * thread name) goes through libcsv. */
static void trace_row(output_t *o, simtime_t t, const thread_t *th, const char *event,
                      const char *detail, int quote_detail)
{
    const qname_t *pq = quoted(&o->trace, &o->proc_q, &o->nprocs, th->proc->id, th->proc->name);
    const qname_t *tq = quoted(&o->trace, &o->thread_q, &o->nthreads, th->id, th->name);
    size_t elen = strlen(event), dlen = detail ? strlen(detail) : 0;
    size_t droom = quote_detail && detail ? csvw_quoted_len(detail, dlen) : dlen;
    char *p = csvw_reserve(&o->trace, 64 + pq->n + tq->n + elen + droom);
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
    if (th->os.core >= 0)
        p = csvw_put_i64(p, th->os.core);
    *p++ = ',';
    p = csvw_put(p, event, elen);
    *p++ = ',';
    if (detail)
        p = quote_detail ? csvw_put_quoted(p, detail, dlen) : csvw_put(p, detail, dlen);
    *p++ = ',';
    p = csvw_put_i64(p, th->gil->interp);
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

static void sink_event(void *ctx, simtime_t t, const thread_t *th, enum model_event ev,
                       const char *detail)
{
    trace_row(ctx, t, th, trace_model_event_names[ev], detail, 1);
}

/* time, process, thread, task, kind, text: columns.def's LOG_COL order */
static void sink_log(void *ctx, simtime_t t, const thread_t *th, const char *task,
                     enum log_kind kind, const char *text)
{
    output_t *o = ctx;
    csvw_i64(&o->log, t);
    put_names(o, &o->log, th);
    if (task)
        csvw_text(&o->log, task);
    else
        csvw_empty(&o->log);
    put_name(&o->log, trace_log_kind_names[kind]);
    csvw_text(&o->log, text ? text : "");
    csvw_end(&o->log);
}

/* A file's column names (columns.def), the fields of its header row:
 * the fixed ones (a row in angle brackets is named by the run). */
static void col_names(csvw_t *w, enum col_file_id file)
{
    const col_file_t *f = &col_files[file];
    for (int i = 0; i < f->ncols; i++)
        if (!col_named_later(&f->cols[i]))
            csvw_raw(w, f->cols[i].name, strlen(f->cols[i].name));
}

static void header(csvw_t *w, enum col_file_id file)
{
    col_names(w, file);
    csvw_end(w);
}

/* DIR/NAME.part, malloc'd (NULL: out of memory). */
static char *part_path(const char *dir, enum col_file_id file)
{
    char part[64];
    snprintf(part, sizeof part, "%s.part", col_files[file].name);
    return path_join(dir, part);
}

static int open_part(output_t *o, csvw_t *w, enum col_file_id file)
{
    char *p = part_path(o->dir, file);
    int r = !p ? -1 : w == &o->trace ? csvw_open_background(w, p) : csvw_open(w, p);
    free(p);
    if (r == 0)
        header(w, file);
    return r;
}

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
    if (open_part(o, &o->log, COL_LOG_CSV) != 0 ||
        (level == TRACE_FULL && open_part(o, &o->trace, COL_TRACE_CSV) != 0)) {
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

/* A time, or an empty field where there is none (negative). */
static void put_time(csvw_t *w, simtime_t ns)
{
    if (ns >= 0)
        csvw_i64(w, ns);
    else
        csvw_empty(w);
}

/* threads.csv and summary.csv have the same four blocking columns in the
 * same order: put_extra's `which` counts from the first. */
_Static_assert(COL_THREADS_BLOCKING_EXTRA_MAX - COL_THREADS_BLOCKING_OPS == 3 &&
               COL_SUMMARY_BLOCKING_EXTRA_MAX - COL_SUMMARY_BLOCKING_OPS == 3,
               "blocking_ops, _p50, _p99, _max in a row");

/* Blocking column `which` (0 blocking_ops, 1 p50, 2 p99, 3 max) of the
 * extras in h: the percentiles and the maximum are empty when there were
 * none. */
static void put_extra(csvw_t *w, int which, const hist_t *h)
{
    if (which == 0)
        csvw_u64(w, h->count);
    else if (which < 3)
        put_time(w, hist_percentile(h, which == 1 ? 50 : 99, 100));
    else
        put_time(w, h->count ? h->max : -1);
}

/* One field of a thread's row.  A switch over columns.def's ids, so a
 * column without a value here does not compile (-Wswitch). */
static void thread_field(csvw_t *w, enum threads_col col, const run_stats_t *st,
                         const thread_t *t)
{
    const group_stats_t *g = &st->groups[st->group_of[t->id]];
    simtime_t life = 0;
    switch (col) {
    case COL_THREADS_PROCESS: csvw_text(w, t->proc->name); break;
    case COL_THREADS_THREAD: csvw_text(w, t->name); break;
    case COL_THREADS_GROUP: csvw_text(w, t->group); break;
#define EV_STATE(id, name, meaning, detail) \
    case COL_THREADS_##id##_NS: csvw_i64(w, t->state_time[id]); break;
#define EV_STATE_END(id, name, meaning, detail)
#include "events.def"
    case COL_THREADS_LIFETIME:
        for (int k = 0; k < TS_DONE; k++)
            life += t->state_time[k];
        csvw_i64(w, life);
        break;
    case COL_THREADS_WORK: csvw_i64(w, thr_work(t)); break;
    case COL_THREADS_WORK_SHARE:
        csvw_f64(w, g->work_ns > 0 ? (double)thr_work(t) / (double)g->work_ns : 0);
        break;
    case COL_THREADS_GIL_TAKES: csvw_u64(w, t->gthr.takes); break;
    case COL_THREADS_FORCED_DROPS: csvw_u64(w, t->gthr.forced_drops); break;
    case COL_THREADS_OPS_DONE: csvw_u64(w, t->ops_done); break;
    case COL_THREADS_START: csvw_i64(w, t->born); break;
    case COL_THREADS_FINISHED: put_time(w, t->finish); break;
    case COL_THREADS_GROUP_SIZE: csvw_i64(w, g->n); break;
    case COL_THREADS_BLOCKING_OPS:
    case COL_THREADS_BLOCKING_EXTRA_P50:
    case COL_THREADS_BLOCKING_EXTRA_P99:
    case COL_THREADS_BLOCKING_EXTRA_MAX:
        put_extra(w, (int)(col - COL_THREADS_BLOCKING_OPS), &t->blocking_extra);
        break;
    case COL_THREADS_PREEMPTIONS: csvw_u64(w, t->preemptions); break;
    case COL_THREADS_MIGRATIONS: csvw_u64(w, t->os.migrations); break;
    case COL_THREADS_LOST_UPDATES: csvw_u64(w, t->lost_updates); break;
    case COL_THREADS__COUNT: break;
    }
}

/* 0, or the errno of the failure. */
static int close_errno(csvw_t *w)
{
    return csvw_close(w) == 0 ? 0 : w->err_no ? w->err_no : EIO;
}

/* The rows of a file written when the run has ended. */
typedef void (*rows_fn)(csvw_t *w, const sim_t *s, const run_stats_t *st);

/* DIR/NAME.part: the header row (the table's names, then any the run
 * names: head, or NULL), then the rows.  0, or the errno. */
static int write_at_end(const char *dir, enum col_file_id file, rows_fn head, rows_fn rows,
                        const sim_t *s, const run_stats_t *st)
{
    char *p = part_path(dir, file);
    csvw_t w;
    int e = !p ? ENOMEM : csvw_open(&w, p) != 0 ? (errno ? errno : EIO) : 0;
    free(p);
    if (e)
        return e;
    col_names(&w, file);
    if (head)
        head(&w, s, st);
    csvw_end(&w);
    rows(&w, s, st);
    return close_errno(&w);
}

static void thread_rows(csvw_t *w, const sim_t *s, const run_stats_t *st)
{
    for (int i = 0; i < s->nthreads; i++) {
        for (int c = 0; c < COL_THREADS__COUNT; c++)
            thread_field(w, (enum threads_col)c, st, s->threads[i]);
        csvw_end(w);
    }
}

static void task_rows(csvw_t *w, const sim_t *s, const run_stats_t *st)
{
    (void)st;
    tasks_csv_rows(w, s);
}

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
        for (int c = 0; c < s->os.ncores; c++)
            list_add(&b, "%.4f", st->core_util[c]);
    } else {
        for (int i = 0; i < s->ngils; i++) {
            const gil_t *g = s->gils[i];
            if (g->interp)
                list_add(&b, "%s#%d:%llu:%llu", g->proc->name, g->interp,
                         (unsigned long long)g->switches, (unsigned long long)g->drop_requests);
            else
                list_add(&b, "%s:%llu:%llu", g->proc->name, (unsigned long long)g->switches,
                         (unsigned long long)g->drop_requests);
        }
    }
    list_put(w, &b);
}

void out_summary_header(csvw_t *w)
{
    col_names(w, COL_SUMMARY_CSV);
}

/* One field of the summary row: a switch over columns.def's ids, as for
 * threads.csv. */
static void summary_field(csvw_t *w, enum summary_col col, const sim_t *s,
                          const run_stats_t *st)
{
    char ver[16];
    switch (col) {
    case COL_SUMMARY_CONFIG: csvw_text(w, s->cfg->name); break;
    case COL_SUMMARY_SEED: csvw_u64(w, s->cfg->seed); break;
    case COL_SUMMARY_CORES: csvw_i64(w, s->os.ncores); break;
    case COL_SUMMARY_SWITCH_INTERVAL: csvw_i64(w, s->cfg->python.switch_interval); break;
    case COL_SUMMARY_PROCESSES: csvw_i64(w, s->nprocs); break;
    case COL_SUMMARY_THREADS: csvw_i64(w, s->nthreads); break;
    case COL_SUMMARY_MAKESPAN: csvw_i64(w, st->makespan); break;
    case COL_SUMMARY_ENDED_BY:
        csvw_text(w, s->deadlock ? "deadlock" : s->cut ? "duration" : "all_done");
        break;
    case COL_SUMMARY_EVENTS: csvw_u64(w, st->events); break;
    case COL_SUMMARY_WALL: csvw_f64(w, st->wall_s); break;
    case COL_SUMMARY_CORE_UTIL_MEAN: csvw_f64(w, st->core_util_mean); break;
    case COL_SUMMARY_CORE_UTIL: summary_lists(w, s, st, 0); break;
    case COL_SUMMARY_GIL_SWITCHES: csvw_u64(w, st->gil_switches); break;
    case COL_SUMMARY_GIL_DROP_REQUESTS: csvw_u64(w, st->gil_drop_requests); break;
    case COL_SUMMARY_GIL_FORCED_DROPS: csvw_u64(w, st->gil_forced_drops); break;
    case COL_SUMMARY_GIL_BY_PROCESS: summary_lists(w, s, st, 1); break;
    case COL_SUMMARY_JAIN_MIN: csvw_f64(w, st->jain_min); break;
    case COL_SUMMARY_MEM_PEAK: csvw_i64(w, s->mem_peak); break;
    case COL_SUMMARY_PEAK_THREADS: csvw_i64(w, s->peak_threads); break;
    case COL_SUMMARY_PEAK_TASKS: csvw_i64(w, s->peak_tasks); break;
    case COL_SUMMARY_PEAK_PROCESSES: csvw_i64(w, s->peak_procs); break;
    case COL_SUMMARY_GIL_POLICY: csvw_text(w, gil_policy_lookup(s->cfg->python.gil)->name); break;
    case COL_SUMMARY_PYTHON_VERSION: csvw_text(w, cfg_version_text(s->cfg, ver, sizeof ver)); break;
    case COL_SUMMARY_GIL_FAILED_WAKEUPS: csvw_u64(w, st->gil_failed_wakeups); break;
    case COL_SUMMARY_STW_PAUSES: csvw_u64(w, st->stw_pauses); break;
    case COL_SUMMARY_OPS_DONE: csvw_u64(w, st->ops_done); break;
    case COL_SUMMARY_WORK: csvw_i64(w, st->work_ns); break;
    case COL_SUMMARY_BLOCKING_OPS:
    case COL_SUMMARY_BLOCKING_EXTRA_P50:
    case COL_SUMMARY_BLOCKING_EXTRA_P99:
    case COL_SUMMARY_BLOCKING_EXTRA_MAX:
        put_extra(w, (int)(col - COL_SUMMARY_BLOCKING_OPS), &st->blocking_extra);
        break;
    case COL_SUMMARY_LOST_UPDATES: csvw_u64(w, st->lost_updates); break;
    case COL_SUMMARY_GILSIM_VERSION:
        csvw_text(w, st->gilsim_version ? st->gilsim_version : "unknown");
        break;
    case COL_SUMMARY_CONFIG_HASH: {
        char hex[17];
        snprintf(hex, sizeof hex, "%016" PRIx64, s->cfg->hash);
        csvw_text(w, hex);
        break;
    }
    case COL_SUMMARY_MARKS:          /* named by the run: st->named, out_named_value */
    case COL_SUMMARY_FINISHED:
    case COL_SUMMARY_JAIN:
    case COL_SUMMARY_CV:
    case COL_SUMMARY__COUNT: break;
    }
}

void out_summary_fields(csvw_t *w, const sim_t *s, const run_stats_t *st)
{
    for (int c = 0; c < COL_SUMMARY__COUNT; c++)
        summary_field(w, (enum summary_col)c, s, st);
}

void out_named_value(csvw_t *w, const named_col_t *c)
{
    if (c->row == COL_SUMMARY_JAIN || c->row == COL_SUMMARY_CV) {
        char text[48];
        int n = snprintf(text, sizeof text, NAMED_FRACTION_FORMAT, c->fraction);
        csvw_raw(w, text, (size_t)n);
    } else
        put_time(w, c->value);
}

/* summary.csv's columns named by the run (marks, groups' finish). */
static void summary_named_head(csvw_t *w, const sim_t *s, const run_stats_t *st)
{
    (void)s;
    for (int i = 0; i < st->nnamed; i++)
        csvw_text(w, st->named[i].name);
}

static void summary_row(csvw_t *w, const sim_t *s, const run_stats_t *st)
{
    out_summary_fields(w, s, st);
    for (int i = 0; i < st->nnamed; i++)
        out_named_value(w, &st->named[i]);
    csvw_end(w);
}

static void file_error(const output_t *o, const char *name, int e, char *err, int errsize)
{
    snprintf(err, (size_t)errsize, "writing %s/%s: %s", o->dir, name,
             strerror(e ? e : EIO));
}

int out_error(const output_t *o, char *err, int errsize)
{
    if (o->trace.error)
        file_error(o, col_files[COL_TRACE_CSV].name, o->trace.err_no, err, errsize);
    else if (o->log.error)
        file_error(o, col_files[COL_LOG_CSV].name, o->log.err_no, err, errsize);
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
    /* summary.csv, the file that says a run is complete, last */
    static const struct { enum col_file_id file; rows_fn head, rows; } at_end[] = {
        {COL_THREADS_CSV, NULL, thread_rows}, {COL_TASKS_CSV, NULL, task_rows},
        {COL_SUMMARY_CSV, summary_named_head, summary_row},
    };
    int e = 0;
    for (size_t i = 0; i < sizeof at_end / sizeof at_end[0] && !e; i++)
        if ((e = write_at_end(o->dir, at_end[i].file, at_end[i].head, at_end[i].rows, s, st)) != 0)
            file_error(o, col_files[at_end[i].file].name, e, err, errsize);
    const char *names[RUN_FILES_MAX];
    int n = run_files_written(o->level, o->json, names);
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
    const char *names[RUN_FILES_MAX];
    if (o->dir)                  /* trace.json.part too, whoever wrote it */
        outdir_remove_parts(o->dir, names, run_files_written(o->level, 1, names));
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
