/* explain.h — `gilsim explain DIR`: a finished run told in words, from its
 * trace.csv, log.csv, threads.csv and summary.csv (explain.c). */
#ifndef GILSIM_EXPLAIN_H
#define GILSIM_EXPLAIN_H

#include <stdio.h>
#include "simtime.h"

#define EXPLAIN_LIMIT 200        /* event lines told by default */

typedef struct explain_opts {
    const char *thread;          /* only lines about this thread (NAME or PROCESS/NAME); NULL all */
    simtime_t from, to;          /* only lines in [from, to] ... */
    int to_set;                  /* ... to only when set: else to the end */
    long limit;                  /* at most this many event lines */
} explain_opts_t;

/* Reads the run folder (untrusted) and, when every file checks out,
 * writes the story to out.  PLOT_OK, or PLOT_BAD_INPUT / PLOT_FAILED with
 * one line on stderr and nothing written to out. */
int explain_run(const char *dir, const explain_opts_t *o, FILE *out);

#endif
