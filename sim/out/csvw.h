/* csvw.h — a buffered CSV row writer.  Text fields are quoted by libcsv;
 * integers are formatted by hand into a large buffer, since printf-style
 * formatting would dominate the cost of a full trace. */
#ifndef GILSIM_CSVW_H
#define GILSIM_CSVW_H

#include <stdint.h>
#include <stdio.h>

typedef struct csvw {
    FILE *f;
    char *buf;
    size_t len, cap;
    uint64_t flushed;        /* bytes handed to the file so far */
    int first;               /* next field is the first of its row */
    int error;               /* a write failed */
    int err_no;              /* errno of the first failed write (0: unknown) */
    struct csvw_bg *bg;      /* the writer thread, when opened in the background */
} csvw_t;

/* The file is written with write(2) from csvw's own buffer, so a failed
 * write's errno is kept (err_no) and seen at the flush that failed. */
int  csvw_open(csvw_t *w, const char *path);
/* The same, with the file written by a thread of its own while the caller
 * fills the next buffer (for the trace).  Falls back to writing in line.
 * The thread blocks SIGINT, SIGTERM and SIGHUP: they go to the caller's
 * thread, which stops the run.  A failed write shows in `error` at the
 * next buffer handed over. */
int  csvw_open_background(csvw_t *w, const char *path);
/* A writer into memory (no file; the buffer grows): csvw_memory gives
 * what was written so far, csvw_memory_clear starts again, csvw_close
 * frees it.  Out of memory sets error, and what was written is lost. */
int  csvw_open_memory(csvw_t *w);
const char *csvw_memory(const csvw_t *w, size_t *len);
void csvw_memory_clear(csvw_t *w);
int  csvw_close(csvw_t *w);                    /* flushes; 0 on success */
/* Bytes written so far, buffered ones included: where the next row starts. */
static inline uint64_t csvw_tell(const csvw_t *w) { return w->flushed + w->len; }
void csvw_text(csvw_t *w, const char *s);      /* quoted by libcsv */
void csvw_raw(csvw_t *w, const char *s, size_t n);  /* a field known to need no quotes */
void csvw_i64(csvw_t *w, int64_t v);
void csvw_u64(csvw_t *w, uint64_t v);
void csvw_f64(csvw_t *w, double v);            /* six digits, a plain decimal (util.h) */
void csvw_empty(csvw_t *w);
void csvw_end(csvw_t *w);                      /* ends the row */
/* Returns a malloc'd, libcsv-quoted copy of s (for fields written often). */
char *csvw_quote(const char *s);

/* Whole rows for the hot path (the trace): csvw_reserve returns room for
 * n bytes in the buffer (flushing first if needed; NULL if n exceeds the
 * buffer), the csvw_put_* helpers write fields there and return the end,
 * and csvw_commit takes the row.  No check per field. */
char *csvw_reserve(csvw_t *w, size_t n);
void  csvw_commit(csvw_t *w, char *end);
char *csvw_put_i64(char *p, int64_t v);
char *csvw_put_quoted(char *p, const char *s, size_t n);   /* libcsv; room: csvw_quoted_len */
size_t csvw_quoted_len(const char *s, size_t n);

static inline char *csvw_put(char *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)      /* names and words are short: no call to memcpy */
        p[i] = s[i];
    return p + n;
}

#endif
