/* pool.c — concurrent.futures: ThreadPoolExecutor, ProcessPoolExecutor and
 * their futures, after Lib/concurrent/futures/thread.py and process.py.
 *
 * submit() puts a work item on the pool's FIFO queue, which wakes one idle
 * worker blocked in get().  Then, as _adjust_thread_count does, it takes a
 * token of the idle semaphore if there is one (a worker finished an item
 * and is idle), and otherwise starts a new worker while there are fewer
 * than max_workers — a thread (Thread.start(): the submitter waits until
 * it runs) or a process (fork/spawn costs as multiprocessing).  Process
 * pools start all max_workers at the first submit on Python <= 3.8, and
 * on 3.11+ with the fork start method (gh-90622); on demand otherwise.
 * Workers run items in queue order; a finished item completes its future.
 * Process pools pay `python.pickle` per argument and per result, in the
 * worker.  InterpreterPoolExecutor (3.14) is a thread pool whose workers
 * each run in their own subinterpreter with its own GIL, and pickle
 * arguments and results like a process pool.
 * Leaving the with block is shutdown(wait=True): workers finish the queue,
 * exit, and the block ends when the last one has.
 * map() submits every item at once, then yields results in input order,
 * waiting for the head; as_completed() yields them in completion order.
 * result() of a failed future raises its exception in the consumer; map
 * then cancels the futures that have not started.  Results are shown with
 * the GIL held.
 * A crashed worker process breaks the pool: every unfinished future fails
 * with BrokenProcessPool and the other workers are terminated.
 * asyncio.to_thread submits to its event loop's default executor (below).
 * Simplifications: process pools have no call queue of their own; the
 * manager thread is not modelled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/aio.h"
#include "model/exec.h"
#include "model/fail.h"
#include "model/gilhost.h"
#include "model/life.h"
#include "model/pool.h"
#include "model/sync.h"
#include "model/thread.h"
#include "model/trace.h"

/* max_workers when the program does not say (concurrent.futures docs). */
static int default_workers(const sim_t *s, enum pool_kind kind)
{
    int cpus = s->os.ncores;
    if (kind == POOL_PROCESS)
        return cpus;
    if (s->cfg->python.version < 308)
        return cpus * 5;
    return cpus + 4 < 32 ? cpus + 4 : 32;
}

static void owner_died(sim_t *s, pool_t *p);
static void worker_died(sim_t *s, pool_t *p);

/* A new executor of t's process; max_workers 0: Python's default. */
static pool_t *pool_new(sim_t *s, thread_t *t, enum pool_kind kind, int max_workers,
                        enum start_method method)
{
    if (s->npools == s->cappools)        /* room first, then link at once (fail.h) */
        s->pools = sim_grow(s, s->pools, &s->cappools, sizeof *s->pools);
    pool_t *p = sim_calloc(s, 1, sizeof *p);
    p->id = s->npools;
    s->pools[s->npools++] = p;
    p->kind = kind;
    p->owner = t->proc;
    p->max_workers = max_workers > 0 ? max_workers : default_workers(s, kind);
    p->method = method == START_DEFAULT ? s->cfg->mp.start_method : method;
    p->owner_died = owner_died;
    p->worker_died = worker_died;
    return p;
}

int pool_open(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    pool_t *p = pool_new(s, t, op->pool_kind, op->max_workers, op->method);
    frame_t *f = ex_top(x);
    if (op->local >= 0)
        handles_push(s, ex_local(f, op->local), p);
    f->blocks[f->depth++] = (block_t){BLK_POOL, f->pc, 0, p};
    f->pc++;
    x->phase = 0;
    x->step = 0;
    return 1;
}

/* The pool an op submits to: its `pool:` local, else the innermost
 * with_pool block around it. */
static pool_t *pool_of(frame_t *f, const op_t *op)
{
    if (op->pool >= 0) {
        handles_t *h = ex_local(f, op->pool);
        return h->n ? h->items[h->n - 1] : NULL;
    }
    for (int d = f->depth - 1; d >= 0; d--)
        if (f->blocks[d].kind == BLK_POOL)
            return f->blocks[d].obj;
    return NULL;
}

