/* sweep_runs.c — every run of a sweep into its table (sweep_internal.h).
 *
 * The table is written as sweep.csv.part (its header, which names every
 * run's marks and groups, last: runtable.h) and renamed only when every
 * run succeeded.  The folder is locked and cleared of earlier results
 * first (outdir.h).
 *
 * With --jobs N the runs go to N forked workers (jobs.h).  A worker hands
 * each run's row back as a one-row sweep table, which the parent reads
 * (sweep_table.h) and holds until every run before it is in: rows enter
 * the table in run order, so sweep.csv is the same whichever worker
 * finished first.  A sweep stopped by a signal or a failed run writes the
 * rows it has, in run order with gaps, to sweep-partial.csv; --resume
 * reads them back and runs only the others. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "columns.h"
#include "out/outdir.h"
#include "cli/jobs.h"
#include "cli/sweep_aggregate.h"
#include "cli/sweep_plot.h"
#include "cli/sweep_internal.h"
#include "engine/util.h"

#define PARTIAL_MAX_BYTES 1073741824
#define STR_(x) #x
#define STR(x) STR_(x)

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* "done of total runs, elapsed, about N s left" on stderr, at most five
 * times a second; the estimate is the runs left at the pace so far. */
static void show_progress(sweep_t *w)
{
    double now = now_s();
    if (!w->o->progress || now - w->shown < 0.2)
        return;
    w->shown = now;
    double left = (now - w->t0) / (double)w->done * (double)(w->ntodo - w->done);
    fprintf(stderr, "\r%ld of %ld runs, %.1f s, about %.0f s left   ",
            w->total - w->ntodo + w->done, w->total, now - w->t0, left);
}

static void end_progress(const sweep_t *w)
{
    if (w->o->progress && w->shown > w->t0)
        fprintf(stderr, "\r%60s\r", "");
}

/* The runs one after the other in this process, rows held from a resumed
 * sweep put in at their place; 0 or an exit status. */
static int run_serial(sweep_t *w)
{
    for (long k = 0; k < w->ntodo; k++) {
        if (w->o->stop && *w->o->stop > 0)
            return 128 + *w->o->stop;
        sweep_keep_ready(w);           /* rows held from before this run */
        int rc = sweep_run_one(w, w->todo[k], sweep_write_row);
        const csvw_t *rows = runtable_row(&w->table);
        if (rows->error) {
            say("writing %s/sweep.csv: %s", w->dir, strerror(rows->err_no ? rows->err_no : EIO));
            return 1;
        }
        if (rc != 0)
            return rc;
        w->next = w->todo[k] + 1;
        w->done++;
        show_progress(w);
    }
    sweep_keep_ready(w);
    return 0;
}

/* jobs_t callbacks of a parallel sweep: item k is run todo[k]. */
static int job_work(int item, void *ctx)
{
    sweep_t *w = ctx;
    return sweep_run_one(w, w->todo[item], sweep_write_point);
}

static const char *job_result(void *ctx, size_t *len)
{
    sweep_t *w = ctx;
    return w->point.error ? NULL : csvw_memory(&w->point, len);
}

static int job_row(int item, const char *data, size_t len, void *ctx)
{
    sweep_t *w = ctx;
    char err[256];
    sweep_shape_t shape = {w->keys, w->o->naxes, w->total, sweep_axis_value, w->o};
    int rc = sweep_table_parse(data, len, &shape, sweep_hold_row, w, err, sizeof err);
    if (rc > 0 || (rc == 0 && !w->held[w->todo[item]]))
        snprintf(err, sizeof err, "not run %ld's one row", w->todo[item] + 1);
    if (rc != 0 || !w->held[w->todo[item]]) {
        say("sweep run %ld: its worker's row cannot be read (%s)", w->todo[item] + 1, err);
        return 1;
    }
    sweep_keep_ready(w);
    return runtable_row(&w->table)->error ? 1 : 0;
}

static void job_progress(int done, int total, void *ctx)
{
    (void)total;
    sweep_t *w = ctx;
    w->done = done;
    show_progress(w);
}

/* The runs on jobs workers; 0 or an exit status. */
static int run_parallel(sweep_t *w, int jobs)
{
    if (csvw_open_memory(&w->point) != 0)
        return sweep_oom();
    jobs_t j = {.nitems = (int)w->ntodo, .nworkers = jobs, .work = job_work,
                .result = job_result, .on_result = job_row, .progress = job_progress,
                .ctx = w, .stop = w->o->stop};
    int rc = jobs_run(&j);
    csvw_close(&w->point);
    const csvw_t *rows = runtable_row(&w->table);
    if (rows->error) {
        say("writing %s/sweep.csv: %s", w->dir, strerror(rows->err_no ? rows->err_no : EIO));
        return 1;
    }
    return rc;
}

/* Reads DIR/sweep-partial.csv into w->held: 0, or 2 (said). */
static int read_partial(sweep_t *w)
{
    char *path = path_join(w->dir, COL_FILE_SWEEP_PARTIAL), err[300];
    size_t len = 0;
    int e = ENOMEM, rc = 2;
    char *buf = path ? sweep_file_read(path, PARTIAL_MAX_BYTES, &len, &e) : NULL;
    if (!buf) {
        say("--resume: %s: %s", path ? path : COL_FILE_SWEEP_PARTIAL,
            e == ENOENT ? "no sweep was stopped in this folder"
            : e == EFBIG ? "larger than " STR(PARTIAL_MAX_BYTES) " bytes"
            : e == EINVAL ? "not a regular file" : strerror(e));
        rc = e == ENOMEM ? 1 : 2;
    } else {
        sweep_shape_t shape = {w->keys, w->o->naxes, w->total, sweep_axis_value, w->o};
        int r = sweep_table_parse(buf, len, &shape, sweep_hold_row, w, err, sizeof err);
        if (r == 0)
            rc = 0;
        else if (w->twice)
            say("--resume: %s: run %ld is there twice", path, w->twice);
        else if (r < 0)
            say("--resume: %s: %s", path, err);
        else
            rc = 1;              /* out of memory, said */
    }
    free(buf);
    free(path);
    return rc;
}

