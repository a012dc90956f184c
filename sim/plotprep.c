/* plotprep.c — turns a run's trace.csv (read back with libcsv) into the
 * interval data the gnuplot timeline script draws: one lane per thread
 * coloured by state, one per process showing who holds its GIL, one per
 * core showing which thread runs there.
 *
 * Long runs would need millions of boxes: within a lane, intervals shorter
 * than (to - from) / PLOT_RESOLUTION are merged with their neighbours into
 * one box that takes the colour of the state that filled most of it; the
 * figure says when that happened.
 *
 * It also writes DIR/latency.dat: for every completed blocking I/O (a
 * thread leaving `blocked` with detail io), the time until the thread next
 * runs Python — the wake-up plus the wait for the GIL: the convoy's cost per
 * operation.  And DIR/cores.dat: each core's busy fraction (summary.csv). */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plotprep.h"
#include "util.h"

#define PLOT_RESOLUTION 4000
#define MAX_LANES 4096

static const char *const state_names[] = {
    "runnable", "py", "native", "gil_wait", "switch_wait", "blocked", "sync_wait", "done",
};
#define NSTATES 8

/* A lane being drawn: the box under construction, with time per state. */
typedef struct lane {
    char name[96];
    int kind;                    /* 'T' thread, 'G' GIL of a process, 'C' core */
    int cur;                     /* current value (state, or holder/thread id + 1; 0 = none) */
    double since;                /* when cur began */
    double box_start;            /* pending box */
    double io_end;               /* thread lanes: last I/O completion not yet followed by py (-1: none) */
    int in_io;
    double weight[NSTATES + 1 + MAX_LANES / 8];
} lane_t;

typedef struct prep {
    FILE *out;
    FILE *lat;
    long nlat;
    double from, to, min_width;
    lane_t *lanes;
    int nlanes;
    int merged;
    /* the row being parsed */
    char field[6][128];
    int nfield;
    int error;
    long rows;
} prep_t;

static double read_summary_caption(const char *summary, const char *cores_out, char *caption,
                                   size_t capsize);

static int state_code(const char *s)
{
    for (int i = 0; i < NSTATES; i++)
        if (strcmp(s, state_names[i]) == 0)
            return i;
    return -1;
}

static lane_t *lane_of(prep_t *p, int kind, const char *name)
{
    for (int i = 0; i < p->nlanes; i++)
        if (p->lanes[i].kind == kind && strcmp(p->lanes[i].name, name) == 0)
            return &p->lanes[i];
    if (p->nlanes == MAX_LANES)
        return NULL;
    lane_t *l = &p->lanes[p->nlanes++];
    memset(l, 0, sizeof *l);
    snprintf(l->name, sizeof l->name, "%s", name);
    l->kind = kind;
    l->cur = -1;
    l->io_end = -1;
    l->since = l->box_start = p->from;
    return l;
}

static int lane_index(const prep_t *p, const lane_t *l)
{
    return (int)(l - p->lanes);
}

static int dominant(const lane_t *l, int nvals)
{
    int best = 0;
    for (int v = 1; v < nvals; v++)
        if (l->weight[v] > l->weight[best])
            best = v;
    return best;
}

static int nvals(const lane_t *l)
{
    return l->kind == 'T' ? NSTATES : (int)(sizeof l->weight / sizeof l->weight[0]);
}

static void emit(prep_t *p, lane_t *l, double end)
{
    if (end <= l->box_start)
        return;
    int v = dominant(l, nvals(l));
    if (l->kind == 'T' || v > 0)
        fprintf(p->out, "%c %d %.9f %.9f %d\n", l->kind, lane_index(p, l), l->box_start, end,
                l->kind == 'T' ? v : v - 1);
    memset(l->weight, 0, sizeof l->weight);
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
        int slot = l->cur < nvals(l) ? l->cur : nvals(l) - 1;
        l->weight[slot] += t - l->since;
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
    if (l->in_io && st != 5)
        l->io_end = t;
    l->in_io = st == 5 && strcmp(p->field[5], "io") == 0;
    if (st == 1 && l->io_end >= 0) {
        if (p->lat && l->io_end >= p->from)
            fprintf(p->lat, "%.9f\n", t - l->io_end);
        p->nlat++;
        l->io_end = -1;
    }
}

