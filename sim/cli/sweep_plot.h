/* sweep_plot.h — a sweep's figure: one metric against one varied key. */
#ifndef GILSIM_SWEEP_PLOT_H
#define GILSIM_SWEEP_PLOT_H

#include <signal.h>

typedef struct sweep_plot {
    const char *dir;             /* holds sweep_summary.csv; the figure goes here */
    char *const *keys;           /* the --vary keys, in sweep_summary.csv's order */
    int naxes;
    const char *metric;          /* a numeric column of sweep.csv */
    const char *xkey;            /* the key along x (NULL: the first) */
    const char *plots_dir, *format;
    int quiet;
    const volatile sig_atomic_t *stop;
} sweep_plot_t;

/* Draws DIR/sweep-METRIC.FMT (and its data, DIR/sweep-METRIC.dat) with
 * plots/sweep.gp; 0, or an exit status (said): 2 when METRIC or the key
 * is not the sweep's. */
int sweep_plot(const sweep_plot_t *o);

#endif
