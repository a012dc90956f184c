/* sweep_table.c — see sweep_table.h.
 *
 * The leading fields must reach the new sweep.csv byte for byte (a text
 * field is quoted, a number is not), so the reader keeps their bytes as
 * well as their values.  libcsv parses; to learn where a field's bytes
 * end, the buffer is fed to it in pieces that each end at a comma or a
 * line end, and libcsv only ever ends a field or a row on such a byte:
 * a field that ends while a piece is parsed ends at that piece's last
 * byte (or, at csv_fini, at the buffer's end). */
#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "columns.h"
#include "plotprep.h"
#include "out/csvread.h"
#include "engine/util.h"
#include "cli/sweep_table.h"

/* summary.csv's named columns come last, after its fixed ones: each
 * kind's name starts with its prefix. */
_Static_assert(COL_SUMMARY_MARKS == COL_SUMMARY__COUNT - 4 &&
               COL_SUMMARY_CV == COL_SUMMARY__COUNT - 1, "named columns last");
#define FIXED_SUMMARY_COLS COL_SUMMARY_MARKS

static const struct named_kind {
    int row;
    const char *prefix;
    int fraction;                /* a fraction, else a time in ns */
} named_kinds[] = {
    {COL_SUMMARY_MARKS, "mark:", 0}, {COL_SUMMARY_FINISHED, "finished:", 0},
    {COL_SUMMARY_JAIN, "jain:", 1}, {COL_SUMMARY_CV, "cv:", 1},
};
#define NKINDS ((int)(sizeof named_kinds / sizeof named_kinds[0]))

typedef struct reader {
    const sweep_shape_t *shape;
    int (*on_row)(sweep_row_t *row, void *ctx);
    void *ctx;
    const char *buf;
    size_t end;                  /* where the field being ended ends: the piece's last byte */
    size_t start;                /* where the next field's bytes begin */
    size_t row_start;
    size_t lead_from;            /* where the current row's leading bytes begin */
    long record;                 /* records ended so far (the header is record 1) */
    long col;                    /* fields of the current record so far */
    char **head;                 /* the header's names */
    int *kind;                   /* per named column: its named_kinds index */
    named_col_t *vals;           /* per named column: the current row's value */
    char *empty;                 /* ... and whether it was empty */
    long *pair;                  /* per named column: a finish's jain: column, else -1 */
    long nhead, nlead;
    sweep_row_t row;             /* the row being read */
    int stopped;                 /* on_row said stop, or a refusal */
    char *err;
    size_t errsize;
} reader_t;

static void refuse(reader_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void refuse(reader_t *r, const char *fmt, ...)
{
    if (r->stopped)
        return;
    r->stopped = 1;
    int n = snprintf(r->err, r->errsize, "row %ld: ", r->record + 1);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < r->errsize)
        vsnprintf(r->err + n, r->errsize - (size_t)n, fmt, ap);
    va_end(ap);
}

/* The name of the header's column c, as expected. */
static const char *expected_name(const reader_t *r, long c)
{
    if (c == 0)
        return col_files[COL_SWEEP_CSV].cols[COL_SWEEP_RUN].name;
    if (c <= r->shape->naxes)
        return r->shape->keys[c - 1];
    return col_files[COL_SUMMARY_CSV].cols[c - 1 - r->shape->naxes].name;
}

static void head_field(reader_t *r, const char *s)
{
    char shown[120], want[120];
    if (r->col < r->nlead && strcmp(s, expected_name(r, r->col)) != 0) {
        refuse(r, "column %ld is %s where a table of this sweep has %s", r->col + 1,
               text_shown(s, shown, sizeof shown),
               text_shown(expected_name(r, r->col), want, sizeof want));
        return;
    }
    int kind = -1;
    for (int k = 0; k < NKINDS && r->col >= r->nlead; k++)
        if (!strncmp(s, named_kinds[k].prefix, strlen(named_kinds[k].prefix)))
            kind = k;
    if (r->col >= r->nlead && kind < 0) {
        refuse(r, "column %ld is %s, not a mark:, finished:, jain: or cv: column", r->col + 1,
               text_shown(s, shown, sizeof shown));
        return;
    }
    char **head = realloc(r->head, sizeof *head * (size_t)(r->nhead + 1));
    int *k = realloc(r->kind, sizeof *k * (size_t)(r->nhead + 1));
    if (head)
        r->head = head;
    if (k)
        r->kind = k;
    if (!head || !k || !(r->head[r->nhead] = strdup(s))) {
        refuse(r, "out of memory");
        return;
    }
    r->kind[r->nhead++] = kind;
}

