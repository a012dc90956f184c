/* entity.h — a thread and a core as the scheduler sees them: the thread's
 * scheduling entity (os_thread_t), which the model embeds in its threads,
 * and a core's state (os_core_t).  The run queue (runq.h) and the
 * scheduler (machine.h) build on them. */
#ifndef GILSIM_ENTITY_H
#define GILSIM_ENTITY_H

#include <stdint.h>
#include "simtime.h"

struct os;

/* A thread as the scheduler sees it. */
typedef struct os_thread {
    struct os *os;
    /* The generation of the thread's one pending engine event, whoever
     * scheduled it (the OS: a switch-in or a wake-up; the model: a segment
     * end or I/O; a GIL policy: a timed wait): events carry the generation
     * they were scheduled with, and a newer one makes them stale. */
    uint64_t gen;
    int core;                    /* -1 when off-core */
    int last_core;
    uint64_t affinity;           /* cores it may use (bit i: core i); 0: any */
    int rq_where;                /* where it is queued (runq.h), or RQ_NOT_QUEUED */
    struct rq_node *rq_node;     /* its node in the run queue, while queued */
    simtime_t vruntime;          /* CFS: CPU time received (equal weights) */
    simtime_t exec_start;        /* when it got its current core */
    int placed;                  /* just woken from sleep: may preempt */
    int target;                  /* the core its wake-up placed it on, which it waits
                                    for (its run queue in Linux); -1: any core */
    uint64_t migrations;         /* dispatches on a core other than the one it last ran on */
    simtime_t timer_late;        /* its timed wait's interrupt comes this long after the
                                    timer's expiry (hrtimer.c) */
} os_thread_t;

/* Core c may run t: its affinity allows it, and a wake-up did not place t
 * on another core's queue.  (Inline: the OS asks it on every wake-up.) */
static inline int rq_allowed(const os_thread_t *t, int c)
{
    return (t->target < 0 || t->target == c) && (!t->affinity || (c < 64 && (t->affinity >> c) & 1));
}

typedef struct os_core {
    os_thread_t *cur;            /* on this core now, or NULL */
    os_thread_t *last;           /* last thread that ran here */
    os_thread_t *pending;        /* idle, but a wake-up is on its way to it with this
                                    thread (ttwu_pending): not idle for another one */
    uint64_t gen;                /* slice timer generation */
    int slice_armed;
    simtime_t busy_since;
    simtime_t idle_since;        /* when it last went idle */
    simtime_t busy_ns;
    struct rq_node *queue;       /* runnable threads that may run on this core alone:
                                    a heap's root node (runq.c) */
    simtime_t run_base;          /* cur's vruntime - exec_start: its vruntime now is
                                    now + run_base (cores.c ranks cores by it) */
    /* Slot i of the whole machine's index (cores.h): tournament node i's
     * winners, and word i of each core bit set. */
    struct {
        int least, most;
        uint64_t bits[3];
    } ix;
} os_core_t;

#endif
