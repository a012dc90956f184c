/* fuzz_explain.c — `gilsim explain` reading a run folder from a stranger.
 *
 * Input: summary.csv, a NUL byte, threads.csv, a NUL byte, trace.csv, a
 * NUL byte, log.csv (a part missing: that file missing).  They are written
 * into a private folder and told as `gilsim explain` tells them, once
 * whole and once with --thread, --from, --to and --limit.  Whatever the
 * bytes, the answer is the story or a refusal of the folder (PLOT_OK or
 * PLOT_BAD_INPUT, exit status 0 or 2, with one line on stderr): no crash,
 * no hang, no sanitizer report.  (PLOT_FAILED is for out of memory or a
 * failing disk, which bytes alone cannot cause.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzzfolder.h"
#include "out/explain.h"
#include "plotprep.h"

#define FUZZ_INPUT_MAX (256 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char folder[] = "/tmp/gilsim-fuzz-explain-XXXXXX";
static FILE *sink;               /* the stories go nowhere */

/* The private folder goes with the process. */
static void remove_folder(void)
{
    fuzz_folder_remove(folder);
}

static void tell(const explain_opts_t *o)
{
    int rc = explain_run(folder, o, sink);
    if (rc != PLOT_OK && rc != PLOT_BAD_INPUT)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (!mkdtemp(folder) || !(sink = fopen("/dev/null", "w")))
            abort();
        atexit(remove_folder);
        ready = 1;
    }
    if (size > FUZZ_INPUT_MAX)
        return 0;
    const uint8_t *p = data, *end = data + size;
    static const char *const names[] = {"summary.csv", "threads.csv", "trace.csv", "log.csv"};
    for (int i = 0; i < 4; i++) {
        size_t n = 0;
        const uint8_t *bytes = fuzz_part(&p, end, &n);
        if (fuzz_folder_write(folder, names[i], bytes, n) != 0)
            abort();
    }
    tell(&(explain_opts_t){.limit = EXPLAIN_LIMIT});
    tell(&(explain_opts_t){.thread = "io", .from = 1000000, .to = 2000000, .to_set = 1,
                           .limit = 5});
    return 0;
}
