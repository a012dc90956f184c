/* caps.h — every size limit of gilsim, in one place: checked by the loader
 * (config*.c) for what a config declares and by the model (fail.h) for what
 * a program creates while it runs.  configs/README.md's Limits
 * lists them.
 *
 * Threads and processes: a thread costs about 1.6 KiB and the run queue
 * log n, so 10 ms simulated with 1M CPU-bound threads takes about 6 s at
 * 1.5 GiB (make bench's million series).  The readers of a run folder
 * (plot, explain) refuse a file of more threads than this, so that a
 * stranger's folder cannot make them allocate without bound; a higher cap
 * must come with their tests.  Tasks and futures are capped
 * by memory: 1M tasks took 3.5 GB. */
#ifndef GILSIM_CAPS_H
#define GILSIM_CAPS_H

#define THREADS_MAX   1000000    /* threads in all: in the config and started by programs */
#define PROCESSES_MAX 65536      /* processes in all, likewise (each has a thread) */
#define CORES_MAX     1024       /* machine.cores */
#define TASKS_MAX     100000     /* asyncio tasks in all (3.5 KiB each: 1M take 3.5 GB) */
#define FUTURES_MAX   100000     /* concurrent.futures futures in all (submit, map) */
#define INTERPRETERS_MAX 1000    /* a thread group's `interpreter:` number */
#define COUNT_MAX     1000000    /* any other count: repeat, count:, check_interval, ... */
/* Steps a program may run at one instant: a loop whose body takes no
 * simulated time (repeat: forever over event_set) would run for ever. */
#define STEPS_AT_ONE_INSTANT_MAX 20000000
#define NAME_MAX_BYTES 128       /* a name: run, process, thread, function, object, local */
/* Room for a name as printed (util.h text_shown): a configured name plus a
 * built suffix such as "-999999", each byte possibly a 4-byte escape. */
#define NAME_SHOWN (4 * (NAME_MAX_BYTES + 16) + 1)

/* What a program may create in all: these caps, or lower ones a test or an
 * embedding program passes in sim_opts_t (0: the cap above). */
typedef struct sim_caps {
    int threads, processes, tasks, futures;
    int steps_at_one_instant;
} sim_caps_t;

#define CAP_STR_(x) #x
#define CAP_STR(x) CAP_STR_(x)

#endif
