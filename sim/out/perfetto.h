/* perfetto.h — the Chrome Trace Event JSON export (trace.json). */
#ifndef GILSIM_PERFETTO_H
#define GILSIM_PERFETTO_H

#include "model/trace.h"

typedef struct perfetto perfetto_t;

perfetto_t   *perfetto_open(const char *path);
trace_sink_t *perfetto_sink(perfetto_t *p);
/* 0, or the errno of the first write that failed so far. */
int           perfetto_error(const perfetto_t *p);
/* Closes the slices still open at the run's end and frees p; 0 on
 * success, else the errno of the first failed write. */
int           perfetto_close(perfetto_t *p, const sim_t *s);

#endif
