/* explain_read.c — reads a run's trace.csv row by row and tells explain.c
 * what happened, as facts (explain_read.h).
 *
 * The GIL's story is rebuilt per process, from the GIL events alone:
 *   - a gil_take makes its thread the holder, a gil_drop leaves the GIL
 *     free; a thread asks (gil_request) and waits until its gil_take.
 *   - a race: the GIL was free and a thread that wanted it did not get it
 *     because another took it first.  At each take, the losers are the
 *     threads still asking that were awake for it (runnable: woken, or
 *     waiting for a core) and the one whose drop request made the holder
 *     drop.  A waiter asleep at the take loses too, when it later wakes
 *     and goes back to sleep (runnable -> gil_wait) with a take by another
 *     since it last fell asleep: it was woken for a GIL someone else got
 *     (the old GIL's gil_failed_wakeup says so itself).  A take is counted
 *     once per loser.
 *   - one wait: from gil_request to gil_take.  It keeps who held the GIL
 *     when it asked, whether it set the drop request, the races it lost,
 *     and the drop that ended it: the longest is its thread's example.
 * A process with subinterpreters has a GIL per interpreter; trace.csv's
 * gil column says which one a row's thread uses (checked), but the story
 * does not follow each GIL on its own yet: there holders and races are not
 * told (summary.csv's gil_by_process names them "p#1").
 *
 * A gil_drop is held for one row: the state its thread enters at once
 * (blocked for I/O, switch_wait after a forced drop, done) or the take
 * straight back (the old GIL's check) joins it, so one sentence tells
 * both.  Each thread's time in each state, and when it finished, are
 * summed as the rows go and checked at the end against threads.csv:
 * files of two runs mixed, or a trace cut short, are refused rather than
 * narrated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "caps.h"
#include "columns.h"
#include "events.h"
#include "out/csvread.h"
#include "out/explain_read.h"
#include "plotprep.h"
#include "engine/util.h"

/* trace.csv's words (events.def): states, then GIL events, then the others. */
static const char *const event_names[] = {
#define EV_STATE(id, name, meaning, detail) name,
#define EV_GIL(id, name, meaning, detail) name,
#define EV_OTHER(id, name, meaning, detail) name,
#include "events.def"
};
static const char *const drop_names[DROP__COUNT] = {
#define EV_DROP(id, name, meaning) [id] = name,
#include "events.def"
};
static const char *const trace_header[COL_TRACE__COUNT] = {
#define TRACE_COL(id, name, unit, meaning) name,
#include "columns.def"
};
#define NEVENTS ((int)(sizeof event_names / sizeof event_names[0]))
#define GIL_CODE(e) (TS__COUNT + (e))
#define OTHER_CODE(e) (TS__COUNT + GE__COUNT + (e))

static int word_code(const char *const *words, int n, const char *s, size_t len)
{
    for (int i = 0; i < n; i++)
        if (words[i] && strlen(words[i]) == len && !memcmp(words[i], s, len))
            return i;
    return -1;
}

static void tell(xread_t *r, const xfact_t *f)
{
    r->tell(r->ctx, f);
}

static xfact_t fact(enum xfact_kind kind, simtime_t t, int who)
{
    return (xfact_t){.kind = kind, .t = t, .who = who, .other = -1, .state = -1, .task = -1,
                     .reason = -1, .event = -1};
}

static int tracked(const xread_t *r)
{
    return r->run.one_gil_per_process;
}

/* ---- asking for the GIL --------------------------------------------- */

static void unlink_asker(xread_t *r, int i)
{
    xthread_t *t = &r->th[i];
    xproc_t *p = &r->procs[t->proc];
    if (t->prev_asker >= 0)
        r->th[t->prev_asker].next_asker = t->next_asker;
    else
        p->first_asker = t->next_asker;
    if (t->next_asker >= 0)
        r->th[t->next_asker].prev_asker = t->prev_asker;
    t->next_asker = t->prev_asker = -1;
}

