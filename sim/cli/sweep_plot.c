/* sweep_plot.c — one metric of a sweep against one varied key, drawn by
 * plots/sweep.gp from sweep_summary.csv (sweep_aggregate.h).
 *
 * Each combination of the other keys is a curve, in the order first seen;
 * along a curve the points are sorted by the key's value: as numbers when
 * every value is one, as durations (in ms) when every value is one, else
 * in the order first seen, each tic labelled with its value.  The data go
 * to DIR/sweep-METRIC.dat (a block per curve, its title first), the figure
 * to DIR/sweep-METRIC.FMT. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "columns.h"
#include "config.h"
#include "plotprep.h"
#include "out/csvread.h"
#include "out/figures.h"
#include "out/outdir.h"
#include "cli/explain_cmd.h"
#include "cli/sweep_plot.h"
#include "engine/util.h"

typedef struct point {
    char *curve;                 /* the other keys' values, "k=v, k=v" */
    char *xtext;                 /* the key's value as given */
    double x, mean, ci;          /* ci < 0: none */
    long order;                  /* as read: ties keep it */
    long rank;                   /* its curve's, in the order first seen */
} point_t;

typedef struct plot_data {
    const char *metric, *xkey;
    int naxes, xcol, mean, ci;   /* sweep_summary.csv's columns */
    point_t *p;
    long n, cap;
} plot_data_t;

static int on_head(rows_t *r, void *ctx)
{
    plot_data_t *d = ctx;
    char *mean = text_printf("%s_mean", d->metric), *ci = text_printf("%s_ci95", d->metric);
    d->mean = mean ? rows_col(r, mean) : -1;
    d->ci = ci ? rows_col(r, ci) : -1;
    d->xcol = d->xkey ? rows_col(r, d->xkey) : 0;
    free(mean);
    free(ci);
    if (d->mean < 0 || d->ci < 0)
        rows_refuse(r, PLOT_BAD_INPUT, "no column %s_mean: --plot takes a numeric column of "
                    "sweep.csv (sweep_summary.csv lists them)", d->metric);
    else if (d->xcol < 0 || d->xcol >= d->naxes)
        rows_refuse(r, PLOT_BAD_INPUT, "%s%s is not a --vary key of the sweep",
                    d->xkey ? "--plot-x " : "the sweep has no --vary key: ",
                    d->xkey ? d->xkey : "--plot");
    return r->error;
}

/* The other keys' values of the current row, "k=v, k=v" ("all" with none). */
static char *curve_of(const plot_data_t *d, const rows_t *r)
{
    char *s = strdup(d->naxes > 1 ? "" : "all");
    for (int k = 0; s && k < d->naxes; k++) {
        if (k == d->xcol)
            continue;
        char *t = text_printf("%s%s%s=%s", s, *s ? ", " : "", r->head[k], r->f[k]);
        free(s);
        s = t;
    }
    return s;
}

static int on_row(rows_t *r, void *ctx)
{
    plot_data_t *d = ctx;
    if (!*r->f[d->mean])
        return 0;                /* no run had a value */
    if (d->n == d->cap) {
        long cap = d->cap ? d->cap * 2 : 64;
        point_t *p = realloc(d->p, sizeof *p * (size_t)cap);
        if (!p)
            return rows_refuse(r, PLOT_FAILED, "out of memory"), r->error;
        d->p = p;
        d->cap = cap;
    }
    point_t *p = &d->p[d->n];
    *p = (point_t){curve_of(d, r), strdup(r->f[d->xcol]), 0, strtod(r->f[d->mean], NULL),
                   *r->f[d->ci] ? strtod(r->f[d->ci], NULL) : -1, d->n, 0};
    if (!p->curve || !p->xtext)
        return rows_refuse(r, PLOT_FAILED, "out of memory"), r->error;
    d->n++;
    return 0;
}

/* The text of p that a rank goes by: its curve, or its x as given. */
static const char *rank_text(const point_t *p, int by_curve)
{
    return by_curve ? p->curve : p->xtext;
}

/* The rank, in the order first seen, of p[i]'s text, given the ranks of
 * the points before it (ranks); a new text takes the next rank. */
static double first_seen_rank(const point_t *p, long i, int by_curve, long *next,
                              double *ranks)
{
    for (long j = 0; j < i; j++)
        if (!strcmp(rank_text(&p[j], by_curve), rank_text(&p[i], by_curve)))
            return ranks[j];
    return ranks[i] = (double)(*next)++;
}

/* Each point's x (0: the values are numbers, 1: durations, in ms, 2:
 * words, ranked as first seen) and its curve's rank; 0 to 2, or -1 out of
 * memory. */
