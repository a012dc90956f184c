/* model.h — the simulated world: processes, threads, their programs'
 * execution contexts, asyncio loops and tasks, pools, futures, sync objects
 * and GILs.  The cores and the run queue are the OS's (os/machine.h): the
 * sim embeds them (os_t), and each thread its scheduling entity
 * (os_thread_t).
 *
 * Data structures only; behaviour lives in one file per room:
 *   machine.c  the OS: cores, run queue, slices, wake-ups      (os_*)
 *   gilhost.c  creates the GILs, hosts their policies          (gilhost_*)
 *   thread.c   the interpreter: runs ops of the current exec   (thr_*)
 *   exec.c     frames, blocks, arguments, exceptions           (ex_*)
 *   life.c     starting, joining and ending threads, processes (life_*)
 *   aio.c      asyncio event loops and tasks                   (aio_*)
 *   pool.c     concurrent.futures executors and futures        (pool_*)
 *   sync.c     wait lists, blocking waits, locks, events, queues (sync_*)
 *   chan.c     socketpairs and pipes: send and recv        (chan_*)
 *   ops.c      the op table: which room runs each op kind      (ops_*)
 *   batch.c    a one-op cpu loop run as one segment            (batch_*)
 *   shared.c   shared variables: an update's load, check point, store (shared_*)
 *   fail.c     failures, caps and the model's allocators       (sim_fail, ...)
 *   effects.c  what waiting cost each thread; the marks' times  (eff_*)
 *   trace.c    the names of trace events (trace.h)
 *   sim.c      builds the world from a config and runs it      (sim_*)
 *   check.c    the model's invariants, checked after each event (sim_check)
 * Each has its header beside it.  The interpreter reaches the rooms above
 * it (life, aio, pool, sync) only through the op table (s->rooms), and a
 * room one above it only through a pointer in the data (a task's wake, a
 * pool's owner_died and worker_died), so their includes form no cycle.
 * The model's rooms report to the trace sink (trace.h), which only
 * records; the OS and the GIL policies report through their hooks and
 * host, which the model implements.
 * The GIL and what a GIL knows of a thread (gil_t, gil_thread_t) are the
 * GIL layer's (gil/gil.h); each policy's state is private to its file. */
#ifndef GILSIM_MODEL_H
#define GILSIM_MODEL_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include "caps.h"
#include "config.h"
#include "engine/engine.h"
#include "engine/slab.h"
#include "events.h"          /* thread states, GIL events, drop reasons */
#include "gil/gil.h"
#include "hist.h"
#include "os/machine.h"
#include "rng.h"

/* What a blocked thread does when the OS next puts it on a core. */
enum resume_kind { RESUME_RUN, RESUME_GIL };

struct sim;
struct process;
struct thread;
struct task;
struct loop;
struct pool;
struct future;

/* Who waits on something: a thread, or a task of an event loop. */
/* An entry is valid only while the op that made it is still under way: its
 * ticket is the waiting exec's op ticket (bumped when an op finishes or an
 * exception leaves it).  Entries left by an op that ended are stale and
 * wake-ups skip them. */
typedef struct waiter {
    struct thread *thread;
    struct task *task;
    uint64_t ticket;
} waiter_t;

/* FIFO: the waiters are w[head] .. w[n - 1]; a wake-up of the first
 * moves head on instead of shifting the rest, so waking them one by one
 * costs O(1) each. */
typedef struct waitlist {
    waiter_t *w;
    int head, n, cap;
} waitlist_t;

/* A local handle list (the `as:` names): threads, processes, tasks,
 * futures, or one pool. */
typedef struct handles {
    void **items;
    int n, cap;
} handles_t;

/* Control blocks inside a frame: loops and `with` bodies. */
enum block_kind { BLK_REPEAT, BLK_POOL, BLK_LOCK, BLK_TRY, BLK_EXCEPT };

typedef struct block {
    enum block_kind kind;
    int pc;              /* the op that opened it */
    int64_t left;        /* REPEAT: iterations left, or REPEAT_FOREVER */
    void *obj;           /* POOL: the pool; LOCK: the lock */
} block_t;

/* One function activation: a program, where it is, its arguments. */
typedef struct frame {
    const program_t *prog;
    int fn;                      /* config.functions index, -1 for a top program */
    int pc;
    int depth;
    int warm;                    /* its bytecode is specialised (model/warmup.c) */
    int code;                    /* where its code object's warm-up count is kept in the
                                    process (-1: nowhere) */
    block_t blocks[PROGRAM_MAX_DEPTH];
    value_t args[FUNC_MAX_PARAMS];
    handles_t *locals;           /* prog->nlocals lists */
} frame_t;

/* An execution context: a call stack and the progress of its current op.
 * A thread has one; each asyncio task has its own. */
