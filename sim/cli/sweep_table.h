/* sweep_table.h — sweep tables read back: the rows a worker hands the
 * parent, a point's file (points/<n>.csv) and an interrupted sweep's
 * sweep-partial.csv are all tables in sweep.csv's form, and each row read
 * from one is put into the new sweep.csv as the run wrote it. */
#ifndef GILSIM_SWEEP_TABLE_H
#define GILSIM_SWEEP_TABLE_H

#include <stddef.h>
#include "stats.h"

/* One run's row as read: its leading fields (run, the varied values,
 * summary.csv's fixed columns) as the bytes written, without the comma
 * after them, and the columns it names (named_col_t). */
typedef struct sweep_row {
    long run;
    char *lead;
    size_t nlead;
    named_col_t *named;
    int nnamed;
} sweep_row_t;

/* What a table of one sweep must look like: its --vary keys, its number
 * of runs, and the value each run has for each key. */
typedef struct sweep_shape {
    char *const *keys;
    int naxes;
    long total;
    const char *(*value)(const void *ctx, long run, int axis);
    const void *ctx;
} sweep_shape_t;

/* Reads the table in buf (a header, then rows) against shape, handing
 * each row to on_row, which takes it (0 to go on, else it stops the
 * read).  Returns 0, or -1 with one line in err: "row N: why" (the
 * header being row 1).  A row read back from a table of many runs names
 * the columns it named when it ran: its marks (those with a value) and
 * its groups (those with a jain: value), each group's finish even when
 * empty. */
int  sweep_table_parse(const char *buf, size_t len, const sweep_shape_t *shape,
                       int (*on_row)(sweep_row_t *row, void *ctx), void *ctx,
                       char *err, size_t errsize);
void sweep_row_free(sweep_row_t *row);
/* A stranger's file whole, a regular file of at most max bytes
 * (malloc'd; *len its size), or NULL with *err: the open's errno (ENOENT:
 * none there; EINVAL: not a regular file, such as a FIFO, which would
 * hang the read), EFBIG (too large), ENOMEM, or the read's. */
char *sweep_file_read(const char *path, long max, size_t *len, int *err);

#endif