/* Thread i's wait ends at `end`: how (WAIT_*). */
static void finish_wait(xread_t *r, int i, simtime_t end, int open)
{
    xthread_t *t = &r->th[i];
    const xproc_t *p = &r->procs[t->proc];
    t->cur.len = end - t->cur.from;
    t->cur.open = open;
    int told = !open && tracked(r);     /* else the drop may be another interpreter's GIL's */
    t->cur.dropper = told ? p->dropper : -1;
    t->cur.reason = told ? p->reason : -1;
    if (t->cur.len > t->longest.len)
        t->longest = t->cur;
    t->asking = 0;
    unlink_asker(r, i);
}

static void lose(xread_t *r, int i, int winner)
{
    xthread_t *t = &r->th[i];
    t->lost_serial = r->procs[t->proc].serial;
    t->races++;
    t->cur.races++;
    t->cur.last_winner = winner;
}

static void on_request(xread_t *r, int i, simtime_t t)
{
    xthread_t *th = &r->th[i];
    xproc_t *p = &r->procs[th->proc];
    xfact_t f = fact(XF_WANTS, t, i);
    f.other = tracked(r) ? p->holder : -1;
    if (!th->asking) {
        th->asking = 1;
        th->waits++;
        th->cur = (xwait_t){.from = t, .holder = f.other, .req_holder = -1, .last_winner = -1,
                            .dropper = -1, .reason = -1};
        th->wait_serial = p->serial;
        th->next_asker = p->first_asker;
        th->prev_asker = -1;
        if (p->first_asker >= 0)
            r->th[p->first_asker].prev_asker = i;
        p->first_asker = i;
    }
    tell(r, &f);
}

static void on_drop_request(xread_t *r, int i, simtime_t t, const char *holder, size_t len)
{
    xthread_t *th = &r->th[i];
    xproc_t *p = &r->procs[th->proc];
    int h = xr_find(r, XK_THREAD, 0, p->name, p->len, holder, len);
    if (h < 0) {
        char shown[48];
        rows_refuse(r->rows, PLOT_BAD_INPUT, "gil_drop_request names '%s', no thread of its "
                    "process in threads.csv", text_shown(holder, shown, sizeof shown));
        return;
    }
    xfact_t f = fact(XF_DROP_REQUEST, t, i);
    f.other = h;
    f.waited = th->asking ? t - th->cur.from : 0;
    th->cur.req_holder = h;
    th->cur.requests++;
    p->requester = i;
    tell(r, &f);
}

static void on_drop(xread_t *r, int i, simtime_t t, const char *why, size_t len)
{
    xproc_t *p = &r->procs[r->th[i].proc];
    int reason = word_code(drop_names, DROP__COUNT, why, len);
    if (reason < 0) {
        char shown[48];
        rows_refuse(r->rows, PLOT_BAD_INPUT, "gil_drop: unknown reason '%s'",
                    text_shown(why, shown, sizeof shown));
        return;
    }
    if (p->holder == i)
        p->holder = -1;
    p->dropper = i;
    p->reason = reason;
    r->held = fact(XF_DROP, t, i);
    r->held.reason = reason;
    r->holding = 1;
}

/* Who loses the race this take wins: see the comment at the top. */
static void race_losers(xread_t *r, int i, xfact_t *f)
{
    const xproc_t *p = &r->procs[r->th[i].proc];
    for (int j = p->first_asker; j >= 0; j = r->th[j].next_asker) {
        const xthread_t *o = &r->th[j];
        if (j == i || o->lost_serial >= p->serial ||
            (j != p->requester && o->state != TS_RUNNABLE))
            continue;
        lose(r, j, i);
        if (f->nlosers < XF_LOSERS)
            f->losers[f->nlosers] = j;
        f->nlosers++;
    }
}

