/* runtable.c — see runtable.h.
 *
 * While the runs go on, each row goes to the file as it comes: its leading
 * fields, then its own named values in its own order.  Beside the file
 * the table keeps, per row, where it ends and its layout: the list of its
 * named columns, as ids into the union of every name seen (rows mostly
 * share one layout, so a row costs 12 bytes).  At the end the file is
 * read back row by row while a new file of the same name is written: the
 * header with the union, then each row's leading bytes unchanged and its
 * named values moved under their columns.  The named values are numbers
 * or empty, never quoted: a row's last k fields are found by its last k
 * commas, whatever its leading text fields hold. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "out/output.h"
#include "out/runtable.h"

typedef struct rt_col {
    char *name;
    int row;                     /* the columns.def row it stands for: the union's order */
} rt_col_t;

typedef struct rt_layout {
    int n;
    int *ids;                    /* into cols */
} rt_layout_t;

int runtable_open(runtable_t *t, const char *path)
{
    *t = (runtable_t){.last = -1};
    if (!(t->path = strdup(path)))
        return -1;
    if (csvw_open(&t->rows, path) != 0) {
        free(t->path);
        t->path = NULL;
        return -1;
    }
    return 0;
}

/* p, an array of *cap elements, with twice the room (16 at first), or
 * NULL out of memory (p and *cap unchanged). */
static void *grow(void *p, int *cap, size_t elem)
{
    int want = *cap ? *cap * 2 : 16;
    void *q = realloc(p, (size_t)want * elem);
    if (q)
        *cap = want;
    return q;
}

/* The id of the named column, added to the union if new; -1 out of memory. */
static int col_id(runtable_t *t, const named_col_t *c)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, c->name) == 0)
            return i;
    if (t->ncols == t->capcols) {
        rt_col_t *cols = grow(t->cols, &t->capcols, sizeof *cols);
        if (!cols)
            return -1;
        t->cols = cols;
    }
    if (!(t->cols[t->ncols].name = strdup(c->name)))
        return -1;
    t->cols[t->ncols].row = c->row;
    return t->ncols++;
}

static int layout_is(const runtable_t *t, int l, const named_col_t *cols, int n)
{
    const rt_layout_t *L = &t->layouts[l];
    if (L->n != n)
        return 0;
    for (int i = 0; i < n; i++)
        if (strcmp(t->cols[L->ids[i]].name, cols[i].name) != 0)
            return 0;
    return 1;
}

/* The layout of a row naming cols, added if new; -1 out of memory. */
static int layout_of(runtable_t *t, const named_col_t *cols, int n)
{
    if (t->last >= 0 && layout_is(t, t->last, cols, n))
        return t->last;
    for (int l = 0; l < t->nlayouts; l++)
        if (layout_is(t, l, cols, n))
            return t->last = l;
    if (t->nlayouts == t->caplayouts) {
        rt_layout_t *layouts = grow(t->layouts, &t->caplayouts, sizeof *layouts);
        if (!layouts)
            return -1;
        t->layouts = layouts;
    }
    int *ids = malloc(sizeof *ids * (size_t)(n ? n : 1));
    for (int i = 0; ids && i < n; i++)
        if ((ids[i] = col_id(t, &cols[i])) < 0) {
            free(ids);
            ids = NULL;
        }
    if (!ids)
        return -1;
    t->layouts[t->nlayouts] = (rt_layout_t){n, ids};
    return t->last = t->nlayouts++;
}

/* Out of memory: the row writer fails, as a failed write would. */
static int no_memory(runtable_t *t)
{
    t->rows.error = 1;
    if (!t->rows.err_no)
        t->rows.err_no = ENOMEM;
    return -1;
}

int runtable_row_end(runtable_t *t, const named_col_t *cols, int n)
{
    int l = layout_of(t, cols, n);
    if (l < 0)
        return no_memory(t);
    if (t->nrows == t->caprows) {
        long want = t->caprows ? t->caprows * 2 : 64;
        uint64_t *ends = realloc(t->ends, sizeof *ends * (size_t)want);
        if (ends)
            t->ends = ends;
        int *lay = ends ? realloc(t->layout, sizeof *lay * (size_t)want) : NULL;
        if (!lay)
            return no_memory(t);
        t->layout = lay;
        t->caprows = want;
    }
    for (int i = 0; i < n; i++)
        out_named_value(&t->rows, &cols[i]);
    csvw_end(&t->rows);
    t->ends[t->nrows] = csvw_tell(&t->rows);
    t->layout[t->nrows++] = l;
    return 0;
}