static void on_row(prep_t *p)
{
    if (p->nfield != 6 || strcmp(p->field[0], "time_ns") == 0)
        return;
    double t = strtod(p->field[0], NULL) / 1e9;
    if (t > p->to)
        return;
    char key[260];
    snprintf(key, sizeof key, "%s/%s", p->field[1], p->field[2]);
    const char *ev = p->field[4];
    int st = state_code(ev);
    lane_t *l;
    if (st >= 0 && (l = lane_of(p, 'T', key))) {
        track_latency(p, l, t, st);
        lane_set(p, l, t, st);
    }
    lane_t *thr = lane_of(p, 'T', key);
    int tid = thr ? lane_index(p, thr) + 1 : 0;
    if (!strcmp(ev, "gil_take") && (l = lane_of(p, 'G', p->field[1])))
        lane_set(p, l, t, tid);
    else if (!strcmp(ev, "gil_drop") && (l = lane_of(p, 'G', p->field[1])))
        lane_set(p, l, t, 0);
    /* cores: a thread entering py/native/runnable-on-core runs there */
    if (p->field[3][0] && (st == 1 || st == 2)) {
        char core[160];
        snprintf(core, sizeof core, "core %s", p->field[3]);
        if ((l = lane_of(p, 'C', core)))
            lane_set(p, l, t, tid);
    } else if (st >= 0 && st != 1 && st != 2) {
        for (int i = 0; i < p->nlanes; i++)
            if (p->lanes[i].kind == 'C' && p->lanes[i].cur == tid)
                lane_set(p, &p->lanes[i], t, 0);
    }
    p->rows++;
}

static void cb_field(void *s, size_t len, void *data)
{
    prep_t *p = data;
    if (p->nfield < 6) {
        size_t n = len < sizeof p->field[0] - 1 ? len : sizeof p->field[0] - 1;
        memcpy(p->field[p->nfield], s ? s : "", s ? n : 0);
        p->field[p->nfield][s ? n : 0] = '\0';
    }
    p->nfield++;
}

static void cb_row(int c, void *data)
{
    prep_t *p = data;
    (void)c;
    on_row(p);
    p->nfield = 0;
}

/* The y axis for gnuplot: one tic per lane, and the lane count. */
static void write_labels(const prep_t *p, FILE *f)
{
    fprintf(f, "nlanes = %d\nset ytics (", p->nlanes);
    for (int i = 0; i < p->nlanes; i++) {
        char name[100];
        snprintf(name, sizeof name, "%s", p->lanes[i].name);
        for (char *c = name; *c; c++)
            if (*c == '"' || *c == '\\')
                *c = '\'';
        fprintf(f, "%s\"%s%s\" %d", i ? ", " : "", p->lanes[i].kind == 'G' ? "GIL " : "", name, i);
    }
    fprintf(f, ")\n");
}

