/* plottrace.c — reads a run's trace.csv back (libcsv, streamed in 64 KiB
 * chunks, never whole) into the timeline's lanes (plotfeed.h), and writes
 * the timeline's data file (plotdat.h) and latency.dat: plot_prepare.
 *
 * A run folder is untrusted input (students hand them in): every row is
 * checked (seven fields, a header, integer times that never go backwards,
 * known events, bounded field sizes, a thread threads.csv lists, a core
 * the machine has, an interpreter number) and the first bad one stops the
 * figure with one line naming the file and row; a trace whose rows are
 * all good but which is cut short is caught by its state times
 * (plotcheck.h).  Names are copied whole, never cut, and reach gnuplot
 * only as data-file strings (plot_data_label).  A run without drop requests is read twice: a first
 * pass, stopping early, finds its first burst for the detail panel. */
#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "columns.h"
#include "events.h"
#include "plotprep.h"
#include "out/figures.h"
#include "out/plotcheck.h"
#include "out/plotdat.h"
#include "out/plotfeed.h"
#include "out/plotstyle.h"
#include "engine/util.h"

#define MAX_FIELD (64 * 1024)    /* bytes: longer is no trace gilsim wrote */
#define NFIELDS COL_TRACE__COUNT

/* What trace.csv holds: its columns (columns.def), the thread states, the
 * GIL events, the drop reasons and the other events (events.def). */
static const char *const header[NFIELDS] = {
#define TRACE_COL(id, name, unit, meaning) name,
#include "columns.def"
};
static const char *const state_names[TS__COUNT] = {
#define EV_STATE(id, name, meaning, detail) [id] = name,
#include "events.def"
};
static const char *const gil_events[GE__COUNT] = {
#define EV_GIL(id, name, meaning, detail) [id] = name,
#include "events.def"
};
static const char *const drop_reasons[] = {
#define EV_DROP(id, name, meaning) [id] = name,
#include "events.def"
};
static const char *const other_events[] = {
#define EV_OTHER(id, name, meaning, detail) [id] = name,
#include "events.def"
};
#define NOTHER (int)(sizeof other_events / sizeof other_events[0])

typedef struct field {
    char *s;
    size_t len, cap;
} field_t;

typedef struct prep {
    tl_t *tl;
    plot_tally_t *tally;         /* each thread's time in each state, summed */
    char *path;                  /* trace.csv, for messages */
    tl_ns to;                    /* rows after the window are not read */
    field_t field[NFIELDS];      /* the row being parsed */
    long nfield;
    long row;                    /* records read, the header being 1 */
    long long last_ns;
    int core;                    /* the row's core, -1: none */
    int interp;                  /* the row's gil: its thread's interpreter */
    plot_run_gils_t gils;        /* what the gil column may hold */
    int error;                   /* a PLOT_ code once a row was refused */
    long rows;                   /* rows in the window */
    struct busy *busy;           /* a first pass finding the first burst; NULL: drawing */
} prep_t;

/* The first pass for a run without drop requests (plot_busy_window):
 * where its first burst of state changes from `from` ends. */
typedef struct busy {
    long long from, pause;       /* a longer gap between state changes ends the burst */
    int changes;
    long long last;              /* the last state change's time */
    int found;
} busy_t;

/* Refuses the current row: one line on stderr, and parsing stops. */
static void refuse(prep_t *p, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    plot_vrefuse(&p->error, code, p->path, p->row, fmt, ap);
    va_end(ap);
}

/* A field for a message: at most 40 bytes, cut between UTF-8 characters. */
static char *shown(const field_t *f)
{
    size_t n = f->len;
    if (n > 40) {
        n = 40;
        while (n > 0 && ((unsigned char)f->s[n] & 0xC0) == 0x80)
            n--;
    }
    char *v = text_visible(f->s, n);
    if (v && n < f->len) {
        char *w = realloc(v, strlen(v) + 4);
        if (w)
            strcat(w, "...");
        v = w ? w : v;
    }
    return v;
}

static int is(const field_t *f, const char *word)
{
    return f->len == strlen(word) && memcmp(f->s, word, f->len) == 0;
}

/* The word's index in names[n], or -1. */
static int word_of(const field_t *f, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (names[i] && is(f, names[i]))
            return i;
    return -1;
}

