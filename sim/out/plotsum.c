/* plotsum.c — the figures' data from a run's summary.csv (the run's end,
 * each core's busy fraction into cores.dat, a caption naming the config)
 * and threads.csv (each thread's share of the work into asymmetry.dat).
 *
 * Both files are untrusted input: read through csvread.c (libcsv in
 * strict mode, every row checked against the header's field count),
 * numbers checked as numbers, and the first bad row refused with one line
 * naming the file and row.  Names go to gnuplot only as ARGn strings (the caption) or as
 * encoded data-file labels (plot_data_label), never into a script. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "columns.h"
#include "out/csvread.h"
#include "plotprep.h"
#include "engine/util.h"

/* Columns are named by the table that names them in the writers
 * (columns.def), so a renamed column cannot leave the figures reading the
 * old name. */
#define SUMMARY_NAME(id) (col_files[COL_SUMMARY_CSV].cols[COL_SUMMARY_##id].name)
#define THREADS_NAME(id) (col_files[COL_THREADS_CSV].cols[COL_THREADS_##id].name)

/* A finite number and nothing else. */
static int number(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return *s && !*end && errno == 0 && isfinite(*v) ? 0 : -1;
}

/* [-+]digits[.digits][e[-+]digits], as gilsim writes numbers: strtod
 * would also take hex floats, "inf", "nan" and leading blanks. */
static int plain_decimal(const char *s)
{
    s += *s == '-' || *s == '+';
    size_t whole = strspn(s, "0123456789"), frac = 0;
    s += whole;
    if (*s == '.') {
        frac = strspn(s + 1, "0123456789");
        s += 1 + frac;
    }
    if (whole + frac == 0)
        return 0;
    if (*s == 'e' || *s == 'E') {
        s += 1 + (s[1] == '-' || s[1] == '+');
        size_t exp = strspn(s, "0123456789");
        if (!exp)
            return 0;
        s += exp;
    }
    return *s == '\0';
}

typedef struct summary {
    plot_info_t *info;
    char *cores_path;
    char *jain;
} summary_t;

static const char *maybe(const rows_t *r, const char *name)
{
    int c = rows_col(r, name);
    return c < 0 ? "?" : r->f[c];
}

/* cores.dat: "core<TAB>busy fraction", from "0.98;0.97;..." */
static int write_cores(rows_t *r, const char *util, const char *path)
{
    FILE *f = file_create_fresh(path);
    if (!f) {
        plot_error(path, 0, "cannot write: %s", strerror(errno));
        return r->error = PLOT_FAILED;
    }
    int core = 0;
    for (const char *s = util; *s && !r->error; core++) {
        size_t n = strcspn(s, ";");
        char tok[64];
        double u;
        snprintf(tok, sizeof tok, "%.*s", (int)(n < sizeof tok ? n : sizeof tok - 1), s);
        if (n >= sizeof tok || number(tok, &u) != 0 || u < 0 || u > 1.001)
            rows_refuse(r, PLOT_BAD_INPUT, "core_util: core %d's busy fraction is not a "
                        "number from 0 to 1", core);
        else
            fprintf(f, "%d\t%.9g\n", core, u);
        s += n + (s[n] == ';');
    }
    if (fclose(f) != 0 && !r->error) {
        plot_error(path, 0, "cannot write: %s", strerror(errno));
        r->error = PLOT_FAILED;
    }
    return r->error;
}

static char *caption_of(const rows_t *r)
{
    double ns;
    const char *iv = maybe(r, SUMMARY_NAME(SWITCH_INTERVAL));
    char interval[64] = "?";
    if (number(iv, &ns) == 0)
        snprintf(interval, sizeof interval, "%g", ns / 1e6);
    const char *parts[] = {maybe(r, SUMMARY_NAME(CONFIG)), ": ",
                           maybe(r, SUMMARY_NAME(THREADS)), " threads, ",
                           maybe(r, SUMMARY_NAME(CORES)), " cores, ",
                           maybe(r, SUMMARY_NAME(GIL_POLICY)), " GIL, switch interval ",
                           interval, " ms"};
    size_t n = 1;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        n += strlen(parts[i]);
    char *raw = malloc(n), *v = NULL;
    if (raw) {
        raw[0] = '\0';
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
            strcat(raw, parts[i]);
        v = text_visible(raw, strlen(raw));      /* one line: a newline shows as \n */
    }
    free(raw);
    return v;
}

