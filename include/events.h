/* events.h — the enums of events.def: thread states, GIL events, the
 * reasons for a drop, the other trace events and log.csv's kinds.  Their
 * names, meanings and details are in events.def, the one place they are
 * defined. */
#ifndef GILSIM_EVENTS_H
#define GILSIM_EVENTS_H

/* Thread states.  Every nanosecond of a thread's life is in exactly one. */
enum thr_state {
#define EV_STATE(id, name, meaning, detail) id,
#include "events.def"
    TS__COUNT
};

enum gil_event {
#define EV_GIL(id, name, meaning, detail) id,
#include "events.def"
    GE__COUNT
};

enum drop_reason {
#define EV_DROP(id, name, meaning) id,
#include "events.def"
    DROP__COUNT
};

/* Trace events that are neither a state nor a GIL event: event loops,
 * the old GIL's failed wake-ups, stop-the-world pauses. */
enum model_event {
#define EV_OTHER(id, name, meaning, detail) id,
#include "events.def"
    ME__COUNT
};

/* What a log.csv row shows. */
enum log_kind {
#define EV_LOG(id, name, meaning) id,
#include "events.def"
    LK__COUNT
};

#endif
