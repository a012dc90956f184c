/* hold.c — the event queue alone, in the classic hold model: N pending
 * events; each step pops the earliest and pushes one at now + exp(mean).
 * Prints "N ns_per_hold" for each N.  Part of `make bench`, not of the tests. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "engine/engine.h"
#include "rng.h"

static rng_t rng;
static engine_t eng;

/* Exponential increments (mean 1 us), drawn beforehand: the benchmark
 * times the queue, not libm. */
#define NINC 1024
static simtime_t inc[NINC];
static unsigned next_inc;

static void again(void *obj, uint64_t arg)
{
    (void)obj;
    eng_after(&eng, inc[next_inc++ & (NINC - 1)], again, NULL, arg);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(void)
{
    static const long sizes[] = {10, 1000, 100000};
    printf("n,ns_per_hold\n");
    for (int i = 0; i < 3; i++) {
        long n = sizes[i], holds = 20000000;
        eng_init(&eng);
        rng_seed(&rng, 1);
        for (int k = 0; k < NINC; k++)
            inc[k] = (simtime_t)(-1000.0 * log(1.0 - rng_unit(&rng))) + 1;
        for (long k = 0; k < n; k++)
            eng_at(&eng, (simtime_t)(rng_next(&rng) % 1000000), again, NULL, 0);
        for (long k = 0; k < n * 2; k++)        /* warm up: reach the steady state */
            eng_step(&eng);
        double t0 = now_s();
        for (long k = 0; k < holds; k++)
            eng_step(&eng);
        double dt = now_s() - t0;
        printf("%ld,%.2f\n", n, dt / (double)holds * 1e9);
        eng_free(&eng);
    }
    return 0;
}
