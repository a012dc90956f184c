/* warmup.h — bytecode warm-up: whether a call runs specialised bytecode. */
#ifndef GILSIM_WARMUP_H
#define GILSIM_WARMUP_H

#include "model/model.h"

/* A call of program p (a function's body, or a thread's target) starts in
 * process proc: counts it, and says whether it runs specialised (1) or
 * not yet (0).  Always 1 without python.specialize, before 3.11, or with
 * no process (never in a run). */
int warm_call(sim_t *s, process_t *proc, const program_t *p);

#endif
