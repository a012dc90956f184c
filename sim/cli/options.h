/* options.h — the options of gilsim run, sweep and plot: the one table
 * getopt_long parses them with (main.c) and the shell's completion offers
 * (complete.c). */
#ifndef GILSIM_OPTIONS_H
#define GILSIM_OPTIONS_H

#include <getopt.h>

/* Long options without a short form. */
enum { OPT_SET = 256, OPT_SEED, OPT_TRACE, OPT_CHECK, OPT_VERSION, OPT_PLOT, OPT_FROM,
       OPT_TO, OPT_FORMAT, OPT_PERFETTO, OPT_VARY, OPT_SEEDS, OPT_WAIT,
       OPT_JOBS, OPT_RESUME, OPT_POINT, OPT_EMIT_JOBS, OPT_EMIT_SLURM, OPT_COLLECT,
       OPT_AGGREGATE, OPT_PLOT_X, OPT_PRINT_CONFIG, OPT_PROGRESS };

/* Ends with a zeroed entry. */
extern const struct option cli_options[];
/* --trace's levels by enum trace_level (none, summary, full), NULL-ended. */
extern const char *const cli_trace_names[];
/* The commands main.c runs, NULL-ended: the usage error names them, the
 * completion offers them. */
extern const char *const cli_commands[];

#endif
