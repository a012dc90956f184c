/* exec.h — execution contexts: call stacks of frames over flattened
 * programs, with their arguments and local handle lists.  Pure data
 * manipulation: no time passes here. */
#ifndef GILSIM_EXEC_H
#define GILSIM_EXEC_H

#include "model/model.h"

void      ex_init(exec_t *x, sim_t *s, struct process *proc, struct task *task);
void      ex_free(exec_t *x);
/* A frame for a top-level program (a thread's or main's), no arguments. */
void      ex_push_program(exec_t *x, const program_t *p);
/* A frame for calling c; `$param` arguments are read from caller. */
void      ex_push_call(exec_t *x, const config_t *cfg, const call_t *c, const frame_t *caller);
/* A frame for function fn with already resolved arguments. */
void      ex_push_values(exec_t *x, const config_t *cfg, int fn, const value_t *args);
void      ex_pop(exec_t *x);
static inline frame_t *ex_top(exec_t *x) { return x->nframes ? &x->frames[x->nframes - 1] : NULL; }
static inline int ex_done(const exec_t *x) { return x->nframes == 0; }

/* The op at the top frame's pc, or NULL at a block end or program end. */
const op_t *ex_op(exec_t *x);
/* Finishes the current op: next pc, progress cleared. */
void      ex_op_done(exec_t *x);
/* Clears the current op's progress (an exception leaves it). */
void      ex_op_reset(exec_t *x);
/* Resolves arguments of c against caller into out (callee's nparams). */
void      ex_resolve_args(const call_t *c, const frame_t *caller, value_t *out);
/* An op's duration (literal or parameter) and count. */
const dist_t *ex_dur(const frame_t *f, const op_t *op);
int64_t   ex_count(const frame_t *f, const op_t *op);
handles_t *ex_local(frame_t *f, int local);
void      handles_push(sim_t *s, handles_t *h, void *item);
/* "f(5s, 3)" into a new string. */
char     *ex_call_label(sim_t *s, int fn, const value_t *args);

#endif
