/* configlib.h — loading a config from text in the config suites: it must
 * load, or fail with an error containing a given text and leave the
 * config zeroed.  Include after <cmocka.h> and its prerequisites. */
#ifndef GILSIM_CONFIGLIB_H
#define GILSIM_CONFIGLIB_H

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

#endif