/* A run number 1..total, or 0. */
static long run_number(const char *s, long total)
{
    char *end;
    errno = 0;
    long v = *s >= '1' && *s <= '9' ? strtol(s, &end, 10) : 0;
    return v > 0 && !errno && !*end && v <= total ? v : 0;
}

/* A fraction as gilsim writes it (NAMED_FRACTION_FORMAT): 0 or -1. */
static int fraction_value(const char *s, double *v)
{
    char *end, again[48];
    errno = 0;
    *v = strtod(s, &end);
    if (end == s || *end || errno == ERANGE)
        return -1;
    snprintf(again, sizeof again, NAMED_FRACTION_FORMAT, *v);
    return strcmp(again, s) == 0 ? 0 : -1;
}

/* A time: empty (-1), or digits as gilsim writes them (no sign, no
 * leading zero).  0 or -1. */
static int named_value(const char *s, simtime_t *v)
{
    if (!*s)
        return *v = -1, 0;
    if (*s < '0' || *s > '9' || (*s == '0' && s[1]))
        return -1;
    char *end;
    errno = 0;
    unsigned long long u = strtoull(s, &end, 10);
    if (errno || *end || u > INT64_MAX)
        return -1;
    *v = (simtime_t)u;
    return 0;
}

/* A named column's value, kept until the row ends (named_list). */
static void named_field(reader_t *r, long c, const char *s)
{
    char shown[120], name[120];
    const struct named_kind *k = &named_kinds[r->kind[c]];
    named_col_t *v = &r->vals[c - r->nlead];
    *v = (named_col_t){k->row, r->head[c], -1, 0};
    r->empty[c - r->nlead] = !*s;
    if (!*s)
        return;
    if (k->fraction && fraction_value(s, &v->fraction) != 0)
        refuse(r, "%s is %s, not a fraction as gilsim writes it",
               text_shown(r->head[c], name, sizeof name), text_shown(s, shown, sizeof shown));
    else if (!k->fraction && named_value(s, &v->value) != 0)
        refuse(r, "%s is %s, not a time in ns", text_shown(r->head[c], name, sizeof name),
               text_shown(s, shown, sizeof shown));
}

/* The columns the row names, as it named them when it ran: a mark once
 * shown (it has a value), each group it has with all of its kinds.  A
 * group's jain: always has a value, so it tells whether the row has the
 * group even when its finish is empty (it never finished); a table
 * without jain: columns has every finish named. */
static void named_list(reader_t *r)
{
    r->row.nnamed = 0;
    for (long i = 0; i < r->nhead - r->nlead; i++) {
        long pair = r->pair[i];
        int has = r->vals[i].row == COL_SUMMARY_FINISHED ? pair < 0 || !r->empty[pair]
                                                         : !r->empty[i];
        if (has)
            r->row.named[r->row.nnamed++] = r->vals[i];
    }
}

static void row_field(reader_t *r, const char *s)
{
    char shown[120], want[120], name[120];
    long c = r->col;
    if (c == 0) {
        if (!(r->row.run = run_number(s, r->shape->total)))
            refuse(r, "run %s is not a run of this sweep (1 to %ld)",
                   text_shown(s, shown, sizeof shown), r->shape->total);
    } else if (c <= r->shape->naxes) {
        const char *v = r->shape->value ? r->shape->value(r->shape->ctx, r->row.run, (int)c - 1)
                                        : s;
        if (strcmp(s, v) != 0)
            refuse(r, "run %ld has %s=%s where this sweep gives it %s", r->row.run,
                   text_shown(r->head[c], name, sizeof name), text_shown(s, shown, sizeof shown),
                   text_shown(v, want, sizeof want));
    } else if (c >= r->nlead) {
        named_field(r, c, s);
    }
    if (c == r->nlead - 1 && !r->stopped) {
        r->lead_from = r->row_start;
        r->row.nlead = r->end - r->row_start;
    }
}

