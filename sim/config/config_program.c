/* config_program.c — what programs refer to: functions (the `functions:`
 * section's signatures, call arguments, `$param` references), objects (the
 * `objects:` section, and references to its locks, events and queues), and
 * handles (the `as:` locals of a program).  Below the op parser, which
 * calls these for every op that names something; they never read an op. */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_errors.h"
#include "config/config_nodes.h"
#include "config/config_program.h"

const char *const cfg_param_type_names[CFG_PARAM_TYPES] = {
    [PARAM_DURATION] = "duration", [PARAM_COUNT] = "count",
};
_Static_assert(PARAM_COUNT + 1 == CFG_PARAM_TYPES, "a name per parameter type");
_Static_assert(OBJ_PIPE + 1 == CFG_OBJECT_KINDS, "a name per object kind");
const char *const cfg_object_kinds[CFG_OBJECT_KINDS] = {
    [OBJ_LOCK] = "lock", [OBJ_EVENT] = "event", [OBJ_QUEUE] = "queue", [OBJ_SHARED] = "shared",
    [OBJ_SOCKETPAIR] = "socketpair", [OBJ_PIPE] = "pipe",
};
/* ... as a noun in messages: "'l' is a lock, not a shared variable". */
static const char *const object_nouns[] = {
    [OBJ_LOCK] = "lock", [OBJ_EVENT] = "event", [OBJ_QUEUE] = "queue", [OBJ_SHARED] = "shared variable",
    [OBJ_SOCKETPAIR] = "socketpair", [OBJ_PIPE] = "pipe",
};
/* What a handle holds, for messages: "'t' holds threads, not futures". */
static const char *const local_nouns[] = {
    [LOCAL_THREADS] = "threads", [LOCAL_PROCESSES] = "processes", [LOCAL_TASKS] = "tasks",
    [LOCAL_FUTURES] = "futures", [LOCAL_POOL] = "a pool",
};

static int oom(struct ctx *c, const yaml_node_t *at) { return cfg_fail(c, at, "out of memory"); }

/* ---- values ------------------------------------------------------------ */

int cfg_parse_value(struct ctx *c, const yaml_node_t *v, enum param_type t, int zero_ok,
                    const char *what, value_t *out)
{
    char buf[64], msg[CFG_ERR_MAX];
    const char *s;
    uint64_t n;

    memset(out, 0, sizeof *out);
    out->type = t;
    if (v->type == YAML_SCALAR_NODE && cfg_text(v)[0] == '$')
        return cfg_fail(c, v, "%s must be a literal value, got %s", what, cfg_describe(v, buf, sizeof buf));
    if (t == PARAM_DURATION) {
        if (!(s = cfg_scalar(c, v, "a duration or distribution such as exp(2ms)"))) return -1;
        if (cfg_parse_dist(s, &out->dur, msg, sizeof msg))
            return cfg_fail(c, v, "%s (for %s)", msg, what);
        if (!zero_ok && !cfg_can_be_positive(&out->dur))
            return cfg_fail(c, v, "%s must be greater than zero, got %s", what,
                            cfg_describe(v, buf, sizeof buf));
        return 0;
    }
    if (!(s = cfg_scalar(c, v, "a count (an integer >= 0)"))) return -1;
    if (cfg_parse_u64(s, &n) || n > INT64_MAX)
        return cfg_fail(c, v, "expected a count (an integer >= 0) for %s, got %s", what,
                        cfg_describe(v, buf, sizeof buf));
    out->count = (int64_t)n;
    return 0;
}

int cfg_param_ref(struct ctx *c, struct builder *b, const yaml_node_t *v,
                  enum param_type want, const char *what, int *idx)
{
    const function_cfg_t *f;
    const char *s, *name;
    char hint[HINT_MAX];

    if (v->type != YAML_SCALAR_NODE || cfg_text(v)[0] != '$') return 0;
    s = cfg_text(v);
    name = s + 1;
    if (b->fn < 0)
        return cfg_fail(c, v, "'%.*s': parameters exist only inside functions", SHOW_MAX, s);
    f = &c->cfg->functions[b->fn];
    for (int i = 0; i < f->nparams; i++) {
        if (strcmp(f->params[i], name) != 0) continue;
        if (f->param_types[i] != want)
            return cfg_fail(c, v, "'%s' is a %s parameter of %s, but %s needs a %s", s,
                            cfg_param_type_names[f->param_types[i]], f->name, what,
                            cfg_param_type_names[want]);
        *idx = i;
        return 1;
    }
    if (f->nparams == 0)
        return cfg_fail(c, v, "'%.*s': %s has no parameters", SHOW_MAX, s, f->name);
    cfg_suggest(name, (const char *const *)f->params, f->nparams, "parameters", hint, sizeof hint);
    return cfg_fail(c, v, "'%.*s': %s has no parameter '%.*s' %s", SHOW_MAX, s, f->name,
                    SHOW_MAX, name, hint);
}

