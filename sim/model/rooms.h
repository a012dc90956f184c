/* rooms.h — how the interpreter (thread.c, flow.c) reaches the rooms above
 * it (life, aio, pool, sync): the op table and a few entry points, which
 * ops.c fills and sim_build registers (s->rooms).  Op handlers follow one
 * convention: return 1 when the thread's run should go on at once, 0 when
 * the thread is blocked (something will wake it and the op runs again:
 * handlers re-check their condition, so a spurious wake-up is harmless). */
#ifndef GILSIM_ROOMS_H
#define GILSIM_ROOMS_H

#include "model/model.h"

/* Runs op, the op at x's pc, for thread t (x is t->cur). */
typedef int (*thr_op_fn)(sim_t *s, thread_t *t, exec_t *x, const op_t *op);

/* What the interpreter calls in the rooms above it. */
typedef struct thr_rooms {
    thr_op_fn op[OP__COUNT];     /* the op table: a handler per op kind */
    /* x ran out of frames (exc: the exception that ended it, or NULL): its
     * task completes, a pool worker takes its next item, or t exits. */
    int  (*exec_ended)(sim_t *s, thread_t *t, exec_t *x, const char *exc);
    /* x leaves b, a with block of its top frame (BLK_POOL, BLK_LOCK), at
     * the block's end or as an exception passes: 0 = blocked (a pool's
     * shutdown waits for its workers), and it leaves again when woken. */
    int  (*block_left)(sim_t *s, thread_t *t, exec_t *x, block_t *b);
    /* t runs an event loop and no task: the loop's turn. */
    int  (*loop_step)(sim_t *s, thread_t *t);
    /* t ran its bootstrap (it took the GIL once). */
    void (*started)(sim_t *s, thread_t *t);
    /* t reached take_gil while its process finalizes: it exits there. */
    void (*exit_in_take_gil)(sim_t *s, thread_t *t);
} thr_rooms_t;

#endif
