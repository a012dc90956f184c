/* test_help.c — `gilsim help` prints each reference table whole, and the
 * tables are what gilsim does: the header rows a run and a sweep write are
 * the column table's names; every event, drop reason and log kind in a
 * run's files is in the event table and every entry of it shows up in
 * some run; every key and op help lists is one the loader takes, under
 * the path help gives it; every GIL policy help lists runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "clilib.h"
#include "columns.h"
#include "config.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return tmp_make(tmpdir, sizeof tmpdir, "help");
}

static int teardown(void **state)
{
    (void)state;
    return tmp_remove(tmpdir);
}

/* `gilsim help ARGS`'s stdout (malloc'd); it must succeed. */
static char *help(const char *args)
{
    char cmd[256];
    char *out = NULL;
    snprintf(cmd, sizeof cmd, "help %s", args);
    int rc = gilsim_cmd(tmpdir, cmd, &out, NULL);
    assert_int_equal(rc, 0);
    return out;
}

/* Whether the line at l holds s before its end. */
static int line_has(const char *l, const char *s)
{
    const char *hit = strstr(l, s), *end = strchr(l, '\n');
    return hit && (!end || hit < end);
}

/* The first line of `text` that starts with `start` and holds `has`
 * (NULL: none): one row of a table. */
static const char *row_of(const char *text, const char *start, const char *has)
{
    size_t n = strlen(start);
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (strncmp(l, start, n) == 0 && line_has(l, has))
            return l;
    return NULL;
}

/* ---- the topics -------------------------------------------------------- */

static void test_help_lists_topics(void **state)
{
    (void)state;
    static const char *const topics[] = {"keys", "reference", "ops", "events", "columns",
                                         "gils", "imports", "glossary", "lab"};
    char *out = help(""), *err, *usage;
    assert_int_equal(gilsim_cmd(tmpdir, "--help", &usage, NULL), 0);
    assert_non_null(strstr(usage, "gilsim help TOPIC"));
    for (size_t i = 0; i < sizeof topics / sizeof topics[0]; i++) {
        char row[32];
        snprintf(row, sizeof row, "  %s ", topics[i]);
        assert_non_null(row_of(out, row, ""));
        if (!row_of(usage, row, ""))
            fail_msg("gilsim --help does not list the help topic '%s'", topics[i]);
    }
    free(usage);
    free(out);
    assert_int_equal(gilsim_cmd(tmpdir, "help nosuch", NULL, &err), 2);
    assert_non_null(strstr(err, "unknown topic 'nosuch' "
                                "(topics: keys, reference, ops, events, columns, gils, imports, "
                                "glossary, lab)"));
    free(err);
    assert_int_equal(gilsim_cmd(tmpdir, "help keys --bogus", NULL, &err), 2);
    free(err);
}

/* gilsim config-reference [--markdown] is help reference: a block per key
 * as text, a row per key in Markdown; anything else is a usage error. */
static void test_config_reference_command(void **state)
{
    (void)state;
    char *text, *md, *err;
    assert_int_equal(gilsim_cmd(tmpdir, "config-reference", &text, NULL), 0);
    char *help_text = help("reference");
    assert_string_equal(text, help_text);
    assert_int_equal(gilsim_cmd(tmpdir, "config-reference --markdown", &md, NULL), 0);
    assert_non_null(row_of(text, "  os.sched_latency", ""));
    assert_non_null(row_of(text, "      duration > 0; default 6ms; in ns, us, ms, s", ""));
    assert_non_null(row_of(md, "| `os.sched_latency` | duration > 0 | 6ms | ns, us, ms, s | ",
                           "kernel/sched/fair.c"));
    assert_non_null(row_of(md, "| `processes` | list of processes | required |", ""));
    for (const char *l = text; (l = strchr(l, '\n')); l++)   /* wrapped for a terminal */
        assert_true(strcspn(l + 1, "\n") <= 79 || !strchr(l + 1, ' ') ||
                    strchr(l + 1, ' ') > strchr(l + 1, '\n'));
    char *usage;
    assert_int_equal(gilsim_cmd(tmpdir, "config-reference --help", &usage, NULL), 0);
    assert_non_null(strstr(usage, "usage: gilsim config-reference [--markdown]"));
    free(usage);
    assert_int_equal(gilsim_cmd(tmpdir, "config-reference --bogus", NULL, &err), 2);
    assert_non_null(strstr(err, "config-reference: unexpected argument '--bogus'"));
    free(err);
    free(text);
    free(help_text);
    free(md);
}

