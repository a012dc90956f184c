/* plottrace.c — reads a run's trace.csv back (libcsv, streamed in 64 KiB
 * chunks, never whole) into the timeline's lanes (plotfeed.h), and writes
 * the timeline's data file (plotdat.h) and latency.dat: plot_prepare.
 *
 * A run folder is untrusted input (students hand them in): every row is
 * checked (six fields, a header, integer times that never go backwards,
 * known events, bounded field sizes, a thread threads.csv lists, a core
 * the machine has) and the first bad one stops the figure with one line
 * naming the file and row.  Names are copied whole, never cut, and reach
 * gnuplot only as data-file strings (plot_data_label). */
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
    char *path;                  /* trace.csv, for messages */
    tl_ns to;                    /* rows after the window are not read */
    field_t field[NFIELDS];      /* the row being parsed */
    long nfield;
    long row;                    /* records read, the header being 1 */
    long long last_ns;
    int core;                    /* the row's core, -1: none */
    int error;                   /* a PLOT_ code once a row was refused */
    long rows;                   /* rows in the window */
} prep_t;

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
    else
        p->core = p->field[COL_TRACE_CORE].len ? (int)core : -1;
    free(v);
    return p->error;
}

static void check_header(prep_t *p)
{
    char want[128];
    size_t n = 0;
    for (int i = 0; i < NFIELDS && n < sizeof want; i++)
        n += (size_t)snprintf(want + n, sizeof want - n, "%s%s", i ? "," : "", header[i]);
    for (int i = 0; i < NFIELDS; i++)
        if (!is(&p->field[i], header[i])) {
            refuse(p, PLOT_BAD_INPUT, "not a gilsim trace: expected the header %s", want);
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
        rc = tl_gil(p->tl, thread, t, gil == GE_TAKE);
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

static void on_row(prep_t *p)
{
    p->row++;
    if (p->error)
        return;
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
    if (ns > p->to)
        return;
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
    while (buf && !p->error && (n = fread(buf, 1, 1 << 16, in)) > 0) {
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
    if (!p->error && csv_fini(&parser, cb_field, cb_row, p) != 0) {
        p->row++;
        refuse(p, PLOT_BAD_INPUT, "malformed CSV: a quoted field never ends");
    }
    if (!p->error && p->row == 0)
        refuse(p, PLOT_BAD_INPUT, "empty file: not a gilsim trace");
    else if (!p->error && p->rows == 0)
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

/* The views: the window, and a long run's first switch intervals. */
static int views_of(const plot_info_t *info, tl_view_t *views, char titles[][160])
{
    long long detail_to;
    views[0] = tl_view(info->from, info->to);
    titles[0][0] = '\0';
    if (!plot_detail_window(info->from, info->to, info->interval, info->drop_requests,
                            &detail_to))
        return 1;
    char a[64], b[64];
    plot_window_text(a, sizeof a, info->from, info->to);
    plot_window_text(b, sizeof b, info->from, detail_to);
    snprintf(titles[0], sizeof titles[0], "overview, %s", a);
    snprintf(titles[1], sizeof titles[1], "detail: the first %d switch intervals, %s",
             PLOT_DETAIL_INTERVALS, b);
    views[1] = tl_view(info->from, detail_to);
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
    int nviews = views_of(info, views, titles);
    int rc = tl_start(p->tl, info->cores, views, nviews, out[OUT_LATENCY]);
    if (rc == PLOT_BAD_INPUT)
        plot_error(p->path, 0, "%s", p->tl->why);
    else if (rc != PLOT_OK)
        plot_error(NULL, 0, "out of memory");
    if (rc != PLOT_OK)
        return rc;
    parse_trace(p, in);
    if (p->error)
        return p->error;
    const char *const title[TL_VIEWS_MAX] = {titles[0], titles[1]};
    tl_written_t w;
    if (tl_finish(p->tl) != PLOT_OK || tl_write(p->tl, out[OUT_TIMELINE], title, &w) != 0) {
        plot_error(NULL, 0, "out of memory");
        return PLOT_FAILED;
    }
    info->lanes = w.lanes;
    info->detail = nviews > 1;
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
    prep_t p = {.tl = info->timeline, .to = info->to, .core = -1};
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
