/* output.h — the files of a run in its output folder.
 * Files are written as NAME.part and renamed when the run completes, so an
 * interrupted or failed run leaves nothing that looks complete.
 * full: trace.csv, log.csv, threads.csv, summary.csv; summary: all but
 * trace.csv; none: no files. */
#ifndef GILSIM_OUTPUT_H
#define GILSIM_OUTPUT_H

#include "csvw.h"
#include "model.h"
#include "stats.h"
#include "trace.h"

enum trace_level { TRACE_NONE, TRACE_SUMMARY, TRACE_FULL };

typedef struct qname { char *s; size_t n; } qname_t;   /* a libcsv-quoted name */

typedef struct output {
    char *dir;
    enum trace_level level;
    csvw_t trace;
    csvw_t log;
    trace_sink_t sink;
    qname_t *thread_q, *proc_q;  /* quoted names, by id */
    int nthreads, nprocs;
    uint64_t rows;
    simtime_t last_t;            /* the last row's time, formatted */
    char last_ts[24];
    size_t last_tn;
} output_t;

/* Creates dir (and parents) and opens the trace when level is full.
 * Returns 0, or -1 with a message in err. */
int  out_begin(output_t *o, const char *dir, enum trace_level level,
               const sim_t *s, char *err, int errsize);
/* The trace sink to give the model (NULL when not tracing). */
trace_sink_t *out_sink(output_t *o);
/* Writes threads.csv and summary.csv, renames every .part file. */
int  out_finish(output_t *o, const sim_t *s, const run_stats_t *st,
                char *err, int errsize);
/* Removes the .part files of a failed run. */
void out_abort(output_t *o);
void out_free(output_t *o);

/* summary.csv's columns and one run's values, for other tables of runs
 * (the sweep's); the caller ends the row. */
void out_summary_header(csvw_t *w);
void out_summary_fields(csvw_t *w, const sim_t *s, const run_stats_t *st);

extern const char *const out_trace_header;
extern const char *const out_log_header;

#endif
