/* perfetto.h — the Chrome Trace Event JSON export (trace.json). */
#ifndef GILSIM_PERFETTO_H
#define GILSIM_PERFETTO_H

#include "trace.h"

typedef struct perfetto perfetto_t;

perfetto_t   *perfetto_open(const char *path);
trace_sink_t *perfetto_sink(perfetto_t *p);
/* Closes the slices still open at the run's end; 0 on success. */
int           perfetto_close(perfetto_t *p, const sim_t *s);

#endif
