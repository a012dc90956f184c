/* explain_load.c — what `gilsim explain` reads besides the trace: the
 * run (summary.csv), its threads (threads.csv), the deadlock rows of
 * log.csv, and the name lookups the trace's rows need.
 *
 * Every file is untrusted (csvread.c reads it): a column is found by the
 * name columns.def gives it, a number must be a plain whole number, a
 * name in one file must be a thread of threads.csv, and the first bad row
 * is refused with one line naming the file and row.
 *
 * Names are looked up in one open-addressing hash table (linear probing,
 * kept at most half full) whose slots point at the records that own the
 * names: threads by (process, thread), processes by name, tasks by (loop
 * thread, name). */
#include <stdlib.h>
#include <string.h>
#include "caps.h"
#include "columns.h"
#include "events.h"
#include "engine/util.h"
#include "out/csvread.h"
#include "out/explain_read.h"
#include "plotprep.h"

#define SUMMARY_NAME(id) (col_files[COL_SUMMARY_CSV].cols[COL_SUMMARY_##id].name)
#define THREADS_NAME(id) (col_files[COL_THREADS_CSV].cols[COL_THREADS_##id].name)
#define LOG_NAME(id) (col_files[COL_LOG_CSV].cols[COL_LOG_##id].name)

static const char *const log_kinds[LK__COUNT] = {
#define EV_LOG(id, name, meaning) [id] = name,
#include "events.def"
};

/* ---- names ---------------------------------------------------------- */

static unsigned fnv(unsigned h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static unsigned key_hash(int kind, int owner, const char *a, size_t alen, const char *b,
                         size_t blen)
{
    unsigned h = fnv(2166136261u ^ (unsigned)kind, (const char *)&owner, sizeof owner);
    h = fnv(h, a, alen);
    h = (h ^ 0x100u) * 16777619u;            /* ("ab", "c") differs from ("a", "bc") */
    return fnv(h, b, blen);
}

static int key_is(const xread_t *r, int slot, int kind, int owner, const char *a, size_t alen,
                  const char *b, size_t blen)
{
    int i = slot & ((1 << 28) - 1);
    if (slot >> 28 != kind)
        return 0;
    if (kind == XK_THREAD)
        return r->th[i].plen == alen && !memcmp(r->th[i].process, a, alen) &&
               r->th[i].nlen == blen && !memcmp(r->th[i].name, b, blen);
    if (kind == XK_PROC)
        return r->procs[i].len == blen && !memcmp(r->procs[i].name, b, blen);
    return r->tasks[i].thread == owner && r->tasks[i].len == blen &&
           !memcmp(r->tasks[i].name, b, blen);
}

static unsigned slot_hash(const xread_t *r, int slot)
{
    int i = slot & ((1 << 28) - 1);
    if (slot >> 28 == XK_THREAD)
        return key_hash(XK_THREAD, 0, r->th[i].process, r->th[i].plen, r->th[i].name,
                        r->th[i].nlen);
    if (slot >> 28 == XK_PROC)
        return key_hash(XK_PROC, 0, "", 0, r->procs[i].name, r->procs[i].len);
    return key_hash(XK_TASK, r->tasks[i].thread, "", 0, r->tasks[i].name, r->tasks[i].len);
}

int xr_find(const xread_t *r, int kind, int owner, const char *a, size_t alen, const char *b,
            size_t blen)
{
    if (!r->hash.size)
        return -1;
    size_t mask = r->hash.size - 1;
    for (size_t h = key_hash(kind, owner, a, alen, b, blen) & mask; r->hash.slot[h];
         h = (h + 1) & mask)
        if (key_is(r, r->hash.slot[h] - 1, kind, owner, a, alen, b, blen))
            return (r->hash.slot[h] - 1) & ((1 << 28) - 1);
    return -1;
}

static void put(xhash_t *t, unsigned h, int slot)
{
    size_t mask = t->size - 1;
    for (h &= mask; t->slot[h]; h = (h + 1) & mask)
        ;
    t->slot[h] = slot + 1;
}

int xr_add(xread_t *r, int kind, int index)
{
    xhash_t *t = &r->hash;
    if (2 * (t->used + 1) > t->size) {
        xhash_t n = {calloc(t->size ? 2 * t->size : 1024, sizeof *n.slot),
                     t->size ? 2 * t->size : 1024, t->used};
        if (!n.slot)
            return -1;
        for (size_t i = 0; i < t->size; i++)
            if (t->slot[i])
                put(&n, slot_hash(r, t->slot[i] - 1), t->slot[i] - 1);
        free(t->slot);
        *t = n;
    }
    int slot = kind << 28 | index;
    put(t, slot_hash(r, slot), slot);
    t->used++;
    return 0;
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
    run->makespan = end;
    /* a process with subinterpreters has a GIL per interpreter, "p#1", and
     * the trace does not say which one a thread waits for */
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
                     .running_task = -1, .block = {.len = -1}, .longest_block = {.len = -1},
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

static int thread_row(rows_t *rows, void *ctx)
{
    xread_t *r = ctx;
    const char *proc = rows_need(rows, THREADS_NAME(PROCESS));
    const char *name = proc ? rows_need(rows, THREADS_NAME(THREAD)) : NULL;
    long long wait;
    if (!name || need_number(rows, col_files[COL_THREADS_CSV].cols[COL_THREADS_TS_GIL_WAIT_NS].name,
                             &wait) != 0)
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
    if (i >= 0)
        r->th[i].rows++;
    r->th[i < 0 ? r->nth - 1 : i].csv_gil_wait += wait;
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

int xr_other_tasks(const xread_t *r, int i, int except, int *out, int max)
{
    const xthread_t *t = &r->th[i];
    int n = 0;
    for (int k = t->first_live; k < t->ntasks && n < max; k++) {
        int task = t->tasks[k];
        if (!r->tasks[task].done && task != except)
            out[n++] = task;
    }
    int running = except >= 0 && !r->tasks[except].done;
    return t->live_tasks - running;
}

void xr_free(xread_t *r)
{
    for (int i = 0; i < r->nth; i++) {
        free(r->th[i].process);
        free(r->th[i].name);
        free(r->th[i].tasks);
    }
    for (int i = 0; i < r->nprocs; i++)
        free(r->procs[i].name);
    for (int i = 0; i < r->ntasks; i++)
        free(r->tasks[i].name);
    free(r->th);
    free(r->procs);
    free(r->tasks);
    free(r->hash.slot);
    free(r->run.config);
    free(r->run.policy);
    free(r->run.ended_by);
    memset(r, 0, sizeof *r);
}
