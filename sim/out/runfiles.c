/* runfiles.c — the files of an output folder; see runfiles.h. */
#include "out/runfiles.h"

const run_file_t run_files[] = {
    {"trace.csv", RF_FULL},
    {"log.csv", RF_FULL | RF_SUMMARY},
    {"threads.csv", RF_FULL | RF_SUMMARY},
    {"tasks.csv", RF_FULL | RF_SUMMARY},
    {"trace.json", RF_JSON},
    {"summary.csv", RF_FULL | RF_SUMMARY},
    {"sweep.csv", RF_SWEEP},
    {"timeline_lanes.gp", RF_EARLIER},
};
const size_t run_files_count = sizeof run_files / sizeof run_files[0];
_Static_assert(sizeof run_files / sizeof run_files[0] <= RUN_FILES_MAX, "room for every file");

int run_files_written(enum trace_level level, int json, const char **names)
{
    unsigned want = level == TRACE_FULL ? RF_FULL : level == TRACE_SUMMARY ? RF_SUMMARY : 0;
    if (want && json)
        want |= RF_JSON;
    int n = 0;
    for (size_t i = 0; i < run_files_count; i++)
        if (run_files[i].writers & want)
            names[n++] = run_files[i].name;
    return n;
}
