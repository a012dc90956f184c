/* plotsum.c — the figures' data from a run's summary.csv (the run's end,
 * cores, switch interval and drop requests; each core's busy fraction
 * into cores.dat; a caption naming the config) and threads.csv (the
 * timeline's roster of threads, and each shared thread's share of the
 * work into asymmetry.dat).
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
#include "caps.h"
#include "columns.h"
#include "events.h"
#include "out/csvread.h"
#include "plotprep.h"
#include "out/keymap.h"
#include "out/plotcheck.h"
#include "out/plotlane.h"
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

/* A whole number from 0 to max, as gilsim writes counts and
 * nanoseconds; 0 or -1. */
static int whole(const char *s, long long max, long long *v)
{
    return plot_digits(s, strlen(s), 18, v) == 0 && *v <= max ? 0 : -1;
}

typedef struct summary {
    plot_info_t *info;
    char *cores_path;
    char *jain;
} summary_t;

/* The column's value, its length in *len; refuses the row when the file
 * has no such column (rows_need). */
static const char *need_len(rows_t *r, const char *name, size_t *len)
{
    const char *v = rows_need(r, name);
    if (v)
        *len = r->flen[rows_col(r, name)];
    return v;
}

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
    const char *threads = maybe(r, SUMMARY_NAME(THREADS)), *cores = maybe(r, SUMMARY_NAME(CORES));
    const char *parts[] = {maybe(r, SUMMARY_NAME(CONFIG)), ": ",
                           threads, strcmp(threads, "1") ? " threads, " : " thread, ",
                           cores, strcmp(cores, "1") ? " cores, " : " core, ",
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

/* The whole numbers the timeline needs: each column, its bounds, where. */
static int summary_counts(rows_t *r, plot_info_t *info)
{
    long long cores, end, interval, requests;
    const struct { const char *name; long long min, max, *v; const char *what; } cols[] = {
        {SUMMARY_NAME(MAKESPAN), 1, 1000000000000000000LL, &end, "a positive whole number"},
        {SUMMARY_NAME(CORES), 1, CORES_MAX, &cores, "a core count from 1 to " CAP_STR(CORES_MAX)},
        {SUMMARY_NAME(SWITCH_INTERVAL), 0, 1000000000000000000LL, &interval, "a whole number"},
        {SUMMARY_NAME(GIL_DROP_REQUESTS), 0, 1000000000000000000LL, &requests,
         "a whole number"},
    };
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        const char *text = rows_need(r, cols[i].name);
        if (!text)
            return r->error;
        if (whole(text, cols[i].max, cols[i].v) != 0 || *cols[i].v < cols[i].min) {
            rows_refuse(r, PLOT_BAD_INPUT, "%s is not %s", cols[i].name, cols[i].what);
            return r->error;
        }
    }
    info->end = end;
    info->cores = (int)cores;
    info->interval = interval;
    info->drop_requests = requests > 1000000000 ? 1000000000 : (long)requests;
    return PLOT_OK;
}

static int summary_row(rows_t *r, void *ctx)
{
    summary_t *s = ctx;
    if (r->row > 2) {
        rows_refuse(r, PLOT_BAD_INPUT, "expected one row after the header, got more");
        return r->error;
    }
    if (summary_counts(r, s->info) != PLOT_OK)
        return r->error;
    const char *policy = rows_need(r, SUMMARY_NAME(GIL_POLICY));
    if (!policy)
        return r->error;
    if (!plot_policy_known(policy)) {
        rows_refuse(r, PLOT_BAD_INPUT, "%s: no GIL policy is called '%s' (gilsim help gils)",
                    SUMMARY_NAME(GIL_POLICY), policy);
        return r->error;
    }
    s->info->per_interpreter = plot_per_interpreter(policy);
    const char *util = rows_need(r, SUMMARY_NAME(CORE_UTIL));
    const char *jain = util ? rows_need(r, SUMMARY_NAME(JAIN_MIN)) : NULL;
    double j;
    if (!jain)
        return r->error;
    if (!plot_plain_decimal(jain) || number(jain, &j) != 0) {
        rows_refuse(r, PLOT_BAD_INPUT, "jain_min is not a plain decimal number");
        return r->error;
    }
    char shown[48];                  /* gnuplot gets gilsim's number, not the file's text */
    text_decimal6(shown, sizeof shown, j);
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
    int rc = s.cores_path ? rows_read(&r, dir, col_files[COL_SUMMARY_CSV].name) : PLOT_FAILED;
    if (rc != PLOT_OK && s.cores_path)
        unlink(s.cores_path);
    info->jain = s.jain;
    free(s.cores_path);
    rows_free(&r);
    return rc;
}

