/* roster.c — see roster.h.
 *
 * libcsv reports every newline outside a record as an empty record
 * (CSV_REPALL_NL), so a blank line is seen and refused rather than
 * skipped; the '\n' of a "\r\n" ending is not a row of its own. */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lab/roster.h"
#include "engine/util.h"
#include "out/csvread.h"
#include "plotprep.h"

int roster_id_ok(const char *s)
{
    size_t n = strlen(s);
    static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
    return n >= 1 && n <= 64 && strspn(s, ok) == n && s[0] != '.' && s[0] != '_' &&
           s[0] != '-';
}

typedef struct reader {
    const char *path;
    roster_t *r;
    char *err;
    long row;                    /* records so far; the header is 1 */
    int col, student;            /* field number in the record; the student column */
    int nfields;
    char *id;                    /* the record's student field */
    char **head;                 /* the header's names, to refuse one named twice */
    int nhead;
    int last_cr;                 /* the last record ended at a '\r' */
    int failed;
} reader_t;

static void refuse(reader_t *d, const char *fmt, const char *arg)
{
    if (d->failed)
        return;
    int n = snprintf(d->err, LAB_ERR_MAX, "%s:%ld: ", d->path, d->row);
    if (n > 0 && n < LAB_ERR_MAX)
        snprintf(d->err + n, (size_t)(LAB_ERR_MAX - n), fmt, arg);
    d->failed = 1;
}

/* A field, read by csvread.h's shared rules (a byte-order mark dropped,
 * a NUL byte refused). */
static void on_field(void *field, size_t len, void *data)
{
    reader_t *d = data;
    if (d->failed)
        return;
    size_t bom = rows_bom_len(d->row, d->col, field, len);
    const char *s = (const char *)field + bom, *fault = rows_field_fault(s, len -= bom);
    if (fault) {
        d->row++;
        refuse(d, "%s", fault);
        return;
    }
    if (d->row == 0 && len == 7 && !memcmp(s, "student", 7) && d->student < 0)
        d->student = d->col;
    if (d->row == 0) {
        char **head = d->nhead < ROWS_MAX_COLUMNS
                      ? realloc(d->head, sizeof *head * (size_t)(d->nhead + 1)) : NULL;
        if (head)
            d->head = head;
        char many[64];
        snprintf(many, sizeof many, "more than %d fields in the header", ROWS_MAX_COLUMNS);
        if (!head || !(head[d->nhead] = strndup(s, len)))
            refuse(d, "%s", d->nhead < ROWS_MAX_COLUMNS ? "out of memory" : many);
        else
            d->nhead++;
    }
    if (d->row > 0 && d->col == d->student && !(d->id = strndup(s, len)))
        refuse(d, "%s", "out of memory");
    d->col++;
}

/* A record: the header, a student, or an empty row (refused). */
static void on_record(int c, void *data)
{
    reader_t *d = data;
    int empty = d->col == 0;
    if (empty && c == '\n' && d->last_cr) {
        d->last_cr = 0;
        return;
    }
    d->last_cr = c == '\r';
    d->row++;
    if (d->failed || (empty && c == -1)) {
    } else if (empty) {
        refuse(d, "%s", "an empty row: remove it");
    } else if (d->row == 1) {
        d->nfields = d->col;
        long twice = rows_twice(d->head, d->nfields);
        char shown[160];
        if (twice >= 0)
            refuse(d, "the header names column %s twice",
                   text_shown(d->head[twice], shown, sizeof shown));
        else if (d->student < 0)
            refuse(d, "%s", "no column 'student' in the header (e.g. student,name)");
    } else if (d->col != d->nfields) {
        refuse(d, "%s", "not as many fields as the header");
    } else if (!d->id || !*d->id) {
        refuse(d, "%s", "an empty student id");
    } else if (!roster_id_ok(d->id)) {
        char shown[80];
        snprintf(shown, sizeof shown, "%.64s", d->id);
        for (char *p = shown; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
        refuse(d, "student id '%s': expected [A-Za-z0-9][A-Za-z0-9._-]{0,63}", shown);
    } else {
        for (int i = 0; i < d->r->n && !d->failed; i++)
            if (!strcmp(d->r->ids[i], d->id))
                refuse(d, "student '%s' is listed twice", d->id);
        if (!d->failed && d->r->n == ROSTER_MAX)
            refuse(d, "%s", "more than 100000 students");
        if (!d->failed)
            d->r->ids[d->r->n++] = d->id, d->id = NULL;
    }
    free(d->id);
    d->id = NULL;
    d->col = 0;
}

static void parse_file(reader_t *d, FILE *f, struct csv_parser *p)
{
    char buf[1 << 14];
    size_t n;
    while (!d->failed && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        char **ids = realloc(d->r->ids, sizeof *ids * (size_t)(d->r->n + (long)n + 1));
        if (!ids) {
            refuse(d, "%s", "out of memory");
            break;
        }
        d->r->ids = ids;         /* room for one record per byte read */
        if (csv_parse(p, buf, n, on_field, on_record, d) != n) {
            d->row++;
            refuse(d, "malformed CSV: %s", csv_strerror(csv_error(p)));
        }
    }
    if (!d->failed && ferror(f))
        refuse(d, "cannot read: %s", strerror(errno));
    if (!d->failed && csv_fini(p, on_field, on_record, d) != 0) {
        d->row++;
        refuse(d, "%s", "malformed CSV: a quoted field never ends");
    }
}

int roster_read(const char *path, roster_t *r, char err[LAB_ERR_MAX])
{
    reader_t d = {.path = path, .r = r, .err = err, .student = -1};
    struct csv_parser p;
    memset(r, 0, sizeof *r);
    FILE *f = plot_open_input(path);
    if (!f) {
        snprintf(err, LAB_ERR_MAX, "%s: cannot read: %s", path,
                 errno == EINVAL ? "not a regular file" : strerror(errno));
        return -1;
    }
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
        fclose(f);
        snprintf(err, LAB_ERR_MAX, "out of memory");
        return -1;
    }
    parse_file(&d, f, &p);
    csv_free(&p);
    fclose(f);
    free(d.id);
    for (int i = 0; i < d.nhead; i++)
        free(d.head[i]);
    free(d.head);
    if (!d.failed && d.row < 1)
        snprintf(err, LAB_ERR_MAX, "%s: empty: expected a header with a column 'student'", path);
    else if (!d.failed && r->n == 0)
        snprintf(err, LAB_ERR_MAX, "%s: no students (only the header)", path);
    if (d.failed || r->n == 0) {
        roster_free(r);
        return -1;
    }
    return 0;
}

void roster_free(roster_t *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->ids[i]);
    free(r->ids);
    r->ids = NULL;
    r->n = 0;
}
