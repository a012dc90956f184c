/* main.c — the gilsim command line.  Thin: parse flags, load the config,
 * build and run the simulation, write outputs, print the summary.
 * Exit status: 0 done, 1 the run failed (I/O, internal, output folder in
 * use), 2 bad input, 128 + N stopped by signal N (SIGINT, SIGTERM, SIGHUP).
 * (The cli layer is described in help.c, the folder's first file.) */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/complete.h"
#include "cli/datadir.h"
#include "cli/explain_cmd.h"
#include "cli/help.h"
#include "cli/manpage.h"
#include "cli/options.h"
#include "config.h"
#include "out/figures.h"
#include "out/outdir.h"
#include "plotprep.h"
#include "runner.h"
#include "sweep.h"
#include "engine/util.h"
#include "lab/lab_cmd.h"
#include "version.h"          /* GILSIM_GIT: build/gen, made by the Makefile */

/* Which build: the WebAssembly one (make web) says so, in --version and in
 * summary.csv's gilsim_version. */
#ifdef __EMSCRIPTEN__
#define GILSIM_BUILD " WebAssembly"
#else
#define GILSIM_BUILD ""
#endif

#ifndef GILSIM_VERSION
#define GILSIM_VERSION "0.1.0"
#endif

enum { EXIT_RUN_FAILED = 1, EXIT_BAD_INPUT = 2 };

typedef struct cli {
    const char *config;
    const char *outdir;
    char **sets;
    int nsets;
    enum trace_level trace;
    int quiet, check, plot, perfetto, trace_set, wait, print_config, progress;
    const char *command;         /* run, sweep or plot */
    sweep_axis_t *axes;
    int naxes, seeds, jobs, resume, aggregate;
    long point;                  /* sweep --point N */
    const char *emit_jobs, *emit_slurm, *collect;
    const char *plot_metric, *plot_x;   /* sweep --plot METRIC [--plot-x KEY] */
    const char *plot_word;       /* the argument that followed a bare --plot */
    const char *plot_dir;
    simtime_t from, to;
    const char *format;
} cli_t;

/* One line, whatever the argument holds: control characters are shown as
 * escapes, so a newline in an argument cannot start a second line. */
