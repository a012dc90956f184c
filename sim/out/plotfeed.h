/* plotfeed.h — what trace.csv's rows do to the timeline's lanes
 * (plotlane.h): plottrace.c calls these for each row, in time order, for
 * the roster's thread the row names (tl_find_thread). */
#ifndef GILSIM_PLOTFEED_H
#define GILSIM_PLOTFEED_H

#include <stddef.h>
#include "out/plotlane.h"

/* A task event (events.def's task rows). */
enum tl_task_event { TL_TASK_CREATE, TL_TASK_RUN, TL_TASK_WAIT, TL_TASK_DONE };

/* Each returns PLOT_OK, PLOT_FAILED (out of memory) or PLOT_BAD_INPUT
 * (tl->why says why). */
/* The thread enters state; io: a `blocked` for I/O; core: -1 for none. */
int tl_state(tl_t *tl, int thread, tl_ns t, int state, int io, int core);
/* The thread took (taken 1) or dropped the GIL of its process's
 * interpreter interp (trace.csv's gil column). */
int tl_gil(tl_t *tl, int thread, tl_ns t, int taken, int interp);
/* A drop request by the thread, or its forced drop (enum tl_mark). */
int tl_mark(tl_t *tl, int thread, tl_ns t, int mark);
/* A task event on its loop's thread; name: the task (create, run, done)
 * or what the running task awaits (wait). */
int tl_task(tl_t *tl, int thread, tl_ns t, int event, const char *name, size_t len);
/* Ends every lane's last box at its view's end. */
int tl_finish(tl_t *tl);

#endif
