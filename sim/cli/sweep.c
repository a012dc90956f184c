/* sweep.c — see sweep.h.
 *
 * Run i of a sweep is a mixed-radix number: the last axis turns fastest
 * and the seed fastest of all, so sweep.csv lists each combination's seeds
 * together.  Every axis value is loaded once before the first run, so a
 * misspelt value stops the sweep at once instead of after hours.  This
 * file makes one run of the sweep and its row; sweep_runs.c runs them all
 * into the table, here or on workers; sweep_emit.c and sweep_collect.c
 * spread them over other machines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "columns.h"
#include "config.h"
#include "out/csvw.h"
#include "out/figures.h"
#include "out/output.h"
#include "out/runtable.h"
#include "runner.h"
#include "sweep.h"
#include "cli/sweep_points.h"
#include "cli/sweep_internal.h"
#include "cli/sweep_table.h"
#include "engine/util.h"



/* Sets w->sets[i] to "key=value" (replacing what was there); 0 or -1. */
static int set_kv(sweep_t *w, int i, const char *key, const char *value)
{
    size_t n = strlen(key) + strlen(value) + 2;
    char *kv = malloc(n);
    if (!kv)
        return -1;
    snprintf(kv, n, "%s=%s", key, value);
    free(w->sets[i]);
    w->sets[i] = kv;
    return 0;
}

/* The --set strings of the current pick and seed; 0, or -1 out of memory. */
static int compose_sets(sweep_t *w)
{
    const sweep_opts_t *o = w->o;
    w->nsets = o->nsets;
    for (int a = 0; a < o->naxes; a++) {
        const sweep_axis_t *ax = &o->axes[a];
        if (set_kv(w, w->nsets++, ax->key, ax->values[w->pick[a]]) != 0)
            return -1;
    }
    if (w->seed > 0) {
        char seed[24];
        snprintf(seed, sizeof seed, "%d", w->seed);
        if (set_kv(w, w->nsets++, "seed", seed) != 0)
            return -1;
    }
    return 0;
}

int sweep_oom(void)
{
    say("sweep: out of memory");
    return 1;
}

/* Run number i (0-based) as axis picks and a seed; 0, or 1 (out of
 * memory, said). */
static int pick_run(sweep_t *w, long i)
{
    const sweep_opts_t *o = w->o;
    w->seed = o->seeds > 0 ? (int)(i % o->seeds) + 1 : 0;
    for (int a = 0; a < o->naxes; a++)
        w->pick[a] = sweep_axis_pick(o, i, a);
    w->run = i + 1;
    return compose_sets(w) == 0 ? 0 : sweep_oom();
}

/* sweep_shape_t.value: what run (1-based) has for axis a. */
const char *sweep_axis_value(const void *ctx, long run, int a)
{
    const sweep_opts_t *o = ctx;
    return o->axes[a].values[sweep_axis_pick(o, run - 1, a)];
}

/* Loads the config with the current sets.  A bad axis value is reported as
 * the --vary it came from. */
static int load(sweep_t *w, config_t *cfg)
{
    char err[CFG_ERR_MAX];
    if (cfg_load(w->o->config, w->sets, w->nsets, cfg, err) == 0)
        return 0;
    for (int s = w->o->nsets; s < w->nsets; s++) {
        size_t n = strlen(w->sets[s]);
        if (!strncmp(err, "--set '", 7) && !strncmp(err + 7, w->sets[s], n) && err[7 + n] == '\'') {
            char *v = text_visible(w->sets[s], n);
            fprintf(stderr, "--vary '%s'%s\n", v ? v : "", err + 8 + n);
            free(v);
            return -1;
        }
    }
    fprintf(stderr, "%s\n", err);
    return -1;
}

/* Each axis value once, the other axes at their first value: 0, 2 (a bad
 * value, said) or 1 (out of memory, said). */
static int check_values(sweep_t *w)
{
    const sweep_opts_t *o = w->o;
    for (int a = 0; a < o->naxes; a++)
        for (int v = 0; v < o->axes[a].n; v++) {
            memset(w->pick, 0, sizeof *w->pick * (size_t)(o->naxes + 1));
            w->pick[a] = v;
            w->seed = o->seeds > 0 ? 1 : 0;
            if (compose_sets(w) != 0)
                return sweep_oom();
            config_t cfg;
            if (load(w, &cfg) != 0)
                return 2;
            cfg_free(&cfg);
        }
    return 0;
}

/* sweep.csv's leading names (columns.def): run, one per --vary key, then
 * summary.csv's; runtable.h adds the named ones. */
