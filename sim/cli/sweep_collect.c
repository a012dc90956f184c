/* sweep_collect.c — a sweep's points merged into its sweep.csv
 * (sweep_points.h).
 *
 * The folder is a stranger's: points/index.csv is read as untrusted CSV
 * (csvread.h) and gives the keys and each point's values; each point's
 * file must be a one-row table of this sweep holding that point's run
 * with those values (sweep_table.h).  The rows enter the table in point
 * order, so sweep.csv is the one a local sweep of the same runs writes,
 * but for wall_s.  A missing point is listed and nothing is written. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "columns.h"
#include "plotprep.h"
#include "out/csvread.h"
#include "out/outdir.h"
#include "out/output.h"
#include "out/runtable.h"
#include "cli/sweep_aggregate.h"
#include "cli/sweep_plot.h"
#include "cli/sweep_points.h"
#include "cli/sweep_table.h"
#include "engine/util.h"

#define POINT_MAX_BYTES (16L << 20)
#define MISSING_SHOWN 20             /* ranges listed, then "..." */

typedef struct collect {
    const char *dir;
    char **keys;                 /* the index's --vary keys */
    int naxes;
    char **values;               /* per point, per key: [(point-1) * naxes + key] */
    long npoints, cap;
    runtable_t table;
    long point;                  /* the point whose file is being read */
    int took;                    /* its row was taken */
} collect_t;

static int index_head(rows_t *r, void *ctx)
{
    collect_t *c = ctx;
    const char *point = col_files[COL_INDEX_CSV].cols[COL_INDEX_POINT].name;
    if (r->nhead < 1 || strcmp(r->head[0], point) != 0) {
        rows_refuse(r, PLOT_BAD_INPUT, "its first column is not %s: not a sweep's index", point);
        return r->error;
    }
    c->naxes = (int)r->nhead - 1;
    if (!(c->keys = calloc((size_t)c->naxes + 1, sizeof *c->keys)))
        return rows_refuse(r, PLOT_FAILED, "out of memory"), r->error;
    for (int a = 0; a < c->naxes; a++)
        if (!(c->keys[a] = strdup(r->head[a + 1])))
            return rows_refuse(r, PLOT_FAILED, "out of memory"), r->error;
    return 0;
}

static int index_row(rows_t *r, void *ctx)
{
    collect_t *c = ctx;
    char want[24];
    snprintf(want, sizeof want, "%ld", c->npoints + 1);
    if (strcmp(r->f[0], want) != 0) {
        rows_refuse(r, PLOT_BAD_INPUT, "point %s where point %s comes next", r->f[0], want);
        return r->error;
    }
    if (c->npoints == SWEEP_MAX_RUNS) {
        rows_refuse(r, PLOT_BAD_INPUT, "more than %ld points", SWEEP_MAX_RUNS);
        return r->error;
    }
    long need = (c->npoints + 1) * (c->naxes ? c->naxes : 1);
    if (need > c->cap) {
        long cap = c->cap ? c->cap * 2 : 1024;
        char **v = realloc(c->values, sizeof *v * (size_t)(cap > need ? cap : need));
        if (!v)
            return rows_refuse(r, PLOT_FAILED, "out of memory"), r->error;
        c->values = v;
        c->cap = cap > need ? cap : need;
    }
    for (int a = 0; a < c->naxes; a++)
        if (!(c->values[c->npoints * c->naxes + a] = strdup(r->f[a + 1])))
            return rows_refuse(r, PLOT_FAILED, "out of memory"), r->error;
    c->npoints++;
    return 0;
}

static const char *index_value(const void *ctx, long run, int a)
{
    const collect_t *c = ctx;
    return c->values[(run - 1) * c->naxes + a];
}

/* sweep_table_parse's on_row: the point's one row goes into the table. */
static int take_point(sweep_row_t *row, void *ctx)
{
    collect_t *c = ctx;
    int ok = row->run == c->point && !c->took;
    if (ok) {
        csvw_raw(runtable_row(&c->table), row->lead, row->nlead);
        runtable_row_end(&c->table, row->named, row->nnamed);
        c->took = 1;
    }
    sweep_row_free(row);
    return ok ? 0 : 1;
}

/* The point's file: 0 taken, -1 missing, or an exit status (said). */
static int read_point(collect_t *c, long n)
{
    char *path = sweep_point_path(c->dir, n, ""), err[300];
    size_t len = 0;
    int e = ENOMEM, rc = 2;
    char *buf = path ? sweep_file_read(path, POINT_MAX_BYTES, &len, &e) : NULL;
    if (!buf && e == ENOENT)
        rc = -1;
    else if (!buf && e == EFBIG)
        say("%s: larger than %ld bytes: not a point's file", path, POINT_MAX_BYTES);
    else if (!buf)
        rc = e == ENOMEM ? 1 : 2, say("cannot read %s: %s", path ? path : "a point",
                                      e == EINVAL ? "not a regular file" : strerror(e));
    else {
        sweep_shape_t shape = {c->keys, c->naxes, c->npoints, index_value, c};
        c->point = n;
        c->took = 0;
        int r = sweep_table_parse(buf, len, &shape, take_point, c, err, sizeof err);
        if (r < 0)
            say("%s: %s", path, err);
        else if (r > 0 || !c->took)
            say("%s: not point %ld's one row", path, n);
        else
            rc = runtable_row(&c->table)->error ? 1 : 0;
    }
    free(buf);
    free(path);
    return rc;
}

