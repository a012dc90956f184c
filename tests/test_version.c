/* test_version.c — python.version follows from what a config uses: the
 * version nearest 3.11 that has python.gil and every construct of the
 * programs; no such version is an error at python.gil naming the
 * construct; a version given that lacks a construct is an error at the
 * construct; messages never claim a version the config does not say. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "testlib.h"
#include "configlib.h"

#define CPU_ONLY "processes:\n  - threads:\n      - program: [cpu: 1ms]\n"
#define ASYNCIO "functions:\n  co: {async: true, body: [{await: {sleep: 1ms}}]}\n" \
                "processes:\n  - main: [{asyncio_run: co}]\n"
#define TO_THREAD "functions:\n  f: {body: [{cpu: 1ms}]}\n" \
                  "  co: {async: true, body: [{await: {to_thread: f}}]}\n" \
                  "processes:\n  - main: [{asyncio_run: co}]\n"
#define INTERP_POOL "functions:\n  f: {body: [{cpu: 1ms}]}\n" \
                    "processes:\n  - main: [{with_pool: interpreter, do: [{submit: f}]}]\n"
#define THREAD_POOL "functions:\n  f: {body: [{cpu: 1ms}]}\n" \
                    "processes:\n  - main: [{with_pool: thread, do: [{submit: f}]}]\n"

/* The version each combination implies, and how the summary says so. */
static void test_implied_version_fits_every_construct(void **state)
{
    static const struct { const char *yaml; int version; const char *why; } cases[] = {
        { CPU_ONLY, 311, "the default" },
        { "python: {gil: old}\n" CPU_ONLY, 301, "implied by python.gil: old" },
        { "python: {gil: per-interpreter}\n" CPU_ONLY, 312,
          "implied by python.gil: per-interpreter" },
        { "python: {gil: per-interpreter}\n" INTERP_POOL, 314,
          "implied by python.gil: per-interpreter and with_pool: interpreter "
          "(InterpreterPoolExecutor) at line 5" },
        { INTERP_POOL, 314, "implied by with_pool: interpreter (InterpreterPoolExecutor) at line 4" },
        { "python: {gil: none}\n" INTERP_POOL, 314, NULL },
        { "python: {gil: none}\n" TO_THREAD, 313, "implied by python.gil: none" },
        { TO_THREAD, 311, "the default" },
        { "python: {version: \"3.9\"}\n" TO_THREAD, 309, "" },
        { "python: {gil: old}\nmultiprocessing: {start_method: fork}\n" CPU_ONLY, 301,
          "implied by python.gil: old" },
    };
    config_t c;
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        load_ok(cases[i].yaml, NULL, 0, &c);
        if (c.python.version != cases[i].version)
            fail_msg("case %zu: version %d, expected %d", i, c.python.version, cases[i].version);
        if (cases[i].why && strcmp(c.python.version_implied, cases[i].why))
            fail_msg("case %zu: implied '%s', expected '%s'", i, c.python.version_implied,
                     cases[i].why);
        cfg_free(&c);
    }
}

/* python.gil alone and a construct its versions lack: an error at
 * python.gil (the file's place, or the --set) naming the construct and
 * its line, and saying to set python.version. */
static void test_no_version_has_both(void **state)
{
    char *old_set[] = { "python.gil=old" };
    (void)state;
    load_fails("python: {gil: old}\n" ASYNCIO, NULL, 0,
               "test.yaml:1:15: python.gil: old exists in 2.x, 3.0 and 3.1 (3.2 brought the "
               "new GIL), but asyncio_run (asyncio.run) (at 5:12) needs 3.7 or later (What's "
               "New in Python 3.7): no Python has both; set python.version");
    load_fails("python: {gil: old}\n" THREAD_POOL, NULL, 0,
               "but concurrent.futures (with_pool, submit, map, as_completed) (at 5:12) needs "
               "3.2 or later (PEP 3148)");
    load_fails(ASYNCIO, old_set, 1, "--set 'python.gil=old': python.gil: old exists in");
    load_fails("python: {gil: old}\n"
               "functions:\n  co: {async: true, body: [{await: {sleep: 1ms}}]}\n" CPU_ONLY,
               NULL, 0, "await (the async/await syntax) (at 3:28) needs 3.5 or later (PEP 492)");
    /* a later check on the version names how it was chosen, not "this config says" */
    load_fails("python: {gil: old, specialize: true}\n" CPU_ONLY, NULL, 0,
               "test.yaml:1:32: python.specialize: Python 3.1 (implied by python.gil: old) has "
               "no specialising adaptive interpreter (PEP 659 came with 3.11): choose a "
               "python.gil that 3.11 or later has, or leave python.specialize out");
}

/* python.version given and a construct that came later: an error at the
 * construct naming the version's own place; never "this config says"
 * of a version it does not say. */
static void test_given_version_lacks_a_construct(void **state)
{
    char *v38[] = { "python.version=3.8" };
    (void)state;
    load_fails("python: {version: \"3.8\"}\n" TO_THREAD, NULL, 0,
               "test.yaml:4:28: await to_thread (asyncio.to_thread) needs python.version "
               "\"3.9\" or later (What's New in Python 3.9); python.version is \"3.8\" (at "
               "1:19)");
    load_fails(TO_THREAD, v38, 1, "python.version is \"3.8\" (at a --set)");
    load_fails("python: {version: \"3.13\"}\n" INTERP_POOL, NULL, 0,
               "test.yaml:5:12: with_pool: interpreter (InterpreterPoolExecutor) needs "
               "python.version \"3.14\" or later");
    load_fails("python: {version: \"3.6\"}\n" ASYNCIO, NULL, 0,
               "asyncio_run (asyncio.run) needs python.version \"3.7\"");
    load_fails("python: {version: \"2.7\"}\n" THREAD_POOL, NULL, 0,
               "concurrent.futures (with_pool, submit, map, as_completed) needs python.version "
               "\"3.2\"");
    /* before set_start_method (3.4) multiprocessing forked on POSIX */
    load_fails("python: {version: \"3.3\"}\nmultiprocessing: {start_method: spawn}\n" CPU_ONLY,
               NULL, 0, "test.yaml:2:33: multiprocessing.start_method other than fork "
               "(multiprocessing.set_start_method) needs python.version \"3.4\" or later "
               "(What's New in Python 3.4); python.version is \"3.3\" (at 1:19)");
    load_fails("python: {gil: old}\nmultiprocessing: {start_method: spawn}\n" CPU_ONLY,
               NULL, 0, "test.yaml:1:15: python.gil: old exists in 2.x, 3.0 and 3.1 (3.2 "
               "brought the new GIL), but multiprocessing.start_method other than fork "
               "(multiprocessing.set_start_method) (at 2:33) needs 3.4 or later");
    char *spawn[] = { "multiprocessing.start_method=spawn" };
    load_fails("python: {version: \"3.3\"}\n" CPU_ONLY, spawn, 1,
               "--set 'multiprocessing.start_method=spawn': multiprocessing.start_method other "
               "than fork (multiprocessing.set_start_method) needs python.version \"3.4\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_implied_version_fits_every_construct),
        cmocka_unit_test(test_no_version_has_both),
        cmocka_unit_test(test_given_version_lacks_a_construct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
