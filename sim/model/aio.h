/* aio.h — asyncio event loops and tasks.  Op handlers follow thread.h's
 * convention: 1 = go on, 0 = blocked. */
#ifndef GILSIM_AIO_H
#define GILSIM_AIO_H

#include "model/model.h"

int  aio_run(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  aio_await_timed(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  aio_await_call(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  aio_create_task(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  aio_gather(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
/* Task k, running on t's loop, awaits what another room completes (a
 * future): it waits on wl, whose wake-up makes it ready (the loop's select
 * wakes up, as call_soon_threadsafe's self-pipe write does); `what` is the
 * trace's word.  The loop goes on: returns 1. */
int  aio_await(sim_t *s, thread_t *t, task_t *k, waitlist_t *wl, const char *what);
/* t runs a loop and no task: the loop picks the next one, or waits in
 * select. */
int  aio_loop_step(sim_t *s, thread_t *t);
/* Task k's coroutine returned (exc: the exception it raised, or NULL). */
void aio_task_finished(sim_t *s, thread_t *t, task_t *k, const char *exc);
/* The loop's thread was killed: its tasks end, no timer may wake it. */
void aio_kill(sim_t *s, loop_t *l);
/* The run ends now: every unfinished task's current state counts up to
 * this moment. */
void aio_close_run(sim_t *s);
void aio_free(loop_t *l);

#endif
