/* gilhost.h — the model's side of the GIL interface (gil/gil.h): it creates
 * the GILs, one per process plus one per subinterpreter that has its own
 * (PEP 684), allocates each policy's private state, and is the host
 * (gil_host_t) through which a policy blocks, wakes, replans and traces
 * threads. */
#ifndef GILSIM_GILHOST_H
#define GILSIM_GILHOST_H

#include <stddef.h>
#include "model/model.h"

/* A process's main GIL (embedded in it), registered in s->gils. */
void   gilhost_init(gil_t *g, sim_t *s, process_t *p);
/* The GIL of interpreter `interp` of p: its own when the policy gives every
 * interpreter one (python.gil per-interpreter) or own_gil (as
 * InterpreterPoolExecutor's interpreters have), else the process's. */
gil_t *gilhost_of_interpreter(sim_t *s, process_t *p, int interp, int own_gil,
                              simtime_t interval);
/* A new interpreter of p with its own GIL (InterpreterPoolExecutor's
 * workers: PEP 734's interpreters are created isolated, with their own
 * GIL), numbered after every interpreter p has. */
gil_t *gilhost_new_interpreter(sim_t *s, process_t *p);
void   gilhost_free_all(sim_t *s);
/* s->trace is what it will be for the run: the GILs skip their trace calls
 * when it takes no GIL events. */
void   gilhost_trace_sink_set(sim_t *s);

/* The thread a gil_thread_t is part of. */
static inline thread_t *gilhost_thread(const gil_thread_t *gt)
{
    return (thread_t *)(void *)((const char *)gt - offsetof(thread_t, gthr));
}

#endif
