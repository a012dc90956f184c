/* ops.c — binds the interpreter to the rooms: one handler per op kind,
 * and what happens when an exec runs out of frames, a with block is left,
 * an event loop has its turn, a thread has started.
 *
 * The interpreter (thread.c) includes none of the rooms and the rooms
 * include only the helpers below them, so the model's files form no
 * cycle: thread.c, exec.c, batch.c at the bottom; sync.c, then chan.c and aio.c,
 * then life.c, then pool.c, each using those before it; this table above
 * them all, reached through the sim (s->rooms).  Adding an op: its handler
 * in its room, and its line here. */
#include "model/aio.h"
#include "model/chan.h"
#include "model/flow.h"
#include "model/life.h"
#include "model/ops.h"
#include "model/pool.h"
#include "model/sync.h"

/* crash: TEXT -- the whole process dies, this thread with it. */
static int op_crash(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    (void)x;
    life_crash(s, t->proc, op->text);
    return 0;
}

static int exec_ended(sim_t *s, thread_t *t, exec_t *x, const char *exc)
{
    if (x->task) {
        aio_task_finished(s, t, x->task, exc);
        return 1;
    }
    if (t->pool)
        return pool_worker_next(s, t, exc);
    return life_exit(s, t, exc);
}

static int block_left(sim_t *s, thread_t *t, exec_t *x, block_t *b)
{
    if (b->kind == BLK_POOL)
        return pool_close(s, t, x, b->obj);
    if (b->kind == BLK_LOCK)
        sync_lock_leave(s, b->obj);
    return 1;
}

const thr_rooms_t ops_rooms = {
    .op = {
        [OP_CPU] = thr_op_timed,
        [OP_HOLD] = thr_op_timed,
        [OP_NATIVE] = thr_op_timed,
        [OP_IO] = thr_op_timed,
        [OP_SLEEP] = thr_op_timed,
        [OP_REPEAT] = flow_op_repeat,
        [OP_CALL] = flow_op_call,
        [OP_MARK] = flow_op_mark,
        [OP_START_THREAD] = life_start_thread,
        [OP_START_PROCESS] = life_start_process,
        [OP_JOIN] = life_join,
        [OP_ASYNCIO_RUN] = aio_run,
        [OP_AWAIT_SLEEP] = aio_await_timed,
        [OP_AWAIT_IO] = aio_await_timed,
        [OP_AWAIT_CALL] = aio_await_call,
        [OP_CREATE_TASK] = aio_create_task,
        [OP_GATHER] = aio_gather,
        [OP_TO_THREAD] = pool_to_thread,
        [OP_POOL] = pool_open,
        [OP_SUBMIT] = pool_submit,
        [OP_MAP] = pool_map,
        [OP_AS_COMPLETED] = pool_as_completed,
        [OP_LOCK] = sync_lock_enter,
        [OP_EVENT_SET] = sync_event,
        [OP_EVENT_WAIT] = sync_event,
        [OP_QUEUE_PUT] = sync_queue,
        [OP_QUEUE_GET] = sync_queue,
        [OP_SEND] = chan_send,
        [OP_RECV] = chan_recv,
        [OP_UPDATE] = thr_op_timed,
        [OP_RAISE] = flow_op_raise,
        [OP_TRY] = flow_op_try,
        [OP_CRASH] = op_crash,
    },
    .exec_ended = exec_ended,
    .block_left = block_left,
    .loop_step = aio_loop_step,
    .started = life_thread_started,
    .exit_in_take_gil = life_exit_in_take_gil,
};
