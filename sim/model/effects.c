/* effects.c — what waiting cost each thread, in numbers.
 *
 * A blocking wait's "extra" is the time between the moment the thread
 * could have gone on and the moment it did:
 *   - it starts when the wait is over for it: the I/O completed, the
 *     sleep's timer expired (its interrupt comes os.timer_latency later:
 *     sleep_done, thr_unblock_timer), the lock, event, queue item, future,
 *     pool work or joined thread became available, the event loop in
 *     select got a ready task: thr_unblock(RESUME_RUN) of a thread in
 *     `blocked` or `sync_wait` (io_done, sync_wake_thread, aio's
 *     make_ready);
 *   - it ends when the thread goes on: on a core, it has taken the GIL
 *     back (run_ops: where a GIL-releasing op ends, Py_END_ALLOW_THREADS;
 *     in a free-threaded build there is nothing to take and it goes on at
 *     once).  Every way back from those waits passes there before the
 *     thread runs Python or native code again: io_done and make_ready set
 *     restore_gil, and a sync wait that is over sets it (sync_wait), as
 *     do the pool's waits when their futures are done.
 * In between lie the wake-up latency, the wait for a core, and the wait
 * for the GIL: with a CPU-bound thread holding it, about a switch
 * interval (the convoy effect).  A wake that finds the thing taken again
 * (a lock another thread got first) leaves the thread blocked without
 * going on: its next wake-up starts the measure again.  A wait the thread
 * never came back from (killed, or the run ended first) is not counted.
 *
 * Each thread keeps its extras in a log-linear histogram (hist.h) whose
 * bins are allocated at its first one: threads that never block cost
 * nothing, and one that blocks a million times keeps a few hundred bins. */
#include <string.h>
#include "model/effects.h"
#include "model/fail.h"

void eff_woken(sim_t *s, thread_t *t)
{
    t->woke_at = s->eng.now;
}

void eff_starts_later(thread_t *t, simtime_t ns)
{
    if (t->woke_at >= 0)
        t->woke_at = st_add(t->woke_at, ns);
}

void eff_resumed(sim_t *s, thread_t *t)
{
    if (t->woke_at < 0)
        return;
    hist_t *h = &t->blocking_extra;
    simtime_t extra = s->eng.now - t->woke_at;
    t->woke_at = -1;
    while (hist_add(h, extra) != 0) {    /* a new bin and no room: grow (fail.h) */
        int cap = h->cap ? h->cap * 2 : HIST_FIRST_BINS;
        h->bins = sim_realloc(s, h->bins, (size_t)cap, sizeof *h->bins);
        h->cap = cap;
    }
}

/* The texts of mark ops are few (the config's); a loop marking again
 * passes the same pointer, compared first. */
void eff_mark(sim_t *s, const char *label)
{
    for (int i = 0; i < s->nmarks; i++)
        if (s->marks[i].label == label) {
            s->marks[i].last = s->eng.now;
            return;
        }
    for (int i = 0; i < s->nmarks; i++)
        if (strcmp(s->marks[i].label, label) == 0) {
            s->marks[i].last = s->eng.now;
            return;
        }
    if (s->nmarks == s->capmarks)
        s->marks = sim_grow(s, s->marks, &s->capmarks, sizeof *s->marks);
    s->marks[s->nmarks++] = (mark_seen_t){label, s->eng.now};
}
