/* flow.c — a thread's control flow: blocks (repeat, try/except, with),
 * calls, marks and raised exceptions, over the frames of exec.c.  No time
 * passes here: each op moves pc, opens or closes a block, or unwinds; the
 * interpreter (thread.c) runs the timed work between.  Leaving a pool's or
 * a lock's block goes to its room (s->rooms->block_left), which may block
 * the thread: then the op runs again when it is woken. */
#include "model/flow.h"
#include "model/rooms.h"
#include "model/exec.h"
#include "model/effects.h"
#include "model/trace.h"
#include "model/warmup.h"

static int open_block(frame_t *f, enum block_kind kind, void *obj, int64_t left)
{
    f->blocks[f->depth++] = (block_t){kind, f->pc, left, obj};
    f->pc++;
    return 1;
}

int flow_op_repeat(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    frame_t *f = ex_top(x);
    int64_t n = ex_count(f, op);
    (void)s;
    (void)t;
    if (n == 0) {
        f->pc = op->body_end;
        return 1;
    }
    return open_block(f, BLK_REPEAT, NULL, n);
}

/* pc reached the end of the innermost block. */
static int close_block(sim_t *s, thread_t *t, exec_t *x, frame_t *f)
{
    block_t *b = &f->blocks[f->depth - 1];
    const op_t *opener = &f->prog->ops[b->pc];
    switch (b->kind) {
    case BLK_REPEAT:
        warm_back_edge(s, x->proc, f);
        if (b->left == REPEAT_FOREVER || --b->left > 0) {
            f->pc = b->pc + 1;
            return 1;
        }
        break;
    case BLK_POOL:
    case BLK_LOCK:
        if (!s->rooms->block_left(s, t, x, b))
            return 0;
        break;
    case BLK_TRY:
        f->pc = opener->except_end;
        break;
    case BLK_EXCEPT:
        break;
    }
    f->depth--;
    return 1;
}

/* Unwinds the raised exception to the nearest try, releasing locks on the
 * way; past the last frame it ends the exec. */
int flow_unwind(sim_t *s, thread_t *t, exec_t *x)
{
    ex_op_reset(x);
    for (frame_t *f; (f = ex_top(x));) {
        while (f->depth > 0) {
            block_t *b = &f->blocks[f->depth - 1];
            /* a lock is released; Executor.__exit__ waits for the
             * workers, exception or not */
            if ((b->kind == BLK_POOL || b->kind == BLK_LOCK) && !s->rooms->block_left(s, t, x, b))
                return 0;
            f->depth--;
            if (b->kind == BLK_TRY) {
                f->pc = f->prog->ops[b->pc].body_end;
                f->blocks[f->depth++] = (block_t){BLK_EXCEPT, b->pc, 0, NULL};
                x->exc = NULL;
                return 1;
            }
        }
        ex_pop(x);
    }
    const char *exc = x->exc;
    x->exc = NULL;
    return s->rooms->exec_ended(s, t, x, exc);
}

/* ex_op found no op: the innermost block or the function has ended. */
int flow_at_end(sim_t *s, thread_t *t, exec_t *x)
{
    frame_t *f = ex_top(x);
    if (f && f->depth > 0)
        return close_block(s, t, x, f);
    if (f)
        ex_pop(x);
    return ex_done(x) ? s->rooms->exec_ended(s, t, x, NULL) : 1;
}

int flow_op_try(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    (void)s;
    (void)t;
    (void)op;
    return open_block(ex_top(x), BLK_TRY, NULL, 0);
}

int flow_op_raise(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    int raises = op->probability >= 1.0 || rng_unit(&s->rng) < op->probability;
    ex_op_done(x);
    if (raises) {
        x->exc = op->text;
        trace_log(s, t, x->task ? x->task->name : NULL, LK_RAISE, op->text);
    }
    return 1;
}

int flow_op_call(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    frame_t *caller = ex_top(x);
    (void)t;
    value_t args[FUNC_MAX_PARAMS];
    ex_resolve_args(&op->call, caller, args);
    ex_op_done(x);
    ex_push_values(x, s->cfg, op->call.fn, args);
    return 1;
}

int flow_op_mark(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    eff_mark(s, op->text);
    trace_log(s, t, x->task ? x->task->name : NULL, LK_MARK, op->text);
    ex_op_done(x);
    return 1;
}
