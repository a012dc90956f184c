/* thread.c — runs one thread: the ops of its current execution context.
 *
 * A thread alternates between being on a core (running) and blocked.  While
 * running it executes run(): take the GIL back if a GIL-releasing op just
 * ended (Py_END_ALLOW_THREADS), then
 *   - with an event loop and no task running, let the loop pick a task or
 *     wait in select (aio.c);
 *   - with an exception being raised, unwind to the nearest try (flow.c);
 *   - at the end of a block or a function, close it (flow.c);
 *   - else run the op at pc, through the op table (ops.c, s->rooms):
 *       cpu      needs the GIL; runs in segments that end at the op's end or
 *                at the check point where the GIL policy wants a check;
 *       native   releases the GIL and runs on the core;
 *       io/sleep release the GIL and block off-core for the duration;
 *       others   go to their room (life, aio, pool, sync), which may make
 *                the op pay CPU overhead first (thr_cost) or block.
 * The rooms are reached only through that table, never included here.
 * Check points are modelled, not simulated one by one: bytecode reaches an
 * eval-breaker check every `python.checkpoint_gap` of CPU time, counted from
 * the start of the op (a call is a check point too), so the holder's next
 * check is computed when a drop request arrives.  That keeps the event count
 * independent of the gap. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "model/fail.h"
#include <string.h>
#include "model/thread.h"
#include "model/exec.h"
#include "model/batch.h"
#include "model/flow.h"
#include "model/effects.h"
#include "model/shared.h"
#include "gil/gil.h"
#include "os/hrtimer.h"
#include "os/machine.h"
#include "model/trace.h"

const char *const thr_state_names[TS__COUNT] = {
#define EV_STATE(id, name, meaning, detail) [id] = name,
#include "events.def"
};

static void run(sim_t *s, thread_t *t);

void thr_set_state(sim_t *s, thread_t *t, enum thr_state st, const char *detail)
{
    simtime_t now = s->eng.now;
    t->state_time[t->state] += now - t->state_since;
    t->state_since = now;
    t->state = st;
    t->state_detail = detail;
    trace_state(s, t, st, detail);
}

thread_t *thr_new(sim_t *s, process_t *proc, const char *group, const char *fmt, ...)
{
    if (s->nthreads >= s->caps.threads)
        sim_over_cap(s, "threads", s->caps.threads);
    /* room in both lists first, then the thread, linked at once: sim_free
     * frees whatever a failure leaves (fail.h) */
    if (s->nthreads == s->capthreads)
        s->threads = sim_grow(s, s->threads, &s->capthreads, sizeof *s->threads);
    if (proc->nthreads == proc->cap)
        proc->threads = sim_grow(s, proc->threads, &proc->cap, sizeof *proc->threads);
    thread_t *t = sim_slab_take(s, &s->thread_memory);
    t->id = s->nthreads;
    s->threads[s->nthreads++] = t;
    proc->threads[proc->nthreads++] = t;
    t->sim = s;
    t->proc = proc;
    t->gil = &proc->gil;
    if (os_thread_init(&s->os, &t->os) < 0)
        sim_out_of_memory(s);
    t->finish = -1;
    t->woke_at = -1;
    t->state = TS_RUNNABLE;
    t->born = t->state_since = s->eng.now;
    ex_init(&t->base, s, proc, NULL);
    t->group = sim_strdup(s, group);
    va_list ap;
    va_start(ap, fmt);
    t->name = sim_vprintf(s, fmt, ap);
    va_end(ap);
    size_t policy_state = t->gil->ops->thread_size;    /* the policy's, zeroed */
    if (policy_state > sizeof t->gthr.room)
        t->gthr.state = sim_calloc(s, 1, policy_state);
    else if (policy_state)
        t->gthr.state = t->gthr.room;
    t->cur = &t->base;
    return t;
}

void thr_start(sim_t *s, thread_t *t)
{
    t->restore_gil = 1;          /* a new thread's bootstrap takes the GIL */
    t->proc->live++;
    t->proc->live_nondaemon += !t->daemon;
    s->live++;
    sim_alive(s, 1, 0, 0);
    trace_state(s, t, TS_RUNNABLE, "start");
    os_place_new(&s->os, &t->os);
    os_ready(&s->os, &t->os);
}

void thr_free(thread_t *t)
{
    ex_free(&t->base);
    free(t->base.tmp.items);
    free(t->joiners.w);
    free(t->name);
    free(t->group);
    if (t->gthr.state != t->gthr.room)
        free(t->gthr.state);
    hist_free(&t->blocking_extra);   /* t itself is the slab's (sim_free) */
}

