/* config.h — a run's description, as loaded from a YAML config.
 *
 * The loader (config.c) checks everything a user can get wrong and reports
 * it as "file:line:column: message"; what reaches the model is valid:
 * counts >= 1, durations >= 0, programs well formed. */
#ifndef GILSIM_CONFIG_H
#define GILSIM_CONFIG_H

#include <stdint.h>
#include "rng.h"
#include "simtime.h"

/* One operation of a thread program.  Programs are flattened: a REPEAT at
 * index i owns ops i+1 .. body_end-1, and execution jumps back to i+1 at
 * body_end until the count runs out. */
enum op_kind {
    OP_CPU,      /* Python bytecode: needs the GIL and a core */
    OP_NATIVE,   /* C code that released the GIL: needs a core only */
    OP_IO,       /* blocking I/O: GIL released, off-core */
    OP_SLEEP,    /* time.sleep: GIL released, off-core */
    OP_REPEAT,   /* loop over a body */
};

#define REPEAT_FOREVER (-1)
#define PROGRAM_MAX_DEPTH 16

typedef struct op {
    enum op_kind kind;
    dist_t dur;          /* CPU, NATIVE, IO, SLEEP */
    int64_t count;       /* REPEAT: iterations, or REPEAT_FOREVER */
    int body_end;        /* REPEAT: index just past the body */
    int line, col;       /* where the op was written (1-based) */
} op_t;

typedef struct program {
    op_t *ops;
    int nops;
} program_t;

typedef struct thread_cfg {
    char *name;
    int count;           /* threads in this group */
    program_t prog;
} thread_cfg_t;

typedef struct process_cfg {
    char *name;
    int count;           /* identical processes, each with its own GIL */
    thread_cfg_t *threads;
    int nthreads;
} process_cfg_t;

enum gil_policy { GIL_NEW };

typedef struct config {
    char *name;                  /* `name:` key, else the file's base name */
    char *path;                  /* file it was read from */
    struct {
        int cores;
    } machine;
    struct {
        simtime_t sched_latency;     /* CFS-like target latency, unscaled */
        simtime_t min_granularity;   /* shortest slice, unscaled */
        simtime_t context_switch;    /* cost of switching a core to another thread */
        simtime_t timer_slack;       /* timed waits fire up to this late */
        dist_t wake_latency;         /* blocked -> runnable */
    } os;
    struct {
        enum gil_policy gil;
        simtime_t switch_interval;   /* sys.setswitchinterval */
        simtime_t checkpoint_gap;    /* bytecode time between eval-breaker checks */
    } python;
    simtime_t duration;          /* 0: run until every thread is done */
    uint64_t seed;
    process_cfg_t *procs;
    int nprocs;
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
void cfg_free(config_t *c);

/* Parses "15ms", "0.75ms", "exp(5ms)", "uniform(1ms, 2ms)", "normal(5ms, 1ms)",
 * "lognormal(6us, 0.45)".  Returns 0, or -1 with a message in err. */
int  cfg_parse_dist(const char *s, dist_t *d, char *err, int errsize);
int  cfg_parse_duration(const char *s, simtime_t *ns, char *err, int errsize);

#endif
