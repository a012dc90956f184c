/* help.c — see help.h.
 *
 * Every topic reads its table and nothing else: config keys and ops from
 * the loader's schema and op tables (config.h), events from events.def,
 * columns from columns.def, GIL policies from the names python.gil
 * accepts: the registry, gil_policies.def; the words of the printed
 * summary from glossary.def.  The same rows print
 * as aligned text or, with --markdown, as the READMEs' tables.
 *
 * Layer cli (sim/cli/): the command line (main.c), its help topics
 * (help.c), one run (runner.c) and sweeps (sweep.c): the top layer, the
 * only one that may end the process. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/help.h"
#include "cli/help_format.h"
#include "cli/help_reference.h"
#include "columns.h"
#include "config.h"
#include "engine/util.h"
#include "lab/lab.h"


/* ---- events (events.def) ----------------------------------------------- */

static void help_events(help_out_t *h)
{
    table_begin(h, "Thread states (trace.csv: a row says the thread *enters* the state)", 0, 3,
                "state", "meaning", "detail");
#define EV_STATE(id, name, meaning, detail) table_row(h, name, meaning, detail);
#include "events.def"
    table_begin(h, "GIL events (trace.csv)", 0, 3, "event", "meaning", "detail");
#define EV_GIL(id, name, meaning, detail) table_row(h, name, meaning, detail);
#include "events.def"
    table_begin(h, "GIL drop reasons (a `gil_drop`'s detail)", 0, 2, "reason", "meaning");
#define EV_DROP(id, name, meaning) table_row(h, name, meaning, NULL);
#include "events.def"
    table_begin(h, "Other events (trace.csv; a loop's events are on the loop's thread)", 0, 3,
                "event", "meaning", "detail");
#define EV_OTHER(id, name, meaning, detail) table_row(h, name, meaning, detail);
#include "events.def"
    table_begin(h, "Log kinds (log.csv's `kind`)", 0, 2, "kind", "meaning");
#define EV_LOG(id, name, meaning) table_row(h, name, meaning, NULL);
#include "events.def"
}

/* ---- columns (columns.def) --------------------------------------------- */

/* Markdown: column, unit, meaning; text: the unit after the meaning. */
static void help_columns(help_out_t *h)
{
    for (int i = 0; i < COL__FILES; i++) {
        const col_file_t *f = &col_files[i];
        char title[128];
        snprintf(title, sizeof title, "%s — %s", f->name, f->rows);
        table_begin(h, title, 1, 3, "column", "unit", "meaning");
        for (int c = 0; c < f->ncols; c++) {
            const col_t *col = &f->cols[c];
            if (h->markdown) {
                table_row(h, col->name, col->unit, col->meaning);
                continue;
            }
            char *both = *col->unit ? text_printf("%s [%s]", col->meaning, col->unit) : NULL;
            table_row(h, col->name, both ? both : col->meaning, NULL);
            free(both);
        }
    }
}

/* ---- config keys and ops (the loader's tables) ------------------------- */

/* One row per section, its keys streamed in as cfg_each_key finds them. */
typedef struct key_rows {
    help_out_t *h;
    char section[96];
    int nkeys;                   /* in the open row; 0: no row open */
    int col;                     /* roff: the output line's length */
} key_rows_t;

static void key_row_end(key_rows_t *k)
{
    if (k->nkeys)
        fputs(k->h->markdown ? " |\n" : "\n", k->h->f);
    k->nkeys = 0;
}

/* Roff: one tagged paragraph a section, its keys below. */
static void key_row_roff(key_rows_t *k, const char *section, const char *key, int required)
{
    FILE *f = k->h->f;
    if (!k->nkeys || strcmp(section, k->section) != 0) {
        if (k->nkeys)
            fputc('\n', f);
        snprintf(k->section, sizeof k->section, "%s", section);
        fputs(".TP\n.B ", f);
        roff_text(f, *section ? section : "(top level)", 0);
        fputc('\n', f);
        k->nkeys = 0;
        k->col = 0;
    }
    char *item = text_printf("%s%s%s", k->nkeys++ ? ", " : "", key, required ? " (required)" : "");
    roff_put(f, item ? item : key, k->col == 0, &k->col);
    free(item);
}

