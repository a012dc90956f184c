/* config_yaml.c — reading a config's YAML into a libyaml document (with
 * the syntax errors located and explained), and splicing --set overrides
 * into that document so they get exactly the checks the file gets.  It
 * knows YAML, not the config's keys: the schema walker reads the document
 * it makes. */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "config/config_errors.h"
#include "config/config_yaml.h"

/* ---- --set ------------------------------------------------------------- */

static void mark_as_set(struct ctx *c, int id, int si)
{
    yaml_node_t *n = cfg_node(c, id);
    yaml_mark_t m = { SET_MARK, (size_t)si, 0 };
    n->start_mark = n->end_mark = m;
}

static int add_scalar(struct ctx *c, const char *s, size_t len, int si)
{
    int id = len > INT_MAX ? 0 :
             yaml_document_add_scalar(c->doc, NULL, (const yaml_char_t *)s, (int)len,
                                      YAML_PLAIN_SCALAR_STYLE);
    if (id) mark_as_set(c, id, si);
    return id;
}

static int add_mapping(struct ctx *c, int si)
{
    int id = yaml_document_add_mapping(c->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
    if (id) mark_as_set(c, id, si);
    return id;
}

/* Index of the pair in mapping `map` whose key is comp[0..n), or -1. */
static int find_pair(struct ctx *c, int map, const char *comp, size_t n)
{
    yaml_node_t *m = cfg_node(c, map);
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = cfg_node(c, p->key);
        if (k->type == YAML_SCALAR_NODE && k->data.scalar.length == n &&
            memcmp(k->data.scalar.value, comp, n) == 0)
            return (int)(p - m->data.mapping.pairs.start);
    }
    return -1;
}

/* The sequence item slot comp names, or NULL (error reported).  prefix is
 * the path up to the sequence, for the message. */
static int *seq_slot(struct ctx *c, int seq, const char *comp, size_t n, yaml_mark_t m,
                     int prefix, const char *path)
{
    yaml_node_t *s = cfg_node(c, seq);
    int len = cfg_seq_len(s);
    long long idx = 0;

    for (size_t i = 0; i < n; i++) {
        if (comp[i] < '0' || comp[i] > '9') {
            cfg_fail_at(c, m, "'%.*s' is a sequence: expected a numeric index, got '%.*s'",
                    prefix, path, (int)n, comp);
            return NULL;
        }
        if (idx <= len) idx = idx * 10 + (comp[i] - '0');
    }
    if (idx >= len) {
        cfg_fail_at(c, m, "index %.*s is out of range: '%.*s' has %d entr%s", (int)n, comp,
                prefix, path, len, len == 1 ? "y" : "ies");
        return NULL;
    }
    return &s->data.sequence.items.start[idx];
}

/* The slot in node `parent` that holds comp's value, adding comp to a
 * mapping (with an empty value) if it isn't there.  Slots live in the
 * parent's pair or item array, which adding nodes to the document doesn't
 * move. */
static int *child_slot(struct ctx *c, int parent, const char *comp, size_t n, int si)
{
    const char *path = c->sets[si];
    int prefix = comp > path ? (int)(comp - path - 1) : 0;
    yaml_mark_t m = { SET_MARK, (size_t)si, 0 };
    yaml_node_t *p = cfg_node(c, parent);
    int pair, k, v;

    if (p->type == YAML_SEQUENCE_NODE) return seq_slot(c, parent, comp, n, m, prefix, path);
    if (p->type != YAML_MAPPING_NODE) {
        cfg_fail_at(c, m, "'%.*s' is a single value, it has no '%.*s'", prefix, path, (int)n, comp);
        return NULL;
    }
    if ((pair = find_pair(c, parent, comp, n)) < 0) {
        if (!(k = add_scalar(c, comp, n, si)) || !(v = add_scalar(c, "", 0, si)) ||
            !yaml_document_append_mapping_pair(c->doc, parent, k, v)) {
            cfg_fail_at(c, m, "cannot add key '%.*s' (out of memory or not UTF-8)", (int)n, comp);
            return NULL;
        }
        pair = find_pair(c, parent, comp, n);
    }
    return &cfg_node(c, parent)->data.mapping.pairs.start[pair].value;
}