static void on_take(xread_t *r, int i, simtime_t t)
{
    xthread_t *th = &r->th[i];
    xproc_t *p = &r->procs[th->proc];
    xfact_t f = r->holding ? r->held : fact(XF_TAKE, t, i);
    f.retake = r->holding;
    f.same = p->last_taker == i;
    f.asked = th->asking;
    p->serial++;
    if (tracked(r))
        race_losers(r, i, &f);
    if (th->asking) {
        f.waited = t - th->cur.from;
        finish_wait(r, i, t, WAIT_TAKEN);
    }
    p->holder = p->last_taker = i;
    p->requester = -1;
    r->holding = 0;
    tell(r, &f);
}

static void on_failed_wakeup(xread_t *r, int i, simtime_t t)
{
    xthread_t *th = &r->th[i];
    const xproc_t *p = &r->procs[th->proc];
    xfact_t f = fact(XF_FAILED_WAKEUP, t, i);
    f.signalled = 1;                     /* the old GIL's waits have no timer */
    if (tracked(r)) {
        f.other = p->last_taker;
        if (th->asking && th->lost_serial < p->serial)
            lose(r, i, p->last_taker);
    }
    tell(r, &f);
}

/* ---- states ---------------------------------------------------------- */

/* A task's block of its loop ends at t (open: the run ended first). */
static void end_block(xread_t *r, int i, simtime_t t, int open)
{
    xthread_t *th = &r->th[i];
    xblock_t *b = &th->block;
    b->len = t - b->at;
    th->blocks++;
    th->blocked += b->len;
    if (b->len > th->longest_block.len)
        th->longest_block = *b;
    xfact_t f = fact(XF_BLOCK_END, t, i);
    f.waited = b->len;
    f.open = open;
    b->len = -1;
    tell(r, &f);
}

static void begin_block(xthread_t *th, simtime_t t, int st, const char *detail)
{
    th->block = (xblock_t){.at = t, .len = 0, .task = th->running_task, .state = st};
    snprintf(th->block.detail, sizeof th->block.detail, "%s", detail);
}

/* Entering gil_wait from runnable (since woke_at), with the GIL taken by
 * another since it fell asleep: a race lost at wake-up.  Woken before its
 * timed wait could end, it was woken by the release. */
static void check_lost(xread_t *r, int i, simtime_t t, int prev, simtime_t woke_at)
{
    xthread_t *th = &r->th[i];
    const xproc_t *p = &r->procs[th->proc];
    if (tracked(r) && th->asking && prev == TS_RUNNABLE && th->wait_serial < p->serial &&
        th->lost_serial < p->serial) {
        lose(r, i, p->last_taker);
        xfact_t f = fact(XF_LOST, t, i);
        f.other = p->last_taker;
        f.signalled = woke_at - th->slept_at < r->run.interval;
        tell(r, &f);
    }
    th->wait_serial = p->serial;
    th->slept_at = t;
}

/* The sentence a state change makes on its own, or -1; the thread was in
 * state prev since prev_since. */
static int state_fact(xread_t *r, int i, simtime_t t, int prev, simtime_t prev_since, int st,
                      const char *detail)
{
    xthread_t *th = &r->th[i];
    if (prev < 0)
        return XF_START;
    if (st == TS_RUNNABLE && (prev == TS_PY || prev == TS_NATIVE))
        return XF_PREEMPTED;
    if (st == TS_GIL_WAIT)
        check_lost(r, i, t, prev, prev_since);
    if ((st == TS_BLOCKED || st == TS_SYNC_WAIT) && th->running_task >= 0) {
        begin_block(th, t, st, detail);
        return XF_TASK_BLOCKS;
    }
    if (st == TS_BLOCKED || st == TS_SYNC_WAIT)
        return XF_BLOCKS;
    if (st == TS_DONE && th->asking)
        finish_wait(r, i, t, WAIT_THREAD_ENDED);
    return st == TS_DONE ? XF_DONE : -1;
}

