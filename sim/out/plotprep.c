/* plotprep.c — turns a run's trace.csv (read back with libcsv) into the
 * interval data the gnuplot timeline script draws: one lane per thread
 * coloured by state, one per process showing who holds its GIL, one per
 * core showing which thread runs there.
 *
 * A run folder is untrusted input (students hand them in): every row is
 * checked (six fields, a header, integer times that never go backwards,
 * known events, bounded field sizes) and the first bad one stops the
 * figure with one line naming the file and row.  The trace is streamed in
 * 64 KiB chunks, never read whole.  Names are copied whole, never cut; the
 * lane labels go to timeline_lanes.dat, a data file gnuplot reads as
 * strings, never into a script it runs.
 *
 * Long runs would need millions of boxes: within a lane, intervals shorter
 * than (to - from) / PLOT_RESOLUTION are merged with their neighbours into
 * one box that takes the colour of the state that filled most of it; the
 * figure says when that happened.
 *
 * It also writes DIR/latency.dat: for every completed blocking I/O (a
 * thread leaving `blocked` with detail io), the time until the thread next
 * runs Python — the wake-up plus the wait for the GIL: the convoy's cost
 * per operation.  (plotsum.c reads summary.csv and threads.csv.) */
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
#include "engine/util.h"

#define PLOT_RESOLUTION 4000
#define MAX_FIELD (64 * 1024)    /* bytes: longer is no trace gilsim wrote */
#define HASH_SIZE 1024           /* > 2 * PLOT_MAX_LANES, a power of two */
#define NSLOTS TS__COUNT         /* values weighed per box: a thread's states */
#define NFIELDS COL_TRACE__COUNT

/* What trace.csv holds: its columns (columns.def), the thread states (a
 * lane's values, by thr_state) and the other events (events.def). */
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
static const char *const other_events[] = {
#define EV_OTHER(id, name, meaning, detail) name,
#include "events.def"
};

typedef struct slot {
    int v;
    double w;
} slot_t;

/* A lane being drawn: the box under construction, with time per value. */
typedef struct lane {
    char *a, *b;                 /* process (core number) and thread; b: NULL unless 'T' */
    size_t alen, blen;
    int kind;                    /* 'T' thread, 'G' GIL of a process, 'C' core */
    int cur;                     /* current value (state, or thread lane + 1; 0 = none) */
    double since;                /* when cur began */
    double box_start;            /* pending box */
    double io_end;               /* thread lanes: last I/O completion not yet followed by py (-1: none) */
    int in_io;
    int core;                    /* thread lanes: the core lane it runs on, -1 */
    int nslot;
    slot_t slot[NSLOTS];         /* time per value in the pending box */
} lane_t;

typedef struct field {
    char *s;
    size_t len, cap;
} field_t;

