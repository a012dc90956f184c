/* machine.h — the operating system's side: cores, the run queue, time
 * slices and wake-ups.  It decides which runnable thread is on which core;
 * it knows nothing of the GIL, and of a thread only its scheduling entity
 * (os_thread_t), which the model embeds in its threads.  What the model
 * does when the OS moves a thread, it registers as hooks (os_hooks_t). */
#ifndef GILSIM_MACHINE_H
#define GILSIM_MACHINE_H

#include <stdint.h>
#include "config.h"
#include "engine/engine.h"
#include "rng.h"
#include "os/entity.h"
#include "os/runq.h"

/* What the OS tells the model; each is called with the thread's entity. */
typedef struct os_hooks {
    /* On a core now, after the switch costs: it runs. */
    void (*dispatched)(os_thread_t *ot);
    /* Taken off its core at a slice end; still runnable, it is queued
     * when the hook returns. */
    void (*preempted)(os_thread_t *ot);
    /* Its wake-up arrived: it is runnable, and takes a core or is queued
     * when the hook returns. */
    void (*woken)(os_thread_t *ot);
} os_hooks_t;

typedef struct os {
    engine_t *eng;
    rng_t *rng;
    const config_t *cfg;         /* machine.cores, os.* */
    const os_hooks_t *hooks;
    os_core_t *cores;
    int ncores;
    simtime_t slice_latency;     /* scaled CFS latency */
    simtime_t slice_min;         /* scaled minimum granularity */
    simtime_t wakeup_gran;       /* scaled wake-up granularity */
    simtime_t min_vruntime;      /* CFS: monotonic floor of runnable vruntimes */
    runq_t rq;                   /* runnable threads waiting for a core */
    int threads;                 /* threads made (os_thread_init): the queue's room */
} os_t;

/* cores: cfg->machine.cores of them, zeroed; the caller allocates and
 * frees them (the model's allocator may fail, and unwinds). */
void os_init(os_t *os, engine_t *eng, rng_t *rng, const config_t *cfg,
             const os_hooks_t *hooks, os_core_t *cores);
/* A new thread: off-core, never ran.  0, or -1 when out of memory for
 * its place in the run queue. */
int  os_thread_init(os_t *os, os_thread_t *ot);
/* A new thread starts at the current minimum vruntime. */
void os_place_new(os_t *os, os_thread_t *ot);
/* ot, runnable, can run now: a free core takes it, else it waits in the
 * run queue. */
void os_ready(os_t *os, os_thread_t *ot);
/* ot, blocked, is woken by a futex, a timer or a device (a plain wake-up):
 * onto an idle core it becomes runnable after a wake-up latency (the woken
 * hook); with none idle it is queued at once.  Returns when it is runnable. */
simtime_t os_wake(os_t *os, os_thread_t *ot);
/* ot's timed wait ran out (os_timer_arm): its timer's interrupt woke it
 * on its last core, where it runs at once if that core is free; else it is
 * woken as os_wake. */
simtime_t os_wake_timer(os_t *os, os_thread_t *ot);
/* Core c, idle now and staying so, will have halted by time `at`: idle
 * for os.halt_poll or longer (it stopped polling for work). */
int os_core_halted(const os_t *os, int c, simtime_t at);
/* ot, blocked, is woken synchronously by `waker`, running (WF_SYNC: a
 * socket or pipe write, which blocks in the reader next): onto an idle core
 * as os_wake, else queued on the waker's core, where it runs when the
 * waker leaves it, paying only the context switch. */
simtime_t os_wake_sync(os_t *os, os_thread_t *ot, const os_thread_t *waker);
/* Would waking ot (asleep) make the OS preempt `waker`, running, at once?
 * (CFS wake-up preemption when no core is idle; the old GIL needs it to
 * know whether the holder gets to re-acquire.) */
int  os_wake_preempts(os_t *os, const os_thread_t *waker, os_thread_t *ot);
/* ot leaves its core to block (or finish); returns the core it left, or
 * -1.  The caller records the new state, then hands the core on with
 * os_core_idle. */
int  os_leave(os_t *os, os_thread_t *ot);
/* Core c (or -1: none) went idle: the first queued thread that may run
 * there takes it. */
void os_core_idle(os_t *os, int c);
/* Some thread waits in the run queue that may run on core c (os_core_idle
 * would give it c): the first such one is found from the queue's head. */
int  os_queued_for(const os_t *os, int c);
/* ot vanishes from the scheduler: off its core, out of the run queue. */
void os_remove(os_t *os, os_thread_t *ot);
/* Adds time on cores up to now (for utilisation at the end of a run). */
void os_close(os_t *os);
/* Frees what the OS allocated (not the cores). */
void os_free(os_t *os);

#endif
