/* sync.c — wait lists, a thread's blocking wait, and the threading
 * primitives: Lock, Event, Queue.
 *
 * A blocking acquire, wait, put or get releases the GIL (CPython's lock
 * waits run inside Py_BEGIN_ALLOW_THREADS) and blocks the whole thread —
 * inside a coroutine too, which stalls its event loop.  A wake-up only
 * makes the waiter try again, so whoever gets there first wins, as with
 * the real locks; the woken thread re-waits if it lost.  Waiting is FIFO. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/fail.h"
#include "model/exec.h"
#include "gil/gil.h"
#include "model/sync.h"
#include "model/thread.h"

/* Adds thread t (or task k), for the op its exec is running now. */
void sync_add(waitlist_t *wl, thread_t *t, task_t *k)
{
    if (wl->n == wl->cap && wl->head > 0) {     /* reuse the room the woken left */
        memmove(wl->w, wl->w + wl->head, sizeof *wl->w * (size_t)(wl->n - wl->head));
        wl->n -= wl->head;
        wl->head = 0;
    }
    if (wl->n == wl->cap) {
        sim_t *s = k ? k->loop->thread->sim : t->sim;
        wl->w = sim_realloc(s, wl->w, (size_t)(wl->cap ? wl->cap * 2 : 4), sizeof *wl->w);
        wl->cap = wl->cap ? wl->cap * 2 : 4;
    }
    wl->w[wl->n++] = (waiter_t){t, k, k ? k->exec.ticket : t->cur->ticket};
}

static int wake_thread(sim_t *s, thread_t *t, const thread_t *waker);

/* Returns 0 when the waiter had stopped waiting (woken by something else,
 * or dead), so that the next one is woken instead.  waker: see
 * sync_wake_one_sync. */
static int wake(sim_t *s, waiter_t w, const thread_t *waker)
{
    if (w.task)
        return w.ticket == w.task->exec.ticket && w.task->wake(s, w.task);
    return w.thread && w.thread->cur && w.ticket == w.thread->cur->ticket &&
           wake_thread(s, w.thread, waker);
}

void sync_wake_all(sim_t *s, waitlist_t *wl)
{
    int head = wl->head, n = wl->n;
    wl->head = wl->n = 0;
    for (int i = head; i < n; i++)
        wake(s, wl->w[i], NULL);
}

void sync_wake_one(sim_t *s, waitlist_t *wl)
{
    sync_wake_one_sync(s, wl, NULL);
}

void sync_wake_one_sync(sim_t *s, waitlist_t *wl, const thread_t *waker)
{
    while (wl->head < wl->n && !wake(s, wl->w[wl->head++], waker))
        ;                        /* a stale entry: the next one */
    if (wl->head == wl->n)
        wl->head = wl->n = 0;
}

void sync_wake_thread_in(sim_t *s, waitlist_t *wl, int id)
{
    int kept = 0;
    for (int i = wl->head; i < wl->n; i++) {
        waiter_t w = wl->w[i];
        if (w.thread && !w.task && w.thread->id == id)
            wake(s, w, NULL);
        else
            wl->w[kept++] = w;
    }
    wl->head = 0;
    wl->n = kept;
}

void sync_free(waitlist_t *wl)
{
    free(wl->w);
    *wl = (waitlist_t){0};
}

int sync_wait(sim_t *s, thread_t *t, int ready, waitlist_t *wl, const char *detail)
{
    if (ready) {
        if (!t->gthr.has_gil)
            t->restore_gil = 1;
        return 1;
    }
    if (t->gthr.has_gil && !gil_release(t->gil, &t->gthr, DROP_WAIT))
        return 0;                /* forced hand-off first; the op runs again */
    if (wl)
        sync_add(wl, t, NULL);
    t->woken = 0;
    thr_block(s, t, TS_SYNC_WAIT, detail);
    return 0;
}

static int wake_thread(sim_t *s, thread_t *t, const thread_t *waker)
{
    if (t->state != TS_SYNC_WAIT || t->woken)
        return 0;
    t->woken = 1;
    if (waker)
        thr_unblock_sync(s, t, waker);
    else
        thr_unblock(s, t, RESUME_RUN);
    return 1;
}

int sync_wake_thread(sim_t *s, thread_t *t)
{
    return wake_thread(s, t, NULL);
}

static sync_obj_t *object(thread_t *t, const op_t *op)
{
    return &t->proc->objects[op->object];
}

/* with_lock: NAME, do: [...] */
int sync_lock_enter(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    lock_t *l = &object(t, op)->lock;
    if (!sync_wait(s, t, l->owner == NULL, &l->waiters, "lock"))
        return 0;
    l->owner = t;
    frame_t *f = ex_top(x);
    f->blocks[f->depth++] = (block_t){BLK_LOCK, f->pc, 0, l};
    f->pc++;
    x->phase = x->step = 0;
    return 1;
}

void sync_lock_leave(sim_t *s, lock_t *l)
{
    l->owner = NULL;
    sync_wake_one(s, &l->waiters);
}

/* event_set / event_wait */
int sync_event(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    event_t *e = &object(t, op)->event;
    if (op->kind == OP_EVENT_SET) {
        e->set = 1;
        sync_wake_all(s, &e->waiters);
    } else if (!sync_wait(s, t, e->set, &e->waiters, "event")) {
        return 0;
    }
    ex_op_done(x);
    return 1;
}

/* queue_put / queue_get: items are counted, not carried.
 * Lib/queue.py's get is `with self.not_empty: while not self._qsize():
 * self.not_empty.wait()`, then `item = self._get()` (put the same with
 * not_full): woken, a waiter returns from the condition's lock acquire
 * (C, GIL released), retakes the GIL, and only then does Python code see
 * whether an item is there.  So a waiter woken without the GIL takes it
 * back first and then looks again: another thread holding the GIL
 * meanwhile may have taken the item (then it waits again). */
int sync_queue(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    queue_t *q = &object(t, op)->queue;
    if (!gil_may_run(t->gil, &t->gthr)) {
        t->restore_gil = 1;      /* the op runs again once the GIL is back */
        return 1;
    }
    if (op->kind == OP_QUEUE_PUT) {
        int full = q->maxsize > 0 && q->items >= q->maxsize;
        if (!sync_wait(s, t, !full, &q->putters, "queue_put"))
            return 0;
        q->items++;
        sync_wake_one(s, &q->getters);
    } else {
        if (!sync_wait(s, t, q->items > 0, &q->getters, "queue_get"))
            return 0;
        q->items--;
        sync_wake_one(s, &q->putters);
    }
    ex_op_done(x);
    return 1;
}