int plot_prepare(const char *dir, double from, double to, plot_info_t *info, char *err,
                 int errsize)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/trace.csv", dir);
    FILE *in = fopen(path, "rb");
    if (!in) {
        snprintf(err, errsize, "cannot read %s: %s (run with --trace full)", path, strerror(errno));
        return -1;
    }
    prep_t p = {0};
    p.lanes = xcalloc(MAX_LANES, sizeof *p.lanes);
    p.from = from;
    p.to = to > 0 ? to : 1e30;
    snprintf(path, sizeof path, "%s/timeline.dat", dir);
    p.out = fopen(path, "w");
    struct csv_parser parser;
    if (!p.out || csv_init(&parser, CSV_APPEND_NULL) != 0) {
        snprintf(err, errsize, "cannot write %s", path);
        fclose(in);
        if (p.out)
            fclose(p.out);
        free(p.lanes);
        return -1;
    }
    /* the run's end (for the resolution) and the cores' utilisation */
    char sp[1024], cp[1024];
    snprintf(sp, sizeof sp, "%s/summary.csv", dir);
    snprintf(cp, sizeof cp, "%s/cores.dat", dir);
    info->end = read_summary_caption(sp, cp, info->caption, sizeof info->caption);
    if (to <= 0)
        p.to = info->end > 0 ? info->end : 1e30;
    p.min_width = (p.to - p.from) / PLOT_RESOLUTION;
    snprintf(path, sizeof path, "%s/latency.dat", dir);
    p.lat = fopen(path, "w");
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (csv_parse(&parser, buf, n, cb_field, cb_row, &p) != n)
            break;
    csv_fini(&parser, cb_field, cb_row, &p);
    csv_free(&parser);
    fclose(in);
    for (int i = 0; i < p.nlanes; i++) {
        lane_set(&p, &p.lanes[i], p.to, p.lanes[i].cur);
        emit(&p, &p.lanes[i], p.to);
    }
    fclose(p.out);
    if (p.lat)
        fclose(p.lat);
    info->latencies = p.nlat;
    snprintf(path, sizeof path, "%s/timeline_lanes.gp", dir);
    FILE *lf = fopen(path, "w");
    if (lf) {
        write_labels(&p, lf);
        fclose(lf);
    }
    info->lanes = p.nlanes;
    info->merged = p.merged;
    info->from = p.from;
    info->to = p.to;
    info->rows = p.rows;
    free(p.lanes);
    return 0;
}

/* makespan_ns from summary.csv, in seconds (0 if unreadable). */
/* The summary.csv fields the figures use, by column name. */
enum { SUM_CONFIG, SUM_CORES, SUM_INTERVAL, SUM_POLICY, SUM_THREADS, SUM_N };
static const char *const sum_names[SUM_N] = {
    "config", "cores", "switch_interval_ns", "gil_policy", "threads",
};

typedef struct end_reader {
    int col, row, want, want_util;
    int want_sum[SUM_N];
    double end;
    char util[4096];
    char sum[SUM_N][96];
} end_reader_t;

static void end_field(void *s, size_t len, void *data)
{
    end_reader_t *e = data;
    char v[64];
    size_t n = len < sizeof v - 1 ? len : sizeof v - 1;
    memcpy(v, s ? s : "", s ? n : 0);
    v[s ? n : 0] = '\0';
    for (int k = 0; k < SUM_N; k++) {
        if (e->row == 0 && strcmp(v, sum_names[k]) == 0)
            e->want_sum[k] = e->col;
        else if (e->row == 1 && e->col == e->want_sum[k])
            snprintf(e->sum[k], sizeof e->sum[k], "%s", v);
    }
    if (e->row == 0 && strcmp(v, "makespan_ns") == 0)
        e->want = e->col;
    else if (e->row == 0 && strcmp(v, "core_util") == 0)
        e->want_util = e->col;
    else if (e->row == 1 && e->col == e->want)
        e->end = strtod(v, NULL) / 1e9;
    else if (e->row == 1 && e->col == e->want_util) {
        size_t m = len < sizeof e->util - 1 ? len : sizeof e->util - 1;
        memcpy(e->util, s ? s : "", s ? m : 0);
        e->util[s ? m : 0] = '\0';
    }
    e->col++;
}

static void end_row(int c, void *data)
{
    end_reader_t *e = data;
    (void)c;
    e->row++;
    e->col = 0;
}

/* Reads summary.csv: the run's end, each core's utilisation (written to
 * cores_out as "core fraction" lines when not NULL), and a caption naming
 * the config and its key parameters (into caption, when not NULL). */
