/* shared.c — shared variables and their non-atomic updates.
 *
 * `update: v` is `v += 1` on a module-level variable; with `call: true` it
 * is `v += f()`, f a Python function returning 1.  CPython runs it as
 * opcodes, each `python.opcode_time` of CPU holding the GIL (3.11's
 * bytecode; 3.10's has no PRECALL and no RESUME):
 *
 *   v += 1     LOAD_GLOBAL v | LOAD_CONST 1 | BINARY_OP += | STORE_GLOBAL v
 *   v += f()   LOAD_GLOBAL v | LOAD_GLOBAL f | PRECALL | CALL |
 *              (in f: RESUME | LOAD_CONST 1 | RETURN_VALUE) | BINARY_OP += | STORE_GLOBAL v
 *
 * The variable is loaded by the first opcode and stored by the last.  If
 * the thread drops the GIL between them, other threads may store to it
 * meanwhile; its own store then writes what it loaded + 1 over theirs, and
 * every increment overwritten is a lost update (value - loaded at the
 * store).  So the final value is the updates stored minus those lost.
 * That difference can be negative for one store: another thread's stale
 * store lowered the variable after this load, and this store gives some
 * of those increments back.  The variable keeps the net count (summary.csv);
 * a thread counts only the increments its stores wrote over (threads.csv),
 * so the threads' counts add up to at least the net one.
 *
 * Whether a drop can fall inside is where the eval loop checks for a drop
 * request (its eval breaker):
 *   - up to 3.9 before nearly every opcode, so also before STORE_GLOBAL;
 *   - from 3.10 only at back edges (JUMP_BACKWARD), RESUME and calls: a
 *     plain `v += 1` has none inside, `v += f()` has f's RESUME.
 * One check point is modelled inside the window: the last one before the
 * store (3.9), or f's RESUME (3.10+).  A drop request that arrives
 * between the load and it is honoured there, as it would be at the first
 * of 3.9's several; the op's start is a check point as every op's is
 * (the loop's back edge before it).  In the free-threaded build there is
 * no GIL to drop: threads overlap between load and store in real time. */
#include "model/shared.h"
#include "model/exec.h"

/* The update's opcodes and the one check point between its load and store
 * (the opcodes run before it; 0: none). */
static int update_opcodes(const config_t *cfg, const op_t *op, int *check_after)
{
    int v311 = cfg->python.version >= 311;
    int call_ops = v311 ? 3 : 2;       /* LOAD_GLOBAL f, (PRECALL,) CALL */
    int callee_ops = v311 ? 3 : 2;     /* (RESUME,) LOAD_CONST, RETURN_VALUE */
    int n = 3 + (op->rhs_call ? call_ops + callee_ops : 1);

    if (cfg->python.version <= 309)
        *check_after = n - 1;          /* before STORE_GLOBAL */
    else
        *check_after = op->rhs_call ? 1 + call_ops : 0;   /* f's RESUME */
    return n;
}

simtime_t shared_update_time(const config_t *cfg, const op_t *op)
{
    int check_after;
    return st_mul(cfg->python.opcode_time, update_opcodes(cfg, op, &check_after));
}

simtime_t shared_to_checkpoint(const config_t *cfg, const exec_t *x, const op_t *op)
{
    int check_after;
    (void)update_opcodes(cfg, op, &check_after);
    simtime_t done = x->op_total - x->op_left;     /* since the load */
    simtime_t check = st_mul(cfg->python.opcode_time, check_after);
    if (x->phase == 0)
        return 0;                      /* the op's start, before the load (a drop request
                                          arriving as the load happens waits for the next) */
    if (check_after > 0 && done <= check)
        return check - done;
    return SIMTIME_NEVER;
}

void shared_touch(thread_t *t, exec_t *x)
{
    const op_t *op = x->cost ? NULL : ex_op(x);
    if (!op || op->kind != OP_UPDATE)
        return;
    shared_t *v = &t->proc->objects[op->object].shared;
    if (x->phase == 0) {               /* LOAD_GLOBAL */
        x->phase = 1;
        x->step = v->value;
    }
    if (x->op_left == 0) {             /* STORE_GLOBAL */
        int64_t lost = v->value - x->step;
        v->value = x->step + 1;
        v->updates++;
        v->lost += lost;
        if (lost > 0)            /* below 0: a stale store lowered it since this load, */
            t->lost_updates += (uint64_t)lost;   /* and this store gives some back */
    }
}
