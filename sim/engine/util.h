/* util.h — file-system helpers of the outputs and the command line.  None
 * exits: out of memory is a NULL (or -1) for the caller to report.  (The
 * model allocates through fail.h, which unwinds the run instead.) */
#ifndef GILSIM_UTIL_H
#define GILSIM_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>

/* s with control characters shown as escapes (\n, \t, \xHH): text that
 * goes on one terminal line or into a figure.  malloc'd; NULL when out of
 * memory. */
char *text_visible(const char *s, size_t n);
/* The same into buf, cut to fit at a character boundary; returns buf (""
 * when out of memory).  For the printed summary's names and lines. */
const char *text_shown(const char *s, char *buf, size_t size);
/* A NUL-terminated copy of the n bytes at s (which may hold a NUL); NULL
 * when out of memory. */
char *text_dup(const char *s, size_t n);
/* v with six significant digits as a plain decimal ("0.000001", never
 * "1e-06", which gnuplot refuses as a number given as an argument), into
 * buf of n >= 48 bytes; returns its length.  (For |v| < 1e+6; below
 * 1e-30, "0".) */
int   text_decimal6(char *buf, size_t n, double v);
/* The NULL-ended words, ", "-separated, into buf of n bytes (cut to fit):
 * the list a usage error names. */
void  text_join(char *buf, size_t n, const char *const *words);
/* printf into a malloc'd string; NULL when out of memory. */
char *text_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *text_vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* FNV-1a, 64 bits: h folded with the n bytes at data (FNV1A_OFFSET to
 * start).  The one hash of a student's variant seed (lab_vars.c), of the
 * effective config (config_print.c) and of a key's configs (lab_run.c). */
#define FNV1A_OFFSET 14695981039346656037ULL
uint64_t fnv1a(uint64_t h, const void *data, size_t n);
/* Prints "gilsim: " and the message on stderr as one line: the paths and
 * names it quotes come from users, so their control characters are shown
 * as escapes. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "dir/name", malloc'd; NULL when out of memory. */
char *path_join(const char *dir, const char *name);
/* Creates path as a new file for writing, never through what was there:
 * a folder handed in by someone else may hold a symbolic link under a name
 * gilsim writes, which would otherwise send the bytes anywhere.  Removes
 * the name first, then creates it exclusively without following links.
 * NULL with errno set. */
FILE *file_create_fresh(const char *path);
/* The signals that stop a run or a sweep: main.c catches them; the trace
 * writer's thread and the final renames hold them. */
#define STOP_SIGNALS {SIGINT, SIGTERM, SIGHUP}
void  stop_signal_set(sigset_t *set);
/* The whole of buf to fd, or exactly len bytes from fd into buf, again
 * after a signal (EINTR) or a short transfer; 0, or an errno (EIO at the
 * end of a pipe or file).  Not stdio: its buffer would add a copy and
 * could lose the failing write's errno. */
int   fd_write_all(int fd, const void *buf, size_t len);
int   fd_read_all(int fd, void *buf, size_t len);
/* mkdir -p; 0 or -1 with errno set. */
int   make_dirs(const char *dir);

#endif