static double read_summary_caption(const char *summary, const char *cores_out, char *caption,
                                   size_t capsize)
{
    FILE *f = fopen(summary, "rb");
    struct csv_parser parser;
    end_reader_t e = {.want = -1, .want_util = -1};
    for (int k = 0; k < SUM_N; k++)
        e.want_sum[k] = -1;
    if (!f)
        return 0;
    if (csv_init(&parser, CSV_APPEND_NULL) == 0) {
        char buf[8192];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
            csv_parse(&parser, buf, n, end_field, end_row, &e);
        csv_fini(&parser, end_field, end_row, &e);
        csv_free(&parser);
    }
    fclose(f);
    if (caption) {
        int w = snprintf(caption, capsize, "%.80s: %.12s threads, %.12s cores, ", e.sum[SUM_CONFIG],
                         e.sum[SUM_THREADS], e.sum[SUM_CORES]);
        if (w > 0 && (size_t)w < capsize)
            snprintf(caption + w, capsize - (size_t)w, "%.24s GIL, switch interval %g ms",
                     e.sum[SUM_POLICY], strtod(e.sum[SUM_INTERVAL], NULL) / 1e6);
    }
    FILE *c = cores_out ? fopen(cores_out, "w") : NULL;
    if (c) {
        int core = 0;
        for (char *tok = strtok(e.util, ";"); tok; tok = strtok(NULL, ";"))
            fprintf(c, "%d %s\n", core++, tok);
        fclose(c);
    }
    return e.end;
}

static double read_summary(const char *summary, const char *cores_out)
{
    return read_summary_caption(summary, cores_out, NULL, 0);
}

double plot_run_end(const char *summary)
{
    return read_summary(summary, NULL);
}

static int gnuplot(const char *plots_dir, const char *script, const char *vars, int quiet)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "gnuplot -e \"%s\" '%s/%s'", vars, plots_dir, script);
    int rc = system(cmd);
    if (rc != 0 && !quiet)
        fprintf(stderr, "gilsim: gnuplot failed on %s/%s\n", plots_dir, script);
    return rc == 0 ? 0 : 1;
}

int plot_render(const char *dir, double from, double to, const char *fmt,
                const char *plots_dir, int quiet)
{
    char err[512], vars[2048];
    plot_info_t info = {0};
    if (plot_prepare(dir, from, to, &info, err, sizeof err) != 0) {
        fprintf(stderr, "gilsim: %s\n", err);
        return 1;
    }
    for (char *c = info.caption; *c; c++)
        if (*c == '\'' || *c == '"')
            *c = ' ';                /* it goes inside gnuplot and shell quotes */
    snprintf(vars, sizeof vars,
             "dir='%s'; fmt='%s'; merged=%d; caption='%s'; "
             "title='Timeline, %.6g to %.6g s: %s'",
             dir, fmt, info.merged, info.caption, info.from, info.to, info.caption);
    int rc = gnuplot(plots_dir, "timeline.gp", vars, quiet);
    if (!quiet && rc == 0)
        printf("plot       %s/timeline.%s (%d lanes)\n", dir, fmt, info.lanes);
    static const char *const more[] = {"cores", "latency", "asymmetry"};
    for (int i = 0; i < 3; i++) {
        if (i == 1 && info.latencies == 0)
            continue;                /* no I/O: no latency to show */
        snprintf(vars, sizeof vars, "dir='%s'; fmt='%s'; caption='%s'", dir, fmt, info.caption);
        char script[32];
        snprintf(script, sizeof script, "%s.gp", more[i]);
        int r2 = gnuplot(plots_dir, script, vars, quiet);
        if (!quiet && r2 == 0)
            printf("plot       %s/%s.%s\n", dir, more[i], fmt);
        rc |= r2;
    }
    return rc;
}
