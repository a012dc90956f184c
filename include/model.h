/* model.h — the simulated world: threads, processes, cores, GILs.
 *
 * Data structures only; behaviour lives in one file per room:
 *   machine.c  the OS: cores, run queue, slices, wake-ups   (os_*)
 *   gil.c      the GIL interface and policy registry         (gil_*)
 *   gil_new.c  CPython 3.2+ GIL                              (gil_new_*)
 *   thread.c   the interpreter running a thread's program    (thr_*)
 *   sim.c      builds the world from a config and runs it    (sim_*)
 * The trace sink (trace.h) is called by all of them; it only writes. */
#ifndef GILSIM_MODEL_H
#define GILSIM_MODEL_H

#include <stdint.h>
#include "config.h"
#include "engine.h"
#include "rng.h"

/* Thread states.  Every nanosecond of a thread's life is in exactly one. */
enum thr_state {
    TS_RUNNABLE,      /* wants a core, none free (or being switched in) */
    TS_PY,            /* on a core running Python bytecode, GIL held */
    TS_NATIVE,        /* on a core running C code without the GIL */
    TS_GIL_WAIT,      /* asleep in take_gil, timed wait armed; off-core */
    TS_SWITCH_WAIT,   /* forced dropper waiting until another thread takes the GIL */
    TS_BLOCKED,       /* in blocking I/O or sleep; off-core */
    TS_DONE,          /* program finished */
    TS__COUNT
};

enum gil_event {
    GE_REQUEST,       /* a thread starts waiting for the GIL */
    GE_DROP_REQUEST,  /* a waiter timed out with no switch and asks the holder to drop */
    GE_DROP,          /* the holder released the GIL (detail: reason) */
    GE_TAKE,          /* a thread took the GIL */
};

enum drop_reason { DROP_FORCED, DROP_IO, DROP_SLEEP, DROP_NATIVE, DROP_EXIT };

/* What a blocked thread does when the OS next puts it on a core. */
enum resume_kind { RESUME_RUN, RESUME_GIL };

struct sim;
struct process;
struct gil;

typedef struct thread {
    int id;                      /* index in sim.threads; also trace order */
    int group;                   /* index of its thread_cfg in the process */
    char *name;
    struct process *proc;
    const program_t *prog;

    enum thr_state state;
    simtime_t state_since;
    simtime_t state_time[TS__COUNT];
    int core;                    /* -1 when off-core */
    int last_core;

    /* program counter and loop stack */
    int pc;
    int depth;
    struct { int pc; int64_t left; } loop[PROGRAM_MAX_DEPTH];
    int op_active;               /* ops[pc] has started and is not finished */
    simtime_t op_total;          /* drawn duration of the current op */
    simtime_t op_left;           /* work still to do in it */
    int restore_gil;             /* a GIL-releasing op ended: take the GIL back */

    /* the one pending engine event of this thread (segment end, I/O done,
     * wake-up, timed wait...): stale events carry an older generation */
    uint64_t gen;
    simtime_t seg_start;         /* when the running segment began */
    enum resume_kind resume;

    /* GIL bookkeeping, owned by the GIL policy */
    int has_gil;
    uint64_t saved_switch;
    int timed_out;
    int in_waitq;
    struct thread *wq_next, *wq_prev;

    struct thread *rq_next;      /* OS run queue link */

    /* statistics */
    uint64_t gil_takes, forced_drops, ops_done;
    simtime_t finish;            /* -1 while running */
} thread_t;

typedef struct gil {
    const struct gil_ops *ops;
    struct sim *sim;
    struct process *proc;
    simtime_t interval;
    int locked;
    thread_t *holder;
    thread_t *last_holder;
    uint64_t switch_number;
    int drop_request;
    thread_t *wq_head, *wq_tail;  /* threads asleep on the GIL's condvar, FIFO */
    thread_t *switch_waiter;      /* forced dropper waiting for a take */
    uint64_t takes, switches, drop_requests, forced_drops;
} gil_t;

typedef struct process {
    int id;
    char *name;
    int cfg_index;               /* index in config.procs */
    gil_t gil;
    thread_t **threads;
    int nthreads;
} process_t;

typedef struct core {
    thread_t *cur;               /* on this core now, or NULL */
    thread_t *last;              /* last thread that ran here */
    uint64_t gen;                /* slice timer generation */
    int slice_armed;
    simtime_t busy_since;
    simtime_t busy_ns;
} core_t;

struct trace_sink;

typedef struct sim {
    engine_t eng;
    rng_t rng;
    const config_t *cfg;
    core_t *cores;
    int ncores;
    simtime_t slice_latency;     /* scaled CFS latency */
    simtime_t slice_min;         /* scaled minimum granularity */
    thread_t *rq_head, *rq_tail;
    int rq_len;
    thread_t *threads;
    int nthreads;
    process_t *procs;
    int nprocs;
    int live;                    /* threads not done */
    simtime_t end;               /* when the run ended */
    int cut;                     /* ended at `duration` with threads alive */
    struct trace_sink *trace;
    /* invariant checking (tests) */
    int check;
    simtime_t last_now;
    char violation[256];
    /* progress reports (CLI) */
    void (*progress)(void *ctx, simtime_t now, simtime_t end);
    void *progress_ctx;
} sim_t;

#endif
