/* plotprep.h — data for the figures, from a run's CSV files. */
#ifndef GILSIM_PLOTPREP_H
#define GILSIM_PLOTPREP_H

typedef struct plot_info {
    int lanes;                   /* threads + GILs + cores drawn */
    int merged;                  /* short intervals were merged */
    double from, to, end;        /* seconds */
    long rows;
    long latencies;              /* I/O completions followed by Python */
    char caption[300];           /* "config: N threads, C cores, new GIL, switch interval 5 ms" */
} plot_info_t;

/* Writes DIR/timeline.dat and DIR/timeline_lanes.gp from DIR/trace.csv
 * for the window [from, to] seconds (to <= 0: the whole run). */
int    plot_prepare(const char *dir, double from, double to, plot_info_t *info, char *err,
                    int errsize);
double plot_run_end(const char *summary_csv);

/* Renders the figures of a run folder with gnuplot (scripts in plots_dir):
 * the timeline (needs trace.csv) and the thread-load asymmetry.  Returns
 * 0, or 1 with a message on stderr. */
int    plot_render(const char *dir, double from, double to, const char *fmt,
                   const char *plots_dir, int quiet);

#endif
