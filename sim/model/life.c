/* life.c — threads and processes started, joined, ended and crashed by a
 * program, and the memory estimate of what is alive.
 *
 * threading.Thread.start() (CPython 3.11): creates the OS thread
 * (pthread_create, with the GIL held), then waits on the new thread's
 * `_started` event, which the new thread sets in its bootstrap — after it
 * has taken the GIL and, in 3.10-3.12, run _maintain_shutdown_locks(),
 * which scans the shutdown lock of every live non-daemon thread.  So a
 * start costs the starter `python.thread_start` of CPU and a wait that
 * lasts until the new thread has the GIL and has run its bootstrap
 * (`python.thread_bootstrap`) and that scan (`python.shutdown_scan` per
 * live non-daemon thread); with CPU-bound threads running, the wait can be
 * a whole switch interval.  A thread pool's worker starts the same way.
 *
 * multiprocessing.Process.start() returns once the child exists: the
 * parent pays fork_parent or spawn_parent, the child pays fork_child or
 * spawn_child before its target runs (interpreter start-up for spawn).
 * A process ends when its last thread ends (CPython joins non-daemon
 * threads at exit); join() waits for that.  A crash ends every thread of a
 * process at once; other processes carry on. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/exec.h"
#include "model/fail.h"
#include "model/gilhost.h"
#include "model/aio.h"
#include "model/chan.h"
#include "model/life.h"
#include "model/sync.h"
#include "model/thread.h"
#include "model/trace.h"

process_t *life_process_new(sim_t *s, process_t *parent, const char *group, const char *fmt, ...)
{
    if (s->nprocs >= s->caps.processes)
        sim_over_cap(s, "processes", s->caps.processes);
    if (s->nprocs == s->capprocs)        /* room first, then link at once (fail.h) */
        s->procs = sim_grow(s, s->procs, &s->capprocs, sizeof *s->procs);
    process_t *p = sim_calloc(s, 1, sizeof *p);
    p->id = s->nprocs;
    s->procs[s->nprocs++] = p;
    va_list ap;
    va_start(ap, fmt);
    p->name = sim_vprintf(s, fmt, ap);
    va_end(ap);
    p->group = sim_strdup(s, group);
    p->parent = parent;
    p->finish = -1;
    p->objects = sim_calloc(s, (size_t)s->cfg->nobjects + 1, sizeof *p->objects);
    gilhost_init(&p->gil, s, p);
    p->nobjects = s->cfg->nobjects;
    for (int i = 0; i < s->cfg->nobjects; i++) {
        p->objects[i].kind = s->cfg->objects[i].kind;
        p->objects[i].queue.maxsize = s->cfg->objects[i].maxsize;
    }
    sim_alive(s, 0, 0, 1);
    return p;
}

void life_process_free(process_t *p)
{
    free(p->threads);
    free(p->code);
    sync_free(&p->joiners);
    for (int i = 0; p->objects && i < p->nobjects; i++) {
        sync_free(&p->objects[i].lock.waiters);
        sync_free(&p->objects[i].event.waiters);
        sync_free(&p->objects[i].queue.getters);
        sync_free(&p->objects[i].queue.putters);
        chan_free(&p->objects[i].chan);
    }
    free(p->objects);
    free(p->name);
    free(p->group);
    free(p);
}

void life_thread_started(sim_t *s, thread_t *t)
{
    t->started = 1;
    if (t->starter) {
        thread_t *st = t->starter;
        t->starter = NULL;
        sync_wake_thread(s, st);
    }
}

static void process_ended(sim_t *s, process_t *p)
{
    p->done = 1;
    p->finish = s->eng.now;
    sim_alive(s, 0, 0, -1);
    sync_wake_all(s, &p->joiners);
}

static void kill_thread(sim_t *s, thread_t *t, const char *why);

/* Python exits when its main thread has ended and no non-daemon thread is
 * left (threading._shutdown joins those); daemon threads die then. */
static void exit_if_done(sim_t *s, process_t *p)
{
    if (p->exiting || !p->main || p->main->state != TS_DONE || p->live_nondaemon > 0)
        return;
    p->exiting = 1;
    for (int i = 0; i < p->nthreads && p->live > 0; i++)
        if (p->threads[i]->state != TS_DONE)
            kill_thread(s, p->threads[i], "daemon");
}