static int bad_usage(const char *fmt, const char *arg)
{
    char *shown = text_visible(arg, strlen(arg));
    fprintf(stderr, "gilsim: ");
    fprintf(stderr, fmt, shown ? shown : "(out of memory)");
    fprintf(stderr, " (see 'gilsim --help')\n");
    free(shown);
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

/* The one variable a signal handler may set: SIGINT, SIGTERM or SIGHUP
 * stops the run at its next event (engine_t.stop_flag), or the plot at
 * its next figure or while gnuplot draws one, and gilsim exits with
 * 128 + the signal.  The runner also sets RUN_STOP_WRITE here when a
 * write fails. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

/* No SA_RESTART: a blocked flock (--wait) returns EINTR and can give up.
 * A signal ignored when gilsim starts (nohup, a shell's background job)
 * stays ignored. */
static void catch_signals(void)
{
    static const int sigs[] = STOP_SIGNALS;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
}

static int add_seed(cli_t *c, const char *arg)
{
    char *end;
    errno = 0;
    if (!*arg || *arg == '-' || (strtoull(arg, &end, 10), *end) || errno == ERANGE)
        return -1;
    size_t n = strlen(arg) + 6;
    char *kv = malloc(n);
    if (!kv)
        return -1;
    snprintf(kv, n, "seed=%s", arg);
    int r = add_set(c, kv);
    free(kv);
    return r;
}

static int add_axis(cli_t *c, const char *arg)
{
    sweep_axis_t ax;
    char err[512];
    if (sweep_axis_parse(arg, &ax, err, sizeof err) != 0) {
        bad_usage("%s", err);
        return -1;
    }
    for (int i = 0; i < c->naxes; i++)
        if (strcmp(c->axes[i].key, ax.key) == 0) {
            bad_usage("--vary '%s' given twice: put all its values in one --vary", ax.key);
            sweep_axis_free(&ax);
            return -1;
        }
    sweep_axis_t *axes = realloc(c->axes, sizeof *axes * (size_t)(c->naxes + 1));
    if (!axes) {
        sweep_axis_free(&ax);
        return -1;
    }
    c->axes = axes;
    c->axes[c->naxes++] = ax;
    return 0;
}

static int parse_trace(const char *s, enum trace_level *lvl)
{
    for (int i = 0; cli_trace_names[i]; i++)
        if (strcmp(s, cli_trace_names[i]) == 0) {
            *lvl = (enum trace_level)i;
            return 0;
        }
    return -1;
}

/* `gilsim plot DIR --format data`: the figures' data files, no figure. */
#define PLOT_DATA_ONLY "data"

/* The plot's window and format: -1 when taken, else the exit status. */
static int take_plot_option(cli_t *c, int ch)
{
    char msg[256];
    if (ch != OPT_FORMAT) {
        simtime_t *at = ch == OPT_FROM ? &c->from : &c->to;
        if (cli_time_arg(optarg, at, msg, sizeof msg))
            return bad_usage("--from/--to: %s", msg);
        return -1;
    }
    if (strcmp(optarg, PLOT_DATA_ONLY) != 0 && !figure_format_known(optarg)) {
        char formats[64];
        figure_formats_join(formats, sizeof formats);
        snprintf(msg, sizeof msg, "--format '%.40s': expected %s (or data, with plot)", optarg,
                 formats);
        return bad_usage("%s", msg);
    }
    c->format = optarg;
    return -1;
}

/* A count option's value from 1 to max, or -1. */
static long count_arg(const char *arg, long max)
{
    char *end;
    long n = strtol(arg, &end, 10);
    return *arg && !*end && n >= 1 && n <= max ? n : -1;
}

/* The options that belong to gilsim sweep; -1 to go on, else an exit
 * status (an option of no kind here is unknown). */
static int take_sweep_option(cli_t *c, int ch, char **argv)
{
    switch (ch) {
    case OPT_VARY: return add_axis(c, optarg) != 0 ? EXIT_BAD_INPUT : -1;
    case OPT_RESUME: c->resume = 1; return -1;
    case OPT_AGGREGATE: c->aggregate = 1; return -1;
    case OPT_EMIT_JOBS: c->emit_jobs = optarg; return -1;
    case OPT_EMIT_SLURM: c->emit_slurm = optarg; return -1;
    case OPT_COLLECT: c->collect = optarg; return -1;
    case OPT_PLOT_X: c->plot_x = optarg; return -1;
    case OPT_POINT:
        if ((c->point = count_arg(optarg, SWEEP_MAX_RUNS)) < 0)
            return bad_usage("--point '%s': expected a run's number, from 1", optarg);
        return -1;
    case OPT_JOBS:
        if ((c->jobs = (int)count_arg(optarg, 1024)) < 0)
            return bad_usage("--jobs '%s': expected a count of workers from 1 to 1024", optarg);
        return -1;
    case OPT_SEEDS:
        if ((c->seeds = (int)count_arg(optarg, 1000000)) < 0)
            return bad_usage("--seeds '%s': expected a count from 1 to 1000000", optarg);
        return -1;
    case ':': return bad_usage("option '%s' needs a value", argv[optind - 1]);
    default: return bad_usage("unknown option '%s'", argv[optind - 1]);
    }
}

static void print_help(void)
{
    fputs(help_usage, stdout);
    fputs(help_topics_intro, stdout);
    help_topics(stdout);
    fputs(help_environment, stdout);
    fputs(help_exit_status, stdout);
}

/* One option from getopt_long; -1 to go on, else an exit status. */
static int take_option(cli_t *c, int ch, char **argv)
{
    switch (ch) {
    case 'o':
        if (!*optarg)
            return bad_usage("%s", "-o '': the output folder cannot be empty");
        c->outdir = optarg;
        break;
    case OPT_WAIT: c->wait = 1; break;
    case 'q': c->quiet = 1; break;
    case 'h': print_help(); return 0;
    case OPT_VERSION:
        printf("gilsim %s (git %s)%s\n", GILSIM_VERSION, GILSIM_GIT, GILSIM_BUILD);
        return 0;
    case OPT_CHECK: c->check = 1; break;
    case OPT_PRINT_CONFIG: c->print_config = 1; break;
    case OPT_PROGRESS: c->progress = 1; break;
    case OPT_PLOT:                       /* sweep --plot METRIC: the word after it */
        c->plot = 1;
        c->plot_metric = optarg;
        c->plot_word = !optarg && argv[optind] && argv[optind][0] != '-' ? argv[optind] : NULL;
        break;
    case OPT_PERFETTO: c->perfetto = 1; break;
    case OPT_FROM:
    case OPT_TO:
    case OPT_FORMAT: return take_plot_option(c, ch);
    case OPT_SET:
        if (!strchr(optarg, '='))
            return bad_usage("--set '%s': expected KEY=VALUE, e.g. machine.cores=8", optarg);
        if (add_set(c, optarg) != 0)
            return bad_usage("%s", "--set: out of memory");
        break;
    case OPT_SEED:
        if (add_seed(c, optarg) != 0)
            return bad_usage("--seed '%s': expected a non-negative integer up to "
                             "18446744073709551615", optarg);
        break;
    case OPT_TRACE:
        if (parse_trace(optarg, &c->trace) != 0)
            return bad_usage("--trace '%s': expected full, summary or none", optarg);
        c->trace_set = 1;
        break;
    default: return take_sweep_option(c, ch, argv);
    }
    return -1;
}

/* `gilsim sweep --collect DIR`: the folder says the rest. */
static int check_collect(cli_t *c, int argc, char **argv)
{
    if (optind + 1 < argc)
        return bad_usage("unexpected argument '%s': --collect DIR needs no CONFIG",
                         argv[optind + 1]);
    if (c->naxes || c->seeds || c->jobs || c->resume || c->point || c->emit_jobs
        || c->emit_slurm || c->nsets || c->check || c->trace_set || c->perfetto)
        return bad_usage("%s", "--collect DIR takes the sweep from DIR/points/index.csv: "
                               "no --vary, --seeds, --set or other sweep option goes with it");
    return -1;
}

/* A sweep's options that do not go together; -1 when they do. */
static int check_sweep(const cli_t *c)
{
    if (!c->naxes && !c->seeds)
        return bad_usage("%s", "sweep: nothing to vary: give --vary KEY=V1,V2,... or --seeds N");
    if (c->trace_set || c->perfetto)
        return bad_usage("%s", "sweep writes only its tables: --trace and --perfetto "
                               "belong to 'gilsim run'");
    if ((c->point > 0) + (c->emit_jobs || c->emit_slurm) + c->resume > 1)
        return bad_usage("%s", "--point, --emit-jobs/--emit-slurm and --resume each make a "
                               "sweep of their own: give one");
    if (c->plot && (c->point > 0 || c->emit_jobs || c->emit_slurm))
        return bad_usage("%s", "--plot draws a sweep's table: --point and --emit-* write none "
                               "(plot with --collect)");
    return -1;
}

/* sweep --plot METRIC: getopt takes --plot's value only as --plot=METRIC,
 * so the word that followed --plot is the metric; it is taken out of the
 * arguments left.  -1, or an exit status. */
static int take_plot_metric(cli_t *c, int *argc, char **argv)
{
    if (c->plot_x && !c->plot)
        return bad_usage("%s", "--plot-x KEY goes with --plot METRIC");
    if (!c->plot || c->plot_metric)
        return -1;
    int at = optind;
    while (at < *argc && argv[at] != c->plot_word)
        at++;
    if (!c->plot_word || at == *argc)
        return bad_usage("%s", "sweep --plot METRIC: which column of sweep.csv to draw, e.g. "
                               "--plot makespan_ns");
    c->plot_metric = argv[at];
    memmove(&argv[at], &argv[at + 1], sizeof *argv * (size_t)(--*argc - at));
    return -1;
}

/* The command and its argument, and options that do not belong to it. */
/* "unknown command 'x' (known: run, sweep, ...)", from cli_commands. */
static int unknown_command(const char *arg)
{
    char known[160];
    text_join(known, sizeof known, cli_commands);
    char *fmt = text_printf("unknown command '%%s' (known: %s)", known);
    int rc = bad_usage(fmt ? fmt : "unknown command '%s'", arg);
    free(fmt);
    return rc;
}

static int check_command(cli_t *c, int argc, char **argv)
{
    if (optind >= argc)
        return bad_usage("%s", "missing command: try 'gilsim run configs/default.yaml'");
    c->command = argv[optind];
    int plotting = !strcmp(c->command, "plot"), sweeping = !strcmp(c->command, "sweep");
    if (strcmp(c->command, "run") != 0 && !plotting && !sweeping)
        return unknown_command(argv[optind]);
    int rc = sweeping ? take_plot_metric(c, &argc, argv) : -1;
    if (rc >= 0)
        return rc;
    if (sweeping && c->collect)
        return check_collect(c, argc, argv);
    if (optind + 1 >= argc)
        return bad_usage("%s", plotting ? "plot: missing DIR (a run's output folder)"
                                        : sweeping ? "sweep: missing CONFIG file"
                                                   : "run: missing CONFIG file");
    rc = sweeping ? check_sweep(c) : -1;
    if (rc >= 0)
        return rc;
    if (!sweeping && (c->naxes || c->seeds || c->jobs || c->resume || c->point || c->emit_jobs
                      || c->emit_slurm || c->collect || c->aggregate))
        return bad_usage("%s", "--vary, --seeds, --jobs, --resume, --point, --emit-jobs, "
                               "--emit-slurm, --collect and --aggregate belong to 'gilsim sweep'");
    if (optind + 2 < argc)
        return bad_usage("unexpected argument '%s'", argv[optind + 2]);
    if (c->format && !strcmp(c->format, PLOT_DATA_ONLY) && !plotting)
        return bad_usage("%s", "--format data belongs to 'gilsim plot': it draws nothing");
    if (c->print_config && (sweeping || plotting))
        return bad_usage("%s", "--print-config belongs to 'gilsim run'");
    if (c->progress && (sweeping || plotting))
        return bad_usage("%s", "--progress belongs to 'gilsim run'");
    if (c->plot && c->trace == TRACE_NONE)
        return bad_usage("%s", "--plot draws from the run's files: --trace none writes none");
    if (c->to && c->to <= c->from)
        return bad_usage("%s", "--to must be after --from");
    if (!plotting)
        c->config = argv[optind + 1];
    else
        c->plot_dir = argv[optind + 1];
    return -1;
}

/* Returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, cli_t *c)
{
    c->trace = TRACE_FULL;
    opterr = 0;
    int ch, rc;
    while ((ch = getopt_long(argc, argv, ":o:qh", cli_options, NULL)) != -1)
        if ((rc = take_option(c, ch, argv)) >= 0)
            return rc;
    return check_command(c, argc, argv);
}


static void cli_free(cli_t *c)
{
    for (int i = 0; i < c->nsets; i++)
        free(c->sets[i]);
    free(c->sets);
    for (int i = 0; i < c->naxes; i++)
        sweep_axis_free(&c->axes[i]);
    free(c->axes);
}

static int plot(const cli_t *c, const char *dir)
{
    if (c->format && !strcmp(c->format, PLOT_DATA_ONLY))
        return plot_data(dir, c->from, c->to, &stop_signal);
    char *pd = datadir_plots();
    if (!pd)
        return EXIT_RUN_FAILED;
    int rc = plot_render(dir, c->from, c->to, c->format ? c->format : figure_formats[0], pd,
                         c->quiet, &stop_signal);
    free(pd);
    return rc;
}

/* `gilsim plot DIR`: never while a run, sweep or other plot writes DIR. */
static int plot_command(const cli_t *c)
{
    int fd;
    if (outdir_plot_lock(c->plot_dir, &fd) != 0)
        return EXIT_RUN_FAILED;
    int rc = plot(c, c->plot_dir);
    outdir_unlock(fd);
    return rc;
}

/* Whether stderr is a terminal that can rewrite a line.  WebAssembly's
 * stderr is a callback that takes whole lines (the page's worker, node),
 * though emscripten says it is a terminal. */
static int stderr_is_terminal(void)
{
#ifdef __EMSCRIPTEN__
    return 0;
#else
    return isatty(2);
#endif
}

/* A run's progress: on a terminal unless --quiet, and with --progress on
 * any stderr, a line at a time where it is not a terminal. */
static int run_progress(const cli_t *c)
{
    if (stderr_is_terminal())
        return c->quiet && !c->progress ? 0 : RUN_PROGRESS_TTY;
    return c->progress ? RUN_PROGRESS_LINES : 0;
}

static int sweep_command(const cli_t *c, const char *argv0)
{
    sweep_opts_t so = {
        .config = c->config, .sets = c->sets, .nsets = c->nsets, .axes = c->axes,
        .naxes = c->naxes, .seeds = c->seeds, .outdir = c->outdir, .quiet = c->quiet,
        .check = c->check, .wait = c->wait, .stop = &stop_signal, .jobs = c->jobs,
        .resume = c->resume, .point = c->point, .emit_jobs = c->emit_jobs,
        .emit_slurm = c->emit_slurm, .collect = c->collect, .argv0 = argv0,
        .aggregate = c->aggregate || c->plot, .plot_metric = c->plot_metric,
        .plot_x = c->plot_x, .format = c->format ? c->format : figure_formats[0],
        .progress = !c->quiet && stderr_is_terminal(),
    };
    char *pd = c->plot ? datadir_plots() : NULL;
    so.plots_dir = pd;
    int rc = c->plot && !pd ? EXIT_RUN_FAILED : sweep_run(&so);
    free(pd);
    return rc;
}

/* Holds the output folder's lock from before the run until its figures
 * are drawn. */
/* run --print-config: the effective config on stdout, nothing run. */
static int print_config(const cli_t *c)
{
    char err[CFG_ERR_MAX], *text;
    if (cfg_load_effective(c->config, c->sets, c->nsets, &text, err) != 0) {
        fprintf(stderr, "%s\n", err);
        return EXIT_BAD_INPUT;
    }
    fputs(text, stdout);
    free(text);
    return 0;
}

static int run_command(const cli_t *c)
{
    config_t cfg;
    char err[CFG_ERR_MAX];
    if (c->print_config)
        return print_config(c);
    if (cfg_load(c->config, c->sets, c->nsets, &cfg, err) != 0) {
        fprintf(stderr, "%s\n", err);
        return EXIT_BAD_INPUT;
    }
    char *outdir = c->outdir ? strdup(c->outdir) : outdir_default(cfg.name, "");
    int fd = -1, created = 0, rc = 0;
    if (!outdir) {
        say("out of memory");
        cfg_free(&cfg);
        return EXIT_RUN_FAILED;
    }
    if (c->trace != TRACE_NONE)
        rc = outdir_lock(outdir, c->wait, c->quiet, &stop_signal, &fd, &created);
    run_opts_t ro = {
        .outdir = outdir, .trace = c->trace, .check_invariants = c->check,
        .report = c->quiet ? NULL : stdout, .show_progress = run_progress(c),
        .perfetto = c->perfetto, .stop = &stop_signal,
    };
    if (rc == 0)
        rc = run_simulation(&cfg, &ro);
    if (rc == 0 && c->plot) {
        if (stop_signal > 0) {
            char sn[32];
            say("interrupted by %s before plotting; %s is complete",
                    outdir_signame(stop_signal, sn, sizeof sn), outdir);
            rc = 128 + stop_signal;
        } else {
            rc = plot(c, outdir);
        }
    }
    outdir_release(outdir, fd, rc != 0 ? created : 0);   /* a failed run's new folder goes */
    free(outdir);
    cfg_free(&cfg);
    return rc;
}

/* `gilsim lab ...`: stopped by the same signals as a run. */
static int lab_main(int argc, char **argv)
{
    catch_signals();
    return lab_command(argc, argv, &stop_signal);
}

/* The printed summary is a result too: a full or closed stdout fails. */
static int check_stdout(int rc)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return rc;
    say("writing to standard output: %s",
            errno ? strerror(errno) : "write error");
    return rc ? rc : EXIT_RUN_FAILED;
}