/* ---- functions --------------------------------------------------------- */

struct fn_keys { yaml_node_t *is_async, *params, *body; };
static const struct field fn_fields[] = {
    { "async",  F_NODE, offsetof(struct fn_keys, is_async), 0, NULL, NULL, 0 },
    { "params", F_NODE, offsetof(struct fn_keys, params),   0, NULL, NULL, 0 },
    { "body",   F_NODE, offsetof(struct fn_keys, body),     1, NULL, NULL, 0 },
};
SCHEMA(fn_schema, "in a function", fn_fields);

struct param_keys { yaml_node_t *type, *def; };
static const struct field param_fields[] = {
    { "type",    F_NODE, offsetof(struct param_keys, type), 1, NULL, NULL, 0 },
    { "default", F_NODE, offsetof(struct param_keys, def),  0, NULL, NULL, 0 },
};
SCHEMA(param_schema, "in a parameter", param_fields);

void cfg_function_fields(cfg_field_fn each, void *ctx)
{
    cfg_schema_fields(&fn_schema, "functions.NAME", each, ctx);
    cfg_schema_fields(&param_schema, "functions.NAME.params.PARAM", each, ctx);
}

static int param_type(struct ctx *c, const yaml_node_t *v, enum param_type *t)
{
    int i;

    if (cfg_get_one_of(c, v, "parameter type", cfg_param_type_names,
                       (int)ARRAY_LEN(cfg_param_type_names), &i))
        return -1;
    *t = (enum param_type)i;
    return 0;
}

/* params: {name: type, name: {type: T, default: V}, ...} in order */
static int parse_params(struct ctx *c, yaml_node_t *v, function_cfg_t *f)
{
    yaml_node_pair_t *pairs;
    char buf[64], at[64], what[160];
    int n;

    if (cfg_is_empty(v)) return 0;
    if (v->type != YAML_MAPPING_NODE)
        return cfg_fail(c, v, "expected a mapping of parameters (name: type), got %s",
                        cfg_describe(v, buf, sizeof buf));
    pairs = v->data.mapping.pairs.start;
    n = (int)(v->data.mapping.pairs.top - pairs);
    if (n > FUNC_MAX_PARAMS)
        return cfg_fail(c, cfg_node(c, pairs[FUNC_MAX_PARAMS].key),
                        "too many parameters: a function takes at most %d", FUNC_MAX_PARAMS);
    if (!(f->params = calloc((size_t)n + 1, sizeof *f->params)) ||
        !(f->param_types = calloc((size_t)n + 1, sizeof *f->param_types)) ||
        !(f->defaults = calloc((size_t)n + 1, sizeof *f->defaults)) ||
        !(f->has_default = calloc((size_t)n + 1, sizeof *f->has_default)))
        return oom(c, v);
    f->nparams = n;
    for (int i = 0; i < n; i++) {
        yaml_node_t *k = cfg_node(c, pairs[i].key), *pv = cfg_node(c, pairs[i].value);
        struct param_keys pk = { pv, NULL };
        const char *s = cfg_scalar(c, k, "a parameter name");
        if (!s) return -1;
        if (!*s || *s == '$')
            return cfg_fail(c, k, "expected a parameter name (written without '$'), got %s",
                            cfg_describe(k, buf, sizeof buf));
        if (cfg_check_name(c, k, "a parameter name")) return -1;
        for (int j = 0; j < i; j++)
            if (strcmp(f->params[j], s) == 0)
                return cfg_fail(c, k, "duplicate parameter '%s' of %s (first given at %s)", s, f->name,
                                cfg_where(cfg_node(c, pairs[j].key), at, sizeof at));
        if (!(f->params[i] = strdup(s))) return oom(c, k);
        if (pv->type == YAML_MAPPING_NODE && cfg_walk_map(c, pv, &param_schema, &pk)) return -1;
        if (param_type(c, pk.type, &f->param_types[i])) return -1;
        if (pk.def) {
            snprintf(what, sizeof what, "the default of '%s' of %s", s, f->name);
            if (cfg_parse_value(c, pk.def, f->param_types[i], 0, what, &f->defaults[i])) return -1;
            f->has_default[i] = 1;
        }
    }
    return 0;
}

