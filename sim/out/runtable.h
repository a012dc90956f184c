/* runtable.h — a CSV table of runs (sweep.csv) whose rows end with the
 * columns each run names itself (summary.csv's named columns: marks and
 * group finishes).  Runs may name different ones: the header is the union
 * of all of them, known only once every run is in, so the rows go to the
 * file first and the header is put before them at the end; a run's missing
 * value is an empty field. */
#ifndef GILSIM_RUNTABLE_H
#define GILSIM_RUNTABLE_H

#include <stdint.h>
#include "out/csvw.h"
#include "stats.h"

typedef struct runtable {
    char *path;
    csvw_t rows;                 /* the rows so far, without a header */
    struct rt_col *cols;         /* every named column seen, in first-seen order */
    int ncols, capcols;
    struct rt_layout *layouts;   /* the distinct lists of named columns rows have */
    int nlayouts, caplayouts;
    uint64_t *ends;              /* per row: where it ends in the file */
    int *layout;                 /* ... and its layout */
    long nrows, caprows;
    int last;                    /* the layout of the last row (a cache) */
} runtable_t;

/* Creates path for the rows.  0, or -1 with errno set. */
int  runtable_open(runtable_t *t, const char *path);
/* The writer of a new row's leading fields; runtable_row_end ends it. */
static inline csvw_t *runtable_row(runtable_t *t) { return &t->rows; }
/* Writes the row's named values (a name given twice keeps the first) and
 * ends the row.  0, or -1 out of memory (the row writer's error is then
 * set, with ENOMEM). */
int  runtable_row_end(runtable_t *t, const named_col_t *cols, int n);
/* Rewrites path as the header (header() writes the leading names, then
 * the union of named columns: by columns.def row, each in first-seen
 * order) and every row, each named value under its name.  Frees t.  0, or
 * an errno. */
int  runtable_close(runtable_t *t, void (*header)(csvw_t *w, void *ctx), void *ctx);
/* Frees t without finishing the file (the caller removes it). */
void runtable_abort(runtable_t *t);

#endif