void sweep_write_header(csvw_t *h, void *ctx)
{
    const sweep_t *w = ctx;
    const char *run = col_files[COL_SWEEP_CSV].cols[COL_SWEEP_RUN].name;
    csvw_raw(h, run, strlen(run));
    for (int a = 0; a < w->o->naxes; a++)
        csvw_text(h, w->o->axes[a].key);
    out_summary_header(h);
}

/* The current run's leading fields, in the header's order. */
static void lead_fields(csvw_t *row, const sweep_t *w, const sim_t *s, const run_stats_t *st)
{
    csvw_i64(row, w->run);
    for (int a = 0; a < w->o->naxes; a++)
        csvw_text(row, w->o->axes[a].values[w->pick[a]]);
    out_summary_fields(row, s, st);
}

/* run_opts_t.on_done of a run in this process: its row into the table. */
void sweep_write_row(void *ctx, const sim_t *s, const run_stats_t *st)
{
    sweep_t *w = ctx;
    lead_fields(runtable_row(&w->table), w, s, st);
    runtable_row_end(&w->table, st->named, st->nnamed);     /* a failure shows in row->error */
    w->sim_wall += st->wall_s;
    w->kept++;
}

/* run_opts_t.on_done of a worker's run: a one-row table for the parent. */
void sweep_write_point(void *ctx, const sim_t *s, const run_stats_t *st)
{
    sweep_t *w = ctx;
    csvw_t *p = &w->point;
    csvw_memory_clear(p);
    sweep_write_header(p, w);
    for (int i = 0; i < st->nnamed; i++)
        csvw_text(p, st->named[i].name);
    csvw_end(p);
    lead_fields(p, w, s, st);
    for (int i = 0; i < st->nnamed; i++)
        out_named_value(p, &st->named[i]);
    csvw_end(p);
}

/* A row read back enters the table as it was written. */
void sweep_keep_row(sweep_t *w, sweep_row_t *r)
{
    csvw_raw(runtable_row(&w->table), r->lead, r->nlead);
    runtable_row_end(&w->table, r->named, r->nnamed);
    w->kept++;
}

/* Every held row from w->next on that has no gap before it. */
void sweep_keep_ready(sweep_t *w)
{
    for (; w->next < w->total && w->held[w->next]; w->next++) {
        sweep_keep_row(w, w->held[w->next]);
        sweep_row_free(w->held[w->next]);
        free(w->held[w->next]);
        w->held[w->next] = NULL;
    }
}

/* sweep_table_parse's on_row: the row is held at its run. */
int sweep_hold_row(sweep_row_t *row, void *ctx)
{
    sweep_t *w = ctx;
    sweep_row_t *copy = malloc(sizeof *copy);
    if (!copy || w->held[row->run - 1]) {
        w->twice = copy ? row->run : 0;
        sweep_row_free(row);
        free(copy);
        return copy ? 2 : sweep_oom();
    }
    *copy = *row;
    w->held[row->run - 1] = copy;
    return 0;
}

/* One run in this process (or in a worker, with on_done sweep_write_point):
 * 0 or an exit status, said. */
int sweep_run_one(sweep_t *w, long i, void (*on_done)(void *, const sim_t *, const run_stats_t *))
{
    const sweep_opts_t *o = w->o;
    run_opts_t ro = {.outdir = w->dir, .trace = TRACE_NONE, .check_invariants = o->check,
                     .on_done = on_done, .done_ctx = w, .stop = o->stop, .quiet_stop = 1};
    if (pick_run(w, i) != 0)
        return 1;
    config_t cfg;
    if (load(w, &cfg) != 0)
        return 2;
    int rc = run_simulation(&cfg, &ro);
    cfg_free(&cfg);
    if (rc != 0 && rc <= 128)
        say("sweep run %ld (%s%s...) failed", w->run,
                w->nsets > o->nsets ? w->sets[o->nsets] : "", w->nsets > o->nsets ? " " : "");
    return rc;
}

/* --point N: run N alone, its row written to DIR/points/N.csv (through
 * N.csv.part, renamed when whole).  No lock: the points of one sweep run
 * at once, each writing its own file only. */
