/* ops.h — the op table: which room runs each op kind, and the other
 * entry points the interpreter calls in the rooms (thread.h's
 * thr_rooms_t).  sim_build registers it in the sim (s->rooms). */
#ifndef GILSIM_OPS_H
#define GILSIM_OPS_H

#include "model/thread.h"

extern const thr_rooms_t ops_rooms;

#endif
