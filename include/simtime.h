/* simtime.h — gilsim's clock: integer nanoseconds, never floating point. */
#ifndef GILSIM_SIMTIME_H
#define GILSIM_SIMTIME_H

#include <stdint.h>

typedef int64_t simtime_t;            /* nanoseconds since the run started */

#define SIMTIME_NEVER INT64_MAX
#define NS(x)  ((simtime_t)(x))
#define US(x)  ((simtime_t)(x) * 1000)
#define MS(x)  ((simtime_t)(x) * 1000000)
#define SEC(x) ((simtime_t)(x) * 1000000000)

#endif
