/* config_print.c — the effective config (`gilsim run --print-config`):
 * the document as loaded, --set applied, with every setting the schema
 * tables list (machine, os, python, multiprocessing, asyncio; name,
 * duration, seed) written out at the value the run uses, defaults and
 * what the version implies included, in one form: times, distributions
 * and reals as dist_format writes them (the config's own syntax, exact),
 * a size in its largest exact binary unit.
 * Processes, objects and functions stay as written.  Loading the text
 * gives the same run, and printing it again gives the same text.  Every
 * load hashes the effective config (config_t.hash) without building it
 * (effective_pairs), so a run's files name the config that made them;
 * only --print-config builds and writes it, and checks that the two
 * agree. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config/config_imports.h"
#include "config/config_internal.h"
#include "config/config_nodes.h"
#include "config/config_print.h"
#include "engine/util.h"

static void put_bytes(char *b, size_t n, int64_t v)
{
    static const char *const units[] = {"GiB", "MiB", "KiB"};
    for (int i = 0; i < 3; i++) {
        int64_t size = (int64_t)1 << (10 * (3 - i));
        if (v != 0 && v % size == 0) {
            snprintf(b, n, "%" PRId64 "%s", v / size, units[i]);
            return;
        }
    }
    snprintf(b, n, "%" PRId64 "B", v);
}

int cfg_field_text(const struct field *f, const config_t *cfg, char *b, size_t n)
{
    const void *p = (const char *)cfg + f->off;
    switch (f->type) {
    case F_COUNT: snprintf(b, n, "%d", *(const int *)p); return 0;
    case F_SEED: snprintf(b, n, "%" PRIu64, *(const uint64_t *)p); return 0;
    case F_DUR_POS:
    case F_DUR_NONNEG: dist_time_format(*(const simtime_t *)p, b, (int)n); return 0;
    case F_DIST: dist_format((const dist_t *)p, b, (int)n); return 0;
    case F_BOOL: snprintf(b, n, "%s", *(const int *)p ? "true" : "false"); return 0;
    case F_REAL: dist_real_format(*(const double *)p, b, (int)n); return 0;
    case F_BYTES: put_bytes(b, n, *(const int64_t *)p); return 0;
    case F_GIL: snprintf(b, n, "%s", cfg_gil_names[*(const enum gil_policy *)p]); return 0;
    case F_VERSION: cfg_version_text(cfg, b, n); return 0;
    case F_SCHED: snprintf(b, n, "%s", cfg_sched_names[*(const enum os_scheduler *)p]); return 0;
    case F_WAKEUP: snprintf(b, n, "%s", cfg_wakeup_names[*(const enum gil_wakeup *)p]); return 0;
    case F_START_METHOD: {
        enum start_method m = *(const enum start_method *)p;
        if (m < START_FORK || m > START_SPAWN)
            return -1;
        snprintf(b, n, "%s", cfg_start_method_names[m - START_FORK]);
        return 0;
    }
    case F_CUSTOM:
        if (f->fn == cfg_buffer_field) {
            put_bytes(b, n, *(const int64_t *)p);
            return 0;
        }
        if (f->fn == cfg_cores_field) {
            snprintf(b, n, "%d", cfg->machine.cores);
            return 0;
        }
        return -1;
    default: return -1;
    }
}

/* map's pair for key, or NULL. */
static yaml_node_pair_t *pair_of(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strlen(key) == k->data.scalar.length &&
            !memcmp(k->data.scalar.value, key, k->data.scalar.length))
            return p;
    }
    return NULL;
}

static int scalar(yaml_document_t *doc, const char *text)
{
    return yaml_document_add_scalar(doc, NULL, (const yaml_char_t *)text, (int)strlen(text),
                                    YAML_ANY_SCALAR_STYLE);
}

/* map[key] = value (a node id), added at the end when key is new. */
static int set_pair(yaml_document_t *doc, int map, const char *key, int value)
{
    yaml_node_pair_t *p = pair_of(doc, yaml_document_get_node(doc, map), key);
    if (p) {
        p->value = value;
        return 0;
    }
    int k = scalar(doc, key);
    return k && yaml_document_append_mapping_pair(doc, map, k, value) ? 0 : -1;
}