int cfg_functions_field(struct ctx *c, const struct field *fld, yaml_node_t *key,
                        yaml_node_t *val, void *obj)
{
    config_t *cfg = obj;
    yaml_node_pair_t *pairs;
    char buf[64], at[64];
    size_t n;
    (void)fld; (void)key;

    if (cfg_is_empty(val)) return 0;
    if (val->type != YAML_MAPPING_NODE)
        return cfg_fail(c, val, "expected a mapping of functions (name: definition), got %s",
                        cfg_describe(val, buf, sizeof buf));
    pairs = val->data.mapping.pairs.start;
    n = (size_t)(val->data.mapping.pairs.top - pairs);
    if (n > INT_MAX / 2 ||
        !(cfg->functions = calloc(n + 1, sizeof *cfg->functions)) ||
        !(c->fn_keys = calloc(n + 1, sizeof *c->fn_keys)) ||
        !(c->fn_bodies = calloc(n + 1, sizeof *c->fn_bodies)) ||
        !(c->fn_names = calloc(n + 1, sizeof *c->fn_names)))
        return oom(c, val);
    cfg->nfunctions = (int)n;
    c->functions = val;
    for (int i = 0; i < (int)n; i++) {
        yaml_node_t *k = cfg_node(c, pairs[i].key), *v = cfg_node(c, pairs[i].value);
        function_cfg_t *f = &cfg->functions[i];
        struct fn_keys fk = { 0 };
        const char *s = cfg_scalar(c, k, "a function name");
        if (!s) return -1;
        if (cfg_check_name(c, k, "a function name")) return -1;
        for (int j = 0; j < i; j++)
            if (strcmp(c->fn_names[j], s) == 0)
                return cfg_fail(c, k, "duplicate function '%.*s' (first defined at %s)", SHOW_MAX, s,
                                cfg_where(c->fn_keys[j], at, sizeof at));
        if (!(f->name = strdup(s))) return oom(c, k);
        c->fn_names[i] = f->name;
        c->fn_keys[i] = k;
        if (k->start_mark.index != SET_MARK) {
            f->line = (int)k->start_mark.line + 1;
            f->col = (int)k->start_mark.column + 1;
        }
        if (cfg_expect(c, v, YAML_MAPPING_NODE, "a function definition (a mapping with async, params, body)") ||
            cfg_walk_map(c, v, &fn_schema, &fk) ||
            (fk.is_async && cfg_get_bool(c, fk.is_async, &f->is_async)) ||
            (fk.params && parse_params(c, fk.params, f)))
            return -1;
        c->fn_bodies[i] = fk.body;
    }
    return 0;
}

int cfg_find_function(struct ctx *c, const yaml_node_t *v)
{
    const char *s = cfg_scalar(c, v, "a function name");
    char hint[HINT_MAX];

    if (!s) return -1;
    if (!*s) return cfg_fail(c, v, "expected a function name, got an empty value");
    for (int i = 0; i < c->cfg->nfunctions; i++)
        if (strcmp(c->fn_names[i], s) == 0) return i;
    if (c->cfg->nfunctions == 0)
        return cfg_fail(c, v, "unknown function '%.*s' (no functions are defined: add it under "
                        "'functions:')", SHOW_MAX, s);
    cfg_suggest(s, c->fn_names, c->cfg->nfunctions, "functions", hint, sizeof hint);
    return cfg_fail(c, v, "unknown function '%.*s' %s", SHOW_MAX, s, hint);
}

/* ---- call arguments ---------------------------------------------------- */

static int set_arg(struct ctx *c, struct builder *b, const function_cfg_t *f, int i,
                   const yaml_node_t *v, argref_t *ref)
{
    char what[160];
    int rc;

    snprintf(what, sizeof what, "argument '%s' of %s", f->params[i], f->name);
    if ((rc = cfg_param_ref(c, b, v, f->param_types[i], what, &ref->param))) return rc < 0 ? -1 : 0;
    return cfg_parse_value(c, v, f->param_types[i], 0, what, &ref->lit);
}

