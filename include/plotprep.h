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

struct tl;
struct plot_tally;

typedef struct plot_info {
    /* the window asked for, and the run (summary.csv), in ns */
    long long from, to;          /* to: the run's end when none was asked for */
    int zoom;                    /* a window was asked for: its own file names */
    char suffix[64];             /* "" or a zoom's "-FROM-TO" (plot_window_suffix) */
    long long end;               /* makespan */
    long long interval;          /* switch interval */
    long drop_requests;
    int cores;
    int per_interpreter;         /* gil_policy per-interpreter: trace.csv's gil may be past 0 */
    char *caption;               /* "config: N threads, C cores, new GIL, switch interval 5 ms" */
    char *jain;                  /* summary.csv's jain_min, as "%.6g" */
    /* threads.csv */
    struct tl *timeline;         /* its threads: the timeline's roster (plotlane.h) */
    struct plot_tally *tally;    /* their time in each state, to check the trace by */
    int shared_threads;          /* threads in groups of more than one: asymmetry's bars */
    /* trace.csv */
    int trace;                   /* it was read: the figures drawn from it can be */
    int lanes;                   /* lanes drawn */
    int merged;                  /* short intervals were merged */
    int detail;                  /* a detail panel beside the window's: 0 none, 1 its first
                                  * switch intervals, 2 its first burst (plotstyle.h) */
    long rows;
    long latencies;              /* I/O completions in the window followed by Python */
} plot_info_t;

/* Reads DIR/summary.csv (the run's end, cores, switch interval, drop
 * requests, caption, jain_min) and writes DIR/cores.dat.  PLOT_OK, or a
 * code with one line on stderr. */
int    plot_summary(const char *dir, plot_info_t *info);

/* Reads DIR/threads.csv: the timeline's roster, and DIR/asymmetry.dat
 * (each thread of a group of more than one: its work share and its
 * group's equal share) for plots/asymmetry.gp. */
int    plot_threads(const char *dir, plot_info_t *info);

/* Sets the window, after plot_summary: from, to in ns (0, 0: the whole
 * run; to 0: to its end).  A window asked for is a zoom, drawn under its
 * own names.  PLOT_OK, or PLOT_BAD_INPUT with one line when from is not
 * before the run's end. */
int    plot_window(plot_info_t *info, long long from, long long to);

/* Writes the timeline's data file (DIR/timeline.dat) and DIR/latency.dat
 * (a zoom: timeline-FROM-TO.dat, latency-FROM-TO.dat) from DIR/trace.csv
 * for the window [info->from, info->to], after plot_summary and
 * plot_threads.  PLOT_OK, or a code with one line on stderr naming the
 * file and row. */
int    plot_prepare(const char *dir, plot_info_t *info);
void   plot_info_free(plot_info_t *info);

/* Renders the figures of a run folder with gnuplot (scripts in plots_dir):
 * the timeline and latency (from trace.csv), cores and thread-load
 * asymmetry (from summary.csv and threads.csv).  from, to: a window in ns
 * (0, 0: the whole run), drawn as zooms under their own names.  Returns
 * PLOT_OK, or a code with one line on stderr: 128 + N when *stop (set by
 * a signal handler; NULL: none) became N, checked before each figure and
 * while gnuplot runs. */
int    plot_render(const char *dir, long long from, long long to, const char *fmt,
                   const char *plots_dir, int quiet, const volatile sig_atomic_t *stop);

/* Writes the figures' data files alone, those plot_render leaves beside
 * the figures it draws (timeline.dat, latency.dat, cores.dat,
 * asymmetry.dat; a zoom's under its own names), for another program to
 * draw: the web page.  PLOT_OK, or a code with one line on stderr: 128 + N
 * when *stop (NULL: none) became N, and then no data file is left. */
int    plot_data(const char *dir, long long from, long long to,
                 const volatile sig_atomic_t *stop);

/* ---- helpers shared by the plot files (plotio.c) ---- */

/* A lane label for a gnuplot data file read with a tab separator:
 * text_visible (util.h), then '"' and '\' (and a leading space) as octal escapes,
 * which gnuplot decodes back when it reads the field.  malloc'd. */
char  *plot_data_label(const char *s, size_t n);
/* Whether s is [-+]digits[.digits][e[-+]digits], as gilsim writes
 * numbers (strtod would also take hex floats, "inf", "nan", blanks). */
int    plot_plain_decimal(const char *s);
/* s[0..n) as a whole number: 1 to max_digits (at most 18) digits and
 * nothing else, as gilsim writes counts and nanoseconds.  0, or -1. */
int    plot_digits(const char *s, size_t n, int max_digits, long long *v);
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

/* A trace.csv header (names[n]) of a gilsim from before the gil column:
 * 1 after saying so (*error = PLOT_BAD_INPUT), else 0. */
int    plot_trace_older(int *error, const char *path, const char *const *names, int n);
/* Whether summary.csv's gil_policy names a GIL per interpreter. */
int    plot_per_interpreter(const char *policy);
/* policy is a GIL policy of this gilsim (gil_policies.def). */
int    plot_policy_known(const char *policy);
/* What a run could have in trace.csv's gil column: summary.csv's and
 * threads.csv's word on it. */
typedef struct plot_run_gils {
    int per_interpreter;         /* plot_per_interpreter(gil_policy) */
    long threads;                /* threads.csv's rows */
} plot_run_gils_t;
/* Checks trace.csv's gil field s (n bytes) of row `row`: an interpreter
 * number the run could have, into *interp.  0, or after one line naming
 * the file, row and column, *error = PLOT_BAD_INPUT (returned). */
int    plot_trace_gil(int *error, const char *path, long row, const char *s, size_t n,
                      const plot_run_gils_t *run, int *interp);

/* Runs `gnuplot -c script args...` (no shell), stderr captured.  0, or 1
 * after printing one line naming the script and gnuplot's complaint, or
 * 128 + N (nothing printed) when *stop became N: gnuplot is then sent
 * SIGTERM and reaped. */
int    plot_gnuplot(const char *script, const char *const *args, int nargs,
                    const volatile sig_atomic_t *stop);

#endif