/* A thread of a group of more than one: a bar of the asymmetry figure. */
typedef struct bar {
    int group;                   /* its group's number, in order of first sight */
    double share, equal;         /* percent */
    int thread;                  /* its roster number */
} bar_t;

typedef struct threads {
    plot_info_t *info;
    plot_tally_t *tally;
    tl_t *tl;
    keymap_t *groups;
    int ngroups;
    bar_t *bar;
    int nbars, capbars;
} threads_t;

/* The thread's time in each state (threads.csv's <state>_ns, named
 * through columns.def) and whether it finished, for the trace's check
 * (plotcheck.h). */
static int state_times(rows_t *r, threads_t *t, int thread)
{
    static const int column[TS__COUNT] = {
#define EV_STATE(id, name, meaning, detail) [id] = COL_THREADS_##id##_NS,
#define EV_STATE_END(id, name, meaning, detail) [id] = -1,
#include "events.def"
    };
    for (int s = 0; s < TS__COUNT; s++) {
        if (column[s] < 0)
            continue;
        const char *name = col_files[COL_THREADS_CSV].cols[column[s]].name;
        const char *text = rows_need(r, name);
        long long ns;
        if (!text)
            return r->error;
        if (whole(text, 1000000000000000000LL, &ns) != 0) {
            rows_refuse(r, PLOT_BAD_INPUT, "%s is not a whole number of nanoseconds", name);
            return r->error;
        }
        if (tally_expect(t->tally, thread, s, ns) != 0) {
            rows_refuse(r, PLOT_FAILED, "out of memory");
            return r->error;
        }
    }
    const char *finished = rows_need(r, THREADS_NAME(FINISHED));
    if (!finished)
        return r->error;
    if (tally_finished(t->tally, thread, finished[0] != '\0') != 0)
        rows_refuse(r, PLOT_FAILED, "out of memory");
    return r->error;
}

/* One row: a roster thread, and a bar when its group is shared. */
static int thread_row(rows_t *r, void *ctx)
{
    threads_t *t = ctx;
    size_t plen, tlen, glen;
    const char *process = need_len(r, THREADS_NAME(PROCESS), &plen);
    const char *thread = process ? need_len(r, THREADS_NAME(THREAD), &tlen) : NULL;
    const char *group = thread ? need_len(r, THREADS_NAME(GROUP), &glen) : NULL;
    const char *share = group ? rows_need(r, THREADS_NAME(WORK_SHARE)) : NULL;
    const char *size = share ? rows_need(r, THREADS_NAME(GROUP_SIZE)) : NULL;
    double w, g;
    if (!size)
        return r->error;
    if (number(share, &w) != 0 || number(size, &g) != 0 || g < 1) {
        rows_refuse(r, PLOT_BAD_INPUT, "work_share or group_size is not a number");
        return r->error;
    }
    int rc = tl_add_thread(t->tl, process, plen, thread, tlen, group, glen);
    if (rc != PLOT_OK) {
        rows_refuse(r, rc, "%s", rc == PLOT_BAD_INPUT ? t->tl->why : "out of memory");
        return r->error;
    }
    if (state_times(r, t, tl_find_thread(t->tl, process, plen, thread, tlen)) != PLOT_OK)
        return r->error;
    if (g < 2)
        return PLOT_OK;
    int id = keymap_get(t->groups, process, plen, group, glen), oom = 0;
    if (id < 0) {
        id = t->ngroups++;
        oom = keymap_put(t->groups, process, plen, group, glen, id) != 0;
    }
    if (oom || TL_ROOM(t->bar, t->nbars, t->capbars) != 0) {
        rows_refuse(r, PLOT_FAILED, "out of memory");
        return r->error;
    }
    t->bar[t->nbars++] = (bar_t){id, 100 * w, 100 / g,
                                 tl_find_thread(t->tl, process, plen, thread, tlen)};
    return PLOT_OK;
}

