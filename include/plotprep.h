/* plotprep.h — the figures of a run folder: data files from its CSV files
 * (read as untrusted input), and gnuplot started without a shell. */
#ifndef GILSIM_PLOTPREP_H
#define GILSIM_PLOTPREP_H

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Return codes of the plot functions, as gilsim's exit statuses. */
enum { PLOT_OK = 0, PLOT_FAILED = 1, PLOT_BAD_INPUT = 2 };

/* The most lanes a timeline draws; more are reported and left out. */
#define PLOT_MAX_LANES 512

typedef struct plot_info {
    int lanes;                   /* threads + GILs + cores drawn */
    int dropped;                 /* lanes left out (over PLOT_MAX_LANES) */
    int merged;                  /* short intervals were merged */
    double from, to, end;        /* seconds */
    long rows;
    long latencies;              /* I/O completions followed by Python */
    char *caption;               /* "config: N threads, C cores, new GIL, switch interval 5 ms" */
    char *jain;                  /* summary.csv's jain_min, as "%.6g" */
} plot_info_t;

/* Reads DIR/summary.csv: info->end and info->caption, and writes
 * DIR/cores.dat.  PLOT_OK, or a code with one line on stderr. */
int    plot_summary(const char *dir, plot_info_t *info);

/* Reads DIR/threads.csv into DIR/asymmetry.dat (lane label, work share,
 * equal share) for plots/asymmetry.gp. */
int    plot_threads(const char *dir);

/* Writes DIR/timeline.dat, DIR/timeline_lanes.dat and DIR/latency.dat
 * from DIR/trace.csv for the window [from, to] seconds (to <= 0: the whole
 * run; info->end from plot_summary).  PLOT_OK, or a code with one line on
 * stderr naming the file and row. */
int    plot_prepare(const char *dir, double from, double to, plot_info_t *info);
void   plot_info_free(plot_info_t *info);

/* Renders the figures of a run folder with gnuplot (scripts in plots_dir):
 * the timeline (needs trace.csv), cores, latency and thread-load
 * asymmetry.  Returns PLOT_OK, or a code with one line on stderr: 128 + N
 * when *stop (set by a signal handler; NULL: none) became N, checked
 * before each figure and while gnuplot runs. */
int    plot_render(const char *dir, double from, double to, const char *fmt,
                   const char *plots_dir, int quiet, const volatile sig_atomic_t *stop);

/* ---- helpers shared by the plot files (plotio.c) ---- */

/* A lane label for a gnuplot data file read with a tab separator:
 * text_visible (util.h), then '"' and '\' (and a leading space) as octal escapes,
 * which gnuplot decodes back when it reads the field.  malloc'd. */
char  *plot_data_label(const char *s, size_t n);
/* Opens a run folder's file for reading: a regular file only (a FIFO or
 * a device such as /dev/zero would hang or never end).  NULL with errno
 * set (EINVAL: not a regular file). */
FILE  *plot_open_input(const char *path);
/* Prints "gilsim: " and the message, with the path made visible. */
void   plot_error(const char *path, long row, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void   plot_verror(const char *path, long row, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* A reader refuses a row: the first refusal is said (plot_verror) and its
 * code kept in *error; later ones are dropped, so one line is printed. */
void   plot_vrefuse(int *error, int code, const char *path, long row, const char *fmt,
                    va_list ap) __attribute__((format(printf, 5, 0)));

/* Runs `gnuplot -c script args...` (no shell), stderr captured.  0, or 1
 * after printing one line naming the script and gnuplot's complaint, or
 * 128 + N (nothing printed) when *stop became N: gnuplot is then sent
 * SIGTERM and reaped. */
int    plot_gnuplot(const char *script, const char *const *args, int nargs,
                    const volatile sig_atomic_t *stop);

#endif