int thr_cost(exec_t *x, simtime_t ns)
{
    if (ns <= 0)
        return 1;
    x->op_active = 1;
    x->cost = 1;
    x->op_total = x->op_left = ns;
    x->batch_left = 0;
    return 1;
}

static void op_done(thread_t *t, exec_t *x)
{
    t->ops_done++;
    ex_op_done(x);
}

void thr_exit(sim_t *s, thread_t *t, const char *exc)
{
    if (exc) {
        char *msg = sim_printf(s, "Exception in thread %s: %s", t->name, exc);
        trace_log(s, t, NULL, LK_EXCEPTION, msg);       /* whole: never cut inside a letter */
        free(msg);
    }
    if (t->gthr.has_gil)
        gil_release(t->gil, &t->gthr, DROP_EXIT);
    t->finish = s->eng.now;
    thr_block(s, t, TS_DONE, exc ? "exception" : NULL);
}

void thr_kill(sim_t *s, thread_t *t, const char *why)
{
    thr_settle(s, t, 0);         /* the loop iterations it finished count */
    (void)thr_next_gen(t);       /* whatever it waited for is void */
    os_remove(&s->os, &t->os);
    gil_kill(t->gil, &t->gthr);
    t->finish = s->eng.now;
    thr_set_state(s, t, TS_DONE, why);
}

/* Time from the op's progress to its next eval-breaker check. */
static simtime_t to_checkpoint(const sim_t *s, const exec_t *x)
{
    simtime_t gap = s->cfg->python.checkpoint_gap;
    simtime_t done = x->op_total - x->op_left;
    simtime_t into = done % gap;
    return into ? gap - into : 0;
}

static void segment_end(void *obj, uint64_t gen);

/* x's current op is a `hold` (not the CPU overhead an op pays first). */
static int in_hold(exec_t *x)
{
    const op_t *op = x->cost ? NULL : ex_op(x);
    return op && op->kind == OP_HOLD;
}

/* A policy that counts ticks (the old GIL's ticker, gil_ran) sees bytecode
 * by its CPU time, one tick per python.opcode_time.  A `hold` is a C
 * function called with the GIL held: one CALL_FUNCTION instruction however
 * long the function runs, since Python <= 3.1's eval loop (PyEval_EvalFrameEx
 * in Python/ceval.c) decrements _Py_Ticker once at the top of its for (;;)
 * per instruction dispatched (`if (--_Py_Ticker < 0)`), and the C function
 * runs inside that one dispatch.  So a hold counts one tick, when it
 * returns (op_left 0); any CPU it ran before is not ticks.  Overhead the
 * policy charged and folded into a hold (cpu_segment) is counted there. */
static simtime_t ticks_ran(const sim_t *s, exec_t *x, simtime_t ran)
{
    if (!in_hold(x))
        return ran;
    return x->op_left == 0 ? s->cfg->python.opcode_time : 0;
}

/* The length of the next bytecode segment: up to the op's end, or to the
 * point where the policy wants a check.  A `hold` (a C call holding the
 * GIL) never reaches a check point before it returns. */
static simtime_t cpu_segment(sim_t *s, thread_t *t)
{
    gil_t *g = t->gil;
    exec_t *x = t->cur;
    int hold = in_hold(x);
    if (t->gthr.owed) {          /* overhead the policy charged: the op runs longer */
        x->op_total = st_add(x->op_total, t->gthr.owed);   /* check points go on every gap */
        x->op_left = st_add(x->op_left, t->gthr.owed);     /* of the op's CPU time */
        if (hold)                /* counted as it would be in bytecode (ticks_ran) */
            gil_ran(g, &t->gthr, t->gthr.owed);
        t->gthr.owed = 0;
    }
    if (hold)
        return x->op_left;
    const op_t *op = x->cost ? NULL : ex_op(x);
    simtime_t to_check = op && op->kind == OP_UPDATE ? shared_to_checkpoint(s->cfg, x, op)
                                                     : to_checkpoint(s, x);
    if (to_check == SIMTIME_NEVER)   /* an update past its last check point */
        return x->op_left;
    simtime_t budget = gil_run_budget(g, &t->gthr, to_check);
    if (budget == SIMTIME_NEVER && x->batch_left > 0)   /* through the loop (batch.c) */
        return st_add(x->op_left, st_mul(x->batch_dur, x->batch_left));
    return budget < x->op_left ? budget : x->op_left;
}

