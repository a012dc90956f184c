/* columns.c — the CSV files' column tables, expanded from columns.def.
 *
 * Layer out (sim/out/): the outputs: CSV files (columns.c, output.c,
 * tasks.c, csvw.c), the output folder (outdir.c, runfiles.c), trace.json
 * (perfetto.c),
 * statistics and the printed summary (stats.c, report.c), and the figures
 * (figures.c, plot*.c); above the model, which they see only through the
 * trace sink and the finished run. */
#include <stdio.h>
#include "columns.h"

#define ROW(id, name, unit, meaning) {name, unit, meaning},
#define LEN(a) ((int)(sizeof (a) / sizeof (a)[0]))

static const col_t trace_cols[] = {
#define TRACE_COL ROW
#include "columns.def"
};
static const col_t log_cols[] = {
#define LOG_COL ROW
#include "columns.def"
};
static const col_t threads_cols[] = {
#define THREADS_COL ROW
#include "columns.def"
};
static const col_t tasks_cols[] = {
#define TASKS_COL ROW
#include "columns.def"
};
static const col_t summary_cols[] = {
#define SUMMARY_COL ROW
#include "columns.def"
};
static const col_t sweep_cols[] = {
#define SWEEP_COL ROW
#include "columns.def"
};
static const col_t aggregate_cols[] = {
#define AGGREGATE_COL ROW
#include "columns.def"
};
static const col_t index_cols[] = {
#define INDEX_COL ROW
#include "columns.def"
};
static const col_t key_cols[] = {
#define KEY_COL ROW
#include "columns.def"
};
static const col_t subs_cols[] = {
#define SUBS_COL ROW
#include "columns.def"
};
static const col_t marks_cols[] = {
#define MARKS_COL ROW
#include "columns.def"
};

_Static_assert(LEN(trace_cols) == COL_TRACE__COUNT && LEN(log_cols) == COL_LOG__COUNT &&
               LEN(threads_cols) == COL_THREADS__COUNT && LEN(tasks_cols) == COL_TASKS__COUNT &&
               LEN(summary_cols) == COL_SUMMARY__COUNT && LEN(sweep_cols) == COL_SWEEP__COUNT &&
               LEN(index_cols) == COL_INDEX__COUNT && LEN(aggregate_cols) == COL_AGGREGATE__COUNT &&
               LEN(key_cols) == COL_KEY__COUNT && LEN(subs_cols) == COL_SUBS__COUNT &&
               LEN(marks_cols) == COL_MARKS__COUNT,
               "one enum id per column");

const col_file_t col_files[COL__FILES] = {
    [COL_TRACE_CSV] = {COL_FILE_TRACE, "one row per state change, GIL event or task switch",
                       trace_cols, LEN(trace_cols)},
    [COL_LOG_CSV] = {COL_FILE_LOG, "what the program shows", log_cols, LEN(log_cols)},
    [COL_THREADS_CSV] = {COL_FILE_THREADS, "one row per thread", threads_cols, LEN(threads_cols)},
    [COL_TASKS_CSV] = {COL_FILE_TASKS,
                       "one row per asyncio task, by event loop (in the order they started), "
                       "each loop's in creation order", tasks_cols, LEN(tasks_cols)},
    [COL_SUMMARY_CSV] = {COL_FILE_SUMMARY, "one row per run", summary_cols, LEN(summary_cols)},
    [COL_SWEEP_CSV] = {COL_FILE_SWEEP, "one row per run of a sweep", sweep_cols, LEN(sweep_cols)},
    [COL_AGGREGATE_CSV] = {COL_FILE_SWEEP_SUMMARY, "one row per combination of a sweep's "
                           "varied values (`gilsim sweep --aggregate`)", aggregate_cols,
                           LEN(aggregate_cols)},
    [COL_INDEX_CSV] = {COL_FILE_POINTS_INDEX, "one row per point of a sweep spread over "
                       "machines (`gilsim sweep --emit-jobs`, `--emit-slurm`)", index_cols,
                       LEN(index_cols)},
    [COL_KEY_CSV] = {COL_FILE_KEY, "one row per student and question (`gilsim lab make`)",
                     key_cols, LEN(key_cols)},
    [COL_SUBS_CSV] = {COL_FILE_SUBS, "one row per answer handed in (`gilsim lab grade`)",
                      subs_cols, LEN(subs_cols)},
    [COL_MARKS_CSV] = {COL_FILE_MARKS, "one row per student and question, then the student's "
                       "total (`gilsim lab grade`)", marks_cols, LEN(marks_cols)},
};

const char *col_header_text(enum col_file_id file, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < col_files[file].ncols && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "," : "",
                              col_files[file].cols[i].name);
    return buf;
}
