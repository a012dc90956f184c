/* runfiles.c — the files of an output folder; see runfiles.h. */
#include "columns.h"
#include "out/runfiles.h"

const run_file_t run_files[] = {
    {COL_FILE_TRACE, RF_FULL},
    {COL_FILE_LOG, RF_FULL | RF_SUMMARY},
    {COL_FILE_THREADS, RF_FULL | RF_SUMMARY},
    {COL_FILE_TASKS, RF_FULL | RF_SUMMARY},
    {"trace.json", RF_JSON},
    {COL_FILE_SUMMARY, RF_FULL | RF_SUMMARY},
    {COL_FILE_SWEEP, RF_SWEEP},
    {COL_FILE_SWEEP_PARTIAL, RF_SWEEP},
    {COL_FILE_SWEEP_SUMMARY, RF_SWEEP},
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
