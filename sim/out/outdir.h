/* outdir.h — the output folder of a run or a sweep as a whole.
 *
 * One writer at a time: a run or sweep holds an exclusive flock on
 * DIR/.gilsim.lock (which holds its pid) while it writes there.  The file
 * stays, except when a failed run removes the folder it made itself: a
 * writer that got the lock checks that its file is still the one at that
 * path, and starts again if not, so two writers never hold two locks on
 * one folder.  `gilsim plot` writes the folder too (its data files and
 * figures), so it takes the same exclusive lock: it never reads a folder
 * being written, and two plots never write one folder at once.
 *
 * All or nothing: a writer first removes every file an earlier gilsim run
 * left (the names below, and their .part files; nothing else), writes
 * NAME.part files, then outdir_commit renames them in a fixed order with
 * SIGINT/SIGTERM/SIGHUP blocked, and removes the renamed ones again if a
 * rename fails. */
#ifndef GILSIM_OUTDIR_H
#define GILSIM_OUTDIR_H

#include <signal.h>

/* Room for a message naming two paths the OS accepts (PATH_MAX each). */
#define PATH_ERR_MAX (2 * 4096 + 256)

/* The lock file's name inside an output folder. */
#define OUTDIR_LOCK ".gilsim.lock"

/* Creates dir (and parents) and locks it for writing.  Busy: exit status
 * 1 and a message naming dir and the holder's pid, or with wait, waits
 * (stderr says so unless quiet).  A signal while waiting sets *stop: the
 * status is then 128 + *stop.  Returns 0 with *fd and *created (how many
 * folders it made: dir and the parents that did not exist, 0 when dir
 * did), or an exit status with a message on stderr. */
int  outdir_lock(const char *dir, int wait, int quiet, const volatile sig_atomic_t *stop,
                 int *fd, int *created);
/* Unlocks; with remove > 0 (a failed run: outdir_lock's *created), first
 * removes the lock file, then dir and up to remove - 1 of its parents,
 * each only if nothing else is in it: the run leaves no folder it made. */
void outdir_release(const char *dir, int fd, int remove);
/* Unlocks what outdir_plot_lock locked (fd -1: nothing). */
void outdir_unlock(int fd);

/* Removes what earlier runs wrote in dir: the results, figures and plot
 * data gilsim writes, and their .part files.  Returns 0, or -1 with a
 * message in err. */
int  outdir_clean(const char *dir, char *err, int errsize);

/* Renames dir/NAME.part to dir/NAME for each name, in order (the last is
 * the one that says a run is complete: summary.csv), with SIGINT, SIGTERM
 * and SIGHUP held until the end.  When a rename fails, removes the
 * renamed files and the remaining .part files and returns -1 with a
 * message in err. */
int  outdir_commit(const char *dir, const char *const *names, int n, char *err, int errsize);
/* Removes dir/NAME.part for each name. */
void outdir_remove_parts(const char *dir, const char *const *names, int n);

/* A config name as one safe file name, malloc'd: '/', control characters
 * and a leading '.' become '_'; "." and ".." become "_". */
char *outdir_safe_name(const char *name);
/* The default folder of a run or sweep named name: "out/<safe name><suffix>"
 * (suffix "" for a run, "-sweep" for a sweep).  malloc'd; NULL when out of
 * memory. */
char *outdir_default(const char *name, const char *suffix);
/* "SIGINT", "SIGTERM", "SIGHUP" or "signal N". */
const char *outdir_signame(int sig, char *buf, int size);

/* For `gilsim plot`: the exclusive lock on an existing dir, without
 * waiting.  Returns 0 with *fd (-1 when dir is no folder: the plot reports
 * it), or 1 with one line when another gilsim holds it (naming its pid) or
 * DIR/.gilsim.lock is a symbolic link. */
int  outdir_plot_lock(const char *dir, int *fd);

#endif