static future_t *future_new(sim_t *s, pool_t *p, int fn, const value_t *args)
{
    if (s->futures >= s->caps.futures)
        sim_over_cap(s, "futures", s->caps.futures);
    if (p->nall == p->capall)            /* room first, then link at once (fail.h) */
        p->all = sim_grow(s, p->all, &p->capall, sizeof *p->all);
    future_t *fu = sim_calloc(s, 1, sizeof *fu);
    p->all[p->nall++] = fu;
    s->futures++;
    fu->pool = p;
    fu->call.fn = fn;
    memcpy(fu->args, args, sizeof fu->args);
    fu->label = ex_call_label(s, fn, args);
    if (p->q_tail)
        p->q_tail->next = fu;
    else
        p->q_head = fu;
    p->q_tail = fu;
    p->queued++;
    return fu;
}

static void start_worker_thread(sim_t *s, thread_t *t, pool_t *p)
{
    thread_t *w = p->loop_default                   /* thread_name_prefix='asyncio' */
                  ? thr_new(s, t->proc, "pool_worker", "asyncio_%d", p->nworkers)
                  : thr_new(s, t->proc, "pool_worker", "ThreadPoolExecutor-%d_%d", p->id,
                            p->nworkers);
    if (p->kind == POOL_INTERPRETER)
        w->gil = gilhost_new_interpreter(s, t->proc);
    w->pool = p;
    w->starter = t;
    /* Thread.start(): the same bootstrap.  Not for an interpreter pool's
     * worker: its bootstrap runs under the main interpreter's GIL, but the
     * worker here holds its own interpreter's from the start. */
    if (p->kind == POOL_THREAD)
        thr_cost(&w->base, life_bootstrap_cost(s, w));
    p->starting = w;
    p->nworkers++;
    p->live_workers++;
    thr_start(s, w);
}

static void start_worker_process(sim_t *s, thread_t *t, pool_t *p)
{
    thread_t *main_thr;
    process_t *wp = life_spawn(s, t->proc, p->method, "pool_worker", &main_thr);
    wp->pool = p;
    handles_push(s, &p->procs, wp);
    main_thr->pool = p;
    p->nworkers++;
    p->live_workers++;
    trace_log(s, t, NULL, LK_PROCESS_START, wp->name);
    thr_start(s, main_thr);
}

/* Process pools that start every worker at the first submit. */
static int eager(const sim_t *s, const pool_t *p)
{
    int v = s->cfg->python.version;
    return p->kind == POOL_PROCESS && (v <= 308 || (v >= 311 && p->method == START_FORK));
}

/* One submit: 1 = submitted, 2 = a cost is set up or the GIL is needed
 * (run on), 0 = blocked.  Uses x->phase; out (may be NULL) receives the
 * future. */
static int submit_one(sim_t *s, thread_t *t, exec_t *x, pool_t *p, int fn,
                      const value_t *args, handles_t *out)
{
    if (!gil_may_run(t->gil, &t->gthr)) {
        t->restore_gil = 1;      /* submit is Python code */
        return 2;
    }
    if (x->phase == 0) {
        if (p->broken || p->shutdown) {
            x->exc = p->broken ? "BrokenProcessPool" : "RuntimeError";
            return 2;
        }
        future_t *fu = future_new(s, p, fn, args);
        if (out)
            handles_push(s, out, fu);
        sync_wake_one(s, &p->idle_workers);
        if (p->nworkers >= p->max_workers)
            return 1;
        if (!eager(s, p) && p->idle > 0) {
            p->idle--;
            return 1;
        }
        x->phase = 1;
        thr_cost(x, p->kind == POOL_THREAD ? s->cfg->python.thread_start
                    : p->method == START_SPAWN ? s->cfg->mp.spawn_parent
                    : s->cfg->mp.fork_parent);
        return 2;
    }
    if (x->phase == 1) {
        if (p->kind == POOL_PROCESS) {
            start_worker_process(s, t, p);
            if (eager(s, p) && p->nworkers < p->max_workers) {
                thr_cost(x, p->method == START_SPAWN ? s->cfg->mp.spawn_parent
                                                     : s->cfg->mp.fork_parent);
                return 2;        /* the next worker, still in phase 1 */
            }
            x->phase = 0;
            return 1;
        }
        start_worker_thread(s, t, p);
        x->phase = 2;
    }
    if (!sync_wait(s, t, p->starting->started, NULL, "start"))
        return 0;
    x->phase = 0;
    return 1;
}

