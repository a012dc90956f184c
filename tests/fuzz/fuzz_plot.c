/* fuzz_plot.c — `gilsim plot` reading a run folder from a stranger.
 *
 * Input: summary.csv, a NUL byte, trace.csv, a NUL byte, threads.csv (a
 * part missing: that file missing).  They are written into a private
 * folder and prepared for plotting as `gilsim plot` does, once for the
 * whole run and once for a window.  Whatever the bytes, the answer is the
 * figures' data or a refusal (one line on stderr): no crash, no hang, no
 * sanitizer report.  gnuplot itself is not run. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "plotprep.h"

#define FUZZ_INPUT_MAX (256 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char folder[] = "/tmp/gilsim-fuzz-plot-XXXXXX";

/* The private folder goes with the process (replays run in `make test`). */
static void remove_folder(void)
{
    DIR *d = opendir(folder);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[sizeof folder + 300];
        snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(folder);
}

static int write_file(const char *name, const uint8_t *p, size_t n)
{
    char path[sizeof folder + 32];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    if (!p) {
        unlink(path);
        return 0;
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int bad = fwrite(p, 1, n, f) != n;
    return fclose(f) != 0 || bad ? -1 : 0;
}

static void check_code(int rc)
{
    if (rc != PLOT_OK && rc != PLOT_FAILED && rc != PLOT_BAD_INPUT)
        abort();
}

/* As gilsim plot prepares a folder: summary, window, threads, trace. */
static void prepare(long long from, long long to)
{
    plot_info_t info;
    memset(&info, 0, sizeof info);
    int rc = plot_summary(folder, &info);
    check_code(rc);
    if (rc == PLOT_OK)
        check_code(rc = plot_window(&info, from, to));
    if (rc == PLOT_OK)
        check_code(rc = plot_threads(folder, &info));
    if (rc == PLOT_OK)
        check_code(plot_prepare(folder, &info));
    plot_info_free(&info);
}

/* The next part of the input, up to a NUL or the end; NULL if none. */
static const uint8_t *part(const uint8_t **p, const uint8_t *end, size_t *n)
{
    if (!*p)
        return NULL;
    const uint8_t *start = *p, *nul = memchr(start, '\0', (size_t)(end - start));
    *n = (size_t)((nul ? nul : end) - start);
    *p = nul ? nul + 1 : NULL;
    return start;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (!mkdtemp(folder))
            abort();
        atexit(remove_folder);
        ready = 1;
    }
    if (size > FUZZ_INPUT_MAX)
        return 0;
    const uint8_t *p = data, *end = data + size;
    static const char *const names[] = {"summary.csv", "trace.csv", "threads.csv"};
    for (int i = 0; i < 3; i++) {
        size_t n = 0;
        const uint8_t *bytes = part(&p, end, &n);
        if (write_file(names[i], bytes, n) != 0)
            abort();
    }
    prepare(0, 0);
    prepare(1000000, 2000000);
    return 0;
}
