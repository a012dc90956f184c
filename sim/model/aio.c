/* aio.c — asyncio: one event loop per thread that calls asyncio_run, and
 * its tasks, as Lib/asyncio/base_events.py runs them.
 *
 * _run_once: if no task is ready, block in select (GIL released, off-core)
 * until one is; with tasks ready, select(0) still runs (timeout 0 when
 * self._ready is not empty): the selector's poll is a syscall inside
 * Py_BEGIN_ALLOW_THREADS (Modules/selectmodule.c), so the loop releases
 * the GIL (a waiter is signalled), spends `asyncio.select_poll` on its core
 * in epoll_wait, and takes the GIL back — at once if it is still free, else
 * as any waiter, an interval later.  Then it pays `asyncio.loop_iteration`,
 * snapshots the number of ready tasks and runs exactly that many, in FIFO
 * order — a task made ready during the pass (a new task, a sleep(0), a
 * finished sleep) runs in the next pass.  Each task step pays `asyncio.task_step` and
 * runs the task's coroutine until it awaits something that is not done:
 *   await sleep(d) / io(d)  the task waits d off the loop; sleep(0) goes to
 *                           the back of the ready queue;
 *   await coroutine         runs it inline, in the same task (no concurrency);
 *   await gather(tasks)     waits until all are done, or until one raises:
 *                           that exception propagates at once (the others
 *                           go on, and are cancelled when asyncio.run ends);
 *   await to_thread(f)      waits for a future of the loop's default executor
 *                           (pool.c), whose worker makes it ready again.
 * Anything blocking inside a coroutine (time.sleep, CPU work, a lock) blocks
 * the loop's thread, so every task waits.  asyncio.run() ends when the main
 * coroutine does; tasks still pending are cancelled.
 * Simplification: a finished sleep or I/O makes its task ready directly,
 * where CPython goes through one more callback (the future's done callback).
 *
 * Each task's time (tasks.csv) is counted at the moments the loop changes
 * its state, all through task_set_state, in integer ns, so that ready +
 * running + waiting is exactly its life (created to finished, or to the
 * end of the run; sim_check verifies it after every event):
 *   ready    in the ready queue, from call_soon until the loop pops it;
 *   running  from that pop until the step suspends (await), yields
 *            (sleep(0)) or ends.  It is the loop's thread's time on the
 *            task's behalf, whatever that thread does meanwhile: the CPU
 *            of the step, the loop's own overhead for it (task_step, and
 *            loop_iteration for the first task of a pass), but also time
 *            off-core or blocked inside the step (time.sleep, a lock,
 *            waiting for the GIL) — that is the task blocking the loop,
 *            and every ready task waits for it meanwhile;
 *   waiting  awaiting a sleep, I/O or gather, until made ready again.
 * Pending tasks end cancelled when asyncio.run returns, or killed with
 * their loop's thread.
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

/* The time since k's last change counts in its state (never done: a
 * done task changes no more). */
static void task_account(task_t *k, simtime_t now)
{
    k->state_time[k->state] += now - k->state_since;
    k->state_since = now;
}

/* Every change of a task's state: the time since the last one counts in
 * the state it leaves, and the trace hears of it. */
static void task_set_state(sim_t *s, task_t *k, enum task_state st)
{
    simtime_t now = s->eng.now;
    task_account(k, now);
    k->state = st;
    if (st == TASK_RUNNING) {
        k->steps++;
        if (k->first_run < 0)
            k->first_run = now;
    } else if (st == TASK_DONE) {
        k->finished = now;
    }
    trace_task(s, k);
}

static void ready_push(loop_t *l, task_t *k)
{
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
    task_set_state(s, k, TASK_READY);
    ready_push(l, k);
    if (l->in_select) {          /* the blocking select returns: this pass's poll */
        l->in_select = 0;
        l->polled = 1;
        l->thread->restore_gil = 1;
        thr_unblock(s, l->thread, RESUME_RUN);
    }
}

/* How a gather of the tasks in h stands: the tasks not done yet, and in
 * *failed the first of those done to have raised (or NULL). */
static int gather_pending(const handles_t *h, task_t **failed)
{
    int pending = 0;
    *failed = NULL;
    for (int i = 0; i < h->n; i++) {
        task_t *k = h->items[i];
        if (k->state != TASK_DONE)
            pending++;
        else if (k->exc && (!*failed || k->done_seq < (*failed)->done_seq))
            *failed = k;
    }
    return pending;
}

/* A wait list's wake-up (task_t.wake): k gathers the task that just
 * ended.  As gather's outer future, k resumes only when the gather is
 * over: every task done, or one raised (_GatheringFuture's done callback
 * schedules the awaiting task's wake-up once, not per child).  Each child
 * wakes it once (aio_gather registers it once per child), so a count of
 * those left tells, in O(1) per child, what a scan of them all would. */
