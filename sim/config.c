/* config.c — loads a run's YAML config into a config_t.
 *
 * Every key, with its default ("required" keys have none):
 *
 *   name: <string>              default: the file's base name without extension
 *   machine:
 *     cores: <int >= 1>         default 4
 *   os:
 *     sched_latency: <dur > 0>  default 6ms
 *     min_granularity: <dur > 0> default 750us
 *     context_switch: <dur>     default 1us
 *     timer_slack: <dur>        default 50us
 *     wake_latency: <dist>      default lognormal(6us, 0.45)
 *   python:
 *     gil: new                  default new (the only policy so far)
 *     switch_interval: <dur > 0> default 15ms
 *     checkpoint_gap: <dur > 0> default 100ns
 *   duration: <dur > 0>         default: none, run until every thread is done
 *   seed: <int >= 0>            default 1
 *   processes:                  required, non-empty
 *     - name: <string>          default p<index>, unique among processes
 *       count: <int >= 1>       default 1
 *       threads:                required, non-empty
 *         - name: <string>      default t<index>, unique within the process
 *           count: <int >= 1>   default 1
 *           program:            required, non-empty sequence of ops:
 *             - cpu: <dist>     one key per op; cpu/native/io/sleep take a
 *             - native: <dist>  distribution that can be > 0
 *             - io: <dist>
 *             - sleep: <dist>
 *             - repeat: <int >= 1 | forever>   forever needs `duration:`
 *               do: [<op>, ...] required with repeat, nests up to
 *                               PROGRAM_MAX_DEPTH repeats deep
 *
 * Counts and cores are at most 1000000, and so is the run's total number
 * of threads (sum over processes of count * thread counts).
 * <dur> is a number and a unit (ns, us, ms, s): 15ms, 0.75ms, 1.5 s.
 * <dist> is a <dur> or exp(MEAN), uniform(A, B), normal(MEAN, SD),
 * lognormal(MEDIAN, SIGMA) with SIGMA a plain number.
 *
 * The file is loaded with libyaml's document API, --set overrides are
 * spliced into that document, and one schema walker then checks and copies
 * everything, so a value given with --set gets exactly the checks a value in
 * the file gets.  The first problem found is the only one reported. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "config.h"

/* Nodes spliced in by --set carry this start_mark.index, and the --set's
 * position in `sets` as their line, so errors about them can name the
 * --set instead of a place in the file. */
#define SET_MARK SIZE_MAX
#define COUNT_MAX 1000000    /* cores, counts, and threads in all: far beyond a useful run */
#define MAX_FIELDS 16
#define SHOW_MAX 40          /* quote at most this much of a bad value */

struct ctx {
    const char *file;
    char *const *sets;
    char *err;
    yaml_document_t *doc;
    const yaml_node_t *forever;   /* first `repeat: forever`, judged once `duration` is known */
};

/* ---- errors ------------------------------------------------------------ */

static int vfail_at(struct ctx *c, yaml_mark_t m, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static int vfail_at(struct ctx *c, yaml_mark_t m, const char *fmt, va_list ap)
{
    int n;

    if (m.index == SET_MARK)
        n = snprintf(c->err, CFG_ERR_MAX, "--set '%s': ", c->sets[m.line]);
    else
        n = snprintf(c->err, CFG_ERR_MAX, "%s:%zu:%zu: ", c->file, m.line + 1, m.column + 1);
    if (n >= 0 && n < CFG_ERR_MAX)
        vsnprintf(c->err + n, (size_t)(CFG_ERR_MAX - n), fmt, ap);
    return -1;
}

static int fail_at(struct ctx *c, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail_at(struct ctx *c, yaml_mark_t m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail_at(c, m, fmt, ap);
    va_end(ap);
    return -1;
}

static int fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail_at(c, n->start_mark, fmt, ap);
    va_end(ap);
    return -1;
}

/* Errors that belong to the file as a whole (it can't be read at all). */
static int fail_file(struct ctx *c, const char *what)
{
    snprintf(c->err, CFG_ERR_MAX, "%s: %s", c->file, what);
    return -1;
}

static const char *where_str(const yaml_node_t *n, char *buf, size_t size)
{
    if (n->start_mark.index == SET_MARK)
        snprintf(buf, size, "a --set");
    else
        snprintf(buf, size, "%zu:%zu", n->start_mark.line + 1, n->start_mark.column + 1);
    return buf;
}

/* ---- nodes ------------------------------------------------------------- */

static yaml_node_t *node(struct ctx *c, int id)
{
    return yaml_document_get_node(c->doc, id);
}

static const char *text(const yaml_node_t *n) { return (const char *)n->data.scalar.value; }

static int is_empty(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0 &&
           n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static int seq_len(const yaml_node_t *n)
{
    return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
}

/* "a mapping", "'4ms'": what the user wrote, for "expected X, got Y". */
static const char *describe(const yaml_node_t *n, char *buf, size_t size)
{
    if (n->type == YAML_MAPPING_NODE) return "a mapping";
    if (n->type == YAML_SEQUENCE_NODE)
        return seq_len(n) ? "a sequence" : "an empty sequence";
    if (is_empty(n)) return "an empty value";
    snprintf(buf, size, "'%.*s%s'", SHOW_MAX, text(n),
             n->data.scalar.length > SHOW_MAX ? "..." : "");
    return buf;
}

static int expect(struct ctx *c, const yaml_node_t *n, yaml_node_type_t type, const char *what)
{
    char buf[64];
    if (n->type == type && (type != YAML_SEQUENCE_NODE || seq_len(n) > 0)) return 0;
    return fail(c, n, "expected %s, got %s", what, describe(n, buf, sizeof buf));
}

/* The scalar's text, or NULL (error reported) if n isn't a usable scalar. */
static const char *scalar(struct ctx *c, const yaml_node_t *n, const char *what)
{
    if (expect(c, n, YAML_SCALAR_NODE, what)) return NULL;
    if (strlen(text(n)) != n->data.scalar.length) {
        fail(c, n, "expected %s, got a value containing a NUL character", what);
        return NULL;
    }
    return text(n);
}

static int key_is(const yaml_node_t *k, const char *name)
{
    return k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(name) &&
           memcmp(k->data.scalar.value, name, k->data.scalar.length) == 0;
}

static yaml_node_t *map_get(struct ctx *c, const yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++)
        if (key_is(node(c, p->key), key)) return node(c, p->value);
    return NULL;
}

/* ---- suggestions ------------------------------------------------------- */

/* Optimal string alignment distance: a swapped pair of letters ("corse")
 * counts as one typo, not two. */
static int typo_distance(const char *a, const char *b)
{
    enum { M = 64 };
    int rows[3][M + 1], *pp = rows[0], *p = rows[1], *cur = rows[2];
    size_t n = strlen(a), m = strlen(b);

    if (m > M || n > m + M) return INT_MAX;
    for (size_t j = 0; j <= m; j++) p[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int best = p[j - 1] + (a[i - 1] != b[j - 1]);
            if (p[j] + 1 < best) best = p[j] + 1;
            if (cur[j - 1] + 1 < best) best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < best)
                best = pp[j - 2] + 1;
            cur[j] = best;
        }
        int *t = pp; pp = p; p = cur; cur = t;
    }
    return p[m];
}

