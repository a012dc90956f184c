/* chan.c — socketpairs and pipes: `send: C` and `recv: C`.
 *
 * CPython's sock.send and sock.recv (Modules/socketmodule.c, sock_call_ex)
 * and os.write / os.read run their system call between
 * Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS: the GIL is dropped (and
 * a waiter signalled), the call runs on the core for `os.socket_syscall`,
 * and the GIL is taken back after.  A message is one send of `bytes:`
 * bytes (default 1).
 *  - send: at the end of its system call the message goes into the
 *    kernel's buffer, if it fits (below), and one thread blocked in recv
 *    is woken — inside the call, as the kernel's unix_stream_sendmsg /
 *    pipe_write do with wake_up_interruptible_sync_poll: a sync wake-up
 *    (WF_SYNC), which Linux may place on the sender's own core, to run
 *    when the sender blocks (os_wake_sync).  Then the sender takes the GIL
 *    back.  A message that does not fit blocks the sender, GIL still
 *    released (`sync_wait`, detail `send`), until a recv frees room and
 *    wakes it; it then writes at once and returns.
 *  - recv: drops the GIL and takes the oldest message it may have, in a
 *    system call of `os.socket_syscall`; or, with none there, blocks
 *    (off-core) until a send wakes it.  Woken, it finishes its system call
 *    on its core, `os.socket_syscall` again: the kernel's reader loops
 *    back from its wait (unix_stream_read_generic after
 *    unix_stream_data_wait, pipe_read after its wait_event) to dequeue the
 *    message, copy it out and return, and Python builds the result; that
 *    time is work, so the wait's extra (effects.c) leaves it out.  Its
 *    entry before it slept is not charged, nor is a send's that blocked (a
 *    simplification).  Then the GIL back.
 * A pipe delivers every message to whoever receives first.  A socketpair
 * has two ends: a thread never receives what it sent itself, so two
 * threads, each writing `send: s` and `recv: s`, talk to each other as the
 * two ends of socket.socketpair() do.  Finding a message scans the queue:
 * O(messages waiting).
 *
 * How much fits, and who is woken when room comes back:
 *  - A pipe (fs/pipe.c, anon_pipe_write) is a ring of os.pipe_buffer /
 *    4096 pages.  A write first merges its last `bytes % 4096` bytes into
 *    the newest page when they fit there, then fills fresh pages, 4096
 *    bytes each; a read empties pages from the oldest, and frees each one
 *    it empties.  So 65,536 one-byte writes fit in 16 pages, but only 40
 *    of 100 bytes in one page.  The kernel writes page by page and waits
 *    part-way when the ring is full; here a message waits until all the
 *    pages it needs are free (the same for messages of up to a page, the
 *    PIPE_BUF writes POSIX makes atomic).  Writers wait exclusively
 *    (wait_event_interruptible_exclusive): a read that frees a page of a
 *    full pipe wakes one, and a woken writer that leaves room wakes the
 *    next (wake_next_writer).  Here any freed page wakes one writer: for a
 *    writer of a page or less, which waits only on a full pipe, that is
 *    the kernel's rule; one waiting for several pages would otherwise
 *    never be woken.
 *  - A socketpair (net/unix/af_unix.c, unix_stream_sendmsg): each send is
 *    one skb, charged to the sender's end by its truesize (skb_truesize
 *    below); sock_alloc_send_pskb lets a send allocate while the end's
 *    sk_wmem_alloc is below os.socket_sndbuf, and sleeps otherwise.  The
 *    skb is freed when the peer reads it (sock_wfree), and
 *    unix_write_space wakes every writer of that end (a plain wait queue,
 *    not exclusive) once the end is writable again: sk_wmem_alloc at most
 *    a quarter of sk_sndbuf (unix_writable).  A thread's sends are charged
 *    to its own end, as when each thread holds one end.
 * The kernel wakes writers with the sync variant; here they get a plain
 * wake-up (the reader goes on running, so the sync placement's "run when
 * the waker blocks" would not hold). */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include "model/chan.h"
#include "model/effects.h"
#include "model/exec.h"
#include "model/fail.h"
#include "model/sync.h"
#include "model/thread.h"
#include "gil/gil.h"

static chan_t *channel(thread_t *t, const op_t *op)
{
    return &t->proc->objects[op->object].chan;
}

static int is_pipe(const thread_t *t, const op_t *op)
{
    return t->proc->objects[op->object].kind == OBJ_PIPE;
}

static chan_msg_t *msg_at(const chan_t *ch, int i)
{
    return &ch->msgs[(ch->head + i) % ch->cap];
}

/* The index of the oldest message t may receive, or -1. */
static int first_for(const chan_t *ch, const thread_t *t, int socketpair)
{
    for (int i = 0; i < ch->n; i++)
        if (!socketpair || msg_at(ch, i)->from != t->id)
            return i;
    return -1;
}

