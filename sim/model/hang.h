/* hang.h — what each thread of a hung program waits for. */
#ifndef GILSIM_HANG_H
#define GILSIM_HANG_H

#include <stddef.h>
#include "model/model.h"

/* Room for a description: it quotes at most two names, each at most
 * NAME_MAX_BYTES and a counter long. */
#define HANG_TEXT_MAX (4 * NAME_MAX_BYTES + 64)

/* What thread t, blocked for ever, waits for, into buf: e.g. "lock b,
 * held by t1", "event done, never set", "thread t2 to end (join)". */
void hang_describe(const sim_t *s, const thread_t *t, char *buf, size_t size);
/* The program hangs: one log row (kind deadlock) per thread not done,
 * saying what it waits for. */
void hang_report(sim_t *s);

#endif
