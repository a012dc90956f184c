/* figures.h — the one table of a run folder's figures.
 *
 * Each figure is a gnuplot script, plots/NAME.gp, started as
 * `gnuplot -c plots/NAME.gp DIR FMT TITLE OUT [EXTRA]` (plotrun.c), that
 * draws DIR/NAME.FMT from data files the plot readers wrote (plotprep.c,
 * plotsum.c).  The renderer draws them in table order, the output folder
 * clears their files before a run (outdir.c), and --format takes the
 * formats below: adding a figure is a script, its data file and a line
 * here. */
#ifndef GILSIM_FIGURES_H
#define GILSIM_FIGURES_H

#include <stddef.h>
#include "plotprep.h"

typedef struct figure_kind {
    const char *name;            /* plots/NAME.gp draws DIR/NAME.FMT */
    const char *data[3];         /* the data files it reads, NULL-ended */
    const char *meaning;         /* one line: what it shows */
    /* Whether the run has anything to show (NULL: always). */
    int (*wanted)(const plot_info_t *info);
    /* ARG3, malloc'd (NULL: the run's caption, summary.csv's config). */
    char *(*title)(const plot_info_t *info);
    /* ARG5, or NULL for none. */
    const char *(*extra)(const plot_info_t *info);
    /* What the figure's line says after its path, malloc'd (NULL: nothing). */
    char *(*note)(const plot_info_t *info);
} figure_kind_t;

extern const figure_kind_t figure_kinds[];
extern const size_t figure_kinds_count;

/* The formats --format takes, NULL-ended; the first is the default. */
extern const char *const figure_formats[];
int  figure_format_known(const char *fmt);
/* "png, svg or pdf" into buf (cut to n bytes). */
void figure_formats_join(char *buf, size_t n);

#endif