/* Every row of events.def, text and Markdown, with its meaning. */
static const struct { const char *name, *meaning; } event_rows[] = {
#define EV_STATE(id, name, meaning, detail) {name, meaning},
#define EV_GIL(id, name, meaning, detail) {name, meaning},
#define EV_DROP(id, name, meaning) {name, meaning},
#define EV_OTHER(id, name, meaning, detail) {name, meaning},
#define EV_LOG(id, name, meaning) {name, meaning},
#include "events.def"
};

static void test_help_events_every_entry(void **state)
{
    (void)state;
    char *text = help("events"), *md = help("events --markdown");
    for (size_t i = 0; i < sizeof event_rows / sizeof event_rows[0]; i++) {
        char row[96];
        snprintf(row, sizeof row, "  %s ", event_rows[i].name);
        if (!row_of(text, row, event_rows[i].meaning))
            fail_msg("help events: no row '%s' with its meaning", event_rows[i].name);
        snprintf(row, sizeof row, "| `%s` | ", event_rows[i].name);
        if (!row_of(md, row, event_rows[i].meaning))
            fail_msg("help events --markdown: no row '%s' with its meaning", event_rows[i].name);
    }
    free(text);
    free(md);
}

/* Each file under its heading, its columns in the table's order. */
static void test_help_columns_in_order(void **state)
{
    (void)state;
    char *md = help("columns --markdown");
    for (int i = 0; i < COL__FILES; i++) {
        const col_file_t *f = &col_files[i];
        char want[512];
        snprintf(want, sizeof want, "### %s — %s\n", f->name, f->rows);
        const char *at = strstr(md, want);
        if (!at)
            fail_msg("help columns: no heading '%s'", want);
        const char *next = strstr(at + 1, "### ");
        for (int c = 0; c < f->ncols; c++) {
            snprintf(want, sizeof want, "| `%s` | %s | %s |\n", f->cols[c].name, f->cols[c].unit,
                     f->cols[c].meaning);
            const char *row = strstr(at, want);
            if (!row || (next && row > next))
                fail_msg("help columns: %s's column %d (%s) missing or out of order", f->name,
                         c, f->cols[c].name);
            at = row;
        }
    }
    free(md);
}

/* ---- the tables are what gilsim writes --------------------------------- */

/* A file's fixed column names (the rows in angle brackets are named by
 * the run), comma-separated. */
static char *names_joined(enum col_file_id file, int from, int to)
{
    static char buf[2048];
    size_t n = 0;
    buf[0] = '\0';
    for (int c = from; c < to; c++)
        if (!col_named_later(&col_files[file].cols[c]))
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? "," : "",
                                  col_files[file].cols[c].name);
    return buf;
}

/* The first line of DIR/NAME, without its newline (malloc'd). */
static char *first_line(const char *dir, const char *name)
{
    char path[512];
    size_t n;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *s = slurp(path, &n);
    s[strcspn(s, "\n")] = '\0';
    return s;
}

