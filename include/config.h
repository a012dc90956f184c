/* config.h — a run's description, as loaded from a YAML config.
 *
 * The loader (config.c) checks everything a user can get wrong and reports
 * it as "file:line:column: message"; what reaches the model is valid:
 * counts >= 1, durations >= 0, programs well formed. */
#ifndef GILSIM_CONFIG_H
#define GILSIM_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include "rng.h"
#include "simtime.h"

/* One operation of a program (a thread's, a process's main, or a function's
 * body).  Programs are flattened: an op with a body (REPEAT, POOL, LOCK,
 * TRY) at index i owns ops i+1 .. body_end-1; a TRY's except body follows,
 * body_end .. except_end-1.
 *
 * Durations and counts may be a function parameter instead of a literal:
 * dur_param / count_param is then the parameter's index (else -1). */
enum op_kind {
    /* issue 2: the basic work */
    OP_CPU,            /* cpu: D          Python bytecode: GIL + core */
    OP_HOLD,           /* hold: D         a C call holding the GIL: no check point inside */
    OP_NATIVE,         /* native: D       C code without the GIL: core only */
    OP_IO,             /* io: D           blocking I/O: off-core, GIL released */
    OP_SLEEP,          /* sleep: D        time.sleep: as io */
    OP_REPEAT,         /* repeat: N|forever|$p, do: [...] */
    /* functions and threads (an op is one kind key plus sibling keys) */
    OP_CALL,           /* call: f, args: [...]          a plain call, inline */
    OP_MARK,           /* mark: TEXT      print(time.perf_counter() - start) */
    OP_START_THREAD,   /* start: f, args, count, name, as, daemon */
    OP_START_PROCESS,  /* process: f, args, count, method: fork|spawn, as */
    OP_JOIN,           /* join: LOCAL     threads or processes, in start order */
    /* asyncio */
    OP_ASYNCIO_RUN,    /* asyncio_run: f, args          a loop on this thread */
    OP_AWAIT_SLEEP,    /* await: {sleep: D}             asyncio.sleep (0 allowed) */
    OP_AWAIT_IO,       /* await: {io: D}                an awaited I/O wait */
    OP_AWAIT_CALL,     /* await: {call: f, args: [...]} a coroutine, inline */
    OP_CREATE_TASK,    /* create_task: f, args, count, as */
    OP_GATHER,         /* await: {gather: LOCAL} */
    OP_TO_THREAD,      /* await: {to_thread: f, args: [...]}  the loop's default executor */
    /* concurrent.futures */
    OP_POOL,           /* with_pool: thread|process, max_workers, method, as, do: [...] */
    OP_SUBMIT,         /* submit: f, args, count, as, pool */
    OP_MAP,            /* map: f, over: [...], pool     results in input order */
    OP_AS_COMPLETED,   /* as_completed: LOCAL           results in completion order */
    /* synchronisation (objects named in the config's `objects:`) */
    OP_LOCK,           /* with_lock: NAME, do: [...] */
    OP_EVENT_SET,      /* event_set: NAME */
    OP_EVENT_WAIT,     /* event_wait: NAME */
    OP_QUEUE_PUT,      /* queue_put: NAME */
    OP_QUEUE_GET,      /* queue_get: NAME */
    OP_SEND,           /* send: NAME      one message on a socketpair or pipe */
    OP_RECV,           /* recv: NAME      one message from it; blocks while none */
    OP_UPDATE,         /* update: NAME, call: BOOL     NAME += 1 on a shared variable: load, add, store */
    /* faults */
    OP_RAISE,          /* raise: NAME, probability: P */
    OP_TRY,            /* try: [...], except: [...] */
    OP_CRASH,          /* crash: TEXT     the whole process dies at once */
    OP__COUNT          /* how many kinds there are (tables by kind) */
};

#define REPEAT_FOREVER (-1)
#define PROGRAM_MAX_DEPTH 16      /* nested bodies (repeat, with_pool, ...) */
#define CALL_MAX_DEPTH 64         /* nested calls; deeper is a config error */
#define FUNC_MAX_PARAMS 8

enum param_type { PARAM_DURATION, PARAM_COUNT };

/* An argument value, typed by the parameter it binds to. */
typedef struct value {
    enum param_type type;
    dist_t dur;          /* PARAM_DURATION */
    int64_t count;       /* PARAM_COUNT */
} value_t;

/* An argument as written at a call site: a literal, or `$p`, one of the
 * calling function's own parameters (passed on at run time). */
typedef struct argref {
    int param;           /* >= 0: caller's parameter index; -1: literal */
    value_t lit;
} argref_t;

typedef struct call {
    int fn;              /* index in config.functions; -1: none */
    argref_t *args;      /* exactly the callee's nparams, defaults filled in */
    int nargs;
} call_t;