int cfg_apply_set(struct ctx *c, int si)
{
    const char *s = c->sets[si], *eq = strchr(s, '='), *comp = s;
    yaml_mark_t m = { SET_MARK, (size_t)si, 0 };
    int cur = 1;   /* the root node's id */

    if (!eq || eq == s) return cfg_fail_at(c, m, "expected key.path=value");
    for (;;) {
        const char *dot = memchr(comp, '.', (size_t)(eq - comp));
        const char *end = dot ? dot : eq;
        int *slot, id;
        if (end == comp) return cfg_fail_at(c, m, "empty key in the path: expected key.path=value");
        if (!(slot = child_slot(c, cur, comp, (size_t)(end - comp), si))) return -1;
        if (!dot) {
            if (!(id = add_scalar(c, eq + 1, strlen(eq + 1), si)))
                return cfg_fail_at(c, m, "cannot store the value (out of memory or not UTF-8)");
            *slot = id;
            return 0;
        }
        /* walking on through an empty value ("os:" alone) makes it a mapping */
        if (cfg_is_empty(cfg_node(c, *slot))) {
            if (!(id = add_mapping(c, si))) return cfg_fail_at(c, m, "out of memory");
            *slot = id;
        }
        cur = *slot;
        comp = dot + 1;
    }
}

/* ---- loading ----------------------------------------------------------- */

/* libyaml reports reader errors (bad UTF-8) as a byte offset only. */
static yaml_mark_t mark_of_offset(const char *s, size_t len, size_t off)
{
    yaml_mark_t m = { 0, 0, 0 };
    for (size_t i = 0; i < off && i < len; i++) {
        if (s[i] == '\n') { m.line++; m.column = 0; }
        else if (((unsigned char)s[i] & 0xC0) != 0x80) m.column++;
    }
    return m;
}

static int syntax_error(struct ctx *c, const yaml_parser_t *p, const char *s, size_t len)
{
    yaml_mark_t m = p->problem_mark;
    const char *problem = p->problem ? p->problem : "malformed YAML";

    if (p->error == YAML_MEMORY_ERROR) return cfg_fail_file(c, "out of memory");
    if (p->error == YAML_READER_ERROR) {
        size_t off = p->problem_offset;
        if (!strstr(problem, "UTF-8"))
            return cfg_fail_at(c, mark_of_offset(s, len, off), "YAML syntax error: %s (character 0x%X)",
                           problem, (unsigned)p->problem_value);
        /* point at the character that went wrong, not at its broken tail */
        for (size_t back = 1; back <= 3 && off >= back && off < len && (unsigned char)s[off] < 0xC0; back++)
            if ((unsigned char)s[off - back] >= 0xC0) { off -= back; break; }
        return cfg_fail_at(c, mark_of_offset(s, len, off), "the file is not valid UTF-8 here (%s): "
                       "save it as UTF-8", problem);
    }
    if (m.index < len && s[m.index] == '\t')
        return cfg_fail_at(c, m, "YAML syntax error: %s (indent with spaces: YAML does not "
                       "allow tabs)", problem);
    if (p->context)
        return cfg_fail_at(c, m, "YAML syntax error: %s (%s at %zu:%zu)", problem, p->context,
                       p->context_mark.line + 1, p->context_mark.column + 1);
    return cfg_fail_at(c, m, "YAML syntax error: %s", problem);
}

/* A pass over the events finds what the document API hides: aliases
 * (which could share or loop nodes under --set), extra documents, and
 * absurd nesting (libyaml's scanner slows down quadratically with it). */
int cfg_prescan(struct ctx *c, const char *s, size_t len)
{
    enum { MAX_NESTING = 256 };
    yaml_parser_t p;
    yaml_event_t ev;
    int docs = 0, rc = 0, done = 0, depth = 0;

    if (!yaml_parser_initialize(&p)) return cfg_fail_file(c, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)s, len);
    while (!done) {
        if (!yaml_parser_parse(&p, &ev)) { rc = syntax_error(c, &p, s, len); break; }
        if (ev.type == YAML_ALIAS_EVENT)
            rc = cfg_fail_at(c, ev.start_mark, "YAML aliases (*%.*s) are not supported: "
                         "write the value out in full", SHOW_MAX, (char *)ev.data.alias.anchor);
        else if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1)
            rc = cfg_fail_at(c, ev.start_mark, "a second YAML document: a config is one document");
        else if ((ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) &&
                 ++depth > MAX_NESTING)
            rc = cfg_fail_at(c, ev.start_mark, "nested more than %d levels deep", MAX_NESTING);
        else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
            depth--;
        done = rc || ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return rc;
}

int cfg_load_doc(struct ctx *c, const char *s, size_t len, yaml_document_t *doc)
{
    yaml_parser_t p;
    int rc = 0;

    if (!yaml_parser_initialize(&p)) return cfg_fail_file(c, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)s, len);
    if (!yaml_parser_load(&p, doc)) rc = syntax_error(c, &p, s, len);
    yaml_parser_delete(&p);
    return rc;
}
