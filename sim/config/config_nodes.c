/* config_nodes.c — the loader's tools for reading a value: YAML node
 * helpers, the scalar values a key can hold (counts, durations, names,
 * enums, versions, ...), and the table-driven schema walker that checks a
 * mapping's keys against a table and hands each value to its reader.
 * Every section and op is read through these, so they sit below all of
 * that, calling only errors and units. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_errors.h"
#include "config/config_nodes.h"
#include "config/config_units.h"

/* ---- nodes ------------------------------------------------------------- */

const char *cfg_describe(const yaml_node_t *n, char *buf, size_t size)
{
    if (n->type == YAML_MAPPING_NODE) return "a mapping";
    if (n->type == YAML_SEQUENCE_NODE)
        return cfg_seq_len(n) ? "a sequence" : "an empty sequence";
    if (cfg_is_empty(n)) return "an empty value";
    snprintf(buf, size, "'%.*s%s'", SHOW_MAX, cfg_text(n),
             n->data.scalar.length > SHOW_MAX ? "..." : "");
    return buf;
}

int cfg_expect(struct ctx *c, const yaml_node_t *n, yaml_node_type_t type, const char *what)
{
    char buf[64];
    if (n->type == type && (type != YAML_SEQUENCE_NODE || cfg_seq_len(n) > 0)) return 0;
    return cfg_fail(c, n, "expected %s, got %s", what, cfg_describe(n, buf, sizeof buf));
}

const char *cfg_scalar(struct ctx *c, const yaml_node_t *n, const char *what)
{
    if (cfg_expect(c, n, YAML_SCALAR_NODE, what)) return NULL;
    if (strlen(cfg_text(n)) != n->data.scalar.length) {
        cfg_fail(c, n, "expected %s, got a value containing a NUL character", what);
        return NULL;
    }
    return cfg_text(n);
}

int cfg_key_is(const yaml_node_t *k, const char *name)
{
    return k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(name) &&
           memcmp(k->data.scalar.value, name, k->data.scalar.length) == 0;
}

yaml_node_t *cfg_map_get(struct ctx *c, const yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++)
        if (cfg_key_is(cfg_node(c, p->key), key)) return cfg_node(c, p->value);
    return NULL;
}

yaml_node_t **cfg_seq_nodes(struct ctx *c, const yaml_node_t *seq)
{
    int n = cfg_seq_len(seq);
    yaml_node_t **v = calloc(n ? (size_t)n : 1, sizeof *v);
    for (int i = 0; v && i < n; i++) v[i] = cfg_node(c, seq->data.sequence.items.start[i]);
    return v;
}

/* ---- scalar values ----------------------------------------------------- */

int cfg_parse_u64(const char *s, uint64_t *out)
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

int cfg_get_count(struct ctx *c, const yaml_node_t *v, int *out)
{
    const char *s = cfg_scalar(c, v, "a positive integer");
    uint64_t n;
    char buf[64];
    int rc;

    if (!s) return -1;
    if ((rc = cfg_parse_u64(s, &n)) == -1 || (rc == 0 && n == 0))
        return cfg_fail(c, v, "expected a positive integer, got %s", cfg_describe(v, buf, sizeof buf));
    if (rc == -2 || n > COUNT_MAX)
        return cfg_fail(c, v, "expected a positive integer of at most %d, got %s", COUNT_MAX,
                        cfg_describe(v, buf, sizeof buf));
    *out = (int)n;
    return 0;
}

int cfg_get_i64(struct ctx *c, const yaml_node_t *v, int64_t *out)
{
    const char *s = cfg_scalar(c, v, "a non-negative integer");
    uint64_t n;
    char buf[64];

    if (!s) return -1;
    if (cfg_parse_u64(s, &n) || n > INT64_MAX)
        return cfg_fail(c, v, "expected a non-negative integer, got %s",
                        cfg_describe(v, buf, sizeof buf));
    *out = (int64_t)n;
    return 0;
}

static int get_seed(struct ctx *c, const yaml_node_t *v, uint64_t *out)
{
    const char *s = cfg_scalar(c, v, "a non-negative integer");
    char buf[64];
    int rc;

    if (!s) return -1;
    if ((rc = cfg_parse_u64(s, out)) == -1)
        return cfg_fail(c, v, "expected a non-negative integer, got %s", cfg_describe(v, buf, sizeof buf));
    if (rc == -2)
        return cfg_fail(c, v, "expected a non-negative integer of at most %llu, got %s",
                        (unsigned long long)UINT64_MAX, cfg_describe(v, buf, sizeof buf));
    return 0;
}

