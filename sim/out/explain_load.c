/* explain_load.c — what `gilsim explain` reads besides the trace: the
 * run (summary.csv), its threads (threads.csv), the deadlock rows of
 * log.csv, and the name lookups the trace's rows need.
 *
 * Every file is untrusted (csvread.c reads it): a column is found by the
 * name columns.def gives it, a number must be a plain whole number, a
 * name in one file must be a thread of threads.csv, and the first bad row
 * is refused with one line naming the file and row.
 *
 * Names are looked up in a keymap (keymap.c) per kind of record: threads
 * by (process, thread), processes by name, tasks by (loop thread, name). */
#include <stdlib.h>
#include <string.h>
#include "caps.h"
#include "columns.h"
#include "events.h"
#include "engine/util.h"
#include "gil/gil.h"
#include "out/csvread.h"
#include "out/explain_read.h"
#include "out/keymap.h"
#include "plotprep.h"

#define SUMMARY_NAME(id) (col_files[COL_SUMMARY_CSV].cols[COL_SUMMARY_##id].name)
#define THREADS_NAME(id) (col_files[COL_THREADS_CSV].cols[COL_THREADS_##id].name)
#define LOG_NAME(id) (col_files[COL_LOG_CSV].cols[COL_LOG_##id].name)

static const char *const log_kinds[LK__COUNT] = {
#define EV_LOG(id, name, meaning) [id] = name,
#include "events.def"
};

/* ---- names ---------------------------------------------------------- */

/* The key of record index of kind, as xr_find takes it; a task's is
 * (its loop thread's index, as bytes, in *owner; its name). */
static void key_of(const xread_t *r, int kind, int index, int *owner, const char **a,
                   size_t *alen, const char **b, size_t *blen)
{
    if (kind == XK_THREAD) {
        *a = r->th[index].process;
        *alen = r->th[index].plen;
        *b = r->th[index].name;
        *blen = r->th[index].nlen;
    } else if (kind == XK_PROC) {
        *a = "";
        *alen = 0;
        *b = r->procs[index].name;
        *blen = r->procs[index].len;
    } else {
        *owner = r->tasks[index].thread;
        *a = (const char *)owner;
        *alen = sizeof *owner;
        *b = r->tasks[index].name;
        *blen = r->tasks[index].len;
    }
}

int xr_find(const xread_t *r, int kind, int owner, const char *a, size_t alen, const char *b,
            size_t blen)
{
    if (!r->names[kind])
        return -1;
    if (kind == XK_TASK) {
        a = (const char *)&owner;
        alen = sizeof owner;
    }
    return keymap_get(r->names[kind], a, alen, b, blen);
}

int xr_add(xread_t *r, int kind, int index)
{
    int owner;
    const char *a, *b;
    size_t alen, blen;
    if (!r->names[kind] && !(r->names[kind] = keymap_new()))
        return -1;
    key_of(r, kind, index, &owner, &a, &alen, &b, &blen);
    return keymap_put(r->names[kind], a, alen, b, blen, index);
}

/* The process called name, made on first sight; -1 out of memory. */
static int proc_of(xread_t *r, const char *name, size_t len)
{
    int p = xr_find(r, XK_PROC, 0, "", 0, name, len);
    if (p >= 0)
        return p;
    if (r->nprocs == r->cap_procs) {
        int cap = r->cap_procs ? 2 * r->cap_procs : 16;
        xproc_t *n = realloc(r->procs, sizeof *n * (size_t)cap);
        if (!n)
            return -1;
        r->procs = n;
        r->cap_procs = cap;
    }
    xproc_t *pr = &r->procs[r->nprocs];
    *pr = (xproc_t){.name = text_dup(name, len), .len = len, .holder = -1, .last_taker = -1,
                    .requester = -1, .dropper = -1, .reason = -1, .first_asker = -1};
    if (!pr->name || xr_add(r, XK_PROC, r->nprocs) != 0) {
        free(pr->name);
        return -1;
    }
    return r->nprocs++;
}

/* ---- numbers -------------------------------------------------------- */

int xr_parse_ns(const char *s, size_t len, simtime_t *v)
{
    long long n;                 /* 18 digits: under 10^18 ns, no overflow */
    int rc = plot_digits(s, len, 18, &n);
    *v = rc == 0 ? (simtime_t)n : 0;
    return rc;
}

/* The row's whole number in column name; -1 after refusing the row. */
static int need_number(rows_t *r, const char *name, long long *v)
{
    const char *s = rows_need(r, name);
    simtime_t n;
    if (!s)
        return -1;
    if (xr_parse_ns(s, strlen(s), &n) != 0) {
        rows_refuse(r, PLOT_BAD_INPUT, "%s is not a whole number", name);
        return -1;
    }
    *v = n;
    return 0;
}

static int need_text(rows_t *r, const char *name, char **out)
{
    const char *s = rows_need(r, name);
    if (s && !(*out = strdup(s)))
        rows_refuse(r, PLOT_FAILED, "out of memory");
    return s && *out ? 0 : -1;
}

