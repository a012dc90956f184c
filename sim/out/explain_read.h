/* explain_read.h — the facts `gilsim explain` tells, read from a run
 * folder (explain_read.c) for the sentences (explain.c): who wants, holds,
 * drops and takes each GIL, who lost a race for it, what the event loops
 * run and what blocks them, and who waits for what when the program hangs. */
#ifndef GILSIM_EXPLAIN_READ_H
#define GILSIM_EXPLAIN_READ_H

#include <stddef.h>
#include <stdint.h>
#include "events.h"
#include "simtime.h"

enum { WAIT_TAKEN, WAIT_RUN_ENDED, WAIT_THREAD_ENDED };

/* One wait for the GIL: from a thread's gil_request to its gil_take (or to
 * the end of the run, open).  Thread fields are indexes, -1 for none. */
typedef struct xwait {
    simtime_t from, len;
    int holder;                  /* who held the GIL when it asked */
    int req_holder;              /* it set the drop request for this thread ... */
    long requests;               /* ... this many times */
    long races;                  /* races it lost meanwhile ... */
    int last_winner;             /* ... the last one to this thread */
    int dropper, reason;         /* the last drop before it took it, and why (drop_reason) */
    int open;                    /* still waiting when the run ended (WAIT_RUN_ENDED) or
                                    when the thread did (WAIT_THREAD_ENDED) */
} xwait_t;

/* An event loop's longest block by one of its tasks. */
typedef struct xblock {
    simtime_t at, len;
    int task;
    int state;                   /* blocked or sync_wait */
    char detail[32];
} xblock_t;

typedef struct xthread {
    char *process, *name;        /* as threads.csv gives them, NUL-terminated */
    size_t plen, nlen;
    int proc;                    /* index in xread_t.procs */
    int rows;                    /* threads.csv rows of this name: above 1 the trace
                                    cannot tell them apart */
    long csv_row;                /* its (first) threads.csv row */
    simtime_t csv_state[TS__COUNT];  /* threads.csv's time in each state (not done) */
    simtime_t csv_finished;      /* threads.csv's finished_ns, -1 when empty */
    int about;                   /* named by --thread */
    /* from the trace */
    int state;                   /* -1 before its first row */
    simtime_t since;
    simtime_t state_ns[TS__COUNT];   /* time in each state */
    simtime_t finished;          /* when it entered done, -1 before */
    int asking;                  /* between its gil_request and its gil_take */
    simtime_t slept_at;          /* when it last went to sleep in gil_wait */
    uint64_t wait_serial;        /* its process's take count then */
    uint64_t lost_serial;        /* ... when it was last counted as losing a race */
    int next_asker, prev_asker;  /* its process's list of threads asking */
    xwait_t cur, longest;
    long waits, races;
    /* as an event loop's thread */
    int running_task;
    int ntasks;                  /* created on it */
    int first_ready, last_ready, nready;   /* its ready tasks, linked (xtask_t) */
    xblock_t block, longest_block;   /* block.len < 0: not blocked by a task */
    long blocks;
    simtime_t blocked;
} xthread_t;

typedef struct xproc {
    char *name;
    size_t len;
    int holder, last_taker;      /* threads: the GIL's holder now, its last taker */
    int requester;               /* who set the pending drop request */
    int dropper, reason;         /* the last drop, and why (enum drop_reason) */
    int first_asker;             /* threads asking for the GIL, linked */
    uint64_t serial;             /* GIL takes so far */
} xproc_t;

typedef struct xtask {
    char *name;
    size_t len;
    int thread;
    int ready;                   /* created, not yet run: waiting for its loop */
    int prev_ready, next_ready;  /* its loop's ready tasks */
} xtask_t;

/* What happened, as the sentences need it. */
enum xfact_kind {
    XF_START, XF_PREEMPTED, XF_WANTS, XF_DROP_REQUEST, XF_DROP, XF_TAKE, XF_LOST,
    XF_FAILED_WAKEUP, XF_BLOCKS, XF_TASK_BLOCKS, XF_BLOCK_END, XF_DONE, XF_TASK, XF_STW,
    XF_HANG
};