/* python.imports: a sequence of the modules' names. */
static int imports_node(yaml_document_t *doc, uint64_t imports)
{
    int seq = yaml_document_add_sequence(doc, NULL, YAML_FLOW_SEQUENCE_STYLE);
    const char *name;
    simtime_t cost;
    uint64_t deps;
    for (int i = 0; seq && cfg_import_row(i, &name, &cost, &deps) == 0; i++)
        if (imports & ((uint64_t)1 << i)) {
            int item = scalar(doc, name);
            if (!item || !yaml_document_append_sequence_item(doc, seq, item))
                return 0;
        }
    return seq;
}

/* Every scalar setting of schema s into map (a node id); sections into
 * their own mappings, made when the config had none. */
static int write_schema(yaml_document_t *doc, int map, const struct schema *s,
                        const config_t *cfg)
{
    for (int i = 0; i < s->n; i++) {
        const struct field *f = &s->fields[i];
        char text[128];
        int value = 0;
        if (f->type == F_SECTION) {
            yaml_node_pair_t *p = pair_of(doc, yaml_document_get_node(doc, map), f->key);
            yaml_node_t *v = p ? yaml_document_get_node(doc, p->value) : NULL;
            value = v && v->type == YAML_MAPPING_NODE ? p->value
                  : yaml_document_add_mapping(doc, NULL, YAML_BLOCK_MAPPING_STYLE);
            if (!value || write_schema(doc, value, f->sub, cfg) != 0)
                return -1;
        } else if (f->type == F_CUSTOM && f->fn == cfg_imports_field)
            value = imports_node(doc, cfg->python.imports);
        else if (f->type == F_DUR_POS && f->off == offsetof(config_t, duration) && !cfg->duration)
            continue;                          /* no duration: none written */
        else if (f->type == F_NAME)
            value = scalar(doc, cfg->name);
        else if (cfg_field_text(f, cfg, text, sizeof text) == 0)
            value = scalar(doc, text);
        else
            continue;
        if (!value || set_pair(doc, map, f->key, value) != 0)
            return -1;
    }
    return 0;
}

static int grow_write(void *data, unsigned char *buffer, size_t size)
{
    struct { char *text; size_t len, cap; } *out = data;
    if (out->len + size + 1 > out->cap) {
        size_t cap = (out->len + size + 1) * 2;
        char *t = realloc(out->text, cap);
        if (!t)
            return 0;
        out->text = t;
        out->cap = cap;
    }
    memcpy(out->text + out->len, buffer, size);
    out->len += size;
    out->text[out->len] = '\0';
    return 1;
}

int cfg_effective_fill(struct ctx *c, const config_t *cfg, const struct schema *top)
{
    yaml_document_t *doc = c->doc;
    yaml_node_t *root = yaml_document_get_root_node(doc);
    int map = root ? (int)(root - doc->nodes.start) + 1 : 0;
    if (!map || write_schema(doc, map, top, cfg) != 0)
        return cfg_fail_file(c, "out of memory");
    return 0;
}

/* The hash of a tree: a node's kind, then its size (a scalar's length, a
 * collection's item count) and its contents, so that no two trees give the
 * same bytes.  A mapping's order is no part of it (YAML's mappings have
 * none, and a section --set adds goes last): each pair is hashed on its
 * own from FNV1A_OFFSET, key then value, and the pairs' hashes summed. */
struct pairs { uint64_t count, sum; };

/* v as 8 bytes, least significant first: the same hash on any host. */
static uint64_t fnv_u64(uint64_t h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++, v >>= 8)
        b[i] = (unsigned char)(v & 0xff);
    return fnv1a(h, b, sizeof b);
}

static uint64_t hash_kind(uint64_t h, yaml_node_type_t type, uint64_t size)
{
    unsigned char kind = (unsigned char)type;
    h = fnv1a(h, &kind, 1);
    return fnv_u64(h, size);
}

static uint64_t hash_scalar(uint64_t h, const char *text, size_t len)
{
    return fnv1a(hash_kind(h, YAML_SCALAR_NODE, len), text, len);
}

static uint64_t hash_mapping(uint64_t h, struct pairs p)
{
    return fnv_u64(hash_kind(h, YAML_MAPPING_NODE, p.count), p.sum);
}

/* The loader refused aliases and deep nesting (cfg_prescan): each node is
 * met once, and the recursion is shallow. */