static void test_headers_are_the_table(void **state)
{
    (void)state;
    char args[600], dir[300], want[2400];
    snprintf(dir, sizeof dir, "%s/run", tmpdir);
    snprintf(args, sizeof args, "run configs/producer_consumer.yaml -q -o '%s'", dir);
    assert_int_equal(gilsim_cmd(tmpdir, args, NULL, NULL), 0);
    static const enum col_file_id files[] = {COL_TRACE_CSV, COL_LOG_CSV, COL_THREADS_CSV,
                                             COL_TASKS_CSV, COL_SUMMARY_CSV};
    /* summary.csv's named columns: its mark's text, then its thread groups'
     * finish, Jain index and CV */
    static const char *const named[] = {"", "", "", "",
        ",\"mark:all records written\",\"finished:app/consumer\",\"finished:app/main\","
        "\"finished:app/producer\",\"jain:app/consumer\",\"jain:app/main\",\"jain:app/producer\","
        "\"cv:app/consumer\",\"cv:app/main\",\"cv:app/producer\""};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        const col_file_t *f = &col_files[files[i]];
        char *got = first_line(dir, f->name);
        snprintf(want, sizeof want, "%s%s", names_joined(files[i], 0, f->ncols), named[i]);
        assert_string_equal(got, want);
        free(got);
    }
    /* sweep.csv: run, the --vary key, then summary.csv's columns */
    snprintf(dir, sizeof dir, "%s/sweep", tmpdir);
    snprintf(args, sizeof args, "sweep configs/io_threads.yaml -q --vary machine.cores=1,2 -o '%s'",
             dir);
    assert_int_equal(gilsim_cmd(tmpdir, args, NULL, NULL), 0);
    snprintf(want, sizeof want, "%s,\"machine.cores\",",
             col_files[COL_SWEEP_CSV].cols[COL_SWEEP_RUN].name);
    strcat(want, names_joined(COL_SUMMARY_CSV, 0, COL_SUMMARY__COUNT));
    strcat(want, ",\"finished:app/fetch\",\"jain:app/fetch\",\"cv:app/fetch\"");
    char *got = first_line(dir, "sweep.csv");
    assert_string_equal(got, want);
    free(got);
}

/* A config under which, with the new GIL, the old one and the
 * free-threaded build with stop-the-world pauses, every entry of
 * events.def shows up. */
static const char every_event_yaml[] =
    "duration: 1s\n"
    "objects:\n"
    "  - {name: l, kind: lock}\n"
    "functions:\n"
    "  job: {params: {n: duration}, body: [{cpu: $n}]}\n"
    "  spin: {body: [{repeat: forever, do: [{cpu: 1ms}]}]}\n"
    "  fails: {body: [{raise: ValueError}]}\n"
    "  step: {async: true, body: [{await: {sleep: 1ms}}, {await: {io: 1ms}}]}\n"
    "  amain:\n"
    "    async: true\n"
    "    body: [{create_task: step, count: 2, as: ts}, {await: {gather: ts}}]\n"
    "processes:\n"
    "  - name: app\n"
    "    main:\n"
    "      - mark: begin\n"
    "      - {with_pool: process, max_workers: 1, do: [{map: job, over: [1ms, 2ms]}]}\n"
    "      - start: fails\n"
    "      - asyncio_run: amain\n"
    "    threads:\n"
    "      - name: t\n"
    "        count: 2\n"
    "        program:\n"
    "          - repeat: 5\n"
    "            do: [{cpu: 40ms}, {native: 1ms}, {io: 1ms}, {sleep: 1ms},\n"
    "                 {with_lock: l, do: [{cpu: 1ms}]}]\n"
    "  - name: doomed\n"
    "    main: [{start: spin, daemon: true}, {sleep: 5ms}, {crash: boom}]\n";

/* The old GIL's own words (drops at a check): CPU-bound threads, without
 * the asyncio and concurrent.futures that no old-GIL Python had. */
static const char old_gil_yaml[] =
    "python: {gil: old}\n"
    "processes:\n"
    "  - threads: [{count: 2, program: [{cpu: 20ms}, {io: 1ms}, {cpu: 20ms}]}]\n";

