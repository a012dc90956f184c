/* batch.h — a loop whose body is one cpu op of constant duration runs as
 * one segment through many iterations (see batch.c).  Used by thread.c. */
#ifndef GILSIM_BATCH_H
#define GILSIM_BATCH_H

#include "model/model.h"

/* At the start of op (duration d, already scaled) in x: lets the op's
 * segments run on through the loop's next iterations when it can
 * (x->batch_left, x->batch_dur; zero otherwise). */
void batch_plan(thread_t *t, exec_t *x, const op_t *op, simtime_t d);
/* The current segment ran for `ran`: the op's progress, and past its end
 * the iterations completed (ops counted, loop counter, the op now current).
 * `inclusive`: an op ending right now counts as done (the end of the run). */
void batch_progress(thread_t *t, exec_t *x, simtime_t ran, int inclusive);

#endif