static void key_row_add(void *ctx, const char *section, const char *key, int required)
{
    key_rows_t *k = ctx;
    FILE *f = k->h->f;
    if (k->h->roff) {
        key_row_roff(k, section, key, required);
        return;
    }
    if (k->nkeys && strcmp(section, k->section) != 0)
        key_row_end(k);
    if (!k->nkeys) {
        snprintf(k->section, sizeof k->section, "%s", section);
        const char *shown = *section ? section : "(top level)";
        if (k->h->markdown) {
            fprintf(f, *section ? "| `%s` | " : "| %s | ", shown);
        } else {
            int n = fprintf(f, "  %s", shown);
            fprintf(f, "%*s", n < NAME_WIDTH ? NAME_WIDTH - n : 2, "");
        }
    }
    const char *q = k->h->markdown ? "`" : "";
    fprintf(f, "%s%s%s%s%s", k->nkeys++ ? ", " : "", q, key, q, required ? " (required)" : "");
}

static void help_keys(help_out_t *h)
{
    key_rows_t k = {.h = h};
    table_begin(h, "Config keys, by section (`processes[]`: each entry of the list)", 0, 2,
                "section", "keys");
    cfg_each_key(key_row_add, &k);
    if (h->roff && k.nkeys)
        fputc('\n', h->f);
    else
        key_row_end(&k);
}

static void help_ops(help_out_t *h)
{
    cfg_op_doc_t op;
    table_begin(h, "Program ops: the kind key, and the keys it takes beside it", 0, 2, "op",
                "keys beside it");
    for (int i = 0; cfg_op_doc(i, &op) == 0; i++) {
        char keys[512];
        size_t n = 0;
        const char *q = h->markdown ? "`" : "";
        keys[0] = '\0';
        for (int j = 0; j < op.nkeys && n < sizeof keys; j++)
            n += (size_t)snprintf(keys + n, sizeof keys - n, "%s%s%s%s%s", j ? ", " : "", q,
                                  op.keys[j], q, op.required & (1u << j) ? " (required)" : "");
        table_row(h, op.key, keys, NULL);
    }
}

/* ---- GIL policies ------------------------------------------------------ */

/* The registry's lines: the name python.gil takes, and what it models. */
static const struct { const char *name, *about; } gil_policies[] = {
#define GIL_POLICY(id, name, ops, flags, about) {name, about},
#include "gil_policies.def"
#undef GIL_POLICY
};

static void help_gils(help_out_t *h)
{
    table_begin(h, "GIL policies (`python.gil`)", 0, 2, "policy", "what it models");
    for (size_t i = 0; i < sizeof gil_policies / sizeof gil_policies[0]; i++)
        table_row(h, gil_policies[i].name, gil_policies[i].about, NULL);
}

/* ---- python.imports (imports.def) -------------------------------------- */

static void help_imports(help_out_t *h)
{
    const char *name, *dep;
    simtime_t cost, unused;
    uint64_t deps, none;
    table_begin(h, "Modules `python.imports` may name: what a spawned child pays to import "
                "each again (`python3 -X importtime`, CPython 3.11; include/imports.def)",
                0, 3, "module", "cost", "imports (a module of a list costs once)");
    for (int i = 0; cfg_import_row(i, &name, &cost, &deps) == 0; i++) {
        char ms[32], names[256] = "";
        size_t used = 0;
        snprintf(ms, sizeof ms, "%lld.%lld ms", (long long)(cost / MS(1)),
                 (long long)(cost / US(100) % 10));
        for (int j = 0; cfg_import_row(j, &dep, &unused, &none) == 0 && used < sizeof names; j++)
            if (deps & ((uint64_t)1 << j))
                used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                         used ? ", " : "", dep);
        table_row(h, name, ms, names);
    }
}

/* ---- the glossary (glossary.def) --------------------------------------- */

static void help_glossary(help_out_t *h)
{
    h->words = 1;
    table_begin(h, "The words of the printed summary", 0, 2, "term", "meaning");
#define TERM(name, meaning) table_row(h, name, meaning, NULL);
#include "glossary.def"
}

/* ---- lab.yaml (the lab loader's table) --------------------------------- */

static void lab_key_row(void *ctx, const char *section, const char *key, int required,
                        const char *meaning)
{
    char *m = required ? text_printf("%s (required)", meaning) : NULL;
    table_row(ctx, key, *section ? section : "(top level)", m ? m : meaning);
    free(m);
}

