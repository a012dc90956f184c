/* rng.h — seeded random numbers and the duration distributions of configs.
 * Every random draw in gilsim goes through one rng_t, so a run is a pure
 * function of (config, seed). */
#ifndef GILSIM_RNG_H
#define GILSIM_RNG_H

#include <stdint.h>
#include "simtime.h"

typedef struct rng { uint64_t s[4]; } rng_t;     /* xoshiro256** state */

void     rng_seed(rng_t *r, uint64_t seed);
uint64_t rng_next(rng_t *r);
double   rng_unit(rng_t *r);                     /* uniform in [0, 1) */

enum dist_kind {
    DIST_CONST,       /* a: the value */
    DIST_EXP,         /* a: mean */
    DIST_UNIFORM,     /* [a, b] */
    DIST_NORMAL,      /* a: mean, b: standard deviation; truncated at 0 */
    DIST_LOGNORMAL,   /* a: median, sigma: shape (log-space sd) */
};

typedef struct dist {
    enum dist_kind kind;
    simtime_t a, b;
    double sigma;
} dist_t;

simtime_t dist_draw(const dist_t *d, rng_t *r);  /* always >= 0 */
simtime_t dist_mean(const dist_t *d);            /* for docs and summaries */
int       dist_is_random(const dist_t *d);
/* Writes the config syntax of d ("15ms", "exp(5ms)") into buf: times in
 * their largest exact unit (dist_time_format: "15ms", "1750ns"), a
 * lognormal's sigma as the shortest decimal that reads back as itself
 * (dist_real_format), so that loading the text gives d again. */
void      dist_format(const dist_t *d, char *buf, int size);
void      dist_time_format(simtime_t t, char *buf, int size);
void      dist_real_format(double v, char *buf, int size);

#endif