/* "(did you mean 'cores'?)" when word is a near miss of one of names,
 * else "(LABEL: a, b, c)". */
static void suggest(const char *word, const char *const *names, int n, const char *label,
                    char *buf, size_t size)
{
    int best = -1, bestd = INT_MAX;
    size_t used;

    for (int i = 0; i < n; i++) {
        int d = typo_distance(word, names[i]);
        if (d < bestd) { bestd = d; best = i; }
    }
    if (best >= 0 && (size_t)bestd < strlen(names[best]) &&
        (bestd <= 2 || (size_t)bestd * 3 <= strlen(word))) {
        snprintf(buf, size, "(did you mean '%s'?)", names[best]);
        return;
    }
    used = (size_t)snprintf(buf, size, "(%s: ", label);
    for (int i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", names[i]);
    if (used < size) snprintf(buf + used, size - used, ")");
}

/* ---- the schema walker ------------------------------------------------- */

enum ftype { F_COUNT, F_SEED, F_DUR_POS, F_DUR_NONNEG, F_DIST, F_NAME, F_GIL, F_SECTION, F_CUSTOM };

struct field;
typedef int (*field_fn)(struct ctx *c, const struct field *f, yaml_node_t *key,
                        yaml_node_t *val, void *obj);

struct schema {
    const char *where;            /* "in machine": completes "unknown key 'x' ..." */
    const struct field *fields;
    int n;
};

struct field {
    const char *key;
    enum ftype type;
    size_t off;                   /* where the value goes in obj */
    int required;
    const struct schema *sub;     /* F_SECTION: same obj, another mapping */
    field_fn fn;                  /* F_CUSTOM */
    int arg;                      /* F_CUSTOM: handler's parameter */
};

static int set_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                     yaml_node_t *val, void *obj);

static int unknown_key(struct ctx *c, const yaml_node_t *k, const struct schema *s)
{
    const char *names[MAX_FIELDS];
    char hint[256];

    for (int i = 0; i < s->n; i++) names[i] = s->fields[i].key;
    suggest(text(k), names, s->n, "known keys", hint, sizeof hint);
    /* {io: uniform(1ms, 2ms)}: YAML split the value at its comma */
    if (strchr(text(k), ')') && !strchr(text(k), '('))
        snprintf(hint, sizeof hint, "(a comma inside {...} or [...] splits a value: "
                 "quote it, e.g. {io: \"uniform(1ms, 2ms)\"})");
    return fail(c, k, "unknown key '%.*s%s' %s %s", SHOW_MAX, text(k),
                k->data.scalar.length > SHOW_MAX ? "..." : "", s->where, hint);
}

static int find_field(const struct schema *s, const yaml_node_t *k)
{
    for (int i = 0; i < s->n; i++)
        if (key_is(k, s->fields[i].key)) return i;
    return -1;
}

/* Checks map's keys against s and hands each value to its field, in the
 * order written, so the first error in reading order is the one reported. */
