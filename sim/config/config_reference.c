/* config_reference.c — the config reference (`gilsim config-reference`,
 * `gilsim help reference`, gilsim-config(5), configs/README.md's table): one row
 * per key the loader accepts.
 *
 * What can be read from the loader is read from it, so that it cannot
 * drift: the keys, their order and whether they are required come from
 * config.c's tables (cfg_each_field); a key's type from its field's kind;
 * its default, for a setting of the machine, os, python, multiprocessing
 * and asyncio sections, from the values a config starts from
 * (cfg_set_defaults), written as --print-config writes it.  The prose
 * (meaning, source, a default that is not a plain value) is keydocs.def's,
 * matched to the keys by name: a key without prose, or prose without a
 * key, is an error the unit tests catch. */
#include <stdio.h>
#include <string.h>
#include "config/config_internal.h"
#include "config/config_nodes.h"
#include "config/config_print.h"
#include "config/config_program.h"
#include "config/config_tables.h"

struct key_doc {
    const char *key, *dflt, *unit, *meaning, *source;
};

static const struct key_doc key_docs[] = {
#define KEY_DOC(key, dflt, unit, meaning, source) {key, dflt, unit, meaning, source},
#include "config/keydocs.def"
#undef KEY_DOC
};

/* The type of a key whose field the loader reads by hand (F_CUSTOM) or
 * keeps as a node for later (F_NODE); the word lists come from the
 * loader's own tables (one_of_words). */
static const struct { const char *key, *type; } hand_read_types[] = {
    {"objects", "list of objects"},
    {"functions", "mapping of names to functions"},
    {"processes", "list of processes"},
    {"os.pipe_buffer", "size"},
    {"os.socket_sndbuf", "size"},
    {"os.skb_overhead", "size"},
    {"python.imports", "list of module names"},
    {"objects[].name", "name"},
    {"objects[].kind", NULL},
    {"objects[].maxsize", "integer >= 0"},
    {"functions.NAME.async", "true | false"},
    {"functions.NAME.params", "mapping of names to types"},
    {"functions.NAME.body", "list of ops"},
    {"functions.NAME.params.PARAM.type", NULL},
    {"functions.NAME.params.PARAM.default", "a value of the type"},
    {"processes[].main", "list of ops"},
    {"processes[].threads", "list of thread groups"},
    {"processes[].threads[].program", "list of ops"},
    {"processes[].threads[].affinity", "list of core numbers"},
};

/* "a | b | c" into b[n]. */
static void one_of_words(char *b, size_t n, const char *const *words, int nwords)
{
    size_t len = 0;
    b[0] = '\0';
    for (int i = 0; i < nwords && len < n; i++)
        len += (size_t)snprintf(b + len, n - len, "%s%s", i ? " | " : "", words[i]);
}

static void type_text(const struct field *f, const char *key, char *b, size_t n)
{
    static const char *const bools[] = {"true", "false"};
    switch (f->type) {
    case F_COUNT: snprintf(b, n, "integer, 1 to %d", COUNT_MAX); return;
    case F_SEED: snprintf(b, n, "integer, 0 to 2^64 - 1"); return;
    case F_DUR_POS: snprintf(b, n, "duration > 0"); return;
    case F_DUR_NONNEG: snprintf(b, n, "duration"); return;
    case F_DIST: snprintf(b, n, "duration or distribution"); return;
    case F_NAME: snprintf(b, n, "name"); return;
    case F_BOOL: one_of_words(b, n, bools, 2); return;
    case F_VERSION: snprintf(b, n, "version (\"3.11\", \"3.13t\")"); return;
    case F_BYTES: snprintf(b, n, "size"); return;
    case F_REAL: snprintf(b, n, "number, 1 to 100"); return;
    case F_GIL: one_of_words(b, n, cfg_gil_names, CFG_GIL_POLICIES); return;
    case F_SCHED: one_of_words(b, n, cfg_sched_names, (int)ARRAY_LEN(cfg_sched_names)); return;
    case F_WAKEUP: one_of_words(b, n, cfg_wakeup_names, (int)ARRAY_LEN(cfg_wakeup_names)); return;
    case F_START_METHOD:
        one_of_words(b, n, cfg_start_method_names, (int)ARRAY_LEN(cfg_start_method_names));
        return;
    default: break;
    }
    b[0] = '\0';
    if (!strcmp(key, "machine.cores"))
        snprintf(b, n, "integer, 1 to %d", CORES_MAX);
    else if (!strcmp(key, "processes[].threads[].interpreter"))
        snprintf(b, n, "integer, 0 to %d", INTERPRETERS_MAX);
    else if (!strcmp(key, "objects[].kind"))
        one_of_words(b, n, cfg_object_kinds, CFG_OBJECT_KINDS);
    else if (!strcmp(key, "functions.NAME.params.PARAM.type"))
        one_of_words(b, n, cfg_param_type_names, CFG_PARAM_TYPES);
    else
        for (size_t i = 0; i < ARRAY_LEN(hand_read_types); i++)
            if (!strcmp(key, hand_read_types[i].key) && hand_read_types[i].type)
                snprintf(b, n, "%s", hand_read_types[i].type);
}

