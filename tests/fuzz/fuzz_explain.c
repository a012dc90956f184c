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
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "out/explain.h"
#include "plotprep.h"

#define FUZZ_INPUT_MAX (256 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char folder[] = "/tmp/gilsim-fuzz-explain-XXXXXX";
static FILE *sink;               /* the stories go nowhere */

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
        const uint8_t *bytes = part(&p, end, &n);
        if (write_file(names[i], bytes, n) != 0)
            abort();
    }
    tell(&(explain_opts_t){.limit = EXPLAIN_LIMIT});
    tell(&(explain_opts_t){.thread = "io", .from = 1000000, .to = 2000000, .to_set = 1,
                           .limit = 5});
    return 0;
}
