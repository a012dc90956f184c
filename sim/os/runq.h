/* runq.h — the runnable threads waiting for a core, and which one a core
 * takes next.
 *
 * The order is CFS's (least vruntime first) or, for round robin, arrival;
 * threads of equal vruntime go in arrival order.  A core takes the first
 * thread in that order that may run on it: one its wake-up placed on that
 * core, one pinned to it, or one free to run anywhere.  Every operation
 * costs O(log n) in the queued threads, except for threads pinned to some
 * but not all of several cores, which are rare and kept in one sorted list
 * (O(n) in their own number).  The structures are intrusive: queuing never
 * allocates. */
#ifndef GILSIM_RUNQ_H
#define GILSIM_RUNQ_H

#include <stdint.h>
#include "os/entity.h"

/* Where a thread is (os_thread_t's rq_where; zero: not queued). */
enum {
    RQ_NOT_QUEUED = 0,
    RQ_ANY_CORE,                 /* the heap of threads any core may run */
    RQ_SOME_CORES,               /* the sorted list of threads pinned to several cores */
    RQ_CORE0                     /* + c: core c's heap (placed on c, or pinned to c alone) */
};

typedef struct runq {
    struct os_thread *any_core;  /* pairing heap's root */
    struct os_thread *some_cores;/* sorted list's head */
    uint64_t arrivals;           /* arrival number of the next queued thread */
    int len;
    int one_core;                /* of them, in a core's own heap */
    int by_vruntime;             /* CFS; else round robin: by arrival alone */
    os_core_t *cores;            /* each holds its own heap's root (queue) */
    int ncores;
} runq_t;

/* An empty queue for the cores (zeroed: their heaps empty). */
void rq_init(runq_t *rq, os_core_t *cores, int ncores, int by_vruntime);

/* Queues t (not queued). */
void rq_push(runq_t *rq, os_thread_t *t);
/* Takes t out of the queue, if it is there. */
void rq_remove(runq_t *rq, os_thread_t *t);
/* The first queued thread that core c may run (rq_allowed), or NULL; it
 * stays queued. */
os_thread_t *rq_first_for(const runq_t *rq, int c);
/* The first queued thread of all, or NULL (CFS: least vruntime).  O(1),
 * plus O(cores / 64 + those cores) while some threads wait for one core
 * alone. */
os_thread_t *rq_first(const runq_t *rq);

#endif
