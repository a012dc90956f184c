/* cores.h — what the scheduler asks of all cores at once:
 *   - the lowest idle core (nothing running, no wake-up on its way), among
 *     those a thread's affinity allows (it names cores below 64 only);
 *   - the busy cores with no slice timer armed;
 *   - the cores whose own run queues hold a thread;
 *   - the core whose running thread has the least vruntime (for
 *     min_vruntime) and the one with the most (the victim of wake-up
 *     preemption), the lowest-numbered among equals.
 * A machine of up to CORES_SCAN_MAX cores answers by scanning them: that
 * costs less than keeping an index (with the index kept on 4 cores gil-16
 * ran 20 % more instructions than before it, 9 % with its bit sets alone;
 * scanning, 3.4 %).  A larger machine keeps an index up to date as
 * each core changes, so that no question scans it:
 *   - a bit set for each of the first three, found in O(cores / 64) word
 *     tests, O(1) for an affinity;
 *   - two tournaments for the last, read in O(1) and replayed in
 *     O(log cores) when a core changes hands — at a switch, not at every
 *     event.
 * A running thread's vruntime grows with the clock, so cores are ranked by
 * run_base = vruntime - exec_start (fixed while it runs); its vruntime now
 * is now + run_base.
 *
 * Storage: a machine of n cores has n - 1 tournament nodes and
 * (n + 63) / 64 words in each bit set; node or word i lives in cores[i]'s
 * `ix` (os_core_t in entity.h), so the index needs no allocation of its
 * own and a new machine's zeroed cores need only cores_init. */
#ifndef GILSIM_CORES_H
#define GILSIM_CORES_H

#include <stddef.h>
#include <stdint.h>
#include "os/entity.h"

#define CORES_SCAN_MAX 16

/* The core sets (a large machine's os_core_t ix.bits[which]). */
enum {
    CORES_IDLE,                  /* nothing running, no wake-up on its way */
    CORES_UNARMED,               /* running a thread, no slice timer armed */
    CORES_QUEUED,                /* its own run queue holds a thread (runq.c says so) */
    CORES_SETS
};

/* Zeroed cores as an index: every core idle, no running thread. */
void cores_init(os_core_t *cores, int n);

/* Sets or clears core c's bit in set `which`.  (This and cores_mark are
 * inline: the OS calls them at every switch and wake-up.) */
static inline void cores_set(os_core_t *cores, int n, int which, int c, int on)
{
    if (n <= CORES_SCAN_MAX)
        return;
    uint64_t *w = &cores[c >> 6].ix.bits[which], bit = UINT64_C(1) << (c & 63);
    *w = (*w & ~bit) | (-(uint64_t)(on != 0) & bit);
}

/* Core c's cur, pending or slice_armed changed: its bits follow. */
static inline void cores_mark(os_core_t *cores, int n, int c)
{
    const os_core_t *k = &cores[c];
    cores_set(cores, n, CORES_IDLE, c, !k->cur && !k->pending);
    cores_set(cores, n, CORES_UNARMED, c, k->cur && !k->slice_armed);
}

/* The index's side of the questions below (cores.c). */
void cores_replay(os_core_t *cores, int n, int c);
int cores_indexed_next(const os_core_t *cores, int n, int which, int from);
int cores_indexed_first_idle(const os_core_t *cores, int n, uint64_t allowed);
int cores_indexed_winner(const os_core_t *cores, int n, int least);

/* Core c is in set `which`, by its own state. */
static inline int cores_in_set(const os_core_t *k, int which)
{
    switch (which) {
    case CORES_IDLE: return !k->cur && !k->pending;
    case CORES_UNARMED: return k->cur && !k->slice_armed;
    default: return k->queue != NULL;
    }
}

/* Core c's running thread changed (cur and run_base, set before): its
 * bits and its place in the tournaments follow. */
static inline void cores_ran(os_core_t *cores, int n, int c)
{
    if (n > CORES_SCAN_MAX)
        cores_replay(cores, n, c);
}

/* The lowest core at or after `from` in set `which`, or -1:
 * for (c = cores_next(..., 0); c >= 0; c = cores_next(..., c + 1)). */
static inline int cores_next(const os_core_t *cores, int n, int which, int from)
{
    if (n > CORES_SCAN_MAX)
        return cores_indexed_next(cores, n, which, from);
    for (int c = from; c < n; c++)
        if (cores_in_set(&cores[c], which))
            return c;
    return -1;
}

/* The lowest idle core among `allowed` (a thread's affinity: bit i is core
 * i; 0 allows every core), or -1. */
static inline int cores_first_idle(const os_core_t *cores, int n, uint64_t allowed)
{
    if (n > CORES_SCAN_MAX)
        return cores_indexed_first_idle(cores, n, allowed);
    for (int c = 0; c < n; c++)
        if (cores_in_set(&cores[c], CORES_IDLE) && (!allowed || (allowed >> c & 1)))
            return c;
    return -1;
}

/* The core whose running thread has the least run_base (the
 * lowest-numbered such core among equals: a scan keeps the first); -1 when
 * every core is idle. */
static inline int cores_least_running(const os_core_t *cores, int n)
{
    if (n > CORES_SCAN_MAX)
        return cores_indexed_winner(cores, n, 1);
    int w = -1;
    for (int c = 0; c < n; c++)
        if (cores[c].cur && (w < 0 || cores[c].run_base < cores[w].run_base))
            w = c;
    return w;
}

/* The core among `allowed` (as cores_first_idle's) whose running thread
 * has the most run_base, the lowest-numbered among equals, or -1.  With
 * an affinity this scans the at most 64 cores it names. */
static inline int cores_most_running(const os_core_t *cores, int n, uint64_t allowed)
{
    if (n > CORES_SCAN_MAX && !allowed)
        return cores_indexed_winner(cores, n, 0);
    uint64_t m = allowed ? allowed : (UINT64_C(1) << n) - 1;    /* n <= 16 here */
    int w = -1;
    for (; m; m &= m - 1) {
        int c = __builtin_ctzll(m);
        if (c >= n)
            break;
        if (cores[c].cur && (w < 0 || cores[c].run_base > cores[w].run_base))
            w = c;
    }
    return w;
}

/* What a scan of every core says that the index does not, or NULL (the
 * model's invariant check, after every event in tests). */
const char *cores_check(const os_core_t *cores, int n);

#endif
