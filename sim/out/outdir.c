/* outdir.c — see outdir.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "out/figures.h"
#include "out/outdir.h"
#include "out/runfiles.h"
#include "engine/util.h"

/* "dir/name.part", malloc'd; NULL when out of memory. */
static char *part_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 7;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s.part", dir, name);
    return p;
}

/* The holder's pid from the lock file: it writes it just after locking,
 * so an empty file is retried for a moment. */
static long holder_pid(int fd)
{
    for (int tries = 0; tries < 100; tries++) {
        char buf[32];
        ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
        if (n > 0) {
            buf[n] = '\0';
            return strtol(buf, NULL, 10);
        }
        struct timespec ms = {0, 2000000};
        nanosleep(&ms, NULL);
    }
    return 0;
}

static void busy_message(const char *dir, int fd, const char *what)
{
    /* the holder may be a run, a sweep or a plot: each writes its pid */
    say("%s%s is in use by another gilsim (pid %ld)", what, dir, holder_pid(fd));
}

static int wait_lock(const char *dir, int fd, int quiet, const volatile sig_atomic_t *stop)
{
    if (!quiet) {
        busy_message(dir, fd, "waiting: ");
    }
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            say("cannot lock %s: %s", dir, strerror(errno));
            return 1;
        }
        if (stop && *stop > 0) {
            char sn[32];
            say("interrupted by %s while waiting for %s",
                    outdir_signame(*stop, sn, sizeof sn), dir);
            return 128 + *stop;
        }
    }
    return 0;
}

/* Whether fd is still the file at path: a failed run that made its
 * folder removes the lock file, and a waiter that then gets the lock on
 * the removed file must start again on the new one. */
static int still_there(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* One attempt: 0 with *fd locked, 1 or 128+N with a message, or -1 to try
 * again (the lock file was removed meanwhile). */
static int lock_once(const char *dir, const char *path, int wait, int quiet,
                     const volatile sig_atomic_t *stop, int *fd)
{
    /* never through a link: the folder may come from someone else */
    int f = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (f < 0) {
        say("cannot create %s: %s", path,
                errno == ELOOP ? "a symbolic link, refused" : strerror(errno));
        return 1;
    }
    int rc = 0;
    if (flock(f, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK) {
            say("cannot lock %s: %s", dir, strerror(errno));
            rc = 1;
        } else if (!wait) {
            busy_message(dir, f, "");
            rc = 1;
        } else {
            rc = wait_lock(dir, f, quiet, stop);
        }
    }
    if (rc == 0 && !still_there(f, path))
        rc = -1;
    if (rc != 0) {
        close(f);
        return rc;
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(f, 0) != 0 || pwrite(f, pid, (size_t)n, 0) != n) {
        /* the pid is only for the message a second writer prints */
    }
    *fd = f;
    return 0;
}

/* dir's path with its trailing slashes cut, malloc'd (NULL: out of memory). */
static char *path_trimmed(const char *dir)
{
    char *p = strdup(dir);
    for (size_t n = p ? strlen(p) : 0; n > 1 && p[n - 1] == '/'; n--)
        p[n - 1] = '\0';
    return p;
}

/* How many folders of dir's path, from its end, do not exist yet. */
static int missing_levels(const char *dir)
{
    char *p = path_trimmed(dir), *slash;
    struct stat sb;
    int n = 0;
    while (p && *p && stat(p, &sb) != 0) {
        n++;
        if (!(slash = strrchr(p, '/')) || slash == p)
            break;
        *slash = '\0';
    }
    free(p);
    return n;
}

int outdir_lock(const char *dir, int wait, int quiet, const volatile sig_atomic_t *stop,
                int *fd, int *created)
{
    *fd = -1;
    *created = 0;
    char *path = path_join(dir, OUTDIR_LOCK);
    int rc = path ? -1 : 1;
    if (!path)
        say("out of memory locking %s", dir);
    while (rc == -1) {
        *created = missing_levels(dir);
        if (make_dirs(dir) != 0) {
            say("cannot create output folder %s: %s", dir,
                    strerror(errno));
            rc = 1;
        } else {
            rc = lock_once(dir, path, wait, quiet, stop, fd);
        }
    }
    free(path);
    return rc;
}

void outdir_release(const char *dir, int fd, int remove)
{
    if (fd < 0)
        return;
    if (remove) {                /* still locked: a waiter sees the file go (still_there) */
        char *path = path_join(dir, OUTDIR_LOCK), *p = path_trimmed(dir), *slash;
        if (path)
            unlink(path);
        free(path);
        for (int i = 0; p && i < remove; i++) {       /* each only if nothing else is there */
            if (rmdir(p) != 0 || !(slash = strrchr(p, '/')) || slash == p)
                break;
            *slash = '\0';
        }
        free(p);
    }
    close(fd);                   /* closing drops the flock */
}

void outdir_unlock(int fd)
{
    if (fd >= 0)
        close(fd);
}

static int remove_one(const char *path, char *err, int errsize)
{
    if (unlink(path) == 0 || errno == ENOENT)
        return 0;
    snprintf(err, (size_t)errsize, "cannot remove the earlier run's %s: %s", path,
             strerror(errno));
    return -1;
}

/* Removes dir/name.part and dir/name. */
static int clean_one(const char *dir, const char *name, char *err, int errsize)
{
    char *p = path_join(dir, name), *part = part_path(dir, name);
    int rc = 0;
    if (!p || !part) {
        snprintf(err, (size_t)errsize, "out of memory clearing %s", dir);
        rc = -1;
    }
    if (rc == 0)
        rc = remove_one(part, err, errsize);
    if (rc == 0)
        rc = remove_one(p, err, errsize);
    free(p);
    free(part);
    return rc;
}

/* A figure's drawings in every format, and its data files. */
static int clean_figure(const char *dir, const figure_kind_t *k, char *err, int errsize)
{
    int rc = 0;
    for (int f = 0; figure_formats[f] && rc == 0; f++) {
        char *name = text_printf("%s.%s", k->name, figure_formats[f]);
        if (!name) {
            snprintf(err, (size_t)errsize, "out of memory clearing %s", dir);
            return -1;
        }
        rc = clean_one(dir, name, err, errsize);
        free(name);
    }
    for (int d = 0; k->data[d] && rc == 0; d++)
        rc = clean_one(dir, k->data[d], err, errsize);
    return rc;
}

/* The figures named when drawn, and their data: the zooms', whatever
 * their window (figure_zoom_file), and a sweep's (figure_sweep_file). */
static int clean_named_figures(const char *dir, char *err, int errsize)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int rc = 0;
    while (d && rc == 0 && (e = readdir(d)))
        if (figure_zoom_file(e->d_name) || figure_sweep_file(e->d_name)) {
            char *p = path_join(dir, e->d_name);
            rc = p ? remove_one(p, err, errsize) : -1;
            if (!p)
                snprintf(err, (size_t)errsize, "out of memory clearing %s", dir);
            free(p);
        }
    if (d)
        closedir(d);
    return rc;
}