/* order[p]: the id of the union's p-th column: by columns.def row, then
 * as first seen (ids are in first-seen order).  pos: its inverse. */
static void union_order(const runtable_t *t, int *order, int *pos)
{
    for (int i = 0; i < t->ncols; i++) {
        int p = 0;
        for (int j = 0; j < t->ncols; j++)
            p += t->cols[j].row < t->cols[i].row || (t->cols[j].row == t->cols[i].row && j < i);
        pos[i] = p;
        order[p] = i;
    }
}

/* One row read back (len bytes, its '\n' last): its leading bytes as they
 * are, then its named values under the union's columns.  0, or EIO when
 * it is not a row as written (a file changed under us): no '\n' last, or
 * fewer fields than its layout says. */
static int copy_row(const runtable_t *t, const char *buf, size_t len, const rt_layout_t *L,
                    const int *pos, const char **val, size_t *vlen, csvw_t *out)
{
    memset(val, 0, sizeof *val * (size_t)t->ncols);
    if (buf[len - 1] != '\n')
        return EIO;
    size_t stop = len - 1;
    for (int i = L->n - 1; i >= 0; i--) {      /* backwards: a repeated name keeps its first */
        size_t c = stop;
        while (c > 0 && buf[c - 1] != ',')
            c--;
        if (c == 0)
            return EIO;
        val[pos[L->ids[i]]] = buf + c;
        vlen[pos[L->ids[i]]] = stop - c;
        stop = c - 1;
    }
    csvw_raw(out, buf, stop);
    for (int p = 0; p < t->ncols; p++)
        if (val[p])
            csvw_raw(out, val[p], vlen[p]);
        else
            csvw_empty(out);
    csvw_end(out);
    return 0;
}

/* Every row of in into out; 0 or an errno. */
static int copy_rows(const runtable_t *t, FILE *in, const int *pos, csvw_t *out)
{
    char *buf = NULL;
    size_t cap = 0;
    const char **val = malloc(sizeof *val * (size_t)(t->ncols + 1));
    size_t *vlen = malloc(sizeof *vlen * (size_t)(t->ncols + 1));
    int e = val && vlen ? 0 : ENOMEM;
    uint64_t start = 0;
    for (long r = 0; !e && r < t->nrows; r++) {
        size_t len = (size_t)(t->ends[r] - start);
        start = t->ends[r];
        if (len > cap) {
            char *b = realloc(buf, len);
            if (!b) {
                e = ENOMEM;
                break;
            }
            buf = b;
            cap = len;
        }
        if (len == 0 || fread(buf, 1, len, in) != len)
            e = ferror(in) && errno ? errno : EIO;
        else
            e = copy_row(t, buf, len, &t->layouts[t->layout[r]], pos, val, vlen, out);
    }
    free(buf);
    free(val);
    free(vlen);
    return e;
}

int runtable_close(runtable_t *t, void (*header)(csvw_t *w, void *ctx), void *ctx)
{
    int e = csvw_close(&t->rows) == 0 ? 0 : t->rows.err_no ? t->rows.err_no : EIO;
    int *order = malloc(sizeof *order * (size_t)(t->ncols + 1));
    int *pos = malloc(sizeof *pos * (size_t)(t->ncols + 1));
    FILE *in = NULL;
    csvw_t out = {0};
    if (!e && (!order || !pos))
        e = ENOMEM;
    if (!e && !(in = fopen(t->path, "rb")))
        e = errno ? errno : EIO;
    /* a new file of the name (csvw_open removes it first): in keeps the rows */
    if (!e && csvw_open(&out, t->path) != 0)
        e = errno ? errno : EIO;
    if (!e) {
        union_order(t, order, pos);
        header(&out, ctx);
        for (int p = 0; p < t->ncols; p++)
            csvw_text(&out, t->cols[order[p]].name);
        csvw_end(&out);
        e = copy_rows(t, in, pos, &out);
    }
    if (out.f && csvw_close(&out) != 0 && !e)
        e = out.err_no ? out.err_no : EIO;
    if (in)
        fclose(in);
    free(order);
    free(pos);
    runtable_abort(t);
    return e;
}

void runtable_abort(runtable_t *t)
{
    if (t->rows.f)
        csvw_close(&t->rows);
    for (int i = 0; i < t->ncols; i++)
        free(t->cols[i].name);
    for (int i = 0; i < t->nlayouts; i++)
        free(t->layouts[i].ids);
    free(t->cols);
    free(t->layouts);
    free(t->ends);
    free(t->layout);
    free(t->path);
    *t = (runtable_t){.last = -1};
}
