/* fuzz_set.c — the command line's --set and --vary values, untrusted.
 *
 * Input: lines.  The first is a --vary argument (KEY=V1,V2,...); the rest
 * are --set arguments (KEY=VALUE).  Each line is also parsed as a duration
 * and a distribution.  The sets are applied to a fixed config that has
 * something under every top-level key; each --vary value is loaded as the
 * sweep would load it.  Every answer must be a config or one line of
 * error. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "sweep.h"

#define FUZZ_INPUT_MAX 4096
#define FUZZ_SETS_MAX 16
#define FUZZ_VALUES_MAX 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base_config[] =
    "name: base\n"
    "machine: {cores: 2}\n"
    "os: {timer_slack: 50us}\n"
    "python: {switch_interval: 5ms, version: \"3.11\"}\n"
    "multiprocessing: {start_method: fork}\n"
    "asyncio: {loop_iteration: 5us}\n"
    "duration: 1s\n"
    "objects:\n"
    "  - {name: l, kind: lock}\n"
    "  - {name: q, kind: queue, maxsize: 2}\n"
    "functions:\n"
    "  work:\n"
    "    params: {t: duration, n: {type: count, default: 2}}\n"
    "    body:\n"
    "      - repeat: $n\n"
    "        do: [{cpu: $t}]\n"
    "processes:\n"
    "  - name: app\n"
    "    main:\n"
    "      - start: work\n"
    "        args: [1ms]\n"
    "        count: 2\n"
    "        as: ts\n"
    "      - join: ts\n"
    "    threads:\n"
    "      - name: w\n"
    "        count: 2\n"
    "        program:\n"
    "          - with_lock: l\n"
    "            do: [{sleep: uniform(1ms, 2ms)}]\n";

/* One line that names where: the file, or the --set. */
static void check_error(const char *err)
{
    if ((strncmp(err, "base.yaml:", 10) != 0 && strncmp(err, "--set '", 7) != 0) ||
        strchr(err, '\n')) {
        fprintf(stderr, "bad error message: '%s'\n", err);
        abort();
    }
}

static void load_with(char *const *sets, int nsets)
{
    config_t cfg;
    char err[CFG_ERR_MAX];
    if (cfg_load_string("base.yaml", base_config, sets, nsets, &cfg, err) == 0)
        cfg_free(&cfg);
    else
        check_error(err);
}

static void parse_values(const char *line)
{
    dist_t d;
    simtime_t t;
    char err[256];
    if (cfg_parse_dist(line, &d, err, sizeof err) == 0 && d.kind == DIST_CONST && d.a < 0)
        abort();                 /* a duration is never negative */
    if (cfg_parse_duration(line, &t, err, sizeof err) == 0 && t < 0)
        abort();
}

/* Every value of the axis, as the sweep loads it: KEY=VALUE after the sets. */
static void load_axis(const char *arg, char **sets, int nsets)
{
    sweep_axis_t ax;
    char err[512];
    if (sweep_axis_parse(arg, &ax, err, sizeof err) != 0)
        return;
    for (int v = 0; v < ax.n && v < FUZZ_VALUES_MAX; v++) {
        size_t n = strlen(ax.key) + strlen(ax.values[v]) + 2;
        char *kv = malloc(n);
        if (!kv)
            break;
        snprintf(kv, n, "%s=%s", ax.key, ax.values[v]);
        sets[nsets] = kv;
        load_with(sets, nsets + 1);
        free(kv);
    }
    sweep_axis_free(&ax);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_INPUT_MAX || memchr(data, '\0', size))
        return 0;                /* a command-line argument holds no NUL */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *sets[FUZZ_SETS_MAX + 1];
    int nsets = 0;
    char *vary = text, *nl = strchr(text, '\n');
    if (nl)
        *nl = '\0';
    for (char *line = nl ? nl + 1 : NULL; line && nsets < FUZZ_SETS_MAX;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        parse_values(line);
        if (strchr(line, '='))
            sets[nsets++] = line;
        line = next;
    }
    parse_values(vary);
    load_with(sets, nsets);
    load_axis(vary, sets, nsets);
    free(text);
    return 0;
}
