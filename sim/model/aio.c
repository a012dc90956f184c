/* aio.c — asyncio: one event loop per thread that calls asyncio_run, and
 * its tasks, as Lib/asyncio/base_events.py runs them.
 *
 * _run_once: if no task is ready, block in select (GIL released, off-core)
 * until one is; then take the GIL, pay `asyncio.loop_iteration`, snapshot
 * the number of ready tasks and run exactly that many, in FIFO order — a
 * task made ready during the pass (a new task, a sleep(0), a finished
 * sleep) runs in the next pass.  Each task step pays `asyncio.task_step` and
 * runs the task's coroutine until it awaits something that is not done:
 *   await sleep(d) / io(d)  the task waits d off the loop; sleep(0) goes to
 *                           the back of the ready queue;
 *   await coroutine         runs it inline, in the same task (no concurrency);
 *   await gather(tasks)     waits until all are done, or until one raises:
 *                           that exception propagates at once (the others
 *                           go on, and are cancelled when asyncio.run ends).
 * Anything blocking inside a coroutine (time.sleep, CPU work, a lock) blocks
 * the loop's thread, so every task waits.  asyncio.run() ends when the main
 * coroutine does; tasks still pending are cancelled.
 * Simplification: a finished sleep or I/O makes its task ready directly,
 * where CPython goes through one more callback (the future's done callback).
 *
 * Layer model (sim/model/): the Python model: the interpreter loop
 * (thread.c, exec.c, batch.c), waits, locks, events and queues (sync.c),
 * asyncio (aio.c), thread and process life (life.c), executors (pool.c),
 * the op table that binds the interpreter to them (ops.c), the GILs'
 * host (gilhost.c), the trace's names (trace.c), building and running a
 * world (sim.c, check.c, fail.c); above the GIL layer.  Its
 * files include each other in no cycle (make layers): the interpreter
 * reaches the rooms through the op table, a room one above it through a
 * pointer in the data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/exec.h"
#include "model/fail.h"
#include "gil/gil.h"
#include "model/aio.h"
#include "model/sync.h"
#include "model/thread.h"
#include "model/trace.h"

static void ready_push(loop_t *l, task_t *k)
{
    k->state = TASK_READY;
    k->next = NULL;
    if (l->ready_tail)
        l->ready_tail->next = k;
    else
        l->ready_head = k;
    l->ready_tail = k;
    l->nready++;
}

static task_t *ready_pop(loop_t *l)
{
    task_t *k = l->ready_head;
    l->ready_head = k->next;
    if (!l->ready_head)
        l->ready_tail = NULL;
    l->nready--;
    k->next = NULL;
    return k;
}

/* call_soon(task.__step): k runs in a later pass; a loop asleep in select
 * wakes up. */
static void make_ready(sim_t *s, task_t *k)
{
    loop_t *l = k->loop;
    if (l->thread->state == TS_DONE)
        return;
    ready_push(l, k);
    if (l->in_select) {
        l->in_select = 0;
        l->thread->restore_gil = 1;
        thr_unblock(s, l->thread, RESUME_RUN);
    }
}

/* A wait list's wake-up (task_t.wake). */
static int wake_task(sim_t *s, task_t *k)
{
    if (k->state != TASK_WAITING)
        return 0;
    make_ready(s, k);
    return 1;
}

static task_t *task_new(sim_t *s, loop_t *l, const call_t *c, const frame_t *caller)
{
    if (s->task_ids >= s->caps.tasks)
        sim_over_cap(s, "asyncio tasks", s->caps.tasks);
    if (l->nall == l->capall)            /* room first, then link at once (fail.h) */
        l->all = sim_grow(s, l->all, &l->capall, sizeof *l->all);
    task_t *k = sim_calloc(s, 1, sizeof *k);
    l->all[l->nall++] = k;
    k->loop = l;
    k->wake = wake_task;
    ex_init(&k->exec, s, k);
    k->name = sim_printf(s, "Task-%d", ++s->task_ids);
    ex_push_call(&k->exec, s->cfg, c, caller);
    l->ntasks++;
    sim_alive(s, 0, 1, 0);
    trace_event(s, l->thread, ME_TASK_CREATE, k->name);
    make_ready(s, k);
    return k;
}

/* The running task stops running: the loop picks the next one. */
static int leave_task(thread_t *t, task_t *k, enum task_state st)
{
    k->state = st;
    t->loop->running = NULL;
    t->cur = NULL;
    return 1;
}

int aio_run(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    if (t->loop) {               /* reached through a plain call from a coroutine */
        ex_op_done(x);
        x->exc = "RuntimeError";
        trace_log(s, t, x->task ? x->task->name : NULL, LK_RAISE,
                  "RuntimeError: asyncio.run() cannot be called from a running event loop");
        return 1;
    }
    if (s->nloops == s->caploops)        /* room first, then link at once (fail.h) */
        s->loops = sim_grow(s, s->loops, &s->caploops, sizeof *s->loops);
    loop_t *l = sim_calloc(s, 1, sizeof *l);
    s->loops[s->nloops++] = l;
    l->thread = t;
    t->loop = l;
    l->main = task_new(s, l, &op->call, ex_top(x));
    t->cur = NULL;
    return 1;
}

/* Every unfinished task of l ends, cancelled; no timer or wake-up of
 * theirs counts any more. */