typedef struct exec {
    struct sim *sim;             /* whose allocators it uses (fail.h) */
    struct process *proc;        /* whose code objects its frames run */
    frame_t *frames;
    int nframes, cap;
    int op_active;               /* the timed part of the current op is under way */
    simtime_t op_total, op_left;
    int cost;                    /* ... and it is an overhead, not the op's work */
    int syscall;                 /* ... and it is a system call run without the GIL
                                    (thr_syscall) */
    int phase;                   /* progress through a multi-step op */
    int64_t step;                /* e.g. threads started so far; an update's loaded value */
    const char *exc;             /* an exception being raised, or NULL */
    struct task *task;           /* the task this exec belongs to, or NULL */
    handles_t tmp;               /* futures of the current map op; as_completed: its
                                    done futures in completion order (step: the next
                                    to yield) */
    int64_t pending;             /* as_completed: its futures not done yet */
    uint64_t ticket;             /* the current op instance; see waiter_t */
    int64_t batch_left;          /* one-op cpu loop: iterations after the current op that
                                    its segments may run through (thread.c) */
    simtime_t batch_dur;         /* ... each this long */
} exec_t;

/* CPU a thread spends outside its ops (thread.c's side segments). */
enum side_kind {
    SIDE_NONE,
    SIDE_TAKE,                   /* take_gil's cost after a contended take: GIL held */
    SIDE_SYSCALL,                /* an event loop's select(0): GIL released */
};

/* A thread.  The fields an event reads come first: with many threads,
 * each event finds its thread cold in memory, and the engine asks the
 * cache for the first THREAD_HOT_BYTES of the next event's object ahead of
 * time (engine_t's prefetch_bytes).  The scheduling entity is first of
 * all, so an event of the OS's (whose object is the entity) and one of the
 * model's (the thread) both point at the thread's start. */
typedef struct thread {
    os_thread_t os;              /* as the OS scheduler sees it (its core, and the
                                    generation of its one pending engine event) */
    struct sim *sim;
    struct process *proc;
    struct gil *gil;             /* its interpreter's GIL (the process's, but for subinterpreters) */
    exec_t *cur;                 /* the exec being run: base, or a task's */
    enum thr_state state;
    int restore_gil;             /* a GIL-releasing op ended: take the GIL back */
    const char *state_detail;    /* the trace detail of the current state */
    simtime_t state_since;
    simtime_t state_time[TS__COUNT];
    gil_thread_t gthr;           /* what its GIL knows of it: holding it, CPU time the
                                    policy charged it, GIL statistics (gil/gil.h) */
    simtime_t seg_start;         /* when the running segment began */
    enum side_kind side;         /* the running segment is CPU outside any op (thread.c) */
    int started;                 /* ran its bootstrap (took the GIL once) */
    simtime_t side_left;         /* ... of which this much is left */
    simtime_t wake_at;           /* when a pending wake-up makes it runnable */
    enum resume_kind resume;     /* ... and what it does on a core then */
    int woken;                   /* a wake-up from sync_wait is on its way */
    simtime_t woke_at;           /* woken from a blocking wait, not yet gone on; -1: not */
    struct loop *loop;           /* the event loop running on this thread, or NULL */
    exec_t base;                 /* the thread's own call stack */

    /* less often used */
    int id;                      /* creation order; trace order */
    int is_main;                 /* the process's main thread */
    char *name;
    char *group;                 /* thread group, for fairness: config name or start target */
    int daemon;                  /* killed when its process exits */
    const char *exit_exc;        /* the exception main's program ended with (finalizing) */
    simtime_t born;
    const char *item_exc;        /* pool worker: the exception its item ended with */
    struct thread *starter;      /* blocked in Thread.start() until we start */
    waitlist_t joiners;
    struct pool *pool;           /* worker of this pool, or NULL */
    struct future *item;         /* the work item a pool worker runs */

    /* statistics (GIL takes and forced drops: gthr; migrations: os) */
    uint64_t ops_done;
    uint64_t lost_updates;       /* other threads' increments its stores wrote over */
    simtime_t finish;            /* -1 while alive */
    uint64_t preemptions;        /* taken off its core while it could run (OS hook) */
    hist_t blocking_extra;       /* each blocking wait's extra: wake-up to going on (effects.c) */
} thread_t;

/* The fields an event reads: all before `id`. */
#define THREAD_HOT_BYTES offsetof(thread_t, id)
_Static_assert(offsetof(thread_t, os) == 0, "an event's object, entity or thread, is the thread's start");

/* Named sync objects, one set per process. */
typedef struct lock {
    thread_t *owner;
    struct task *owner_task;
    waitlist_t waiters;
} lock_t;

typedef struct event {
    int set;
    waitlist_t waiters;
} event_t;