static int walk_map(struct ctx *c, yaml_node_t *map, const struct schema *s, void *obj)
{
    const yaml_node_t *seen[MAX_FIELDS] = { 0 };
    char buf[64], at[64];

    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
        int i;
        if (k->type != YAML_SCALAR_NODE)
            return fail(c, k, "expected a key name %s, got %s", s->where,
                        describe(k, buf, sizeof buf));
        if ((i = find_field(s, k)) < 0) return unknown_key(c, k, s);
        if (seen[i])
            return fail(c, k, "duplicate key '%s' %s (first given at %s)", s->fields[i].key,
                        s->where, where_str(seen[i], at, sizeof at));
        seen[i] = k;
        if (set_field(c, &s->fields[i], k, v, obj)) return -1;
    }
    for (int i = 0; i < s->n; i++)
        if (s->fields[i].required && !seen[i])
            return fail(c, map, "missing required key '%s' %s", s->fields[i].key, s->where);
    return 0;
}

/* ---- scalar values ----------------------------------------------------- */

/* Plain decimal digits only: "4.0", "0x10" and "+4" are more likely typos
 * than intent. */
static int parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s) return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10) return -2;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

static int get_count(struct ctx *c, const yaml_node_t *v, int *out)
{
    const char *s = scalar(c, v, "a positive integer");
    uint64_t n;
    char buf[64];
    int rc;

    if (!s) return -1;
    if ((rc = parse_u64(s, &n)) == -1 || (rc == 0 && n == 0))
        return fail(c, v, "expected a positive integer, got %s", describe(v, buf, sizeof buf));
    if (rc == -2 || n > COUNT_MAX)
        return fail(c, v, "expected a positive integer of at most %d, got %s", COUNT_MAX,
                    describe(v, buf, sizeof buf));
    *out = (int)n;
    return 0;
}

static int get_seed(struct ctx *c, const yaml_node_t *v, uint64_t *out)
{
    const char *s = scalar(c, v, "a non-negative integer");
    char buf[64];
    int rc;

    if (!s) return -1;
    if ((rc = parse_u64(s, out)) == -1)
        return fail(c, v, "expected a non-negative integer, got %s", describe(v, buf, sizeof buf));
    if (rc == -2)
        return fail(c, v, "expected a non-negative integer of at most %llu, got %s",
                    (unsigned long long)UINT64_MAX, describe(v, buf, sizeof buf));
    return 0;
}

static int get_duration(struct ctx *c, const struct field *f, const yaml_node_t *v, simtime_t *out)
{
    const char *s = scalar(c, v, "a duration such as 15ms");
    char msg[CFG_ERR_MAX], buf[64];

    if (!s) return -1;
    if (cfg_parse_duration(s, out, msg, sizeof msg)) return fail(c, v, "%s", msg);
    if (f->type == F_DUR_POS && *out == 0)
        return fail(c, v, "'%s' must be greater than zero, got %s", f->key,
                    describe(v, buf, sizeof buf));
    return 0;
}

static int get_dist(struct ctx *c, const yaml_node_t *v, dist_t *out)
{
    const char *s = scalar(c, v, "a duration or distribution such as exp(2ms)");
    char msg[CFG_ERR_MAX];

    if (!s) return -1;
    if (cfg_parse_dist(s, out, msg, sizeof msg)) return fail(c, v, "%s", msg);
    return 0;
}

static int get_name(struct ctx *c, const yaml_node_t *v, char **out)
{
    const char *s = scalar(c, v, "a name");

    if (!s) return -1;
    if (!*s) return fail(c, v, "expected a name, got an empty value");
    free(*out);
    if (!(*out = strdup(s))) return fail(c, v, "out of memory");
    return 0;
}

static int get_gil(struct ctx *c, const yaml_node_t *v, enum gil_policy *out)
{
    static const char *const names[] = { "new" };
    const char *s = scalar(c, v, "a GIL policy (known: new)");
    char hint[128], buf[64];

    if (!s) return -1;
    if (strcmp(s, "new") == 0) { *out = GIL_NEW; return 0; }
    suggest(s, names, 1, "known", hint, sizeof hint);
    return fail(c, v, "unknown gil policy %s %s", describe(v, buf, sizeof buf), hint);
}

static int set_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                     yaml_node_t *val, void *obj)
{
    char *p = (char *)obj + f->off;

    switch (f->type) {
    case F_COUNT:      return get_count(c, val, (int *)(void *)p);
    case F_SEED:       return get_seed(c, val, (uint64_t *)(void *)p);
    case F_DUR_POS:
    case F_DUR_NONNEG: return get_duration(c, f, val, (simtime_t *)(void *)p);
    case F_DIST:       return get_dist(c, val, (dist_t *)(void *)p);
    case F_NAME:       return get_name(c, val, (char **)(void *)p);
    case F_GIL:        return get_gil(c, val, (enum gil_policy *)(void *)p);
    case F_SECTION:
        /* "os:" with every setting commented out means "all defaults" */
        if (is_empty(val)) return 0;
        if (val->type != YAML_MAPPING_NODE) {
            char buf[64];
            return fail(c, val, "expected a mapping of %s settings, got %s", f->key,
                        describe(val, buf, sizeof buf));
        }
        return walk_map(c, val, f->sub, obj);
    case F_CUSTOM:     return f->fn(c, f, key, val, obj);
    }
    return fail(c, key, "internal error: bad field type");
}