static int get_duration(struct ctx *c, const struct field *f, const yaml_node_t *v, simtime_t *out)
{
    const char *s = cfg_scalar(c, v, "a duration such as 15ms");
    char msg[CFG_ERR_MAX], buf[64];

    if (!s) return -1;
    if (cfg_parse_duration(s, out, msg, sizeof msg)) return cfg_fail(c, v, "%s", msg);
    if (f->type == F_DUR_POS && *out == 0)
        return cfg_fail(c, v, "'%s' must be greater than zero, got %s", f->key,
                        cfg_describe(v, buf, sizeof buf));
    return 0;
}

int cfg_get_dist(struct ctx *c, const yaml_node_t *v, dist_t *out)
{
    const char *s = cfg_scalar(c, v, "a duration or distribution such as exp(2ms)");
    char msg[CFG_ERR_MAX];

    if (!s) return -1;
    if (cfg_parse_dist(s, out, msg, sizeof msg)) return cfg_fail(c, v, "%s", msg);
    return 0;
}

int cfg_can_be_positive(const dist_t *d)
{
    return d->kind == DIST_UNIFORM ? d->b > 0 : d->a > 0;
}

size_t cfg_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i], len, min, cp;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xc2 && c <= 0xdf)      { len = 2; min = 0x80;    cp = c & 0x1f; }
        else if (c >= 0xe0 && c <= 0xef) { len = 3; min = 0x800;   cp = c & 0x0f; }
        else if (c >= 0xf0 && c <= 0xf4) { len = 4; min = 0x10000; cp = c & 0x07; }
        else return i;
        if (n - i < len) return i;
        for (unsigned k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80) return i;
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        /* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
        if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
        i += len;
    }
    return n;
}

/* "configs/busy.yaml" -> "busy".  A file name is any bytes: the name
 * made from it is valid UTF-8 (a bad byte becomes '?') of at most
 * NAME_MAX_BYTES bytes (cut at a character's start), as any name. */
char *cfg_default_name(const char *path)
{
    const char *b = strrchr(path, '/'), *dot;
    size_t n, i = 0, out = 0;
    char *name;

    b = b ? b + 1 : path;
    dot = strrchr(b, '.');
    n = dot && dot > b ? (size_t)(dot - b) : strlen(b);
    if (!n) return strdup("config");
    if (!(name = calloc(n + 1, 1))) return NULL;
    while (i < n) {
        size_t ok = cfg_utf8_valid(b + i, n - i), step = 1;
        if (ok == 0)
            name[out++] = '?';
        else {               /* copy the valid run, whole characters only */
            memcpy(name + out, b + i, ok);
            out += ok;
            step = ok;
        }
        i += step;
    }
    for (out = out > NAME_MAX_BYTES ? NAME_MAX_BYTES : out;
         out > 0 && ((unsigned char)name[out] & 0xc0) == 0x80; out--)
        ;
    name[out] = '\0';
    return name;
}

int cfg_check_name(struct ctx *c, const yaml_node_t *v, const char *what)
{
    const char *s = cfg_text(v);
    size_t n = v->data.scalar.length, bad;

    if (!n) return cfg_fail(c, v, "expected %s, got an empty value", what);
    if (strlen(s) != n) return cfg_fail(c, v, "%s must not contain a NUL character", what);
    if (n > NAME_MAX_BYTES)
        return cfg_fail(c, v, "%s is at most %d bytes long, got %zu ('%.*s...')", what,
                        NAME_MAX_BYTES, n, SHOW_MAX, s);
    if ((bad = cfg_utf8_valid(s, n)) != n)
        return cfg_fail(c, v, "%s must be valid UTF-8 (a bad byte 0x%02x at offset %zu)", what,
                        (unsigned char)s[bad], bad);
    return 0;
}

int cfg_get_name(struct ctx *c, const yaml_node_t *v, char **out)
{
    const char *s = cfg_scalar(c, v, "a name");

    if (!s) return -1;
    if (cfg_check_name(c, v, "a name")) return -1;
    free(*out);
    if (!(*out = strdup(s))) return cfg_fail(c, v, "out of memory");
    return 0;
}

