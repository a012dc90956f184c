/* chan.c — socketpairs and pipes: `send: C` and `recv: C`.
 *
 * CPython's sock.send and sock.recv (Modules/socketmodule.c, sock_call_ex)
 * and os.write / os.read run their system call between
 * Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS: the GIL is dropped (and
 * a waiter signalled), the call runs on the core for `os.socket_syscall`,
 * and the GIL is taken back after.  A message is one send: it carries no
 * size, and the buffer is taken as never full, so a send never blocks.
 *  - send: at the end of its system call the message is queued and one
 *    thread blocked in recv is woken — inside the call, as the kernel's
 *    unix_stream_sendmsg / pipe_write do with wake_up_interruptible_sync_poll:
 *    a sync wake-up (WF_SYNC), which Linux may place on the sender's own
 *    core, to run when the sender blocks (os_wake_sync).  Then the sender
 *    takes the GIL back.
 *  - recv: drops the GIL and takes the oldest message it may have, in a
 *    system call of `os.socket_syscall`; or, with none there, blocks
 *    (off-core) until a send wakes it.  A recv that blocks is charged no
 *    system-call time (a simplification: the kernel's entry before it
 *    sleeps and its exit after are not modelled); woken, it returns with
 *    the message at once (the context switch back to it is the
 *    wake-up's).  Then the GIL back.
 * A pipe delivers every message to whoever receives first.  A socketpair
 * has two ends: a thread never receives what it sent itself, so two
 * threads, each writing `send: s` and `recv: s`, talk to each other as the
 * two ends of socket.socketpair() do.  Finding a message scans the queue:
 * O(messages waiting), one or two in a ping-pong. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include "model/chan.h"
#include "model/exec.h"
#include "model/fail.h"
#include "model/sync.h"
#include "model/thread.h"
#include "gil/gil.h"

static chan_t *channel(thread_t *t, const op_t *op)
{
    return &t->proc->objects[op->object].chan;
}

/* The index of the oldest message t may receive, or -1. */
static int first_for(const chan_t *ch, const thread_t *t, int socketpair)
{
    for (int i = 0; i < ch->n; i++)
        if (!socketpair || ch->from[(ch->head + i) % ch->cap] != t->id)
            return i;
    return -1;
}

static void push(sim_t *s, chan_t *ch, int from)
{
    if (ch->n == ch->cap) {      /* unroll the ring into a bigger array */
        int old = ch->cap;
        /* past INT_MAX messages the indices would overflow: as out of memory */
        size_t want = old ? (size_t)old * 2 : 4;
        int *grown = sim_calloc(s, want > INT_MAX ? SIZE_MAX : want, sizeof *grown);
        for (int i = 0; i < ch->n; i++)
            grown[i] = ch->from[(ch->head + i) % old];
        free(ch->from);
        ch->from = grown;
        ch->cap = (int)want;
        ch->head = 0;
    }
    ch->from[(ch->head + ch->n) % ch->cap] = from;
    ch->n++;
}

/* Takes out the i-th oldest message: the older ones move up one. */
static void take(chan_t *ch, int i)
{
    for (; i > 0; i--)
        ch->from[(ch->head + i) % ch->cap] = ch->from[(ch->head + i - 1) % ch->cap];
    ch->head = (ch->head + 1) % ch->cap;
    ch->n--;
}

/* The system call returned: Py_END_ALLOW_THREADS takes the GIL back.  A
 * send or recv counts as an op done, as an io does. */
static int returned(thread_t *t, exec_t *x)
{
    t->ops_done++;
    t->restore_gil = 1;
    ex_op_done(x);
    return 1;
}

int chan_send(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    if (x->phase == 0)
        return thr_syscall(s, t, x, s->cfg->os.socket_syscall);
    chan_t *ch = channel(t, op);
    push(s, ch, t->id);
    sync_wake_one_sync(s, &ch->receivers, t);
    return returned(t, x);
}

int chan_recv(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    if (x->phase > 0)
        return returned(t, x);
    if (t->gthr.has_gil && !gil_release(t->gil, &t->gthr, DROP_IO))
        return 0;                /* a forced hand-off first; the op runs again */
    chan_t *ch = channel(t, op);
    int i = first_for(ch, t, t->proc->objects[op->object].kind == OBJ_SOCKETPAIR);
    if (i < 0) {
        x->step = 1;             /* it blocked: woken, it returns at once */
        return sync_wait(s, t, 0, &ch->receivers, "recv");
    }
    take(ch, i);
    if (x->step)                 /* woken with the message: it returns at once */
        return returned(t, x);
    return thr_syscall(s, t, x, s->cfg->os.socket_syscall);
}

void chan_free(chan_t *ch)
{
    free(ch->from);
    sync_free(&ch->receivers);
    *ch = (chan_t){0};
}
