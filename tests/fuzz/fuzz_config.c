/* fuzz_config.c — a config from untrusted bytes.
 *
 * The loader must answer every input with either a config or one line of
 * error; a config that loads must simulate without tripping any of the
 * model's invariants (checked after every event) or a sanitizer.  The run
 * is cut short (FUZZ_RUN_LIMIT of simulated time) and large worlds are
 * skipped, so that an input's cost is the model's, not the world's size. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "model/model.h"
#include "sim.h"

#define FUZZ_INPUT_MAX (64 * 1024)
#define FUZZ_RUN_LIMIT MS(5)
#define FUZZ_THREADS_MAX 64
#define FUZZ_CORES_MAX 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int world_threads(const config_t *cfg)
{
    long n = 0;
    for (int p = 0; p < cfg->nprocs; p++) {
        long per = cfg->procs[p].has_main ? 1 : 0;
        for (int g = 0; g < cfg->procs[p].nthreads; g++)
            per += cfg->procs[p].threads[g].count;
        n += per * cfg->procs[p].count;
    }
    return n > FUZZ_THREADS_MAX ? FUZZ_THREADS_MAX + 1 : (int)n;
}

/* A rejected config's message is one line that starts with the file's
 * name (and, where there is one, the line and column). */
static void check_error(const char *err)
{
    if (strncmp(err, "fuzz.yaml:", 10) != 0 || strchr(err, '\n')) {
        fprintf(stderr, "bad error message: '%s'\n", err);
        abort();
    }
}

static void short_run(config_t *cfg)
{
    if (world_threads(cfg) > FUZZ_THREADS_MAX || cfg->machine.cores > FUZZ_CORES_MAX)
        return;
    if (cfg->duration == 0 || cfg->duration > FUZZ_RUN_LIMIT)
        cfg->duration = FUZZ_RUN_LIMIT;
    sim_t sim;
    /* caps a fuzzed world can reach in milliseconds (coverage tracing makes
     * each step slow); the real ones are tested in test_limits.c */
    sim_opts_t o = {.check_invariants = 1,
                    .caps = {.threads = 256, .processes = 64, .tasks = 4096, .futures = 4096,
                             .steps_at_one_instant = 100000}};
    int r = sim_build(&sim, cfg, &o);
    if (r == SIM_OK)
        r = sim_run(&sim);
    if (r == SIM_ERR_INTERNAL) {     /* an invariant failed: a bug of the model */
        fprintf(stderr, "invariant violated: %s\n", sim_violation(&sim));
        abort();
    }
    if (r != SIM_OK && (strncmp(sim_violation(&sim), "fuzz.yaml", 9) != 0 ||
                        strchr(sim_violation(&sim), '\n'))) {
        fprintf(stderr, "bad run message: '%s'\n", sim_violation(&sim));
        abort();                 /* the config's fault, or memory: one line naming it */
    }
    sim_free(&sim);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_INPUT_MAX)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    config_t cfg;
    char err[CFG_ERR_MAX];
    if (cfg_load_string("fuzz.yaml", text, NULL, 0, &cfg, err) == 0) {
        short_run(&cfg);
        cfg_free(&cfg);
    } else {
        check_error(err);
    }
    free(text);
    return 0;
}