/* The bytes of a leading field are those gilsim writes for its value:
 * the run bare, a varied value quoted, a summary field bare (a number, or
 * empty) or quoted as libcsv quotes it.  Anything else (spaces libcsv
 * trims, a blank line it skips, a quote where none is needed) would
 * reach sweep.csv as it is, so it is refused. */
static void check_bytes(reader_t *r, const char *raw, size_t n, const char *s, size_t len)
{
    long c = r->col;
    char name[120];
    int bare = n == len && memcmp(raw, s, n) == 0;
    size_t qn = csv_write(NULL, 0, s, len);
    char *q = bare || c == 0 ? NULL : malloc(qn);
    int quoted = q && csv_write(q, qn, s, len) == qn && qn == n && memcmp(raw, q, n) == 0;
    free(q);
    char *end;
    if (bare && c > r->shape->naxes && len)
        strtod(s, &end);
    if (c == 0 ? !bare : c <= r->shape->naxes ? !quoted
                       : !(quoted || (bare && (!len || !*end))))
        refuse(r, "%s is not written as gilsim writes it",
               text_shown(r->head[c], name, sizeof name));
}

static void on_field(void *field, size_t len, void *data)
{
    reader_t *r = data;
    if (r->stopped)
        return;
    const char *s = field;
    size_t from = r->start;
    if (r->col == 0)
        r->row_start = from;
    r->start = r->end + 1;
    const char *fault = rows_field_fault(s, len);
    if (fault || len > ROWS_MAX_FIELD || r->col >= ROWS_MAX_COLUMNS)
        refuse(r, "%s", fault ? fault : len > ROWS_MAX_FIELD ? "a field too long"
                                                             : "too many fields");
    else if (r->record == 0)
        head_field(r, s);
    else if (r->col < r->nhead)
        row_field(r, s);
    else
        refuse(r, "more fields than the header's %ld", r->nhead);
    if (r->record > 0 && r->col < r->nlead && r->col < r->nhead)
        check_bytes(r, r->buf + from, r->end - from, s, len);
    r->col++;
}

/* Room for a row's named values, and each finish's jain: column; 0 or -1. */
static int pair_groups(reader_t *r)
{
    size_t n = (size_t)(r->nhead - r->nlead) + 1;
    r->row.named = malloc(sizeof *r->row.named * n);
    r->vals = malloc(sizeof *r->vals * n);
    r->empty = malloc(n);
    r->pair = malloc(sizeof *r->pair * n);
    if (!r->row.named || !r->vals || !r->empty || !r->pair)
        return -1;
    for (long i = 0; i < r->nhead - r->nlead; i++) {
        const char *name = r->head[r->nlead + i];
        r->pair[i] = -1;
        if (named_kinds[r->kind[r->nlead + i]].row != COL_SUMMARY_FINISHED)
            continue;
        for (long j = 0; j < r->nhead - r->nlead; j++)
            if (named_kinds[r->kind[r->nlead + j]].row == COL_SUMMARY_JAIN
                && !strcmp(r->head[r->nlead + j] + 5, name + 9))
                r->pair[i] = j;
    }
    return 0;
}

/* The header is whole: every leading name, each named one once. */
static void head_end(reader_t *r)
{
    char shown[120];
    if (r->nhead < r->nlead) {
        refuse(r, "the header has %ld columns; a table of this sweep has at least %ld",
               r->nhead, r->nlead);
        return;
    }
    long twice = rows_twice(r->head + r->nlead, r->nhead - r->nlead);
    if (twice >= 0)
        refuse(r, "the header names column %s twice",
               text_shown(r->head[r->nlead + twice], shown, sizeof shown));
    else if (pair_groups(r) != 0)
        refuse(r, "out of memory");
}

