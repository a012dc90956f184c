/* rng.c — xoshiro256** seeded by splitmix64, and the config distributions.
 *
 * xoshiro256** (Blackman & Vigna) is small, fast and has no bad seeds once
 * the state is filled by splitmix64; its output is identical on every
 * platform, which is what byte-identical traces need. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "rng.h"

#define TAU 6.283185307179586476925

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void rng_seed(rng_t *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double rng_unit(rng_t *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Standard normal by Box–Muller; the second value is dropped so that the
 * number of draws per call is fixed (simpler reasoning about determinism). */
static double std_normal(rng_t *r)
{
    double u1 = 1.0 - rng_unit(r);          /* (0, 1]: log is finite */
    double u2 = rng_unit(r);
    return sqrt(-2.0 * log(u1)) * cos(TAU * u2);
}

/* A draw clamped to [0, SIMTIME_MAX_DURATION]: a normal can fall below 0,
 * and a lognormal's or an exponential's tail far beyond what the clock can
 * add up (simtime.h). */
static simtime_t to_ns(double x)
{
    if (!(x > 0)) return 0;                 /* also catches NaN */
    if (x >= (double)SIMTIME_MAX_DURATION) return SIMTIME_MAX_DURATION;
    return (simtime_t)llround(x);
}

simtime_t dist_draw(const dist_t *d, rng_t *r)
{
    switch (d->kind) {
    case DIST_CONST:
        return d->a;
    case DIST_EXP:
        return to_ns(-(double)d->a * log(1.0 - rng_unit(r)));
    case DIST_UNIFORM: {
        /* a wide range rounds in double: never past b */
        simtime_t x = d->a + (simtime_t)(rng_unit(r) * (double)(d->b - d->a + 1));
        return x > d->b ? d->b : x;
    }
    case DIST_NORMAL:
        return to_ns((double)d->a + (double)d->b * std_normal(r));
    case DIST_LOGNORMAL:
        return to_ns((double)d->a * exp(d->sigma * std_normal(r)));
    }
    return 0;
}

simtime_t dist_mean(const dist_t *d)
{
    switch (d->kind) {
    case DIST_CONST:
    case DIST_EXP:
    case DIST_NORMAL:
        return d->a;
    case DIST_UNIFORM:
        return (d->a + d->b) / 2;
    case DIST_LOGNORMAL:
        return to_ns((double)d->a * exp(d->sigma * d->sigma / 2));
    }
    return 0;
}

int dist_is_random(const dist_t *d)
{
    return d->kind != DIST_CONST;
}

void dist_time_format(simtime_t t, char *buf, int size)
{
    static const struct { const char *unit; simtime_t ns; } units[] = {
        {"s", SEC(1)}, {"ms", MS(1)}, {"us", US(1)},
    };
    for (unsigned i = 0; i < sizeof units / sizeof units[0]; i++)
        if (t != 0 && t % units[i].ns == 0) {
            snprintf(buf, size, "%lld%s", (long long)(t / units[i].ns), units[i].unit);
            return;
        }
    snprintf(buf, size, "%lldns", (long long)t);
}

void dist_real_format(double v, char *buf, int size)
{
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

void dist_format(const dist_t *d, char *buf, int size)
{
    char a[32], b[32], sigma[32];
    dist_time_format(d->a, a, sizeof a);
    dist_time_format(d->b, b, sizeof b);
    dist_real_format(d->sigma, sigma, sizeof sigma);
    switch (d->kind) {
    case DIST_CONST:     snprintf(buf, size, "%s", a); break;
    case DIST_EXP:       snprintf(buf, size, "exp(%s)", a); break;
    case DIST_UNIFORM:   snprintf(buf, size, "uniform(%s, %s)", a, b); break;
    case DIST_NORMAL:    snprintf(buf, size, "normal(%s, %s)", a, b); break;
    case DIST_LOGNORMAL: snprintf(buf, size, "lognormal(%s, %s)", a, sigma); break;
    }
}
