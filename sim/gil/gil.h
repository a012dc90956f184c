/* gil.h — the one small interface every GIL policy implements, and the
 * host interface a policy acts through.
 *
 * Why an interface.  CPython has had three GILs — the ticker lock of
 * Python <= 3.1, the timed-wait GIL of 3.2+ (Python/ceval_gil.c), none in
 * the free-threaded build — and more were proposed (bpo-7946's priority
 * GILs).  The interpreter loop is the same under all of them: it asks for
 * the GIL before running bytecode, gives it up around a blocking call
 * (Py_BEGIN_ALLOW_THREADS), and stops at an eval-breaker check point when
 * the GIL wants one.  So the interpreter (model/thread.c) calls a table of
 * operations, gil_ops_t, and a policy is that table plus what it keeps to
 * itself:
 *
 *   - its state: one struct per GIL and one per thread, opaque, defined in
 *     the policy's own file.  The host allocates them zeroed (gil_size and
 *     thread_size bytes) and hands them back as g->state and t->state;
 *     nothing outside the policy's file reads them.  A thread's state of
 *     up to GIL_THREAD_ROOM bytes sits inside its gil_thread_t (room), so
 *     a wake-up reads no memory beyond the thread's own.
 *   - what it is, as GIL_* flags on its line of include/gil_policies.def,
 *     the registry that also gives it its enum value and python.gil name.
 *
 * A policy knows a thread only as a gil_thread_t, which the model's thread
 * embeds: whether it holds its GIL, the CPU time the policy charges it, its
 * statistics, its private state and the wait-queue links gil.c offers.  A
 * policy never blocks, wakes or traces a thread itself.  It asks its host
 * (gil_host_t, which the model supplies), much as ceval_gil.c asks pthreads
 * for a timed condition wait or a signal and the eval loop for a check:
 * this layer includes nothing above the engine and the config.
 *
 * Every GIL of a run has the same policy (python.gil), so a thread's state
 * fits whichever of them it uses.
 *
 * acquire, wake, release and checkpoint return 1 when the calling thread
 * goes on now, on its core, and 0 when it is blocked: the policy has it
 * woken later. */
#ifndef GILSIM_GIL_H
#define GILSIM_GIL_H

#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "events.h"
#include "engine/engine.h"
#include "rng.h"

/* What a policy is; on its line of gil_policies.def. */
enum gil_flag {
    GIL_EXCLUSIVE = 1,           /* one holder at a time: Python runs only with the GIL
                                    (all but the free-threaded build) */
    GIL_BATCHABLE = 2,           /* run_budget changes only when the policy asks the host
                                    to replan the holder, and the policy has no ran(): a
                                    one-op cpu loop may run as one segment (model/batch.c) */
    GIL_OWN_PER_INTERPRETER = 4, /* every interpreter has a GIL of its own (PEP 684) */
};

/* The events a policy reports for the trace (enum gil_event) and why the
 * holder releases the GIL (enum drop_reason) are in events.def. */

#define GIL_THREAD_ROOM 24       /* bytes of a policy's thread state kept inline */

/* What a GIL knows of a thread: embedded in the model's thread. */
typedef struct gil_thread {
    int has_gil;                 /* holds its GIL */
    simtime_t owed;              /* CPU time the policy charged it (a check's syscall, a
                                    pause): its running op pays it */
    simtime_t take_cost;         /* CPU it spends in take_gil before it goes on (a
                                    contended hand-off's cost): paid at the take */
    int slept;                   /* slept on the GIL (any gil_sleep) since it last took it */
    uint64_t takes, forced_drops;     /* GIL takes; drops at a drop request */
    void *state;                 /* the policy's: thread_size bytes, zeroed (room,
                                    when they fit) */
    _Alignas(8) unsigned char room[GIL_THREAD_ROOM];
    struct gil_thread *q_next, *q_prev;   /* links of the gil_queue_t it is in */
    int queued;
} gil_thread_t;

/* Threads asleep on a GIL, first come first: a policy keeps its own. */
typedef struct gil_queue {
    gil_thread_t *head, *tail;
} gil_queue_t;