/* t is done: its joiners and starter go on, its process may end. */
static void thread_ended(sim_t *s, thread_t *t)
{
    process_t *p = t->proc;
    sync_wake_all(s, &t->joiners);
    if (t->starter)
        life_thread_started(s, t);       /* a starter must not wait forever */
    sim_alive(s, -1, 0, 0);
    p->live_nondaemon -= !t->daemon;
    --s->live;
    if (p->finalize == FIN_JOINING && p->live_nondaemon == 1)
        sync_wake_thread(s, p->main);    /* the last non-daemon thread ended */
    if (--p->live == 0)
        process_ended(s, p);
    else
        exit_if_done(s, p);
    if (s->live == 0)
        eng_stop(&s->eng);
}

/* Py_FinalizeEx as the other threads of the process see it (the main
 * thread's program has ended; exc: the exception that ended it):
 *   1. threading._shutdown joins the non-daemon threads, the GIL released
 *      meanwhile (TS_SYNC_WAIT LIFE_FINAL_JOIN);
 *   2. the main thread takes the GIL back like any thread — a daemon
 *      thread holding it runs on until the interval's drop request;
 *   3. the runtime is marked finalizing (_PyRuntimeState_SetFinalizing)
 *      and torn down for python.finalize, GIL held.  Meanwhile a daemon
 *      thread runs on — in C code, I/O, a sleep — until it next enters
 *      take_gil, where it exits (tstate_must_exit, gil.h), holding
 *      nothing;
 *   4. the process exits: the daemon threads still alive die with it.
 * CPython does this at every exit, so python.finalize is always paid.
 * With no daemon thread alive and no teardown to spend (python.finalize
 * 0, the default) the steps are skipped, a simplification: the main
 * thread ends at its program's end and the process as its other threads
 * finish, as in the runs made before python.finalize was paid at every
 * exit; CPython's main thread would still wait in the join and take the
 * GIL back.  Returns 1 when the main thread is done with it (it
 * exits now), 0 with *go: 1 to run again (the GIL to take back first, or
 * the teardown to spend), 0 while it waits. */
static int finalized(sim_t *s, thread_t *t, const char *exc, int *go)
{
    process_t *p = t->proc;
    if (p->finalize == FIN_NONE && p->live == p->live_nondaemon && s->cfg->python.finalize == 0)
        return 1;
    if (p->finalize == FIN_TEARDOWN)
        return 1;
    if (exc)
        t->exit_exc = exc;
    p->finalize = FIN_JOINING;
    *go = sync_wait(s, t, p->live_nondaemon <= 1, NULL, LIFE_FINAL_JOIN);
    if (!*go || !gil_may_run(t->gil, &t->gthr))
        return 0;                /* joining, or the GIL to take back first */
    p->finalize = FIN_TEARDOWN;
    thr_cost(&t->base, s->cfg->python.finalize);
    return 0;
}

int life_exit(sim_t *s, thread_t *t, const char *exc)
{
    int go = 0;
    if (t->is_main && !finalized(s, t, exc, &go))
        return go;
    thr_exit(s, t, exc ? exc : t->exit_exc);
    thread_ended(s, t);
    return 0;
}

void life_exit_in_take_gil(sim_t *s, thread_t *t)
{
    kill_thread(s, t, "finalizing");
}

/* Its event loop's tasks end with it. */
static void kill_thread(sim_t *s, thread_t *t, const char *why)
{
    if (t->loop)
        aio_kill(s, t->loop);
    thr_kill(s, t, why);
    thread_ended(s, t);
}

static const char *target_name(const sim_t *s, const op_t *op)
{
    return s->cfg->functions[op->call.fn].name;
}

/* The new thread's bootstrap before it sets `_started`, GIL held:
 * `python.thread_bootstrap` (Thread._bootstrap_inner's Python and the C
 * behind it); and Lib/threading.py's
 * _set_tstate_lock() calls _maintain_shutdown_locks() for a non-daemon
 * thread, a list comprehension over _shutdown_locks, which holds the lock
 * of every live non-daemon thread (bpo-37788, 3.10 to 3.12; 3.13 replaced
 * the shutdown locks with thread handles). */
simtime_t life_bootstrap_cost(const sim_t *s, const thread_t *child)
{
    int v = s->cfg->python.version;
    simtime_t own = s->cfg->python.thread_bootstrap;
    if (child->daemon || v < 310 || v > 312)
        return own;
    return st_add(own, st_mul(s->cfg->python.shutdown_scan, child->proc->live_nondaemon));
}