static int summary_row(rows_t *r, void *ctx)
{
    summary_t *s = ctx;
    if (r->row > 2) {
        rows_refuse(r, PLOT_BAD_INPUT, "expected one row after the header, got more");
        return r->error;
    }
    const char *end = rows_need(r, SUMMARY_NAME(MAKESPAN));
    const char *util = end ? rows_need(r, SUMMARY_NAME(CORE_UTIL)) : NULL;
    double ns;
    if (!util)
        return r->error;
    if (number(end, &ns) != 0 || ns <= 0) {
        rows_refuse(r, PLOT_BAD_INPUT, "makespan_ns is not a positive number");
        return r->error;
    }
    s->info->end = ns / 1e9;
    const char *jain = rows_need(r, SUMMARY_NAME(JAIN_MIN));
    double j;
    if (!jain)
        return r->error;
    if (!plain_decimal(jain) || number(jain, &j) != 0) {
        rows_refuse(r, PLOT_BAD_INPUT, "jain_min is not a plain decimal number");
        return r->error;
    }
    char shown[32];                  /* gnuplot gets gilsim's number, not the file's text */
    snprintf(shown, sizeof shown, "%.6g", j);
    if (!(s->jain = strdup(shown)))
        return r->error = PLOT_FAILED;
    if (!(s->info->caption = caption_of(r)))
        return r->error = PLOT_FAILED;
    return write_cores(r, util, s->cores_path);
}

int plot_summary(const char *dir, plot_info_t *info)
{
    summary_t s = {.info = info, .cores_path = path_join(dir, "cores.dat")};
    rows_t r = {.on_row = summary_row, .ctx = &s};
    int rc = s.cores_path ? rows_read(&r, dir, "summary.csv") : PLOT_FAILED;
    if (rc != PLOT_OK && s.cores_path)
        unlink(s.cores_path);
    info->jain = s.jain;
    free(s.cores_path);
    rows_free(&r);
    return rc;
}

typedef struct threads {
    FILE *out;
    int n;
} threads_t;

/* asymmetry.dat: "index<TAB>work share %<TAB>equal share %<TAB>label" */
static int thread_row(rows_t *r, void *ctx)
{
    threads_t *t = ctx;
    const char *share = rows_need(r, THREADS_NAME(WORK_SHARE));
    const char *size = share ? rows_need(r, THREADS_NAME(GROUP_SIZE)) : NULL;
    const char *name = size ? rows_need(r, THREADS_NAME(THREAD)) : NULL;
    double w, g;
    if (!name)
        return r->error;
    if (number(share, &w) != 0 || number(size, &g) != 0 || g < 1) {
        rows_refuse(r, PLOT_BAD_INPUT, "work_share or group_size is not a number");
        return r->error;
    }
    char *label = plot_data_label(name, r->flen[rows_col(r, THREADS_NAME(THREAD))]);
    if (!label)
        return r->error = PLOT_FAILED;
    fprintf(t->out, "%d\t%.9g\t%.9g\t%s\n", t->n++, 100 * w, 100 / g, label);
    free(label);
    return PLOT_OK;
}

int plot_threads(const char *dir)
{
    char *path = path_join(dir, "asymmetry.dat");
    threads_t t = {.out = path ? file_create_fresh(path) : NULL};
    rows_t r = {.on_row = thread_row, .ctx = &t};
    int rc = PLOT_FAILED;
    if (!t.out)
        plot_error(path, 0, "cannot write: %s", strerror(errno));
    else
        rc = rows_read(&r, dir, "threads.csv");
    if (t.out && fclose(t.out) != 0 && rc == PLOT_OK) {
        plot_error(path, 0, "cannot write: %s", strerror(errno));
        rc = PLOT_FAILED;
    }
    if (rc != PLOT_OK && path)
        unlink(path);
    free(path);
    rows_free(&r);
    return rc;
}

void plot_info_free(plot_info_t *info)
{
    free(info->caption);
    free(info->jain);
    info->caption = info->jain = NULL;
}