static void help_lab(help_out_t *h)
{
    table_begin(h, "lab.yaml keys (`gilsim lab`), by section (`questions[]`: each entry)", 0,
                3, "key", "section", "meaning");
    lab_each_key(lab_key_row, h);
}

/* ---- the command ------------------------------------------------------- */

static const struct topic {
    const char *name, *what;
    void (*print)(help_out_t *h);
} topics[] = {
    {"keys", "config keys, section by section", help_keys},
    {"reference", "every config key: type, default, unit, meaning, source", help_reference},
    {"ops", "program ops and the keys each takes", help_ops},
    {"events", "trace.csv's events and details, log.csv's kinds", help_events},
    {"columns", "every column of every CSV file", help_columns},
    {"gils", "GIL policies (python.gil)", help_gils},
    {"imports", "modules python.imports may name, and their import costs", help_imports},
    {"glossary", "the words of the printed summary: total time, forced switch, ...",
     help_glossary},
    {"lab", "lab.yaml's keys (gilsim lab)", help_lab},
};
#define NTOPICS ((int)(sizeof topics / sizeof topics[0]))

const char *help_topic_name(int i)
{
    return i >= 0 && i < NTOPICS ? topics[i].name : NULL;
}

int help_roff(FILE *out, const char *topic)
{
    help_out_t h = {.f = out, .roff = 1};
    for (int i = 0; i < NTOPICS; i++)
        if (!strcmp(topic, topics[i].name)) {
            topics[i].print(&h);
            return 0;
        }
    return -1;
}

void roff_write(FILE *out, const char *text)
{
    roff_text(out, text, 1);
}

void roff_paragraph(FILE *out, const char *text)
{
    roff_fill(out, text);
    fputc('\n', out);
}

void help_topics(FILE *out)
{
    for (int i = 0; i < NTOPICS; i++)
        fprintf(out, "  %-10s%s\n", topics[i].name, topics[i].what);
}

static void list_topics(FILE *out)
{
    fputs("usage: gilsim help TOPIC [--markdown]\n\ntopics:\n", out);
    help_topics(out);
    fputs("\n--markdown prints the tables as the READMEs' reference sections.\n", out);
}

int help_command(int argc, char **argv, FILE *out)
{
    help_out_t h = {.f = out};
    const char *name = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--markdown"))
            h.markdown = 1;
        else if (argv[i][0] == '-' || name) {
            say("help: unexpected argument '%s' (usage: gilsim help TOPIC [--markdown])",
                argv[i]);
            return 2;
        } else
            name = argv[i];
    }
    if (!name) {
        list_topics(out);
        return 0;
    }
    for (int i = 0; i < NTOPICS; i++)
        if (!strcmp(name, topics[i].name)) {
            topics[i].print(&h);
            return 0;
        }
    char known[128];
    size_t n = 0;
    for (int i = 0; i < NTOPICS && n < sizeof known; i++)
        n += (size_t)snprintf(known + n, sizeof known - n, "%s%s", i ? ", " : "", topics[i].name);
    say("help: unknown topic '%s' (topics: %s)", name, known);
    return 2;
}

int help_reference_command(int argc, char **argv, FILE *out)
{
    help_out_t h = {.f = out};
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs("usage: gilsim config-reference [--markdown]\n\nEvery config key with its "
                  "type, default, unit, meaning and where the default\ncomes from; --markdown "
                  "prints it as configs/README.md's table.\n", out);
            return 0;
        }
        if (strcmp(argv[i], "--markdown") != 0) {
            say("config-reference: unexpected argument '%s' (usage: gilsim config-reference "
                "[--markdown])", argv[i]);
            return 2;
        }
        h.markdown = 1;
    }
    help_reference(&h);
    return 0;
}