typedef struct gil_ops gil_ops_t;
typedef struct gil_host gil_host_t;

typedef struct gil {
    const gil_ops_t *ops;
    unsigned flags;              /* GIL_* of its registry line */
    void *state;                 /* the policy's: gil_size bytes, zeroed */
    const gil_host_t *host;      /* what the policy acts through, and its context */
    void *host_ctx;
    int tracing;                 /* the host records what the policy reports (it says so
                                    before the run starts): else gil_trace* skip the call */
    engine_t *eng;               /* for the policy's own timers */
    rng_t *rng;
    const config_t *cfg;
    struct process *proc;        /* the host's: the process it belongs to (never looked
                                    into here) */
    int interp;                  /* interpreter number in its process (0: main) */
    simtime_t interval;          /* switch interval */
    gil_thread_t *holder;        /* NULL while free */
    gil_thread_t *last_holder;
    int last_holder_was_set;     /* a first take has no predecessor to switch from */
    uint64_t switch_number;      /* takes by another thread than the last holder */
    uint64_t takes, switches, drop_requests, forced_drops, failed_wakeups, stw_pauses;
} gil_t;

struct gil_ops {
    const char *name;            /* the algorithm's name, for messages (summary.csv's
                                    gil_policy is the registry's name: gil_policy_lookup) */
    size_t gil_size, thread_size;     /* private state per GIL and per thread */
    /* Optional: g is set up (interval, state zeroed) and registered. */
    void (*init)(gil_t *g);
    /* t, on a core, needs the GIL (take_gil). */
    int (*acquire)(gil_t *g, gil_thread_t *t);
    /* t, woken with GIL_WAKE_RETRY or GIL_WAKE_TIMEOUT, is on a core again. */
    int (*wake)(gil_t *g, gil_thread_t *t);
    /* t's GIL_SLEEP_TIMED wait ran out (needed by a policy that sleeps so). */
    void (*timeout)(gil_t *g, gil_thread_t *t);
    /* t, the holder, releases the GIL (drop_gil). */
    int (*release)(gil_t *g, gil_thread_t *t, enum drop_reason why);
    /* How much more bytecode time the holder may run before it must call
     * checkpoint(); to_check is the time to its next eval-breaker check.
     * SIMTIME_NEVER: no check wanted. */
    simtime_t (*run_budget)(gil_t *g, gil_thread_t *t, simtime_t to_check);
    /* The holder is at an eval-breaker check point. */
    int (*checkpoint)(gil_t *g, gil_thread_t *t);
    /* Optional: the holder ran ns of bytecode (a segment's end or a
     * preemption).  A policy with ran() is not GIL_BATCHABLE. */
    void (*ran)(gil_t *g, gil_thread_t *t, simtime_t ns);
    /* t vanishes at once: its process crashed or exited.  No trace, no
     * hand-off: every thread of the GIL's process dies with it. */
    void (*kill)(gil_t *g, gil_thread_t *t);
    /* Optional: bytecode runs this many times slower (the free-threaded
     * build); 1 without it. */
    double (*cpu_scale)(const gil_t *g);
};

/* How a thread sleeps (host sleep). */
enum gil_sleep {
    GIL_SLEEP_WAIT,              /* on the GIL, until woken */
    GIL_SLEEP_TIMED,             /* on the GIL, until woken or its timeout: ops->timeout */
    GIL_SLEEP_SWITCH,            /* until another thread has taken the GIL (FORCE_SWITCHING) */
};

/* What a woken thread does once on a core (host wake). */
enum gil_wake {
    GIL_WAKE_RETRY,              /* takes the GIL again: the host calls ops->wake */
    GIL_WAKE_TIMEOUT,            /* as RETRY, woken by its timed wait's timer */
    GIL_WAKE_GO_ON,              /* goes on with what it was doing */
};