/* ---- programs ---------------------------------------------------------- */

static const char *const op_names[] = {
    [OP_CPU] = "cpu", [OP_NATIVE] = "native", [OP_IO] = "io",
    [OP_SLEEP] = "sleep", [OP_REPEAT] = "repeat",
};

/* An op mapping's keys, gathered before any is interpreted: `do:` may be
 * written before `repeat:`. */
struct op_keys {
    yaml_node_t *kind_key, *kind_val, *do_key, *do_val;
    enum op_kind kind;
};

struct builder {
    program_t *prog;
    int cap;
};

static int stash_kind(struct ctx *c, const struct field *f, yaml_node_t *key,
                      yaml_node_t *val, void *obj)
{
    struct op_keys *o = obj;
    if (o->kind_key)
        return fail(c, key, "an op does one thing, this one has both '%s' and '%s' "
                    "(write them as two ops)", op_names[o->kind], f->key);
    o->kind_key = key;
    o->kind_val = val;
    o->kind = (enum op_kind)f->arg;
    return 0;
}

static int stash_do(struct ctx *c, const struct field *f, yaml_node_t *key,
                    yaml_node_t *val, void *obj)
{
    struct op_keys *o = obj;
    (void)c; (void)f;
    o->do_key = key;
    o->do_val = val;
    return 0;
}

static const struct field op_fields[] = {
    { "cpu",    F_CUSTOM, 0, 0, NULL, stash_kind, OP_CPU },
    { "native", F_CUSTOM, 0, 0, NULL, stash_kind, OP_NATIVE },
    { "io",     F_CUSTOM, 0, 0, NULL, stash_kind, OP_IO },
    { "sleep",  F_CUSTOM, 0, 0, NULL, stash_kind, OP_SLEEP },
    { "repeat", F_CUSTOM, 0, 0, NULL, stash_kind, OP_REPEAT },
    { "do",     F_CUSTOM, 0, 0, NULL, stash_do, 0 },
};
static const struct schema op_schema = { "in an op", op_fields, 6 };

static int push_op(struct ctx *c, struct builder *b, const yaml_node_t *at, op_t op)
{
    program_t *p = b->prog;
    if (p->nops == b->cap) {
        int cap = b->cap ? b->cap * 2 : 8;
        op_t *ops;
        if (b->cap > INT_MAX / 2 || !(ops = realloc(p->ops, (size_t)cap * sizeof *ops)))
            return fail(c, at, "out of memory: program too long");
        p->ops = ops;
        b->cap = cap;
    }
    if (at->start_mark.index != SET_MARK) {
        op.line = (int)at->start_mark.line + 1;
        op.col = (int)at->start_mark.column + 1;
    }
    p->ops[p->nops] = op;
    return p->nops++;
}

/* A leaf op that can only take 0ns would spin the simulator in place. */
static int can_be_positive(const dist_t *d)
{
    return d->kind == DIST_UNIFORM ? d->b > 0 : d->a > 0;
}

static int emit_leaf(struct ctx *c, struct builder *b, const yaml_node_t *at,
                     const struct op_keys *o)
{
    op_t op = { .kind = o->kind };
    char buf[64];

    if (get_dist(c, o->kind_val, &op.dur)) return -1;
    if (!can_be_positive(&op.dur))
        return fail(c, o->kind_val, "'%s' must be greater than zero, got %s",
                    op_names[o->kind], describe(o->kind_val, buf, sizeof buf));
    return push_op(c, b, at, op) < 0 ? -1 : 0;
}

static int repeat_count(struct ctx *c, const struct op_keys *o, int64_t *count)
{
    const char *s = scalar(c, o->kind_val, "a positive integer or 'forever'");
    uint64_t n;
    char buf[64];

    if (!s) return -1;
    if (strcmp(s, "forever") == 0) {
        if (!c->forever) c->forever = o->kind_key;
        *count = REPEAT_FOREVER;
        return 0;
    }
    if (parse_u64(s, &n) || n == 0 || n > INT64_MAX)
        return fail(c, o->kind_val, "expected a positive integer or 'forever', got %s",
                    describe(o->kind_val, buf, sizeof buf));
    *count = (int64_t)n;
    return 0;
}

static int parse_ops(struct ctx *c, struct builder *b, yaml_node_t *seq, int depth);

static int emit_repeat(struct ctx *c, struct builder *b, const yaml_node_t *at,
                       const struct op_keys *o, int depth)
{
    op_t op = { .kind = OP_REPEAT };
    int i;

    if (depth >= PROGRAM_MAX_DEPTH)
        return fail(c, o->kind_key, "repeats nested more than %d deep", PROGRAM_MAX_DEPTH);
    if (repeat_count(c, o, &op.count)) return -1;
    if ((i = push_op(c, b, at, op)) < 0) return -1;
    if (parse_ops(c, b, o->do_val, depth + 1)) return -1;
    b->prog->ops[i].body_end = b->prog->nops;
    return 0;
}