/* A row is whole: handed over with copies of its bytes and names. */
static void row_end(reader_t *r)
{
    if (r->col != r->nhead) {
        refuse(r, "%ld fields where the header has %ld", r->col, r->nhead);
        return;
    }
    named_list(r);
    sweep_row_t out = {r->row.run, malloc(r->row.nlead + 1), r->row.nlead,
                       calloc((size_t)r->row.nnamed + 1, sizeof *out.named), r->row.nnamed};
    int ok = out.lead && out.named;
    if (ok)
        memcpy(out.lead, r->buf + r->lead_from, r->row.nlead);
    for (int i = 0; ok && i < out.nnamed; i++) {
        out.named[i] = r->row.named[i];
        ok = (out.named[i].name = strdup(r->row.named[i].name)) != NULL;
    }
    if (!ok) {
        sweep_row_free(&out);
        refuse(r, "out of memory");
    } else if (r->on_row(&out, r->ctx) != 0) {
        r->stopped = 1;
    }
}

static void on_record(int c, void *data)
{
    reader_t *r = data;
    if (r->stopped)
        return;
    if (c != '\n' && c != -1)
        refuse(r, "a line that ends in a carriage return: not a table gilsim wrote");
    else if (r->record == 0)
        head_end(r);
    else
        row_end(r);
    r->record++;
    r->col = 0;
}

/* Feeds buf to libcsv in pieces that end at a comma or line end. */
static int feed(reader_t *r, struct csv_parser *p, const char *buf, size_t len)
{
    size_t at = 0;
    while (at < len && !r->stopped) {
        size_t stop = at;
        while (stop < len && buf[stop] != ',' && buf[stop] != '\n' && buf[stop] != '\r')
            stop++;
        size_t piece = (stop < len ? stop + 1 : len) - at;
        r->end = stop;
        if (csv_parse(p, buf + at, piece, on_field, on_record, r) != piece) {
            refuse(r, "%s", csv_strerror(csv_error(p)));
            return -1;
        }
        at += piece;
    }
    r->end = len;
    if (!r->stopped && csv_fini(p, on_field, on_record, r) != 0)
        refuse(r, "%s", csv_strerror(csv_error(p)));
    return r->stopped ? -1 : 0;
}

int sweep_table_parse(const char *buf, size_t len, const sweep_shape_t *shape,
                      int (*on_row)(sweep_row_t *row, void *ctx), void *ctx,
                      char *err, size_t errsize)
{
    reader_t r = {.shape = shape, .on_row = on_row, .ctx = ctx, .buf = buf, .err = err,
                  .errsize = errsize, .nlead = 1 + shape->naxes + FIXED_SUMMARY_COLS};
    struct csv_parser p;
    *err = '\0';
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    int rc = feed(&r, &p, buf, len);
    if (rc == 0 && r.record == 0) {
        snprintf(err, errsize, "row 1: no header: an empty file");
        rc = -1;
    }
    if (rc != 0 && !*err)                /* on_row stopped it: its own message */
        rc = 1;
    csv_free(&p);
    for (long i = 0; i < r.nhead; i++)
        free(r.head[i]);
    free(r.head);
    free(r.kind);
    free(r.row.named);
    free(r.vals);
    free(r.empty);
    free(r.pair);
    return rc;
}

void sweep_row_free(sweep_row_t *row)
{
    for (int i = 0; row->named && i < row->nnamed; i++)
        free(row->named[i].name);
    free(row->named);
    free(row->lead);
    *row = (sweep_row_t){0};
}

char *sweep_file_read(const char *path, long max, size_t *len, int *err)
{
    FILE *f = plot_open_input(path);
    struct stat sb;
    char *buf = NULL;
    *err = 0;
    if (!f)
        *err = errno ? errno : EIO;
    else if (fstat(fileno(f), &sb) != 0 || sb.st_size > max)
        *err = EFBIG;
    else if (!(buf = malloc((size_t)sb.st_size + 1)))
        *err = ENOMEM;
    else if (fread(buf, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
        *err = ferror(f) && errno ? errno : EIO;
        free(buf);
        buf = NULL;
    } else
        *len = (size_t)sb.st_size;
    if (f)
        fclose(f);
    return buf;
}