static uint64_t hash_node(yaml_document_t *doc, const yaml_node_t *n, uint64_t h)
{
    if (!n)
        return hash_kind(h, YAML_NO_NODE, 0);
    if (n->type == YAML_SCALAR_NODE)
        return hash_scalar(h, (const char *)n->data.scalar.value, n->data.scalar.length);
    if (n->type == YAML_SEQUENCE_NODE) {
        h = hash_kind(h, YAML_SEQUENCE_NODE,
                      (uint64_t)(n->data.sequence.items.top - n->data.sequence.items.start));
        for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++)
            h = hash_node(doc, yaml_document_get_node(doc, *i), h);
        return h;
    }
    struct pairs p = {0, 0};
    for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < n->data.mapping.pairs.top; q++) {
        uint64_t key = hash_node(doc, yaml_document_get_node(doc, q->key), FNV1A_OFFSET);
        p.sum += hash_node(doc, yaml_document_get_node(doc, q->value), key);
        p.count++;
    }
    return hash_mapping(h, p);
}

/* The pairs of map (NULL: none written) once write_schema has filled it
 * in, without filling it: each setting's pair from cfg, as write_schema
 * writes it; a field it keeps as written (objects, functions, processes)
 * from the document. */
static struct pairs effective_pairs(yaml_document_t *doc, yaml_node_t *map,
                                    const struct schema *s, const config_t *cfg)
{
    struct pairs p = {0, 0};
    for (int i = 0; i < s->n; i++) {
        const struct field *f = &s->fields[i];
        yaml_node_pair_t *given = map ? pair_of(doc, map, f->key) : NULL;
        uint64_t key = hash_scalar(FNV1A_OFFSET, f->key, strlen(f->key)), value;
        char text[128];
        if (f->type == F_SECTION) {
            yaml_node_t *v = given ? yaml_document_get_node(doc, given->value) : NULL;
            value = hash_mapping(key, effective_pairs(doc, v && v->type == YAML_MAPPING_NODE
                                                     ? v : NULL, f->sub, cfg));
        } else if (f->type == F_CUSTOM && f->fn == cfg_imports_field) {
            const char *name;
            simtime_t cost;
            uint64_t deps, n = 0;
            for (int m = 0; cfg_import_row(m, &name, &cost, &deps) == 0; m++)
                n += (cfg->python.imports >> m) & 1;
            value = hash_kind(key, YAML_SEQUENCE_NODE, n);
            for (int m = 0; cfg_import_row(m, &name, &cost, &deps) == 0; m++)
                if ((cfg->python.imports >> m) & 1)
                    value = hash_scalar(value, name, strlen(name));
        } else if (f->type == F_DUR_POS && f->off == offsetof(config_t, duration) && !cfg->duration)
            continue;
        else if (f->type == F_NAME)
            value = hash_scalar(key, cfg->name, strlen(cfg->name));
        else if (cfg_field_text(f, cfg, text, sizeof text) == 0)
            value = hash_scalar(key, text, strlen(text));
        else if (given)
            value = hash_node(doc, yaml_document_get_node(doc, given->value), key);
        else
            continue;
        p.sum += value;
        p.count++;
    }
    return p;
}

void cfg_effective_hash(struct ctx *c, config_t *cfg, const struct schema *top)
{
    yaml_node_t *root = yaml_document_get_root_node(c->doc);
    cfg->hash = hash_mapping(FNV1A_OFFSET, effective_pairs(c->doc, root, top, cfg));
}

int cfg_effective_check(struct ctx *c, const config_t *cfg)
{
    if (hash_node(c->doc, yaml_document_get_root_node(c->doc), FNV1A_OFFSET) != cfg->hash)
        return cfg_fail_file(c, "internal error: the effective config's hash is not its "
                                "tree's");
    return 0;
}

int cfg_effective_text(struct ctx *c, char **text)
{
    yaml_document_t *doc = c->doc;
    struct { char *text; size_t len, cap; } out = {0};
    yaml_emitter_t em;
    if (!yaml_emitter_initialize(&em))
        return cfg_fail_file(c, "out of memory");
    yaml_emitter_set_output(&em, grow_write, &out);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, 100);
    int ok = yaml_emitter_open(&em) && yaml_emitter_dump(&em, doc) && yaml_emitter_close(&em);
    yaml_emitter_delete(&em);
    memset(doc, 0, sizeof *doc);     /* the emitter destroyed it, pass or fail: the loader's
                                        yaml_document_delete finds it empty */
    if (!ok || !out.text) {
        free(out.text);
        return cfg_fail_file(c, "cannot write the effective config");
    }
    *text = out.text;
    return 0;
}