/* Says which points have no file, as ranges ("3, 7-9"). */
static void say_missing(const collect_t *c, const char *missing, long nmissing)
{
    char list[600] = "";
    int shown = 0;
    for (long n = 1; n <= c->npoints && shown <= MISSING_SHOWN; n++) {
        if (!missing[n - 1] || (n > 1 && missing[n - 2]))
            continue;
        long last = n;
        while (last < c->npoints && missing[last])
            last++;
        size_t at = strlen(list);
        if (++shown > MISSING_SHOWN)
            snprintf(list + at, sizeof list - at, ", ...");
        else if (last > n)
            snprintf(list + at, sizeof list - at, "%s%ld-%ld", at ? ", " : "", n, last);
        else
            snprintf(list + at, sizeof list - at, "%s%ld", at ? ", " : "", n);
    }
    say("%ld of %ld points have no file in %s/" POINTS_FOLDER ": %s; no sweep.csv written",
        nmissing, c->npoints, c->dir, list);
}

static void write_header(csvw_t *h, void *ctx)
{
    const collect_t *c = ctx;
    const char *run = col_files[COL_SWEEP_CSV].cols[COL_SWEEP_RUN].name;
    csvw_raw(h, run, strlen(run));
    for (int a = 0; a < c->naxes; a++)
        csvw_text(h, c->keys[a]);
    out_summary_header(h);
}

/* Every point into dir/sweep.csv.part; 0 or an exit status (said). */
static int merge(collect_t *c)
{
    char *part = path_join(c->dir, COL_FILE_SWEEP ".part");
    char *missing = calloc((size_t)c->npoints + 1, 1);
    long nmissing = 0;
    int rc = 0;
    if (!part || !missing || runtable_open(&c->table, part) != 0) {
        say("cannot write %s/" COL_FILE_SWEEP ".part: %s", c->dir,
            strerror(part && missing ? errno : ENOMEM));
        free(part);
        free(missing);
        return 1;
    }
    for (long n = 1; n <= c->npoints && rc == 0; n++) {
        int r = read_point(c, n);
        if (r < 0)
            missing[n - 1] = 1, nmissing++;
        else
            rc = r;
    }
    if (rc == 0 && nmissing) {
        say_missing(c, missing, nmissing);
        rc = 1;
    }
    if (rc == 0 && (rc = runtable_close(&c->table, write_header, c)) != 0)
        say("writing %s: %s", part, strerror(rc)), rc = 1;
    else if (rc != 0)
        runtable_abort(&c->table);
    free(part);
    free(missing);
    return rc;
}

/* An index cut short would give a table that looks whole: the point
 * after its last must have no file.  0, or 2 (said). */
static int index_whole(const collect_t *c)
{
    char *next = sweep_point_path(c->dir, c->npoints + 1, "");
    struct stat sb;
    int cut = next && lstat(next, &sb) == 0;
    if (cut)
        say("%s/" POINTS_FOLDER "/" POINTS_INDEX " ends at point %ld, but %s is there: an "
            "index cut short", c->dir, c->npoints, next);
    free(next);
    return next ? cut ? 2 : 0 : (say("sweep: out of memory"), 1);
}

static int collect_in(collect_t *c, const sweep_opts_t *o)
{
    static const char *const table[] = {COL_FILE_SWEEP};
    char *folder = path_join(c->dir, POINTS_FOLDER), err[PATH_ERR_MAX];
    rows_t r = {.on_head = index_head, .on_row = index_row, .ctx = c,
                .hint = "no sweep's points were emitted in this folder (gilsim sweep "
                        "--emit-jobs or --emit-slurm writes it)"};
    int rc = folder ? rows_read(&r, folder, POINTS_INDEX) : 1;
    rows_free(&r);
    free(folder);
    if (rc == 0)
        rc = index_whole(c);
    if (rc == 0 && outdir_clean(c->dir, err, sizeof err) != 0)
        rc = 1, say("%s", err);
    if (rc == 0)
        rc = merge(c);
    if (rc == 0 && outdir_commit(c->dir, table, 1, err, sizeof err) != 0)
        rc = 1, say("%s", err);
    if (rc == 0 && o->aggregate)
        rc = sweep_aggregate(c->dir, c->naxes);
    if (rc == 0 && o->plot_metric)
        rc = sweep_plot(&(sweep_plot_t){c->dir, c->keys, c->naxes, o->plot_metric, o->plot_x,
                                        o->plots_dir, o->format, o->quiet, o->stop});
    if (rc != 0)
        outdir_remove_parts(c->dir, table, 1);
    else if (!o->quiet)
        printf("gilsim sweep: %ld points collected from %s/" POINTS_FOLDER "\nresults: %s/"
               COL_FILE_SWEEP "\n", c->npoints, c->dir, c->dir);
    return rc;
}

int sweep_collect(const sweep_opts_t *o)
{
    collect_t c = {.dir = o->collect};
    int fd, created;
    int rc = outdir_lock(c.dir, o->wait, o->quiet, o->stop, &fd, &created);
    if (rc != 0)
        return rc;
    rc = collect_in(&c, o);
    outdir_release(c.dir, fd, rc != 0 ? created : 0);
    for (long i = 0; i < c.npoints * c.naxes; i++)
        free(c.values[i]);
    for (int a = 0; c.keys && a < c.naxes; a++)
        free(c.keys[a]);
    free(c.values);
    free(c.keys);
    return rc;
}