typedef struct queue {
    int64_t items, maxsize;
    waitlist_t getters, putters;
} queue_t;

/* A shared variable (shared.c): its value and the stores made to it. */
typedef struct shared {
    int64_t value;               /* starts at 0; each update stores what it loaded + 1 */
    int64_t updates;             /* updates stored */
    int64_t lost;                /* increments an update's store overwrote */
} shared_t;

/* A socketpair or pipe (chan.c): the messages sent and not yet received,
 * oldest first (a ring of cap); the threads blocked in recv, and those
 * blocked in send for room.  A pipe's buffer is pages (chan.c says how
 * they fill); a socketpair charges each message's skb to its sender's end. */
typedef struct chan_msg {
    int from;                    /* the sender's thread id */
    int64_t bytes;
    int64_t truesize;            /* socketpair: what its skb costs the sender's end */
} chan_msg_t;

typedef struct chan {
    chan_msg_t *msgs;
    int head, n, cap;
    waitlist_t receivers, senders;
    int *page_end;               /* pipe: each page's fill, a ring of npages */
    int npages, page_head, pages, head_read;   /* ... bytes of the oldest already read */
    int64_t *wmem;               /* socketpair: sk_wmem_alloc of each thread's end, by id */
    int nwmem;
} chan_t;

typedef struct sync_obj {
    enum object_kind kind;
    lock_t lock;
    event_t event;
    queue_t queue;
    shared_t shared;
    chan_t chan;
} sync_obj_t;

/* A `mark` op's text, in the order first shown, and when it was last shown. */
typedef struct mark_seen {
    const char *label;           /* the op's text (the config's) */
    simtime_t last;
} mark_seen_t;

/* Py_FinalizeEx as far as the process's other threads can tell (life.c). */
enum finalize_stage {
    FIN_NONE,
    FIN_JOINING,                 /* threading._shutdown: joining the non-daemon threads */
    FIN_TEARDOWN,                /* runtime finalizing, GIL held: take_gil ends other threads */
};

typedef struct process {
    int id;
    char *name;
    char *group;                 /* config process name or start target */
    struct process *parent;
    gil_t gil;
    int last_interp;             /* the highest interpreter number it has (0: main only) */
    thread_t **threads;
    int nthreads, cap;
    int live;                    /* threads not done */
    int live_nondaemon;          /* ... of which not daemon threads */
    int exiting;                 /* killing its daemon threads */
    enum finalize_stage finalize;    /* how far its main thread is in Py_FinalizeEx (life.c) */
    thread_t *main;
    int done;                    /* all threads ended (or crashed) */
    int crashed;
    simtime_t finish;
    waitlist_t joiners;
    sync_obj_t *objects;         /* config.objects, this process's instances */
    int nobjects;
    struct pool *pool;           /* worker process of this pool, or NULL */
    struct code_calls *code;     /* calls of each code object run here (model/warmup.c) */
    int ncode, capcode;
} process_t;

/* asyncio.  A task's time is counted in the state it leaves at each
 * change (aio.c's task_set_state), as a thread's is: ready (in the loop's
 * ready queue), running (its step is what the loop's thread runs,
 * whatever that thread is doing), waiting (awaiting a sleep, I/O or a
 * gather).  No time is counted once it is done. */
enum task_state { TASK_READY, TASK_RUNNING, TASK_WAITING, TASK_DONE };

typedef struct task {
    int id;                      /* the N of its name */
    char *name;                  /* Task-N */
    const char *coro;            /* the coroutine it wraps: its function's name */
    struct loop *loop;
    enum task_state state;
    simtime_t state_since;       /* when it entered its state */
    simtime_t state_time[TASK_DONE];   /* time in each state it has left */
    simtime_t created, first_run, finished;   /* first_run, finished: -1 until then */
    int64_t steps;               /* times the loop ran it */
    const char *awaiting;        /* while waiting: "sleep", "io" or "gather" */
    const handles_t *gathering;  /* while awaiting gather: the tasks it gathers */
    int gather_left;             /* ... and how many of them have not ended yet */
    const char *ended;           /* once done: "done", "exception", "cancelled" or "killed" */
    exec_t exec;
    const char *exc;             /* finished with this exception, or NULL */
    waitlist_t waiters;          /* tasks awaiting (gather) this one */
    /* What a wait list's wake-up does to it (sync.c calls it; aio.c sets
     * it): it becomes ready if it waits.  Returns whether it did. */
    int (*wake)(struct sim *s, struct task *k);
    struct task *next;           /* ready queue link */
    uint64_t gen;                /* pending timer generation */
    uint64_t done_seq;           /* completion order among everything that completes */
} task_t;