int pool_submit(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    frame_t *f = ex_top(x);
    pool_t *p = pool_of(f, op);
    while (x->phase != 0 || x->step < ex_count(f, op)) {
        value_t args[FUNC_MAX_PARAMS];
        ex_resolve_args(&op->call, f, args);
        handles_t *out = op->local >= 0 ? ex_local(f, op->local) : NULL;
        int r = submit_one(s, t, x, p, op->call.fn, args, x->phase == 0 ? out : NULL);
        if (r != 1)
            return r == 2;
        x->step++;
    }
    ex_op_done(x);
    return 1;
}

/* asyncio.to_thread(f, *args) is loop.run_in_executor(None, f, *args)
 * (Lib/asyncio/threads.py, base_events.py).  The loop's default executor,
 * ThreadPoolExecutor(thread_name_prefix='asyncio') with the default
 * max_workers (min(32, cores + 4) from 3.8), is made at the first use and
 * takes the call as submit() does, starting a worker while none is idle
 * and there are fewer than max_workers; the task awaits the wrapped future
 * while the loop runs its other tasks.  The worker's result reaches the
 * loop by call_soon_threadsafe, a self-pipe write that wakes select: the
 * task is ready again (aio_await).  asyncio.run() ends with
 * shutdown_default_executor(): the workers finish the queue and exit, and
 * asyncio.run returns when the last one has. */
static int shutdown_default(sim_t *s, thread_t *t, loop_t *l)
{
    return pool_close(s, t, &t->base, l->executor);
}

int pool_to_thread(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    loop_t *l = t->loop;
    if (!l->executor) {
        l->executor = pool_new(s, t, POOL_THREAD, 0, START_DEFAULT);
        l->executor->loop_default = 1;
        l->executor_shutdown = shutdown_default;
    }
    if (x->step == 0) {                  /* submit, once */
        value_t args[FUNC_MAX_PARAMS];
        ex_resolve_args(&op->call, ex_top(x), args);
        int r = submit_one(s, t, x, l->executor, op->call.fn, args, x->phase == 0 ? &x->tmp : NULL);
        if (r != 1)
            return r == 2;
        x->step = 1;
    }
    future_t *fu = x->tmp.items[0];
    if (fu->state != FUT_DONE)
        return aio_await(s, t, x->task, &fu->waiters, "to_thread");
    const char *exc = fu->exc;           /* the task resumed: f's exception is raised here */
    ex_op_done(x);
    x->exc = exc;
    return 1;
}

static void note_done(sim_t *s, future_t *fu);

/* Cancels the futures of list h that have not started (map's finally). */
static void cancel_pending(sim_t *s, pool_t *p, handles_t *h)
{
    for (int i = 0; i < h->n; i++) {
        future_t *fu = h->items[i];
        if (fu->state != FUT_PENDING)
            continue;
        future_t **pp = &p->q_head, *prev = NULL;
        while (*pp && *pp != fu) {
            prev = *pp;
            pp = &(*pp)->next;
        }
        if (*pp) {
            *pp = fu->next;
            if (p->q_tail == fu)
                p->q_tail = prev;
            p->queued--;
        }
        fu->state = FUT_DONE;
        fu->exc = "CancelledError";
        fu->done_seq = ++s->done_seq;
        note_done(s, fu);
        sync_wake_all(s, &fu->waiters);
    }
}

