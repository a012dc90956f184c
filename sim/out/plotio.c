/* plotio.c — what the plot files share: reading a run folder's file
 * (regular files only), one-line errors naming the file and row (and
 * column), lane labels for gnuplot data files, and the checks of
 * trace.csv's header and gil column that both its readers (plottrace.c,
 * explain_read.c) make.  plottrace.c and plotsum.c read a folder with
 * these, plotdat.c writes labels; plotrun.c, which calls the readers,
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
#include "caps.h"
#include "columns.h"
#include "config.h"
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

/* [-+]digits[.digits][e[-+]digits], as gilsim writes numbers: strtod
 * would also take hex floats, "inf", "nan" and leading blanks. */
int plot_plain_decimal(const char *s)
{
    s += *s == '-' || *s == '+';
    size_t whole = strspn(s, "0123456789"), frac = 0;
    s += whole;
    if (*s == '.') {
        frac = strspn(s + 1, "0123456789");
        s += 1 + frac;
    }
    if (whole + frac == 0)
        return 0;
    if (*s == 'e' || *s == 'E') {
        s += 1 + (s[1] == '-' || s[1] == '+');
        size_t exp = strspn(s, "0123456789");
        if (!exp)
            return 0;
        s += exp;
    }
    return *s == '\0';
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

static void verror_at(const char *path, long row, int col, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static void verror_at(const char *path, long row, int col, const char *fmt, va_list ap)
{
    char *vp = path ? text_visible(path, strlen(path)) : NULL;
    fputs("gilsim: ", stderr);
    if (vp && row > 0 && col > 0)
        fprintf(stderr, "%s:%ld:%d: ", vp, row, col);
    else if (vp && row > 0)
        fprintf(stderr, "%s:%ld: ", vp, row);
    else if (vp)
        fprintf(stderr, "%s: ", vp);
    else if (path)
        fputs("(path unprintable: out of memory): ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    free(vp);
}

void plot_verror(const char *path, long row, const char *fmt, va_list ap)
{
    verror_at(path, row, 0, fmt, ap);
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

/* A field's own refusal: its column (1 the first) after the row. */
static void refuse_field(int *error, const char *path, long row, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void refuse_field(int *error, const char *path, long row, int col, const char *fmt, ...)
{
    va_list ap;
    if (*error)
        return;
    va_start(ap, fmt);
    verror_at(path, row, col, fmt, ap);
    va_end(ap);
    *error = PLOT_BAD_INPUT;
}

_Static_assert(COL_TRACE_GIL == COL_TRACE__COUNT - 1, "gil is trace.csv's last column");

int plot_trace_older(int *error, const char *path, const char *const *names, int n)
{
    if (n != COL_TRACE__COUNT - 1)
        return 0;
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], col_files[COL_TRACE_CSV].cols[i].name))
            return 0;
    refuse_field(error, path, 1, 0, "written by an older gilsim (no `gil` column): run the "
                 "config again");
    return 1;
}

static const char *const policy_names[] = {
#define GIL_POLICY(id, name, ops, flags, about) [GIL_##id] = name,
#include "gil_policies.def"
#undef GIL_POLICY
};

int plot_per_interpreter(const char *policy)
{
    return policy && !strcmp(policy, policy_names[GIL_PER_INTERPRETER]);
}

int plot_policy_known(const char *policy)
{
    for (size_t k = 0; policy && k < sizeof policy_names / sizeof policy_names[0]; k++)
        if (policy_names[k] && !strcmp(policy, policy_names[k]))
            return 1;
    return 0;
}

/* Interpreter numbers: a thread group's `interpreter` (at most
 * INTERPRETERS_MAX), then one per InterpreterPoolExecutor worker, each a
 * thread of the run: never past INTERPRETERS_MAX + its threads.  Without
 * a GIL per interpreter every thread uses the main one, 0. */
int plot_trace_gil(int *error, const char *path, long row, const char *s, size_t n,
                   const plot_run_gils_t *run, int *interp)
{
    long long v;
    int col = COL_TRACE_GIL + 1;
    char shown[48];
    if (plot_digits(s, n, 9, &v) != 0)
        refuse_field(error, path, row, col, "gil '%s' is not an interpreter number",
                     text_shown(s, shown, sizeof shown));
    else if (v != 0 && !run->per_interpreter)
        refuse_field(error, path, row, col, "gil %lld, but the run has one GIL per process "
                     "(summary.csv's gil_policy is not per-interpreter): only 0", v);
    else if (v > INTERPRETERS_MAX + run->threads)
        refuse_field(error, path, row, col, "gil %lld: more interpreters than the run could "
                     "have (at most %d configured, then one per pool worker of its %ld "
                     "threads)", v, INTERPRETERS_MAX, run->threads);
    else
        *interp = (int)v;
    return *error;
}
