/* batch.c — one-op cpu loops as one segment.
 *
 * A loop whose body is one cpu op of constant duration — `repeat: N` or
 * `forever` over `cpu: 20us`, the shape of most CPU-bound workloads — runs
 * as one segment through many iterations while the GIL policy wants no
 * check (budget never): an op's end there changes nothing but counters, so
 * the engine need not stop at each.  Whatever cuts the segment (a drop
 * request, a preemption, the end of the run) settles the counters: the ops
 * completed, the loop's iterations left, the progress of the op now
 * current.  Every time is the same as op by op; only the event count falls.
 * Any budget change reaches a running thread through thr_replan, which is
 * what makes this safe. */
#include "model/batch.h"
#include "model/exec.h"
#include "gil/gil.h"

/* A batched segment reaches at most this far ahead: a cut segment leaves
 * its end event in the queue (stale) until that time, so a long reach
 * would fill the queue with them. */
#define BATCH_REACH MS(1)

void batch_plan(thread_t *t, exec_t *x, const op_t *op, simtime_t d)
{
    frame_t *f = ex_top(x);
    if (op->kind != OP_CPU || x != &t->base || f->depth == 0 || d <= 0
        || ex_dur(f, op)->kind != DIST_CONST || !(t->gil->flags & GIL_BATCHABLE)
        || t->sim->op_by_op || !f->warm)
        return;                  /* (the old GIL counts ticks per segment, and a cold
                                    frame's back-edges warm it up: op by op) */
    const block_t *b = &f->blocks[f->depth - 1];
    if (b->kind != BLK_REPEAT || b->pc + 1 != f->pc || f->prog->ops[b->pc].body_end != f->pc + 1)
        return;
    int64_t reach = BATCH_REACH / d;
    int64_t n = b->left == REPEAT_FOREVER || b->left - 1 > reach ? reach : b->left - 1;
    if (n <= 0)
        return;
    x->batch_left = n;
    x->batch_dur = d;
}

/* The segment ran `beyond` (> 0) past the end of the current op, into the
 * loop's next iterations.  An op that ends exactly at the cut: op by op,
 * the cutting event (a slice end, a pause, a GIL timer) was queued before
 * that op's end and runs first, so the op is still current with nothing
 * left; at the end of the run (`inclusive`) the op's end event would have
 * run, since the engine runs every event up to the limit, so it counts. */
static void batch_advance(thread_t *t, exec_t *x, simtime_t beyond, int inclusive)
{
    simtime_t d = x->batch_dur;
    int64_t n = x->batch_left;
    int64_t done = inclusive ? beyond / d + 1 : (beyond + d - 1) / d;
    if (done > n)
        done = n;
    simtime_t left = done * d - beyond;
    if (left < 0)                /* inclusive, past the last iteration's end */
        left = 0;
    frame_t *f = ex_top(x);
    block_t *b = &f->blocks[f->depth - 1];
    if (b->left != REPEAT_FOREVER)
        b->left -= done;
    t->ops_done += (uint64_t)done;
    ex_op_reset(x);
    x->op_active = 1;
    x->op_total = d;
    x->op_left = left;
    x->batch_left = n - done;
    x->batch_dur = d;
}

void batch_progress(thread_t *t, exec_t *x, simtime_t ran, int inclusive)
{
    if (x->batch_left > 0 && (ran > x->op_left || (inclusive && ran == x->op_left)))
        batch_advance(t, x, ran - x->op_left, inclusive);
    else
        x->op_left -= ran;
}
