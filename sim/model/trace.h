/* trace.h — where the model reports what happens.  The model calls the
 * sink; the sink only records (CSV file, nothing, a test's probe...). */
#ifndef GILSIM_TRACE_H
#define GILSIM_TRACE_H

#include "model/model.h"

typedef struct trace_sink {
    void *ctx;
    void (*state)(void *ctx, simtime_t t, const thread_t *th,
                  enum thr_state st, const char *detail);
    void (*gil)(void *ctx, simtime_t t, const thread_t *th,
                enum gil_event ev, const char *detail);
    /* Other model events for trace.csv: task switches on a loop, thread
     * and process starts (event names in README). */
    void (*event)(void *ctx, simtime_t t, const thread_t *th, const char *event,
                  const char *detail);
    /* What the program itself shows: marks (elapsed-time prints), results
     * of futures, exceptions, crashes, task switches.  task may be NULL. */
    void (*log)(void *ctx, simtime_t t, const thread_t *th, const char *task,
                const char *kind, const char *text);
} trace_sink_t;

extern const char *const trace_gil_event_names[];
extern const char *const trace_drop_reason_names[];

static inline void trace_gil(sim_t *s, const thread_t *th, enum gil_event ev,
                             const char *detail)
{
    if (s->trace && s->trace->gil)
        s->trace->gil(s->trace->ctx, s->eng.now, th, ev, detail);
}

static inline void trace_state(sim_t *s, const thread_t *th, enum thr_state st,
                               const char *detail)
{
    if (s->trace && s->trace->state)
        s->trace->state(s->trace->ctx, s->eng.now, th, st, detail);
}

static inline void trace_event(sim_t *s, const thread_t *th, const char *event,
                               const char *detail)
{
    if (s->trace && s->trace->event)
        s->trace->event(s->trace->ctx, s->eng.now, th, event, detail);
}

static inline void trace_log(sim_t *s, const thread_t *th, const char *task,
                             const char *kind, const char *text)
{
    if (s->trace && s->trace->log)
        s->trace->log(s->trace->ctx, s->eng.now, th, task, kind, text);
}

#endif