/* Digits only, at most `digits` of them (empty: 0, when allowed). */
static int parse_uint(const field_t *f, int digits, int empty_ok, long long *v)
{
    *v = 0;
    if (f->len == 0)
        return empty_ok ? 0 : -1;
    return plot_digits(f->s, f->len, digits, v);
}

static int known_event(const field_t *f)
{
    return word_of(f, state_names, TS__COUNT) >= 0 || word_of(f, gil_events, GE__COUNT) >= 0 ||
           word_of(f, other_events, NOTHER) >= 0;
}

/* Checks a data row; 0 when it is good. */
static int check_row(prep_t *p, long long *ns)
{
    char *v = NULL;
    long long core;
    if (parse_uint(&p->field[COL_TRACE_TIME], 18, 0, ns) != 0)
        refuse(p, PLOT_BAD_INPUT, "time_ns '%s' is not a whole number of nanoseconds",
               (v = shown(&p->field[COL_TRACE_TIME])) ? v : "?");
    else if (*ns < p->last_ns)
        refuse(p, PLOT_BAD_INPUT, "time goes backwards: %lld ns after %lld ns", *ns, p->last_ns);
    else if (!known_event(&p->field[COL_TRACE_EVENT]))
        refuse(p, PLOT_BAD_INPUT, "unknown event '%s'",
               (v = shown(&p->field[COL_TRACE_EVENT])) ? v : "?");
    else if (parse_uint(&p->field[COL_TRACE_CORE], 6, 1, &core) != 0)
        refuse(p, PLOT_BAD_INPUT, "core '%s' is not a core number",
               (v = shown(&p->field[COL_TRACE_CORE])) ? v : "?");
    else if (plot_trace_gil(&p->error, p->path, p->row, p->field[COL_TRACE_GIL].s,
                            p->field[COL_TRACE_GIL].len, &p->gils, &p->interp) == 0)
        p->core = p->field[COL_TRACE_CORE].len ? (int)core : -1;
    free(v);
    return p->error;
}

static void check_header(prep_t *p)
{
    char want[COL_HEADER_MAX];
    for (int i = 0; i < NFIELDS; i++)
        if (!is(&p->field[i], header[i])) {
            refuse(p, PLOT_BAD_INPUT, "not a gilsim trace: expected the header %s",
                   col_header_text(COL_TRACE_CSV, want, sizeof want));
            return;
        }
}

/* The row's event for its thread's lanes. */
static int feed(prep_t *p, int thread, tl_ns t)
{
    const field_t *ev = &p->field[COL_TRACE_EVENT], *detail = &p->field[COL_TRACE_DETAIL];
    int st = word_of(ev, state_names, TS__COUNT), gil = word_of(ev, gil_events, GE__COUNT);
    int other = word_of(ev, other_events, NOTHER), rc = PLOT_OK;
    if (st >= 0)
        return tl_state(p->tl, thread, t, st, is(detail, "io"), p->core);
    if (gil == GE_TAKE || gil == GE_DROP)
        rc = tl_gil(p->tl, thread, t, gil == GE_TAKE, p->interp);
    if (gil == GE_DROP && is(detail, drop_reasons[DROP_FORCED]) && rc == PLOT_OK)
        rc = tl_mark(p->tl, thread, t, TL_MARK_FORCED);
    if (gil == GE_DROP_REQUEST)
        rc = tl_mark(p->tl, thread, t, TL_MARK_REQUEST);
    static const int task_events[][2] = {
        {ME_TASK_CREATE, TL_TASK_CREATE}, {ME_TASK_RUN, TL_TASK_RUN},
        {ME_TASK_WAIT, TL_TASK_WAIT}, {ME_TASK_DONE, TL_TASK_DONE},
    };
    for (int i = 0; i < 4; i++)
        if (other == task_events[i][0])
            rc = tl_task(p->tl, thread, t, task_events[i][1], detail->s, detail->len);
    return rc;
}

/* A row in the first pass; a state change counts. */
static void busy_row(busy_t *b, long long ns, int state)
{
    if (b->found || ns < b->from || !state)
        return;
    if (b->changes > 0 && ns - b->last > b->pause) {
        b->found = 1;            /* a pause: the burst ended at the last change */
        return;
    }
    b->last = ns;
    b->found = ++b->changes == PLOT_DETAIL_CHANGES;
}

