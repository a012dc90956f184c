/* jobs.h — items handed to N worker processes: fork()ed, no threads, no
 * shell.  Each worker takes the next item index from a counter shared
 * with the others (an anonymous shared mapping), works on it, and tells
 * the parent which it finished through a pipe; the parent reports the
 * progress and waits for them all.  Which worker gets which item varies
 * from run to run: a caller whose outputs must not depend on it writes
 * each item's files from the item alone. */
#ifndef GILSIM_JOBS_H
#define GILSIM_JOBS_H

#include <signal.h>

typedef struct jobs {
    int nitems, nworkers;
    /* In a worker: item i's work; 0, or an exit status (its message
     * printed).  The first failure stops the others at their next item. */
    int (*work)(int item, void *ctx);
    /* In a worker, once it takes no more items (NULL: none): e.g. draws
     * the figures it gathered.  0, or an exit status. */
    int (*finish)(void *ctx);
    /* In the parent, after each finished item (NULL: none). */
    void (*progress)(int done, int total, void *ctx);
    void *ctx;
    volatile sig_atomic_t *stop; /* set by a signal: no more items are taken */
} jobs_t;

/* The number of online cores (at least 1). */
int jobs_cores(void);
/* Runs the items; 0 when every one succeeded, else the first failure's
 * status (128 + N after a signal N). */
int jobs_run(const jobs_t *j);

#endif