static int parse_op(struct ctx *c, struct builder *b, yaml_node_t *map, int depth)
{
    struct op_keys o = { 0 };

    if (walk_map(c, map, &op_schema, &o)) return -1;
    if (o.do_key && (!o.kind_key || o.kind != OP_REPEAT))
        return fail(c, o.do_key, "'do' without 'repeat': 'do:' is the body of a 'repeat:' op");
    if (!o.kind_key)
        return fail(c, map, "empty op: expected one of cpu, native, io, sleep, repeat");
    if (o.kind != OP_REPEAT) return emit_leaf(c, b, map, &o);
    if (!o.do_key)
        return fail(c, map, "missing required key 'do' after 'repeat' (the ops to repeat)");
    return emit_repeat(c, b, map, &o, depth);
}

static int parse_ops(struct ctx *c, struct builder *b, yaml_node_t *seq, int depth)
{
    if (expect(c, seq, YAML_SEQUENCE_NODE, "a sequence of ops")) return -1;
    for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        yaml_node_t *op = node(c, *it);
        if (expect(c, op, YAML_MAPPING_NODE, "an op such as 'cpu: 20us'")) return -1;
        if (parse_op(c, b, op, depth)) return -1;
    }
    return 0;
}

static int program_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                         yaml_node_t *val, void *obj)
{
    thread_cfg_t *t = obj;
    struct builder b = { &t->prog, 0 };
    (void)f; (void)key;

    free(t->prog.ops);
    t->prog.ops = NULL;
    t->prog.nops = 0;
    return parse_ops(c, &b, val, 0);
}

/* ---- processes and threads --------------------------------------------- */

static const struct field thread_fields[] = {
    { "name",    F_NAME,   offsetof(thread_cfg_t, name),  0, NULL, NULL, 0 },
    { "count",   F_COUNT,  offsetof(thread_cfg_t, count), 0, NULL, NULL, 0 },
    { "program", F_CUSTOM, 0, 1, NULL, program_field, 0 },
};
static const struct schema thread_schema = { "in a thread", thread_fields, 3 };

/* Gives entry i its default name "<prefix><i>" if it has none, then checks
 * it against the entries before it.  names points at entry 0's name and
 * entries are stride bytes apart, so processes and threads share this. */
static int name_entry(struct ctx *c, yaml_node_t *map, char **names, size_t stride, int i,
                      const char *prefix, const char *what, yaml_node_t *const *maps)
{
    char **name = (char **)(void *)((char *)names + (size_t)i * stride);
    char buf[32], at[64], prev[128];

    if (!*name) {
        snprintf(buf, sizeof buf, "%s%d", prefix, i);
        if (!(*name = strdup(buf))) return fail(c, map, "out of memory");
    }
    for (int j = 0; j < i; j++) {
        char **other = (char **)(void *)((char *)names + (size_t)j * stride);
        yaml_node_t *first, *here;
        if (strcmp(*other, *name)) continue;
        first = map_get(c, maps[j], "name");
        where_str(first ? first : maps[j], at, sizeof at);
        if (first) snprintf(prev, sizeof prev, "first used at %s", at);
        else snprintf(prev, sizeof prev, "%s %d at %s has it by default", what, j, at);
        if (!(here = map_get(c, map, "name")))
            return fail(c, map, "%s %d gets the default name '%s' (%s): give it a name",
                        what, i, *name, prev);
        return fail(c, here, "duplicate %s name '%.*s' (%s)", what, SHOW_MAX, *name, prev);
    }
    return 0;
}

static yaml_node_t **seq_nodes(struct ctx *c, const yaml_node_t *seq)
{
    int n = seq_len(seq);
    yaml_node_t **v = calloc((size_t)n, sizeof *v);
    for (int i = 0; v && i < n; i++) v[i] = node(c, seq->data.sequence.items.start[i]);
    return v;
}

static int threads_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                         yaml_node_t *val, void *obj)
{
    process_cfg_t *p = obj;
    yaml_node_t **items;
    int rc = 0;
    (void)f; (void)key;

    if (expect(c, val, YAML_SEQUENCE_NODE, "a sequence of threads")) return -1;
    if (!(items = seq_nodes(c, val)) ||
        !(p->threads = calloc((size_t)seq_len(val), sizeof *p->threads))) {
        free(items);
        return fail(c, val, "out of memory");
    }
    p->nthreads = seq_len(val);
    for (int i = 0; !rc && i < p->nthreads; i++) {
        p->threads[i].count = 1;
        rc = expect(c, items[i], YAML_MAPPING_NODE,
                    "a thread (a mapping with name, count, program)") ||
             walk_map(c, items[i], &thread_schema, &p->threads[i]) ||
             name_entry(c, items[i], &p->threads[0].name, sizeof p->threads[0], i,
                        "t", "thread", items);
    }
    free(items);
    return rc ? -1 : 0;
}