typedef struct loop {
    thread_t *thread;
    task_t *main;                /* the coroutine asyncio.run() wraps */
    task_t *ready_head, *ready_tail;
    int nready;
    int pass_left;               /* tasks left to run in this pass */
    task_t *running;
    task_t *finishing;           /* the task whose end is waking its gatherers, or NULL */
    int in_select;               /* blocked in select, waiting for a ready task */
    int polled;                  /* this pass's select(0) is done (tasks were ready) */
    int ntasks;                  /* alive */
    task_t **all;
    int nall, capall;
    /* The default executor of run_in_executor and to_thread, made at its
     * first use (pool.c), and what asyncio.run's shutdown_default_executor()
     * does with it (pool.c sets it): 1 = its workers are gone, 0 = blocked. */
    struct pool *executor;
    int (*executor_shutdown)(struct sim *s, struct thread *t, struct loop *l);
} loop_t;

/* concurrent.futures */
enum fut_state { FUT_PENDING, FUT_RUNNING, FUT_DONE };

typedef struct future {
    enum fut_state state;
    const char *exc;             /* finished with this exception, or NULL */
    char *label;                 /* "f(5s)": what result() shows */
    call_t call;                 /* the work: callee and literal args */
    value_t args[FUNC_MAX_PARAMS];
    uint64_t done_seq;           /* completion order */
    waitlist_t waiters;
    struct future *next;         /* pool work queue link */
    struct pool *pool;
} future_t;

typedef struct pool {
    int id;
    enum pool_kind kind;
    process_t *owner;            /* the process that created it */
    int max_workers;
    enum start_method method;
    future_t *q_head, *q_tail;   /* FIFO work queue */
    int queued;
    int idle;                    /* workers waiting for work */
    int nworkers;                /* started */
    struct thread *starting;     /* worker thread being started */
    int live_workers;            /* not exited */
    int shutdown;
    int broken;
    int loop_default;            /* an event loop's default executor: workers asyncio_N */
    waitlist_t idle_workers;     /* worker threads blocked in get() */
    handles_t procs;             /* process pools: the worker processes */
    waitlist_t shutdown_waiters;
    future_t **all;              /* every future, to free */
    int nall, capall;
    /* What the pool does when a process crashes (life.c calls them; pool.c
     * sets them): its owner did (the workers see EOF), or one of its
     * worker processes did (the pool breaks). */
    void (*owner_died)(struct sim *s, struct pool *p);
    void (*worker_died)(struct sim *s, struct pool *p);
} pool_t;

struct trace_sink;
struct thr_rooms;

typedef struct sim {
    engine_t eng;
    rng_t rng;
    const config_t *cfg;
    os_t os;                     /* the cores and the scheduler */
    const struct thr_rooms *rooms;   /* the rooms as the interpreter calls them (thread.h) */
    thread_t **threads;          /* every thread ever created, by id */
    slab_t thread_memory;        /* where those threads lie (slab.h says why) */
    int nthreads, capthreads;
    process_t **procs;           /* every process ever created, by id */
    int nprocs, capprocs;
    pool_t **pools;
    int npools, cappools;
    gil_t **gils;                /* every GIL: processes' and subinterpreters' */
    int ngils, capgils;
    loop_t **loops;
    int nloops, caploops;
    int live;                    /* threads not done */
    int initial_threads;         /* those the config itself creates */
    uint64_t done_seq;           /* futures completed so far */
    int futures;                 /* futures created so far */
    sim_caps_t caps;
    int64_t allocs, alloc_limit; /* tests: the model's allocations fail past the limit */
    int task_ids, thread_ids, process_ids;   /* Python-style name counters */
    /* memory estimate: what is alive now, and the peak */
    int64_t alive_threads, alive_tasks, alive_procs;
    int64_t mem_now, mem_peak;
    int64_t peak_threads, peak_tasks, peak_procs;
    mark_seen_t *marks;          /* each `mark` text once (effects.c) */
    int nmarks, capmarks;
    simtime_t end;               /* when the run ended */
    int cut;                     /* ended at `duration` with threads alive */
    int deadlock;                /* ended with threads blocked and nothing left to happen */
    int user_error;              /* the violation is the program's fault, not gilsim's */
    simtime_t spin_time;         /* zero-time loop detection */
    int spin_steps;
    struct trace_sink *trace;
    /* invariant checking (tests) */
    int check;
    int op_by_op;                /* sim_opts_t.op_by_op */
    simtime_t last_now;
    char violation[1024];
    /* failures (fail.h): where sim_fail unwinds to, and the thread whose
     * op is running, to say what caused them */
    jmp_buf bail;
    int fail_code;               /* SIM_ERR_* of the failure raised */
    thread_t *running;
    /* progress reports (CLI) */
    void (*progress)(void *ctx, simtime_t now, simtime_t end);
    void *progress_ctx;
} sim_t;

#endif
