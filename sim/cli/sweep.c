/* sweep.c — see sweep.h.
 *
 * Run i of a sweep is a mixed-radix number: the last axis turns fastest
 * and the seed fastest of all, so sweep.csv lists each combination's seeds
 * together.  Every axis value is loaded once before the first run, so a
 * misspelt value stops the sweep at once instead of after hours; the table
 * is written as sweep.csv.part (its header, which names every run's marks
 * and groups, last: runtable.h) and renamed only when every run succeeded.
 * The folder is locked and cleared of earlier results first (outdir.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include "columns.h"
#include "config.h"
#include "out/csvw.h"
#include "out/outdir.h"
#include "out/output.h"
#include "out/runtable.h"
#include "runner.h"
#include "sweep.h"
#include "engine/util.h"

typedef struct sweep {
    const sweep_opts_t *o;
    long total;
    int *pick;                   /* value index per axis of the current run */
    int seed;                    /* 0: the config's own */
    char **sets;                 /* fixed sets, then one per axis, then the seed */
    int nsets;
    runtable_t table;
    long run;                    /* 1-based number of the current run */
    double sim_wall;             /* summed wall time of the simulations alone */
} sweep_t;

int sweep_axis_parse(const char *arg, sweep_axis_t *ax, char *err, int errsize)
{
    *ax = (sweep_axis_t){0};
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) {
        snprintf(err, (size_t)errsize, "--vary '%s': expected KEY=V1,V2,..., e.g. machine.cores=1,2,4", arg);
        return -1;
    }
    if (!(ax->key = strdup(arg)))
        goto no_memory;
    ax->key[eq - arg] = '\0';
    int depth = 0, cap = 0;
    const char *start = eq + 1;
    for (const char *c = start;; c++) {
        if (*c == '(' || *c == '[')
            depth++;
        else if ((*c == ')' || *c == ']') && depth > 0)
            depth--;
        if (*c && (*c != ',' || depth > 0))
            continue;
        while (*start == ' ')
            start++;
        const char *end = c;
        while (end > start && end[-1] == ' ')
            end--;
        if (end == start) {
            snprintf(err, (size_t)errsize, "--vary '%s': empty value", arg);
            sweep_axis_free(ax);
            return -1;
        }
        if (ax->n == cap) {
            char **v = realloc(ax->values, sizeof *v * (size_t)(cap = cap ? cap * 2 : 16));
            if (!v)
                goto no_memory;
            ax->values = v;
        }
        if (!(ax->values[ax->n] = strndup(start, (size_t)(end - start))))
            goto no_memory;
        ax->n++;
        if (!*c)
            break;
        start = c + 1;
    }
    return 0;
no_memory:
    snprintf(err, (size_t)errsize, "--vary: out of memory");
    sweep_axis_free(ax);
    return -1;
}

void sweep_axis_free(sweep_axis_t *ax)
{
    for (int i = 0; i < ax->n; i++)
        free(ax->values[i]);
    free(ax->values);
    free(ax->key);
    *ax = (sweep_axis_t){0};
}

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

static int out_of_memory(void)
{
    say("sweep: out of memory");
    return 1;
}

/* Run number i (0-based) as axis picks and a seed; 0, or 1 (out of
 * memory, said). */
static int pick_run(sweep_t *w, long i)
{
    const sweep_opts_t *o = w->o;
    if (o->seeds > 0) {
        w->seed = (int)(i % o->seeds) + 1;
        i /= o->seeds;
    }
    for (int a = o->naxes - 1; a >= 0; a--) {
        w->pick[a] = (int)(i % o->axes[a].n);
        i /= o->axes[a].n;
    }
    return compose_sets(w) == 0 ? 0 : out_of_memory();
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
                return out_of_memory();
            config_t cfg;
            if (load(w, &cfg) != 0)
                return 2;
            cfg_free(&cfg);
        }
    return 0;
}

/* sweep.csv's columns (columns.def): run, one per --vary key, then
 * summary.csv's; the header follows the same order. */
static void write_row(void *ctx, const sim_t *s, const run_stats_t *st)
{
    sweep_t *w = ctx;
    csvw_t *row = runtable_row(&w->table);
    csvw_i64(row, w->run);
    for (int a = 0; a < w->o->naxes; a++)
        csvw_text(row, w->o->axes[a].values[w->pick[a]]);
    out_summary_fields(row, s, st);
    runtable_row_end(&w->table, st->named, st->nnamed);     /* a failure shows in row->error */
    w->sim_wall += st->wall_s;
}

