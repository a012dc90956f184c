/* columns.h — the CSV files gilsim writes and their columns, in order
 * (columns.def, the one place they are defined): for the writers, the
 * readers, `gilsim help columns` and plots/README.md. */
#ifndef GILSIM_COLUMNS_H
#define GILSIM_COLUMNS_H

#include <stddef.h>

typedef struct col {
    const char *name;
    const char *unit;            /* ns, s, bytes, count, fraction, number; "" for words */
    const char *meaning;         /* one line of Markdown */
} col_t;

typedef struct col_file {
    const char *name;            /* "trace.csv" */
    const char *rows;            /* what a row is: "one row per run" */
    const col_t *cols;
    int ncols;
} col_file_t;

/* The files' names, once: for col_files and the run folder's table of
 * files (sim/out/runfiles.c), which need them as constants.  Readers name
 * a file as col_files[ID].name. */
#define COL_FILE_TRACE "trace.csv"
#define COL_FILE_LOG "log.csv"
#define COL_FILE_THREADS "threads.csv"
#define COL_FILE_TASKS "tasks.csv"
#define COL_FILE_SUMMARY "summary.csv"
#define COL_FILE_SWEEP "sweep.csv"
#define COL_FILE_SWEEP_PARTIAL "sweep-partial.csv"   /* a stopped sweep's rows */
#define COL_FILE_POINTS_INDEX "points/index.csv"
#define COL_FILE_SWEEP_SUMMARY "sweep_summary.csv"
#define COL_FILE_KEY "key.csv"
#define COL_FILE_SUBS "subs.csv"
#define COL_FILE_MARKS "marks.csv"

enum col_file_id { COL_TRACE_CSV, COL_LOG_CSV, COL_THREADS_CSV, COL_TASKS_CSV, COL_SUMMARY_CSV,
                   COL_SWEEP_CSV, COL_AGGREGATE_CSV, COL_INDEX_CSV, COL_KEY_CSV, COL_SUBS_CSV, COL_MARKS_CSV, COL__FILES };

/* Every CSV file, by id: the order of plots/README.md's column tables. */
extern const col_file_t col_files[COL__FILES];

/* "time_ns,process,...": a file's header as it is written, for a
 * reader's message about a wrong one (cut to size); returns buf. */
#define COL_HEADER_MAX 128
const char *col_header_text(enum col_file_id file, char *buf, size_t size);

/* A row in angle brackets ("<mark:LABEL>") stands for columns named when
 * the file is written: it has no header field of its own. */
static inline int col_named_later(const col_t *c) { return c->name[0] == '<'; }

/* Each file's columns, in the order written. */
enum trace_col {
#define TRACE_COL(id, name, unit, meaning) COL_TRACE_##id,
#include "columns.def"
    COL_TRACE__COUNT
};
enum log_col {
#define LOG_COL(id, name, unit, meaning) COL_LOG_##id,
#include "columns.def"
    COL_LOG__COUNT
};
enum threads_col {
#define THREADS_COL(id, name, unit, meaning) COL_THREADS_##id,
#include "columns.def"
    COL_THREADS__COUNT
};
enum tasks_col {
#define TASKS_COL(id, name, unit, meaning) COL_TASKS_##id,
#include "columns.def"
    COL_TASKS__COUNT
};
enum summary_col {
#define SUMMARY_COL(id, name, unit, meaning) COL_SUMMARY_##id,
#include "columns.def"
    COL_SUMMARY__COUNT
};
enum sweep_col {
#define SWEEP_COL(id, name, unit, meaning) COL_SWEEP_##id,
#include "columns.def"
    COL_SWEEP__COUNT
};
enum aggregate_col {
#define AGGREGATE_COL(id, name, unit, meaning) COL_AGGREGATE_##id,
#include "columns.def"
    COL_AGGREGATE__COUNT
};
enum index_col {
#define INDEX_COL(id, name, unit, meaning) COL_INDEX_##id,
#include "columns.def"
    COL_INDEX__COUNT
};
enum key_col {
#define KEY_COL(id, name, unit, meaning) COL_KEY_##id,
#include "columns.def"
    COL_KEY__COUNT
};
enum subs_col {
#define SUBS_COL(id, name, unit, meaning) COL_SUBS_##id,
#include "columns.def"
    COL_SUBS__COUNT
};
enum marks_col {
#define MARKS_COL(id, name, unit, meaning) COL_MARKS_##id,
#include "columns.def"
    COL_MARKS__COUNT
};

#endif