static void on_row(prep_t *p)
{
    p->row++;
    if (p->error)
        return;
    if (p->row == 1 && p->nfield == NFIELDS - 1) {
        const char *names[NFIELDS - 1];
        for (int i = 0; i < NFIELDS - 1; i++)
            names[i] = p->field[i].s ? p->field[i].s : "";
        if (plot_trace_older(&p->error, p->path, names, NFIELDS - 1))
            return;
    }
    if (p->nfield != NFIELDS) {
        refuse(p, PLOT_BAD_INPUT, "expected %d fields, got %ld", NFIELDS, p->nfield);
        return;
    }
    if (p->row == 1) {
        check_header(p);
        return;
    }
    long long ns;
    if (check_row(p, &ns) != 0)
        return;
    p->last_ns = ns;
    int st = word_of(&p->field[COL_TRACE_EVENT], state_names, TS__COUNT);
    if (p->busy) {
        busy_row(p->busy, ns, st >= 0);
        return;
    }
    const field_t *pf = &p->field[COL_TRACE_PROCESS], *tf = &p->field[COL_TRACE_THREAD];
    int thread = tl_find_thread(p->tl, pf->s, pf->len, tf->s, tf->len);
    if (thread < 0) {
        char *a = shown(pf), *b = shown(tf);
        refuse(p, PLOT_BAD_INPUT, "thread '%s' of process '%s' is not in threads.csv",
               b ? b : "?", a ? a : "?");
        free(a);
        free(b);
        return;
    }
    if (st >= 0)                 /* the whole trace, whatever the window */
        tally_state(p->tally, thread, st, ns);
    if (ns > p->to)
        return;
    int rc = feed(p, thread, ns);
    if (rc == PLOT_BAD_INPUT)
        refuse(p, rc, "%s", p->tl->why);
    else if (rc != PLOT_OK)
        refuse(p, rc, "out of memory");
    p->rows++;
}

static void cb_field(void *s, size_t len, void *data)
{
    prep_t *p = data;
    long i = p->nfield++;
    if (p->error || i >= NFIELDS)
        return;
    field_t *f = &p->field[i];
    if (len > MAX_FIELD) {
        p->row++;
        refuse(p, PLOT_BAD_INPUT, "field %ld is %zu bytes long (at most %d)", i + 1, len,
               MAX_FIELD);
        return;
    }
    if (len + 1 > f->cap) {
        char *n = realloc(f->s, len + 1);
        if (!n) {
            refuse(p, PLOT_FAILED, "out of memory");
            return;
        }
        f->s = n;
        f->cap = len + 1;
    }
    if (len)
        memcpy(f->s, s, len);
    f->s[len] = '\0';
    f->len = len;
}

static void cb_row(int c, void *data)
{
    prep_t *p = data;
    (void)c;
    on_row(p);
    p->nfield = 0;
}

/* Streams the trace through libcsv (strict: a stray quote is an error). */
static void parse_trace(prep_t *p, FILE *in)
{
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        refuse(p, PLOT_FAILED, "out of memory");
        return;
    }
    char *buf = malloc(1 << 16);
    size_t n;
    while (buf && !p->error && !(p->busy && p->busy->found) &&
           (n = fread(buf, 1, 1 << 16, in)) > 0) {
        if (csv_parse(&parser, buf, n, cb_field, cb_row, p) != n) {
            p->row++;
            refuse(p, PLOT_BAD_INPUT, "malformed CSV: %s", csv_strerror(csv_error(&parser)));
        } else if (parser.entry_pos > MAX_FIELD) {
            p->row++;
            refuse(p, PLOT_BAD_INPUT, "a field longer than %d bytes", MAX_FIELD);
        }
    }
    if (!buf)
        refuse(p, PLOT_FAILED, "out of memory");
    else if (!p->error && ferror(in))
        refuse(p, PLOT_FAILED, "cannot read: %s", strerror(errno));
    if (p->busy && p->busy->found) {
        csv_free(&parser);
        free(buf);
        return;                  /* the first pass needs no more */
    }
    if (!p->error && csv_fini(&parser, cb_field, cb_row, p) != 0) {
        p->row++;
        refuse(p, PLOT_BAD_INPUT, "malformed CSV: a quoted field never ends");
    }
    if (!p->error && p->row == 0)
        refuse(p, PLOT_BAD_INPUT, "empty file: not a gilsim trace");
    else if (!p->error && p->rows == 0 && !p->busy)
        refuse(p, PLOT_BAD_INPUT, "no rows in the window to draw");
    csv_free(&parser);
    free(buf);
}

