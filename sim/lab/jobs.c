/* jobs.c — see jobs.h.
 *
 * The shared page holds the next item to take and a "stop" word a failed
 * worker sets; both are changed with atomic builtins, so no lock is
 * needed.  Each finished item is one int written to the pipe (writes of
 * at most PIPE_BUF bytes are atomic), negative for a failure. */
#define _DEFAULT_SOURCE          /* MAP_ANONYMOUS: a page shared with the workers */
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>
#include "engine/util.h"
#include "lab/jobs.h"

typedef struct shared {
    int next;
    int failed;
} shared_t;

int jobs_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
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
        int msg = rc ? -1 - i : i;
        if (write(out, &msg, sizeof msg) != (ssize_t)sizeof msg)
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

/* The parent: progress until every worker closed its end, then their
 * statuses; the first failure's (a signal's first) is returned.  A
 * signal sent to the parent alone (kill PID, timeout) is passed on to
 * the workers, which stop at their next event.  The stop signals are
 * blocked but while pselect waits, so one that comes between the test
 * of the flag and the wait still ends the wait. */
static int collect(const jobs_t *j, int in, const pid_t *pids, int n)
{
    int msg, done = 0, rc = 0, passed_on = 0;
    ssize_t got = -1;
    sigset_t stops, old;
    stop_signal_set(&stops);
    sigprocmask(SIG_BLOCK, &stops, &old);
    while (got != 0) {
        if (j->stop && *j->stop > 0 && !passed_on) {
            for (int w = 0; w < n; w++)
                kill(pids[w], *j->stop);
            passed_on = 1;
        }
        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(in, &readable);
        if (pselect(in + 1, &readable, NULL, NULL, NULL, &old) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if ((got = read(in, &msg, sizeof msg)) < 0 && errno == EINTR)
            continue;
        if (got != (ssize_t)sizeof msg)
            break;
        if (msg >= 0 && j->progress)
            j->progress(++done, j->nitems, j->ctx);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    for (int w = 0; w < n; w++) {
        int st;
        while (waitpid(pids[w], &st, 0) < 0 && errno == EINTR)
            ;
        int wrc = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
        if (wrc && (!rc || (wrc > 128 && rc <= 128)))
            rc = wrc;
    }
    if (rc == 0 && j->stop && *j->stop > 0)
        rc = 128 + *j->stop;
    return rc;
}

int jobs_run(const jobs_t *j)
{
    shared_t *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                        -1, 0);
    int fds[2], n = j->nworkers < 1 ? 1 : j->nworkers > j->nitems ? j->nitems : j->nworkers;
    pid_t pids[1024];
    if (n > 1024)
        n = 1024;
    if (sh == MAP_FAILED || pipe(fds) != 0) {
        say("cannot start the workers: %s", strerror(errno));
        if (sh != MAP_FAILED)
            munmap(sh, sizeof *sh);
        return 1;
    }
    memset(sh, 0, sizeof *sh);
    fflush(NULL);                /* nothing buffered is written twice */
    int started = 0, rc = 0;
    for (; started < n; started++) {
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            int wrc = worker(j, sh, fds[1]);
            fflush(NULL);
            _exit(wrc);
        }
        if (pid < 0) {
            say("cannot start a worker: %s", strerror(errno));
            __atomic_store_n(&sh->failed, 1, __ATOMIC_SEQ_CST);
            rc = 1;
            break;
        }
        pids[started] = pid;
    }
    close(fds[1]);
    int crc = collect(j, fds[0], pids, started);
    close(fds[0]);
    munmap(sh, sizeof *sh);
    return rc ? rc : crc;
}
