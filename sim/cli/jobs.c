/* jobs.c — see jobs.h.
 *
 * The shared page holds the next item to take and a "stop" word a failed
 * worker sets; both are changed with atomic builtins, so no lock is
 * needed.  Each finished item is a message on its worker's pipe: the
 * item (negative for a failure) and the length of its result, then the
 * result's bytes.  Each worker has a pipe of its own, so a message longer
 * than PIPE_BUF is never interleaved with another worker's. */
#define _GNU_SOURCE              /* MAP_ANONYMOUS (a page shared with the workers), ppoll */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#include "engine/util.h"
#include "cli/jobs.h"

#define JOBS_MAX_WORKERS 1024

typedef struct shared {
    int next;
    int failed;
} shared_t;

typedef struct message {
    int32_t item;                /* -1 - item: the item failed */
    uint32_t len;                /* result bytes that follow */
} message_t;

/* The parent's side of one worker. */
typedef struct worker_end {
    pid_t pid;
    int fd;                      /* its pipe; -1 once it closed it */
} worker_end_t;

int jobs_cores(void)
{
#ifdef __EMSCRIPTEN__
    return 1;                    /* one process: sweeps run their points in turn */
#else
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > JOBS_MAX_WORKERS ? JOBS_MAX_WORKERS : (int)n;
#endif
}

/* Item i's message; 0 or -1 (the parent is gone). */
static int tell(const jobs_t *j, int out, int i, int rc)
{
    size_t len = 0;
    const char *data = !rc && j->result ? j->result(j->ctx, &len) : NULL;
    if (len > UINT32_MAX)
        return -1;
    message_t m = {rc ? -1 - i : i, data ? (uint32_t)len : 0};
    if (fd_write_all(out, &m, sizeof m) != 0)
        return -1;
    return m.len ? fd_write_all(out, data, m.len) : 0;
}

static int worker(const jobs_t *j, shared_t *sh, int out)
{
    int rc = 0;
    for (;;) {
        if ((j->stop && *j->stop > 0) || __atomic_load_n(&sh->failed, __ATOMIC_SEQ_CST))
            break;
        int i = __atomic_fetch_add(&sh->next, 1, __ATOMIC_SEQ_CST);
        if (i >= j->nitems)
            break;
        rc = j->work(i, j->ctx);
        if (tell(j, out, i, rc) != 0)
            rc = rc ? rc : 1;
        if (rc) {
            __atomic_store_n(&sh->failed, 1, __ATOMIC_SEQ_CST);
            break;
        }
    }
    if (rc == 0 && j->stop && *j->stop > 0)
        rc = 128 + *j->stop;
    if (rc == 0 && j->finish)
        rc = j->finish(j->ctx);
    return rc;
}

/* One message from w: its item, result and progress.  0 to go on, -1
 * when the worker closed its pipe (or broke the protocol: read as gone),
 * or an exit status: on_result's, or 1 out of memory (said). */
static int take_message(const jobs_t *j, worker_end_t *w, char **buf, size_t *cap, int *done)
{
    message_t m;
    if (fd_read_all(w->fd, &m, sizeof m) != 0)
        return -1;
    if (m.len > *cap) {
        char *b = realloc(*buf, m.len);
        if (!b) {
            say("out of memory reading a worker's result");
            return 1;
        }
        *buf = b;
        *cap = m.len;
    }
    if (m.len && fd_read_all(w->fd, *buf, m.len) != 0)
        return -1;
    if (m.item < 0)
        return 0;
    if (j->on_result && m.len) {
        int rc = j->on_result(m.item, *buf, m.len, j->ctx);
        if (rc)
            return rc;
    }
    if (j->progress)
        j->progress(++*done, j->nitems, j->ctx);
    return 0;
}

/* Waits until a worker's pipe is readable or closed (poll, not select:
 * with many workers the pipes pass FD_SETSIZE).  The number of ready
 * pipes, or -1 (errno EINTR: a signal came, the caller looks at stop). */
static int wait_readable(const worker_end_t *w, int n, struct pollfd *p, const sigset_t *old)
{
    for (int i = 0; i < n; i++)
        p[i] = (struct pollfd){.fd = w[i].fd, .events = POLLIN};   /* fd -1: ignored */
#ifdef __EMSCRIPTEN__
    /* WebAssembly has no processes: fork() fails, no worker starts, and
     * this is never reached; ppoll does not exist there. */
    (void)old;
    return poll(p, (nfds_t)n, -1);
#else
    return ppoll(p, (nfds_t)n, NULL, old);
#endif
}

/* Passes a signal sent to the parent alone (kill PID, timeout) on to the
 * workers, which stop at their next event; or stops them when on_result
 * failed. */