/* What `gilsim --help` prints (help.h). */
const char help_usage[] =
"usage: gilsim run CONFIG [options]\n"
"       gilsim sweep CONFIG --vary KEY=V1,V2,... [--vary ...] [--seeds N] [options]\n"
"       gilsim plot DIR [--from T] [--to T] [--format png|svg|pdf]\n"
"       gilsim explain DIR [--thread NAME] [--from T] [--to T] [--limit N]\n"
"       gilsim lab list|show|check|make|grade ... (gilsim lab --help)\n"
"       gilsim help [TOPIC] [--markdown]\n"
"       gilsim config-reference [--markdown]   (every config key: type, default,\n"
"                       unit, meaning, source)\n"
"       gilsim man gilsim.1|gilsim-config.5   (the manual pages, in roff)\n"
"       gilsim completion bash   (the shell's completion script)\n"
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
"      --plot           render the run's figures with gnuplot when it ends (with\n"
"                       --trace summary, those the summary files give)\n"
"      --perfetto       also write trace.json (Chrome Trace Event format) for\n"
"                       ui.perfetto.dev or chrome://tracing\n"
"  -q, --quiet          print nothing but errors\n"
"      --progress       show how far a run is on stderr, once it takes over a second,\n"
"                       even when stderr is not a terminal (a line a second), and\n"
"                       with --quiet\n"
"      --wait           wait while another run or sweep writes the output folder\n"
"                       (default: fail at once, naming its pid)\n"
"      --check          check the model's invariants after every event (slow)\n"
"      --print-config   print the effective config (defaults and --set applied) as\n"
"                       YAML, and run nothing\n"
"  -h, --help           show this help\n"
"      --version        show the version and the commit it was built from\n"
"\n"
"sweep options (one run per combination; --set, --seed, -o, -q, --wait and --check\n"
"as for run; at most 1000000 runs); writes DIR/sweep.csv (default DIR:\n"
"out/<config name>-sweep): run, one column per --vary key, summary.csv's columns\n"
"      --vary KEY=V1,V2 run once per value, or per value of a range FIRST:LAST:xK\n"
"                       or FIRST:LAST:+K (repeatable: every combination;\n"
"                       the first --vary changes slowest), e.g.\n"
"                       --vary machine.cores=1,2,4 --vary python.switch_interval=1ms,5ms\n"
"      --seeds N        each combination with seeds 1..N\n"
"      --jobs N         run N at once in worker processes (default: one per core);\n"
"                       sweep.csv is the same for any N but for wall_s\n"
"      --resume         run only the runs DIR/sweep-partial.csv lacks: a sweep\n"
"                       stopped by Ctrl-C or a failed run keeps its rows there\n"
"      --aggregate      also write DIR/sweep_summary.csv: for each combination,\n"
"                       the mean and 95 % confidence interval over its seeds\n"
"      --emit-jobs FILE, --emit-slurm FILE\n"
"                       run nothing: write each run as a command for GNU\n"
"                       parallel, or a Slurm job array, and DIR/points/index.csv\n"
"      --collect DIR    merge the runs' DIR/points/N.csv into DIR/sweep.csv\n"
"      --plot METRIC    draw DIR/sweep-METRIC.png: a numeric column against the\n"
"                       first --vary key (--plot-x KEY: another), the mean and\n"
"                       95 % band over the seeds, a curve per value of the other\n"
"                       keys (--format F as for plot)\n"
"\n"
"plot options (figures of a run folder, from its CSV files):\n"
"      --from T, --to T zoom the timeline and latency figures into [T, T], e.g.\n"
"                       --to 200ms: drawn as timeline-0-200ms.png, beside the run's own\n"
"      --format F       png (default), svg or pdf; data: write the figures' data\n"
"                       files only (timeline.dat, latency.dat, cores.dat,\n"
"                       asymmetry.dat), for another program to draw\n"
"\n"
"explain: a run folder told in words, event by event (gilsim explain --help)\n"
"lab: handouts and answer keys of labs, one variant per student (gilsim lab --help)\n"
"";

const char help_topics_intro[] =
"\n"
"gilsim help TOPIC prints a reference table (--markdown: as the READMEs have it):\n";

const char help_environment[] =
"\n"
"environment:\n"
"  GILSIM_DATADIR   the folder holding gilsim's gnuplot scripts (plots/) and shipped\n"
"                   configs; default: PREFIX/share/gilsim for PREFIX/bin/gilsim, or the\n"
"                   source tree of a binary built there\n"
"  GILSIM_LABS      the folder of labs; default: configs/labs in the current folder,\n"
"                   else the data folder's\n";

const char help_exit_status[] =
"\n"
"exit status:\n"
"  0                done (a program that hangs is a result: summary.csv's ended_by says\n"
"                   deadlock)\n"
"  1                the run failed: the output folder cannot be written or is in use by\n"
"                   another run, the disk or standard output is full\n"
"  2                bad input: usage, a config, a run folder, a roster or a submission\n"
"  130, 143, 129    stopped by SIGINT, SIGTERM or SIGHUP\n";
