/* output.h — the files of a run in its output folder.
 * out_begin removes what earlier runs left there (outdir_clean); files are
 * written as NAME.part and renamed together when the run completes
 * (outdir_commit, summary.csv last), so an interrupted or failed run
 * leaves nothing that looks complete.  The caller holds the folder's lock
 * (outdir_lock) throughout.
 * The files of each --trace level are runfiles.h's (none: no files);
 * trace.json (written by the caller as trace.json.part, when `json` is
 * set) is renamed with them. */
#ifndef GILSIM_OUTPUT_H
#define GILSIM_OUTPUT_H

#include "out/csvw.h"
#include "model/model.h"
#include "out/outdir.h"
#include "stats.h"
#include "model/trace.h"
#include "trace_level.h"

typedef struct qname { char *s; size_t n; } qname_t;   /* a libcsv-quoted name */

typedef struct output {
    char *dir;
    enum trace_level level;
    int json;                    /* dir/trace.json.part belongs to the run */
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

/* Creates dir (and parents), removes earlier runs' files and opens the
 * trace when level is full.  Returns 0, or -1 with a message in err. */
int  out_begin(output_t *o, const char *dir, enum trace_level level,
               const sim_t *s, char *err, int errsize);
/* The trace sink to give the model (NULL when not tracing). */
trace_sink_t *out_sink(output_t *o);
/* Writes threads.csv, tasks.csv and summary.csv, renames every .part file.  Returns
 * 0, or -1 with a message in err (the file and the reason) and no file of
 * this run left. */
int  out_finish(output_t *o, const sim_t *s, const run_stats_t *st,
                char *err, int errsize);
/* Whether a trace or log write has failed so far: 1 with "writing FILE:
 * REASON" in err, else 0.  Cheap enough to ask after every record. */
static inline int out_failed(const output_t *o) { return o->trace.error | o->log.error; }
int  out_error(const output_t *o, char *err, int errsize);
/* Removes the .part files of a failed run (trace.json.part too). */
void out_abort(output_t *o);
void out_free(output_t *o);

/* summary.csv's fixed columns and one run's values, for other tables of
 * runs (the sweep's); the caller adds the named columns (st->named, each
 * value by out_named_value) and ends the row. */
void out_summary_header(csvw_t *w);
void out_summary_fields(csvw_t *w, const sim_t *s, const run_stats_t *st);
void out_named_value(csvw_t *w, const named_col_t *c);

#endif