int plot_window(plot_info_t *info, long long from, long long to)
{
    info->zoom = from > 0 || to > 0;
    info->suffix[0] = '\0';
    if (info->zoom)
        plot_window_suffix(info->suffix, sizeof info->suffix, from, to);
    info->from = from;
    info->to = to > 0 && to < info->end ? to : info->end;
    if (info->from < info->to)
        return PLOT_OK;
    char end[64];
    plot_instant_text(end, sizeof end, info->end);
    plot_error(NULL, 0, "--from is not before the end of the run, at %s", end);
    return PLOT_BAD_INPUT;
}

/* The trace against threads.csv (plotcheck.h): a cut one is refused. */
static void check_whole(prep_t *p, long long end)
{
    tally_mismatch_t m;
    if (tally_check(p->tally, end, &m) == 0)
        return;
    const tl_thread_t *th = &p->tl->thread[m.thread];
    const tl_process_t *pr = &p->tl->process[th->process];
    char *a = text_visible(pr->name, pr->name_len), *b = text_visible(th->name, th->name_len);
    char what[160];
    if (m.state >= 0)
        snprintf(what, sizeof what, "is %s for %lld ns in it, but %lld ns in threads.csv",
                 state_names[m.state], m.trace_ns, m.threads_ns);
    else
        snprintf(what, sizeof what, "%s in it, but %s in threads.csv",
                 m.trace_done ? "finishes" : "never finishes",
                 m.trace_done ? "not" : "it does");
    plot_error(p->path, 0, "thread '%s' of process '%s' %s: the trace is cut short, or not "
               "this run's", b ? b : "?", a ? a : "?", what);
    p->error = PLOT_BAD_INPUT;
    free(a);
    free(b);
}

/* The first pass (busy_t): when the window's first burst ends (-1: no
 * state changed in it).  It stops there, so it reads the trace's start
 * only; the file is then read again from its start for drawing. */
static int find_busy_end(prep_t *p, const plot_info_t *info, FILE *in, long long *busy_end)
{
    busy_t b = {.from = info->from, .pause = (info->to - info->from) / PLOT_DETAIL_PAUSE};
    p->busy = &b;
    parse_trace(p, in);
    p->busy = NULL;
    *busy_end = b.changes ? b.last : -1;
    p->row = p->nfield = p->rows = 0;
    p->last_ns = 0;
    if (!p->error && fseek(in, 0, SEEK_SET) != 0)
        refuse(p, PLOT_FAILED, "cannot read: %s", strerror(errno));
    return p->error;
}

/* The views: the window, and a long run's detail: its first switch
 * intervals when it had drop requests, else its first burst. */
static int views_of(prep_t *p, plot_info_t *info, FILE *in, tl_view_t *views,
                    char titles[][160])
{
    info->detail = 0;
    long long detail_to, busy_end = -1;
    views[0] = tl_view(info->from, info->to);
    titles[0][0] = '\0';
    int by_intervals = plot_detail_window(info->from, info->to, info->interval,
                                          info->drop_requests, &detail_to);
    if (!by_intervals && info->drop_requests == 0 && find_busy_end(p, info, in, &busy_end))
        return -1;
    if (!by_intervals && !plot_busy_window(info->from, info->to, busy_end, &detail_to))
        return 1;
    char a[64], b[64];
    plot_window_text(a, sizeof a, info->from, info->to);
    plot_window_text(b, sizeof b, info->from, detail_to);
    snprintf(titles[0], sizeof titles[0], "overview, %s", a);
    if (by_intervals)
        snprintf(titles[1], sizeof titles[1], "detail: the first %d switch intervals, %s",
                 PLOT_DETAIL_INTERVALS, b);
    else
        snprintf(titles[1], sizeof titles[1], "detail: the first burst of activity, %s", b);
    views[1] = tl_view(info->from, detail_to);
    info->detail = by_intervals ? 1 : 2;
    return 2;
}

