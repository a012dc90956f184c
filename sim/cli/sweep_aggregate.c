/* sweep_aggregate.c — sweep_summary.csv: for each combination of the
 * varied values, the mean of every numeric column of sweep.csv over the
 * combination's runs (its seeds), and the half-width of its 95 %
 * confidence interval, t(0.975, n-1) · s / √n with s the sample standard
 * deviation (Student's t: a sweep has few seeds).
 *
 * Two passes over sweep.csv, read back with csvread.h: the first finds
 * the numeric columns (every value a number or empty; text and lists are
 * left out, and so are run, seed and wall_s, which is not the model's),
 * the second averages them.  A combination's runs are consecutive rows
 * (seeds vary fastest), so each is written as soon as it ends. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "columns.h"
#include "plotprep.h"
#include "out/csvread.h"
#include "out/csvw.h"
#include "out/figures.h"
#include "out/outdir.h"
#include "cli/sweep_aggregate.h"
#include "engine/util.h"

typedef struct column_sum {
    long n;
    double mean, m2;             /* Welford: the mean so far and Σ(x - mean)² */
} column_sum_t;

typedef struct aggregate {
    int naxes;
    long ncols;
    char *numeric;               /* per column: 1 aggregated, 0 left out */
    int pass;                    /* 1: find the numeric columns; 2: average */
    char **key;                  /* the current combination's values */
    long runs;                   /* its rows so far */
    column_sum_t *sums;
    csvw_t out;
} aggregate_t;

/* t(0.975, df) for df 1..30, then at 40, 60, 120 and infinity. */
static const double t_small[30] = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
static const struct { double df, t; } t_large[] = {
    {30, 2.042}, {40, 2.021}, {60, 2.000}, {120, 1.980}, {INFINITY, 1.960}};

/* The 0.975 quantile of Student's t with df degrees of freedom (linear
 * in 1/df between the table's points past 30). */
static double t975(long df)
{
    if (df <= 30)
        return t_small[df - 1];
    for (int i = 1;; i++)
        if ((double)df <= t_large[i].df) {
            double a = 1 / t_large[i - 1].df, b = 1 / t_large[i].df, x = 1 / (double)df;
            return t_large[i - 1].t + (t_large[i].t - t_large[i - 1].t) * (a - x) / (a - b);
        }
}

/* A value of a numeric column: a plain decimal, or empty (no value). */
static int is_number(const char *s)
{
    return !*s || plot_plain_decimal(s);
}

static int on_head(rows_t *r, void *ctx)
{
    aggregate_t *a = ctx;
    if (a->pass == 2 && r->nhead != a->ncols)
        return rows_refuse(r, PLOT_FAILED, "changed while it was read"), r->error;
    if (a->pass == 2)
        return 0;
    a->ncols = r->nhead;
    a->numeric = malloc((size_t)r->nhead + 1);
    a->sums = calloc((size_t)r->nhead + 1, sizeof *a->sums);
    a->key = calloc((size_t)a->naxes + 1, sizeof *a->key);
    if (!a->numeric || !a->sums || !a->key)
        return rows_refuse(r, PLOT_FAILED, "out of memory"), r->error;
    for (long c = 0; c < r->nhead; c++)
        a->numeric[c] = c > a->naxes && figure_sweep_metric(r->head[c]);
    return 0;
}

/* A mean or interval with 12 significant digits, enough for a mean of
 * nanoseconds over a long run (csvw_f64's 6 would round 208,863,421 ns
 * to 10 µs); empty when there is none. */
static void put_number(csvw_t *w, int has, double v)
{
    char text[40];
    if (!has) {
        csvw_empty(w);
        return;
    }
    int n = snprintf(text, sizeof text, "%.12g", v);
    csvw_raw(w, text, (size_t)n);
}

/* The current combination's row of sweep_summary.csv. */
static void put_combination(aggregate_t *a)
{
    for (int k = 0; k < a->naxes; k++)
        csvw_text(&a->out, a->key[k]);
    csvw_i64(&a->out, a->runs);
    for (long c = 0; c < a->ncols; c++) {
        if (!a->numeric[c])
            continue;
        const column_sum_t *s = &a->sums[c];
        put_number(&a->out, s->n > 0, s->mean);
        put_number(&a->out, s->n > 1,
                   s->n > 1 ? t975(s->n - 1) * sqrt(s->m2 / (double)(s->n - 1)) / sqrt((double)s->n)
                            : 0);
    }
    csvw_end(&a->out);
}