static void cancel_all(sim_t *s, loop_t *l)
{
    for (int i = 0; i < l->nall; i++) {
        task_t *k = l->all[i];
        if (k->state != TASK_DONE) {
            k->state = TASK_DONE;
            k->exc = "CancelledError";
            k->gen++;
            k->exec.ticket++;
            l->ntasks--;
            sim_alive(s, 0, -1, 0);
        }
    }
    l->ready_head = l->ready_tail = NULL;
    l->nready = l->pass_left = 0;
    l->in_select = 0;
}

/* asyncio.run() returns: pending tasks are cancelled. */
static int loop_close(sim_t *s, thread_t *t, loop_t *l)
{
    cancel_all(s, l);
    t->loop = NULL;
    t->cur = &t->base;
    ex_op_done(&t->base);
    if (l->main->exc)
        t->base.exc = l->main->exc;
    return 1;
}

int aio_loop_step(sim_t *s, thread_t *t)
{
    loop_t *l = t->loop;
    if (l->main->state == TASK_DONE)
        return loop_close(s, t, l);
    simtime_t cost = s->cfg->aio.task_step;
    if (l->pass_left == 0) {
        if (l->nready == 0) {
            if (t->gthr.has_gil && !gil_release(t->gil, &t->gthr, DROP_SELECT))
                return 0;
            l->in_select = 1;
            thr_block(s, t, TS_BLOCKED, "select");
            return 0;
        }
        l->pass_left = l->nready;
        cost = st_add(cost, s->cfg->aio.loop_iteration);
    }
    task_t *k = ready_pop(l);
    l->pass_left--;
    k->state = TASK_RUNNING;
    l->running = k;
    t->cur = &k->exec;
    trace_event(s, t, ME_TASK_RUN, k->name);
    return thr_cost(&k->exec, cost);
}

static void task_timer(void *obj, uint64_t gen)
{
    task_t *k = obj;
    if (k->gen != gen)
        return;
    thread_t *t = k->loop->thread;
    t->ops_done++;
    ex_op_done(&k->exec);
    make_ready(t->sim, k);
}

int aio_await_timed(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    task_t *k = x->task;
    simtime_t d = dist_draw(ex_dur(ex_top(x), op), &s->rng);
    trace_event(s, t, ME_TASK_WAIT, op->kind == OP_AWAIT_IO ? "io" : "sleep");
    if (d == 0 && op->kind == OP_AWAIT_SLEEP) {
        t->ops_done++;
        ex_op_done(x);
        leave_task(t, k, TASK_READY);
        ready_push(k->loop, k);          /* sleep(0): back of the queue */
        return 1;
    }
    eng_after(&s->eng, d, task_timer, k, ++k->gen);
    return leave_task(t, k, TASK_WAITING);
}

int aio_await_call(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    value_t args[FUNC_MAX_PARAMS];
    (void)t;
    ex_resolve_args(&op->call, ex_top(x), args);
    ex_op_done(x);
    ex_push_values(x, s->cfg, op->call.fn, args);
    return 1;
}

int aio_create_task(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    frame_t *f = ex_top(x);
    if (x->step >= ex_count(f, op)) {
        ex_op_done(x);
        return 1;
    }
    if (x->phase == 0) {
        x->phase = 1;
        return thr_cost(x, s->cfg->aio.create_task);
    }
    task_t *k = task_new(s, t->loop, &op->call, f);
    if (op->local >= 0)
        handles_push(s, ex_local(f, op->local), k);
    x->step++;
    x->phase = 0;
    return 1;
}

/* gather(return_exceptions=False): done when all are done, or as soon as
 * one has raised (the first to raise wins). */
int aio_gather(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    handles_t *h = ex_local(ex_top(x), op->local);
    task_t *self = x->task, *failed = NULL;
    int pending = 0;
    for (int i = 0; i < h->n; i++) {
        task_t *k = h->items[i];
        if (k->state != TASK_DONE)
            pending++;
        else if (k->exc && (!failed || k->done_seq < failed->done_seq))
            failed = k;
    }
    if (failed || !pending) {
        ex_op_done(x);
        x->exc = failed ? failed->exc : NULL;
        return 1;
    }
    if (x->phase == 0) {         /* one entry per child for the whole op */
        x->phase = 1;
        for (int i = 0; i < h->n; i++)
            if (((task_t *)h->items[i])->state != TASK_DONE)
                sync_add(&((task_t *)h->items[i])->waiters, NULL, self);
    }
    trace_event(s, t, ME_TASK_WAIT, "gather");
    return leave_task(t, self, TASK_WAITING);
}

void aio_task_finished(sim_t *s, thread_t *t, task_t *k, const char *exc)
{
    loop_t *l = k->loop;
    k->exc = exc;
    k->done_seq = ++s->done_seq;
    l->ntasks--;
    sim_alive(s, 0, -1, 0);
    trace_event(s, t, ME_TASK_DONE, k->name);
    if (exc) {
        char *msg = sim_printf(s, "%s raised %s", k->name, exc);
        trace_log(s, t, k->name, LK_EXCEPTION, msg);
        free(msg);
    }
    leave_task(t, k, TASK_DONE);
    sync_wake_all(s, &k->waiters);
}

void aio_kill(sim_t *s, loop_t *l)
{
    cancel_all(s, l);
}

void aio_free(loop_t *l)
{
    for (int i = 0; i < l->nall; i++) {
        task_t *k = l->all[i];
        ex_free(&k->exec);
        free(k->exec.tmp.items);
        sync_free(&k->waiters);
        free(k->name);
        free(k);
    }
    free(l->all);
    free(l);
}
