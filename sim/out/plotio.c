/* plotio.c — what the plot files share: reading a run folder's file
 * (regular files only), one-line errors naming the file and row, and lane
 * labels for gnuplot data files.  plottrace.c and plotsum.c read a folder
 * with these, plotdat.c writes labels; plotrun.c, which calls the readers,
 * draws.  Keeping these here, below them all, is what keeps the plot
 * files free of a cycle. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "plotprep.h"
#include "engine/util.h"

char *plot_data_label(const char *s, size_t n)
{
    char *v = text_visible(s, n);
    if (!v)
        return NULL;
    size_t len = strlen(v);
    char *out = malloc(4 * len + 1), *d = out;
    for (size_t i = 0; out && i < len; i++) {
        /* gnuplot reads a data field through its escape decoder and takes
         * '"' as a quote: octal escapes come back as the bytes themselves */
        if (v[i] == '"' || v[i] == '\\' || (i == 0 && v[i] == ' '))
            d += sprintf(d, "\\%03o", (unsigned char)v[i]);
        else
            *d++ = v[i];
    }
    if (out)
        *d = '\0';
    free(v);
    return out;
}

int plot_digits(const char *s, size_t n, int max_digits, long long *v)
{
    *v = 0;
    if (n == 0 || n > (size_t)max_digits)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

FILE *plot_open_input(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK);  /* a FIFO must not block the open */
    struct stat sb;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f)
        close(fd);
    return f;
}

void plot_verror(const char *path, long row, const char *fmt, va_list ap)
{
    char *vp = path ? text_visible(path, strlen(path)) : NULL;
    fputs("gilsim: ", stderr);
    if (vp && row > 0)
        fprintf(stderr, "%s:%ld: ", vp, row);
    else if (vp)
        fprintf(stderr, "%s: ", vp);
    else if (path)
        fputs("(path unprintable: out of memory): ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    free(vp);
}

void plot_error(const char *path, long row, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    plot_verror(path, row, fmt, ap);
    va_end(ap);
}

void plot_vrefuse(int *error, int code, const char *path, long row, const char *fmt,
                  va_list ap)
{
    if (*error)
        return;
    plot_verror(path, row, fmt, ap);
    *error = code;
}
