/* fuzz_plot.c — `gilsim plot` reading a run folder from a stranger.
 *
 * Input: summary.csv, a NUL byte, trace.csv, a NUL byte, threads.csv (a
 * part missing: that file missing).  They are written into a private
 * folder and prepared for plotting as `gilsim plot` does, once for the
 * whole run and once for a window.  Whatever the bytes, the answer is the
 * figures' data or a refusal (one line on stderr): no crash, no hang, no
 * sanitizer report.  gnuplot itself is not run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzzfolder.h"
#include "plotprep.h"

#define FUZZ_INPUT_MAX (256 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char folder[] = "/tmp/gilsim-fuzz-plot-XXXXXX";

/* The private folder goes with the process. */
static void remove_folder(void)
{
    fuzz_folder_remove(folder);
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
        const uint8_t *bytes = fuzz_part(&p, end, &n);
        if (fuzz_folder_write(folder, names[i], bytes, n) != 0)
            abort();
    }
    prepare(0, 0);
    prepare(1000000, 2000000);
    return 0;
}