static void show_result(sim_t *s, thread_t *t, exec_t *x, future_t *fu)
{
    const char *task = x->task ? x->task->name : NULL;
    if (!fu->exc) {
        trace_log(s, t, task, LK_RESULT, fu->label);
        return;
    }
    char *msg = sim_printf(s, "%s raised %s", fu->label, fu->exc);
    trace_log(s, t, task, LK_EXCEPTION, msg);
    free(msg);
    x->exc = fu->exc;
}

/* map: submit every item, then results in input order. */
int pool_map(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    frame_t *f = ex_top(x);
    pool_t *p = pool_of(f, op);
    while (x->phase != 0 || x->tmp.n < op->nover) {
        value_t args[FUNC_MAX_PARAMS];
        ex_resolve_args(&op->call, f, args);
        args[0] = op->over[x->tmp.n < op->nover ? x->tmp.n : op->nover - 1];
        int r = submit_one(s, t, x, p, op->call.fn, args, x->phase == 0 ? &x->tmp : NULL);
        if (r != 1)
            return r == 2;
    }
    for (; x->step < x->tmp.n; x->step++) {
        future_t *fu = x->tmp.items[x->step];
        if (fu->state != FUT_DONE)
            return sync_wait(s, t, 0, &fu->waiters, "result");
        if (!gil_may_run(t->gil, &t->gthr)) {
            t->restore_gil = 1;  /* print(result) is Python code */
            return 1;
        }
        show_result(s, t, x, fu);
        if (x->exc) {
            cancel_pending(s, p, &x->tmp);
            return 1;
        }
    }
    ex_op_done(x);
    return 1;
}

static int by_done_seq(const void *a, const void *b)
{
    uint64_t x = (*(future_t *const *)a)->done_seq, y = (*(future_t *const *)b)->done_seq;
    return (x > y) - (x < y);
}

/* as_completed's queue of done futures: fu once (a future listed twice
 * is yielded once), after those done before it. */
static void queue_done(sim_t *s, exec_t *x, future_t *fu)
{
    if (!x->tmp.n || ((future_t *)x->tmp.items[x->tmp.n - 1])->done_seq != fu->done_seq)
        handles_push(s, &x->tmp, fu);
}

/* fu is done: each as_completed waiting on it (one entry per time it is
 * listed) queues it; the wake-ups follow. */
static void note_done(sim_t *s, future_t *fu)
{
    for (int i = fu->waiters.head; i < fu->waiters.n; i++) {
        waiter_t w = fu->waiters.w[i];
        exec_t *x = w.thread && !w.task ? w.thread->cur : NULL;
        if (x && w.ticket == x->ticket && ex_op(x)->kind == OP_AS_COMPLETED) {
            x->pending--;
            queue_done(s, x, fu);
        }
    }
}

/* as_completed: each future once, in completion order.  The consumer
 * registers on every pending future once per op (the entries stay valid
 * for the whole op); a future's completion queues it for the consumer
 * (note_done), so each costs O(1), and the futures done before the op
 * began are sorted once. */
int pool_as_completed(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    handles_t *h = ex_local(ex_top(x), op->local);
    if (x->phase == 0) {
        x->phase = 1;
        for (int i = 0; i < h->n; i++) {
            future_t *fu = h->items[i];
            if (fu->state != FUT_DONE) {
                sync_add(&fu->waiters, t, NULL);
                x->pending++;
            } else {
                handles_push(s, &x->tmp, fu);
            }
        }
        if (x->tmp.n > 1)
            qsort(x->tmp.items, (size_t)x->tmp.n, sizeof *x->tmp.items, by_done_seq);
        int kept = 0;
        for (int i = 0; i < x->tmp.n; i++)
            if (!kept || x->tmp.items[kept - 1] != x->tmp.items[i])
                x->tmp.items[kept++] = x->tmp.items[i];
        x->tmp.n = kept;
    }
    for (;;) {
        future_t *next = x->step < x->tmp.n ? x->tmp.items[x->step] : NULL;
        if (!next && x->pending)
            return sync_wait(s, t, 0, NULL, "as_completed");
        if (!gil_may_run(t->gil, &t->gthr)) {
            t->restore_gil = 1;
            return 1;
        }
        if (!next) {
            ex_op_done(x);
            return 1;
        }
        x->step++;
        show_result(s, t, x, next);
        if (x->exc)
            return 1;
    }
}

