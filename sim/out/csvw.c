/* csvw.c — see csvw.h. */
#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "out/csvw.h"
#include "engine/util.h"

#define CSVW_BUF (1u << 20)

int csvw_open(csvw_t *w, const char *path)
{
    *w = (csvw_t){0};
    w->f = file_create_fresh(path);
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

/* ---- writing on a background thread ------------------------------------
 * Two buffers: the model fills one while a writer thread hands the other
 * to the kernel, so a long trace's disk writes (which the kernel throttles
 * once its dirty pages pile up) overlap the simulation, which uses one
 * core of the machine.  The bytes are the same as written in line. */
struct csvw_bg {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *busy;                  /* the buffer being written, or NULL */
    size_t busy_len;
    char *spare;                 /* the free buffer while none is being written */
    int stop, error;             /* error: an errno */
};

static void *bg_main(void *arg)
{
    csvw_t *w = arg;
    struct csvw_bg *b = w->bg;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (!b->busy && !b->stop)
            pthread_cond_wait(&b->cv, &b->mu);
        if (!b->busy)
            break;
        char *buf = b->busy;
        size_t len = b->busy_len;
        pthread_mutex_unlock(&b->mu);
        int bad = b->error ? 0 : fd_write_all(fileno(w->f), buf, len);
        pthread_mutex_lock(&b->mu);
        if (!b->error)
            b->error = bad;
        b->spare = buf;
        b->busy = NULL;
        pthread_cond_broadcast(&b->cv);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

int csvw_open_background(csvw_t *w, const char *path)
{
    if (csvw_open(w, path) != 0)
        return -1;
    struct csvw_bg *b = calloc(1, sizeof *b);
    char *spare = malloc(CSVW_BUF);
    if (!b || !spare) {
        free(b);
        free(spare);
        return 0;                /* no memory for a second buffer: write in line */
    }
    b->spare = spare;
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
    w->bg = b;
    /* the thread inherits the mask: signals stay with the simulating thread */
    sigset_t block, old;
    stop_signal_set(&block);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int started = pthread_create(&b->thread, NULL, bg_main, w) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!started) {
        pthread_mutex_destroy(&b->mu);
        pthread_cond_destroy(&b->cv);
        free(spare);
        free(b);
        w->bg = NULL;            /* no thread: write in line */
    }
    return 0;
}

/* Hands the full buffer to the writer and takes the free one. */
static void bg_hand_over(csvw_t *w)
{
    struct csvw_bg *b = w->bg;
    pthread_mutex_lock(&b->mu);
    while (b->busy)
        pthread_cond_wait(&b->cv, &b->mu);
    if (b->error && !w->error) {     /* the last buffer failed: tell the caller now */
        w->error = 1;
        w->err_no = b->error;
    }
    b->busy = w->buf;
    b->busy_len = w->len;
    w->buf = b->spare;
    b->spare = NULL;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

static void bg_finish(csvw_t *w)
{
    struct csvw_bg *b = w->bg;
    pthread_mutex_lock(&b->mu);
    b->stop = 1;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    pthread_join(b->thread, NULL);
    if (b->error && !w->error) {
        w->error = 1;
        w->err_no = b->error;
    }
    free(b->spare);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
    free(b);
    w->bg = NULL;
}

/* A writer into memory has no file: its buffer grows instead. */
static void grow(csvw_t *w)
{
    char *b = w->error ? NULL : realloc(w->buf, w->cap * 2);
    if (!b) {
        w->error = 1;
        w->err_no = w->err_no ? w->err_no : ENOMEM;
        w->len = 0;              /* what was written is lost: the error says so */
        return;
    }
    w->buf = b;
    w->cap *= 2;
}

static void flush(csvw_t *w)
{
    if (!w->f) {
        grow(w);
        return;
    }
    if (w->len && w->bg) {
        bg_hand_over(w);
    } else if (w->len && !w->error) {
        int e = fd_write_all(fileno(w->f), w->buf, w->len);
        if (e) {
            w->error = 1;
            w->err_no = e;
        }
    }
    w->flushed += w->len;
    w->len = 0;
}

int csvw_open_memory(csvw_t *w)
{
    *w = (csvw_t){.first = 1, .cap = 4096};
    if (!(w->buf = malloc(w->cap))) {
        *w = (csvw_t){0};
        return -1;
    }
    return 0;
}

const char *csvw_memory(const csvw_t *w, size_t *len)
{
    *len = w->len;
    return w->buf;
}

void csvw_memory_clear(csvw_t *w)
{
    w->len = 0;
    w->first = 1;
    w->error = 0;
    w->err_no = 0;
}

int csvw_close(csvw_t *w)
{
    if (!w->f && w->buf) {       /* in memory */
        free(w->buf);
        int err = w->error;
        *w = (csvw_t){0};
        return err ? -1 : 0;
    }
    if (!w->f)
        return -1;
    flush(w);
    if (w->bg)
        bg_finish(w);
    if (fclose(w->f) != 0 && !w->error) {
        w->error = 1;
        w->err_no = errno;
    }
    free(w->buf);
    int err = w->error, e = w->err_no;
    *w = (csvw_t){0};
    w->error = err;              /* kept for the caller's message */
    w->err_no = e;
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
    if (need <= w->cap - w->len) {
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

static const char DIGIT_PAIRS[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static int digits(uint64_t v)
{
    int n = 1;
    for (; v >= 10000; v /= 10000)
        n += 4;
    return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

/* Decimal, two digits per division, written from the end backwards. */
static char *put_u64(char *p, uint64_t v)
{
    char *end = p + digits(v), *q = end;
    while (v >= 100) {
        unsigned pair = (unsigned)(v % 100) * 2;
        v /= 100;
        *--q = DIGIT_PAIRS[pair + 1];
        *--q = DIGIT_PAIRS[pair];
    }
    if (v >= 10) {
        *--q = DIGIT_PAIRS[v * 2 + 1];
        *--q = DIGIT_PAIRS[v * 2];
    } else {
        *--q = (char)('0' + v);
    }
    return end;
}

char *csvw_put_i64(char *p, int64_t v)
{
    if (v >= 0)
        return put_u64(p, (uint64_t)v);
    *p = '-';
    return put_u64(p + 1, (uint64_t)0 - (uint64_t)v);
}

void csvw_u64(csvw_t *w, uint64_t v)
{
    char tmp[24];
    csvw_raw(w, tmp, (size_t)(put_u64(tmp, v) - tmp));
}

void csvw_i64(csvw_t *w, int64_t v)
{
    char tmp[24];
    csvw_raw(w, tmp, (size_t)(csvw_put_i64(tmp, v) - tmp));
}

char *csvw_reserve(csvw_t *w, size_t n)
{
    if (w->cap - w->len < n)
        flush(w);
    return n <= w->cap - w->len ? w->buf + w->len : NULL;
}

void csvw_commit(csvw_t *w, char *end)
{
    w->len = (size_t)(end - w->buf);
}

size_t csvw_quoted_len(const char *s, size_t n)
{
    return csv_write(NULL, 0, s, n);
}

char *csvw_put_quoted(char *p, const char *s, size_t n)
{
    return p + csv_write(p, csv_write(NULL, 0, s, n), s, n);
}

/* Six significant digits, as a plain decimal (util.h). */
void csvw_f64(csvw_t *w, double v)
{
    char tmp[48];
    int n = text_decimal6(tmp, sizeof tmp, v);
    csvw_raw(w, tmp, (size_t)n);
}

void csvw_empty(csvw_t *w) { sep(w); }

void csvw_end(csvw_t *w)
{
    put(w, "\n", 1);
    w->first = 1;
}
