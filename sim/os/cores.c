/* cores.c — see cores.h.
 *
 * The tournaments are the usual array-shaped trees over n leaves: node 1
 * is the root, node i's children are 2i and 2i + 1, and positions n to
 * 2n - 1 are the leaves, core c at n + c.  Every leaf has a path to the
 * root for any n, not only powers of two; the leaves are not in core
 * order along the bottom then, so a tie is settled by the core number
 * itself, never by position.  A leaf's winner is its core if a thread runs
 * there, else none (-1); node i keeps the winner of its subtree, the least
 * run_base in ix.least and the most in ix.most.  A core changing hands
 * replays the matches on its path: O(log n). */
#include <assert.h>
#include <stdio.h>
#include "os/cores.h"

static_assert(CORES_SETS == sizeof ((os_core_t *)0)->ix.bits / sizeof (uint64_t),
              "entity.h holds one word per core set");

/* ---- sets ---------------------------------------------------------------- */

int cores_indexed_next(const os_core_t *cores, int n, int which, int from)
{
    if (from >= n)
        return -1;
    int w = from >> 6;
    uint64_t bits = cores[w].ix.bits[which] & (UINT64_MAX << (from & 63));
    for (;;) {
        if (bits) {
            int c = (w << 6) + __builtin_ctzll(bits);
            return c < n ? c : -1;
        }
        if (++w > (n - 1) >> 6)
            return -1;
        bits = cores[w].ix.bits[which];
    }
}

int cores_indexed_first_idle(const os_core_t *cores, int n, uint64_t allowed)
{
    if (!allowed)
        return cores_indexed_next(cores, n, CORES_IDLE, 0);
    uint64_t bits = cores[0].ix.bits[CORES_IDLE] & allowed;
    int c = bits ? __builtin_ctzll(bits) : -1;
    return c < n ? c : -1;
}

/* ---- tournaments -------------------------------------------------------- */

static int leaf_or_node(const os_core_t *cores, int n, int p, int least)
{
    if (p >= n)
        return cores[p - n].cur ? p - n : -1;
    return least ? cores[p].ix.least : cores[p].ix.most;
}

/* Which of cores a and b (either -1: none) wins: the least run_base, or
 * the most; the lower core among equals. */
static int match(const os_core_t *cores, int a, int b, int least)
{
    if (a < 0 || b < 0)
        return a < 0 ? b : a;
    simtime_t x = cores[a].run_base, y = cores[b].run_base;
    if (x == y)
        return a < b ? a : b;
    return (least ? x < y : x > y) ? a : b;
}

/* The winner a scan of every core finds. */
static int scan_winner(const os_core_t *cores, int n, int least)
{
    int w = -1;
    for (int c = 0; c < n; c++)
        if (cores[c].cur)
            w = match(cores, w, c, least);
    return w;
}

void cores_replay(os_core_t *cores, int n, int c)
{
    cores_mark(cores, n, c);
    for (int p = (n + c) >> 1; p >= 1; p >>= 1) {
        cores[p].ix.least = match(cores, leaf_or_node(cores, n, 2 * p, 1),
                                  leaf_or_node(cores, n, 2 * p + 1, 1), 1);
        cores[p].ix.most = match(cores, leaf_or_node(cores, n, 2 * p, 0),
                                 leaf_or_node(cores, n, 2 * p + 1, 0), 0);
    }
}

void cores_init(os_core_t *cores, int n)
{
    if (n <= CORES_SCAN_MAX)
        return;
    for (int w = 0; w <= (n - 1) >> 6; w++)
        for (int which = 0; which < CORES_SETS; which++)
            cores[w].ix.bits[which] = 0;
    for (int p = 1; p < n; p++)
        cores[p].ix.least = cores[p].ix.most = -1;
    for (int c = 0; c < n; c++)
        cores_mark(cores, n, c);
}

int cores_indexed_winner(const os_core_t *cores, int n, int least)
{
    return leaf_or_node(cores, n, 1, least);
}

/* ---- checking ----------------------------------------------------------- */

/* Core c's fields against each other, and its bits against its state. */
static const char *check_core(const os_core_t *cores, int n, int c, char *msg, size_t size)
{
    const os_core_t *k = &cores[c];
    if (k->cur && k->run_base != k->cur->vruntime - k->cur->exec_start) {
        snprintf(msg, size, "core %d: run_base is not its thread's", c);
        return msg;
    }
    if (k->pending && k->pending->target != c) {
        snprintf(msg, size, "core %d: a wake-up is on its way for a thread placed on "
                 "core %d", c, k->pending->target);
        return msg;
    }
    for (int which = 0; n > CORES_SCAN_MAX && which < CORES_SETS; which++) {
        int bit = (int)(cores[c >> 6].ix.bits[which] >> (c & 63) & 1);
        if (bit != cores_in_set(k, which)) {
            snprintf(msg, size, "core %d: set %d says %d, the core %d", c, which, bit,
                     cores_in_set(k, which));
            return msg;
        }
    }
    return NULL;
}

const char *cores_check(const os_core_t *cores, int n)
{
    static char msg[120];
    for (int c = 0; c < n; c++)
        if (check_core(cores, n, c, msg, sizeof msg))
            return msg;
    if (cores_least_running(cores, n) != scan_winner(cores, n, 1) ||
        cores_most_running(cores, n, 0) != scan_winner(cores, n, 0)) {
        snprintf(msg, sizeof msg, "the tournaments name cores %d and %d, a scan %d and %d",
                 cores_least_running(cores, n), cores_most_running(cores, n, 0),
                 scan_winner(cores, n, 1), scan_winner(cores, n, 0));
        return msg;
    }
    return NULL;
}
