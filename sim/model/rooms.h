/* rooms.h — the op handlers and hooks of the construct rooms, called by the
 * interpreter (thread.c).  Each handler follows thread.h's convention:
 * 1 = go on, 0 = the thread is blocked and the op will run again. */
#ifndef GILSIM_ROOMS_H
#define GILSIM_ROOMS_H

#include "model/model.h"

/* life.c — threads and processes */
int  life_start_thread(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  life_start_process(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  life_join(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
void life_thread_started(sim_t *s, thread_t *t);
void life_thread_ended(sim_t *s, thread_t *t);
void life_crash(sim_t *s, process_t *p, const char *reason);
/* The process is linked into the sim before its name (the format's) is
 * made, so nothing leaks if that fails (fail.h). */
process_t *life_process_new(sim_t *s, process_t *parent, const char *group, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void life_process_free(process_t *p);
/* A new process (fork or spawn) whose main thread, not yet started, first
 * pays the child's start-up cost; the caller gives it work and starts it. */
process_t *life_spawn(sim_t *s, process_t *parent, enum start_method m, const char *group,
                      thread_t **main_out);
/* Live-object counts and the memory estimate. */
void life_mem(sim_t *s, int64_t dthreads, int64_t dtasks, int64_t dprocs);

/* aio.c — asyncio event loops and tasks */
int  aio_run(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  aio_loop_step(sim_t *s, thread_t *t);
int  aio_await_timed(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  aio_await_call(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  aio_create_task(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  aio_gather(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
void aio_task_finished(sim_t *s, thread_t *t, task_t *k, const char *exc);
int  aio_wake_task(sim_t *s, task_t *k);
void aio_free(loop_t *l);
/* The loop's thread was killed: its tasks end, no timer may wake it. */
void aio_kill(sim_t *s, loop_t *l);

/* pool.c — concurrent.futures */
int  pool_open(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  pool_close(sim_t *s, thread_t *t, exec_t *x, pool_t *p);
void pool_abandon(sim_t *s, pool_t *p);
int  pool_submit(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  pool_map(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  pool_as_completed(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
/* A worker finished its item (exc or NULL) or just started: next item. */
int  pool_worker_next(sim_t *s, thread_t *t, const char *exc);
void pool_worker_died(sim_t *s, pool_t *p);
void pool_free(pool_t *p);

/* sync.c — wait lists, locks, events, queues */
void sync_add(waitlist_t *wl, thread_t *t, task_t *k);
void sync_wake_all(sim_t *s, waitlist_t *wl);
void sync_wake_one(sim_t *s, waitlist_t *wl);
void sync_free(waitlist_t *wl);
int  sync_lock_enter(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
void sync_lock_leave(sim_t *s, lock_t *l);
int  sync_event(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  sync_queue(sim_t *s, thread_t *t, exec_t *x, const op_t *op);

#endif
