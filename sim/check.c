/* check.c — invariants of the model, checked after every event in tests.
 * Each returns a description of the first thing found wrong, or NULL. */
#include <stdio.h>
#include "sim.h"

static char msg[200];

static const char *check_clock(sim_t *s)
{
    if (s->eng.now < s->last_now)
        return "the clock went back";
    s->last_now = s->eng.now;
    return NULL;
}

static const char *check_gils(const sim_t *s)
{
    for (int p = 0; p < s->nprocs; p++) {
        const process_t *proc = s->procs[p];
        int holders = 0;
        for (int i = 0; i < proc->nthreads; i++)
            holders += proc->threads[i]->has_gil;
        if (holders > 1) {
            snprintf(msg, sizeof msg, "process %s: %d GIL holders", proc->name, holders);
            return msg;
        }
        if (proc->gil.locked != (proc->gil.holder != NULL) || holders != proc->gil.locked) {
            snprintf(msg, sizeof msg, "process %s: GIL lock state and holder disagree", proc->name);
            return msg;
        }
    }
    return NULL;
}

static const char *check_thread(const sim_t *s, const thread_t *t)
{
    int on_core = t->core >= 0;
    const char *bad = NULL;
    if (t->state == TS_PY && !(on_core && t->has_gil))
        bad = "runs Python without a core or the GIL";
    else if (t->state == TS_NATIVE && !(on_core && !t->has_gil))
        bad = "runs native code without a core, or holding the GIL";
    else if ((t->state == TS_GIL_WAIT || t->state == TS_SWITCH_WAIT || t->state == TS_SYNC_WAIT ||
              t->state == TS_BLOCKED || t->state == TS_DONE) && on_core)
        bad = "is blocked but holds a core";
    else if (on_core && s->cores[t->core].cur != t)
        bad = "thinks it is on a core that runs another thread";
    simtime_t sum = s->eng.now - t->state_since + t->born;
    for (int k = 0; k < TS__COUNT; k++)
        sum += t->state_time[k];
    if (!bad && sum != s->eng.now)
        bad = "time in states does not add up to its lifetime";
    if (!bad)
        return NULL;
    snprintf(msg, sizeof msg, "thread %s %s (state %d)", t->name, bad, (int)t->state);
    return msg;
}

static const char *check_cores(const sim_t *s)
{
    int busy = 0, placed = 0;
    for (int c = 0; c < s->ncores; c++) {
        const thread_t *t = s->cores[c].cur;
        if (!t)
            continue;
        busy++;
        if (t->core != c) {
            snprintf(msg, sizeof msg, "core %d holds thread %s, which is on core %d",
                     c, t->name, t->core);
            return msg;
        }
    }
    for (int i = 0; i < s->nthreads; i++)
        placed += s->threads[i]->core >= 0;
    if (placed != busy || busy > s->ncores) {
        snprintf(msg, sizeof msg, "%d threads on cores, %d cores busy of %d",
                 placed, busy, s->ncores);
        return msg;
    }
    return NULL;
}

static const char *check_live(const sim_t *s)
{
    int alive = 0;
    for (int i = 0; i < s->nthreads; i++)
        alive += s->threads[i]->state != TS_DONE;
    if (alive == s->live)
        return NULL;
    snprintf(msg, sizeof msg, "%d threads alive, but the count says %d", alive, s->live);
    return msg;
}

const char *sim_check(sim_t *s)
{
    const char *v;
    if ((v = check_live(s)))
        return v;
    if ((v = check_clock(s)) || (v = check_gils(s)) || (v = check_cores(s)))
        return v;
    for (int i = 0; i < s->nthreads; i++)
        if ((v = check_thread(s, s->threads[i])))
            return v;
    return NULL;
}