/* Durations and sizes say which units they take; other keys name theirs
 * in keydocs.def, or have none. */
static const char *unit_text(const struct field *f, const char *type)
{
    if (f->type == F_DUR_POS || f->type == F_DUR_NONNEG || f->type == F_DIST)
        return "ns, us, ms, s";
    if (!strcmp(type, "size"))
        return "B, KiB, MiB, GiB";
    return "";
}

/* A setting of config_t: its section is one the defaults fill. */
static int in_config_t(const char *section)
{
    return !strchr(section, '[') && strncmp(section, "functions", 9) != 0;
}

struct find {
    int want, seen;
    cfg_key_ref_t *out;
    const struct field *field;
    int in_config;
};

static void find_field(void *ctx, const char *section, const struct field *f)
{
    struct find *q = ctx;
    if (q->seen++ != q->want)
        return;
    snprintf(q->out->key, sizeof q->out->key, "%s%s%s", section, *section ? "." : "", f->key);
    q->field = f;
    q->out->required = f->required;
    q->in_config = in_config_t(section);
}

static const struct key_doc *doc_of(const char *key)
{
    for (size_t i = 0; i < ARRAY_LEN(key_docs); i++)
        if (!strcmp(key_docs[i].key, key))
            return &key_docs[i];
    return NULL;
}

int cfg_key_reference(int i, cfg_key_ref_t *out)
{
    struct find q = {.want = i, .out = out};
    memset(out, 0, sizeof *out);
    cfg_each_field(find_field, &q);
    if (!q.field)
        return -1;
    const struct key_doc *d = doc_of(out->key);
    type_text(q.field, out->key, out->type, sizeof out->type);
    if (!d || !*out->type)
        return -2;
    if (d->dflt) {
        snprintf(out->dflt, sizeof out->dflt, "%s", d->dflt);
    } else {
        config_t defaults = {0};
        cfg_set_defaults(&defaults);
        if (!q.in_config || cfg_field_text(q.field, &defaults, out->dflt, sizeof out->dflt))
            return -2;
        out->computed = 1;
    }
    out->unit = d->unit ? d->unit : unit_text(q.field, out->type);
    out->meaning = d->meaning;
    out->source = d->source;
    return 0;
}

static void count_fields(void *ctx, const char *section, const struct field *f)
{
    (void)section;
    (void)f;
    ++*(int *)ctx;
}

const char *cfg_key_reference_stray(void)
{
    int n = 0;
    cfg_key_ref_t ref;
    cfg_each_field(count_fields, &n);
    for (size_t d = 0; d < ARRAY_LEN(key_docs); d++) {
        int found = 0;
        for (int i = 0; i < n && !found; i++) {
            struct find q = {.want = i, .out = &ref};
            cfg_each_field(find_field, &q);
            found = !strcmp(ref.key, key_docs[d].key);
        }
        if (!found)
            return key_docs[d].key;
    }
    return NULL;
}