static void on_state(xread_t *r, int i, simtime_t t, int st, const char *detail)
{
    xthread_t *th = &r->th[i];
    int prev = th->state;
    simtime_t prev_since = th->since;
    if (prev >= 0)
        th->state_ns[prev] += t - th->since;
    if (st == TS_DONE && th->finished < 0)
        th->finished = t;
    if (th->block.len == 0)
        end_block(r, i, t, 0);
    th->state = st;
    th->since = t;
    int kind = state_fact(r, i, t, prev, prev_since, st, detail);
    if (!r->holding && kind < 0)
        return;
    xfact_t f = r->holding ? r->held : fact((enum xfact_kind)kind, t, i);
    if (kind == XF_TASK_BLOCKS)
        f.kind = XF_TASK_BLOCKS;          /* a drop with it is the task blocking its loop */
    f.state = st;
    f.detail = detail;
    f.task = th->running_task;
    r->holding = 0;
    tell(r, &f);
}

/* ---- event loops ----------------------------------------------------- */

/* Task `name` of thread i's loop, made on first sight; -1 after refusing. */
static int task_of(xread_t *r, int i, const char *name, size_t len)
{
    int k = xr_find(r, XK_TASK, i, "", 0, name, len);
    if (k >= 0)
        return k;
    xthread_t *th = &r->th[i];
    if (r->ntasks == TASKS_MAX) {
        rows_refuse(r->rows, PLOT_BAD_INPUT, "more than %d tasks: not a gilsim trace", TASKS_MAX);
        return -1;
    }
    if (r->ntasks == r->cap_tasks) {
        int cap = r->cap_tasks ? 2 * r->cap_tasks : 64;
        xtask_t *n = realloc(r->tasks, sizeof *n * (size_t)cap);
        if (n) {
            r->tasks = n;
            r->cap_tasks = cap;
        }
    }
    xtask_t *task = r->ntasks < r->cap_tasks ? &r->tasks[r->ntasks] : NULL;
    if (task)
        *task = (xtask_t){.name = text_dup(name, len), .len = len, .thread = i,
                          .prev_ready = -1, .next_ready = -1};
    if (!task || !task->name || xr_add(r, XK_TASK, r->ntasks)) {
        if (task)
            free(task->name);
        rows_refuse(r->rows, PLOT_FAILED, "out of memory");
        return -1;
    }
    th->ntasks++;
    return r->ntasks++;
}

/* Task k of thread i's loop becomes ready (created: it waits for the loop
 * to run it) or stops being (the loop runs it, or it ended): the loop's
 * list of ready tasks, in the order they became ready, follows. */
static void set_ready(xread_t *r, int i, int k, int ready)
{
    xthread_t *th = &r->th[i];
    xtask_t *task = &r->tasks[k];
    if (task->ready == ready)
        return;
    task->ready = ready;
    th->nready += ready ? 1 : -1;
    if (ready) {
        task->prev_ready = th->last_ready;
        task->next_ready = -1;
        *(th->last_ready >= 0 ? &r->tasks[th->last_ready].next_ready : &th->first_ready) = k;
        th->last_ready = k;
        return;
    }
    *(task->prev_ready >= 0 ? &r->tasks[task->prev_ready].next_ready : &th->first_ready) =
        task->next_ready;
    *(task->next_ready >= 0 ? &r->tasks[task->next_ready].prev_ready : &th->last_ready) =
        task->prev_ready;
}

/* task_create, task_run and task_done name their task; task_wait says
 * what the running one awaits. */
static void on_task(xread_t *r, int i, simtime_t t, int ev, const char *detail, size_t len)
{
    xthread_t *th = &r->th[i];
    xfact_t f = fact(XF_TASK, t, i);
    f.event = ev;
    f.detail = detail;
    f.task = ev == ME_TASK_WAIT ? th->running_task : task_of(r, i, detail, len);
    if (ev != ME_TASK_WAIT && f.task < 0)
        return;
    if (ev == ME_TASK_WAIT || (ev == ME_TASK_DONE && th->running_task == f.task))
        th->running_task = -1;
    else if (ev == ME_TASK_RUN)
        th->running_task = f.task;
    if (ev != ME_TASK_WAIT)
        set_ready(r, i, f.task, ev == ME_TASK_CREATE);
    tell(r, &f);
}