static void push(sim_t *s, chan_t *ch, chan_msg_t m)
{
    if (ch->n == ch->cap) {      /* unroll the ring into a bigger array */
        int old = ch->cap;
        /* past INT_MAX messages the indices would overflow: as out of memory */
        size_t want = old ? (size_t)old * 2 : 4;
        chan_msg_t *grown = sim_calloc(s, want > INT_MAX ? SIZE_MAX : want, sizeof *grown);
        for (int i = 0; i < ch->n; i++)
            grown[i] = *msg_at(ch, i);
        free(ch->msgs);
        ch->msgs = grown;
        ch->cap = (int)want;
        ch->head = 0;
    }
    ch->msgs[(ch->head + ch->n) % ch->cap] = m;
    ch->n++;
}

/* Takes out the i-th oldest message: the older ones move up one. */
static chan_msg_t take(chan_t *ch, int i)
{
    chan_msg_t m = *msg_at(ch, i);
    for (; i > 0; i--)
        *msg_at(ch, i) = *msg_at(ch, i - 1);
    ch->head = (ch->head + 1) % ch->cap;
    ch->n--;
    return m;
}

/* ---- a pipe's pages ---------------------------------------------------- */

static int *newest_page(const chan_t *ch)
{
    return &ch->page_end[(ch->page_head + ch->pages - 1) % ch->npages];
}

/* The bytes of a write that merge into the newest page, 0 when none do. */
static int pipe_merged(const chan_t *ch, int64_t bytes)
{
    int chars = (int)(bytes % KERNEL_PAGE);
    return chars && ch->pages && *newest_page(ch) + chars <= KERNEL_PAGE ? chars : 0;
}

static int pipe_fits(sim_t *s, chan_t *ch, int64_t bytes)
{
    if (!ch->page_end) {
        ch->npages = (int)(s->cfg->os.pipe_buffer / KERNEL_PAGE);
        ch->page_end = sim_calloc(s, (size_t)ch->npages, sizeof *ch->page_end);
    }
    int64_t rest = bytes - pipe_merged(ch, bytes);
    return (rest + KERNEL_PAGE - 1) / KERNEL_PAGE <= ch->npages - ch->pages;
}

static void pipe_write(chan_t *ch, int64_t bytes)
{
    int merged = pipe_merged(ch, bytes);
    if (merged)
        *newest_page(ch) += merged;
    for (int64_t rest = bytes - merged; rest > 0; rest -= KERNEL_PAGE) {
        ch->page_end[(ch->page_head + ch->pages) % ch->npages] =
            rest < KERNEL_PAGE ? (int)rest : KERNEL_PAGE;
        ch->pages++;
    }
}

/* Reads bytes from the oldest pages; returns how many pages it freed. */
static int pipe_read(chan_t *ch, int64_t bytes)
{
    int freed = 0;
    while (bytes > 0) {
        int left = ch->page_end[ch->page_head] - ch->head_read;
        int now = bytes < left ? (int)bytes : left;
        ch->head_read += now;
        bytes -= now;
        if (ch->head_read == ch->page_end[ch->page_head]) {
            ch->page_head = (ch->page_head + 1) % ch->npages;
            ch->pages--;
            ch->head_read = 0;
            freed++;
        }
    }
    return freed;
}

/* ---- a socketpair end's send buffer ------------------------------------ */

/* What an skb of `bytes` costs its socket (x86-64, Linux 5.x-6.x):
 * unix_stream_sendmsg puts bytes past SKB_MAX_HEAD(0) in whole pages
 * (data_len = PAGE_ALIGN(bytes - SKB_MAX_HEAD(0)), at most bytes) and the
 * rest in the skb's head; the head, 64-byte aligned with its
 * skb_shared_info after it, comes from a power-of-two kmalloc bucket
 * (at least 512 bytes here), and truesize adds the struct sk_buff
 * (os.skb_overhead) and the pages.  One byte: 256 + 512 = 768. */
static int64_t skb_truesize(const config_t *cfg, int64_t bytes)
{
    int64_t paged = 0, head = 1;
    if (bytes > KERNEL_SKB_MAX_HEAD) {
        paged = (bytes - KERNEL_SKB_MAX_HEAD + KERNEL_PAGE - 1) / KERNEL_PAGE * KERNEL_PAGE;
        if (paged > bytes) paged = bytes;
    }
    int64_t linear = (bytes - paged + 63) / 64 * 64 + KERNEL_SKB_SHINFO;
    while (head < linear)
        head *= 2;
    int64_t pages = (paged + KERNEL_PAGE - 1) / KERNEL_PAGE * KERNEL_PAGE;
    return cfg->os.skb_overhead + head + pages;
}