/* The two files this writes, by index; unlinked when the trace is refused. */
enum { OUT_TIMELINE, OUT_LATENCY, NOUT };

static int open_outputs(const char *dir, const plot_info_t *info, char **paths, FILE **out)
{
    static const char *const names[NOUT] = {"timeline", "latency"};
    for (int i = 0; i < NOUT; i++) {
        char *name = figure_file(names[i], info, "dat");
        paths[i] = name ? path_join(dir, name) : NULL;
        free(name);
        if (!paths[i]) {
            plot_error(NULL, 0, "out of memory");
            return PLOT_FAILED;
        }
        if (!(out[i] = file_create_fresh(paths[i]))) {
            plot_error(paths[i], 0, "cannot write: %s", strerror(errno));
            return PLOT_FAILED;
        }
    }
    return PLOT_OK;
}

static int close_outputs(char **paths, FILE **out, int rc)
{
    for (int i = 0; i < NOUT; i++) {
        if (out[i] && fclose(out[i]) != 0 && rc == PLOT_OK) {
            plot_error(paths[i], 0, "cannot write: %s", strerror(errno));
            rc = PLOT_FAILED;
        }
        if (rc != PLOT_OK && paths[i])
            unlink(paths[i]);            /* no half-made data behind a refusal */
    }
    for (int i = 0; i < NOUT; i++)
        free(paths[i]);
    return rc;
}

/* The trace into the lanes, then the lanes into the timeline's data. */
static int read_trace(prep_t *p, plot_info_t *info, FILE *in, FILE **out)
{
    tl_view_t views[TL_VIEWS_MAX];
    char titles[TL_VIEWS_MAX][160];
    int nviews = views_of(p, info, in, views, titles);
    if (nviews < 0)
        return p->error;
    int rc = tl_start(p->tl, info->cores, views, nviews, out[OUT_LATENCY]);
    if (rc == PLOT_BAD_INPUT)
        plot_error(p->path, 0, "%s", p->tl->why);
    else if (rc != PLOT_OK)
        plot_error(NULL, 0, "out of memory");
    if (rc != PLOT_OK)
        return rc;
    parse_trace(p, in);
    if (!p->error)
        check_whole(p, info->end);
    if (p->error)
        return p->error;
    const char *const title[TL_VIEWS_MAX] = {titles[0], titles[1]};
    tl_written_t w;
    if (tl_finish(p->tl) != PLOT_OK || tl_write(p->tl, out[OUT_TIMELINE], title, &w) != 0) {
        plot_error(NULL, 0, "out of memory");
        return PLOT_FAILED;
    }
    info->lanes = w.lanes;
    info->merged = p->tl->views.merged;
    info->latencies = p->tl->latencies;
    info->rows = p->rows;
    return PLOT_OK;
}

int plot_prepare(const char *dir, plot_info_t *info)
{
    if (!info->timeline) {                   /* the roster comes first */
        plot_error(NULL, 0, "plot_prepare: no threads read (plot_threads first)");
        return PLOT_FAILED;
    }
    prep_t p = {.tl = info->timeline, .tally = info->tally, .to = info->to, .core = -1,
                .gils = {info->per_interpreter, info->timeline->nthreads}};
    char *paths[NOUT] = {NULL};
    FILE *out[NOUT] = {NULL}, *in = NULL;
    int rc = PLOT_FAILED;
    if (!(p.path = path_join(dir, col_files[COL_TRACE_CSV].name)))
        plot_error(NULL, 0, "out of memory");
    else if (!(in = plot_open_input(p.path))) {
        plot_error(p.path, 0, "cannot read: %s (a run folder from gilsim run --trace full)",
                   errno == EINVAL ? "not a regular file" : strerror(errno));
        rc = PLOT_BAD_INPUT;
    } else if ((rc = open_outputs(dir, info, paths, out)) == PLOT_OK)
        rc = read_trace(&p, info, in, out);
    if (in)
        fclose(in);
    rc = close_outputs(paths, out, rc);
    info->trace = rc == PLOT_OK;
    for (int i = 0; i < NFIELDS; i++)
        free(p.field[i].s);
    free(p.path);
    return rc;
}