static const struct field process_fields[] = {
    { "name",    F_NAME,   offsetof(process_cfg_t, name),  0, NULL, NULL, 0 },
    { "count",   F_COUNT,  offsetof(process_cfg_t, count), 0, NULL, NULL, 0 },
    { "threads", F_CUSTOM, 0, 1, NULL, threads_field, 0 },
};
static const struct schema process_schema = { "in a process", process_fields, 3 };

/* Counts are bounded one by one, but the model sizes arrays by their
 * products: keep the whole run's thread count bounded too. */
static int count_threads(struct ctx *c, const yaml_node_t *map, const process_cfg_t *p,
                         int64_t *total)
{
    int64_t per_process = 0;

    for (int i = 0; i < p->nthreads && per_process <= COUNT_MAX; i++)
        per_process += p->threads[i].count;
    *total += per_process * p->count;   /* both <= 2 * COUNT_MAX: no overflow */
    if (*total > COUNT_MAX)
        return fail(c, map, "too many threads: %lld in all up to this process, at most %d",
                    (long long)*total, COUNT_MAX);
    return 0;
}

static int processes_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                           yaml_node_t *val, void *obj)
{
    config_t *cfg = obj;
    yaml_node_t **items;
    int64_t total = 0;
    int rc = 0;
    (void)f; (void)key;

    if (expect(c, val, YAML_SEQUENCE_NODE, "a sequence of processes")) return -1;
    if (!(items = seq_nodes(c, val)) ||
        !(cfg->procs = calloc((size_t)seq_len(val), sizeof *cfg->procs))) {
        free(items);
        return fail(c, val, "out of memory");
    }
    cfg->nprocs = seq_len(val);
    for (int i = 0; !rc && i < cfg->nprocs; i++) {
        cfg->procs[i].count = 1;
        rc = expect(c, items[i], YAML_MAPPING_NODE,
                    "a process (a mapping with name, count, threads)") ||
             walk_map(c, items[i], &process_schema, &cfg->procs[i]) ||
             name_entry(c, items[i], &cfg->procs[0].name, sizeof cfg->procs[0], i,
                        "p", "process", items) ||
             count_threads(c, items[i], &cfg->procs[i], &total);
    }
    free(items);
    return rc ? -1 : 0;
}

/* ---- the top level ----------------------------------------------------- */

#define CFG_OFF(member) offsetof(config_t, member)

static const struct field machine_fields[] = {
    { "cores", F_COUNT, CFG_OFF(machine.cores), 0, NULL, NULL, 0 },
};
static const struct schema machine_schema = { "in machine", machine_fields, 1 };

static const struct field os_fields[] = {
    { "sched_latency",   F_DUR_POS,    CFG_OFF(os.sched_latency),   0, NULL, NULL, 0 },
    { "min_granularity", F_DUR_POS,    CFG_OFF(os.min_granularity), 0, NULL, NULL, 0 },
    { "context_switch",  F_DUR_NONNEG, CFG_OFF(os.context_switch),  0, NULL, NULL, 0 },
    { "timer_slack",     F_DUR_NONNEG, CFG_OFF(os.timer_slack),     0, NULL, NULL, 0 },
    { "wake_latency",    F_DIST,       CFG_OFF(os.wake_latency),    0, NULL, NULL, 0 },
};
static const struct schema os_schema = { "in os", os_fields, 5 };

static const struct field python_fields[] = {
    { "gil",             F_GIL,     CFG_OFF(python.gil),             0, NULL, NULL, 0 },
    { "switch_interval", F_DUR_POS, CFG_OFF(python.switch_interval), 0, NULL, NULL, 0 },
    { "checkpoint_gap",  F_DUR_POS, CFG_OFF(python.checkpoint_gap),  0, NULL, NULL, 0 },
};
static const struct schema python_schema = { "in python", python_fields, 3 };

static const struct field top_fields[] = {
    { "name",      F_NAME,    CFG_OFF(name),     0, NULL, NULL, 0 },
    { "machine",   F_SECTION, 0,                 0, &machine_schema, NULL, 0 },
    { "os",        F_SECTION, 0,                 0, &os_schema, NULL, 0 },
    { "python",    F_SECTION, 0,                 0, &python_schema, NULL, 0 },
    { "duration",  F_DUR_POS, CFG_OFF(duration), 0, NULL, NULL, 0 },
    { "seed",      F_SEED,    CFG_OFF(seed),     0, NULL, NULL, 0 },
    { "processes", F_CUSTOM,  0,                 1, NULL, processes_field, 0 },
};
static const struct schema top_schema = { "at the top level", top_fields, 7 };

static void set_defaults(config_t *cfg)
{
    cfg->machine.cores = 4;
    cfg->os.sched_latency = MS(6);
    cfg->os.min_granularity = US(750);
    cfg->os.context_switch = US(1);
    cfg->os.timer_slack = US(50);
    cfg->os.wake_latency = (dist_t){ .kind = DIST_LOGNORMAL, .a = US(6), .sigma = 0.45 };
    cfg->python.gil = GIL_NEW;
    cfg->python.switch_interval = MS(15);
    cfg->python.checkpoint_gap = NS(100);
    cfg->duration = 0;
    cfg->seed = 1;
}

