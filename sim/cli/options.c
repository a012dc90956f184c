/* options.c — see options.h. */
#include <stddef.h>
#include "cli/options.h"

const char *const cli_trace_names[] = {"none", "summary", "full", NULL};

const char *const cli_commands[] = {"run", "sweep", "plot", "explain", "lab", "help",
                                    "config-reference", "man", "completion", NULL};

const struct option cli_options[] = {
    {"output", required_argument, NULL, 'o'}, {"set", required_argument, NULL, OPT_SET},
    {"seed", required_argument, NULL, OPT_SEED}, {"trace", required_argument, NULL, OPT_TRACE},
    {"quiet", no_argument, NULL, 'q'}, {"check", no_argument, NULL, OPT_CHECK},
    {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, OPT_VERSION},
    {"plot", optional_argument, NULL, OPT_PLOT}, {"from", required_argument, NULL, OPT_FROM},
    {"to", required_argument, NULL, OPT_TO}, {"format", required_argument, NULL, OPT_FORMAT},
    {"perfetto", no_argument, NULL, OPT_PERFETTO},
    {"vary", required_argument, NULL, OPT_VARY}, {"seeds", required_argument, NULL, OPT_SEEDS},
    {"jobs", required_argument, NULL, OPT_JOBS}, {"resume", no_argument, NULL, OPT_RESUME},
    {"point", required_argument, NULL, OPT_POINT},
    {"emit-jobs", required_argument, NULL, OPT_EMIT_JOBS},
    {"emit-slurm", required_argument, NULL, OPT_EMIT_SLURM},
    {"collect", required_argument, NULL, OPT_COLLECT},
    {"aggregate", no_argument, NULL, OPT_AGGREGATE},
    {"plot-x", required_argument, NULL, OPT_PLOT_X},
    {"print-config", no_argument, NULL, OPT_PRINT_CONFIG},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"wait", no_argument, NULL, OPT_WAIT}, {NULL, 0, NULL, 0},
};