typedef struct prep {
    FILE *out, *lat;
    char *path;                  /* trace.csv, for messages */
    long nlat;
    double from, to, min_width;
    lane_t *lanes;
    int nlanes, dropped, merged;
    int *hash;                   /* lane index + 1 by key hash; 0 = empty */
    field_t field[NFIELDS];      /* the row being parsed */
    long nfield;
    long row;                    /* records read, the header being 1 */
    long long last_ns;
    int error;                   /* a PLOT_ code once a row was refused */
    long rows;
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

static int state_code(const field_t *f)
{
    for (int i = 0; i < TS__COUNT; i++)
        if (is(f, state_names[i]))
            return i;
    return -1;
}

static int known_event(const field_t *f)
{
    if (state_code(f) >= 0)
        return 1;
    for (int i = 0; i < GE__COUNT; i++)
        if (is(f, gil_events[i]))
            return 1;
    for (size_t i = 0; i < sizeof other_events / sizeof other_events[0]; i++)
        if (is(f, other_events[i]))
            return 1;
    return 0;
}

/* Digits only, at most `digits` of them (empty: ok when allowed). */
static int parse_uint(const field_t *f, int digits, int empty_ok, long long *v)
{
    *v = 0;
    if (f->len == 0)
        return empty_ok ? 0 : -1;
    if (f->len > (size_t)digits)
        return -1;
    for (size_t i = 0; i < f->len; i++) {
        if (f->s[i] < '0' || f->s[i] > '9')
            return -1;
        *v = *v * 10 + (f->s[i] - '0');
    }
    return 0;
}

static unsigned key_hash(int kind, const char *a, size_t alen, const char *b, size_t blen)
{
    unsigned h = 2166136261u ^ (unsigned)kind;
    for (size_t i = 0; i < alen; i++)
        h = (h ^ (unsigned char)a[i]) * 16777619u;
    h = (h ^ 0x100u) * 16777619u;            /* "a/b" + "c" differs from "a" + "b/c" */
    for (size_t i = 0; i < blen; i++)
        h = (h ^ (unsigned char)b[i]) * 16777619u;
    return h;
}

static int key_is(const lane_t *l, int kind, const field_t *a, const field_t *b)
{
    return l->kind == kind && l->alen == a->len && memcmp(l->a, a->s, a->len) == 0 &&
           (b ? l->b && l->blen == b->len && memcmp(l->b, b->s, b->len) == 0 : !l->b);
}

static char *dup_field(const field_t *f)
{
    char *s = malloc(f->len + 1);
    if (s) {
        memcpy(s, f->s, f->len);
        s[f->len] = '\0';
    }
    return s;
}

/* The lane of (kind, a, b), made on first sight; NULL past the lane cap. */
static lane_t *lane_of(prep_t *p, int kind, const field_t *a, const field_t *b)
{
    unsigned h = key_hash(kind, a->s, a->len, b ? b->s : "", b ? b->len : 0) & (HASH_SIZE - 1);
    for (; p->hash[h]; h = (h + 1) & (HASH_SIZE - 1))
        if (key_is(&p->lanes[p->hash[h] - 1], kind, a, b))
            return &p->lanes[p->hash[h] - 1];
    if (p->nlanes == PLOT_MAX_LANES) {
        p->dropped = 1;
        return NULL;
    }
    lane_t *l = &p->lanes[p->nlanes];
    memset(l, 0, sizeof *l);
    l->a = dup_field(a);
    l->b = b ? dup_field(b) : NULL;
    if (!l->a || (b && !l->b)) {
        free(l->a);
        free(l->b);
        refuse(p, PLOT_FAILED, "out of memory");
        return NULL;
    }
    l->alen = a->len;
    l->blen = b ? b->len : 0;
    l->kind = kind;
    l->cur = -1;
    l->io_end = -1;
    l->core = -1;
    l->since = l->box_start = p->from;
    p->hash[h] = ++p->nlanes;
    return l;
}

static int lane_index(const prep_t *p, const lane_t *l)
{
    return (int)(l - p->lanes);
}

/* Time w at value v in the pending box.  A full table keeps the heaviest
 * values: a box over more than NSLOTS holders is coloured by one of them. */
static void weigh(lane_t *l, int v, double w)
{
    int lightest = 0;
    for (int i = 0; i < l->nslot; i++) {
        if (l->slot[i].v == v) {
            l->slot[i].w += w;
            return;
        }
        if (l->slot[i].w < l->slot[lightest].w)
            lightest = i;
    }
    if (l->nslot < NSLOTS)
        l->slot[l->nslot++] = (slot_t){v, w};
    else if (w > l->slot[lightest].w)
        l->slot[lightest] = (slot_t){v, w};
}

static void emit(prep_t *p, lane_t *l, double end)
{
    if (end <= l->box_start || l->nslot == 0)
        return;
    int best = 0;
    for (int i = 1; i < l->nslot; i++)
        if (l->slot[i].w > l->slot[best].w ||
            (l->slot[i].w == l->slot[best].w && l->slot[i].v < l->slot[best].v))
            best = i;
    int v = l->slot[best].v;
    if (l->kind == 'T' || v > 0)
        fprintf(p->out, "%c\t%d\t%.9f\t%.9f\t%d\n", l->kind, lane_index(p, l), l->box_start, end,
                l->kind == 'T' ? v : v - 1);
    l->nslot = 0;
    l->box_start = end;
}

/* The lane's value changes at time t: account the old value's span. */
static void lane_set(prep_t *p, lane_t *l, double t, int value)
{
    if (t < p->from)
        t = p->from;
    if (t > p->to)
        t = p->to;
    if (l->cur >= 0 && t > l->since) {
        weigh(l, l->cur, t - l->since);
        if (t - l->box_start >= p->min_width)
            emit(p, l, t);
        else
            p->merged = 1;
    } else if (l->cur < 0) {
        l->box_start = t;
    }
    l->cur = value;
    l->since = t;
}

/* I/O completion -> next Python: the extra wait the convoy costs. */
static void track_latency(prep_t *p, lane_t *l, double t, int st)
{
    if (l->in_io && st != TS_BLOCKED)
        l->io_end = t;
    l->in_io = st == TS_BLOCKED && is(&p->field[COL_TRACE_DETAIL], "io");
    if (st == TS_PY && l->io_end >= 0) {
        if (p->lat && l->io_end >= p->from)
            fprintf(p->lat, "%.9f\n", t - l->io_end);
        p->nlat++;
        l->io_end = -1;
    }
}

/* cores: a thread entering py/native on a core runs there until it
 * leaves those states or moves to another core */
static void track_core(prep_t *p, lane_t *thr, double t, int st)
{
    if (st < 0)
        return;                  /* not a state change */
    int tid = lane_index(p, thr) + 1;
    lane_t *c = NULL;
    if (p->field[COL_TRACE_CORE].len && (st == TS_PY || st == TS_NATIVE))
        c = lane_of(p, 'C', &p->field[COL_TRACE_CORE], NULL);
    int now = c ? lane_index(p, c) : -1;
    if (thr->core >= 0 && thr->core != now && p->lanes[thr->core].cur == tid)
        lane_set(p, &p->lanes[thr->core], t, 0);
    if (c)
        lane_set(p, c, t, tid);
    thr->core = now;
}

/* Checks a data row; 0 when it is good. */
static int check_row(prep_t *p, long long *ns)
{
    char *v = NULL;
    if (parse_uint(&p->field[COL_TRACE_TIME], 18, 0, ns) != 0)
        refuse(p, PLOT_BAD_INPUT, "time_ns '%s' is not a whole number of nanoseconds",
               (v = shown(&p->field[COL_TRACE_TIME])) ? v : "?");
    else if (*ns < p->last_ns)
        refuse(p, PLOT_BAD_INPUT, "time goes backwards: %lld ns after %lld ns", *ns, p->last_ns);
    else if (!known_event(&p->field[COL_TRACE_EVENT]))
        refuse(p, PLOT_BAD_INPUT, "unknown event '%s'",
               (v = shown(&p->field[COL_TRACE_EVENT])) ? v : "?");
    else {
        long long core;
        if (parse_uint(&p->field[COL_TRACE_CORE], 6, 1, &core) != 0)
            refuse(p, PLOT_BAD_INPUT, "core '%s' is not a core number",
                   (v = shown(&p->field[COL_TRACE_CORE])) ? v : "?");
    }
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
    double t = (double)ns / 1e9;
    if (t > p->to)
        return;
    int st = state_code(&p->field[COL_TRACE_EVENT]);
    lane_t *thr = lane_of(p, 'T', &p->field[COL_TRACE_PROCESS], &p->field[COL_TRACE_THREAD]), *l;
    if (thr && st >= 0) {
        track_latency(p, thr, t, st);
        lane_set(p, thr, t, st);
    }
    int tid = thr ? lane_index(p, thr) + 1 : 0;
    int take = is(&p->field[COL_TRACE_EVENT], gil_events[GE_TAKE]);
    int drop = is(&p->field[COL_TRACE_EVENT], gil_events[GE_DROP]);
    if ((take || drop) && (l = lane_of(p, 'G', &p->field[COL_TRACE_PROCESS], NULL)))
        lane_set(p, l, t, take ? tid : 0);
    if (thr)
        track_core(p, thr, t, st);
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
        refuse(p, PLOT_BAD_INPUT, "field %ld is %zu bytes long (at most %d)", i + 1, len, MAX_FIELD);
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

/* timeline_lanes.dat: "index<TAB>label", the labels encoded for gnuplot. */
static int write_labels(const prep_t *p, FILE *f)
{
    for (int i = 0; i < p->nlanes; i++) {
        const lane_t *l = &p->lanes[i];
        const char *pre = l->kind == 'G' ? "GIL " : l->kind == 'C' ? "core " : "";
        size_t n = strlen(pre) + l->alen + 1 + l->blen;
        char *raw = malloc(n + 1), *enc = NULL;
        if (raw) {
            memcpy(raw, pre, strlen(pre));
            memcpy(raw + strlen(pre), l->a, l->alen);
            n = strlen(pre) + l->alen;
            if (l->b) {
                raw[n++] = '/';
                memcpy(raw + n, l->b, l->blen);
                n += l->blen;
            }
            enc = plot_data_label(raw, n);
        }
        if (enc)
            fprintf(f, "%d\t%s\n", i, enc);
        free(raw);
        free(enc);
        if (!enc)
            return -1;
    }
    return 0;
}

/* The three files this writes, unlinked when the trace is refused. */
static const char *const made[] = {"timeline.dat", "latency.dat", "timeline_lanes.dat"};

static int open_outputs(prep_t *p, const char *dir, char *paths[3])
{
    for (int i = 0; i < 3; i++)
        if (!(paths[i] = path_join(dir, made[i]))) {
            plot_error(NULL, 0, "out of memory");
            return PLOT_FAILED;
        }
    p->out = file_create_fresh(paths[0]);
    p->lat = p->out ? file_create_fresh(paths[1]) : NULL;
    if (!p->lat) {
        plot_error(p->out ? paths[1] : paths[0], 0, "cannot write: %s", strerror(errno));
        return PLOT_FAILED;
    }
    return PLOT_OK;
}

/* Ends every lane's last box at the window's end and writes the labels. */
static int finish(prep_t *p, const char *lanes_path)
{
    for (int i = 0; i < p->nlanes; i++) {
        lane_set(p, &p->lanes[i], p->to, p->lanes[i].cur);
        emit(p, &p->lanes[i], p->to);
    }
    FILE *lf = file_create_fresh(lanes_path);
    int bad = !lf || write_labels(p, lf) != 0;
    if (lf && fclose(lf) != 0)
        bad = 1;
    if (bad)
        plot_error(lanes_path, 0, "cannot write: %s", strerror(errno));
    return bad ? PLOT_FAILED : PLOT_OK;
}

static int close_outputs(prep_t *p, char *paths[3], int rc)
{
    if (p->out && fclose(p->out) != 0 && rc == PLOT_OK) {
        plot_error(paths[0], 0, "cannot write: %s", strerror(errno));
        rc = PLOT_FAILED;
    }
    if (p->lat && fclose(p->lat) != 0 && rc == PLOT_OK) {
        plot_error(paths[1], 0, "cannot write: %s", strerror(errno));
        rc = PLOT_FAILED;
    }
    for (int i = 0; i < 3; i++) {
        if (rc != PLOT_OK && paths[i])
            unlink(paths[i]);            /* no half-made data behind a refusal */
        free(paths[i]);
    }
    return rc;
}

static int read_trace(prep_t *p, const char *dir)
{
    char *paths[3] = {NULL, NULL, NULL};
    FILE *in = plot_open_input(p->path);
    if (!in) {
        plot_error(p->path, 0, "cannot read: %s (a run folder from gilsim run --trace full)",
                   errno == EINVAL ? "not a regular file" : strerror(errno));
        return PLOT_BAD_INPUT;
    }
    int rc = open_outputs(p, dir, paths);
    if (rc == PLOT_OK) {
        parse_trace(p, in);
        rc = p->error ? p->error : finish(p, paths[2]);
    }
    fclose(in);
    return close_outputs(p, paths, rc);
}

int plot_prepare(const char *dir, double from, double to, plot_info_t *info)
{
    prep_t p = {.from = from, .to = to > 0 ? to : info->end > 0 ? info->end : 1e30};
    if (p.from >= p.to) {
        plot_error(NULL, 0, "--from %g s is not before the end of the window (%g s)", p.from, p.to);
        return PLOT_BAD_INPUT;
    }
    p.min_width = (p.to - p.from) / PLOT_RESOLUTION;
    p.path = path_join(dir, "trace.csv");
    p.lanes = calloc(PLOT_MAX_LANES, sizeof *p.lanes);
    p.hash = calloc(HASH_SIZE, sizeof *p.hash);
    int rc = PLOT_FAILED;
    if (!p.path || !p.lanes || !p.hash)
        plot_error(NULL, 0, "out of memory");
    else
        rc = read_trace(&p, dir);
    if (rc == PLOT_OK && p.dropped)
        plot_error(p.path, 0, "more than %d lanes (threads, GILs and cores): "
                   "the timeline shows the first %d", PLOT_MAX_LANES, PLOT_MAX_LANES);
    info->lanes = p.nlanes;
    info->dropped = p.dropped;
    info->merged = p.merged;
    info->from = p.from;
    info->to = p.to;
    info->rows = p.rows;
    info->latencies = p.nlat;
    for (int i = 0; i < p.nlanes; i++) {
        free(p.lanes[i].a);
        free(p.lanes[i].b);
    }
    for (int i = 0; i < NFIELDS; i++)
        free(p.field[i].s);
    free(p.lanes);
    free(p.hash);
    free(p.path);
    return rc;
}