/* "configs/busy.yaml" -> "busy" */
static char *base_name(const char *path)
{
    const char *b = strrchr(path, '/'), *dot;
    size_t n;

    b = b ? b + 1 : path;
    dot = strrchr(b, '.');
    n = dot && dot > b ? (size_t)(dot - b) : strlen(b);
    return n ? strndup(b, n) : strdup("config");
}

/* ---- --set ------------------------------------------------------------- */

static void mark_as_set(struct ctx *c, int id, int si)
{
    yaml_node_t *n = node(c, id);
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
    yaml_node_t *m = node(c, map);
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(c, p->key);
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
    yaml_node_t *s = node(c, seq);
    int len = seq_len(s);
    long long idx = 0;

    for (size_t i = 0; i < n; i++) {
        if (comp[i] < '0' || comp[i] > '9') {
            fail_at(c, m, "'%.*s' is a sequence: expected a numeric index, got '%.*s'",
                    prefix, path, (int)n, comp);
            return NULL;
        }
        if (idx <= len) idx = idx * 10 + (comp[i] - '0');
    }
    if (idx >= len) {
        fail_at(c, m, "index %.*s is out of range: '%.*s' has %d entr%s", (int)n, comp,
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
    yaml_node_t *p = node(c, parent);
    int pair, k, v;

    if (p->type == YAML_SEQUENCE_NODE) return seq_slot(c, parent, comp, n, m, prefix, path);
    if (p->type != YAML_MAPPING_NODE) {
        fail_at(c, m, "'%.*s' is a single value, it has no '%.*s'", prefix, path, (int)n, comp);
        return NULL;
    }
    if ((pair = find_pair(c, parent, comp, n)) < 0) {
        if (!(k = add_scalar(c, comp, n, si)) || !(v = add_scalar(c, "", 0, si)) ||
            !yaml_document_append_mapping_pair(c->doc, parent, k, v)) {
            fail_at(c, m, "cannot add key '%.*s' (out of memory or not UTF-8)", (int)n, comp);
            return NULL;
        }
        pair = find_pair(c, parent, comp, n);
    }
    return &node(c, parent)->data.mapping.pairs.start[pair].value;
}

static int apply_set(struct ctx *c, int si)
{
    const char *s = c->sets[si], *eq = strchr(s, '='), *comp = s;
    yaml_mark_t m = { SET_MARK, (size_t)si, 0 };
    int cur = 1;   /* the root node's id */

    if (!eq || eq == s) return fail_at(c, m, "expected key.path=value");
    for (;;) {
        const char *dot = memchr(comp, '.', (size_t)(eq - comp));
        const char *end = dot ? dot : eq;
        int *slot, id;
        if (end == comp) return fail_at(c, m, "empty key in the path: expected key.path=value");
        if (!(slot = child_slot(c, cur, comp, (size_t)(end - comp), si))) return -1;
        if (!dot) {
            if (!(id = add_scalar(c, eq + 1, strlen(eq + 1), si)))
                return fail_at(c, m, "cannot store the value (out of memory or not UTF-8)");
            *slot = id;
            return 0;
        }
        /* walking on through an empty value ("os:" alone) makes it a mapping */
        if (is_empty(node(c, *slot))) {
            if (!(id = add_mapping(c, si))) return fail_at(c, m, "out of memory");
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

    if (p->error == YAML_MEMORY_ERROR) return fail_file(c, "out of memory");
    if (p->error == YAML_READER_ERROR) {
        size_t off = p->problem_offset;
        if (!strstr(problem, "UTF-8"))
            return fail_at(c, mark_of_offset(s, len, off), "YAML syntax error: %s (character 0x%X)",
                           problem, (unsigned)p->problem_value);
        /* point at the character that went wrong, not at its broken tail */
        for (size_t back = 1; back <= 3 && off >= back && off < len && (unsigned char)s[off] < 0xC0; back++)
            if ((unsigned char)s[off - back] >= 0xC0) { off -= back; break; }
        return fail_at(c, mark_of_offset(s, len, off), "the file is not valid UTF-8 here (%s): "
                       "save it as UTF-8", problem);
    }
    if (m.index < len && s[m.index] == '\t')
        return fail_at(c, m, "YAML syntax error: %s (indent with spaces: YAML does not "
                       "allow tabs)", problem);
    if (p->context)
        return fail_at(c, m, "YAML syntax error: %s (%s at %zu:%zu)", problem, p->context,
                       p->context_mark.line + 1, p->context_mark.column + 1);
    return fail_at(c, m, "YAML syntax error: %s", problem);
}

/* A pass over the events finds what the document API hides: aliases
 * (which could share or loop nodes under --set), extra documents, and
 * absurd nesting (libyaml's scanner slows down quadratically with it). */
static int prescan(struct ctx *c, const char *s, size_t len)
{
    enum { MAX_NESTING = 256 };
    yaml_parser_t p;
    yaml_event_t ev;
    int docs = 0, rc = 0, done = 0, depth = 0;

    if (!yaml_parser_initialize(&p)) return fail_file(c, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)s, len);
    while (!done) {
        if (!yaml_parser_parse(&p, &ev)) { rc = syntax_error(c, &p, s, len); break; }
        if (ev.type == YAML_ALIAS_EVENT)
            rc = fail_at(c, ev.start_mark, "YAML aliases (*%.*s) are not supported: "
                         "write the value out in full", SHOW_MAX, (char *)ev.data.alias.anchor);
        else if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1)
            rc = fail_at(c, ev.start_mark, "a second YAML document: a config is one document");
        else if ((ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) &&
                 ++depth > MAX_NESTING)
            rc = fail_at(c, ev.start_mark, "nested more than %d levels deep", MAX_NESTING);
        else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
            depth--;
        done = rc || ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return rc;
}

static int load_doc(struct ctx *c, const char *s, size_t len, yaml_document_t *doc)
{
    yaml_parser_t p;
    int rc = 0;

    if (!yaml_parser_initialize(&p)) return fail_file(c, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)s, len);
    if (!yaml_parser_load(&p, doc)) rc = syntax_error(c, &p, s, len);
    yaml_parser_delete(&p);
    return rc;
}

static int build(struct ctx *c, int nsets, config_t *cfg)
{
    yaml_node_t *root = yaml_document_get_root_node(c->doc);
    yaml_mark_t start = { 0, 0, 0 };
    char buf[64];

    if (!root || is_empty(root))
        return fail_at(c, root ? root->start_mark : start,
                       "the config is empty: expected a mapping with at least 'processes:'");
    if (root->type != YAML_MAPPING_NODE)
        return fail(c, root, "expected a mapping (key: value lines) at the top level, got %s",
                    describe(root, buf, sizeof buf));
    for (int i = 0; i < nsets; i++)
        if (apply_set(c, i)) return -1;
    set_defaults(cfg);
    if (walk_map(c, yaml_document_get_root_node(c->doc), &top_schema, cfg)) return -1;
    if (c->forever && cfg->duration == 0)
        return fail(c, c->forever, "repeat: forever needs a top-level 'duration:' to end the run");
    if (!cfg->name && !(cfg->name = base_name(c->file))) return fail_file(c, "out of memory");
    if (!(cfg->path = strdup(c->file))) return fail_file(c, "out of memory");
    return 0;
}

static int load(struct ctx *c, const char *s, size_t len, int nsets, config_t *out)
{
    yaml_document_t doc;
    int rc;

    for (int i = 0; i < nsets; i++)
        if (!c->sets || !c->sets[i]) return fail_file(c, "internal error: NULL --set");
    if (prescan(c, s, len) || load_doc(c, s, len, &doc)) return -1;
    c->doc = &doc;
    rc = build(c, nsets, out);
    c->doc = NULL;
    yaml_document_delete(&doc);
    if (rc) cfg_free(out);
    return rc;
}

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap), *nb;

    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        if (cap > SIZE_MAX / 2 || !(nb = realloc(buf, cap * 2))) { free(buf); return NULL; }
        buf = nb;
        cap *= 2;
    }
    *len = n;
    return buf;
}