enum pool_kind { POOL_THREAD, POOL_PROCESS, POOL_INTERPRETER };
enum start_method { START_DEFAULT, START_FORK, START_SPAWN };

/* What a local handle name holds (the `as:` of start, process, create_task,
 * submit, with_pool); checked at load time against its uses. */
enum local_kind { LOCAL_THREADS, LOCAL_PROCESSES, LOCAL_TASKS, LOCAL_FUTURES, LOCAL_POOL };

typedef struct op {
    enum op_kind kind;
    int line, col;       /* where the op was written (1-based) */
    dist_t dur;          /* CPU NATIVE IO SLEEP AWAIT_SLEEP AWAIT_IO */
    int dur_param;
    int64_t count;       /* REPEAT (or REPEAT_FOREVER); START_*, CREATE_TASK, SUBMIT: how many (default 1) */
    int count_param;
    int body_end;        /* REPEAT POOL LOCK TRY */
    int except_end;      /* TRY */
    call_t call;         /* CALL AWAIT_CALL START_* ASYNCIO_RUN CREATE_TASK SUBMIT MAP TO_THREAD */
    int local;           /* the handle list written (as:) or read (join, gather, as_completed); -1 none */
    int pool;            /* SUBMIT MAP: local of the pool (default: innermost with_pool;
                          * a with_pool without `as:` gets a hidden local) */
    value_t *over;       /* MAP: items, each bound to the callee's first parameter
                          * (call.args[0] is then only a placeholder) */
    int nover;
    enum pool_kind pool_kind;      /* POOL */
    int max_workers;               /* POOL: 0 = Python's default for python.version */
    enum start_method method;      /* START_PROCESS, POOL(process): START_DEFAULT = multiprocessing.start_method */
    int object;          /* LOCK EVENT_* QUEUE_*: index in config.objects */
    char *text;          /* MARK: label; RAISE: exception name; CRASH: reason; START_THREAD: name base (NULL: Thread-N) */
    double probability;  /* RAISE: chance the op raises, default 1 */
    int daemon;          /* START_THREAD: daemon threads die with their process */
    int rhs_call;        /* UPDATE: the right-hand side calls a Python function (NAME += f()) */
    int64_t bytes;       /* SEND: the message's size (`bytes:`, default 1) */
} op_t;

typedef struct program {
    op_t *ops;
    int nops;
    char **locals;       /* handle names used in this program, by index */
    enum local_kind *local_kinds;
    int nlocals;
} program_t;

/* `functions:` — def f(params): body, or async def when is_async. */
typedef struct function_cfg {
    char *name;
    int is_async;
    char **params;
    enum param_type *param_types;
    value_t *defaults;   /* has_default[i] says which are set */
    int *has_default;
    int nparams;
    program_t body;
    int line, col;
} function_cfg_t;

typedef struct thread_cfg {
    char *name;
    int count;           /* threads in this group */
    program_t prog;
    int interpreter;     /* python.gil per-interpreter: which interpreter (0: main) */
    simtime_t switch_interval;   /* its interpreter's interval; 0: python.switch_interval */
    uint64_t affinity;   /* cores it may run on (bit i: core i); 0: any */
} thread_cfg_t;

/* A process: an optional main thread program (`main:`), and thread groups
 * started at time 0 (`threads:`); at least one of the two. */
typedef struct process_cfg {
    char *name;
    int count;           /* identical processes, each with its own GIL */
    int has_main;
    program_t main;      /* the main thread's program, thread "MainThread" */
    thread_cfg_t *threads;
    int nthreads;
} process_cfg_t;

/* The kernel's page (x86-64 PAGE_SIZE): a pipe buffer's slot, and the
 * unit of a socket message's paged data. */
#define KERNEL_PAGE 4096
/* An skb's head ends in its struct skb_shared_info (SKB_DATA_ALIGN'd: 320
 * bytes on x86-64), so a page-sized head holds KERNEL_SKB_MAX_HEAD bytes
 * (SKB_MAX_HEAD(0)); unix_stream_sendmsg puts at most
 * KERNEL_UNIX_SKB_FRAGS more in pages (UNIX_SKB_FRAGS_SZ). */
#define KERNEL_SKB_SHINFO 320
#define KERNEL_SKB_MAX_HEAD (KERNEL_PAGE - KERNEL_SKB_SHINFO)
#define KERNEL_UNIX_SKB_FRAGS 32768

/* `objects:` — named synchronisation objects and shared variables; each
 * process has its own. */
enum object_kind { OBJ_LOCK, OBJ_EVENT, OBJ_QUEUE, OBJ_SHARED, OBJ_SOCKETPAIR, OBJ_PIPE };
typedef struct object_cfg {
    char *name;
    enum object_kind kind;
    int64_t maxsize;     /* QUEUE: 0 = unbounded */
} object_cfg_t;

