/* plotcheck.c — catches a cut or edited trace.csv before it is drawn.
 *
 * A trace cut after any row still parses: every row is good, and the
 * figure would show each thread's last state lasting to the end of the
 * run (a thread cut while runnable, drawn runnable for seconds).  So the
 * trace is checked against threads.csv, written from the same run: each
 * thread's time in each state is summed from its state rows (a state
 * lasts until the thread's next state row, the last one until the run's
 * end, as the simulator counts it) and must equal threads.csv's
 * <state>_ns columns, and a thread ends in `done` exactly when its
 * finished_ns is set.  A cut that removes a state row either changes a
 * sum (the state before it then lasts to the end) or, when it is the
 * last, a `done` at the run's end, the finish; a cut that removes no
 * state row leaves every lane's state as it was, and only GIL and task
 * events at the last instant could go unseen.  Linear in the rows, one
 * addition each. */
#include <limits.h>
#include <stdlib.h>
#include "out/plotbox.h"
#include "out/plotcheck.h"

typedef struct tally_thread {
    long long want[TS__COUNT];   /* threads.csv */
    long long got[TS__COUNT];    /* summed from the trace */
    int state;                   /* its last state row's, -1: none yet */
    long long since;
    int finished;                /* threads.csv: 1, 0, -1 rows of one name disagree */
    int rows;                    /* threads.csv rows of its name */
} tally_thread_t;

struct plot_tally {
    tally_thread_t *thread;
    int n, cap;
};

plot_tally_t *tally_new(void)
{
    return calloc(1, sizeof(plot_tally_t));
}

void tally_free(plot_tally_t *t)
{
    if (t)
        free(t->thread);
    free(t);
}

/* The thread's tally, made when first named; NULL when out of memory. */
static tally_thread_t *tally_of(plot_tally_t *t, int thread)
{
    while (thread >= t->n) {
        if (TL_ROOM(t->thread, t->n, t->cap) != 0)
            return NULL;
        t->thread[t->n++] = (tally_thread_t){.state = -1};
    }
    return &t->thread[thread];
}

int tally_expect(plot_tally_t *t, int thread, int state, long long ns)
{
    tally_thread_t *th = tally_of(t, thread);
    if (!th)
        return -1;
    long long *w = &th->want[state];
    *w = *w > LLONG_MAX - ns ? LLONG_MAX : *w + ns;    /* rows of one name: no overflow */
    return 0;
}

int tally_finished(plot_tally_t *t, int thread, int finished)
{
    tally_thread_t *th = tally_of(t, thread);
    if (!th)
        return -1;
    th->finished = th->rows++ == 0 || th->finished == finished ? finished : -1;
    return 0;
}

void tally_state(plot_tally_t *t, int thread, int state, long long ns)
{
    if (thread >= t->n)
        return;                  /* not in threads.csv: the reader refuses the row */
    tally_thread_t *th = &t->thread[thread];
    if (th->state >= 0)
        th->got[th->state] += ns - th->since;
    th->state = state;
    th->since = ns;
}

int tally_check(const plot_tally_t *t, long long end, tally_mismatch_t *m)
{
    for (int i = 0; i < t->n; i++) {
        const tally_thread_t *th = &t->thread[i];
        for (int s = 0; s < TS__COUNT; s++) {
            long long got = th->got[s] + (th->state == s ? end - th->since : 0);
            if (s != TS_DONE && got != th->want[s]) {
                *m = (tally_mismatch_t){i, s, got, th->want[s], 0};
                return -1;
            }
        }
        int done = th->state == TS_DONE;
        if (th->finished >= 0 && done != th->finished) {
            *m = (tally_mismatch_t){i, -1, 0, 0, done};
            return -1;
        }
    }
    return 0;
}
