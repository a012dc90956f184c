/* sweep_points.h — a sweep spread over machines by existing engines:
 * each run, a "point", is one self-contained command (gilsim sweep ...
 * --point N) that writes DIR/points/N.csv, a one-row sweep table.
 * --emit-jobs writes those commands for GNU parallel, --emit-slurm a
 * Slurm job array script, both with DIR/points/index.csv (each point's
 * values); --collect merges the points into DIR/sweep.csv. */
#ifndef GILSIM_SWEEP_POINTS_H
#define GILSIM_SWEEP_POINTS_H

#include "sweep.h"

#define POINTS_FOLDER "points"
#define POINTS_INDEX "index.csv"     /* COL_FILE_POINTS_INDEX in the folder */

/* "DIR/points/N.csv" (suffix: "" or ".part"), malloc'd; NULL out of memory. */
char *sweep_point_path(const char *dir, long n, const char *suffix);
/* Writes o->emit_jobs and/or o->emit_slurm and DIR/points/index.csv for
 * the total runs of o; 0 or an exit status (said). */
int  sweep_emit(const sweep_opts_t *o, long total, const char *dir);
/* Merges o->collect's points into its sweep.csv; 0 or an exit status
 * (said): 1 when points are missing (listed), 2 when a file is not one
 * of this sweep's. */
int  sweep_collect(const sweep_opts_t *o);

#endif
