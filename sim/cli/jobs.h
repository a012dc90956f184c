/* jobs.h — items handed to N worker processes: fork()ed, no threads, no
 * shell.  Each worker takes the next item index from a counter shared
 * with the others (an anonymous shared mapping), works on it, and tells
 * the parent which it finished, with the item's result bytes if it has
 * any, through a pipe of its own; the parent reports the progress and
 * waits for them all.  Which worker gets which item, and the order in
 * which items finish, vary from run to run: a caller whose outputs must
 * not depend on it writes each item's files from the item alone, or puts
 * the results back in item order (sweep.c). */
#ifndef GILSIM_JOBS_H
#define GILSIM_JOBS_H

#include <signal.h>
#include <stddef.h>

typedef struct jobs {
    int nitems, nworkers;
    /* In a worker: item i's work; 0, or an exit status (its message
     * printed).  The first failure stops the others at their next item. */
    int (*work)(int item, void *ctx);
    /* In a worker, after item i's work succeeded (NULL: no results): the
     * bytes to hand to the parent's on_result, valid until the next
     * item's work. */
    const char *(*result)(void *ctx, size_t *len);
    /* In the parent, for each item finished with a result, in the order
     * they finish; 0, or an exit status that stops the workers (no result
     * is handed on after it). */
    int (*on_result)(int item, const char *data, size_t len, void *ctx);
    /* In a worker, once it takes no more items (NULL: none): e.g. draws
     * the figures it gathered.  0, or an exit status. */
    int (*finish)(void *ctx);
    /* In the parent, after each item that succeeded (NULL: none). */
    void (*progress)(int done, int total, void *ctx);
    void *ctx;
    volatile sig_atomic_t *stop; /* set by a signal: no more items are taken */
} jobs_t;

/* The number of online cores (at least 1). */
int jobs_cores(void);
/* Runs the items on as many workers as start (saying so when fewer than
 * asked); 0 when every one succeeded, else the first failure's status
 * (128 + N after a signal N). */
int jobs_run(const jobs_t *j);

#endif
