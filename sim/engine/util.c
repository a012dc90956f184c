/* util.c — see util.h. */
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>
#include "engine/util.h"

char *text_visible(const char *s, size_t n)
{
    char *v = malloc(4 * n + 1), *d = v;
    if (!v)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n' || c == '\t' || c == '\r') {
            *d++ = '\\';
            *d++ = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
        } else if (c < 0x20 || c == 0x7f) {
            d += sprintf(d, "\\x%02x", c);
        } else {
            *d++ = (char)c;
        }
    }
    *d = '\0';
    return v;
}

const char *text_shown(const char *s, char *buf, size_t size)
{
    char *v = text_visible(s, strlen(s));
    size_t n = v ? strlen(v) : 0;
    if (n >= size) {             /* cut before a character, not inside one */
        n = size - 1;
        while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf, v ? v : "", n);
    buf[n] = '\0';
    free(v);
    return buf;
}

int make_dirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return -1;
    for (char *c = p + 1; *c; c++) {
        if (*c != '/')
            continue;
        *c = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *c = '/';
    }
    int r = mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(p);
    return r;
}

char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

FILE *file_create_fresh(const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT)
        return NULL;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(path);
        errno = e;
    }
    return f;
}

char *text_vprintf(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

char *text_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = text_vprintf(fmt, ap);
    va_end(ap);
    return s;
}

void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *raw = text_vprintf(fmt, ap);
    va_end(ap);
    char *shown = raw ? text_visible(raw, strlen(raw)) : NULL;
    fprintf(stderr, "gilsim: %s\n", shown ? shown : raw ? raw : fmt);
    free(shown);
    free(raw);
}

void stop_signal_set(sigset_t *set)
{
    static const int sigs[] = STOP_SIGNALS;
    sigemptyset(set);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaddset(set, sigs[i]);
}

int text_decimal6(char *buf, size_t n, double v)
{
    if (!isfinite(v) || v == 0 || v <= -1e-4 || v >= 1e-4)   /* %g has no exponent here */
        return snprintf(buf, n, "%.6g", v);
    if (v > -1e-30 && v < 1e-30)                      /* beyond any fraction gilsim writes */
        return snprintf(buf, n, "0");
    int decimals = 5 - (int)floor(log10(fabs(v)));    /* six significant digits */
    int len = snprintf(buf, n, "%.*f", decimals, v);
    if (len >= (int)n)
        len = (int)n - 1;
    while (len > 0 && buf[len - 1] == '0')
        buf[--len] = '\0';
    if (len > 0 && buf[len - 1] == '.')
        buf[--len] = '\0';
    return len;
}

char *text_dup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

int fd_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 && errno ? errno : EIO;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int fd_read_all(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 && errno ? errno : EIO;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;             /* the 64-bit FNV prime */
    return h;
}

void text_join(char *buf, size_t n, const char *const *words)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; words[i] && used < n; i++) {
        int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", words[i]);
        used += w > 0 ? (size_t)w : 0;
    }
}