int cfg_load(const char *path, char *const *sets, int nsets, config_t *out, char err[CFG_ERR_MAX])
{
    char scratch[CFG_ERR_MAX];   /* err is optional for callers that only test */
    struct ctx c = { path ? path : "(null)", sets, err ? err : scratch, NULL, NULL };
    FILE *f;
    char *s, msg[256];
    size_t len = 0;
    int rc;

    if (!out) return fail_file(&c, "internal error: no config to load into");
    memset(out, 0, sizeof *out);
    if (!path || !(f = fopen(path, "rb"))) {
        snprintf(msg, sizeof msg, "cannot open: %s", path ? strerror(errno) : "no file name");
        return fail_file(&c, msg);
    }
    errno = 0;
    s = read_all(f, &len);
    if (!s || ferror(f)) {
        snprintf(msg, sizeof msg, "cannot read: %s", errno ? strerror(errno) : "out of memory");
        free(s);
        fclose(f);
        return fail_file(&c, msg);
    }
    fclose(f);
    rc = load(&c, s, len, nsets, out);
    free(s);
    return rc;
}

int cfg_load_string(const char *name, const char *text, char *const *sets, int nsets,
                    config_t *out, char err[CFG_ERR_MAX])
{
    char scratch[CFG_ERR_MAX];
    struct ctx c = { name ? name : "<string>", sets, err ? err : scratch, NULL, NULL };

    if (!out) return fail_file(&c, "internal error: no config to load into");
    memset(out, 0, sizeof *out);
    if (!text) text = "";
    return load(&c, text, strlen(text), nsets, out);
}

void cfg_free(config_t *c)
{
    if (!c) return;
    for (int i = 0; c->procs && i < c->nprocs; i++) {
        process_cfg_t *p = &c->procs[i];
        for (int j = 0; p->threads && j < p->nthreads; j++) {
            free(p->threads[j].name);
            free(p->threads[j].prog.ops);
        }
        free(p->threads);
        free(p->name);
    }
    free(c->procs);
    free(c->name);
    free(c->path);
    memset(c, 0, sizeof *c);
}
