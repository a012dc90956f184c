/* thread.c — runs one thread's program, op by op.
 *
 * A thread alternates between being on a core (running) and blocked.  While
 * running it executes run(): take the GIL back if a GIL-releasing op just
 * ended (Py_END_ALLOW_THREADS), fetch the next op, and
 *   cpu     needs the GIL; runs in segments that end at the op's end or at
 *           the check point where the GIL policy wants to be asked again;
 *   native  releases the GIL (Py_BEGIN_ALLOW_THREADS) and runs on the core;
 *   io/sleep releases the GIL and blocks off-core for the duration.
 * Check points are modelled, not simulated one by one: bytecode reaches an
 * eval-breaker check every `python.checkpoint_gap` of CPU time, counted from
 * the start of the op (a call is a check point too), so the holder's next
 * check is computed when a drop request arrives.  That keeps the event count
 * independent of the gap. */
#include "thread.h"
#include "gil.h"
#include "machine.h"
#include "trace.h"

const char *const thr_state_names[TS__COUNT] = {
    [TS_RUNNABLE] = "runnable",
    [TS_PY] = "py",
    [TS_NATIVE] = "native",
    [TS_GIL_WAIT] = "gil_wait",
    [TS_SWITCH_WAIT] = "switch_wait",
    [TS_BLOCKED] = "blocked",
    [TS_DONE] = "done",
};

static void run(sim_t *s, thread_t *t);

void thr_set_state(sim_t *s, thread_t *t, enum thr_state st, const char *detail)
{
    simtime_t now = s->eng.now;
    t->state_time[t->state] += now - t->state_since;
    t->state_since = now;
    t->state = st;
    trace_state(s, t, st, detail);
}

void thr_start(sim_t *s, thread_t *t)
{
    t->restore_gil = 1;          /* a new thread's bootstrap takes the GIL */
    trace_state(s, t, TS_RUNNABLE, "start");
    os_ready(s, t);
}

/* Moves pc to the next leaf op, entering and leaving repeat loops.
 * Returns 0 when the program is over. */
static int fetch(sim_t *s, thread_t *t)
{
    const program_t *p = t->prog;
    for (;;) {
        if (t->depth > 0) {
            int head = t->loop[t->depth - 1].pc;
            if (t->pc == p->ops[head].body_end) {
                int64_t *left = &t->loop[t->depth - 1].left;
                if (*left == REPEAT_FOREVER || --*left > 0)
                    t->pc = head + 1;
                else
                    t->depth--;
                continue;
            }
        }
        if (t->pc >= p->nops)
            return 0;
        const op_t *op = &p->ops[t->pc];
        if (op->kind == OP_REPEAT) {
            t->loop[t->depth].pc = t->pc;
            t->loop[t->depth].left = op->count;
            t->depth++;
            t->pc++;
            continue;
        }
        t->op_active = 1;
        t->op_total = t->op_left = dist_draw(&op->dur, &s->rng);
        return 1;
    }
}

static void op_done(thread_t *t)
{
    t->ops_done++;
    t->op_active = 0;
    t->pc++;
}

static void finish(sim_t *s, thread_t *t)
{
    if (t->has_gil)
        gil_release(&t->proc->gil, t, DROP_EXIT);
    t->finish = s->eng.now;
    os_block(s, t, TS_DONE, NULL);
    if (--s->live == 0)
        eng_stop(&s->eng);
}

/* Time from the op's progress to its next eval-breaker check. */
static simtime_t to_checkpoint(const sim_t *s, const thread_t *t)
{
    simtime_t gap = s->cfg->python.checkpoint_gap;
    simtime_t done = t->op_total - t->op_left;
    simtime_t into = done % gap;
    return into ? gap - into : 0;
}

static void segment_end(void *obj, uint64_t gen);

static simtime_t cpu_segment(sim_t *s, thread_t *t)
{
    gil_t *g = &t->proc->gil;
    simtime_t budget = g->ops->run_budget(g, t, to_checkpoint(s, t));
    return budget < t->op_left ? budget : t->op_left;
}

