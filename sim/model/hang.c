/* hang.c — when a program hangs (threads alive, nothing left to happen),
 * says what each blocked thread waits for and who holds it, so that the
 * run folder tells a deadlock's story: log.csv gets one `deadlock` row
 * per thread, and the command line's warning quotes the same text.
 *
 * A thread in sync_wait does not point at what it waits on: the wait
 * lists do (sync.c).  So the lists that can hold it are searched — its
 * process's locks, events and queues, then every thread's and process's
 * joiners — for an entry of the op it is blocked in (its ticket).  This
 * runs once, at the end of a hung run. */
#include <stdio.h>
#include <string.h>
#include "model/hang.h"
#include "model/life.h"
#include "model/thread.h"
#include "model/trace.h"

static int waits_in(const waitlist_t *wl, const thread_t *t)
{
    for (int i = wl->head; i < wl->n; i++)
        if (wl->w[i].thread == t && !wl->w[i].task && wl->w[i].ticket == t->cur->ticket)
            return 1;
    return 0;
}

/* A lock, event, queue, socketpair or pipe of t's process: 1 when t waits on one. */
static int on_object(const sim_t *s, const thread_t *t, char *buf, size_t size)
{
    const process_t *p = t->proc;
    for (int i = 0; i < p->nobjects; i++) {
        const sync_obj_t *o = &p->objects[i];
        const char *name = s->cfg->objects[i].name;
        if (waits_in(&o->lock.waiters, t) && o->lock.owner)
            snprintf(buf, size, "lock %s, held by %s", name, o->lock.owner->name);
        else if (waits_in(&o->lock.waiters, t))
            snprintf(buf, size, "lock %s", name);
        else if (waits_in(&o->event.waiters, t))
            snprintf(buf, size, "event %s, never set", name);
        else if (waits_in(&o->queue.getters, t))
            snprintf(buf, size, "an item from queue %s, empty", name);
        else if (waits_in(&o->queue.putters, t))
            snprintf(buf, size, "room in queue %s, full", name);
        else if (waits_in(&o->chan.receivers, t))
            snprintf(buf, size, "a message on %s %s, none sent",
                     o->kind == OBJ_PIPE ? "pipe" : "socketpair", name);
        else if (waits_in(&o->chan.senders, t) && o->kind == OBJ_PIPE)
            snprintf(buf, size, "room in pipe %s (%d of its %d pages in use)", name,
                     o->chan.pages, o->chan.npages);
        else if (waits_in(&o->chan.senders, t))
            snprintf(buf, size, "room in socketpair %s (its end holds %lld bytes of a "
                     "%lld-byte send buffer; a send waits until a read brings that to a quarter)",
                     name, t->id < o->chan.nwmem ? (long long)o->chan.wmem[t->id] : 0LL,
                     (long long)s->cfg->os.socket_sndbuf);
        else
            continue;
        return 1;
    }
    return 0;
}

/* A thread or process t joins: 1 when found. */
static int on_join(const sim_t *s, const thread_t *t, char *buf, size_t size)
{
    for (int i = 0; i < s->nthreads; i++)
        if (waits_in(&s->threads[i]->joiners, t)) {
            snprintf(buf, size, "thread %s to end (join)", s->threads[i]->name);
            return 1;
        }
    for (int i = 0; i < s->nprocs; i++)
        if (waits_in(&s->procs[i]->joiners, t)) {
            snprintf(buf, size, "process %s to end (join)", s->procs[i]->name);
            return 1;
        }
    return 0;
}

/* The main thread in threading._shutdown: the non-daemon threads it joins
 * are on no wait list, so they are named from its process's threads. */
static void on_final_join(const thread_t *t, char *buf, size_t size)
{
    const process_t *p = t->proc;
    size_t used = (size_t)snprintf(buf, size, "the non-daemon threads to end "
                                   "(threading._shutdown, at interpreter exit):");
    for (int i = 0; i < p->nthreads && used < size; i++) {
        const thread_t *o = p->threads[i];
        if (o != t && !o->daemon && o->state != TS_DONE)
            used += (size_t)snprintf(buf + used, size - used, " %s", o->name);
    }
}

void hang_describe(const sim_t *s, const thread_t *t, char *buf, size_t size)
{
    const char *detail = t->state_detail ? t->state_detail : "";
    if (t->state == TS_SYNC_WAIT && t->cur &&
        (on_object(s, t, buf, size) || on_join(s, t, buf, size)))
        return;
    if (t->state == TS_SYNC_WAIT && !strcmp(detail, LIFE_FINAL_JOIN))
        on_final_join(t, buf, size);
    else if (t->loop && t->state == TS_BLOCKED)
        snprintf(buf, size, "a ready task: its event loop waits in %s", detail);
    else
        snprintf(buf, size, "%s%s%s", thr_state_names[t->state], *detail ? " " : "", detail);
}

void hang_report(sim_t *s)
{
    char what[HANG_TEXT_MAX];
    for (int i = 0; i < s->nthreads; i++) {
        const thread_t *t = s->threads[i];
        if (t->state == TS_DONE)
            continue;
        hang_describe(s, t, what, sizeof what);
        trace_log(s, t, t->cur && t->cur->task ? t->cur->task->name : NULL, LK_DEADLOCK,
                  what);
    }
}