#define XF_LOSERS 3

typedef struct xfact {
    enum xfact_kind kind;
    simtime_t t;
    int who, other;              /* thread indexes; other: holder, winner, -1 */
    int losers[XF_LOSERS], nlosers;  /* XF_TAKE: who it beat (the first few), how many */
    int asked;                   /* XF_TAKE: it had asked (else it was running) */
    simtime_t waited;            /* XF_TAKE, XF_DROP_REQUEST: since it asked */
    int same;                    /* XF_TAKE: it held the GIL last */
    int reason;                  /* XF_DROP: enum drop_reason */
    int retake;                  /* XF_DROP: taken straight back (a gil_take at once) */
    int state;                   /* the state entered (XF_DROP at once, XF_BLOCKS, ...), -1 */
    const char *detail;          /* that state's detail, XF_TASK's, XF_HANG's text */
    int event;                   /* XF_TASK: enum model_event */
    int task;                    /* XF_TASK, XF_TASK_BLOCKS */
    int open;                    /* XF_BLOCK_END: the run ended first */
    int signalled;               /* XF_LOST, XF_FAILED_WAKEUP: woken by the release (before
                                    its timed wait could end), so waking up as it was taken */
} xfact_t;

/* summary.csv: what the run was. */
typedef struct xrun {
    char *config, *policy, *ended_by;
    long long threads, processes, cores;
    simtime_t interval, makespan;
    int one_gil_per_process;     /* no subinterpreter GILs: holders and races can be told */
    int no_gil;                  /* a policy without an exclusive GIL (free-threaded) */
} xrun_t;

/* The kinds of named records (explain_load.c). */
enum { XK_THREAD, XK_PROC, XK_TASK, XK__COUNT };

typedef struct xread {
    xrun_t run;
    xthread_t *th;
    int nth, cap_th;
    xproc_t *procs;
    int nprocs, cap_procs;
    xtask_t *tasks;
    int ntasks, cap_tasks;
    struct keymap *names[XK__COUNT];  /* per kind: name to record index */
    int error;                   /* a PLOT_ code once something was refused */
    /* where the facts go */
    void (*tell)(void *ctx, const xfact_t *f);
    void *ctx;
    /* trace.csv being read */
    struct rows *rows;
    simtime_t last_t;
    xfact_t held;                /* a gil_drop held one row: what follows at once joins it */
    int holding;
} xread_t;

/* The record of kind called (owner, a, b), or -1; a and b have lengths,
 * as a field may hold a NUL.  Threads are (0, process, name), processes
 * (0, "", name), tasks (loop thread, "", name). */
int   xr_find(const xread_t *r, int kind, int owner, const char *a, size_t alen, const char *b,
              size_t blen);
/* Adds record index of kind to the hash; 0, or -1 out of memory. */
int   xr_add(xread_t *r, int kind, int index);
/* A time in ns: 1 to 18 digits, nothing else; 0 or -1. */
int   xr_parse_ns(const char *s, size_t len, simtime_t *v);

/* threads.csv's column (enum threads_col) of a state's time; -1 for done. */
int   xr_state_col(int state);

/* summary.csv and threads.csv; PLOT_OK or a code, said in one line. */
int  xr_load(xread_t *r, const char *dir);
/* Streams trace.csv, telling each fact, then checks each thread's time in
 * each state and its finish against threads.csv. */
int  xr_trace(xread_t *r, const char *dir);
/* log.csv's deadlock rows, told as XF_HANG. */
int  xr_hangs(xread_t *r, const char *dir);
void xr_free(xread_t *r);
/* The thread named NAME or PROCESS/NAME: marks it (about); how many. */
int  xr_mark_thread(xread_t *r, const char *name);
/* Up to max ready tasks of thread i's loop (created and not yet run), in
 * the order they became ready, into out; returns how many there are. */
int  xr_ready_tasks(const xread_t *r, int i, int *out, int max);

#endif
