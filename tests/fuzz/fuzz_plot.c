/* fuzz_plot.c — `gilsim plot` reading a run folder from a stranger.
 *
 * Input: summary.csv, a NUL byte, then trace.csv (no NUL: trace.csv only).
 * Both are written into a private folder and prepared for plotting, once
 * for the whole run and once for a window.  Whatever the bytes, the answer
 * is the figures' data or one line of error: no crash, no hang, no
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

static void check_error(const char *err)
{
    if (!err[0] || strchr(err, '\n')) {
        fprintf(stderr, "bad error message: '%s'\n", err);
        abort();
    }
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
    const uint8_t *nul = memchr(data, '\0', size);
    size_t sn = nul ? (size_t)(nul - data) : 0;
    if (write_file("summary.csv", nul ? data : NULL, sn) != 0 ||
        write_file("trace.csv", nul ? nul + 1 : data, nul ? size - sn - 1 : size) != 0)
        abort();
    char err[512];
    plot_info_t info;
    memset(&info, 0, sizeof info);
    if (plot_prepare(folder, 0, 0, &info, err, sizeof err) != 0)
        check_error(err);
    memset(&info, 0, sizeof info);
    if (plot_prepare(folder, 0.001, 0.002, &info, err, sizeof err) != 0)
        check_error(err);
    return 0;
}