void thr_settle(sim_t *s, thread_t *t, int at_end)
{
    if (t->state == TS_PY && t->os.core >= 0 && !t->side && t->cur &&
        t->cur->batch_left > 0) {
        batch_progress(t, t->cur, s->eng.now - t->seg_start, at_end);
        t->seg_start = s->eng.now;
    }
}

/* The running segment ends now: progress, and the policy's tick count. */
static void segment_account(sim_t *s, thread_t *t)
{
    simtime_t ran = s->eng.now - t->seg_start;
    if (t->side) {               /* no op, no bytecode: only what is left */
        t->side_left -= ran;
        return;
    }
    batch_progress(t, t->cur, ran, 0);
    if (t->state == TS_PY)
        gil_ran(t->gil, &t->gthr, ticks_ran(s, t->cur, ran));
}

static void segment_start(sim_t *s, thread_t *t, simtime_t len)
{
    t->seg_start = s->eng.now;
    eng_after(&s->eng, len, segment_end, t, thr_next_gen(t));
}

/* Side segments: CPU a thread spends on its core outside any op, which
 * no check point interrupts —
 *   SIDE_TAKE     take_gil's own cost after a contended take (gil.c),
 *                 GIL held: paid before the thread goes on, before its
 *                 bytecode or the I/O it took the GIL back for;
 *   SIDE_SYSCALL  a syscall with the GIL released (thr_loop_syscall), which
 *                 takes the GIL back when it returns.
 * Preempted, the thread runs what is left when it is back on a core. */
static void side_done(void *obj, uint64_t gen)
{
    thread_t *t = obj;
    if (t->os.gen != gen)
        return;
    if (t->side == SIDE_SYSCALL)
        t->restore_gil = 1;      /* Py_END_ALLOW_THREADS */
    t->side = SIDE_NONE;
    t->side_left = 0;
    run(t->sim, t);
}

/* Starts (or resumes) t's side segment; a contended take just made
 * starts one.  Returns 1 when there is none, 0 while it runs. */
static int side_segment(sim_t *s, thread_t *t)
{
    if (t->gthr.take_cost && t->gthr.has_gil && !t->side) {
        t->side = SIDE_TAKE;
        t->side_left = t->gthr.take_cost;
        t->gthr.take_cost = 0;
    }
    if (!t->side)
        return 1;
    enum thr_state st = t->side == SIDE_TAKE ? TS_PY : TS_NATIVE;
    if (t->state != st)
        thr_set_state(s, t, st, NULL);
    t->seg_start = s->eng.now;
    eng_after(&s->eng, t->side_left, side_done, t, thr_next_gen(t));
    return 0;
}

int thr_loop_syscall(sim_t *s, thread_t *t, simtime_t ns)
{
    t->side = SIDE_SYSCALL;
    t->side_left = ns;
    return side_segment(s, t);
}

/* Returns 0 when the segment is under way (or the thread blocked), 1 when
 * run() should go on at once (a check point reached right now). */
static int exec_cpu(sim_t *s, thread_t *t)
{
    gil_t *g = t->gil;
    if (!t->gthr.has_gil && !gil_acquire(g, &t->gthr))
        return 0;
    if (t->gthr.take_cost)
        return 1;                /* run_ops pays take_gil's cost first */
    if (t->state != TS_PY)
        thr_set_state(s, t, TS_PY, NULL);
    simtime_t len = cpu_segment(s, t);
    if (len > 0 || t->cur->op_left == 0) {
        shared_touch(t, t->cur);     /* an update's load */
        segment_start(s, t, len);
        return 0;
    }
    return gil_checkpoint(g, &t->gthr);
}

/* The system call under way (thr_syscall) goes on for what it has left. */
static int syscall_run(sim_t *s, thread_t *t, exec_t *x)
{
    thr_set_state(s, t, TS_NATIVE, NULL);
    segment_start(s, t, x->op_left);
    return 0;
}

int thr_syscall(sim_t *s, thread_t *t, exec_t *x, simtime_t ns)
{
    if (t->gthr.has_gil && !gil_release(t->gil, &t->gthr, DROP_IO))
        return 0;                /* a forced hand-off first; the handler runs again */
    x->op_active = 1;
    x->syscall = 1;
    x->op_total = x->op_left = ns;
    x->batch_left = 0;
    x->phase++;
    return syscall_run(s, t, x);
}

