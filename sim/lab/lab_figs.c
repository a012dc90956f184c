/* lab_figs.c — see lab_figs.h.
 *
 * gnuplot takes about 0.1 s to start, more than a lab's runs take, so a
 * worker draws all its figures with one gnuplot: a driver script that
 * `call`s each figure's plots/NAME.gp with its arguments, as
 * `gnuplot -c plots/NAME.gp DIR FMT TITLE OUT [EXTRA]` (plotrun.c) would
 * get them, each first set in a variable.  Their values are single-quoted
 * gnuplot strings, in which nothing is expanded (no backquotes, no
 * macros) and a quote is doubled; a newline (a title's second line) is
 * joined in as "\n".  A path's other control characters must not get
 * here: quoted() shows them as '?', which would name another file.
 * Student ids and lab names are plain words (roster.h, lab.h), and
 * lab_cmd.c refuses an -o folder whose name holds one. */
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "engine/util.h"
#include "lab/lab_figs.h"
#include "out/figures.h"

int lab_figs_open(lab_figs_t *b, const char *driver, const char *plots_dir,
                  char err[LAB_ERR_MAX])
{
    memset(b, 0, sizeof *b);
    b->plots_dir = plots_dir;
    if (!(b->path = strdup(driver)) || !(b->f = file_create_fresh(driver))) {
        snprintf(err, LAB_ERR_MAX, "%s: cannot write: %s", driver, strerror(errno));
        free(b->path);
        b->path = NULL;
        return 1;
    }
    fputs("# the figures of one worker of gilsim lab make\n", b->f);
    return 0;
}

/* A gnuplot string expression of s: single-quoted pieces, a newline
 * (a title's second line) joined in as "\n", other control characters
 * shown as '?'. */
static void quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'')
            fputs("''", f);
        else if (c == '\n')
            fputs("'.\"\\n\".'", f);
        else
            fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
    }
    fputc('\'', f);
}

const figure_kind_t *lab_figure_kind(const char *name)
{
    for (size_t k = 0; k < figure_kinds_count; k++)
        if (!strcmp(figure_kinds[k].name, name))
            return &figure_kinds[k];
    return NULL;
}

/* The run folder's data files, as gilsim plot prepares them. */
static int prepare(const char *dir, plot_info_t *info, char err[LAB_ERR_MAX])
{
    struct stat st;
    char *trace = path_join(dir, "trace.csv");
    int rc = plot_summary(dir, info);
    if (rc == PLOT_OK)
        rc = plot_window(info, 0, 0);
    if (rc == PLOT_OK)
        rc = plot_threads(dir, info);
    if (rc == PLOT_OK && trace && stat(trace, &st) == 0)
        rc = plot_prepare(dir, info);
    free(trace);
    if (rc != PLOT_OK)
        snprintf(err, LAB_ERR_MAX, "%s: cannot prepare its figures (above)", dir);
    return rc;
}

int lab_figs_add(lab_figs_t *b, const char *dir, const char *figure, const char *out,
                 char err[LAB_ERR_MAX])
{
    const figure_kind_t *k = lab_figure_kind(figure);
    plot_info_t info = {0};
    int rc = k ? prepare(dir, &info, err) : 2;
    const char *why = rc == 0 && k->skip ? k->skip(&info) : NULL;
    if (!k)
        snprintf(err, LAB_ERR_MAX, "unknown figure '%s'", figure);
    else if (why) {
        snprintf(err, LAB_ERR_MAX, "%s: the %s figure cannot be drawn: %s", dir, figure, why);
        rc = 2;
    }
    char *title = rc == 0 && k->title ? k->title(&info) : NULL;
    char *extra = rc == 0 && k->extra ? k->extra(&info) : NULL;
    char *script = rc == 0 ? text_printf("%s/%s.gp", b->plots_dir, figure) : NULL;
    if (rc == 0 && (!script || (k->title && !title) || (k->extra && !extra))) {
        snprintf(err, LAB_ERR_MAX, "out of memory");
        rc = 1;
    }
    if (rc == 0) {
        const char *args[] = {dir, "png", title ? title : info.caption ? info.caption : "",
                              out, extra};
        int nargs = extra ? 5 : 4;
        for (int i = 0; i < nargs; i++) {
            fprintf(b->f, "lab_arg%d = ", i + 1);
            quoted(b->f, args[i]);
            fputc('\n', b->f);
        }
        fputs("call ", b->f);
        quoted(b->f, script);
        for (int i = 0; i < nargs; i++)
            fprintf(b->f, " lab_arg%d", i + 1);
        fputs("\nunset output\nreset session\n", b->f);
        b->n++;
    }
    free(title);
    free(extra);
    free(script);
    plot_info_free(&info);
    return rc;
}

int lab_figs_draw(lab_figs_t *b, const volatile sig_atomic_t *stop, char err[LAB_ERR_MAX])
{
    int rc = 0;
    if (fclose(b->f) != 0) {
        snprintf(err, LAB_ERR_MAX, "%s: cannot write: %s", b->path, strerror(errno));
        rc = 1;
    }
    b->f = NULL;
    if (rc == 0 && b->n) {
        const char *args[] = {b->path};
        /* gnuplot -c DRIVER: the driver's own arguments are none */
        rc = plot_gnuplot(b->path, args, 0, stop);
        if (rc)
            snprintf(err, LAB_ERR_MAX, "drawing the figures failed (above)");
    }
    return rc;
}

void lab_figs_close(lab_figs_t *b)
{
    if (b->f)
        fclose(b->f);
    if (b->path)
        unlink(b->path);
    free(b->path);
    memset(b, 0, sizeof *b);
}
