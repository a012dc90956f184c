/* csvread.h — a run folder's CSV file read back row by row with libcsv,
 * as untrusted input: regular files only, strict CSV, every row checked
 * against the header's field count, fields and field counts bounded, and
 * the first bad row refused with one line naming the file and row (the
 * header is row 1; a header naming a column twice is refused, a UTF-8
 * byte-order mark before it dropped).  The plot readers, `gilsim explain`
 * and `gilsim lab` read with it. */
#ifndef GILSIM_CSVREAD_H
#define GILSIM_CSVREAD_H

#include <stddef.h>

#define ROWS_MAX_FIELD (64 * 1024)   /* bytes: longer is no file gilsim wrote */
#define ROWS_MAX_COLUMNS 4096

/* A CSV file being read: set on_row (and ctx, and the optional fields),
 * then rows_read. */
typedef struct rows {
    char *path;                  /* DIR/NAME, for messages */
    const char *name;            /* NAME */
    char **head, **f;            /* header and current row, each NUL-terminated */
    size_t *flen, *fcap;
    long nhead, n, cap;
    long row;                    /* records read, the header being 1 */
    int error;                   /* a PLOT_ code once a row was refused */
    int empty_ok;                /* a header alone is a whole file (log.csv) */
    const char *hint;            /* said when the file cannot be opened */
    /* Called once for the header (optional), then once per data row;
     * either refuses through rows_refuse and returns its code. */
    int (*on_head)(struct rows *r, void *ctx);
    int (*on_row)(struct rows *r, void *ctx);
    void *ctx;
} rows_t;

/* Streams DIR/NAME through the callbacks; PLOT_OK or the code of the
 * refusal, said in one line on stderr. */
int  rows_read(rows_t *r, const char *dir, const char *name);
void rows_free(rows_t *r);
/* The column called name, or -1. */
int  rows_col(const rows_t *r, const char *name);
/* The current row's field called name; refuses the row when the header
 * has no such column ("no column X: not a gilsim NAME"). */
const char *rows_need(rows_t *r, const char *name);
/* The shared rules of every CSV reader of untrusted files (the roster's
 * too): the length of a UTF-8 byte-order mark that opens field col of
 * record row (both from 0; a spreadsheet writes one), dropped; why a field
 * may not be read (a NUL byte, which C strings would cut the field at),
 * or NULL; the index of a name that repeats an earlier one, or -1. */
size_t rows_bom_len(long row, long col, const char *s, size_t len);
const char *rows_field_fault(const char *s, size_t len);
long rows_twice(char *const *names, long n);
/* Refuses the current row: the first refusal is said, with the file and
 * row, and its code kept; reading stops. */
void rows_refuse(rows_t *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