/* python.gil: one value per line of gil_policies.def (GIL_NEW, GIL_OLD...). */
enum gil_policy {
#define GIL_POLICY(id, name, ops, flags, about) GIL_##id,
#include "gil_policies.def"
#undef GIL_POLICY
};
enum gil_wakeup { WAKE_OS, WAKE_FIFO, WAKE_RANDOM };
enum os_scheduler { SCHED_CFS, SCHED_RR };

typedef struct config {
    char *name;                  /* `name:` key, else the file's base name */
    char *path;                  /* file it was read from */
    /* a 64-bit hash (FNV-1a over the tree: config_print.c) of the effective
     * config (what --print-config prints: defaults and --set applied), its
     * layout, quoting, comments and the order of a mapping's keys aside:
     * summary.csv's config_hash */
    uint64_t hash;
    struct {
        int cores;
    } machine;
    struct {
        simtime_t sched_latency;     /* CFS-like target latency, unscaled */
        simtime_t min_granularity;   /* shortest slice, unscaled */
        simtime_t context_switch;    /* cost of switching a core to another thread */
        simtime_t timer_slack;       /* timed waits fire up to this late */
        simtime_t tick;              /* scheduler tick of a busy core (1/CONFIG_HZ); 0: none */
        dist_t wake_latency;         /* blocked -> runnable, onto a core idle < halt_poll */
        dist_t wake_latency_deep;    /* ... onto a core idle for os.halt_poll or longer */
        simtime_t halt_poll;         /* an idle core wakes fast for this long (KVM halt polling) */
        dist_t timer_latency;        /* a timer's expiry -> its interrupt, on a busy core */
        dist_t timer_latency_idle;   /* ... on an idle core, which it wakes */
        enum os_scheduler scheduler;
        simtime_t wakeup_granularity;   /* CFS: vruntime lead needed to preempt on wake-up */
        simtime_t migration;         /* cost of resuming on another core than last time */
        simtime_t socket_syscall;    /* on-CPU time of one small send or recv */
        int64_t pipe_buffer;         /* a pipe's buffer: whole pages of KERNEL_PAGE bytes */
        int64_t socket_sndbuf;       /* a socket's sk_sndbuf (net.core.wmem_default) */
        int64_t skb_overhead;        /* what an skb costs its socket beside its data */
    } os;
    struct {
        enum gil_policy gil;
        enum gil_wakeup gil_wakeup;  /* which waiter a release wakes, and barging */
        simtime_t switch_interval;   /* sys.setswitchinterval */
        simtime_t checkpoint_gap;    /* bytecode time between eval-breaker checks
                                      * (0 in the file: by version, resolved at load) */
        simtime_t opcode_time;       /* one bytecode instruction (a "tick") */
        int check_interval;          /* old GIL: ticks between checks */
        simtime_t switch_cost;       /* CPU a thread loses taking the GIL from another */
        simtime_t finalize;          /* Py_FinalizeEx's teardown, GIL held, before the exit */
        simtime_t old_signal;        /* old GIL: cost of a release that signals waiters */
        simtime_t old_contention;    /* old GIL: holder's cost per futile wake-up elsewhere */
        simtime_t old_window;        /* old GIL: how long a check leaves the GIL free */
        double nogil_slowdown;       /* free-threaded single-thread factor (0: by version) */
        simtime_t stw_interval;      /* free-threaded stop-the-world period (0: none) */
        simtime_t stw_pause;         /* ... and its length */
        int version;                 /* major*100 + minor: 311 for "3.11" */
        char version_implied[160];   /* "": python.version given; else how it was chosen */
        simtime_t thread_start;      /* CPU time of Thread.start() in the starter */
        simtime_t thread_bootstrap;  /* the new thread's CPU, GIL held, before _started.set() */
        simtime_t shutdown_scan;     /* 3.10-3.12: bootstrap's per live non-daemon thread */
        int specialize;              /* model bytecode warm-up (3.11+) */
        int warmup_calls;            /* the first call that runs specialised (0: by version) */
        double unspecialized_slowdown;   /* bytecode not yet specialised: this much slower */
        uint64_t imports;            /* modules __main__ imports: bit i = imports.def's row i */
        int64_t thread_memory;       /* bytes per thread (resident) */
        int64_t task_memory;         /* bytes per asyncio task */
        int64_t process_memory;      /* bytes per process */
        simtime_t pickle;            /* per argument or result crossing processes */
    } python;
    struct {
        enum start_method start_method;   /* START_FORK or START_SPAWN */
        simtime_t fork_parent, fork_child;
        simtime_t spawn_parent, spawn_child;
    } mp;                        /* `multiprocessing:` */
    struct {
        simtime_t loop_iteration;    /* CPU per _run_once pass */
        simtime_t select_poll;       /* the select(0) syscall of a pass with tasks ready */
        simtime_t task_step;         /* CPU per task step (resume to suspend) */
        simtime_t create_task;       /* CPU per create_task */
    } aio;                       /* `asyncio:` */
    simtime_t duration;          /* 0: run until every thread is done */
    uint64_t seed;
    process_cfg_t *procs;
    int nprocs;
    function_cfg_t *functions;
    int nfunctions;
    object_cfg_t *objects;
    int nobjects;
} config_t;