/* One of names (their index in *out), or an error naming `what`. */
static int get_enum(struct ctx *c, const yaml_node_t *v, const char *const *names, int n,
                    const char *what, int *out)
{
    char expect[160], hint[160], buf[64];
    snprintf(expect, sizeof expect, "a %s", what);
    const char *s = cfg_scalar(c, v, expect);

    if (!s) return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0) { *out = i; return 0; }
    cfg_suggest(s, names, n, "known", hint, sizeof hint);
    return cfg_fail(c, v, "unknown %s %s %s", what, cfg_describe(v, buf, sizeof buf), hint);
}

const char *const cfg_gil_names[CFG_GIL_POLICIES] = {
#define GIL_POLICY(id, name, ops, flags, about) [GIL_##id] = name,
#include "gil_policies.def"
#undef GIL_POLICY
};


static int get_gil(struct ctx *c, const yaml_node_t *v, enum gil_policy *out)
{
    int i = 0;
    if (get_enum(c, v, cfg_gil_names, CFG_GIL_POLICIES, "gil policy", &i)) return -1;
    *out = (enum gil_policy)i;
    return 0;
}

const char *const cfg_wakeup_names[3] = { "os", "fifo", "random" };
const char *const cfg_sched_names[2] = { "cfs", "rr" };
const char *const cfg_start_method_names[2] = { "fork", "spawn" };   /* from START_FORK on */

static int get_wakeup(struct ctx *c, const yaml_node_t *v, enum gil_wakeup *out)
{
    const char *const *names = cfg_wakeup_names;
    int i = 0;
    if (get_enum(c, v, names, (int)ARRAY_LEN(cfg_wakeup_names), "gil_wakeup", &i)) return -1;
    *out = (enum gil_wakeup)i;
    return 0;
}

static int get_sched(struct ctx *c, const yaml_node_t *v, enum os_scheduler *out)
{
    const char *const *names = cfg_sched_names;
    int i = 0;
    if (get_enum(c, v, names, (int)ARRAY_LEN(cfg_sched_names), "scheduler", &i)) return -1;
    *out = (enum os_scheduler)i;
    return 0;
}

/* A plain decimal number >= 1 (a slowdown factor). */
static int get_real(struct ctx *c, const yaml_node_t *v, double *out)
{
    const char *s = cfg_scalar(c, v, "a number such as 1.4");
    char *end, buf[64];
    double d;

    if (!s) return -1;
    d = strtod(s, &end);
    if (end == s || *end || !(d >= 1.0) || d > 100)
        return cfg_fail(c, v, "expected a factor from 1 to 100 such as 1.4, got %s",
                        cfg_describe(v, buf, sizeof buf));
    *out = d;
    return 0;
}

/* YAML 1.2's core schema booleans. */
int cfg_get_bool(struct ctx *c, const yaml_node_t *v, int *out)
{
    static const char *const yes[] = { "true", "True", "TRUE" }, *const no[] = { "false", "False", "FALSE" };
    const char *s = cfg_scalar(c, v, "true or false");
    char buf[64];
    _Static_assert(ARRAY_LEN(yes) == ARRAY_LEN(no), "a spelling of true for each of false");

    if (!s) return -1;
    for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
        if (strcmp(s, yes[i]) == 0) { *out = 1; return 0; }
        if (strcmp(s, no[i]) == 0) { *out = 0; return 0; }
    }
    return cfg_fail(c, v, "expected true or false, got %s", cfg_describe(v, buf, sizeof buf));
}

/* "3.11" (or 3.11 unquoted: the text as written counts, so 3.10 is 3.10);
 * 2.0 to 2.7 and 3.0 to 3.14, stored as major * 100 + minor; a `t` after
 * 3.13 or 3.14 names the free-threaded build (PEP 703: only those two have
 * one), kept in c->free_threaded for config_version.c. */