static void segment_start(sim_t *s, thread_t *t, simtime_t len)
{
    t->seg_start = s->eng.now;
    eng_after(&s->eng, len, segment_end, t, thr_next_gen(t));
}

/* Returns 0 when the segment is under way (or the thread blocked), 1 when
 * run() should go on at once (a check point reached right now). */
static int exec_cpu(sim_t *s, thread_t *t)
{
    if (t->state != TS_PY)
        thr_set_state(s, t, TS_PY, NULL);
    simtime_t len = cpu_segment(s, t);
    if (len > 0 || t->op_left == 0) {
        segment_start(s, t, len);
        return 0;
    }
    return t->proc->gil.ops->checkpoint(&t->proc->gil, t);
}

static void block_io(sim_t *s, thread_t *t, const op_t *op);

static void run(sim_t *s, thread_t *t)
{
    gil_t *g = &t->proc->gil;
    for (;;) {
        if (t->restore_gil && !t->has_gil && !gil_acquire(g, t))
            return;
        t->restore_gil = 0;
        if (!t->op_active && !fetch(s, t)) {
            finish(s, t);
            return;
        }
        const op_t *op = &t->prog->ops[t->pc];
        switch (op->kind) {
        case OP_CPU:
            if (!t->has_gil && !gil_acquire(g, t))
                return;
            if (!exec_cpu(s, t))
                return;
            break;
        case OP_NATIVE:
            if (t->has_gil && !gil_release(g, t, DROP_NATIVE))
                return;
            thr_set_state(s, t, TS_NATIVE, NULL);
            segment_start(s, t, t->op_left);
            return;
        case OP_IO:
        case OP_SLEEP:
            if (t->has_gil && !gil_release(g, t, op->kind == OP_IO ? DROP_IO : DROP_SLEEP))
                return;
            block_io(s, t, op);
            return;
        case OP_REPEAT:
            return;              /* fetch never stops on a repeat */
        }
    }
}

static void io_done(void *obj, uint64_t gen)
{
    thread_t *t = obj;
    if (t->gen != gen)
        return;
    op_done(t);
    t->restore_gil = 1;
    os_wake(t->proc->gil.sim, t, RESUME_RUN);
}

static void block_io(sim_t *s, thread_t *t, const op_t *op)
{
    os_block(s, t, TS_BLOCKED, op->kind == OP_IO ? "io" : "sleep");
    eng_after(&s->eng, t->op_left, io_done, t, thr_next_gen(t));
}

static void segment_end(void *obj, uint64_t gen)
{
    thread_t *t = obj;
    if (t->gen != gen)
        return;
    sim_t *s = t->proc->gil.sim;
    t->op_left -= s->eng.now - t->seg_start;
    if (t->state == TS_NATIVE) {
        op_done(t);
        t->restore_gil = 1;
        run(s, t);
        return;
    }
    if (t->op_left == 0)
        op_done(t);
    gil_t *g = &t->proc->gil;
    if (g->ops->checkpoint(g, t))
        run(s, t);
}

void thr_dispatched(sim_t *s, thread_t *t)
{
    if (t->resume == RESUME_GIL) {
        t->resume = RESUME_RUN;
        if (!t->proc->gil.ops->wake(&t->proc->gil, t))
            return;
    }
    run(s, t);
}

void thr_preempted(sim_t *s, thread_t *t)
{
    (void)thr_next_gen(t);           /* the running segment's end is void */
    if (t->state == TS_PY || t->state == TS_NATIVE)
        t->op_left -= s->eng.now - t->seg_start;
}

void thr_replan(sim_t *s, thread_t *t)
{
    if (t->state != TS_PY || t->core < 0)
        return;
    t->op_left -= s->eng.now - t->seg_start;
    segment_start(s, t, cpu_segment(s, t));
}
