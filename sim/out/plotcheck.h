/* plotcheck.h — whether a trace.csv is whole: each thread's time in each
 * state, summed from the trace, must equal threads.csv's (plotcheck.c). */
#ifndef GILSIM_PLOTCHECK_H
#define GILSIM_PLOTCHECK_H

#include "events.h"

typedef struct plot_tally plot_tally_t;

plot_tally_t *tally_new(void);
void tally_free(plot_tally_t *t);
/* threads.csv: roster thread `thread` spent ns in `state` (added: two
 * rows of one name are one thread in the trace).  0, or -1 out of memory. */
int  tally_expect(plot_tally_t *t, int thread, int state, long long ns);
/* threads.csv: whether the thread finished (finished_ns not empty). */
int  tally_finished(plot_tally_t *t, int thread, int finished);
/* trace.csv: roster thread `thread` entered `state` at ns. */
void tally_state(plot_tally_t *t, int thread, int state, long long ns);
typedef struct tally_mismatch {
    int thread;                  /* the roster thread */
    int state;                   /* the state whose times differ; -1: the trace ends the
                                  * thread in `done` and threads.csv says it did not finish,
                                  * or the other way round */
    long long trace_ns, threads_ns;
    int trace_done;
} tally_mismatch_t;
/* After the whole trace, the run ending at `end` ns: 0 when every sum
 * agrees, else -1 with the first mismatch in *m. */
int  tally_check(const plot_tally_t *t, long long end, tally_mismatch_t *m);

#endif