/* Whether the row is of the current combination. */
static int same_key(const aggregate_t *a, const rows_t *r)
{
    for (int k = 0; k < a->naxes; k++)
        if (!a->key[k] || strcmp(a->key[k], r->f[k + 1]) != 0)
            return 0;
    return a->runs > 0;
}

static int on_row(rows_t *r, void *ctx)
{
    aggregate_t *a = ctx;
    if (a->pass == 1) {
        for (long c = 0; c < r->n; c++)
            a->numeric[c] &= (char)is_number(r->f[c]);
        return 0;
    }
    if (!same_key(a, r)) {
        if (a->runs)
            put_combination(a);
        for (int k = 0; k < a->naxes; k++) {
            free(a->key[k]);
            if (!(a->key[k] = strdup(r->f[k + 1])))
                return rows_refuse(r, PLOT_FAILED, "out of memory"), r->error;
        }
        memset(a->sums, 0, sizeof *a->sums * (size_t)a->ncols);
        a->runs = 0;
    }
    a->runs++;
    for (long c = 0; c < r->n; c++) {
        if (!a->numeric[c] || !*r->f[c])
            continue;
        column_sum_t *s = &a->sums[c];
        double x = strtod(r->f[c], NULL), d = x - s->mean;
        s->mean += d / (double)++s->n;
        s->m2 += d * (x - s->mean);
    }
    return 0;
}

static void put_header(aggregate_t *a, const rows_t *r)
{
    for (int k = 0; k < a->naxes; k++)
        csvw_text(&a->out, r->head[k + 1]);
    csvw_raw(&a->out, "runs", 4);
    for (long c = 0; c < a->ncols; c++) {
        if (!a->numeric[c])
            continue;
        char *mean = text_printf("%s_mean", r->head[c]), *ci = text_printf("%s_ci95", r->head[c]);
        csvw_text(&a->out, mean ? mean : "");
        csvw_text(&a->out, ci ? ci : "");
        if (!mean || !ci)
            a->out.error = 1;
        free(mean);
        free(ci);
    }
    csvw_end(&a->out);
}

static int head_two(rows_t *r, void *ctx)
{
    put_header(ctx, r);
    return 0;
}

/* Both passes and the file; 0 or an exit status (said). */
static int aggregate_in(aggregate_t *a, const char *dir, const char *part)
{
    rows_t r = {.on_head = on_head, .on_row = on_row, .ctx = a};
    a->pass = 1;
    int rc = rows_read(&r, dir, COL_FILE_SWEEP);
    rows_free(&r);
    if (rc != 0)
        return rc;
    if (csvw_open(&a->out, part) != 0) {
        say("cannot write %s: %s", part, strerror(errno));
        return 1;
    }
    r = (rows_t){.on_head = head_two, .on_row = on_row, .ctx = a};
    a->pass = 2;
    rc = rows_read(&r, dir, COL_FILE_SWEEP);
    rows_free(&r);
    if (rc == 0 && a->runs)
        put_combination(a);
    if (csvw_close(&a->out) != 0 && rc == 0) {
        say("writing %s: %s", part, strerror(a->out.err_no ? a->out.err_no : EIO));
        rc = 1;
    }
    return rc;
}

int sweep_aggregate(const char *dir, int naxes)
{
    static const char *const table[] = {COL_FILE_SWEEP_SUMMARY};
    aggregate_t a = {.naxes = naxes};
    char *part = text_printf("%s/" COL_FILE_SWEEP_SUMMARY ".part", dir), err[PATH_ERR_MAX];
    int rc = part ? aggregate_in(&a, dir, part) : (say("sweep: out of memory"), 1);
    if (rc == 0 && outdir_commit(dir, table, 1, err, sizeof err) != 0) {
        say("%s", err);
        rc = 1;
    }
    if (rc != 0)
        outdir_remove_parts(dir, table, 1);
    for (int k = 0; a.key && k < naxes; k++)
        free(a.key[k]);
    free(a.key);
    free(a.numeric);
    free(a.sums);
    free(part);
    return rc;
}