/* ---- rows -------------------------------------------------------------- */

static int check_header(rows_t *rows, void *ctx)
{
    (void)ctx;
    char want[COL_HEADER_MAX];
    int good = rows->nhead == COL_TRACE__COUNT;
    if (plot_trace_older(&rows->error, rows->path, (const char *const *)rows->head,
                         (int)rows->nhead))
        return rows->error;
    for (int i = 0; good && i < COL_TRACE__COUNT; i++)
        good = !strcmp(rows->head[i], trace_header[i]);
    if (!good)
        rows_refuse(rows, PLOT_BAD_INPUT, "not a gilsim trace: expected the header %s",
                    col_header_text(COL_TRACE_CSV, want, sizeof want));
    return rows->error;
}

/* The row's time, thread and event, or -1 after refusing it. */
static int row_facts(xread_t *r, rows_t *rows, simtime_t *t, int *i, int *code)
{
    char a[48], b[48];
    int interp;                  /* checked only: the explanation needs no GIL's number */
    const char *const *f = (const char *const *)rows->f;
    plot_run_gils_t gils = {plot_per_interpreter(r->run.policy), r->nth};
    *i = xr_find(r, XK_THREAD, 0, f[COL_TRACE_PROCESS], rows->flen[COL_TRACE_PROCESS],
                 f[COL_TRACE_THREAD], rows->flen[COL_TRACE_THREAD]);
    *code = word_code(event_names, NEVENTS, f[COL_TRACE_EVENT], rows->flen[COL_TRACE_EVENT]);
    if (xr_parse_ns(f[COL_TRACE_TIME], rows->flen[COL_TRACE_TIME], t) != 0)
        rows_refuse(rows, PLOT_BAD_INPUT, "time_ns '%s' is not a whole number of nanoseconds",
                    text_shown(f[COL_TRACE_TIME], a, sizeof a));
    else if (*t < r->last_t)
        rows_refuse(rows, PLOT_BAD_INPUT, "time goes backwards: %lld ns after %lld ns",
                    (long long)*t, (long long)r->last_t);
    else if (*t > r->run.makespan)
        rows_refuse(rows, PLOT_BAD_INPUT, "%lld ns is after the run's end (summary.csv's "
                    "makespan_ns, %lld)", (long long)*t, (long long)r->run.makespan);
    else if (*i < 0)
        rows_refuse(rows, PLOT_BAD_INPUT, "thread '%s' of process '%s' is not in threads.csv",
                    text_shown(f[COL_TRACE_THREAD], a, sizeof a),
                    text_shown(f[COL_TRACE_PROCESS], b, sizeof b));
    else if (*code < 0)
        rows_refuse(rows, PLOT_BAD_INPUT, "unknown event '%s'",
                    text_shown(f[COL_TRACE_EVENT], a, sizeof a));
    else
        plot_trace_gil(&rows->error, rows->path, rows->row, f[COL_TRACE_GIL],
                       rows->flen[COL_TRACE_GIL], &gils, &interp);
    return rows->error ? -1 : 0;
}

