/* csvw.c — see csvw.h. */
#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include "csvw.h"

#define CSVW_BUF (1u << 20)

int csvw_open(csvw_t *w, const char *path)
{
    *w = (csvw_t){0};
    w->f = fopen(path, "w");
    w->buf = malloc(CSVW_BUF);
    w->cap = CSVW_BUF;
    w->first = 1;
    if (!w->f || !w->buf) {
        if (w->f)
            fclose(w->f);
        free(w->buf);
        *w = (csvw_t){0};
        return -1;
    }
    return 0;
}

static void flush(csvw_t *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->f) != w->len)
        w->error = 1;
    w->len = 0;
}

int csvw_close(csvw_t *w)
{
    if (!w->f)
        return -1;
    flush(w);
    if (fclose(w->f) != 0)
        w->error = 1;
    free(w->buf);
    int err = w->error;
    *w = (csvw_t){0};
    return err ? -1 : 0;
}

static void put(csvw_t *w, const char *s, size_t n)
{
    while (n > 0) {
        if (w->len == w->cap)
            flush(w);
        size_t k = w->cap - w->len < n ? w->cap - w->len : n;
        memcpy(w->buf + w->len, s, k);
        w->len += k;
        s += k;
        n -= k;
    }
}

static void sep(csvw_t *w)
{
    if (!w->first)
        put(w, ",", 1);
    w->first = 0;
}

void csvw_raw(csvw_t *w, const char *s, size_t n)
{
    sep(w);
    put(w, s, n);
}

char *csvw_quote(const char *s)
{
    size_t n = strlen(s);
    size_t need = csv_write(NULL, 0, s, n);
    char *q = malloc(need + 1);
    if (!q)
        return NULL;
    csv_write(q, need, s, n);
    q[need] = '\0';
    return q;
}

void csvw_text(csvw_t *w, const char *s)
{
    size_t n = strlen(s);
    size_t need = csv_write(NULL, 0, s, n);
    sep(w);
    if (w->cap - w->len < need)
        flush(w);
    if (need <= w->cap) {
        w->len += csv_write(w->buf + w->len, need, s, n);
        return;
    }
    char *q = csvw_quote(s);
    if (!q) {
        w->error = 1;
        return;
    }
    put(w, q, need);
    free(q);
}

void csvw_u64(csvw_t *w, uint64_t v)
{
    char tmp[24];
    int i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    csvw_raw(w, tmp + i, sizeof tmp - (size_t)i);
}

void csvw_i64(csvw_t *w, int64_t v)
{
    if (v >= 0) {
        csvw_u64(w, (uint64_t)v);
        return;
    }
    char tmp[24];
    int i = sizeof tmp;
    uint64_t u = (uint64_t)0 - (uint64_t)v;
    do {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    tmp[--i] = '-';
    csvw_raw(w, tmp + i, sizeof tmp - (size_t)i);
}

void csvw_f64(csvw_t *w, double v)
{
    char tmp[48];
    int n = snprintf(tmp, sizeof tmp, "%.6g", v);
    csvw_raw(w, tmp, (size_t)n);
}

void csvw_empty(csvw_t *w) { sep(w); }

void csvw_end(csvw_t *w)
{
    put(w, "\n", 1);
    w->first = 1;
}