static void future_done(sim_t *s, future_t *fu, const char *exc)
{
    fu->state = FUT_DONE;
    fu->exc = exc;
    fu->done_seq = ++s->done_seq;
    note_done(s, fu);
    sync_wake_all(s, &fu->waiters);
}

static int worker_exit(sim_t *s, thread_t *t, pool_t *p)
{
    p->live_workers--;
    t->pool = NULL;
    if (t->proc->pool == p)
        t->proc->pool = NULL;    /* a later crash of the process is not the pool's */
    sync_wake_all(s, &p->shutdown_waiters);
    life_exit(s, t, NULL);
    return 0;
}

int pool_worker_next(sim_t *s, thread_t *t, const char *exc)
{
    pool_t *p = t->pool;
    exec_t *x = &t->base;
    future_t *done = t->item;
    if (done) {
        if (p->kind != POOL_THREAD && x->phase == 0 && !p->broken) {
            x->phase = 1;                  /* pickle the result */
            t->item_exc = exc;
            return thr_cost(x, s->cfg->python.pickle);
        }
        if (x->phase == 1)
            exc = t->item_exc;
        x->phase = 0;
        t->item_exc = NULL;
        t->item = NULL;
        if (done->state != FUT_DONE)
            future_done(s, done, exc);
        p->idle++;                         /* _idle_semaphore.release() */
    }
    if (p->q_head && !p->broken) {
        future_t *fu = p->q_head;
        p->q_head = fu->next;
        if (!p->q_head)
            p->q_tail = NULL;
        p->queued--;
        fu->state = FUT_RUNNING;
        t->item = fu;
        sync_wait(s, t, 1, NULL, NULL);
        ex_push_values(x, s->cfg, fu->call.fn, fu->args);
        if (p->kind != POOL_THREAD)
            thr_cost(x, st_mul(s->cfg->python.pickle, s->cfg->functions[fu->call.fn].nparams));
        return 1;
    }
    if (p->shutdown || p->broken)
        return worker_exit(s, t, p);
    return sync_wait(s, t, 0, &p->idle_workers, "pool_get");
}

int pool_close(sim_t *s, thread_t *t, exec_t *x, pool_t *p)
{
    (void)x;
    if (!p->shutdown) {
        p->shutdown = 1;
        sync_wake_all(s, &p->idle_workers);
    }
    return sync_wait(s, t, p->live_workers == 0, &p->shutdown_waiters, "shutdown");
}

/* The owner crashed: the workers see EOF on the call queue. */
static void owner_died(sim_t *s, pool_t *p)
{
    p->shutdown = 1;
    sync_wake_all(s, &p->idle_workers);
}

static void worker_died(sim_t *s, pool_t *p)
{
    if (p->broken) {             /* one of the workers terminated below */
        p->live_workers--;
        sync_wake_all(s, &p->shutdown_waiters);
        return;
    }
    p->broken = 1;
    p->live_workers--;
    for (int i = 0; i < p->nall; i++)
        if (p->all[i]->state != FUT_DONE)
            future_done(s, p->all[i], "BrokenProcessPool");
    p->q_head = p->q_tail = NULL;
    p->queued = 0;
    sync_wake_all(s, &p->idle_workers);
    sync_wake_all(s, &p->shutdown_waiters);
    for (int i = 0; i < p->procs.n; i++) {          /* the manager terminates them */
        process_t *wp = p->procs.items[i];
        if (!wp->done && wp->pool == p)
            life_crash(s, wp, "terminated: the pool is broken");
    }
}

void pool_free(pool_t *p)
{
    for (int i = 0; i < p->nall; i++) {
        sync_free(&p->all[i]->waiters);
        free(p->all[i]->label);
        free(p->all[i]);
    }
    free(p->all);
    free(p->procs.items);
    sync_free(&p->idle_workers);
    sync_free(&p->shutdown_waiters);
    free(p);
}