static int wake_task(sim_t *s, task_t *k)
{
    const task_t *child = k->loop->finishing;
    if (child && k->state != TASK_DONE)
        trace_task_link(s, child, k, "gather");
    if (k->state != TASK_WAITING)
        return 0;
    if (k->gathering) {
        task_t *failed;
        if (child) {
            if (--k->gather_left > 0 && !child->exc)
                return 0;
        } else {                 /* woken by something else than a task's end (none
                                    is today): ask the tasks themselves */
            k->gather_left = gather_pending(k->gathering, &failed);
            if (k->gather_left && !failed)
                return 0;
        }
    }
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
    ex_init(&k->exec, s, l->thread->proc, k);
    k->id = ++s->task_ids;
    k->name = sim_printf(s, "Task-%d", k->id);
    k->coro = s->cfg->functions[c->fn].name;
    k->created = k->state_since = s->eng.now;
    k->first_run = k->finished = -1;
    ex_push_call(&k->exec, s->cfg, c, caller);
    l->ntasks++;
    sim_alive(s, 0, 1, 0);
    trace_event(s, l->thread, ME_TASK_CREATE, k->name);
    make_ready(s, k);
    if (l->running)
        trace_task_link(s, l->running, k, "create_task");
    return k;
}

/* The running task stops running: the loop picks the next one. */
static int leave_task(sim_t *s, thread_t *t, task_t *k, enum task_state st)
{
    task_set_state(s, k, st);
    t->loop->running = NULL;
    t->cur = NULL;
    return 1;
}

static int loop_close(sim_t *s, thread_t *t, loop_t *l);

int aio_run(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    if (t->loop && x == &t->base)    /* asyncio.run's own op: its loop is closing */
        return loop_close(s, t, t->loop);
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

/* Every unfinished task of l ends ("cancelled" or "killed"); no timer or
 * wake-up of theirs counts any more. */
static void cancel_all(sim_t *s, loop_t *l, const char *ended)
{
    for (int i = 0; i < l->nall; i++) {
        task_t *k = l->all[i];
        if (k->state != TASK_DONE) {
            k->ended = ended;
            task_set_state(s, k, TASK_DONE);
            k->exc = "CancelledError";
            k->gen++;
            k->exec.ticket++;
            l->ntasks--;
            sim_alive(s, 0, -1, 0);
        }
    }
    l->ready_head = l->ready_tail = NULL;
    l->nready = l->pass_left = 0;
    l->in_select = l->polled = 0;
}

/* asyncio.run() returns: pending tasks are cancelled, then the default
 * executor is shut down, waiting for its workers (on the thread's own
 * stack: woken, the thread comes back here through aio_run). */
static int loop_close(sim_t *s, thread_t *t, loop_t *l)
{
    cancel_all(s, l, "cancelled");
    t->cur = &t->base;
    if (l->executor && !l->executor_shutdown(s, t, l))
        return 0;
    t->loop = NULL;
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
        if (!l->polled) {        /* select(0): GIL released around the syscall */
            if (t->gthr.has_gil && !gil_release(t->gil, &t->gthr, DROP_SELECT))
                return 0;        /* forced hand-off first; the step runs again */
            l->polled = 1;
            return thr_loop_syscall(s, t, s->cfg->aio.select_poll);
        }
        l->polled = 0;
        l->pass_left = l->nready;
        cost = st_add(cost, s->cfg->aio.loop_iteration);
    }
    task_t *k = ready_pop(l);
    l->pass_left--;
    task_set_state(s, k, TASK_RUNNING);
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
        leave_task(s, t, k, TASK_READY);
        ready_push(k->loop, k);          /* sleep(0): back of the queue */
        return 1;
    }
    eng_after(&s->eng, d, task_timer, k, ++k->gen);
    k->awaiting = op->kind == OP_AWAIT_IO ? "io" : "sleep";
    return leave_task(s, t, k, TASK_WAITING);
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

/* The running task k suspends in an await of `what` (the trace's word). */
static int suspend(sim_t *s, thread_t *t, task_t *k, const char *what)
{
    trace_event(s, t, ME_TASK_WAIT, what);
    k->awaiting = what;
    k->gathering = NULL;
    return leave_task(s, t, k, TASK_WAITING);
}

/* gather(return_exceptions=False): done when all are done, or as soon as
 * one has raised (the first to raise wins). */
int aio_gather(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    handles_t *h = ex_local(ex_top(x), op->local);
    task_t *self = x->task, *failed;
    int pending = gather_pending(h, &failed);
    self->gathering = NULL;
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
    suspend(s, t, self, "gather");
    self->gathering = h;
    self->gather_left = pending;
    return 1;
}

int aio_await(sim_t *s, thread_t *t, task_t *k, waitlist_t *wl, const char *what)
{
    sync_add(wl, NULL, k);
    return suspend(s, t, k, what);
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
    k->ended = exc ? "exception" : "done";
    leave_task(s, t, k, TASK_DONE);
    l->finishing = k;            /* what its gatherers' wake-ups report they follow */
    sync_wake_all(s, &k->waiters);
    l->finishing = NULL;
}

void aio_kill(sim_t *s, loop_t *l)
{
    cancel_all(s, l, "killed");
}

void aio_close_run(sim_t *s)
{
    for (int i = 0; i < s->nloops; i++)
        for (int j = 0; j < s->loops[i]->nall; j++) {
            task_t *k = s->loops[i]->all[j];
            if (k->state != TASK_DONE)
                task_account(k, s->eng.now);
        }
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