/* start: {target, args, count, name, as} */
int life_start_thread(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    frame_t *f = ex_top(x);
    if (x->step >= ex_count(f, op)) {
        x->tmp.n = 0;
        ex_op_done(x);
        return 1;
    }
    if (x->phase == 0) {
        x->phase = 1;
        return thr_cost(x, s->cfg->python.thread_start);
    }
    if (x->phase == 1) {
        const char *group = op->text ? op->text : target_name(s, op);
        thread_t *child;
        if (op->text && ex_count(f, op) == 1)
            child = thr_new(s, t->proc, group, "%s", op->text);
        else if (op->text)
            child = thr_new(s, t->proc, group, "%s-%lld", op->text, (long long)x->step);
        else
            child = thr_new(s, t->proc, group, "Thread-%d", ++s->thread_ids);
        child->daemon = op->daemon;
        thr_cost(&child->base, life_bootstrap_cost(s, child));
        ex_push_call(&child->base, s->cfg, &op->call, f);
        child->starter = t;
        if (op->local >= 0)
            handles_push(s, ex_local(f, op->local), child);
        handles_push(s, &x->tmp, child);
        thr_start(s, child);
        x->phase = 2;
    }
    thread_t *child = x->tmp.items[x->tmp.n - 1];
    if (!sync_wait(s, t, child->started, NULL, "start"))
        return 0;
    x->step++;
    x->phase = 0;
    return 1;
}

static simtime_t parent_cost(const sim_t *s, enum start_method m)
{
    return m == START_SPAWN ? s->cfg->mp.spawn_parent : s->cfg->mp.fork_parent;
}

/* A spawned child starts an interpreter and re-runs the parent's __main__,
 * importing its modules again (include/imports.def); a forked one inherits
 * them. */
static simtime_t child_cost(const sim_t *s, enum start_method m)
{
    if (m == START_SPAWN)
        return st_add(s->cfg->mp.spawn_child, cfg_imports_cost(s->cfg->python.imports));
    return s->cfg->mp.fork_child;
}

/* A new process whose main thread first pays the start-up cost. */
process_t *life_spawn(sim_t *s, process_t *parent, enum start_method m, const char *group,
                      thread_t **main_out)
{
    process_t *p = life_process_new(s, parent, group, "Process-%d", ++s->process_ids);
    thread_t *m_thr = thr_new(s, p, "main", "MainThread");
    m_thr->is_main = 1;
    p->main = m_thr;
    thr_cost(&m_thr->base, child_cost(s, m));
    *main_out = m_thr;
    return p;
}

/* process: {target, args, count, method, as} */
int life_start_process(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    frame_t *f = ex_top(x);
    enum start_method m = op->method == START_DEFAULT ? s->cfg->mp.start_method : op->method;
    if (x->step >= ex_count(f, op)) {
        ex_op_done(x);
        return 1;
    }
    if (x->phase == 0) {
        x->phase = 1;
        return thr_cost(x, parent_cost(s, m));
    }
    thread_t *main_thr;
    process_t *p = life_spawn(s, t->proc, m, target_name(s, op), &main_thr);
    ex_push_call(&main_thr->base, s->cfg, &op->call, f);
    if (op->local >= 0)
        handles_push(s, ex_local(f, op->local), p);
    trace_log(s, t, NULL, LK_PROCESS_START, p->name);
    thr_start(s, main_thr);
    x->step++;
    x->phase = 0;
    return 1;
}

/* join: threads or processes, in start order */
int life_join(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    frame_t *f = ex_top(x);
    handles_t *h = ex_local(f, op->local);
    int procs = f->prog->local_kinds[op->local] == LOCAL_PROCESSES;
    for (; x->step < h->n; x->step++) {
        int done;
        waitlist_t *wl;
        if (procs) {
            process_t *p = h->items[x->step];
            done = p->done;
            wl = &p->joiners;
        } else {
            thread_t *th = h->items[x->step];
            done = th->state == TS_DONE;
            wl = &th->joiners;
        }
        if (!done)
            return sync_wait(s, t, 0, wl, "join");
    }
    sync_wait(s, t, 1, NULL, NULL);
    ex_op_done(x);
    return 1;
}

void life_crash(sim_t *s, process_t *p, const char *reason)
{
    if (p->done)
        return;
    char *msg = sim_printf(s, "process %s crashed: %s", p->name, reason ? reason : "");
    trace_log(s, p->main ? p->main : p->threads[0], NULL, LK_CRASH, msg);
    free(msg);
    p->crashed = 1;
    for (int i = 0; i < s->npools; i++)         /* its pools' workers see EOF */
        if (s->pools[i]->owner == p)
            s->pools[i]->owner_died(s, s->pools[i]);
    for (int i = 0; i < p->nthreads && !p->done; i++)
        if (p->threads[i]->state != TS_DONE)
            kill_thread(s, p->threads[i], "crashed");
    if (p->pool)
        p->pool->worker_died(s, p->pool);
}
