/* perfetto.c — the run as Chrome Trace Event JSON (trace.json), which
 * ui.perfetto.dev and chrome://tracing open.
 *
 * Tracks: pid = process id + 1, tid = thread id + 1, with a slice per
 * thread state ("X" events, microseconds); tid 0 of each process is its
 * main interpreter's GIL, with a slice per holder, and each subinterpreter
 * with its own GIL has one too (sub_gil_t, below); pid 0 ("cores") has a
 * track per core with a slice per thread that runs there.  Counters: threads waiting for each
 * GIL, and runnable threads without a core.  Each asyncio task has a track
 * in its loop's process (task tracks, below).  Names are JSON-escaped.
 * Slices hold their names by pointer (state names are constants, thread
 * names live as long as the model), so none is cut.  Every write is
 * checked: the first failure's errno is kept and the caller stops the
 * run (perfetto_error).  Running out of memory is such a failure (ENOMEM):
 * the event at hand goes to a scratch slot and the run stops. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "caps.h"
#include "out/perfetto.h"
#include "model/thread.h"
#include "engine/util.h"

/* An arrow between two task steps, waiting for the step it points to. */
typedef struct flow {
    const char *name;            /* "create_task" or "gather" */
    int pid, tid;                /* where it starts: a running step of the source task */
    simtime_t at;                /* ... at this time, inside that step (ns) */
} flow_t;

typedef struct task_track {
    int named;                   /* its thread_name was written */
    int open;                    /* a slice is open: */
    enum task_state state;       /* ... of this state */
    const char *awaiting;        /* ... awaiting this, when waiting */
    simtime_t since;             /* ... since then (ns) */
    simtime_t last_from, last_to;   /* its last finished running step (ns) */
    flow_t *in;                  /* arrows into its next running step */
    int nin, capin;
} task_track_t;

typedef struct open_slice {
    int active, named;           /* named: the track's metadata was written */
    double since;                /* µs */
    const char *name;            /* a state name or a thread's name */
} open_slice_t;

/* The GIL of subinterpreter interp (> 0) of process pid: its track is
 * tid SUB_GIL_TID_BASE + interp, named "GIL holder, interpreter N". */
typedef struct sub_gil {
    int pid, interp;
    open_slice_t slice;
} sub_gil_t;

typedef struct perfetto {
    FILE *f;
    int first;
    int err_no;                  /* the first failed write's errno, or 0 */
    trace_sink_t sink;
    open_slice_t *thr, *gil, *core;   /* by thread id, process id, core */
    int nthr, ngil, ncore;
    sub_gil_t *sub;              /* subinterpreters' GILs, in the order first taken */
    int nsub, capsub;
    int *waiting;                /* GIL waiters by process id */
    int nwaiting;
    int runnable;
    int *named_proc, nnamed_proc;
    task_track_t *task;          /* by task id */
    int ntask;
    int64_t flows;               /* flow ids given so far */
    open_slice_t scratch_slice;  /* where an event goes when memory ran out */
    task_track_t scratch_task;
    int scratch_int;
} perfetto_t;

/* Makes (*arr)[id] exist, new elements zeroed.  0, or -1 with the run's
 * error set to ENOMEM. */
static int grow_to(perfetto_t *p, void **arr, int *n, int id, size_t elem)
{
    if (id < *n)
        return 0;
    int cap = *n ? *n : 16;
    while (cap <= id)
        cap *= 2;
    char *a = realloc(*arr, elem * (size_t)cap);
    if (!a) {
        if (!p->err_no)
            p->err_no = ENOMEM;
        return -1;
    }
    memset(a + elem * (size_t)*n, 0, elem * (size_t)(cap - *n));
    *arr = a;
    *n = cap;
    return 0;
}

