/* configlib.h — loading a config from text in the config suites: it must
 * load, or fail with an error containing a given text and leave the
 * config zeroed.  Include after <cmocka.h> and its prerequisites. */
#ifndef GILSIM_CONFIGLIB_H
#define GILSIM_CONFIGLIB_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"

/* The least config that loads: one thread, one millisecond of work. */
#define MINIMAL "processes:\n  - threads:\n      - program: [cpu: 1ms]\n"

static inline void load_ok(const char *yaml, char *const *sets, int nsets, config_t *c)
{
    char err[CFG_ERR_MAX] = "";
    if (cfg_load_string("test.yaml", yaml, sets, nsets, c, err) != 0)
        fail_msg("unexpected config error: %s", err);
}

static inline int is_zeroed(const config_t *c)
{
    static const config_t zero;
    return memcmp(c, &zero, sizeof zero) == 0;
}

/* Loads yaml expecting failure, and checks err contains want. */
static inline void load_fails(const char *yaml, char *const *sets, int nsets, const char *want)
{
    config_t c;
    char err[CFG_ERR_MAX] = "";
    int rc = cfg_load_string("test.yaml", yaml, sets, nsets, &c, err);
    if (rc != -1) {
        if (rc == 0) cfg_free(&c);
        fail_msg("expected an error containing \"%s\", got rc %d", want, rc);
    }
    if (!strstr(err, want))
        fail_msg("error \"%s\"\n  does not contain \"%s\"", err, want);
    assert_true(is_zeroed(&c));
}

/* Loads every step-th cut of text, then 3000 copies of it with 1 to 4
 * bytes changed to bytes of flips (at places drawn from seed by
 * xorshift): each must load or fail with an error that names where
 * ("fuzz:..."), never crash. */
static inline void load_mutants(const char *text, size_t step, uint64_t seed, const char *flips)
{
    size_t len = strlen(text), nflips = strlen(flips);
    char *buf = malloc(len + 1);
    uint64_t x = seed;
    assert_non_null(buf);
    for (size_t cut = 0; cut <= len; cut += step) {
        config_t c;
        char err[CFG_ERR_MAX] = "";
        memcpy(buf, text, cut);
        buf[cut] = 0;
        if (cfg_load_string("fuzz", buf, NULL, 0, &c, err) == 0) cfg_free(&c);
        else if (strncmp(err, "fuzz:", 5) != 0) fail_msg("cut %zu: unlocated error \"%s\"", cut, err);
    }
    for (int round = 0; round < 3000; round++) {
        config_t c;
        char err[CFG_ERR_MAX] = "";
        memcpy(buf, text, len + 1);
        for (int k = 0; k < 1 + round % 4; k++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            buf[x % len] = flips[(x >> 32) % nflips];
        }
        if (cfg_load_string("fuzz", buf, NULL, 0, &c, err) == 0) cfg_free(&c);
        else if (strncmp(err, "fuzz:", 5) != 0) fail_msg("round %d: unlocated error \"%s\"", round, err);
    }
    free(buf);
}

#endif