static int trace_row(rows_t *rows, void *ctx)
{
    xread_t *r = ctx;
    simtime_t t;
    int i, code;
    if (row_facts(r, rows, &t, &i, &code) != 0)
        return rows->error;
    r->last_t = t;
    const char *detail = rows->f[COL_TRACE_DETAIL];
    size_t dlen = rows->flen[COL_TRACE_DETAIL];
    if (r->holding && (r->held.who != i || r->held.t != t ||
                       (code >= TS__COUNT && code != GIL_CODE(GE_TAKE)))) {
        r->holding = 0;
        tell(r, &r->held);
    }
    if (code < TS__COUNT)
        on_state(r, i, t, code, detail);
    else if (code == GIL_CODE(GE_REQUEST))
        on_request(r, i, t);
    else if (code == GIL_CODE(GE_DROP_REQUEST))
        on_drop_request(r, i, t, detail, dlen);
    else if (code == GIL_CODE(GE_DROP))
        on_drop(r, i, t, detail, dlen);
    else if (code == GIL_CODE(GE_TAKE))
        on_take(r, i, t);
    else if (code == OTHER_CODE(ME_GIL_FAILED_WAKEUP))
        on_failed_wakeup(r, i, t);
    else if (code == OTHER_CODE(ME_STW_PAUSE))
        tell(r, &(xfact_t){.kind = XF_STW, .t = t, .who = i, .other = -1, .state = -1});
    else
        on_task(r, i, t, code - OTHER_CODE(0), detail, dlen);
    return rows->error;
}

/* A time of threads.csv or the trace, as the refusal shows it. */
static const char *ns_said(simtime_t ns, char *buf, size_t size)
{
    if (ns < 0)
        return "empty";
    snprintf(buf, size, "%lld ns", (long long)ns);
    return buf;
}

/* Thread th's first number that threads.csv tells otherwise: its
 * column's name, with both numbers; NULL when all agree. */
static const char *mismatch(const xthread_t *th, simtime_t *csv, simtime_t *trace)
{
    const col_t *cols = col_files[COL_THREADS_CSV].cols;
    for (int k = 0; k < TS__COUNT; k++)
        if (xr_state_col(k) >= 0 && th->state_ns[k] != th->csv_state[k]) {
            *csv = th->csv_state[k];
            *trace = th->state_ns[k];
            return cols[xr_state_col(k)].name;
        }
    *csv = th->csv_finished;
    *trace = th->finished;
    return *csv != *trace ? cols[COL_THREADS_FINISHED].name : NULL;
}

/* The run's end: open waits and blocks close; each thread's time in each
 * state, and its finish, must be threads.csv's (a trace cut short or the
 * files of two runs mixed disagree somewhere). */
static int finish_trace(xread_t *r, const char *dir)
{
    simtime_t end = r->run.makespan;
    if (r->holding)
        tell(r, &r->held);
    r->holding = 0;
    for (int i = 0; i < r->nth; i++) {
        xthread_t *th = &r->th[i];
        if (th->state >= 0)
            th->state_ns[th->state] += end - th->since;
        if (th->asking)
            finish_wait(r, i, end, WAIT_RUN_ENDED);
        if (th->block.len == 0)
            end_block(r, i, end, 1);
    }
    for (int i = 0; i < r->nth; i++) {
        const xthread_t *th = &r->th[i];
        simtime_t csv, trace;
        const char *col = th->rows > 1 ? NULL : mismatch(th, &csv, &trace);
        if (!col)
            continue;
        char *path = path_join(dir, col_files[COL_THREADS_CSV].name), n[48], a[32], b[32];
        plot_error(path, th->csv_row, "%s is %s for %s, but trace.csv gives %s: not the files "
                   "of one run, or a trace cut short", col, ns_said(csv, a, sizeof a),
                   text_shown(th->name, n, sizeof n), ns_said(trace, b, sizeof b));
        free(path);
        return r->error = PLOT_BAD_INPUT;
    }
    return PLOT_OK;
}

int xr_trace(xread_t *r, const char *dir)
{
    rows_t rows = {.on_head = check_header, .on_row = trace_row, .ctx = r,
                   .hint = "gilsim explain needs a run made with --trace full, the default"};
    r->rows = &rows;
    int rc = rows_read(&rows, dir, col_files[COL_TRACE_CSV].name);
    r->rows = NULL;
    rows_free(&rows);
    if (rc != PLOT_OK)
        return r->error = rc;
    return finish_trace(r, dir);
}
