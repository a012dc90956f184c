/* simtime.h — gilsim's clock: integer nanoseconds, never floating point.
 *
 * Every duration a config can give is at most SIMTIME_MAX_DURATION (10^18
 * ns, about 31.7 years; the loader rejects more).  That is far beyond any
 * useful run, yet eight of them still add up without wrapping int64.  The
 * model computes times from durations, counts and factors only through
 * the saturating helpers below, so a sum or product that would leave the
 * range sticks at SIMTIME_NEVER instead: an event that far away simply
 * never happens within the run. */
#ifndef GILSIM_SIMTIME_H
#define GILSIM_SIMTIME_H

#include <stdint.h>

typedef int64_t simtime_t;            /* nanoseconds since the run started */

#define SIMTIME_NEVER INT64_MAX
#define NS(x)  ((simtime_t)(x))
#define US(x)  ((simtime_t)(x) * 1000)
#define MS(x)  ((simtime_t)(x) * 1000000)
#define SEC(x) ((simtime_t)(x) * 1000000000)

#define SIMTIME_MAX_DURATION SEC(1000000000)   /* 10^18 ns */
#define SIMTIME_MAX_TEXT "1000000000s"          /* ... as a config writes it */

/* a + b, stuck at SIMTIME_NEVER (or INT64_MIN) instead of wrapping. */
static inline simtime_t st_add(simtime_t a, simtime_t b)
{
    simtime_t r;
    if (__builtin_add_overflow(a, b, &r))
        return a > 0 ? SIMTIME_NEVER : INT64_MIN;
    return r;
}

/* a * n (a count of something that lasts a), saturating likewise. */
static inline simtime_t st_mul(simtime_t a, int64_t n)
{
    simtime_t r;
    if (__builtin_mul_overflow(a, n, &r))
        return (a < 0) != (n < 0) ? INT64_MIN : SIMTIME_NEVER;
    return r;
}

/* x truncated to nanoseconds, as a cast would, but defined for every
 * double: casting one at or beyond 2^63 (or a NaN) is undefined. */
static inline simtime_t st_from_double(double x)
{
    if (x != x)
        return 0;
    if (x >= 0x1p63)
        return SIMTIME_NEVER;
    if (x <= -0x1p63)
        return INT64_MIN;
    return (simtime_t)x;
}

/* a scaled by factor f (a slowdown), truncated like (simtime_t)(a * f). */
static inline simtime_t st_scale(simtime_t a, double f)
{
    return st_from_double((double)a * f);
}

#endif