static void put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* Each event starts here, so a failed write of the one before shows at
 * once, with its errno (the stream's error flag stays set). */
static void begin_event(perfetto_t *p)
{
    if (!p->err_no && ferror(p->f))
        p->err_no = errno ? errno : EIO;
    fputs(p->first ? "\n" : ",\n", p->f);
    p->first = 0;
}

static void meta(perfetto_t *p, const char *what, int pid, int tid, const char *name)
{
    begin_event(p);
    fprintf(p->f, "{\"name\":\"%s\",\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":", what,
            pid, tid);
    put_string(p->f, name);
    fputs("}}", p->f);
}

static void slice(perfetto_t *p, int pid, int tid, const char *cat, open_slice_t *s, double end)
{
    if (!s->active || end < s->since)
        return;
    begin_event(p);
    fprintf(p->f, "{\"name\":");
    put_string(p->f, s->name);
    fprintf(p->f, ",\"cat\":\"%s\",\"ph\":\"X\",\"pid\":%d,\"tid\":%d,\"ts\":%.3f,\"dur\":%.3f}",
            cat, pid, tid, s->since, end - s->since);
    s->active = 0;
}

static void counter(perfetto_t *p, int pid, const char *name, const char *series, double ts, int v)
{
    begin_event(p);
    fprintf(p->f, "{\"name\":\"%s\",\"ph\":\"C\",\"pid\":%d,\"ts\":%.3f,\"args\":{\"%s\":%d}}",
            name, pid, ts, series, v);
}

static open_slice_t *slot(perfetto_t *p, open_slice_t **arr, int *n, int id)
{
    if (grow_to(p, (void **)arr, n, id, sizeof **arr) != 0) {
        memset(&p->scratch_slice, 0, sizeof p->scratch_slice);
        return &p->scratch_slice;
    }
    return &(*arr)[id];
}

static int *count_of(perfetto_t *p, int pid)
{
    if (grow_to(p, (void **)&p->waiting, &p->nwaiting, pid, sizeof *p->waiting) != 0)
        return &p->scratch_int;
    return &p->waiting[pid];
}

static void name_process(perfetto_t *p, const process_t *proc)
{
    int pid = proc->id + 1;
    if (grow_to(p, (void **)&p->named_proc, &p->nnamed_proc, pid, sizeof *p->named_proc) != 0)
        return;
    if (!p->named_proc[pid]) {
        p->named_proc[pid] = 1;
        meta(p, "process_name", pid, 0, proc->name);
        meta(p, "thread_name", pid, 0, "GIL holder");
    }
}

static void name_thread(perfetto_t *p, const thread_t *th)
{
    name_process(p, th->proc);
    meta(p, "thread_name", th->proc->id + 1, th->id + 1, th->name);
}

static void on_state(void *ctx, simtime_t t, const thread_t *th, enum thr_state st,
                     const char *detail)
{
    perfetto_t *p = ctx;
    double us = (double)t / 1e3;
    int pid = th->proc->id + 1;
    open_slice_t *s = slot(p, &p->thr, &p->nthr, th->id);
    if (!s->named) {
        name_thread(p, th);
        s->named = 1;
    }
    /* the waiter count and the run queue, from the old and new states */
    int was_waiting = s->active && s->name == thr_state_names[TS_GIL_WAIT];
    int was_runnable = s->active && s->name == thr_state_names[TS_RUNNABLE];
    slice(p, pid, th->id + 1, "state", s, us);
    int *w = count_of(p, pid);
    if (was_waiting != (st == TS_GIL_WAIT)) {
        *w += st == TS_GIL_WAIT ? 1 : -1;
        counter(p, pid, "GIL waiters", "waiting", us, *w);
    }
    if (was_runnable != (st == TS_RUNNABLE)) {
        p->runnable += st == TS_RUNNABLE ? 1 : -1;
        counter(p, 0, "runnable without a core", "runnable", us, p->runnable);
    }
    if (st != TS_DONE) {
        s->active = 1;
        s->since = us;
        s->name = thr_state_names[st];
    }
    (void)detail;
    /* the core track: who runs there */
    for (int c = 0; c < p->ncore; c++) {
        open_slice_t *cs = &p->core[c];
        if (cs->active && !strcmp(cs->name, th->name) && (th->os.core != c))
            slice(p, 0, c + 1, "core", cs, us);
    }
    if (th->os.core >= 0 && (st == TS_PY || st == TS_NATIVE)) {
        open_slice_t *cs = slot(p, &p->core, &p->ncore, th->os.core);
        if (!cs->active || strcmp(cs->name, th->name)) {
            slice(p, 0, th->os.core + 1, "core", cs, us);
            cs->active = 1;
            cs->since = us;
            cs->name = th->name;
        }
    }
}

#define SUB_GIL_TID_BASE (THREADS_MAX + 1 + TASKS_MAX + 1)   /* above threads' and tasks' */

/* The open slice of th's GIL: its process's (tid 0), or its
 * subinterpreter's, whose track is named when first seen.  A run has few
 * subinterpreters: a linear search. */
static open_slice_t *gil_slot(perfetto_t *p, const thread_t *th, int *tid)
{
    int pid = th->proc->id + 1, interp = th->gil->interp;
    char name[48];
    *tid = interp > 0 ? SUB_GIL_TID_BASE + interp : 0;
    if (interp == 0)
        return slot(p, &p->gil, &p->ngil, pid);
    for (int i = 0; i < p->nsub; i++)
        if (p->sub[i].pid == pid && p->sub[i].interp == interp)
            return &p->sub[i].slice;
    if (grow_to(p, (void **)&p->sub, &p->capsub, p->nsub, sizeof *p->sub) != 0) {
        memset(&p->scratch_slice, 0, sizeof p->scratch_slice);
        return &p->scratch_slice;
    }
    p->sub[p->nsub] = (sub_gil_t){.pid = pid, .interp = interp};
    snprintf(name, sizeof name, "GIL holder, interpreter %d", interp);
    meta(p, "thread_name", pid, *tid, name);
    return &p->sub[p->nsub++].slice;
}

static void on_gil(void *ctx, simtime_t t, const thread_t *th, enum gil_event ev,
                   const char *detail)
{
    perfetto_t *p = ctx;
    double us = (double)t / 1e3;
    int pid = th->proc->id + 1, tid;
    open_slice_t *g = gil_slot(p, th, &tid);
    (void)detail;
    if (ev == GE_TAKE) {
        slice(p, pid, tid, "gil", g, us);
        g->active = 1;
        g->since = us;
        g->name = th->name;
    } else if (ev == GE_DROP) {
        slice(p, pid, tid, "gil", g, us);
    }
}

/* ---- task tracks ----------------------------------------------------
 *
 * Task k's track is tid TASK_TID_BASE + k's id in its loop's process,
 * named "Task-N coroutine".  Its slices (cat "task") cover its life, one
 * per state it passes through: "running" for each step, "ready", "await
 * sleep", "await io", "await gather"; each closes at the task's next
 * change (the sink's task callback) or at the run's end.
 *
 * Arrows are Trace Event Format flow events ("s" then "f" with "bp":"e",
 * same name, cat and id): from the step that created a task to its first
 * step ("create_task"), and from a task's last step to the next step of
 * each task that gathers it ("gather").  A viewer binds a flow event to the
 * slice that encloses its time on its track; at a boundary between two
 * slices the choice would be the viewer's, so each flow event sits
 * strictly inside its step: at the step's midpoint (any step of 2 ns or
 * more has one), or for a creator, whose step is still running, midway
 * between the step's start and the creation.  Both ends of an arrow are
 * written when the step it points to ends (the arrows wait in that task's
 * track until then): a task that never runs again leaves no arrow without
 * a head. */
#define TASK_TID_BASE (THREADS_MAX + 1)      /* above every thread's tid */

static int task_tid(const task_t *k)
{
    return TASK_TID_BASE + k->id;
}

static task_track_t *task_track(perfetto_t *p, int id)
{
    if (grow_to(p, (void **)&p->task, &p->ntask, id, sizeof *p->task) != 0) {
        free(p->scratch_task.in);
        memset(&p->scratch_task, 0, sizeof p->scratch_task);
        return &p->scratch_task;
    }
    return &p->task[id];
}

static simtime_t midpoint(simtime_t from, simtime_t to)
{
    return from + (to - from) / 2;
}

/* Integer ns as µs with three decimals, exactly. */
static void put_us(FILE *f, simtime_t ns)
{
    fprintf(f, "%lld.%03lld", (long long)(ns / 1000), (long long)(ns % 1000));
}

static void flow_event(perfetto_t *p, const char *name, char ph, int64_t id, int pid, int tid,
                       simtime_t at)
{
    begin_event(p);
    fprintf(p->f, "{\"name\":\"%s\",\"cat\":\"task\",\"ph\":\"%c\",%s\"id\":%lld,"
            "\"pid\":%d,\"tid\":%d,\"ts\":", name, ph, ph == 'f' ? "\"bp\":\"e\"," : "",
            (long long)id, pid, tid);
    put_us(p->f, at);
    fputc('}', p->f);
}

/* Closes the track's open slice at `to`; a running step brings in the
 * arrow that points to it. */
static void task_slice_end(perfetto_t *p, task_track_t *tt, int pid, int tid, simtime_t to)
{
    if (!tt->open)
        return;
    tt->open = 0;
    begin_event(p);
    if (tt->state == TASK_WAITING)
        fprintf(p->f, "{\"name\":\"await %s\"", tt->awaiting);
    else
        fprintf(p->f, "{\"name\":\"%s\"", tt->state == TASK_RUNNING ? "running" : "ready");
    fprintf(p->f, ",\"cat\":\"task\",\"ph\":\"X\",\"pid\":%d,\"tid\":%d,\"ts\":", pid, tid);
    put_us(p->f, tt->since);
    fputs(",\"dur\":", p->f);
    put_us(p->f, to - tt->since);
    fputc('}', p->f);
    if (tt->state != TASK_RUNNING)
        return;
    tt->last_from = tt->since;
    tt->last_to = to;
    for (int i = 0; i < tt->nin; i++) {
        const flow_t *in = &tt->in[i];
        int64_t id = ++p->flows;
        flow_event(p, in->name, 's', id, in->pid, in->tid, in->at);
        flow_event(p, in->name, 'f', id, pid, tid, midpoint(tt->since, to));
    }
    tt->nin = 0;
}

static void name_task(perfetto_t *p, const task_t *k, int pid)
{
    name_process(p, k->loop->thread->proc);
    char *name = text_printf("%s %s", k->name, k->coro);
    if (!name && !p->err_no)
        p->err_no = ENOMEM;
    meta(p, "thread_name", pid, task_tid(k), name ? name : k->name);
    free(name);
}

static void on_task(void *ctx, simtime_t t, const task_t *k)
{
    perfetto_t *p = ctx;
    int pid = k->loop->thread->proc->id + 1;
    task_track_t *tt = task_track(p, k->id);
    if (!tt->named) {
        name_task(p, k, pid);
        tt->named = 1;
    }
    task_slice_end(p, tt, pid, task_tid(k), t);
    if (k->state == TASK_DONE)
        return;
    tt->open = 1;
    tt->state = k->state;
    tt->awaiting = k->awaiting;
    tt->since = t;
}

static void on_task_link(void *ctx, simtime_t t, const task_t *from, const task_t *to,
                         const char *why)
{
    perfetto_t *p = ctx;
    const task_track_t *src = task_track(p, from->id);   /* running now, or ran last */
    int running = src->open && src->state == TASK_RUNNING;
    flow_t in = {why, from->loop->thread->proc->id + 1, task_tid(from),
                 running ? midpoint(src->since, t) : midpoint(src->last_from, src->last_to)};
    task_track_t *dst = task_track(p, to->id);
    if (dst->nin == dst->capin &&
        grow_to(p, (void **)&dst->in, &dst->capin, dst->nin, sizeof *dst->in) != 0)
        return;
    dst->in[dst->nin++] = in;
}

perfetto_t *perfetto_open(const char *path)
{
    perfetto_t *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;             /* errno: ENOMEM */
    p->f = file_create_fresh(path);
    if (!p->f) {
        free(p);
        return NULL;
    }
    p->first = 1;
    fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", p->f);
    meta(p, "process_name", 0, 0, "cores");
    p->sink = (trace_sink_t){.ctx = p, .state = on_state, .gil = on_gil, .task = on_task,
                             .task_link = on_task_link};
    return p;
}

trace_sink_t *perfetto_sink(perfetto_t *p)
{
    return &p->sink;
}

int perfetto_error(const perfetto_t *p)
{
    return p->err_no;
}

int perfetto_close(perfetto_t *p, const sim_t *s)
{
    double end = (double)s->end / 1e3;
    for (int i = 0; i < p->nthr && i < s->nthreads; i++)
        slice(p, s->threads[i]->proc->id + 1, i + 1, "state", &p->thr[i], end);
    for (int i = 0; i < p->ngil; i++)
        slice(p, i, 0, "gil", &p->gil[i], end);
    for (int i = 0; i < p->nsub; i++)
        slice(p, p->sub[i].pid, SUB_GIL_TID_BASE + p->sub[i].interp, "gil", &p->sub[i].slice,
              end);
    for (int c = 0; c < p->ncore; c++) {
        char name[32];
        snprintf(name, sizeof name, "core %d", c);
        slice(p, 0, c + 1, "core", &p->core[c], end);
        meta(p, "thread_name", 0, c + 1, name);
    }
    for (int i = 0; i < s->nloops; i++)
        for (int j = 0; j < s->loops[i]->nall; j++) {
            const task_t *k = s->loops[i]->all[j];
            if (k->id < p->ntask)
                task_slice_end(p, &p->task[k->id], k->loop->thread->proc->id + 1, task_tid(k),
                               s->end);
        }
    fputs("\n]}\n", p->f);
    if (!p->err_no && (fflush(p->f) != 0 || ferror(p->f)))
        p->err_no = errno ? errno : EIO;
    if (fclose(p->f) != 0 && !p->err_no)
        p->err_no = errno ? errno : EIO;
    int rc = p->err_no;
    free(p->thr);
    free(p->gil);
    free(p->sub);
    free(p->core);
    free(p->waiting);
    free(p->named_proc);
    for (int i = 0; i < p->ntask; i++)
        free(p->task[i].in);
    free(p->scratch_task.in);
    free(p->task);
    free(p);
    return rc;
}
