/* sweep_aggregate.h — a sweep's table summed up over its seeds. */
#ifndef GILSIM_SWEEP_AGGREGATE_H
#define GILSIM_SWEEP_AGGREGATE_H

/* Writes DIR/sweep_summary.csv from DIR/sweep.csv, whose columns 2 to
 * naxes + 1 are the varied keys: one row per combination, the mean and
 * 95 % confidence interval of each numeric column over its runs.  0, or
 * an exit status (said). */
int sweep_aggregate(const char *dir, int naxes);

#endif