/* ---- summary.csv and threads.csv ------------------------------------ */

/* Policy `name` of gil_policies.def (a known one: the caller checked) has
 * no exclusive GIL: threads never wait for one. */
static int policy_without_gil(const char *name)
{
    static const struct { const char *name; int flags; } policies[] = {
#define GIL_POLICY(id, pname, ops, pflags, about) {pname, pflags},
#include "gil_policies.def"
#undef GIL_POLICY
    };
    for (size_t k = 0; k < sizeof policies / sizeof policies[0]; k++)
        if (!strcmp(name, policies[k].name))
            return !(policies[k].flags & GIL_EXCLUSIVE);
    return 0;
}

static int summary_row(rows_t *rows, void *ctx)
{
    xrun_t *run = ctx;
    long long iv, end;
    if (rows->row > 2) {
        rows_refuse(rows, PLOT_BAD_INPUT, "expected one row after the header, got more");
        return rows->error;
    }
    if (need_text(rows, SUMMARY_NAME(CONFIG), &run->config) ||
        need_text(rows, SUMMARY_NAME(GIL_POLICY), &run->policy) ||
        need_text(rows, SUMMARY_NAME(ENDED_BY), &run->ended_by) ||
        need_number(rows, SUMMARY_NAME(THREADS), &run->threads) ||
        need_number(rows, SUMMARY_NAME(PROCESSES), &run->processes) ||
        need_number(rows, SUMMARY_NAME(CORES), &run->cores) ||
        need_number(rows, SUMMARY_NAME(SWITCH_INTERVAL), &iv) ||
        need_number(rows, SUMMARY_NAME(MAKESPAN), &end))
        return rows->error;
    run->interval = iv;
    if (!plot_policy_known(run->policy)) {
        rows_refuse(rows, PLOT_BAD_INPUT, "%s: no GIL policy is called '%s' (gilsim help gils)",
                    SUMMARY_NAME(GIL_POLICY), run->policy);
        return rows->error;
    }
    run->no_gil = policy_without_gil(run->policy);
    run->makespan = end;
    /* a process with subinterpreters has a GIL per interpreter, "p#1", and
     * the story does not follow them one by one (explain_read.c) */
    const char *gils = rows_need(rows, SUMMARY_NAME(GIL_BY_PROCESS));
    run->one_gil_per_process = gils && !strchr(gils, '#');
    return rows->error;
}

static int add_thread(xread_t *r, rows_t *rows, const char *proc, const char *name)
{
    size_t plen = rows->flen[rows_col(rows, THREADS_NAME(PROCESS))];
    size_t nlen = rows->flen[rows_col(rows, THREADS_NAME(THREAD))];
    if (r->nth == r->cap_th) {
        int cap = r->cap_th ? 2 * r->cap_th : 64;
        xthread_t *n = realloc(r->th, sizeof *n * (size_t)cap);
        if (!n)
            return -1;
        r->th = n;
        r->cap_th = cap;
    }
    xthread_t *t = &r->th[r->nth];
    *t = (xthread_t){.process = text_dup(proc, plen), .name = text_dup(name, nlen), .plen = plen,
                     .nlen = nlen, .rows = 1, .csv_row = rows->row, .state = -1,
                     .running_task = -1, .first_ready = -1, .last_ready = -1,
                     .finished = -1, .csv_finished = -1, .block = {.len = -1},
                     .longest_block = {.len = -1},
                     .next_asker = -1, .prev_asker = -1, .longest = {.len = -1}};
    t->proc = t->process && t->name ? proc_of(r, proc, plen) : -1;
    if (t->proc < 0 || xr_add(r, XK_THREAD, r->nth) != 0) {
        free(t->process);
        free(t->name);
        return -1;
    }
    r->nth++;
    return 0;
}

int xr_state_col(int state)
{
    static const int cols[TS__COUNT] = {
#define EV_STATE(id, name, meaning, detail) [id] = COL_THREADS_##id##_NS,
#define EV_STATE_END(id, name, meaning, detail) [id] = -1,
#include "events.def"
    };
    return cols[state];
}

/* The row's times: in each state, and its finish (-1 when empty). */
static int thread_times(rows_t *rows, simtime_t *state, simtime_t *finished)
{
    long long v;
    for (int k = 0; k < TS__COUNT; k++) {
        int col = xr_state_col(k);
        if (col >= 0 && need_number(rows, col_files[COL_THREADS_CSV].cols[col].name, &v) != 0)
            return -1;
        state[k] = col >= 0 ? v : 0;
    }
    const char *fin = rows_need(rows, THREADS_NAME(FINISHED));
    if (!fin)
        return -1;
    *finished = -1;
    if (*fin && need_number(rows, THREADS_NAME(FINISHED), &v) != 0)
        return -1;
    *finished = *fin ? v : -1;
    return 0;
}