static void stop_workers(const worker_end_t *w, int n, int sig)
{
    for (int i = 0; i < n; i++)
        kill(w[i].pid, sig);
}

/* Each worker's exit status; the first failure's (a signal's first). */
static int reap(const worker_end_t *w, int n)
{
    int rc = 0;
    for (int i = 0; i < n; i++) {
        int st;
        while (waitpid(w[i].pid, &st, 0) < 0 && errno == EINTR)
            ;
        int wrc = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
        if (wrc && (!rc || (wrc > 128 && rc <= 128)))
            rc = wrc;
    }
    return rc;
}

/* Closes what is left of the pipes: a worker still writing gets SIGPIPE. */
static void close_all(worker_end_t *w, int n)
{
    for (int i = 0; i < n; i++)
        if (w[i].fd >= 0) {
            close(w[i].fd);
            w[i].fd = -1;
        }
}

/* The parent: messages until every worker closed its pipe, then their
 * statuses.  The stop signals are blocked but while ppoll waits, so one
 * that comes between the test of the flag and the wait still ends the
 * wait.  A failure (on_result's, or the wait's) stops the workers. */
static int collect(const jobs_t *j, worker_end_t *w, int n)
{
    int done = 0, open = n, passed_on = 0, rc = 0;
    char *buf = NULL;
    size_t cap = 0;
    struct pollfd *p = calloc((size_t)n + 1, sizeof *p);
    sigset_t stops, old;
    stop_signal_set(&stops);
    sigprocmask(SIG_BLOCK, &stops, &old);
    if (!p) {
        say("cannot wait for the workers: %s", strerror(ENOMEM));
        rc = 1;
    }
    while (open > 0 && !rc) {
        if (j->stop && *j->stop > 0 && !passed_on) {
            stop_workers(w, n, *j->stop);
            passed_on = 1;
        }
        if (wait_readable(w, n, p, &old) < 0) {
            if (errno == EINTR)
                continue;
            say("cannot wait for the workers: %s", strerror(errno));
            rc = 1;
            break;
        }
        for (int i = 0; i < n && !rc; i++) {
            if (w[i].fd < 0 || !p[i].revents)
                continue;
            int r = take_message(j, &w[i], &buf, &cap, &done);
            if (r > 0)
                rc = r;
            if (r < 0) {
                close(w[i].fd);
                w[i].fd = -1;
                open--;
            }
        }
    }
    if (rc) {                    /* the workers stop; their pipes close */
        stop_workers(w, n, SIGTERM);
        close_all(w, n);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    free(p);
    free(buf);
    int wrc = reap(w, n);
    if (rc == 0)
        rc = wrc;
    if (rc == 0 && j->stop && *j->stop > 0)
        rc = 128 + *j->stop;
    return rc;
}

/* Forks worker number k with a pipe of its own: 0, or -1 (said). */
static int start_worker(const jobs_t *j, shared_t *sh, worker_end_t *w, int k)
{
    int fds[2];
    if (pipe(fds) != 0) {
        say("cannot start a worker: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    int fork_errno = errno;
    if (pid == 0) {
        close(fds[0]);
        for (int i = 0; i < k; i++)      /* the others' pipes end with them */
            close(w[i].fd);
        int wrc = worker(j, sh, fds[1]);
        fflush(NULL);
        _exit(wrc);
    }
    close(fds[1]);
    if (pid < 0) {
        if (fork_errno == ENOSYS)    /* WebAssembly */
            say("cannot start a worker: the WebAssembly build has no processes");
        else
            say("cannot start a worker: %s", strerror(fork_errno));
        close(fds[0]);
        return -1;
    }
    w[k] = (worker_end_t){pid, fds[0]};
    return 0;
}

int jobs_run(const jobs_t *j)
{
    int n = j->nworkers < 1 ? 1 : j->nworkers > j->nitems ? j->nitems : j->nworkers;
    if (n > JOBS_MAX_WORKERS)
        n = JOBS_MAX_WORKERS;
    shared_t *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                        -1, 0);
    worker_end_t *w = calloc((size_t)(n > 0 ? n : 1), sizeof *w);
    if (sh == MAP_FAILED || !w) {
        say("cannot start the workers: %s", strerror(sh == MAP_FAILED ? errno : ENOMEM));
        if (sh != MAP_FAILED)
            munmap(sh, sizeof *sh);
        free(w);
        return 1;
    }
    memset(sh, 0, sizeof *sh);
    fflush(NULL);                /* nothing buffered is written twice */
    int started = 0;
    while (started < n && start_worker(j, sh, w, started) == 0)
        started++;
    if (started > 0 && started < n)      /* the others take their items */
        say("started %d of %d workers", started, n);
    int rc = started > 0 ? collect(j, w, started) : 1;
    munmap(sh, sizeof *sh);
    free(w);
    return rc;
}