/* args: {name: value, ...}: each names a parameter of f, once. */
static int named_args(struct ctx *c, struct builder *b, const function_cfg_t *f,
                      const yaml_node_t *args, const yaml_node_t **given, call_t *call)
{
    char hint[HINT_MAX], where[64];
    int np = f->nparams;

    for (yaml_node_pair_t *p = args->data.mapping.pairs.start; p < args->data.mapping.pairs.top; p++) {
        yaml_node_t *k = cfg_node(c, p->key);
        const char *s = cfg_scalar(c, k, "an argument name");
        int i = 0;
        if (!s) return -1;
        while (i < np && strcmp(f->params[i], s) != 0) i++;
        if (i == np && np == 0)
            return cfg_fail(c, k, "unknown argument '%.*s': %s takes no arguments", SHOW_MAX, s, f->name);
        if (i == np) {
            cfg_suggest(s, (const char *const *)f->params, np, "parameters", hint, sizeof hint);
            return cfg_fail(c, k, "unknown argument '%.*s' of %s %s", SHOW_MAX, s, f->name, hint);
        }
        if (given[i])
            return cfg_fail(c, k, "argument '%s' of %s given twice (first at %s)", s, f->name,
                            cfg_where(given[i], where, sizeof where));
        given[i] = k;
        if (set_arg(c, b, f, i, cfg_node(c, p->value), &call->args[i])) return -1;
    }
    return 0;
}

int cfg_fill_call(struct ctx *c, struct builder *b, int fn, const yaml_node_t *args,
                  const yaml_node_t *at, int first_bound, call_t *call)
{
    const function_cfg_t *f = &c->cfg->functions[fn];
    const yaml_node_t *given[FUNC_MAX_PARAMS] = { 0 };
    int np = f->nparams;

    call->fn = fn;
    if (!(call->args = calloc((size_t)np + 1, sizeof *call->args))) return oom(c, at);
    call->nargs = np;
    for (int i = 0; i < np; i++) {
        call->args[i].param = -1;
        call->args[i].lit.type = f->param_types[i];
    }
    if (first_bound) given[0] = at;
    if (args && cfg_is_empty(args)) args = NULL;
    if (args && args->type == YAML_MAPPING_NODE) {
        if (named_args(c, b, f, args, given, call)) return -1;
    } else if (args) {
        /* a sequence, or a lone scalar standing for a one-item sequence */
        int n = args->type == YAML_SEQUENCE_NODE ? cfg_seq_len(args) : 1;
        for (int j = 0; j < n; j++) {
            const yaml_node_t *v = args->type == YAML_SEQUENCE_NODE ?
                cfg_node(c, args->data.sequence.items.start[j]) : args;
            int i = first_bound + j;
            if (i >= np)
                return cfg_fail(c, v, "too many arguments: %s takes %d, got %d", f->name, np, n);
            given[i] = v;
            if (set_arg(c, b, f, i, v, &call->args[i])) return -1;
        }
    }
    for (int i = 0; i < np; i++) {
        if (given[i]) continue;
        if (!f->has_default[i])
            return cfg_fail(c, args ? args : at, "missing argument '%s' of %s", f->params[i], f->name);
        call->args[i].lit = f->defaults[i];
    }
    return 0;
}

/* ---- handles ----------------------------------------------------------- */

static int find_local(const struct builder *b, const char *name)
{
    for (int i = 0; i < b->prog->nlocals; i++)
        if (b->linfo[i].named && strcmp(b->prog->locals[i], name) == 0) return i;
    return -1;
}

static int add_local(struct ctx *c, struct builder *b, const char *name, enum local_kind kind,
                     const yaml_node_t *at, int named)
{
    program_t *p = b->prog;

    if (p->nlocals == b->lcap) {
        int cap = b->lcap ? b->lcap * 2 : 4;
        char **l;
        enum local_kind *k;
        struct local_info *li;
        if (b->lcap > INT_MAX / 4) return oom(c, at);
        if (!(l = realloc(p->locals, (size_t)cap * sizeof *l))) return oom(c, at);
        p->locals = l;
        if (!(k = realloc(p->local_kinds, (size_t)cap * sizeof *k))) return oom(c, at);
        p->local_kinds = k;
        if (!(li = realloc(b->linfo, (size_t)cap * sizeof *li))) return oom(c, at);
        b->linfo = li;
        b->lcap = cap;
    }
    if (!(p->locals[p->nlocals] = strdup(name))) return oom(c, at);
    p->local_kinds[p->nlocals] = kind;
    b->linfo[p->nlocals] = (struct local_info){ at, named };
    return p->nlocals++;
}