static int get_version(struct ctx *c, const yaml_node_t *v, int *out)
{
    const char *s = cfg_scalar(c, v, "a Python version such as \"3.11\"");
    char digits[4] = "", buf[64];
    size_t n;
    uint64_t minor;

    if (!s) return -1;
    n = strlen(s);
    c->free_threaded = n > 2 && s[n - 1] == 't';
    if (n >= 3 && n - 2 - (size_t)c->free_threaded <= 2)
        memcpy(digits, s + 2, n - 2 - (size_t)c->free_threaded);
    if ((s[0] != '2' && s[0] != '3') || s[1] != '.' || cfg_parse_u64(digits, &minor) ||
        (digits[0] == '0' && digits[1]))
        return cfg_fail(c, v, "expected a Python version such as \"3.11\" or \"3.13t\", got %s",
                        cfg_describe(v, buf, sizeof buf));
    if ((s[0] == '2' && minor > 7) || (s[0] == '3' && minor > 14))
        return cfg_fail(c, v, "Python version %s is not modelled: expected 2.0 to 2.7 or 3.0 to "
                        "3.14 (3.13t, 3.14t: the free-threaded builds)", s);
    *out = (s[0] - '0') * 100 + (int)minor;
    if (c->free_threaded && *out < 313)
        return cfg_fail(c, v, "Python %d.%d has no free-threaded build: the `t` builds are "
                        "3.13t and 3.14t (PEP 703)", *out / 100, *out % 100);
    return 0;
}

int cfg_get_bytes(struct ctx *c, const yaml_node_t *v, int64_t *out)
{
    const char *s = cfg_scalar(c, v, "a size such as 16KiB");
    char msg[CFG_ERR_MAX];

    if (!s) return -1;
    if (cfg_parse_bytes(s, out, msg, sizeof msg)) return cfg_fail(c, v, "%s", msg);
    return 0;
}

int cfg_get_one_of(struct ctx *c, const yaml_node_t *v, const char *what,
                   const char *const *names, int n, int *out)
{
    char expect[160], list[128], hint[128], buf[64];
    const char *s;

    snprintf(expect, sizeof expect, "%s %s (%s)", cfg_article(what), what,
             cfg_list(list, sizeof list, "%s", " or ", names, n));
    if (!(s = cfg_scalar(c, v, expect))) return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0) { *out = i; return 0; }
    cfg_suggest(s, names, n, "known", hint, sizeof hint);
    return cfg_fail(c, v, "unknown %s %s %s", what, cfg_describe(v, buf, sizeof buf), hint);
}

int cfg_get_start_method(struct ctx *c, const yaml_node_t *v, enum start_method *out)
{
    const char *const *names = cfg_start_method_names;
    int i;

    if (cfg_get_one_of(c, v, "start method", names, (int)ARRAY_LEN(cfg_start_method_names), &i))
        return -1;
    *out = (enum start_method)(START_FORK + i);
    return 0;
}

/* ---- settings read by hand: machine.cores, the buffers' sizes ----------- */

/* machine.cores: up to CORES_MAX (caps.h). */
int cfg_cores_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                    yaml_node_t *val, void *obj)
{
    (void)f; (void)key;
    int *cores = &((config_t *)obj)->machine.cores;
    if (cfg_get_count(c, val, cores)) return -1;
    if (*cores > CORES_MAX)
        return cfg_fail(c, val, "expected at most %d cores, got %d", CORES_MAX, *cores);
    return 0;
}

/* The channel buffers' sizes (os.pipe_buffer, os.socket_sndbuf,
 * os.skb_overhead): the bounds the kernel itself puts on them. */
static const struct buffer_bounds {
    int64_t min, max, unit;      /* unit: the size is a whole number of these */
    int pow2;                    /* ... and a power of two of them */
    const char *why;
} buffer_bounds[] = {
    { KERNEL_PAGE, 1 << 20, KERNEL_PAGE, 1,
      "a power of two of 4KiB pages up to 1MiB: fs/pipe.c sizes a pipe in pages, rounded "
      "up to a power of two of them (round_pipe_size), up to fs.pipe-max-size" },
    { 4608, INT32_MAX, 1, 0, "4608B (SOCK_MIN_SNDBUF) up to 2GiB: sk_sndbuf is an int" },
    { 0, KERNEL_PAGE, 1, 0, "at most 4KiB (a struct sk_buff is 256 bytes on x86-64)" },
};

int cfg_buffer_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                     yaml_node_t *val, void *obj)
{
    const struct buffer_bounds *b = &buffer_bounds[f->arg];
    int64_t *out = (int64_t *)(void *)((char *)obj + f->off);
    char buf[64];
    (void)key;

    if (cfg_get_bytes(c, val, out)) return -1;
    int64_t units = *out / b->unit;
    if (*out < b->min || *out > b->max || *out % b->unit || (b->pow2 && (units & (units - 1))))
        return cfg_fail(c, val, "expected %s, got %s", b->why, cfg_describe(val, buf, sizeof buf));
    return 0;
}

