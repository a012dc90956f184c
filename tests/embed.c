/* embed.c — gilsim as a library, through the public API alone.
 *
 * Built with -Iinclude and nothing of sim/ (see the Makefile), so it fails
 * to compile as soon as a public header needs an internal one, or a
 * program needs the model's structures to load, run and measure a config.
 * It runs the shape of the notes' first experiment: two CPU-bound threads
 * sharing one GIL on two cores, and one process per worker beside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "config.h"
#include "sim.h"
#include "stats.h"

static const char threads_yaml[] =
    "machine: {cores: 2}\n"
    "processes:\n"
    "  - name: app\n"
    "    threads:\n"
    "      - name: worker\n"
    "        count: 2\n"
    "        program:\n"
    "          - repeat: 1000\n"
    "            do: [cpu: 100us]\n";

static const char processes_yaml[] =
    "machine: {cores: 2}\n"
    "processes:\n"
    "  - name: app\n"
    "    count: 2\n"
    "    threads:\n"
    "      - name: worker\n"
    "        program:\n"
    "          - repeat: 1000\n"
    "            do: [cpu: 100us]\n";

/* Loads and runs text; returns its statistics (stats_free them). */
static run_stats_t run_text(const char *name, const char *text)
{
    config_t cfg;
    char err[CFG_ERR_MAX];
    if (cfg_load_string(name, text, NULL, 0, &cfg, err) != 0)
        fail_msg("%s", err);
    int status = -1;
    sim_opts_t opts = {.check_invariants = 1};
    sim_t *s = sim_new(&cfg, &opts, &status);
    assert_non_null(s);
    assert_int_equal(status, SIM_OK);
    assert_int_equal(sim_run(s), SIM_OK);
    assert_null(sim_violation(s));
    run_stats_t st;
    assert_int_equal(stats_compute(s, 0.0, &st), 0);
    assert_int_equal(st.makespan, sim_now(s));
    sim_delete(s);
    cfg_free(&cfg);
    return st;
}

/* One GIL: the two threads' 200 ms of work take turns, so the run takes at
 * least their sum; two processes run side by side in about half. */
static void test_gil_serialises_threads_not_processes(void **state)
{
    (void)state;
    run_stats_t th = run_text("threads.yaml", threads_yaml);
    run_stats_t pr = run_text("processes.yaml", processes_yaml);
    assert_int_equal(th.ops_done, 2000);
    assert_int_equal(pr.ops_done, 2000);
    assert_true(th.work_ns >= MS(200));
    assert_true(th.makespan >= MS(200));
    assert_true(pr.makespan < MS(150));
    assert_true(pr.makespan >= MS(100));
    stats_free(&th);
    stats_free(&pr);
}

/* A config error comes back as one line naming the place. */
static void test_config_error_names_the_place(void **state)
{
    (void)state;
    config_t cfg;
    char err[CFG_ERR_MAX];
    assert_int_equal(cfg_load_string("bad.yaml", "machine: {cores: two}\n", NULL, 0, &cfg, err), -1);
    assert_non_null(strstr(err, "bad.yaml:1:"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gil_serialises_threads_not_processes),
        cmocka_unit_test(test_config_error_names_the_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
