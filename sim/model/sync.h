/* sync.h — waiting: wait lists, a thread's blocking wait and its wake-up,
 * and the threading primitives (Lock, Event, Queue) built on them.  Op
 * handlers follow thread.h's convention: 1 = go on, 0 = blocked. */
#ifndef GILSIM_SYNC_H
#define GILSIM_SYNC_H

#include "model/model.h"

/* Adds thread t (or task k) to wl, for the op its exec is running now. */
void sync_add(waitlist_t *wl, thread_t *t, task_t *k);
void sync_wake_all(sim_t *s, waitlist_t *wl);
void sync_wake_one(sim_t *s, waitlist_t *wl);
/* As sync_wake_one, a thread woken synchronously by `waker` (WF_SYNC: a
 * socket or pipe write); NULL: a plain wake-up. */
void sync_wake_one_sync(sim_t *s, waitlist_t *wl, const thread_t *waker);
/* Wakes every waiter on wl that is the thread numbered id (a socket end's
 * writers, when each thread writes from its own end); the others stay. */
void sync_wake_thread_in(sim_t *s, waitlist_t *wl, int id);
void sync_free(waitlist_t *wl);
/* Blocks t until woken, when ready is false: releases the GIL first (a
 * blocking C call) and adds t to wl (if not NULL).  When ready is true the
 * op may finish: returns 1 and makes t take the GIL back if it let it go. */
int  sync_wait(sim_t *s, thread_t *t, int ready, waitlist_t *wl, const char *detail);
/* Wakes t if it is blocked in sync_wait and not already woken; returns
 * whether it did. */
int  sync_wake_thread(sim_t *s, thread_t *t);

int  sync_lock_enter(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
void sync_lock_leave(sim_t *s, lock_t *l);
int  sync_event(sim_t *s, thread_t *t, exec_t *x, const op_t *op);
int  sync_queue(sim_t *s, thread_t *t, exec_t *x, const op_t *op);

#endif
