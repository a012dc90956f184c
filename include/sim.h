/* sim.h — one run: build the world from a config, run it, tear it down. */
#ifndef GILSIM_SIM_H
#define GILSIM_SIM_H

#include "model.h"
#include "trace.h"

typedef struct sim_opts {
    trace_sink_t *trace;          /* may be NULL */
    int check_invariants;         /* check the model after every event */
    int op_by_op;                 /* no one-op cpu loop runs as one segment (thread.c):
                                     the reference the tests hold that path to */
    /* Called now and then with the simulated time reached (may be NULL). */
    void (*progress)(void *ctx, simtime_t now, simtime_t end);
    void *progress_ctx;
} sim_opts_t;

int  sim_build(sim_t *s, const config_t *cfg, const sim_opts_t *opts);
/* Runs until every thread is done, the config's duration, or a deadlock
 * (s->deadlock: threads blocked for ever).  Returns 0; -1 if an invariant
 * check failed; -2 if the program itself cannot be simulated (a loop that
 * takes no time); -3 if stopped by s->eng.stop_flag (set it after
 * sim_build), with s->eng.now the simulated time reached.  The message of
 * -1 and -2 is in sim_violation(). */
int  sim_run(sim_t *s);
const char *sim_violation(const sim_t *s);
void sim_free(sim_t *s);

/* Checks the model's invariants now; returns NULL or a description. */
const char *sim_check(sim_t *s);

#endif
