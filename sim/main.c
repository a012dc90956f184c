/* main.c — the gilsim command line.  Thin: parse flags, load the config,
 * build and run the simulation, write outputs, print the summary.
 * Exit status: 0 done, 1 the run failed (I/O, internal), 2 bad input. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "runner.h"

#ifndef GILSIM_VERSION
#define GILSIM_VERSION "0.1.0"
#endif

enum { EXIT_RUN_FAILED = 1, EXIT_BAD_INPUT = 2 };

static const char usage_text[] =
"usage: gilsim run CONFIG [options]\n"
"       gilsim --help | --version\n"
"\n"
"Simulates how CPython runs threads and processes on a multicore machine:\n"
"the GIL and its switch interval, the OS handing out cores, blocking I/O.\n"
"\n"
"run options:\n"
"  -o, --output DIR     output folder (default: out/<config name>)\n"
"      --set KEY=VALUE  override a config key, e.g. --set machine.cores=8\n"
"                       --set python.switch_interval=5ms (repeatable)\n"
"      --seed N         random seed (same as --set seed=N)\n"
"      --trace LEVEL    full: trace.csv, threads.csv, summary.csv (default)\n"
"                       summary: threads.csv and summary.csv only\n"
"                       none: no files, only the printed summary\n"
"  -q, --quiet          print nothing but errors\n"
"      --check          check the model's invariants after every event (slow)\n"
"  -h, --help           show this help\n"
"      --version        show the version\n"
"\n"
"Config keys and CSV columns are documented in README.md.\n";

typedef struct cli {
    const char *config;
    const char *outdir;
    char **sets;
    int nsets;
    enum trace_level trace;
    int quiet, check;
} cli_t;

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "gilsim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'gilsim --help'.\n");
    return EXIT_BAD_INPUT;
}

static int add_set(cli_t *c, const char *kv)
{
    char **sets = realloc(c->sets, sizeof *sets * (size_t)(c->nsets + 1));
    if (!sets)
        return -1;
    c->sets = sets;
    c->sets[c->nsets++] = strdup(kv);
    return c->sets[c->nsets - 1] ? 0 : -1;
}

static int add_seed(cli_t *c, const char *arg)
{
    char *end;
    if (!*arg || *arg == '-' || (strtoull(arg, &end, 10), *end))
        return -1;
    char kv[64];
    snprintf(kv, sizeof kv, "seed=%s", arg);
    return add_set(c, kv);
}

static int parse_trace(const char *s, enum trace_level *lvl)
{
    static const char *const names[] = {"none", "summary", "full"};
    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            *lvl = (enum trace_level)i;
            return 0;
        }
    return -1;
}

/* Returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, cli_t *c)
{
    enum { OPT_SET = 256, OPT_SEED, OPT_TRACE, OPT_CHECK, OPT_VERSION };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"set", required_argument, NULL, OPT_SET},
        {"seed", required_argument, NULL, OPT_SEED}, {"trace", required_argument, NULL, OPT_TRACE},
        {"quiet", no_argument, NULL, 'q'}, {"check", no_argument, NULL, OPT_CHECK},
        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    c->trace = TRACE_FULL;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        switch (ch) {
        case 'o': c->outdir = optarg; break;
        case 'q': c->quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case OPT_VERSION: printf("gilsim %s\n", GILSIM_VERSION); return 0;
        case OPT_CHECK: c->check = 1; break;
        case OPT_SET:
            if (!strchr(optarg, '='))
                return bad_usage("--set '%s': expected KEY=VALUE, e.g. machine.cores=8", optarg);
            add_set(c, optarg);
            break;
        case OPT_SEED:
            if (add_seed(c, optarg) != 0)
                return bad_usage("--seed '%s': expected a non-negative integer", optarg);
            break;
        case OPT_TRACE:
            if (parse_trace(optarg, &c->trace) != 0)
                return bad_usage("--trace '%s': expected full, summary or none", optarg);
            break;
        case ':': return bad_usage("option '%s' needs a value", argv[optind - 1]);
        default: return bad_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return bad_usage("%s", "missing command: try 'gilsim run configs/default.yaml'");
    if (strcmp(argv[optind], "run") != 0)
        return bad_usage("unknown command '%s' (known: run)", argv[optind]);
    if (optind + 1 >= argc)
        return bad_usage("%s", "run: missing CONFIG file");
    if (optind + 2 < argc)
        return bad_usage("run: unexpected argument '%s'", argv[optind + 2]);
    c->config = argv[optind + 1];
    return -1;
}

static char *default_outdir(const config_t *cfg)
{
    size_t n = strlen(cfg->name) + 8;
    char *d = malloc(n);
    if (d)
        snprintf(d, n, "out/%s", cfg->name);
    return d;
}

static void cli_free(cli_t *c)
{
    for (int i = 0; i < c->nsets; i++)
        free(c->sets[i]);
    free(c->sets);
}

int main(int argc, char **argv)
{
    cli_t c = {0};
    int rc = parse_args(argc, argv, &c);
    if (rc >= 0) {
        cli_free(&c);
        return rc;
    }
    config_t cfg;
    char err[CFG_ERR_MAX];
    if (cfg_load(c.config, c.sets, c.nsets, &cfg, err) != 0) {
        fprintf(stderr, "%s\n", err);
        cli_free(&c);
        return EXIT_BAD_INPUT;
    }
    char *outdir = c.outdir ? strdup(c.outdir) : default_outdir(&cfg);
    run_opts_t ro = {
        .outdir = outdir, .trace = c.trace, .check_invariants = c.check,
        .report = c.quiet ? NULL : stdout, .show_progress = !c.quiet && isatty(2),
    };
    rc = outdir ? run_simulation(&cfg, &ro) : EXIT_RUN_FAILED;
    free(outdir);
    cfg_free(&cfg);
    cli_free(&c);
    return rc;
}
