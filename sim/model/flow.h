/* flow.h — a thread's control flow (flow.c): the control-flow ops, the
 * ends of blocks and functions, and exceptions unwinding. */
#ifndef GILSIM_FLOW_H
#define GILSIM_FLOW_H

#include "model/model.h"

/* x raised an exception (x->exc): unwinds to the nearest try, releasing
 * locks on the way; past the last frame it ends the exec.  Returns as an
 * op handler does (thread.h). */
int flow_unwind(sim_t *s, thread_t *t, exec_t *x);
/* ex_op found no op at x's pc: the innermost block or the function has
 * ended.  Returns as an op handler does. */
int flow_at_end(sim_t *s, thread_t *t, exec_t *x);

/* The control-flow ops, for the op table (rooms.h): repeat, try, call,
 * mark, raise. */
int flow_op_repeat(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int flow_op_try(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int flow_op_call(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int flow_op_mark(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int flow_op_raise(sim_t *s, thread_t *t, exec_t *x, const op_t *op);

#endif
