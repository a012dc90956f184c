/* gil.c — the registry of GIL policies, and what the policies share:
 * taking the GIL (counters, switches, their cost, the trace) and the FIFO
 * queue of threads asleep on it.
 *
 * Layer gil (sim/gil/): the GIL policies behind gil_ops_t, above the OS
 * layer and the config.  It includes nothing of the model: a policy acts on
 * threads through its host (gil_host_t), which the model supplies
 * (model/gilhost.c creates the GILs, one per process plus one per
 * subinterpreter that has its own). */
#include "gil/gil.h"

#define GIL_POLICY(id, name, ops, flags, about) extern const gil_ops_t ops;
#include "gil_policies.def"
#undef GIL_POLICY

static const gil_policy_entry_t policies[] = {
#define GIL_POLICY(id, name, ops, flags, about) [GIL_##id] = {name, &ops, flags, about},
#include "gil_policies.def"
#undef GIL_POLICY
};

const gil_policy_entry_t *gil_policy_lookup(enum gil_policy id)
{
    return (size_t)id < sizeof policies / sizeof policies[0] ? &policies[id] : &policies[GIL_NEW];
}

void gil_queue_push(gil_queue_t *q, gil_thread_t *t)
{
    t->q_next = NULL;
    t->q_prev = q->tail;
    if (q->tail)
        q->tail->q_next = t;
    else
        q->head = t;
    q->tail = t;
    t->queued = 1;
}

void gil_queue_remove(gil_queue_t *q, gil_thread_t *t)
{
    if (!t->queued)
        return;
    if (t->q_prev)
        t->q_prev->q_next = t->q_next;
    else
        q->head = t->q_next;
    if (t->q_next)
        t->q_next->q_prev = t->q_prev;
    else
        q->tail = t->q_prev;
    t->q_next = t->q_prev = NULL;
    t->queued = 0;
}

gil_thread_t *gil_queue_pop(gil_queue_t *q)
{
    gil_thread_t *t = q->head;
    if (t)
        gil_queue_remove(q, t);
    return t;
}

/* What a take costs the taker, from take_gil and drop_gil in
 * Python/ceval_gil.c:
 *   - t finds the GIL free without having slept on it (back from I/O, a
 *     lock, a queue, with nobody else running Python): MUTEX_LOCK(mutex),
 *     set `locked`, MUTEX_UNLOCK — an uncontended mutex pair, no syscall,
 *     tens of ns: nothing here.  Nor does taking back the GIL it last held
 *     (no switch): its caches are still warm.
 *   - t slept because of the GIL since it last held it — in
 *     COND_TIMED_WAIT(cond) while another thread held it, or, forced to
 *     drop, in COND_WAIT(switch_cond) until another thread took it
 *     (FORCE_SWITCHING) — and now takes it from another thread: it comes
 *     back from a futex wait, re-locks the mutex the signaller just held,
 *     takes switch_mutex and signals switch_cond (a futex wake of the
 *     forced dropper), then runs on interpreter state the other thread
 *     left in its own core's caches.  python.switch_cost, spent in
 *     take_gil before t goes on (t->take_cost: the interpreter pays it
 *     before the thread's next op, whatever that is). */
void gil_take(gil_t *g, gil_thread_t *t)
{
    g->holder = t;
    t->has_gil = 1;
    t->takes++;
    g->takes++;
    int switched = g->last_holder != t, slept = t->slept;
    t->slept = 0;
    if (switched) {
        g->last_holder = t;
        g->switch_number++;
        g->switches++;
        if (g->last_holder_was_set && slept)
            t->take_cost = st_add(t->take_cost, g->cfg->python.switch_cost);
        g->last_holder_was_set = 1;
    }
    gil_trace(g, t, GE_TAKE, switched ? "switch" : "same");
}

void gil_let_go(gil_t *g, gil_thread_t *t)
{
    g->holder = NULL;
    t->has_gil = 0;
}

void gil_kill_holder(gil_t *g, gil_thread_t *t)
{
    if (t->has_gil)
        gil_let_go(g, t);
}

void gil_force_request(gil_t *g, gil_force_t *f, gil_thread_t *requester)
{
    if (f->drop_request)
        return;
    f->drop_request = 1;
    g->drop_requests++;
    gil_trace(g, requester, GE_DROP_REQUEST,
              g->holder ? g->host->name(g->host_ctx, g->holder) : NULL);
    if (g->holder)
        gil_replan(g, g->holder);
}

void gil_force_taken(gil_t *g, gil_force_t *f)
{
    if (f->switch_waiter) {
        gil_thread_t *w = f->switch_waiter;
        f->switch_waiter = NULL;
        gil_wake_thread(g, w, GIL_WAKE_GO_ON);
    }
    f->drop_request = 0;
}

int gil_force_released(gil_t *g, gil_force_t *f, gil_thread_t *t, enum drop_reason why)
{
    if (!f->drop_request || why == DROP_EXIT)
        return 1;
    f->drop_request = 0;
    if (why == DROP_FORCED) {
        t->forced_drops++;
        g->forced_drops++;
    }
    f->switch_waiter = t;
    gil_sleep(g, t, GIL_SLEEP_SWITCH, 0);
    return 0;
}

simtime_t gil_force_budget(const gil_force_t *f, simtime_t to_check)
{
    return f->drop_request ? to_check : SIMTIME_NEVER;
}

simtime_t gil_interval_wait(gil_t *g)
{
    simtime_t slack = g->cfg->os.timer_slack;
    simtime_t late = slack ? (simtime_t)(rng_next(g->rng) % (uint64_t)(slack + 1)) : 0;
    return st_add(g->interval, late);
}