static int run_point(sweep_t *w)
{
    char *folder = path_join(w->dir, POINTS_FOLDER);
    char *part = sweep_point_path(w->dir, w->o->point, ".part");
    char *final = sweep_point_path(w->dir, w->o->point, "");
    int rc = folder && part && final ? 0 : sweep_oom();
    if (rc == 0 && make_dirs(folder) != 0) {
        say("cannot make %s: %s", folder, strerror(errno));
        rc = 1;
    }
    if (rc == 0 && csvw_open_memory(&w->point) != 0)
        rc = sweep_oom();
    if (rc == 0) {
        rc = sweep_run_one(w, w->o->point - 1, sweep_write_point);
        size_t len;
        const char *bytes = csvw_memory(&w->point, &len);
        FILE *f = rc == 0 ? file_create_fresh(part) : NULL;
        if (rc == 0 && (!f || w->point.error || fwrite(bytes, 1, len, f) != len
                        || fclose(f) != 0 || (f = NULL, rename(part, final) != 0))) {
            say("writing %s: %s", final, strerror(w->point.err_no ? w->point.err_no : errno));
            if (f)
                fclose(f);
            unlink(part);
            rc = 1;
        }
        csvw_close(&w->point);
    }
    free(folder);
    free(part);
    free(final);
    return rc;
}

/* What the command asks once the values are known good: the sweep, one
 * point of it, or its points written out as commands. */
static int sweep_or_point(sweep_t *w)
{
    const sweep_opts_t *o = w->o;
    if (o->point > w->total) {
        say("--point %ld: this sweep has %ld runs", o->point, w->total);
        return 2;
    }
    if (o->point > 0)
        return run_point(w);
    if (o->emit_jobs || o->emit_slurm)
        return sweep_emit(o, w->total, w->dir);
    return sweep_in(w);
}

long sweep_count(const sweep_axis_t *axes, int naxes, int seeds)
{
    long total = seeds > 0 ? seeds : 1;
    for (int a = 0; a < naxes; a++) {
        if (axes[a].n > SWEEP_MAX_RUNS / total)
            return -1;
        total *= axes[a].n;
    }
    return total <= SWEEP_MAX_RUNS ? total : -1;
}

static void sweep_free(sweep_t *w, int cap)
{
    for (int i = 0; w->sets && i < cap; i++)
        free(w->sets[i]);
    for (long i = 0; w->held && i < w->total; i++)
        if (w->held[i]) {
            sweep_row_free(w->held[i]);
            free(w->held[i]);
        }
    free(w->held);
    free(w->todo);
    free(w->keys);
    free(w->sets);
    free(w->pick);
}

int sweep_run(const sweep_opts_t *o)
{
    if (o->plot_metric && !o->naxes && !o->collect) {
        say("--plot %s: no --vary key to draw it against", o->plot_metric);
        return 2;
    }
    if (o->plot_metric && !figure_sweep_metric(o->plot_metric)) {
        say("--plot %s: not a numeric column of sweep.csv (gilsim help columns lists "
            "summary.csv's)", o->plot_metric);
        return 2;
    }
    for (int a = 0; o->plot_x && a <= o->naxes; a++)
        if (a == o->naxes) {
            say("--plot-x %s: not a --vary key of this sweep", o->plot_x);
            return 2;
        } else if (!strcmp(o->axes[a].key, o->plot_x)) {
            break;
        }
    if (o->collect)
        return sweep_collect(o);
    sweep_t w = {.o = o, .total = sweep_count(o->axes, o->naxes, o->seeds)};
    if (w.total < 0) {
        say("sweep: more than %ld runs (the values of every --vary "
                "times --seeds)", SWEEP_MAX_RUNS);
        return 2;
    }
    int cap = o->nsets + o->naxes + 1;
    w.pick = calloc((size_t)o->naxes + 1, sizeof *w.pick);
    w.sets = calloc((size_t)cap, sizeof *w.sets);
    w.keys = calloc((size_t)o->naxes + 1, sizeof *w.keys);
    w.held = calloc((size_t)w.total, sizeof *w.held);
    int rc = w.pick && w.sets && w.keys && w.held ? 0 : sweep_oom();
    for (int a = 0; rc == 0 && a < o->naxes; a++)
        w.keys[a] = o->axes[a].key;
    for (int i = 0; rc == 0 && i < o->nsets; i++)
        if (!(w.sets[i] = strdup(o->sets[i])))
            rc = sweep_oom();
    char *dir = NULL;
    if (rc == 0 && o->point <= 0)      /* a point checks its own values only */
        rc = check_values(&w);
    if (rc == 0)
        rc = pick_run(&w, o->point > 0 && o->point <= w.total ? o->point - 1 : 0);
    if (rc == 0) {
        config_t cfg;
        if (load(&w, &cfg) != 0) {
            rc = 2;
        } else {
            dir = o->outdir ? strdup(o->outdir) : outdir_default(cfg.name, "-sweep");
            cfg_free(&cfg);
            w.dir = dir;
            rc = dir ? sweep_or_point(&w) : sweep_oom();
        }
    }
    free(dir);
    sweep_free(&w, cap);
    return rc;
}
