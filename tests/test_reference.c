/* test_reference.c — the config reference (`gilsim config-reference`)
 * describes every key the loader takes and no other, each with a type,
 * default, meaning and source; the defaults it reads from the loader are
 * the values a run uses (the effective config of a config that sets
 * nothing); the types are the loader's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "config.h"

static void count_key(void *ctx, const char *section, const char *key, int required)
{
    (void)section;
    (void)key;
    (void)required;
    ++*(int *)ctx;
}

static void test_every_key_described(void **state)
{
    (void)state;
    int keys = 0, i, rc;
    cfg_key_ref_t r;
    cfg_each_key(count_key, &keys);
    for (i = 0; (rc = cfg_key_reference(i, &r)) != -1; i++) {
        if (rc != 0)
            fail_msg("key %d (%s) has no description or type in the reference", i, r.key);
        if (!*r.type || !*r.dflt || !r.meaning || !*r.meaning || !r.source || !*r.source)
            fail_msg("%s: an empty type, default, meaning or source", r.key);
    }
    assert_int_equal(i, keys);
    const char *stray = cfg_key_reference_stray();
    if (stray)
        fail_msg("the reference describes '%s', which the loader does not take", stray);
}

static int ref_of(const char *key, cfg_key_ref_t *r)
{
    for (int i = 0; cfg_key_reference(i, r) != -1; i++)
        if (!strcmp(r->key, key))
            return 0;
    return -1;
}

static void test_types_are_the_loaders(void **state)
{
    (void)state;
    cfg_key_ref_t r;
    static const struct { const char *key, *type; } want[] = {
        {"os.sched_latency", "duration > 0"},
        {"os.timer_slack", "duration"},
        {"os.wake_latency", "duration or distribution"},
        {"os.scheduler", "cfs | rr"},
        {"python.gil", "new | old | none | per-interpreter | io-priority"},
        {"objects[].kind", "lock | event | queue | shared | socketpair | pipe"},
        {"functions.NAME.params.PARAM.type", "duration | count"},
        {"processes", "list of processes"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(ref_of(want[i].key, &r), 0);
        assert_string_equal(r.type, want[i].type);
    }
    assert_int_equal(ref_of("processes", &r), 0);
    assert_true(r.required);
    assert_int_equal(ref_of("os.sched_latency", &r), 0);
    assert_string_equal(r.unit, "ns, us, ms, s");
}

/* The value under "section:" (or at the top level) for key in YAML text
 * as the effective config writes it (text starts with a '\n'), into b;
 * -1: not there.  A section's keys are its indented lines. */
static int effective_value(const char *text, const char *path, char *b, size_t n)
{
    char want[128];
    const char *dot = strchr(path, '.'), *at = text, *end = NULL;
    if (dot) {
        snprintf(want, sizeof want, "\n%.*s:\n", (int)(dot - path), path);
        if (!(at = strstr(text, want)))
            return -1;
        at += strlen(want) - 1;
        for (end = at; end && end[1] == ' ';)
            end = strchr(end + 1, '\n');
        snprintf(want, sizeof want, "\n  %s: ", dot + 1);
    } else
        snprintf(want, sizeof want, "\n%s: ", path);
    const char *hit = strstr(at, want);
    if (!hit || (end && hit >= end))
        return -1;
    hit += strlen(want);
    snprintf(b, n, "%.*s", (int)strcspn(hit, "\n"), hit);
    return 0;
}

static void test_defaults_are_the_runs(void **state)
{
    (void)state;
    char path[] = "/tmp/gilsim-reference-XXXXXX", err[CFG_ERR_MAX] = "", value[128];
    char *text = NULL, *lines;
    int fd = mkstemp(path), checked = 0;
    assert_true(fd >= 0);
    const char *yaml = "processes: [{threads: [{program: [{cpu: 1ms}]}]}]\n";
    assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
    close(fd);
    int rc = cfg_load_effective(path, NULL, 0, &text, err);
    unlink(path);
    if (rc != 0)
        fail_msg("%s", err);
    assert_non_null(lines = malloc(strlen(text) + 2));
    sprintf(lines, "\n%s", text);
    cfg_key_ref_t r;
    for (int i = 0; cfg_key_reference(i, &r) != -1; i++) {
        if (!r.computed)
            continue;
        if (effective_value(lines, r.key, value, sizeof value) != 0)
            fail_msg("%s: not in the effective config", r.key);
        if (strcmp(value, r.dflt) != 0)
            fail_msg("%s: the reference says %s, a run uses %s", r.key, r.dflt, value);
        checked++;
    }
    /* a default given as another key's name ("`os.wake_latency`") is that
     * key's value in a config that sets neither */
    for (int i = 0; cfg_key_reference(i, &r) != -1; i++) {
        char other[96], theirs[128];
        size_t len = strlen(r.dflt);
        if (r.computed || len < 3 || r.dflt[0] != '`' || r.dflt[len - 1] != '`' ||
            strchr(r.key, '['))
            continue;
        snprintf(other, sizeof other, "%.*s", (int)(len - 2), r.dflt + 1);
        if (effective_value(lines, r.key, value, sizeof value) != 0 ||
            effective_value(lines, other, theirs, sizeof theirs) != 0)
            fail_msg("%s or %s: not in the effective config", r.key, other);
        if (strcmp(value, theirs) != 0)
            fail_msg("%s: the reference says %s's value (%s), a run uses %s", r.key, other,
                     theirs, value);
        checked++;
    }
    free(text);
    free(lines);
    assert_true(checked > 42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_described),
        cmocka_unit_test(test_types_are_the_loaders),
        cmocka_unit_test(test_defaults_are_the_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