#define CFG_ERR_MAX 1024

/* Loads path, then applies the "key.path=value" overrides in sets (nsets of
 * them; --set on the command line).  On error returns -1 and writes
 * "file:line:column: message" (or "--set 'k=v': message") into err. */
int  cfg_load(const char *path, char *const *sets, int nsets,
              config_t *out, char err[CFG_ERR_MAX]);
/* Same, from text in memory; name stands in for the file name in errors. */
int  cfg_load_string(const char *name, const char *text,
                     char *const *sets, int nsets,
                     config_t *out, char err[CFG_ERR_MAX]);
/* Loads path with sets as cfg_load does, and gives the effective config as
 * YAML text (malloc'd): the config as written and overridden, with every
 * setting of machine, os, python, multiprocessing and asyncio (and name,
 * duration, seed) at the value the run uses, defaults included.  Loading
 * that text runs the same simulation.  0, or -1 with err. */
int  cfg_load_effective(const char *path, char *const *sets, int nsets, char **text,
                        char err[CFG_ERR_MAX]);
void cfg_free(config_t *c);
/* python.version as written: "3.11", "3.13t" (the free-threaded build). */
const char *cfg_version_text(const config_t *cfg, char *buf, size_t size);
/* What a spawned child pays to import python.imports again, each module of
 * their closure once (include/imports.def). */
simtime_t cfg_imports_cost(uint64_t imports);
/* Row i of include/imports.def (for `gilsim help imports`): its name, cost
 * and the rows it imports (bit j: row j); -1 past the last row. */
int cfg_import_row(int i, const char **name, simtime_t *cost, uint64_t *deps);
/* "start", "await sleep": an op's name as a config writes it. */
const char *cfg_op_name(enum op_kind kind);

/* What the loader accepts, read from its own tables (for `gilsim help` and
 * the READMEs).  cfg_each_key calls each() for every key, section by
 * section in the order a config is written: the section ("" at the top
 * level, "os", "processes[].threads[]", "functions.NAME"), the key, and
 * whether the section requires it. */
typedef void (*cfg_key_fn)(void *ctx, const char *section, const char *key, int required);
void cfg_each_key(cfg_key_fn each, void *ctx);

/* Key i of the config reference (`gilsim config-reference`), in
 * cfg_each_key's order: its type, read from the loader's field for it; its
 * default, written as --print-config writes it from the values a config
 * starts from (or the reference's words where it is not a plain value:
 * "by version"); its unit ("" for none), meaning and source (Markdown
 * code quotes).  0; -1 past the last key; -2 when the reference lacks the
 * key's prose or type (a bug: the unit tests look at every key). */
typedef struct cfg_key_ref {
    char key[96];                        /* "os.sched_latency" */
    char type[96];                       /* "duration > 0", "cfs | rr" */
    char dflt[64];                       /* "6ms" */
    const char *unit, *meaning, *source;
    int required;
    int computed;                        /* dflt is the value a config starts from */
} cfg_key_ref_t;
int cfg_key_reference(int i, cfg_key_ref_t *out);
/* A key the reference describes that the loader does not have, or NULL. */
const char *cfg_key_reference_stray(void);

/* Op i of the loader's op table: its kind key and the keys it takes
 * beside it.  0, or -1 past the last op. */
#define CFG_OP_KEYS_MAX 16
typedef struct cfg_op_doc {
    const char *key;                     /* "start" */
    const char *keys[CFG_OP_KEYS_MAX];   /* "args", "count", ... */
    int nkeys;
    unsigned required;                   /* bit j: keys[j] is required */
} cfg_op_doc_t;
int cfg_op_doc(int i, cfg_op_doc_t *out);

/* Parses "15ms", "0.75ms", "exp(5ms)", "uniform(1ms, 2ms)", "normal(5ms, 1ms)",
 * "lognormal(6us, 0.45)".  Returns 0, or -1 with a message in err. */
int  cfg_parse_dist(const char *s, dist_t *d, char *err, int errsize);
int  cfg_parse_duration(const char *s, simtime_t *ns, char *err, int errsize);

#endif
