/* life.h — threads and processes a program starts, joins, ends and
 * crashes.  Op handlers follow thread.h's convention: 1 = go on,
 * 0 = blocked. */
#ifndef GILSIM_LIFE_H
#define GILSIM_LIFE_H

#include "model/model.h"

int  life_start_thread(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  life_start_process(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  life_join(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
/* The CPU a new thread spends, GIL held, in its bootstrap before it sets
 * `_started` (python.thread_bootstrap, and the shutdown-lock scan of
 * 3.10-3.12): a started thread's, and a thread pool's worker's. */
simtime_t life_bootstrap_cost(const sim_t *s, const thread_t *child);
/* t ran its bootstrap (it took the GIL once): its starter goes on. */
void life_thread_started(sim_t *s, thread_t *t);
/* t's program ended (exc: the exception that ended it, or NULL). */
int  life_exit(sim_t *s, thread_t *t, const char *exc);
/* The detail of the main thread's sync_wait at interpreter exit, while
 * threading._shutdown joins the non-daemon threads (a pool's own
 * shutdown says "shutdown"). */
#define LIFE_FINAL_JOIN "threading_shutdown"
void life_exit_in_take_gil(sim_t *s, thread_t *t);
/* Process p dies at once, every thread of it (reason: the trace's). */
void life_crash(sim_t *s, process_t *p, const char *reason);
/* The process is linked into the sim before its name (the format's) is
 * made, so nothing leaks if that fails (fail.h). */
process_t *life_process_new(sim_t *s, process_t *parent, const char *group, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void life_process_free(process_t *p);
/* A new process (fork or spawn) whose main thread, not yet started, first
 * pays the child's start-up cost; the caller gives it work and starts it. */
process_t *life_spawn(sim_t *s, process_t *parent, enum start_method m, const char *group,
                      thread_t **main_out);

#endif
