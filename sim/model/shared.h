/* shared.h — shared variables and their non-atomic updates (shared.c).
 * Used by thread.c, which runs an update as a cpu op. */
#ifndef GILSIM_SHARED_H
#define GILSIM_SHARED_H

#include "model/model.h"

/* The CPU time of an update op: its opcodes times python.opcode_time. */
simtime_t shared_update_time(const config_t *cfg, const op_t *op);
/* Time from x's progress through its update op to the op's next eval-breaker
 * check point; SIMTIME_NEVER when none is left before the op ends. */
simtime_t shared_to_checkpoint(const config_t *cfg, const exec_t *x, const op_t *op);
/* Called as the running segment of x's op starts and as it ends: an update
 * loads the variable as its first stretch starts and stores as its last
 * ends.  Does nothing for other ops, or for an overhead (x->cost). */
void shared_touch(thread_t *t, exec_t *x);

#endif