static void write_header(csvw_t *h, void *ctx)
{
    const sweep_t *w = ctx;
    const char *run = col_files[COL_SWEEP_CSV].cols[COL_SWEEP_RUN].name;
    csvw_raw(h, run, strlen(run));
    for (int a = 0; a < w->o->naxes; a++)
        csvw_text(h, w->o->axes[a].key);
    out_summary_header(h);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int interrupted(const sweep_t *w, long done)
{
    char sn[32];
    int sig = *w->o->stop;
    say("sweep interrupted by %s after %ld of %ld runs; no sweep.csv "
            "written", outdir_signame(sig, sn, sizeof sn), done, w->total);
    return 128 + sig;
}

static int run_all(sweep_t *w, const char *dir)
{
    const sweep_opts_t *o = w->o;
    double t0 = now_s(), shown = t0;
    run_opts_t ro = {.outdir = dir, .trace = TRACE_NONE, .check_invariants = o->check,
                     .on_done = write_row, .done_ctx = w, .stop = o->stop, .quiet_stop = 1};
    for (long i = 0; i < w->total; i++) {
        if (o->stop && *o->stop > 0)
            return interrupted(w, i);
        if (pick_run(w, i) != 0)
            return 1;
        w->run = i + 1;
        config_t cfg;
        if (load(w, &cfg) != 0)
            return 2;
        int rc = run_simulation(&cfg, &ro);
        cfg_free(&cfg);
        if (rc > 128)
            return interrupted(w, i);
        const csvw_t *rows = runtable_row(&w->table);
        if (rows->error) {
            say("writing %s/sweep.csv: %s; sweep stopped after %ld of %ld "
                    "runs, no sweep.csv written", dir, strerror(rows->err_no ? rows->err_no
                    : EIO), w->run, w->total);
            return 1;
        }
        if (rc != 0) {
            say("sweep run %ld (%s%s...) failed", w->run,
                    w->nsets > o->nsets ? w->sets[o->nsets] : "", w->nsets > o->nsets ? " " : "");
            return rc;
        }
        if (o->progress && now_s() - shown > 0.2) {
            shown = now_s();
            fprintf(stderr, "\rrun %ld of %ld   ", w->run, w->total);
        }
    }
    if (o->progress && shown > t0)
        fprintf(stderr, "\r%40s\r", "");
    return 0;
}

/* Runs every run into dir/sweep.csv.part; 0 or an exit status. */
static int table_runs(sweep_t *w, const char *dir)
{
    char err[PATH_ERR_MAX];
    if (outdir_clean(dir, err, sizeof err) != 0) {
        say("%s", err);
        return 1;
    }
    char *part = path_join(dir, "sweep.csv.part");
    int rc = 0;
    if (!part || runtable_open(&w->table, part) != 0) {
        say("cannot write %s/sweep.csv.part: %s", dir,
                strerror(part ? errno : ENOMEM));
        rc = 1;
    } else if ((rc = run_all(w, dir)) != 0) {
        runtable_abort(&w->table);
    } else {
        int e = runtable_close(&w->table, write_header, w);
        if (e) {
            say("writing %s: %s", part, strerror(e));
            rc = 1;
        }
    }
    free(part);
    return rc;
}

static int sweep_in(sweep_t *w, const char *dir)
{
    static const char *const table[] = {COL_FILE_SWEEP};
    int fd, created;
    int rc = outdir_lock(dir, w->o->wait, w->o->quiet, w->o->stop, &fd, &created);
    if (rc != 0)
        return rc;
    char err[PATH_ERR_MAX];
    double t0 = now_s();
    rc = table_runs(w, dir);
    if (rc == 0 && w->o->stop && *w->o->stop > 0)
        rc = interrupted(w, w->total);
    if (rc == 0 && outdir_commit(dir, table, 1, err, sizeof err) != 0) {
        say("%s", err);
        rc = 1;
    }
    if (rc != 0) {
        outdir_remove_parts(dir, table, 1);
    } else if (!w->o->quiet) {
        double wall = now_s() - t0;
        printf("gilsim sweep: %ld runs in %.3f s (%.3f ms per run, of which %.3f ms "
               "loading and setting up)\nresults: %s/sweep.csv\n", w->total, wall,
               wall / (double)w->total * 1e3, (wall - w->sim_wall) / (double)w->total * 1e3, dir);
    }
    outdir_release(dir, fd, rc != 0 && created);  /* a failed sweep's new folder goes */
    return rc;
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

int sweep_run(const sweep_opts_t *o)
{
    sweep_t w = {.o = o, .total = sweep_count(o->axes, o->naxes, o->seeds)};
    if (w.total < 0) {
        say("sweep: more than %ld runs (the values of every --vary "
                "times --seeds)", SWEEP_MAX_RUNS);
        return 2;
    }
    int cap = o->nsets + o->naxes + 1;
    w.pick = calloc((size_t)o->naxes + 1, sizeof *w.pick);
    w.sets = calloc((size_t)cap, sizeof *w.sets);
    int rc = w.pick && w.sets ? 0 : out_of_memory();
    for (int i = 0; rc == 0 && i < o->nsets; i++)
        if (!(w.sets[i] = strdup(o->sets[i])))
            rc = out_of_memory();
    char *dir = NULL;
    if (rc == 0)
        rc = check_values(&w);
    if (rc == 0)
        rc = pick_run(&w, 0);
    if (rc == 0) {
        config_t cfg;
        if (load(&w, &cfg) != 0) {
            rc = 2;
        } else {
            dir = o->outdir ? strdup(o->outdir) : outdir_default(cfg.name, "-sweep");
            cfg_free(&cfg);
            rc = dir ? sweep_in(&w, dir) : out_of_memory();
        }
    }
    free(dir);
    for (int i = 0; w.sets && i < cap; i++)
        free(w.sets[i]);
    free(w.sets);
    free(w.pick);
    return rc;
}