/* The sk_wmem_alloc of thread id's end. */
static int64_t *end_wmem(sim_t *s, chan_t *ch, int id)
{
    if (id >= ch->nwmem) {
        int n = id + 1 > 2 * ch->nwmem ? id + 1 : 2 * ch->nwmem;
        ch->wmem = sim_realloc(s, ch->wmem, (size_t)n, sizeof *ch->wmem);
        for (int i = ch->nwmem; i < n; i++)
            ch->wmem[i] = 0;
        ch->nwmem = n;
    }
    return &ch->wmem[id];
}

/* ---- send and recv ----------------------------------------------------- */

/* The system call returned: Py_END_ALLOW_THREADS takes the GIL back.  A
 * send or recv counts as an op done, as an io does. */
static int returned(thread_t *t, exec_t *x)
{
    t->ops_done++;
    t->restore_gil = 1;
    ex_op_done(x);
    return 1;
}

/* Puts t's message in the buffer if it fits: 1, or 0 when t must wait. */
static int write_message(sim_t *s, thread_t *t, chan_t *ch, const op_t *op)
{
    chan_msg_t m = { t->id, op->bytes, 0 };
    if (is_pipe(t, op)) {
        if (!pipe_fits(s, ch, m.bytes))
            return 0;
        pipe_write(ch, m.bytes);
    } else {
        int64_t *wmem = end_wmem(s, ch, t->id);
        if (*wmem >= s->cfg->os.socket_sndbuf)
            return 0;
        m.truesize = skb_truesize(s->cfg, m.bytes);
        *wmem += m.truesize;
    }
    push(s, ch, m);
    return 1;
}

/* A woken pipe writer that still does not fit passes its wake-up on to the
 * first waiting writer whose message fits the room left: in the kernel a
 * writer sleeps only while its write cannot go on (pipe_writable), so none
 * sleeps with room for it.  Only one that fits is woken, so two writers
 * that fit nowhere cannot wake each other for ever. */
static void wake_a_writer_that_fits(sim_t *s, chan_t *ch)
{
    for (int i = ch->senders.head; i < ch->senders.n; i++) {
        thread_t *w = ch->senders.w[i].thread;
        if (w && !ch->senders.w[i].task && w->cur && pipe_fits(s, ch, ex_op(w->cur)->bytes)) {
            sync_wake_thread_in(s, &ch->senders, w->id);
            return;
        }
    }
}

int chan_send(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    if (x->phase == 0)
        return thr_syscall(s, t, x, s->cfg->os.socket_syscall);
    chan_t *ch = channel(t, op);
    if (!write_message(s, t, ch, op)) {
        if (x->step && is_pipe(t, op))
            wake_a_writer_that_fits(s, ch);
        x->step = 1;             /* it waited: woken, it writes at once */
        return sync_wait(s, t, 0, &ch->senders, "send");
    }
    sync_wake_one_sync(s, &ch->receivers, t);
    if (x->step && is_pipe(t, op) && ch->pages < ch->npages)
        sync_wake_one(s, &ch->senders);          /* wake_next_writer */
    return returned(t, x);
}

/* Frees what message m held: pipe pages, or its skb's charge to its
 * sender's end; wakes the writers the kernel would. */
static void free_room(sim_t *s, thread_t *t, chan_t *ch, const op_t *op, chan_msg_t m)
{
    if (is_pipe(t, op)) {
        if (pipe_read(ch, m.bytes) > 0)
            sync_wake_one(s, &ch->senders);
        return;
    }
    int64_t *wmem = end_wmem(s, ch, m.from);
    *wmem -= m.truesize;
    if ((*wmem + 1) * 4 <= s->cfg->os.socket_sndbuf)    /* the refcount starts at 1 */
        sync_wake_thread_in(s, &ch->senders, m.from);
}

int chan_recv(sim_t *s, thread_t *t, exec_t *x, const op_t *op)
{
    if (x->phase > 0)
        return returned(t, x);
    if (t->gthr.has_gil && !gil_release(t->gil, &t->gthr, DROP_IO))
        return 0;                /* a forced hand-off first; the op runs again */
    chan_t *ch = channel(t, op);
    int i = first_for(ch, t, !is_pipe(t, op));
    if (i < 0) {                 /* woken, the op runs again and finds its message */
        x->step = 1;
        return sync_wait(s, t, 0, &ch->receivers, "recv");
    }
    free_room(s, t, ch, op, take(ch, i));
    if (x->step)                 /* woken: the call's rest is work, not waiting */
        eff_starts_later(t, s->cfg->os.socket_syscall);
    return thr_syscall(s, t, x, s->cfg->os.socket_syscall);
}

void chan_free(chan_t *ch)
{
    free(ch->msgs);
    free(ch->page_end);
    free(ch->wmem);
    sync_free(&ch->receivers);
    sync_free(&ch->senders);
    *ch = (chan_t){0};
}
