/* lab_figs.h — figures of many run folders drawn by one gnuplot: each
 * added figure is a line of a driver script; lab_figs_draw runs it. */
#ifndef GILSIM_LAB_FIGS_H
#define GILSIM_LAB_FIGS_H

#include <signal.h>
#include <stdio.h>
#include "lab/lab.h"
#include "out/figures.h"
#include "plotprep.h"

typedef struct lab_figs {
    FILE *f;                     /* the driver being written */
    char *path;
    const char *plots_dir;       /* the folder of the NAME.gp scripts */
    int n;                       /* figures in it */
} lab_figs_t;

/* The figure of figures.h called name, or NULL. */
const figure_kind_t *lab_figure_kind(const char *name);
/* Starts a driver at path (a new file).  0, or a status with err. */
int  lab_figs_open(lab_figs_t *b, const char *path, const char *plots_dir,
                   char err[LAB_ERR_MAX]);
/* Prepares run folder dir's data (as gilsim plot does) and adds the
 * figure (a name of figures.h) drawn as PNG into out.  0, or a status
 * with err (2: the figure has nothing to show for this run). */
int  lab_figs_add(lab_figs_t *b, const char *dir, const char *figure, const char *out,
                  char err[LAB_ERR_MAX]);
/* Runs gnuplot once on the driver.  0, or a status with err. */
int  lab_figs_draw(lab_figs_t *b, const volatile sig_atomic_t *stop, char err[LAB_ERR_MAX]);
/* Removes the driver. */
void lab_figs_close(lab_figs_t *b);

#endif
