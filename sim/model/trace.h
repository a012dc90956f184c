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
    /* Other model events for trace.csv: an event loop's tasks, the old
     * GIL's failed wake-ups, stop-the-world pauses (events.def). */
    void (*event)(void *ctx, simtime_t t, const thread_t *th, enum model_event ev,
                  const char *detail);
    /* What the program itself shows: marks (elapsed-time prints), results
     * of futures, exceptions, crashes, process starts (events.def).  task
     * may be NULL. */
    void (*log)(void *ctx, simtime_t t, const thread_t *th, const char *task,
                enum log_kind kind, const char *text);
    /* For trace.json's task tracks (trace.csv shows tasks through
     * `event`): an asyncio task changed state, now k->state (a new task
     * arrives ready); and `to`'s next step follows from `from`'s step (the
     * one running now, or its last): `from` created `to` (why:
     * "create_task"), or `from` ended and `to` gathers it ("gather"). */
    void (*task)(void *ctx, simtime_t t, const task_t *k);
    void (*task_link)(void *ctx, simtime_t t, const task_t *from, const task_t *to,
                      const char *why);
} trace_sink_t;

/* The names trace.csv and log.csv give them (events.def), by id. */
extern const char *const trace_gil_event_names[GE__COUNT];
extern const char *const trace_drop_reason_names[DROP__COUNT];
extern const char *const trace_model_event_names[ME__COUNT];
extern const char *const trace_log_kind_names[LK__COUNT];

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

static inline void trace_event(sim_t *s, const thread_t *th, enum model_event ev,
                               const char *detail)
{
    if (s->trace && s->trace->event)
        s->trace->event(s->trace->ctx, s->eng.now, th, ev, detail);
}

static inline void trace_task(sim_t *s, const task_t *k)
{
    if (s->trace && s->trace->task)
        s->trace->task(s->trace->ctx, s->eng.now, k);
}

static inline void trace_task_link(sim_t *s, const task_t *from, const task_t *to,
                                   const char *why)
{
    if (s->trace && s->trace->task_link)
        s->trace->task_link(s->trace->ctx, s->eng.now, from, to, why);
}

static inline void trace_log(sim_t *s, const thread_t *th, const char *task,
                             enum log_kind kind, const char *text)
{
    if (s->trace && s->trace->log)
        s->trace->log(s->trace->ctx, s->eng.now, th, task, kind, text);
}

#endif