/* A program that hangs (a lock it already holds): log.csv's deadlock rows. */
static const char hang_yaml[] =
    "objects: [{name: a, kind: lock}]\n"
    "processes:\n"
    "  - main: [{with_lock: a, do: [{with_lock: a, do: [{cpu: 1us}]}]}]\n";

static const char *const trace_events[] = {
#define EV_STATE(id, name, meaning, detail) name,
#define EV_GIL(id, name, meaning, detail) name,
#define EV_OTHER(id, name, meaning, detail) name,
#include "events.def"
};
static const char *const drop_reasons[] = {
#define EV_DROP(id, name, meaning) name,
#include "events.def"
};
static const char *const log_kinds[] = {
#define EV_LOG(id, name, meaning) name,
#include "events.def"
};
#define NTRACE (sizeof trace_events / sizeof trace_events[0])
#define NDROP (sizeof drop_reasons / sizeof drop_reasons[0])
#define NLOG (sizeof log_kinds / sizeof log_kinds[0])

/* Field i of a CSV line, its quotes taken off, into buf. */
static const char *field(const char *line, int i, char *buf, size_t size)
{
    size_t n = 0;
    int quoted = 0;
    for (const char *p = line; *p && *p != '\n' && (quoted || *p != ',' || i > 0); p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == ',' && !quoted)
            i--;
        else if (i == 0 && n + 1 < size)
            buf[n++] = *p;
    }
    buf[n] = '\0';
    return buf;
}

static int index_of(const char *const *names, size_t n, const char *word)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], word))
            return (int)i;
    return -1;
}

/* Marks what dir/NAME (trace.csv or log.csv) holds; fails on a word that
 * is not in events.def. */