/* w->todo: the runs not held. */
static int list_todo(sweep_t *w)
{
    if (!(w->todo = malloc(sizeof *w->todo * (size_t)w->total)))
        return sweep_oom();
    for (long i = 0; i < w->total; i++)
        if (!w->held[i])
            w->todo[w->ntodo++] = i;
    return 0;
}

/* The sweep stopped (rc): its rows so far, the held ones after the gaps
 * included, become sweep-partial.csv, and what happened is said. */
static void keep_partial(sweep_t *w, int rc, char *part)
{
    for (long i = w->next; i < w->total; i++)
        if (w->held[i])
            sweep_keep_row(w, w->held[i]);
    char *path = path_join(w->dir, COL_FILE_SWEEP_PARTIAL), sn[32];
    int e = runtable_row(&w->table)->error || !w->kept || !path ? -1
          : runtable_close(&w->table, sweep_write_header, w);
    if (e == 0 && rename(part, path) != 0)
        e = errno;
    if (e != 0)
        runtable_abort(&w->table);
    if (rc > 128)
        say("sweep interrupted by %s after %ld of %ld runs", outdir_signame(rc - 128, sn, sizeof sn),
            w->kept, w->total);
    if (e == 0)
        say("the %ld rows done are in %s: the same command with --resume runs the other %ld",
            w->kept, path, w->total - w->kept);
    else if (rc > 128 || w->kept)
        say("no sweep.csv written%s", w->kept ? "; the rows done could not be kept" : "");
    free(path);
}

/* Whether every run has its row, in the table or held. */
static int all_rows_in(sweep_t *w)
{
    sweep_keep_ready(w);
    return w->next == w->total;
}

/* Runs every run into dir/sweep.csv.part; 0 or an exit status. */
static int table_runs(sweep_t *w)
{
    char err[PATH_ERR_MAX];
    int rc = w->o->resume ? read_partial(w) : 0;
    if (rc == 0 && outdir_clean(w->dir, err, sizeof err) != 0) {
        say("%s", err);
        rc = 1;
    }
    if (rc == 0)
        rc = list_todo(w);
    if (rc != 0)
        return rc;
    char *part = path_join(w->dir, "sweep.csv.part");
    if (!part || runtable_open(&w->table, part) != 0) {
        say("cannot write %s/sweep.csv.part: %s", w->dir, strerror(part ? errno : ENOMEM));
        free(part);
        return 1;
    }
    w->t0 = w->shown = now_s();
    int jobs = w->o->jobs > 0 ? w->o->jobs : jobs_cores();
    rc = jobs > 1 && w->ntodo > 1 ? run_parallel(w, jobs) : run_serial(w);
    end_progress(w);
    if (rc == 0 && w->o->stop && *w->o->stop > 0)
        rc = 128 + *w->o->stop;
    if (rc > 128 && all_rows_in(w))
        rc = 0;                  /* stopped after the last run: the table is whole */
    if (rc != 0) {
        keep_partial(w, rc, part);
    } else {
        int e = runtable_close(&w->table, sweep_write_header, w);
        if (e) {
            say("writing %s: %s", part, strerror(e));
            rc = 1;
        }
    }
    free(part);
    return rc;
}

static void say_done(const sweep_t *w, double wall)
{
    int jobs = w->o->jobs > 0 ? w->o->jobs : jobs_cores();
    double per = wall / (double)(w->ntodo ? w->ntodo : 1) * 1e3;
    printf("gilsim sweep: %ld runs in %.3f s", w->ntodo, wall);
    if (w->ntodo < w->total)
        printf(" (and %ld resumed)", w->total - w->ntodo);
    if (w->ntodo == 0)
        printf("\n");
    else if (jobs > 1 && w->ntodo > 1)
        printf(" on %d workers\n", jobs);
    else
        printf(" (%.3f ms per run, of which %.3f ms loading and setting up)\n", per,
               (wall - w->sim_wall) / (double)(w->ntodo ? w->ntodo : 1) * 1e3);
    printf("results: %s/sweep.csv\n", w->dir);
}

int sweep_in(sweep_t *w)
{
    static const char *const table[] = {COL_FILE_SWEEP};
    const char *dir = w->dir;
    int fd, created;
    int rc = outdir_lock(dir, w->o->wait, w->o->quiet, w->o->stop, &fd, &created);
    if (rc != 0)
        return rc;
    char err[PATH_ERR_MAX];
    double t0 = now_s();
    rc = table_runs(w);
    if (rc == 0 && outdir_commit(dir, table, 1, err, sizeof err) != 0) {
        say("%s", err);
        rc = 1;
    }
    if (rc != 0)
        outdir_remove_parts(dir, table, 1);
    else if (!w->o->quiet)
        say_done(w, now_s() - t0);
    if (rc == 0 && w->o->aggregate)      /* sweep.csv stays whatever these do */
        rc = sweep_aggregate(dir, w->o->naxes);
    if (rc == 0 && w->o->plot_metric)
        rc = sweep_plot(&(sweep_plot_t){dir, w->keys, w->o->naxes, w->o->plot_metric,
                                        w->o->plot_x, w->o->plots_dir, w->o->format,
                                        w->o->quiet, w->o->stop});
    outdir_release(dir, fd, rc != 0 ? created : 0);  /* a failed sweep's new folder goes */
    return rc;
}
