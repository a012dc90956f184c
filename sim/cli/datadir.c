/* datadir.c — see datadir.h.
 *
 * Why the binary's own path: an installed gilsim is found through PATH
 * (or a symbolic link to it), so argv[0] may be a bare name; the kernel
 * knows the file it runs (/proc/self/exe).  The prefix is not compiled
 * in: PREFIX/bin/../share/gilsim holds for any PREFIX, so a package
 * staged under DESTDIR, or a tree moved elsewhere, finds its files the
 * same way. */
#define _DEFAULT_SOURCE          /* realpath */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/datadir.h"
#include "engine/util.h"

#define PROBE "/plots/timeline.gp"

/* dir holds PROBE. */
static int holds_plots(const char *dir)
{
    char *probe = text_printf("%s" PROBE, dir);
    int ok = probe && access(probe, R_OK) == 0;
    free(probe);
    return ok;
}

/* The folder the running binary is in, malloc'd; NULL if unknown. */
static char *exe_dir(void)
{
    char *exe = realpath("/proc/self/exe", NULL);
    char *slash = exe ? strrchr(exe, '/') : NULL;
    if (!slash) {
        free(exe);
        return NULL;
    }
    *slash = '\0';
    return exe;
}

/* Beside the binary: an installed one's share/gilsim, or the source tree
 * of build/gilsim or build/san/gilsim, which must hold sim/ too, so that a
 * binary copied into some folder does not take a stray plots/ above it
 * for its own. */
static char *beside_binary(void)
{
    static const struct { const char *up; int tree; } where[] = {
        {"/../share/gilsim", 0}, {"/..", 1}, {"/../..", 1},
    };
    char *bin = exe_dir();
    for (size_t i = 0; bin && i < sizeof where / sizeof where[0]; i++) {
        char *dir = text_printf("%s%s", bin, where[i].up);
        char *src = dir && where[i].tree ? text_printf("%s/sim/cli/datadir.c", dir) : NULL;
        int ok = dir && holds_plots(dir) && (!where[i].tree || (src && access(src, R_OK) == 0));
        char *real = ok ? realpath(dir, NULL) : NULL;
        free(src);
        free(dir);
        if (real) {
            free(bin);
            return real;
        }
    }
    free(bin);
    return NULL;
}

char *datadir_find(char why[512])
{
    const char *env = getenv("GILSIM_DATADIR");
    why[0] = '\0';
    if (env && *env) {
        if (holds_plots(env))
            return text_dup(env, strlen(env));
        snprintf(why, 512, "GILSIM_DATADIR is %.300s, which holds no plots/timeline.gp", env);
        return NULL;
    }
    char *dir = beside_binary();
    if (dir)
        return dir;
    if (holds_plots("."))
        return text_dup(".", 1);
    snprintf(why, 512, "cannot find gilsim's gnuplot scripts (plots/timeline.gp): not beside "
             "the binary (PREFIX/share/gilsim for PREFIX/bin/gilsim, or its source tree), nor "
             "in the current folder; install gilsim (make install) or set GILSIM_DATADIR to "
             "the folder that holds plots/");
    return NULL;
}

char *datadir_plots(void)
{
    char why[512];
    char *dir = datadir_find(why);
    char *plots = dir ? path_join(dir, "plots") : NULL;
    if (!plots)
        say("%s", why[0] ? why : "out of memory");
    free(dir);
    return plots;
}
