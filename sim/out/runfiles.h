/* runfiles.h — the one table of the files gilsim writes in an output
 * folder (besides the figures and their data, figures.h): which --trace
 * levels write each, in the order a run commits them.  The folder's
 * clearing (outdir.c), a run's commit and clean-up (output.c) and the
 * printed summary's file list (runner.c) all read it: adding a file is a
 * line here. */
#ifndef GILSIM_RUNFILES_H
#define GILSIM_RUNFILES_H

#include <stddef.h>
#include "trace_level.h"

/* Who writes a file. */
enum run_file_writer {
    RF_FULL = 1,                 /* a run with --trace full */
    RF_SUMMARY = 2,              /* ... with --trace summary */
    RF_JSON = 4,                 /* a run with --perfetto (and a trace level other than none) */
    RF_SWEEP = 8,                /* gilsim sweep */
    RF_EARLIER = 16,             /* no one now: earlier versions did; cleared all the same */
};

typedef struct run_file {
    const char *name;
    unsigned writers;            /* enum run_file_writer bits */
} run_file_t;

/* At most this many files. */
#define RUN_FILES_MAX 16

/* Commit order: summary.csv, the file that says a run is complete, is the
 * last a run writes. */
extern const run_file_t run_files[];
extern const size_t run_files_count;

/* The files a run at this level writes (with trace.json when json), in
 * commit order, into names (room for RUN_FILES_MAX); returns how
 * many. */
int run_files_written(enum trace_level level, int json, const char **names);

#endif
