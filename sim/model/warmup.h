/* warmup.h — bytecode warm-up: whether a frame runs specialised bytecode. */
#ifndef GILSIM_WARMUP_H
#define GILSIM_WARMUP_H

#include "model/model.h"

/* A call of f's program (a function's body, or a thread's target) starts
 * in process proc: counts it on the program's code object (RESUME) and
 * says whether f runs specialised (f->warm: always without
 * python.specialize, before 3.11, or with no process, never in a run). */
void warm_call(sim_t *s, process_t *proc, frame_t *f);
/* f ended an iteration of a `repeat` (a for or `while True:` loop's
 * JUMP_BACKWARD): counts it on f's code object where the version does,
 * and f runs specialised from then on if that quickens the code. */
void warm_back_edge(sim_t *s, process_t *proc, frame_t *f);

#endif