static void unblock(sim_t *s, thread_t *t, enum resume_kind resume, const thread_t *waker,
                    int by_timer);

/* A blocking op ended: its I/O completed, or (by_timer) a sleep's timer
 * fired and its interrupt wakes the thread (os_wake_timer). */
static void blocking_op_done(void *obj, uint64_t gen, int by_timer)
{
    thread_t *t = obj;
    if (t->os.gen != gen)
        return;
    op_done(t, t->cur);
    t->restore_gil = 1;
    unblock(t->sim, t, RESUME_RUN, NULL, by_timer);
}

static void io_done(void *obj, uint64_t gen) { blocking_op_done(obj, gen, 0); }
static void sleep_done(void *obj, uint64_t gen) { blocking_op_done(obj, gen, 1); }

int thr_op_timed(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    gil_t *g = t->gil;
    if (!x->op_active) {
        x->op_active = 1;
        simtime_t d = op->kind == OP_UPDATE ? shared_update_time(s->cfg, op)
                                            : dist_draw(ex_dur(ex_top(x), op), &s->rng);
        if ((op->kind == OP_CPU || op->kind == OP_HOLD || op->kind == OP_UPDATE)
            && gil_cpu_scale(g) != 1.0)
            d = st_scale(d, gil_cpu_scale(g));      /* the free-threaded build's slowdown */
        if (op->kind == OP_CPU && !ex_top(x)->warm)
            d = st_scale(d, s->cfg->python.unspecialized_slowdown);
        x->op_total = x->op_left = d;
        batch_plan(t, x, op, d);
    }
    switch (op->kind) {
    case OP_CPU:
    case OP_HOLD:
    case OP_UPDATE:
        return exec_cpu(s, t);
    case OP_NATIVE:
        if (t->gthr.has_gil && !gil_release(g, &t->gthr, DROP_NATIVE))
            return 0;
        thr_set_state(s, t, TS_NATIVE, NULL);
        segment_start(s, t, x->op_left);
        return 0;
    default:
        if (t->gthr.has_gil
            && !gil_release(g, &t->gthr, op->kind == OP_IO ? DROP_IO : DROP_SLEEP))
            return 0;
        int core = thr_core(t);
        thr_block(s, t, TS_BLOCKED, op->kind == OP_IO ? "io" : "sleep");
        /* A sleep is an hrtimer with the thread's timer slack, woken by
         * the timer's interrupt (os/hrtimer.c); I/O completes when its
         * data does. */
        if (op->kind == OP_SLEEP) {
            simtime_t fires = os_timer_arm(&s->os, &t->os, core, x->op_left);
            eng_after(&s->eng, fires, sleep_done, t, thr_next_gen(t));
        } else
            eng_after(&s->eng, x->op_left, io_done, t, thr_next_gen(t));
        return 0;
    }
}

static void segment_end(void *obj, uint64_t gen)
{
    thread_t *t = obj;
    if (t->os.gen != gen)
        return;
    sim_t *s = t->sim;
    exec_t *x = t->cur;
    segment_account(s, t);
    if (t->state == TS_NATIVE && x->syscall) {
        x->syscall = 0;
        x->op_active = 0;
        run(s, t);
        return;
    }
    if (t->state == TS_NATIVE) {
        op_done(t, x);
        t->restore_gil = 1;
        run(s, t);
        return;
    }
    if (x->op_left == 0) {
        if (x->cost) {
            x->cost = 0;
            x->op_active = 0;
        } else {
            shared_touch(t, x);      /* an update's store */
            op_done(t, x);
        }
    }
    if (gil_checkpoint(t->gil, &t->gthr))
        run(s, t);
}

/* A program whose loop takes no simulated time would run for ever at one
 * instant; after caps.steps_at_one_instant steps at one nanosecond
 * (caps.h) the run is stopped. */
static int spinning(sim_t *s)
{
    if (s->eng.now != s->spin_time) {
        s->spin_time = s->eng.now;
        s->spin_steps = 0;
    }
    if (++s->spin_steps < s->caps.steps_at_one_instant)
        return 0;
    sim_fail(s, SIM_ERR_USER,
             "at %lld ns the program ran %d steps without simulated time passing: a loop "
             "whose body takes no time (give it a cpu, io or sleep op)",
             (long long)s->eng.now, s->caps.steps_at_one_instant);
}

