/* pool.h — concurrent.futures executors and their futures.  Op handlers
 * follow thread.h's convention: 1 = go on, 0 = blocked. */
#ifndef GILSIM_POOL_H
#define GILSIM_POOL_H

#include "model/model.h"

int  pool_open(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
/* Leaving the with block: shutdown(wait=True). */
int  pool_close(sim_t *s, thread_t *t, exec_t *x, pool_t *p);
int  pool_submit(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  pool_map(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  pool_as_completed(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
/* await: {to_thread: f}: f runs in the loop's default executor. */
int  pool_to_thread(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
/* A worker finished its item (exc or NULL) or just started: next item. */
int  pool_worker_next(sim_t *s, thread_t *t, const char *exc);
void pool_free(pool_t *p);

#endif
