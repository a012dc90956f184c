/* report.h — the short human summary printed after a run. */
#ifndef GILSIM_REPORT_H
#define GILSIM_REPORT_H

#include <stdio.h>
#include "model.h"
#include "stats.h"

/* files: which files were written, or NULL when none were. */
void report_print(FILE *f, const sim_t *s, const run_stats_t *st, const char *files);
/* Formats ns as "1.234 s", "15.0 ms", "7.2 us" or "80 ns". */
void report_time(simtime_t ns, char *buf, int size);

#endif