static void run_ops(sim_t *s, thread_t *t)
{
    gil_t *g = t->gil;
    for (;;) {
        if (spinning(s))
            return;
        if (t->restore_gil) {        /* Py_END_ALLOW_THREADS */
            if (!t->gthr.has_gil && !gil_acquire(g, &t->gthr))
                return;
            t->restore_gil = 0;
            eff_resumed(s, t);
        }
        if (!side_segment(s, t))     /* after a contended take, or resumed */
            return;
        exec_t *x = t->cur;
        if (!t->started && !(x && x->op_active && x->cost))   /* bootstrap done */
            s->rooms->started(s, t);
        int go;
        if (!x)
            go = s->rooms->loop_step(s, t);
        else if (x->exc)
            go = flow_unwind(s, t, x);
        else if (x->op_active && x->cost)
            go = exec_cpu(s, t);
        else if (x->op_active && x->syscall)
            go = syscall_run(s, t, x);
        else {
            const op_t *op = ex_op(x);
            go = op ? s->rooms->op[op->kind](s, t, x, op) : flow_at_end(s, t, x);
        }
        if (!go)
            return;
    }
}

/* Runs t's ops; meanwhile a failure names t and its op (fail.h).  Runs
 * may nest (a wake-up dispatches another thread at once). */
static void run(sim_t *s, thread_t *t)
{
    thread_t *outer = s->running;
    s->running = t;
    run_ops(s, t);
    s->running = outer;
}

void thr_replan(sim_t *s, thread_t *t)
{
    if (t->state != TS_PY || t->os.core < 0 || t->side)
        return;                  /* take_gil's cost is not bytecode: no check in it */
    segment_account(s, t);
    segment_start(s, t, cpu_segment(s, t));
}

/* ---- the OS: blocking, waking, and its hooks (os_hooks_t) -------------- */

void thr_block(sim_t *s, thread_t *t, enum thr_state st, const char *detail)
{
    int c = os_leave(&s->os, &t->os);
    thr_set_state(s, t, st, detail);     /* traced off-core */
    os_core_idle(&s->os, c);
}

/* by_timer: woken by its own timed wait's timer (os_wake_timer). */
static void unblock(sim_t *s, thread_t *t, enum resume_kind resume, const thread_t *waker,
                    int by_timer)
{
    if (t->state == TS_DONE)
        return;                  /* nothing wakes the dead */
    if (resume == RESUME_RUN && (t->state == TS_BLOCKED || t->state == TS_SYNC_WAIT)) {
        eff_woken(s, t);
        if (by_timer)                /* the wait was over at the timer's expiry */
            eff_starts_later(t, -t->os.timer_late);
    }
    t->resume = resume;
    t->wake_at = waker ? os_wake_sync(&s->os, &t->os, &waker->os)
               : by_timer ? os_wake_timer(&s->os, &t->os) : os_wake(&s->os, &t->os);
}

void thr_unblock(sim_t *s, thread_t *t, enum resume_kind resume)
{
    unblock(s, t, resume, NULL, 0);
}

void thr_unblock_sync(sim_t *s, thread_t *t, const thread_t *waker)
{
    unblock(s, t, RESUME_RUN, waker, 0);
}

void thr_unblock_timer(sim_t *s, thread_t *t, enum resume_kind resume)
{
    unblock(s, t, resume, NULL, 1);
}

/* On a core (after any context-switch cost): run, or first let the GIL
 * policy that blocked t see whether it may go on. */
static void dispatched(os_thread_t *ot)
{
    thread_t *t = thr_of(ot);
    if (t->resume == RESUME_GIL) {
        t->resume = RESUME_RUN;
        if (!gil_wake(t->gil, &t->gthr))
            return;
    }
    run(t->sim, t);
}

/* Off its core at a slice end: the running segment stops here. */
static void preempted(os_thread_t *ot)
{
    thread_t *t = thr_of(ot);
    sim_t *s = t->sim;
    (void)thr_next_gen(t);           /* the running segment's end is void */
    if (t->state == TS_PY || t->state == TS_NATIVE)
        segment_account(s, t);
    t->preemptions++;
    thr_set_state(s, t, TS_RUNNABLE, "preempted");
}

static void woken(os_thread_t *ot)
{
    thread_t *t = thr_of(ot);
    if (t->state != TS_RUNNABLE)
        thr_set_state(t->sim, t, TS_RUNNABLE, NULL);
}

const os_hooks_t thr_os_hooks = {
    .dispatched = dispatched,
    .preempted = preempted,
    .woken = woken,
};