int outdir_clean(const char *dir, char *err, int errsize)
{
    int rc = 0;
    for (size_t i = 0; i < run_files_count && rc == 0; i++)      /* the files (runfiles.h) */
        rc = clean_one(dir, run_files[i].name, err, errsize);
    for (size_t i = 0; i < figure_kinds_count && rc == 0; i++)
        rc = clean_figure(dir, &figure_kinds[i], err, errsize);
    return rc == 0 ? clean_named_figures(dir, err, errsize) : rc;
}

void outdir_remove_parts(const char *dir, const char *const *names, int n)
{
    for (int i = 0; i < n; i++) {
        char *part = part_path(dir, names[i]);
        if (part)
            unlink(part);
        free(part);
    }
}

int outdir_commit(const char *dir, const char *const *names, int n, char *err, int errsize)
{
    sigset_t block, old;
    stop_signal_set(&block);
    sigprocmask(SIG_BLOCK, &block, &old);
    int done = 0;
    for (; done < n; done++) {
        char *part = part_path(dir, names[done]), *final = path_join(dir, names[done]);
        int r = part && final ? rename(part, final) : -1;
        if (r != 0 && part && final)
            snprintf(err, (size_t)errsize, "cannot rename %s to %s: %s", part, final,
                     strerror(errno));
        else if (r != 0)
            snprintf(err, (size_t)errsize, "out of memory committing the files in %s", dir);
        free(part);
        free(final);
        if (r != 0)
            break;
    }
    if (done < n) {              /* roll back: none of this run's files stays */
        for (int i = 0; i < done; i++) {
            char *final = path_join(dir, names[i]);
            if (final)
                unlink(final);
            free(final);
        }
        outdir_remove_parts(dir, names + done, n - done);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return done < n ? -1 : 0;
}

char *outdir_safe_name(const char *name)
{
    if (!strcmp(name, ".") || !strcmp(name, "..") || !*name)
        return strdup("_");
    char *s = strdup(name);
    for (char *c = s; c && *c; c++)
        if (*c == '/' || (unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '_';
    if (s && s[0] == '.')
        s[0] = '_';
    return s;
}

const char *outdir_signame(int sig, char *buf, int size)
{
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default:
        snprintf(buf, (size_t)size, "signal %d", sig);
        return buf;
    }
}

char *outdir_default(const char *name, const char *suffix)
{
    char *safe = outdir_safe_name(name);
    size_t n = safe ? strlen(safe) + strlen(suffix) + 5 : 0;
    char *d = safe ? malloc(n) : NULL;
    if (d)
        snprintf(d, n, "out/%s%s", safe, suffix);
    free(safe);
    return d;
}

int outdir_plot_lock(const char *dir, int *fd)
{
    struct stat sb;
    *fd = -1;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return 0;                /* no folder to lock: the plot says so itself */
    char *path = path_join(dir, OUTDIR_LOCK);
    if (!path) {
        say("out of memory locking %s", dir);
        return 1;
    }
    /* O_NOFOLLOW: a link planted at the lock's name would create or lock a
     * file outside the folder */
    int f = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (f < 0) {
        say("cannot open %s: %s", path,
            errno == ELOOP ? "a symbolic link, refused" : strerror(errno));
        free(path);
        return 1;
    }
    free(path);
    if (flock(f, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            say("%s is being written by gilsim (pid %ld); plot it when that ends", dir,
                holder_pid(f));
        else
            say("cannot lock %s: %s", dir, strerror(errno));
        close(f);
        return 1;
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(f, 0) != 0 || pwrite(f, pid, (size_t)n, 0) != n) {
        /* the pid is only for the message a second plot or run prints */
    }
    *fd = f;
    return 0;
}
