/* test_effective.c — a config's hash (config_t.hash, summary.csv's
 * config_hash) is that of its effective config: the same for the same
 * settings however they are written (layout, quoting, comments, a default
 * given or left out, a --set or the file), different when a setting,
 * an op or a name differs; and summary.csv and sweep.csv name the config
 * and the gilsim that ran it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "clilib.h"
#include "configlib.h"

static char tmpdir[256];

static uint64_t hash_of(const char *yaml, char *const *sets, int nsets)
{
    config_t c;
    load_ok(yaml, sets, nsets, &c);
    uint64_t h = c.hash;
    cfg_free(&c);
    return h;
}

#define BASE "name: t\nprocesses: [{threads: [{count: 2, program: [{cpu: 1ms}]}]}]\n"

static void test_same_settings_same_hash(void **state)
{
    (void)state;
    uint64_t h = hash_of(BASE, NULL, 0);
    /* block style, quotes and a comment */
    assert_true(hash_of("# a comment\nname: \"t\"\nprocesses:\n  - threads:\n"
                        "      - count: 2\n        program:\n          - cpu: '1ms'\n",
                        NULL, 0) == h);
    /* a default written out, in another unit */
    assert_true(hash_of("python: {switch_interval: 15000us}\n" BASE, NULL, 0) == h);
    char *set[] = {"python.switch_interval=15ms"};
    assert_true(hash_of(BASE, set, 1) == h);
}

static void test_different_settings_differ(void **state)
{
    (void)state;
    uint64_t h = hash_of(BASE, NULL, 0);
    char *set[] = {"python.switch_interval=5ms"};
    assert_true(hash_of(BASE, set, 1) != h);
    assert_true(hash_of("python: {switch_interval: 5ms}\n" BASE, NULL, 0) ==
                hash_of(BASE, set, 1));
    assert_true(hash_of("name: u\nprocesses: [{threads: [{count: 2, program: [{cpu: 1ms}]}]}]\n",
                        NULL, 0) != h);
    assert_true(hash_of("name: t\nprocesses: [{threads: [{count: 3, program: [{cpu: 1ms}]}]}]\n",
                        NULL, 0) != h);
    assert_true(hash_of("name: t\nprocesses: [{threads: [{count: 2, program: [{cpu: 2ms}]}]}]\n",
                        NULL, 0) != h);
    /* a value moved from one key to the next is not the same tree */
    assert_true(hash_of("name: t\nprocesses: [{threads: [{count: 2, program: [{cpu: 1ms}, "
                        "{cpu: 1ms}]}]}]\n", NULL, 0) !=
                hash_of("name: t\nprocesses: [{threads: [{count: 2, program: [{cpu: 1ms}]}, "
                        "{count: 2, program: [{cpu: 1ms}]}]}]\n", NULL, 0));
    /* the version the run models is part of it, chosen or implied */
    char *ver[] = {"python.version=3.12"};
    assert_true(hash_of(BASE, ver, 1) != h);
}

/* summary.csv's config_hash is the loaded config's, the same for the file
 * and the effective config --print-config writes of it; gilsim_version is
 * what --version says; each row of a sweep names its own config. */
static void test_runs_name_their_config(void **state)
{
    (void)state;
    char args[1024], path[600], *version = NULL;
    config_t c;
    char err[CFG_ERR_MAX];
    assert_int_equal(cfg_load("configs/default.yaml", NULL, 0, &c, err), 0);
    char want[17];
    snprintf(want, sizeof want, "%016llx", (unsigned long long)c.hash);
    cfg_free(&c);
    assert_int_equal(gilsim_cmd(tmpdir, "--version", &version, NULL), 0);
    version[strcspn(version, "\n")] = '\0';
    snprintf(args, sizeof args, "run configs/default.yaml -q --trace summary --set duration=50ms "
             "-o '%s/a'", tmpdir);
    assert_int_equal(gilsim_cmd(tmpdir, args, NULL, NULL), 0);
    snprintf(args, sizeof args, "run configs/default.yaml --print-config --set duration=50ms "
             ">'%s/eff.yaml' && %s run '%s/eff.yaml' -q --trace summary -o '%s/b'", tmpdir,
             gilsim_bin(), tmpdir, tmpdir);
    assert_int_equal(gilsim_cmd(tmpdir, args, NULL, NULL), 0);
    snprintf(path, sizeof path, "%s/a/summary.csv", tmpdir);
    table_t a = read_csv(path);
    snprintf(path, sizeof path, "%s/b/summary.csv", tmpdir);
    table_t b = read_csv(path);
    assert_string_equal(cell(&a, 1, "gilsim_version"), version + strlen("gilsim "));
    assert_string_equal(cell(&a, 1, "config_hash"), cell(&b, 1, "config_hash"));
    assert_string_not_equal(cell(&a, 1, "config_hash"), want);     /* duration differs */
    snprintf(args, sizeof args, "sweep configs/default.yaml -q --set duration=50ms --vary "
             "python.switch_interval=15ms,5ms --jobs 1 -o '%s/s'", tmpdir);
    assert_int_equal(gilsim_cmd(tmpdir, args, NULL, NULL), 0);
    snprintf(path, sizeof path, "%s/s/sweep.csv", tmpdir);
    table_t sw = read_csv(path);
    assert_string_equal(cell(&sw, 1, "config_hash"), cell(&a, 1, "config_hash"));
    assert_string_not_equal(cell(&sw, 2, "config_hash"), cell(&a, 1, "config_hash"));
    assert_string_equal(cell(&sw, 2, "gilsim_version"), version + strlen("gilsim "));
    table_free(&a);
    table_free(&b);
    table_free(&sw);
    free(version);
}

static int setup(void **state)
{
    (void)state;
    return tmp_make(tmpdir, sizeof tmpdir, "effective");
}

static int teardown(void **state)
{
    (void)state;
    return tmp_remove(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_settings_same_hash),
        cmocka_unit_test(test_different_settings_differ),
        cmocka_unit_test(test_runs_name_their_config),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