int cfg_define_local(struct ctx *c, struct builder *b, const yaml_node_t *v,
                     const yaml_node_t *op, enum local_kind kind, int *idx)
{
    char name[32], where[64];
    const char *s;
    int i;

    if (!v) {   /* a with_pool without `as:` still needs somewhere to keep its pool */
        snprintf(name, sizeof name, "(pool %d)", b->prog->nlocals);
        i = add_local(c, b, name, kind, op, 0);
        if (i < 0) return -1;
        *idx = i;
        return 0;
    }
    if (!(s = cfg_scalar(c, v, "a handle name"))) return -1;
    if (cfg_check_name(c, v, "a handle name")) return -1;
    if ((i = find_local(b, s)) >= 0) {
        if (b->prog->local_kinds[i] != kind)
            return cfg_fail(c, v, "'%.*s' already holds %s (from %s): a handle holds one kind "
                            "of thing, use another name for %s", SHOW_MAX, s,
                            local_nouns[b->prog->local_kinds[i]],
                            cfg_where(b->linfo[i].at, where, sizeof where), local_nouns[kind]);
        *idx = i;
        return 0;
    }
    if ((i = add_local(c, b, s, kind, v, 1)) < 0) return -1;
    *idx = i;
    return 0;
}

static int unknown_handle(struct ctx *c, struct builder *b, const yaml_node_t *v, const char *s)
{
    const char **names = calloc((size_t)b->prog->nlocals + 1, sizeof *names);
    char hint[HINT_MAX];
    int n = 0;

    if (!names) return oom(c, v);
    for (int i = 0; i < b->prog->nlocals; i++)
        if (b->linfo[i].named) names[n++] = b->prog->locals[i];
    if (n) cfg_suggest(s, names, n, "handles so far", hint, sizeof hint);
    else snprintf(hint, sizeof hint, "(no handles so far in this program: name them with 'as:')");
    free(names);
    return cfg_fail(c, v, "unknown handle '%.*s' %s", SHOW_MAX, s, hint);
}

int cfg_use_local(struct ctx *c, struct builder *b, const yaml_node_t *v, unsigned mask, int *idx)
{
    const char *s = cfg_scalar(c, v, "a handle name (the 'as:' of an earlier op)");
    const char *wanted[ARRAY_LEN(local_nouns)];
    char list[128];
    int i, n = 0;

    if (!s) return -1;
    if ((i = find_local(b, s)) < 0) return unknown_handle(c, b, v, s);
    if (!(mask & (1u << b->prog->local_kinds[i]))) {
        for (size_t k = 0; k < ARRAY_LEN(local_nouns); k++)
            if (mask & (1u << k)) wanted[n++] = local_nouns[k];
        return cfg_fail(c, v, "'%.*s' holds %s, not %s", SHOW_MAX, s,
                        local_nouns[b->prog->local_kinds[i]],
                        cfg_list(list, sizeof list, "%s", " or ", wanted, n));
    }
    *idx = i;
    return 0;
}

int cfg_use_pool(struct ctx *c, struct builder *b, const yaml_node_t *v,
                 const yaml_node_t *at, const char *what, int *idx)
{
    const char *s;
    int i;

    if (!v) {
        if (b->npools == 0) return cfg_fail(c, at, "%s outside a with_pool block", what);
        *idx = b->pools[b->npools - 1];
        return 0;
    }
    if (!(s = cfg_scalar(c, v, "a pool handle (the 'as:' of an enclosing with_pool)"))) return -1;
    for (int k = b->npools - 1; k >= 0; k--) {
        i = b->pools[k];
        if (b->linfo[i].named && strcmp(b->prog->locals[i], s) == 0) { *idx = i; return 0; }
    }
    if ((i = find_local(b, s)) < 0) return unknown_handle(c, b, v, s);
    if (b->prog->local_kinds[i] == LOCAL_POOL)
        return cfg_fail(c, v, "'%.*s' is not an enclosing with_pool block: its pool is shut down "
                        "at the end of the block", SHOW_MAX, s);
    return cfg_fail(c, v, "'%.*s' holds %s, not a pool", SHOW_MAX, s, local_nouns[b->prog->local_kinds[i]]);
}

/* ---- objects ----------------------------------------------------------- */