static void mark_words(const char *dir, const char *name, int *seen, int *seen_drop)
{
    char path[512], ev[64], detail[256];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = slurp(path, &len);
    int is_trace = !strcmp(name, "trace.csv");
    for (char *l = strchr(text, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
        field(l + 1, 4, ev, sizeof ev);
        int i = is_trace ? index_of(trace_events, NTRACE, ev) : index_of(log_kinds, NLOG, ev);
        if (i < 0)
            fail_msg("%s holds '%s', which events.def does not define", path, ev);
        seen[i] = 1;
        if (is_trace && !strcmp(ev, "gil_drop")) {
            int d = index_of(drop_reasons, NDROP, field(l + 1, 5, detail, sizeof detail));
            if (d < 0)
                fail_msg("%s: a gil_drop's detail '%s' is no drop reason of events.def", path,
                         detail);
            seen_drop[d] = 1;
        }
    }
    free(text);
}

static void test_written_events_are_the_table(void **state)
{
    (void)state;
    static const struct { const char *yaml, *args; } runs[] = {
        {every_event_yaml, ""},
        {old_gil_yaml, ""},
        {every_event_yaml,
         "--set python.gil=none --set python.version=3.14 --set python.stw_interval=10ms"},
        {hang_yaml, ""},
    };
    int seen[NTRACE] = {0}, seen_drop[NDROP] = {0}, seen_log[NLOG] = {0};
    char yaml[300], dir[300], args[900];
    snprintf(yaml, sizeof yaml, "%s/every.yaml", tmpdir);
    for (size_t g = 0; g < sizeof runs / sizeof runs[0]; g++) {
        FILE *f = fopen(yaml, "w");
        assert_non_null(f);
        fputs(runs[g].yaml, f);
        fclose(f);
        snprintf(dir, sizeof dir, "%s/every-%zu", tmpdir, g);
        snprintf(args, sizeof args, "run '%s' -q -o '%s' %s", yaml, dir, runs[g].args);
        assert_int_equal(gilsim_cmd(tmpdir, args, NULL, NULL), 0);
        mark_words(dir, "trace.csv", seen, seen_drop);
        mark_words(dir, "log.csv", seen_log, NULL);
    }
    for (size_t i = 0; i < NTRACE; i++)
        if (!seen[i])
            fail_msg("events.def: no run wrote the event '%s'", trace_events[i]);
    for (size_t i = 0; i < NDROP; i++)
        if (!seen_drop[i])
            fail_msg("events.def: no run dropped the GIL for '%s'", drop_reasons[i]);
    for (size_t i = 0; i < NLOG; i++)
        if (!seen_log[i])
            fail_msg("events.def: no run logged a '%s'", log_kinds[i]);
}

/* ---- keys, ops and GIL policies are the loader's ----------------------- */

/* Every kind of section the loader has: a list entry, a function, a
 * parameter given as a mapping. */
static const char loader_yaml[] =
    "objects: [{name: l, kind: lock}]\n"
    "functions:\n"
    "  f: {params: {x: {type: duration}}, body: [{sleep: $x}]}\n"
    "processes:\n"
    "  - main: [{call: f, args: [1ms]}]\n"
    "    threads: [{program: [{cpu: 1ms}]}]\n";

/* The loader's message for --set PATH=VALUE on loader_yaml ("" if it loads). */
static const char *set_message(const char *path, const char *value)
{
    static char err[CFG_ERR_MAX];
    char set[256];
    char *sets[] = {set};
    config_t cfg;
    snprintf(set, sizeof set, "%s=%s", path, value);
    if (cfg_load_string("keys.yaml", loader_yaml, sets, 1, &cfg, err) != 0)
        return err;
    cfg_free(&cfg);
    return "";
}

typedef struct key_check {
    const char *md;              /* help keys --markdown */
    int n;
} key_check_t;

/* A key help lists: in its section's row, and known to the loader under
 * that path ("processes[]" is "processes.0", NAME and PARAM the names in
 * loader_yaml), while a misspelling there is an unknown key. */
static void check_key(void *ctx, const char *section, const char *key, int required)
{
    key_check_t *k = ctx;
    char row[128], code[64], path[256];
    size_t n = 0;
    (void)required;
    snprintf(row, sizeof row, *section ? "| `%s` | " : "| (top level) | ", section);
    snprintf(code, sizeof code, "`%s`", key);
    if (!row_of(k->md, row, code))
        fail_msg("help keys: no %s in the row of section '%s'", code, section);
    static const char *const words[][2] = {{"[]", ".0"}, {"NAME", "f"}, {"PARAM", "x"}};
    for (const char *p = section; *p && n + 8 < sizeof path;) {
        size_t w = 0;
        while (w < 3 && strncmp(p, words[w][0], strlen(words[w][0])) != 0)
            w++;
        const char *put = w < 3 ? words[w][1] : p;
        size_t len = w < 3 ? strlen(put) : 1;
        memcpy(path + n, put, len);
        n += len;
        p += w < 3 ? strlen(words[w][0]) : 1;
    }
    snprintf(path + n, sizeof path - n, "%s%s", *section ? "." : "", key);
    const char *msg = set_message(path, "@");
    if (strstr(msg, "unknown key"))
        fail_msg("help keys lists %s, which the loader does not know: %s", path, msg);
    strcat(path, "_");
    if (!strstr(set_message(path, "@"), "unknown key"))
        fail_msg("the loader takes %s: help keys does not show where %s sits", path, key);
    k->n++;
}

static void test_help_keys_are_the_loaders(void **state)
{
    (void)state;
    key_check_t k = {.md = help("keys --markdown")};
    cfg_each_key(check_key, &k);
    assert_true(k.n > 50);
    free((char *)k.md);
}

/* The loader's message for a main program of one op, written as YAML
 * flow (e.g. "{start: 1, zzz: 1}"). */
static const char *op_message(const char *op)
{
    static char err[CFG_ERR_MAX];
    char yaml[256];
    config_t cfg;
    snprintf(yaml, sizeof yaml, "processes: [{main: [%s]}]\n", op);
    if (cfg_load_string("ops.yaml", yaml, NULL, 0, &cfg, err) != 0)
        return err;
    cfg_free(&cfg);
    return "";
}

/* The keys an op takes beside its kind, as help and the loader's
 * messages list them. */
static void check_op_keys(const char *md, const cfg_op_doc_t *op)
{
    char row[64], code[64], takes[512], call[128];
    size_t n = (size_t)snprintf(takes, sizeof takes, "('%s' takes: %s", op->key, op->key);
    const char *missing = NULL;
    snprintf(row, sizeof row, "| `%s` | ", op->key);
    assert_non_null(row_of(md, row, ""));
    for (int j = 0; j < op->nkeys; j++) {
        int required = (op->required >> j) & 1;
        snprintf(code, sizeof code, "`%s`%s", op->keys[j], required ? " (required)" : "");
        if (!row_of(md, row, code))
            fail_msg("help ops: %s lacks %s", op->key, code);
        n += (size_t)snprintf(takes + n, sizeof takes - n, ", %s", op->keys[j]);
        if (required && !missing)
            missing = op->keys[j];
    }
    snprintf(takes + n, sizeof takes - n, ")");
    snprintf(call, sizeof call, "{%s: 1, zzz: 1}", op->key);
    if (!strstr(op_message(call), takes))
        fail_msg("help ops: %s takes %s; the loader: %s", op->key, takes, op_message(call));
    snprintf(call, sizeof call, "{%s: 1}", op->key);
    const char *msg = op_message(call);
    snprintf(code, sizeof code, "missing required key '%s'", missing ? missing : "");
    if (missing ? !strstr(msg, code) : !!strstr(msg, "missing required key"))
        fail_msg("help ops: %s requires %s; the loader: %s", op->key,
                 missing ? missing : "nothing", msg);
}

/* Each op with the keys it takes; an unknown op is told the same list. */
static void test_help_ops_are_the_loaders(void **state)
{
    (void)state;
    char *md = help("ops --markdown"), list[1024];
    size_t n = 0;
    cfg_op_doc_t op;
    for (int i = 0; cfg_op_doc(i, &op) == 0; i++) {
        check_op_keys(md, &op);
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", op.key);
    }
    const char *known = strstr(op_message("{bogus: 1}"), "(known keys: ");
    assert_non_null(known);
    if (strncmp(known + strlen("(known keys: "), list, n) != 0)
        fail_msg("help ops lists %s; the loader: %s", list, known);
    free(md);
}

/* Each policy help lists runs; the loader knows those and no more. */
static void test_help_gils_run(void **state)
{
    (void)state;
    char *text = help("gils"), list[256] = "", args[400];
    size_t n = 0;
    int count = 0;
    for (const char *l = strchr(text, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
        char name[64];
        assert_int_equal(sscanf(l + 1, " %63s", name), 1);
        snprintf(args, sizeof args, "run configs/convoy.yaml -q --trace none --set python.gil=%s",
                 name);
        if (gilsim_cmd(tmpdir, args, NULL, NULL) != 0)
            fail_msg("help gils lists '%s', which does not run", name);
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", count++ ? ", " : "", name);
    }
    char want[300];
    snprintf(want, sizeof want, "(known: %s)", list);
    const char *msg = set_message("python.gil", "zzz");
    if (!strstr(msg, want))
        fail_msg("help gils lists %s; the loader: %s", list, msg);
    assert_true(count >= 4);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_lists_topics),
        cmocka_unit_test(test_config_reference_command),
        cmocka_unit_test(test_help_events_every_entry),
        cmocka_unit_test(test_help_columns_in_order),
        cmocka_unit_test(test_headers_are_the_table),
        cmocka_unit_test(test_written_events_are_the_table),
        cmocka_unit_test(test_help_keys_are_the_loaders),
        cmocka_unit_test(test_help_ops_are_the_loaders),
        cmocka_unit_test(test_help_gils_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
