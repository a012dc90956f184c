/* trace_level.h — how much of a run goes to its output folder (--trace). */
#ifndef GILSIM_TRACE_LEVEL_H
#define GILSIM_TRACE_LEVEL_H

/* full: trace.csv, log.csv, threads.csv, summary.csv; summary: all but
 * trace.csv; none: no files. */
enum trace_level { TRACE_NONE, TRACE_SUMMARY, TRACE_FULL };

#endif
