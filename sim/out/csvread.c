/* csvread.c — see csvread.h.  The file is streamed in 16 KiB chunks
 * through libcsv's callbacks, never read whole; each field's buffer is
 * kept from row to row, so a long file costs no allocation per field. */
#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "out/csvread.h"
#include "plotprep.h"
#include "engine/util.h"

void rows_refuse(rows_t *r, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    plot_vrefuse(&r->error, code, r->path, r->row, fmt, ap);
    va_end(ap);
}

int rows_col(const rows_t *r, const char *name)
{
    for (long i = 0; i < r->nhead; i++)
        if (strcmp(r->head[i], name) == 0)
            return (int)i;
    return -1;
}

const char *rows_need(rows_t *r, const char *name)
{
    int c = rows_col(r, name);
    if (c < 0)
        rows_refuse(r, PLOT_BAD_INPUT, "no column %s: not a gilsim %s", name, r->name);
    return c < 0 ? NULL : r->f[c];
}

/* Room for one more field in the row's arrays; 0, or -1 out of memory. */
static int grow(rows_t *r)
{
    long cap = r->cap ? 2 * r->cap : 64;
    char **f = realloc(r->f, sizeof *f * (size_t)cap);
    if (f)
        r->f = f;
    size_t *fl = f ? realloc(r->flen, sizeof *fl * (size_t)cap) : NULL;
    if (fl)
        r->flen = fl;
    size_t *fc = fl ? realloc(r->fcap, sizeof *fc * (size_t)cap) : NULL;
    if (!fc)
        return -1;
    r->fcap = fc;
    memset(r->f + r->cap, 0, sizeof *f * (size_t)(cap - r->cap));
    memset(r->fcap + r->cap, 0, sizeof *fc * (size_t)(cap - r->cap));
    r->cap = cap;
    return 0;
}

size_t rows_bom_len(long row, long col, const char *s, size_t len)
{
    return row == 0 && col == 0 && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

const char *rows_field_fault(const char *s, size_t len)
{
    return memchr(s, '\0', len) ? "a field holding a NUL byte" : NULL;
}

/* Every pair compared: a header has few names (ROWS_MAX_COLUMNS at most),
 * read once per file. */
long rows_twice(char *const *names, long n)
{
    for (long i = 1; i < n; i++)
        for (long j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                return i;
    return -1;
}

static void rows_field(void *field, size_t len, void *data)
{
    rows_t *r = data;
    if (r->error)
        return;
    size_t bom = rows_bom_len(r->row, r->n, field, len);
    const char *s = (const char *)field + bom, *fault = rows_field_fault(s, len -= bom);
    if (fault) {
        r->row++;
        rows_refuse(r, PLOT_BAD_INPUT, "%s", fault);
        return;
    }
    if (r->n == ROWS_MAX_COLUMNS || len > ROWS_MAX_FIELD) {
        r->row++;
        rows_refuse(r, PLOT_BAD_INPUT, r->n == ROWS_MAX_COLUMNS ? "more than %d fields"
                    : "a field longer than %d bytes",
                    r->n == ROWS_MAX_COLUMNS ? ROWS_MAX_COLUMNS : ROWS_MAX_FIELD);
        return;
    }
    if (r->n == r->cap && grow(r) != 0) {
        rows_refuse(r, PLOT_FAILED, "out of memory");
        return;
    }
    if (r->fcap[r->n] < len + 1) {
        char *c = realloc(r->f[r->n], len + 1);
        if (!c) {
            rows_refuse(r, PLOT_FAILED, "out of memory");
            return;
        }
        r->f[r->n] = c;
        r->fcap[r->n] = len + 1;
    }
    if (len)
        memcpy(r->f[r->n], s, len);
    r->f[r->n][len] = '\0';
    r->flen[r->n++] = len;
}

/* The header's fields become the names; the row's buffers start anew. */
static void take_header(rows_t *r)
{
    r->head = r->f;
    r->nhead = r->n;
    r->f = NULL;
    r->cap = 0;
    free(r->flen);
    free(r->fcap);
    r->flen = r->fcap = NULL;
    long twice = rows_twice(r->head, r->nhead);
    char shown[160];
    if (twice >= 0)
        rows_refuse(r, PLOT_BAD_INPUT, "the header names column %s twice",
                    text_shown(r->head[twice], shown, sizeof shown));
    else if (r->on_head)
        r->on_head(r, r->ctx);
}

static void rows_end(int c, void *data)
{
    rows_t *r = data;
    (void)c;
    r->row++;
    if (r->error)
        return;
    if (r->row == 1)
        take_header(r);
    else if (r->n != r->nhead)
        rows_refuse(r, PLOT_BAD_INPUT, "expected %ld fields, got %ld", r->nhead, r->n);
    else
        r->on_row(r, r->ctx);
    r->n = 0;
}

void rows_free(rows_t *r)
{
    for (long i = 0; i < r->cap; i++)
        free(r->f[i]);
    for (long i = 0; i < r->nhead; i++)
        free(r->head[i]);
    free(r->f);
    free(r->flen);
    free(r->fcap);
    free(r->head);
    free(r->path);
    r->f = r->head = NULL;
    r->flen = r->fcap = NULL;
    r->path = NULL;
    r->cap = r->nhead = 0;
}

static void parse_all(rows_t *r, FILE *in, struct csv_parser *parser)
{
    char buf[1 << 14];
    size_t n;
    while (!r->error && (n = fread(buf, 1, sizeof buf, in)) > 0) {
        if (csv_parse(parser, buf, n, rows_field, rows_end, r) != n) {
            r->row++;
            rows_refuse(r, PLOT_BAD_INPUT, "malformed CSV: %s", csv_strerror(csv_error(parser)));
        } else if (parser->entry_pos > ROWS_MAX_FIELD) {
            r->row++;
            rows_refuse(r, PLOT_BAD_INPUT, "a field longer than %d bytes", ROWS_MAX_FIELD);
        }
    }
    if (!r->error && ferror(in))
        rows_refuse(r, PLOT_FAILED, "cannot read: %s", strerror(errno));
    if (!r->error && csv_fini(parser, rows_field, rows_end, r) != 0) {
        r->row++;
        rows_refuse(r, PLOT_BAD_INPUT, "malformed CSV: a quoted field never ends");
    }
}

int rows_read(rows_t *r, const char *dir, const char *name)
{
    r->name = name;
    if (!(r->path = path_join(dir, name))) {
        plot_error(NULL, 0, "out of memory");
        return PLOT_FAILED;
    }
    FILE *in = plot_open_input(r->path);
    if (!in) {
        plot_error(r->path, 0, "cannot read: %s (%s)",
                   errno == EINVAL ? "not a regular file" : strerror(errno),
                   r->hint ? r->hint : "not a gilsim run folder?");
        return PLOT_BAD_INPUT;
    }
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        fclose(in);
        plot_error(NULL, 0, "out of memory");
        return PLOT_FAILED;
    }
    parse_all(r, in, &parser);
    csv_free(&parser);
    fclose(in);
    if (!r->error && (r->row < 1 || (r->row < 2 && !r->empty_ok)))
        rows_refuse(r, PLOT_BAD_INPUT, "no rows: not a gilsim %s", name);
    return r->error;
}