static int by_group(const void *a, const void *b)
{
    const bar_t *x = a, *y = b;
    return x->group != y->group ? (x->group > y->group) - (x->group < y->group)
                                : (x->thread > y->thread) - (x->thread < y->thread);
}

/* A bar's label: the thread, after its process when the bars span
 * several; past PLOT_BARS_NAMED bars only each group's first bar is
 * named, by its process and group.  Encoded (plot_data_label). */
#define PLOT_BARS_NAMED 64
static char *bar_label(const threads_t *t, int i, int processes)
{
    const tl_thread_t *th = &t->tl->thread[t->bar[i].thread];
    const tl_process_t *p = &t->tl->process[th->process];
    int grouped = t->nbars > PLOT_BARS_NAMED;
    if (grouped && i > 0 && t->bar[i - 1].group == t->bar[i].group)
        return strdup("");
    const char *name = grouped ? th->group : th->name;
    size_t len = grouped ? th->group_len : th->name_len;
    if (!grouped && !processes)
        return plot_data_label(name, len);
    char *raw = malloc(p->name_len + 1 + len), *label = NULL;
    if (raw) {
        memcpy(raw, p->name, p->name_len);
        raw[p->name_len] = '/';
        memcpy(raw + p->name_len + 1, name, len);
        label = plot_data_label(raw, p->name_len + 1 + len);
    }
    free(raw);
    return label;
}

/* asymmetry.dat: "index<TAB>work share %<TAB>equal share %<TAB>label",
 * the bars grouped. */
static int write_bars(threads_t *t, FILE *out)
{
    int processes = 0;
    if (t->nbars > 1)
        qsort(t->bar, (size_t)t->nbars, sizeof *t->bar, by_group);
    for (int i = 1; i < t->nbars; i++)
        processes |= t->tl->thread[t->bar[i].thread].process !=
                     t->tl->thread[t->bar[0].thread].process;
    for (int i = 0; i < t->nbars; i++) {
        char *label = bar_label(t, i, processes);
        if (!label)
            return PLOT_FAILED;
        fprintf(out, "%d\t%.9g\t%.9g\t%s\n", i, t->bar[i].share, t->bar[i].equal, label);
        free(label);
    }
    t->info->shared_threads = t->nbars;
    return PLOT_OK;
}

int plot_threads(const char *dir, plot_info_t *info)
{
    char *path = path_join(dir, "asymmetry.dat");
    threads_t t = {.info = info, .tally = tally_new(), .tl = tl_new(), .groups = keymap_new()};
    int made = t.tally && t.tl && t.groups;
    FILE *out = path && made ? file_create_fresh(path) : NULL;
    rows_t r = {.on_row = thread_row, .ctx = &t};
    int rc = PLOT_FAILED;
    if (!out)
        plot_error(path, 0, "cannot write: %s", path && made ? strerror(errno) : "out of memory");
    else if ((rc = rows_read(&r, dir, col_files[COL_THREADS_CSV].name)) == PLOT_OK &&
             (rc = write_bars(&t, out)) != PLOT_OK)
        plot_error(NULL, 0, "out of memory");
    if (out && fclose(out) != 0 && rc == PLOT_OK) {
        plot_error(path, 0, "cannot write: %s", strerror(errno));
        rc = PLOT_FAILED;
    }
    if (rc != PLOT_OK && path)
        unlink(path);
    if (rc == PLOT_OK) {
        info->timeline = t.tl;
        info->tally = t.tally;
    } else {
        tl_free(t.tl);
        tally_free(t.tally);
    }
    keymap_free(t.groups);
    free(t.bar);
    free(path);
    rows_free(&r);
    return rc;
}

void plot_info_free(plot_info_t *info)
{
    free(info->caption);
    free(info->jain);
    tl_free(info->timeline);
    tally_free(info->tally);
    info->caption = info->jain = NULL;
    info->timeline = NULL;
    info->tally = NULL;
}