/* ---- the schema walker ------------------------------------------------- */

static int set_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                     yaml_node_t *val, void *obj)
{
    char *p = (char *)obj + f->off;

    switch (f->type) {
    case F_COUNT:      return cfg_get_count(c, val, (int *)(void *)p);
    case F_SEED:       return get_seed(c, val, (uint64_t *)(void *)p);
    case F_DUR_POS:
    case F_DUR_NONNEG: return get_duration(c, f, val, (simtime_t *)(void *)p);
    case F_DIST:       return cfg_get_dist(c, val, (dist_t *)(void *)p);
    case F_NAME:       return cfg_get_name(c, val, (char **)(void *)p);
    case F_GIL:        c->gil_node = val;
                       return get_gil(c, val, (enum gil_policy *)(void *)p);
    case F_BOOL:       return cfg_get_bool(c, val, (int *)(void *)p);
    case F_VERSION:    c->version_node = val;
                       return get_version(c, val, (int *)(void *)p);
    case F_BYTES:      return cfg_get_bytes(c, val, (int64_t *)(void *)p);
    case F_START_METHOD: return cfg_get_start_method(c, val, (enum start_method *)(void *)p);
    case F_WAKEUP:     return get_wakeup(c, val, (enum gil_wakeup *)(void *)p);
    case F_SCHED:      return get_sched(c, val, (enum os_scheduler *)(void *)p);
    case F_REAL:       return get_real(c, val, (double *)(void *)p);
    case F_NODE:       *(yaml_node_t **)(void *)p = val; return 0;
    case F_SECTION:
        /* "os:" with every setting commented out means "all defaults" */
        if (cfg_is_empty(val)) return 0;
        if (val->type != YAML_MAPPING_NODE) {
            char buf[64];
            return cfg_fail(c, val, "expected a mapping of %s settings, got %s", f->key,
                            cfg_describe(val, buf, sizeof buf));
        }
        return cfg_walk_map(c, val, f->sub, obj);
    case F_CUSTOM:     return f->fn(c, f, key, val, obj);
    }
    return cfg_fail(c, key, "internal error: bad field type");
}

static int find_field(const struct schema *s, const yaml_node_t *k)
{
    for (int i = 0; i < s->n; i++)
        if (cfg_key_is(k, s->fields[i].key)) return i;
    return -1;
}

void cfg_schema_fields(const struct schema *s, const char *section, cfg_field_fn each, void *ctx)
{
    char sub[96];
    for (int i = 0; i < s->n; i++)
        if (s->fields[i].type != F_SECTION)
            each(ctx, section, &s->fields[i]);
    for (int i = 0; i < s->n; i++)
        if (s->fields[i].type == F_SECTION) {
            snprintf(sub, sizeof sub, "%s%s%s", section, *section ? "." : "", s->fields[i].key);
            cfg_schema_fields(s->fields[i].sub, sub, each, ctx);
        }
}

int cfg_walk_map(struct ctx *c, yaml_node_t *map, const struct schema *s, void *obj)
{
    const yaml_node_t *seen[MAX_FIELDS] = { 0 };
    const char *names[MAX_FIELDS];
    char buf[64], at[64];

    if (s->n > MAX_FIELDS)
        return cfg_fail(c, map, "internal error: schema %s has too many keys", s->where);
    for (int i = 0; i < s->n; i++) names[i] = s->fields[i].key;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = cfg_node(c, p->key), *v = cfg_node(c, p->value);
        int i;
        if (k->type != YAML_SCALAR_NODE)
            return cfg_fail(c, k, "expected a key name %s, got %s", s->where,
                            cfg_describe(k, buf, sizeof buf));
        if ((i = find_field(s, k)) < 0)
            return cfg_unknown_key(c, k, s->where, names, s->n, "known keys");
        if (seen[i])
            return cfg_fail(c, k, "duplicate key '%s' %s (first given at %s)", s->fields[i].key,
                            s->where, cfg_where(seen[i], at, sizeof at));
        seen[i] = k;
        if (set_field(c, &s->fields[i], k, v, obj)) return -1;
    }
    for (int i = 0; i < s->n; i++)
        if (s->fields[i].required && !seen[i])
            return cfg_fail(c, map, "missing required key '%s' %s", s->fields[i].key, s->where);
    return 0;
}