static int thread_row(rows_t *rows, void *ctx)
{
    xread_t *r = ctx;
    const char *proc = rows_need(rows, THREADS_NAME(PROCESS));
    const char *name = proc ? rows_need(rows, THREADS_NAME(THREAD)) : NULL;
    simtime_t state[TS__COUNT], finished;
    if (!name || thread_times(rows, state, &finished) != 0)
        return rows->error;
    size_t plen = rows->flen[rows_col(rows, THREADS_NAME(PROCESS))];
    size_t nlen = rows->flen[rows_col(rows, THREADS_NAME(THREAD))];
    int i = xr_find(r, XK_THREAD, 0, proc, plen, name, nlen);
    if (i < 0 && r->nth == THREADS_MAX) {
        rows_refuse(rows, PLOT_BAD_INPUT, "more than %d threads: not a gilsim run", THREADS_MAX);
        return rows->error;
    }
    if (i < 0 && add_thread(r, rows, proc, name) != 0) {
        rows_refuse(rows, PLOT_FAILED, "out of memory");
        return rows->error;
    }
    if (i >= 0) {                /* threads merged by name are not checked */
        r->th[i].rows++;
        return PLOT_OK;
    }
    xthread_t *t = &r->th[r->nth - 1];
    memcpy(t->csv_state, state, sizeof state);
    t->csv_finished = finished;
    return PLOT_OK;
}

int xr_load(xread_t *r, const char *dir)
{
    rows_t sum = {.on_row = summary_row, .ctx = &r->run};
    rows_t thr = {.on_row = thread_row, .ctx = r};
    int rc = rows_read(&sum, dir, col_files[COL_SUMMARY_CSV].name);
    if (rc == PLOT_OK)
        rc = rows_read(&thr, dir, col_files[COL_THREADS_CSV].name);
    rows_free(&sum);
    rows_free(&thr);
    return r->error = rc;
}

/* ---- log.csv: who waits for what when the program hangs ------------- */

static int log_row(rows_t *rows, void *ctx)
{
    xread_t *r = ctx;
    const char *kind = rows_need(rows, LOG_NAME(KIND));
    if (!kind || strcmp(kind, log_kinds[LK_DEADLOCK]) != 0)
        return rows->error;
    const char *at = rows_need(rows, LOG_NAME(TIME));
    const char *proc = at ? rows_need(rows, LOG_NAME(PROCESS)) : NULL;
    const char *name = proc ? rows_need(rows, LOG_NAME(THREAD)) : NULL;
    const char *text = name ? rows_need(rows, LOG_NAME(TEXT)) : NULL;
    simtime_t t;
    if (!text)
        return rows->error;
    int i = xr_find(r, XK_THREAD, 0, proc, rows->flen[rows_col(rows, LOG_NAME(PROCESS))], name,
                    rows->flen[rows_col(rows, LOG_NAME(THREAD))]);
    if (xr_parse_ns(at, strlen(at), &t) != 0)
        rows_refuse(rows, PLOT_BAD_INPUT, "%s is not a whole number", LOG_NAME(TIME));
    else if (i < 0)
        rows_refuse(rows, PLOT_BAD_INPUT, "a deadlock row of a thread threads.csv does not have");
    else
        r->tell(r->ctx, &(xfact_t){.kind = XF_HANG, .t = t, .who = i, .other = -1,
                                   .state = -1, .detail = text});
    return rows->error;
}

int xr_hangs(xread_t *r, const char *dir)
{
    rows_t log = {.on_row = log_row, .ctx = r, .empty_ok = 1};
    int rc = rows_read(&log, dir, col_files[COL_LOG_CSV].name);
    rows_free(&log);
    return r->error = rc;
}

/* ---- what the sentences ask --------------------------------------- */

int xr_mark_thread(xread_t *r, const char *name)
{
    int n = 0;
    for (int i = 0; i < r->nth; i++) {
        xthread_t *t = &r->th[i];
        size_t len = strlen(name);
        int whole = len == t->plen + 1 + t->nlen && !memcmp(name, t->process, t->plen) &&
                    name[t->plen] == '/' && !memcmp(name + t->plen + 1, t->name, t->nlen);
        if (whole || (len == t->nlen && !memcmp(name, t->name, len))) {
            t->about = 1;
            n++;
        }
    }
    return n;
}

int xr_ready_tasks(const xread_t *r, int i, int *out, int max)
{
    int n = 0;
    for (int k = r->th[i].first_ready; k >= 0 && n < max; k = r->tasks[k].next_ready)
        out[n++] = k;
    return r->th[i].nready;
}

void xr_free(xread_t *r)
{
    for (int i = 0; i < r->nth; i++) {
        free(r->th[i].process);
        free(r->th[i].name);
    }
    for (int i = 0; i < r->nprocs; i++)
        free(r->procs[i].name);
    for (int i = 0; i < r->ntasks; i++)
        free(r->tasks[i].name);
    free(r->th);
    free(r->procs);
    free(r->tasks);
    for (int k = 0; k < XK__COUNT; k++)
        keymap_free(r->names[k]);
    free(r->run.config);
    free(r->run.policy);
    free(r->run.ended_by);
    memset(r, 0, sizeof *r);
}
