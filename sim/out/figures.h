/* figures.h — the one table of a run folder's figures.
 *
 * Each figure is a gnuplot script, plots/NAME.gp, started as
 * `gnuplot -c plots/NAME.gp DIR FMT TITLE OUT [EXTRA]` (plotrun.c), that
 * draws DIR/NAME.FMT from data files the plot readers wrote (plottrace.c,
 * plotsum.c).  The renderer draws them in table order and says in one
 * line why one is not drawn, the output folder clears their files before
 * a run (outdir.c), and --format takes the formats below: adding a
 * figure is a script, its data file and a line here.
 *
 * A zoom (gilsim plot DIR --from/--to) draws only the figures made from
 * the trace, as NAME-FROM-TO.FMT from NAME-FROM-TO.dat (figure_file), so
 * the run's own figures stay as they are. */
#ifndef GILSIM_FIGURES_H
#define GILSIM_FIGURES_H

#include <stddef.h>
#include "plotprep.h"

typedef struct figure_kind {
    const char *name;            /* plots/NAME.gp draws DIR/NAME.FMT */
    const char *data[3];         /* the data files it reads (and any an earlier version
                                  * wrote, to clear), NULL-ended */
    const char *meaning;         /* one line: what it shows */
    int from_trace;              /* drawn from trace.csv: needs --trace full; zoomed */
    /* NULL when the run has something to show, else why not (one line). */
    const char *(*skip)(const plot_info_t *info);
    /* ARG3, malloc'd (NULL: the run's caption, summary.csv's config). */
    char *(*title)(const plot_info_t *info);
    /* ARG5, malloc'd, or NULL for none. */
    char *(*extra)(const plot_info_t *info);
    /* What the figure's line says after its path, malloc'd (NULL: nothing). */
    char *(*note)(const plot_info_t *info);
} figure_kind_t;

extern const figure_kind_t figure_kinds[];
extern const size_t figure_kinds_count;

/* "NAME.EXT", or a zoom's "NAME-FROM-TO.EXT"; malloc'd, NULL when out of
 * memory. */
char *figure_file(const char *name, const plot_info_t *info, const char *ext);
/* Whether a file name is a zoom's figure or data file (NAME-...), which
 * a new run into the folder clears with the run's own. */
int   figure_zoom_file(const char *file);

/* Whether a metric can be a numeric column of sweep.csv: summary.csv's
 * numbers but seed and wall_s, and the columns a run names (mark:X,
 * finished:X, jain:X, cv:X). */
int   figure_sweep_metric(const char *metric);
/* Whether a file name is one gilsim sweep --plot writes, sweep-METRIC.EXT
 * (METRIC as figure_sweep_metric takes it, its '/' made '_'), which a new
 * run or sweep into the folder clears; a user's sweep-notes.pdf stays. */
int   figure_sweep_file(const char *file);

/* The formats --format takes, NULL-ended; the first is the default. */
extern const char *const figure_formats[];
int  figure_format_known(const char *fmt);
/* "png, svg or pdf" into buf (cut to n bytes). */
void figure_formats_join(char *buf, size_t n);

#endif