/* The model's side: every callback gets the GIL's host_ctx. */
struct gil_host {
    /* t leaves its core and sleeps as `how` says (timeout: GIL_SLEEP_TIMED). */
    void (*sleep)(void *ctx, gil_thread_t *t, enum gil_sleep how, simtime_t timeout);
    /* Wakes t, asleep: runnable after the OS's wake-up latency (for
     * GIL_WAKE_TIMEOUT, as its timer's interrupt brings it), then as `how`
     * says.  Its pending timeout, if any, is void. */
    void (*wake)(void *ctx, gil_thread_t *t, enum gil_wake how);
    /* Whether t is on a core. */
    int (*on_core)(void *ctx, const gil_thread_t *t);
    /* Of g's threads asleep on it with a GIL_WAKE_RETRY or GIL_WAKE_TIMEOUT
     * wake-up on its way, the one whose wake-up lands first within
     * [from, until] (the oldest thread of those landing at once); NULL if
     * none. */
    gil_thread_t *(*first_waking)(void *ctx, gil_t *g, simtime_t from, simtime_t until);
    /* Would waking t, asleep, make the OS preempt `waker`, running, at once
     * (CFS wake-up preemption)? */
    int (*wake_preempts)(void *ctx, const gil_thread_t *waker, const gil_thread_t *t);
    /* Must t, entering take_gil, exit instead (its process finalizes and t
     * is not the finalizing thread: tstate_must_exit)? */
    int (*must_exit)(void *ctx, const gil_thread_t *t);
    /* t, on a core in take_gil, exits there (PyThread_exit_thread): it
     * never runs again; the policy has forgotten it first. */
    void (*exit_thread)(void *ctx, gil_thread_t *t);
    /* The holder t's run_budget changed: its running segment ends now and
     * the interpreter asks again. */
    void (*replan)(void *ctx, gil_thread_t *t);
    /* The free-threaded build's stop-the-world pause (as the cyclic GC's):
     * every thread of g running Python now runs `pause` longer.  0 when g's
     * process has ended (nothing to stop). */
    int (*stop_the_world)(void *ctx, gil_t *g, simtime_t pause);
    /* For the trace: a GIL event; a release (GE_DROP, the reason's name);
     * another event by name; a thread's name for a detail. */
    void (*trace)(void *ctx, const gil_thread_t *t, enum gil_event ev, const char *detail);
    void (*trace_drop)(void *ctx, const gil_thread_t *t, enum drop_reason why);
    void (*trace_other)(void *ctx, const gil_thread_t *t, enum model_event event);
    const char *(*name)(void *ctx, const gil_thread_t *t);
};

/* A line of the registry (gil_policies.def). */
typedef struct gil_policy_entry {
    const char *name;
    const gil_ops_t *ops;
    unsigned flags;
    const char *about;
} gil_policy_entry_t;

const gil_policy_entry_t *gil_policy_lookup(enum gil_policy id);

/* ---- for policies: what they share (gil.c) ------------------------------ */

/* t takes g: holder, counters, switch_number when the holder changes,
 * trace.  A take from another holder by a thread that slept on the GIL
 * since it last held it costs it python.switch_cost in take_gil (gil.c
 * says why). */
void gil_take(gil_t *g, gil_thread_t *t);
/* t, the holder, no longer holds g. */
void gil_let_go(gil_t *g, gil_thread_t *t);
/* kill for a policy whose holder need only let go: its process is gone,
 * and every thread of the GIL's process dies with it, so no hand-off. */
void gil_kill_holder(gil_t *g, gil_thread_t *t);
/* A timed wait on the GIL's condvar: one interval, ended a little late by
 * the OS's timer slack (drawn from the run's generator; the host adds the
 * timer interrupt's latency). */
simtime_t gil_interval_wait(gil_t *g);

/* CPython's drop request and forced switch (gil_drop_request,
 * FORCE_SWITCHING in ceval_gil.c), shared by the policies built on them
 * (new, io-priority), which embed one in their state. */
typedef struct gil_force {
    int drop_request;
    gil_thread_t *switch_waiter; /* forced dropper waiting for a take */
} gil_force_t;
/* requester asks the holder to drop (once until a take clears it): the
 * holder's next check point is planned. */
void gil_force_request(gil_t *g, gil_force_t *f, gil_thread_t *requester);
/* After a take: the forced dropper waiting for it goes on; no request. */
void gil_force_taken(gil_t *g, gil_force_t *f);
/* After t released g for why (and the policy woke a waiter): with a drop
 * request pending, t waits until another thread takes g (0: asleep);
 * else 1. */
