/* chan.h — socketpairs and pipes: `send:` and `recv:`, system calls made
 * with the GIL released, a send waking a blocked receiver synchronously.
 * Op handlers follow thread.h's convention: 1 = go on, 0 = blocked. */
#ifndef GILSIM_CHAN_H
#define GILSIM_CHAN_H

#include "model/model.h"

int  chan_send(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  chan_recv(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
void chan_free(chan_t *ch);

#endif
