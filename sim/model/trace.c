/* trace.c — the names the trace gives what the model reports (trace.h),
 * expanded from events.def: the model names a drop's reason in its GIL
 * event, and the writers name every event and log kind with them. */
#include "model/trace.h"

const char *const trace_gil_event_names[GE__COUNT] = {
#define EV_GIL(id, name, meaning, detail) [id] = name,
#include "events.def"
};

const char *const trace_drop_reason_names[DROP__COUNT] = {
#define EV_DROP(id, name, meaning) [id] = name,
#include "events.def"
};

const char *const trace_model_event_names[ME__COUNT] = {
#define EV_OTHER(id, name, meaning, detail) [id] = name,
#include "events.def"
};

const char *const trace_log_kind_names[LK__COUNT] = {
#define EV_LOG(id, name, meaning) [id] = name,
#include "events.def"
};
