/* explain_cmd.c — `gilsim explain DIR`: its options and help; the story
 * itself is the out layer's (sim/out/explain.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/explain_cmd.h"
#include "config.h"
#include "out/explain.h"
#include "engine/util.h"

static const char explain_usage[] =
"usage: gilsim explain DIR [--thread NAME] [--from T] [--to T] [--limit N]\n"
"\n"
"Tells a finished run in words, from its run folder (a run made with\n"
"--trace full, the default): one line per event, starting with its\n"
"simulated time (who wants, holds, drops and takes the GIL, drop requests\n"
"and forced switches, races lost, event loops and their tasks, a deadlock),\n"
"then a paragraph per thread: its time waiting for the GIL, the races it\n"
"lost, and its longest wait with what caused it.\n"
"\n"
"      --thread NAME    only the events about thread NAME (or PROCESS/NAME),\n"
"                       and only its paragraph\n"
"      --from T, --to T only the events in [T, T], e.g. --from 0 --to 100ms\n"
"                       (the paragraphs cover the whole run)\n"
"      --limit N        at most N event lines (default 200); the lines left\n"
"                       out are counted\n"
"  -h, --help           show this help\n";

int cli_time_arg(const char *arg, simtime_t *at, char *msg, int size)
{
    if (strcmp(arg, "0") == 0) {         /* the start needs no unit */
        *at = 0;
        return 0;
    }
    return cfg_parse_duration(arg, at, msg, size);
}

/* One line, whatever the argument holds (control characters as escapes). */
static int usage_error(const char *what, const char *arg)
{
    char *shown = text_visible(arg, strlen(arg));
    say("explain: %s%s (see 'gilsim explain --help')", what, shown ? shown : "(out of memory)");
    free(shown);
    return 2;
}

enum { OPT_THREAD = 256, OPT_FROM, OPT_TO, OPT_LIMIT };

/* One option; -1 to go on, else an exit status. */
static int take(int ch, explain_opts_t *o, char **argv)
{
    char msg[256], *end;
    switch (ch) {
    case 'h': fputs(explain_usage, stdout); return 0;
    case OPT_THREAD: o->thread = optarg; return -1;
    case OPT_FROM:
    case OPT_TO:
        if (cli_time_arg(optarg, ch == OPT_FROM ? &o->from : &o->to, msg, sizeof msg) != 0)
            return usage_error(ch == OPT_FROM ? "--from: " : "--to: ", msg);
        o->to_set |= ch == OPT_TO;
        return -1;
    case OPT_LIMIT:
        o->limit = strtol(optarg, &end, 10);
        if (!*optarg || *end || o->limit < 0 || o->limit > 1000000000)
            return usage_error("--limit: expected a count from 0 to 1000000000, got ", optarg);
        return -1;
    case ':': return usage_error("this option needs a value: ", argv[optind - 1]);
    default: return usage_error("unknown option ", argv[optind - 1]);
    }
}

const struct option explain_options[] = {
    {"thread", required_argument, NULL, OPT_THREAD},
    {"from", required_argument, NULL, OPT_FROM}, {"to", required_argument, NULL, OPT_TO},
    {"limit", required_argument, NULL, OPT_LIMIT},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
};

int explain_command(int argc, char **argv)
{
    explain_opts_t o = {.limit = EXPLAIN_LIMIT};
    int ch, rc;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":h", explain_options, NULL)) != -1)
        if ((rc = take(ch, &o, argv)) >= 0)
            return rc;
    if (optind >= argc)
        return usage_error("missing DIR (a run's output folder)", "");
    if (optind + 1 < argc)
        return usage_error("unexpected argument ", argv[optind + 1]);
    if (o.to_set && o.to < o.from)
        return usage_error("--to is before --from", "");
    return explain_run(argv[optind], &o, stdout);
}