/* `gilsim man PAGE`: a manual page in roff (make install writes them). */
static int man_command(int argc, char **argv)
{
    if (argc == 1 && man_print(stdout, argv[0], GILSIM_VERSION, GILSIM_DATE) == 0)
        return 0;
    say("man: expected one page: %s or %s", man_pages[0], man_pages[1]);
    return EXIT_BAD_INPUT;
}

int main(int argc, char **argv)
{
    run_set_version(GILSIM_VERSION " (git " GILSIM_GIT ")" GILSIM_BUILD);
    if (argc > 1 && !strcmp(argv[1], "help"))
        return check_stdout(help_command(argc - 2, argv + 2, stdout));
    if (argc > 1 && !strcmp(argv[1], "config-reference"))
        return check_stdout(help_reference_command(argc - 2, argv + 2, stdout));
    if (argc > 1 && !strcmp(argv[1], "explain"))
        return check_stdout(explain_command(argc - 1, argv + 1));
    if (argc > 1 && !strcmp(argv[1], "lab"))
        return check_stdout(lab_main(argc - 1, argv + 1));
    if (argc > 1 && !strcmp(argv[1], "man"))
        return check_stdout(man_command(argc - 2, argv + 2));
    if (argc > 1 && !strcmp(argv[1], "complete"))
        return check_stdout(complete_command(argc - 2, argv + 2, stdout));
    if (argc > 1 && !strcmp(argv[1], "completion")) {
        if (completion_script(argc - 2, argv + 2, stdout) == 0)
            return check_stdout(0);
        say("completion: expected one shell: bash");
        return EXIT_BAD_INPUT;
    }
    cli_t c = {0};
    int rc = parse_args(argc, argv, &c);
    if (rc < 0)
        catch_signals();
    if (rc < 0 && c.plot_dir)
        rc = plot_command(&c);
    else if (rc < 0)
        rc = !strcmp(c.command, "sweep") ? sweep_command(&c, argv[0]) : run_command(&c);
    cli_free(&c);
    return check_stdout(rc);
}
