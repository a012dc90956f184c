/* report.h — the short human summary printed after a run. */
#ifndef GILSIM_REPORT_H
#define GILSIM_REPORT_H

#include <stdio.h>
#include "caps.h"
#include "model/model.h"
#include "stats.h"

/* A line of the program's own output (log.csv), kept for the summary;
 * control characters shown as escapes, cut at a character boundary. */
typedef struct report_line {
    simtime_t t;
    char who[80];
    char kind[16];
    char text[160];
} report_line_t;

#define REPORT_MAX_LINES 24

typedef struct report_log {
    report_line_t lines[REPORT_MAX_LINES];
    int n;
    long long more;              /* lines not kept */
} report_log_t;

void report_keep(report_log_t *l, simtime_t t, const char *thread, const char *task,
                 const char *kind, const char *text);
/* files: which files were written, or NULL when none were. */
void report_print(FILE *f, const sim_t *s, const run_stats_t *st, const report_log_t *log,
                  const char *files);
/* This process's peak resident memory (KiB), or -1. */
long report_peak_rss_kib(void);
/* Formats bytes as "512 bytes", "3.5 KiB", "10.0 MiB" or "1.50 GiB". */
void report_bytes(int64_t bytes, char *buf, int size);
/* Formats ns as "1.234 s", "15.0 ms", "7.2 us" or "80 ns". */
void report_time(simtime_t ns, char *buf, int size);

#endif