struct object_keys { yaml_node_t *name, *kind, *maxsize; };
static const struct field object_fields[] = {
    { "name",    F_NODE, offsetof(struct object_keys, name),    1, NULL, NULL, 0 },
    { "kind",    F_NODE, offsetof(struct object_keys, kind),    1, NULL, NULL, 0 },
    { "maxsize", F_NODE, offsetof(struct object_keys, maxsize), 0, NULL, NULL, 0 },
};
SCHEMA(object_schema, "in an object", object_fields);

void cfg_object_fields(cfg_field_fn each, void *ctx)
{
    cfg_schema_fields(&object_schema, "objects[]", each, ctx);
}

/* One object: its name, unique among those before it, and its kind. */
static int read_object(struct ctx *c, yaml_node_t *const *items, int i, object_cfg_t *objects)
{
    object_cfg_t *o = &objects[i];
    struct object_keys k = { 0 };
    int kind;
    char at[64];

    if (cfg_expect(c, items[i], YAML_MAPPING_NODE, "an object (a mapping with name, kind)") ||
        cfg_walk_map(c, items[i], &object_schema, &k) ||
        cfg_get_name(c, k.name, &o->name) ||
        cfg_get_one_of(c, k.kind, "object kind", cfg_object_kinds, CFG_OBJECT_KINDS, &kind))
        return -1;
    o->kind = (enum object_kind)kind;
    for (int j = 0; j < i; j++)
        if (strcmp(objects[j].name, o->name) == 0)
            return cfg_fail(c, k.name, "duplicate object name '%.*s' (first used at %s)", SHOW_MAX,
                            o->name, cfg_where(cfg_map_get(c, items[j], "name"), at, sizeof at));
    if (k.maxsize && o->kind != OBJ_QUEUE)
        return cfg_fail(c, k.maxsize, "'maxsize' is only for queues, '%.*s' is %s %s", SHOW_MAX,
                        o->name, cfg_article(object_nouns[o->kind]), object_nouns[o->kind]);
    return k.maxsize ? cfg_get_i64(c, k.maxsize, &o->maxsize) : 0;
}

int cfg_objects_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                      yaml_node_t *val, void *obj)
{
    config_t *cfg = obj;
    yaml_node_t **items;
    int rc = 0;
    (void)f; (void)key;

    if (cfg_is_empty(val)) return 0;
    if (cfg_expect(c, val, YAML_SEQUENCE_NODE, "a sequence of objects")) return -1;
    if (!(items = cfg_seq_nodes(c, val)) ||
        !(cfg->objects = calloc((size_t)cfg_seq_len(val), sizeof *cfg->objects))) {
        free(items);
        return oom(c, val);
    }
    cfg->nobjects = cfg_seq_len(val);
    for (int i = 0; !rc && i < cfg->nobjects; i++)
        rc = read_object(c, items, i, cfg->objects);
    free(items);
    return rc ? -1 : 0;
}

int cfg_find_object(struct ctx *c, const yaml_node_t *v, enum object_kind want)
{
    const config_t *cfg = c->cfg;
    const char *s = cfg_scalar(c, v, "an object name"), **names;
    char hint[HINT_MAX];

    if (!s) return -1;
    for (int i = 0; i < cfg->nobjects; i++) {
        if (strcmp(cfg->objects[i].name, s) != 0) continue;
        enum object_kind kind = cfg->objects[i].kind;
        if (kind != want && !(want == OBJ_SOCKETPAIR && kind == OBJ_PIPE)) {
            const char *have = object_nouns[kind];
            const char *need = want == OBJ_SOCKETPAIR ? "socketpair or pipe" : object_nouns[want];
            return cfg_fail(c, v, "'%.*s' is %s %s, not %s %s", SHOW_MAX, s,
                            cfg_article(have), have, cfg_article(need), need);
        }
        return i;
    }
    if (cfg->nobjects == 0)
        return cfg_fail(c, v, "unknown object '%.*s' (no objects are defined: add it under "
                        "'objects:' with kind %s)", SHOW_MAX, s, cfg_object_kinds[want]);
    if (!(names = calloc(cfg->nobjects > 0 ? (size_t)cfg->nobjects : 1, sizeof *names))) return oom(c, v);
    for (int i = 0; i < cfg->nobjects; i++) names[i] = cfg->objects[i].name;
    cfg_suggest(s, names, cfg->nobjects, "objects", hint, sizeof hint);
    free(names);
    return cfg_fail(c, v, "unknown object '%.*s' %s", SHOW_MAX, s, hint);
}
