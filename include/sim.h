/* sim.h — one run: build the world from a config, run it, tear it down. */
#ifndef GILSIM_SIM_H
#define GILSIM_SIM_H

#include <stdint.h>
#include "caps.h"
#include "config.h"
#include "simtime.h"

/* The world of one run.  Its fields are the model's (sim/model/model.h);
 * an embedding program holds it through sim_new and the functions below. */
typedef struct sim sim_t;
struct trace_sink;               /* the model's trace interface (sim/model/trace.h) */

typedef struct sim_opts {
    struct trace_sink *trace;     /* the model's own sink (the CLI's CSV writer, tests);
                                     NULL, as an embedding program passes: no trace */
    int check_invariants;         /* check the model after every event */
    int op_by_op;                 /* no one-op cpu loop runs as one segment (thread.c):
                                     the reference the tests hold that path to */
    /* Called now and then with the simulated time reached (may be NULL). */
    void (*progress)(void *ctx, simtime_t now, simtime_t end);
    void *progress_ctx;
    sim_caps_t caps;              /* lower caps than caps.h's (tests); 0: caps.h's */
    int64_t alloc_limit;          /* tests: the model's allocations after this many fail as
                                     if out of memory; 0: never */
} sim_opts_t;

/* SIM_OK, or SIM_ERR_NOMEM / SIM_ERR_USER (then sim_free it all the same). */
int  sim_build(sim_t *s, const config_t *cfg, const sim_opts_t *opts);
/* What sim_build and sim_run return; the message is in sim_violation(). */
#define SIM_OK           0
#define SIM_ERR_INTERNAL (-1)   /* an invariant check failed: gilsim's bug */
#define SIM_ERR_USER     (-2)   /* the program cannot be simulated (a loop that takes no
                                   time) or exceeds a limit (caps.h) */
#define SIM_STOPPED      (-3)   /* stopped by the engine's stop flag: a signal or a failed
                                   write (the caller knows which) */
#define SIM_ERR_NOMEM    (-4)   /* out of memory */

/* Runs until every thread is done, the config's duration, or a deadlock
 * (threads blocked for ever).  Returns SIM_OK or SIM_ERR_*, or SIM_STOPPED
 * when the engine's stop flag was set (the command line sets it after
 * sim_build, from inside the model), with sim_now() the simulated time
 * reached. */
int  sim_run(sim_t *s);
const char *sim_violation(const sim_t *s);
void sim_free(sim_t *s);

/* For a program that embeds gilsim: sim_build into a new allocation.  NULL
 * when even that fails; else *status is sim_build's result, and the sim is
 * sim_delete()d after use either way. */
sim_t *sim_new(const config_t *cfg, const sim_opts_t *opts, int *status);
void   sim_delete(sim_t *s);
/* The simulated time reached (the end of the run, once sim_run returned). */
simtime_t sim_now(const sim_t *s);

/* Checks the model's invariants now; returns NULL or a description. */
const char *sim_check(sim_t *s);

#endif