int  gil_force_released(gil_t *g, gil_force_t *f, gil_thread_t *t, enum drop_reason why);
/* run_budget: the holder runs to its next check point only when asked. */
simtime_t gil_force_budget(const gil_force_t *f, simtime_t to_check);
void gil_queue_push(gil_queue_t *q, gil_thread_t *t);
void gil_queue_remove(gil_queue_t *q, gil_thread_t *t);    /* if queued */
gil_thread_t *gil_queue_pop(gil_queue_t *q);

static inline void gil_sleep(gil_t *g, gil_thread_t *t, enum gil_sleep how, simtime_t timeout)
{
    t->slept = 1;
    g->host->sleep(g->host_ctx, t, how, timeout);
}

static inline void gil_wake_thread(gil_t *g, gil_thread_t *t, enum gil_wake how)
{
    g->host->wake(g->host_ctx, t, how);
}

/* take_gil checks tstate_must_exit on entry, after each wait, and after
 * taking the GIL (Python/ceval_gil.c; the thread then calls
 * PyThread_exit_thread, and 3.13+ hangs it for ever instead): whether t's
 * process finalizes and t is not the finalizing thread.  A policy checks
 * it where its take_gil starts (acquire, wake), forgets t, then has it
 * exit (gil_exit_thread): no GIL taken, nothing left behind. */
static inline int gil_must_exit(const gil_t *g, const gil_thread_t *t)
{
    return g->host->must_exit(g->host_ctx, t);
}

static inline void gil_exit_thread(gil_t *g, gil_thread_t *t)
{
    g->host->exit_thread(g->host_ctx, t);
}

static inline void gil_replan(gil_t *g, gil_thread_t *t)
{
    g->host->replan(g->host_ctx, t);
}

static inline void gil_trace(const gil_t *g, const gil_thread_t *t, enum gil_event ev,
                             const char *detail)
{
    if (g->tracing)
        g->host->trace(g->host_ctx, t, ev, detail);
}

static inline void gil_trace_drop(const gil_t *g, const gil_thread_t *t, enum drop_reason why)
{
    if (g->tracing)
        g->host->trace_drop(g->host_ctx, t, why);
}

static inline void gil_trace_other(const gil_t *g, const gil_thread_t *t, enum model_event event)
{
    if (g->tracing)
        g->host->trace_other(g->host_ctx, t, event);
}

/* ---- for the interpreter: the calls into the policy --------------------- */

static inline int gil_acquire(gil_t *g, gil_thread_t *t) { return g->ops->acquire(g, t); }
static inline int gil_wake(gil_t *g, gil_thread_t *t) { return g->ops->wake(g, t); }
static inline void gil_timeout(gil_t *g, gil_thread_t *t) { g->ops->timeout(g, t); }
static inline int gil_checkpoint(gil_t *g, gil_thread_t *t) { return g->ops->checkpoint(g, t); }
static inline void gil_kill(gil_t *g, gil_thread_t *t) { g->ops->kill(g, t); }

static inline int gil_release(gil_t *g, gil_thread_t *t, enum drop_reason why)
{
    return g->ops->release(g, t, why);
}

static inline simtime_t gil_run_budget(gil_t *g, gil_thread_t *t, simtime_t to_check)
{
    return g->ops->run_budget(g, t, to_check);
}

/* The holder ran ns of bytecode: for a policy that counts it. */
static inline void gil_ran(gil_t *g, gil_thread_t *t, simtime_t ns)
{
    if (g->ops->ran)
        g->ops->ran(g, t, ns);
}

static inline double gil_cpu_scale(const gil_t *g)
{
    return g->ops->cpu_scale ? g->ops->cpu_scale(g) : 1.0;
}

/* May t run Python code now: it holds its GIL, or its build has none
 * (free-threaded), where "taking the GIL back" is a no-op. */
static inline int gil_may_run(const gil_t *g, const gil_thread_t *t)
{
    return t->has_gil || !(g->flags & GIL_EXCLUSIVE);
}

#endif
