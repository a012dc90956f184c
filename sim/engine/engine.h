/* engine.h — the discrete-event core.
 *
 * A future-event list ordered by (time, sequence number): events at the same
 * nanosecond run in the order they were scheduled, so a run is
 * deterministic.  The engine knows nothing of threads, cores or GILs: an
 * event is a function, an object pointer and a 64-bit argument.  There is no
 * cancel: a model part that may want to revoke an event puts a generation
 * number in `arg` and ignores stale ones. */
#ifndef GILSIM_ENGINE_H
#define GILSIM_ENGINE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "simtime.h"

typedef void (*eng_fn)(void *obj, uint64_t arg);

/* The heap orders 16-byte keys; `order` is seq << 24 | record slot. */
typedef struct eng_key {
    simtime_t time;
    uint64_t order;
} eng_key_t;

typedef struct eng_rec {
    eng_fn fn;
    void *obj;
    uint64_t arg;
} eng_rec_t;

typedef struct engine {
    simtime_t now;
    uint64_t seq;            /* next sequence number */
    uint64_t executed;       /* events run so far */
    eng_key_t *heap;         /* 4-ary min-heap */
    size_t len, cap;
    eng_rec_t *rec;          /* callbacks, by slot; free ones form a list */
    size_t nrec, caprec;
    int64_t free_slot;       /* head of the free list, -1 if empty */
    int stopped;
    int root_spent;          /* heap[0] is the running event's, to be replaced */
    void (*after_event)(void *ctx);   /* optional hook, e.g. invariant checks */
    void *after_ctx;
    /* Optional: eng_run stops before the next event once *stop_flag is
     * non-zero (set by a signal handler, or when an output write fails). */
    const volatile sig_atomic_t *stop_flag;
    /* Called instead of exiting when an event can't be scheduled (see
     * enum eng_failure); it may not return (the sim unwinds, fail.h).  If
     * it returns, or is NULL, the event is dropped and eng_run stops. */
    void (*fail)(void *ctx, int what, const char *msg);
    void *fail_ctx;
    int failed;              /* a failure happened (what, as passed to fail) + 1 */
    /* Optional: with many events pending, each event's start asks the
     * cache for this many bytes from the start of the object of the event
     * likely to run next (engine.c, prefetch_next).  The owner lays out
     * its objects for it: what an event reads first. */
    size_t prefetch_bytes;
} engine_t;

enum eng_failure {
    ENG_FAIL_PAST,           /* scheduled before now: a bug in the caller */
    ENG_FAIL_FULL,           /* more than ENG_MAX_PENDING events pending */
    ENG_FAIL_NOMEM,          /* out of memory */
};

#define ENG_MAX_PENDING (1u << 24)     /* the record slots a key can name */

void      eng_init(engine_t *e);
void      eng_free(engine_t *e);
/* Schedules fn(obj, arg) at absolute time t (t >= now, else a failure). */
void      eng_at(engine_t *e, simtime_t t, eng_fn fn, void *obj, uint64_t arg);
void      eng_after(engine_t *e, simtime_t dt, eng_fn fn, void *obj, uint64_t arg);
/* Runs the earliest event; returns 0 when none is left. */
int       eng_step(engine_t *e);
/* Runs events while their time is <= until, eng_stop was not called and
 * *stop_flag (if set) is 0.
 * Returns the number of events run. */
uint64_t  eng_run(engine_t *e, simtime_t until);
void      eng_stop(engine_t *e);
size_t    eng_pending(const engine_t *e);
simtime_t eng_next_time(const engine_t *e);   /* SIMTIME_NEVER if empty */

static inline simtime_t eng_now(const engine_t *e) { return e->now; }

#endif