static int place_x(plot_data_t *d)
{
    int numbers = 1, times = 1;
    double *xr = calloc((size_t)d->n + 1, sizeof *xr), *cr = calloc((size_t)d->n + 1, sizeof *cr);
    if (!xr || !cr) {
        free(xr);
        free(cr);
        return -1;
    }
    for (long i = 0; i < d->n; i++) {
        char *end, msg[160];
        simtime_t t;
        strtod(d->p[i].xtext, &end);
        numbers &= end != d->p[i].xtext && !*end;
        times &= cli_time_arg(d->p[i].xtext, &t, msg, sizeof msg) == 0;
    }
    long nx = 0, nc = 0;
    for (long i = 0; i < d->n; i++) {
        char msg[160];
        simtime_t t = 0;
        point_t *p = &d->p[i];
        xr[i] = first_seen_rank(d->p, i, 0, &nx, xr);
        p->x = numbers ? strtod(p->xtext, NULL)
             : times && cli_time_arg(p->xtext, &t, msg, sizeof msg) == 0 ? (double)t / 1e6
             : xr[i];
        cr[i] = first_seen_rank(d->p, i, 1, &nc, cr);
        p->rank = (long)cr[i];
    }
    free(xr);
    free(cr);
    return numbers ? 0 : times ? 1 : 2;
}

static int by_curve_then_x(const void *a, const void *b)
{
    const point_t *p = a, *q = b;
    if (p->rank != q->rank)
        return p->rank < q->rank ? -1 : 1;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return (p->order > q->order) - (p->order < q->order);
}

/* The blocks of plots/sweep.gp's data file; 0 or an errno. */
static int write_dat(const plot_data_t *d, const char *path)
{
    FILE *f = file_create_fresh(path);
    if (!f)
        return errno ? errno : EIO;
    for (long i = 0; i < d->n; i++) {
        const point_t *p = &d->p[i];
        if (i == 0 || p->rank != d->p[i - 1].rank) {
            char *title = plot_data_label(p->curve, strlen(p->curve));
            fprintf(f, "%s%s\n", i ? "\n\n" : "", title ? title : "");
            free(title);
        }
        double ci = p->ci < 0 ? 0 : p->ci;
        char *label = plot_data_label(p->xtext, strlen(p->xtext));
        fprintf(f, "%.17g\t%.17g\t%.17g\t%.17g\t%s\n", p->x, p->mean, p->mean - ci,
                p->mean + ci, label ? label : "");
        free(label);
    }
    int bad = ferror(f);
    return fclose(f) != 0 || bad ? (errno ? errno : EIO) : 0;
}

/* The metric's label: its name, and its unit when columns.def gives one. */
static char *metric_label(const char *metric)
{
    const col_file_t *f = &col_files[COL_SUMMARY_CSV];
    for (int c = 0; c < f->ncols; c++)
        if (!strcmp(f->cols[c].name, metric) && *f->cols[c].unit)
            return text_printf("%s (%s)", metric, f->cols[c].unit);
    return strdup(metric);
}

/* Draws the figure from the points read; 0 or an exit status (said). */
static int draw(plot_data_t *d, const sweep_plot_t *o)
{
    int kind = place_x(d);
    if (kind < 0)
        return say("sweep: out of memory"), 1;
    qsort(d->p, (size_t)d->n, sizeof *d->p, by_curve_then_x);
    char *safe = outdir_safe_name(o->metric);
    char *dat = safe ? text_printf("%s/sweep-%s.dat", o->dir, safe) : NULL;
    char *out = safe ? text_printf("%s/sweep-%s.%s", o->dir, safe, o->format) : NULL;
    char *script = text_printf("%s/sweep.gp", o->plots_dir);
    char *title = text_printf("%s against %s: the mean over the seeds, with its 95 %% "
                              "confidence band", o->metric, d->xkey ? d->xkey : o->keys[0]);
    char *xlabel = text_printf("%s%s", d->xkey ? d->xkey : o->keys[0], kind == 1 ? " (ms)" : "");
    char *ylabel = metric_label(o->metric);
    int rc = 1, e;
    if (!dat || !out || !script || !title || !xlabel || !ylabel)
        say("sweep: out of memory");
    else if ((e = write_dat(d, dat)) != 0)
        say("cannot write %s: %s", dat, strerror(e));
    else {
        const char *args[] = {dat, out, o->format, title, xlabel, ylabel, kind == 2 ? "1" : "0"};
        rc = plot_gnuplot(script, args, 7, o->stop);
        if (rc == 0 && !o->quiet)
            printf("figure: %s\n", out);
    }
    free(safe);
    free(dat);
    free(out);
    free(script);
    free(title);
    free(xlabel);
    free(ylabel);
    return rc;
}

int sweep_plot(const sweep_plot_t *o)
{
    plot_data_t d = {.metric = o->metric, .xkey = o->xkey, .naxes = o->naxes};
    rows_t r = {.on_head = on_head, .on_row = on_row, .ctx = &d};
    int rc = rows_read(&r, o->dir, COL_FILE_SWEEP_SUMMARY);
    rows_free(&r);
    if (rc == 0 && d.n == 0) {
        say("sweep: no run has a value of %s: nothing to draw", o->metric);
        rc = 1;
    }
    if (rc == 0)
        rc = draw(&d, o);
    for (long i = 0; i < d.n; i++) {
        free(d.p[i].curve);
        free(d.p[i].xtext);
    }
    free(d.p);
    return rc;
}
