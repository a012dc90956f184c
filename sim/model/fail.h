/* fail.h — how the model gives up without exit() or abort().
 *
 * As Lua's luaD_throw does: sim_build and sim_run arm a jmp_buf in the
 * sim; a failed allocation, a cap the program exceeds, or the engine's
 * failure callback records a message and longjmps back to them, and they
 * return the code (sim.h).  Everything created so far stays linked into
 * the sim, so sim_free frees it: an object is linked before anything else
 * is allocated for it, or freed before the failure is raised.
 *
 * Only code that runs under sim_build or sim_run may call these. */
#ifndef GILSIM_FAIL_H
#define GILSIM_FAIL_H

#include <stdarg.h>
#include <stddef.h>
#include "caps.h"
#include "model/model.h"
#include "sim.h"

/* Records "PATH: message" (code SIM_ERR_*; only "message" for an internal
 * error, which the CLI reports with the path) and unwinds to
 * sim_build/sim_run. */
_Noreturn void sim_fail(sim_t *s, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The program creates more than cap `what`s: a user error naming the op
 * being run ("cfg.yaml:12:9: the program creates more than 1000000 threads
 * (start)"). */
_Noreturn void sim_over_cap(sim_t *s, const char *what, long long cap);

/* Allocators that never return NULL: out of memory, they raise
 * SIM_ERR_NOMEM with what was running and how much was alive. */
void *sim_calloc(sim_t *s, size_t n, size_t size);
void *sim_realloc(sim_t *s, void *p, size_t n, size_t size);
char *sim_strdup(sim_t *s, const char *str);
/* A new string from a format, allocated to its exact length: names built
 * this way ("worker-12") are never cut, so two can't become the same. */
char *sim_printf(sim_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sim_vprintf(sim_t *s, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* A zeroed object from the slab (slab.h). */
void *sim_slab_take(sim_t *s, slab_t *sl);
/* Grows an array of *cap elements (doubling, 16 at first) before it is full. */
void *sim_grow(sim_t *s, void *p, int *cap, size_t elem);
/* The same failure, for an allocation made elsewhere (the OS's run queue). */
_Noreturn void sim_out_of_memory(sim_t *s);

/* Runs fn(s) with the jmp_buf armed; returns what fn returned, or the code
 * of a failure raised inside. */
int sim_guard(sim_t *s, int (*fn)(sim_t *s, void *arg), void *arg);

/* Threads, asyncio tasks and processes come alive (+1) or end (-1): the
 * live counts an out-of-memory failure reports, their peaks, and the
 * modelled program's memory estimate. */
void sim_alive(sim_t *s, int64_t dthreads, int64_t dtasks, int64_t dprocs);

#endif
