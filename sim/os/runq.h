/* runq.h — the runnable threads waiting for a core, and which one a core
 * takes next.
 *
 * The order is CFS's (least vruntime first) or, for round robin, arrival;
 * threads of equal vruntime go in arrival order.  A core takes the first
 * thread in that order that may run on it: one its wake-up placed on that
 * core, one pinned to it, or one free to run anywhere.  Every operation
 * costs O(log n) in the queued threads, except for threads pinned to some
 * but not all of several cores, which are rare and kept in one sorted list
 * (O(n) in their own number); once RQ_RUNS_FROM threads are queued,
 * threads free to run anywhere whose keys come in at most RQ_RUNS rising
 * streams, as CFS's do, cost O(1).
 *
 * A queued thread's place in the order is a small node in one array the
 * queue owns, not in the thread: walking the order then reads that array
 * alone, never the threads' own memory (with 65,536 queued threads the
 * array is 3 MiB, where the threads are a hundred times that).  Queuing
 * never allocates: rq_reserve makes room beforehand. */
#ifndef GILSIM_RUNQ_H
#define GILSIM_RUNQ_H

#include <stdint.h>
#include "os/entity.h"

#define RQ_BLOCK 1024            /* nodes allocated at once */

/* Where a thread is (os_thread_t's rq_where; zero: not queued). */
enum {
    RQ_NOT_QUEUED = 0,
    RQ_ANY_CORE,                 /* the heap of threads any core may run */
    RQ_SOME_CORES,               /* the sorted list of threads pinned to several cores */
    RQ_RUN0,                     /* + i: run i of threads any core may run */
    RQ_CORE0 = RQ_RUN0 + 8       /* + c: core c's heap (placed on c, or pinned to c alone) */
};
#define RQ_RUNS (RQ_CORE0 - RQ_RUN0)
#define RQ_RUNS_FROM 1024        /* runq_t's runs_from (runq.c says why) */

/* A run: queued threads any core may run, linked in their order, head
 * first (runq.c says why). */
typedef struct rq_run {
    struct rq_node *head, *tail;
} rq_run_t;

/* A queued thread's node (runq.c): its key, copied from the thread when
 * it is queued (a queued thread's vruntime does not change), and its
 * links. */
typedef struct rq_node {
    simtime_t vruntime;
    uint64_t arrival;            /* the queue's arrival number: ties, and round robin */
    os_thread_t *owner;          /* its thread */
    struct rq_node *child, *next, *prev;
} rq_node_t;

typedef struct runq {
    rq_node_t **blocks;          /* nodes, RQ_BLOCK to a block, which never move */
    int nblocks, capblocks;
    rq_node_t *free;             /* the free nodes, linked through next */
    rq_node_t *any_core;         /* pairing heap's root */
    rq_run_t runs[RQ_RUNS];      /* sorted runs beside that heap */
    unsigned runs_used;          /* bit i: run i holds a thread */
    int run_top;                 /* the used run of greatest last key */
    int runs_from;               /* threads queued from which pushes join runs:
                                    RQ_RUNS_FROM (tests lower it) */
    rq_node_t *any_first;        /* the first of that heap and the runs */
    rq_node_t *some_cores;       /* sorted list's head */
    uint64_t arrivals;           /* arrival number of the next queued thread */
    int len;
    int one_core;                /* of them, in a core's own heap */
    int by_vruntime;             /* CFS; else round robin: by arrival alone */
    os_core_t *cores;            /* each holds its own heap's root (queue) */
    int ncores;
} runq_t;

/* An empty queue for the cores (zeroed: their heaps empty), with room for
 * no thread yet. */
void rq_init(runq_t *rq, os_core_t *cores, int ncores, int by_vruntime);
/* Room for n threads queued at once; 0, or -1 when out of memory (the
 * queue is unchanged). */
int  rq_reserve(runq_t *rq, int n);
void rq_free(runq_t *rq);

/* Queues t (not queued; within the room reserved). */
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
/* Its vruntime (from the queue's own copy: the thread itself may be cold
 * in memory), or SIMTIME_NEVER when the queue is empty. */
simtime_t rq_least_vruntime(const runq_t *rq);
/* For the invariant check: NULL when the runs are sorted and linked, in
 * use as runs_used says, run_top is the one of greatest last key, and
 * any_first the least of them and the heap; else what is wrong.  O(threads
 * in the runs). */
const char *rq_check(const runq_t *rq);
/* For the invariant check: NULL when t's node, if it is queued, is its
 * own and holds its key; else what is wrong. */
const char *rq_check_thread(const runq_t *rq, const os_thread_t *t);

#endif
