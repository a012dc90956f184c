/* check.c — invariants of the model, checked after every event in tests.
 * Each returns a description of the first thing found wrong, or NULL. */
#include <stdio.h>
#include "model/model.h"
#include "sim.h"
#include "model/gilhost.h"
#include "model/thread.h"
#include "os/cores.h"

static char msg[200];

static const char *check_clock(sim_t *s)
{
    if (s->eng.now < s->last_now)
        return "the clock went back";
    s->last_now = s->eng.now;
    return NULL;
}

/* At most one holder per GIL, and the GIL agrees on who it is. */
static const char *check_gils(const sim_t *s)
{
    for (int i = 0; i < s->nthreads; i++) {
        const thread_t *t = s->threads[i];
        if (t->gthr.has_gil && t->gil->holder != &t->gthr) {
            snprintf(msg, sizeof msg, "thread %s holds a GIL whose holder is %s", t->name,
                     t->gil->holder ? gilhost_thread(t->gil->holder)->name : "nobody");
            return msg;
        }
    }
    for (int i = 0; i < s->ngils; i++) {
        const gil_t *g = s->gils[i];
        if (g->holder && !g->holder->has_gil) {
            snprintf(msg, sizeof msg, "process %s: GIL lock state and holder disagree",
                     g->proc->name);
            return msg;
        }
    }
    return NULL;
}

static const char *check_thread(const sim_t *s, const thread_t *t)
{
    int on_core = t->os.core >= 0;
    const char *bad = NULL;
    if (t->state == TS_PY && !(on_core && gil_may_run(t->gil, &t->gthr)))
        bad = "runs Python without a core or the GIL";
    else if (t->state == TS_NATIVE && !(on_core && !t->gthr.has_gil))
        bad = "runs native code without a core, or holding the GIL";
    else if ((t->state == TS_GIL_WAIT || t->state == TS_SWITCH_WAIT || t->state == TS_SYNC_WAIT ||
              t->state == TS_BLOCKED || t->state == TS_DONE) && on_core)
        bad = "is blocked but holds a core";
    else if (on_core && s->os.cores[t->os.core].cur != &t->os)
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
    const char *v = cores_check(s->os.cores, s->os.ncores);
    if (v || (v = rq_check(&s->os.rq)))
        return v;
    for (int c = 0; c < s->os.ncores; c++) {
        os_thread_t *ot = s->os.cores[c].cur;
        if (!ot)
            continue;
        busy++;
        if (ot->core != c) {
            snprintf(msg, sizeof msg, "core %d holds thread %s, which is on core %d",
                     c, thr_of(ot)->name, ot->core);
            return msg;
        }
    }
    for (int i = 0; i < s->nthreads; i++) {
        placed += s->threads[i]->os.core >= 0;
        if ((v = rq_check_thread(&s->os.rq, &s->threads[i]->os))) {
            snprintf(msg, sizeof msg, "thread %s: %s", s->threads[i]->name, v);
            return msg;
        }
    }
    if (placed != busy || busy > s->os.ncores) {
        snprintf(msg, sizeof msg, "%d threads on cores, %d cores busy of %d",
                 placed, busy, s->os.ncores);
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

/* Each asyncio task's ready + running + waiting time is its life so far:
 * from its creation to its end, or to now. */
static const char *check_tasks(const sim_t *s)
{
    for (int i = 0; i < s->nloops; i++)
        for (int j = 0; j < s->loops[i]->nall; j++) {
            const task_t *k = s->loops[i]->all[j];
            int done = k->state == TASK_DONE;
            simtime_t sum = done ? 0 : s->eng.now - k->state_since;
            simtime_t life = (done ? k->finished : s->eng.now) - k->created;
            for (int st = 0; st < TASK_DONE; st++)
                sum += k->state_time[st];
            if (sum == life && (k->steps > 0) == (k->first_run >= 0))
                continue;
            snprintf(msg, sizeof msg, "task %s: time in states %lld ns over a life of %lld "
                     "ns, or %lld steps from %lld ns", k->name, (long long)sum,
                     (long long)life, (long long)k->steps, (long long)k->first_run);
            return msg;
        }
    return NULL;
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
    return check_tasks(s);
}
