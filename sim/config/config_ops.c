/* config_ops.c — programs: sequences of ops, flattened into program_t.
 *
 * An op is a mapping with exactly one kind key (cpu, call, start, ...)
 * and the sibling keys that kind takes (args, count, as, do, ...).  All
 * of an op's keys are gathered before any is interpreted, so siblings may
 * be written before the kind key.  The op kinds and their sibling keys
 * are the tables below (the forms of `await:` are config_operands.c's);
 * every message that lists ops or keys is made from them, and so is
 * cfg_op_name.  What the keys hold is read by config_operands.c, what
 * they name by config_program.c. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_checks.h"
#include "config/config_errors.h"
#include "config/config_nodes.h"
#include "config/config_operands.h"
#include "config/config_ops.h"
#include "config/config_program.h"

/* ---- op kinds and their keys ------------------------------------------- */

enum sib { S_DO, S_ARGS, S_COUNT, S_NAME, S_AS, S_METHOD, S_MAX_WORKERS, S_POOL, S_OVER,
           S_PROBABILITY, S_EXCEPT, S_DAEMON, S_CALL, S_BYTES, NSIB };
/* "call" is both an op and update's sibling: beside `update:` it is the sibling. */
static const char *const sib_names[] = {
    "do", "args", "count", "name", "as", "method", "max_workers", "pool", "over",
    "probability", "except", "daemon", "call", "bytes",
};
_Static_assert(ARRAY_LEN(sib_names) == NSIB, "a name for each sibling key");
#define B(s) (1u << (s))

struct op_in;
typedef int (*emit_fn)(struct ctx *c, struct builder *b, const struct op_in *o, int depth);

struct op_spec {
    const char *key;
    enum op_kind kind;            /* await: decided by its value */
    unsigned sibs, required;      /* B(S_...) sets */
    const char *needs;            /* what the required sibling holds, for the message */
    const char *nested;           /* an op with a body: "repeats", as in "repeats nested too deep" */
    emit_fn emit;
};

/* One op mapping, its keys gathered. */
struct op_in {
    const struct op_spec *spec;
    yaml_node_t *map, *kkey, *kval;
    yaml_node_t *key[NSIB], *val[NSIB];
};

static int emit_work(struct ctx *, struct builder *, const struct op_in *, int);
static int emit_repeat(struct ctx *, struct builder *, const struct op_in *, int);
static int emit_call(struct ctx *, struct builder *, const struct op_in *, int);
static int emit_text(struct ctx *, struct builder *, const struct op_in *, int);
static int emit_start(struct ctx *, struct builder *, const struct op_in *, int);
static int emit_use(struct ctx *, struct builder *, const struct op_in *, int);
static int emit_await(struct ctx *, struct builder *, const struct op_in *, int);
static int emit_pool(struct ctx *, struct builder *, const struct op_in *, int);
static int emit_map(struct ctx *, struct builder *, const struct op_in *, int);
static int emit_object(struct ctx *, struct builder *, const struct op_in *, int);
static int emit_try(struct ctx *, struct builder *, const struct op_in *, int);

static const struct op_spec specs[] = {
    { "cpu",          OP_CPU,           0, 0, NULL, NULL, emit_work },
    { "hold",         OP_HOLD,          0, 0, NULL, NULL, emit_work },
    { "native",       OP_NATIVE,        0, 0, NULL, NULL, emit_work },
    { "io",           OP_IO,            0, 0, NULL, NULL, emit_work },
    { "sleep",        OP_SLEEP,         0, 0, NULL, NULL, emit_work },
    { "repeat",       OP_REPEAT,        B(S_DO), B(S_DO), "the ops to repeat", "repeats", emit_repeat },
    { "call",         OP_CALL,          B(S_ARGS), 0, NULL, NULL, emit_call },
    { "mark",         OP_MARK,          0, 0, NULL, NULL, emit_text },
    { "start",        OP_START_THREAD,  B(S_ARGS) | B(S_COUNT) | B(S_NAME) | B(S_AS) | B(S_DAEMON), 0,
                                        NULL, NULL, emit_start },
    { "process",      OP_START_PROCESS, B(S_ARGS) | B(S_COUNT) | B(S_METHOD) | B(S_AS), 0, NULL, NULL,
                                        emit_start },
    { "join",         OP_JOIN,          0, 0, NULL, NULL, emit_use },
    { "asyncio_run",  OP_ASYNCIO_RUN,   B(S_ARGS), 0, NULL, NULL, emit_call },
    { "await",        OP_AWAIT_SLEEP,   0, 0, NULL, NULL, emit_await },
    { "create_task",  OP_CREATE_TASK,   B(S_ARGS) | B(S_COUNT) | B(S_AS), 0, NULL, NULL, emit_start },
    { "with_pool",    OP_POOL,          B(S_MAX_WORKERS) | B(S_METHOD) | B(S_AS) | B(S_DO), B(S_DO),
                                        "the ops inside the with block", "with_pool blocks", emit_pool },
    { "submit",       OP_SUBMIT,        B(S_ARGS) | B(S_COUNT) | B(S_AS) | B(S_POOL), 0, NULL, NULL,
                                        emit_start },
    { "map",          OP_MAP,           B(S_OVER) | B(S_POOL), B(S_OVER), "the items to map over", NULL,
                                        emit_map },
    { "as_completed", OP_AS_COMPLETED,  0, 0, NULL, NULL, emit_use },
    { "with_lock",    OP_LOCK,          B(S_DO), B(S_DO), "the ops run holding the lock",
                                        "with_lock blocks", emit_object },
    { "event_set",    OP_EVENT_SET,     0, 0, NULL, NULL, emit_object },
    { "event_wait",   OP_EVENT_WAIT,    0, 0, NULL, NULL, emit_object },
    { "queue_put",    OP_QUEUE_PUT,     0, 0, NULL, NULL, emit_object },
    { "queue_get",    OP_QUEUE_GET,     0, 0, NULL, NULL, emit_object },
    { "send",         OP_SEND,          B(S_BYTES), 0, NULL, NULL, emit_object },
    { "recv",         OP_RECV,          0, 0, NULL, NULL, emit_object },
    { "update",       OP_UPDATE,        B(S_CALL), 0, NULL, NULL, emit_object },
    { "raise",        OP_RAISE,         B(S_PROBABILITY), 0, NULL, NULL, emit_text },
    { "try",          OP_TRY,           B(S_EXCEPT), B(S_EXCEPT), "the ops run when the try body raises",
                                        "try blocks", emit_try },
    { "crash",        OP_CRASH,         0, 0, NULL, NULL, emit_text },
};
#define NSPECS ((int)ARRAY_LEN(specs))

const char *cfg_op_name(enum op_kind kind)
{
    const char *await = cfg_await_name(kind);

    if (await) return await;
    for (int i = 0; i < NSPECS; i++)
        if (specs[i].kind == kind) return specs[i].key;
    return "?";
}

_Static_assert(NSIB <= CFG_OP_KEYS_MAX, "an op's keys fit cfg_op_doc_t");

int cfg_op_doc(int i, cfg_op_doc_t *out)
{
    if (i < 0 || i >= NSPECS) return -1;
    *out = (cfg_op_doc_t){ .key = specs[i].key };
    for (int s = 0; s < NSIB; s++) {
        if (!(specs[i].sibs & B(s))) continue;
        if (specs[i].required & B(s)) out->required |= 1u << out->nkeys;
        out->keys[out->nkeys++] = sib_names[s];
    }
    return 0;
}

/* Every op_t starts here: "none" everywhere, probability 1, and the place
 * it was written. */
static op_t op_new(enum op_kind kind, const yaml_node_t *at)
{
    op_t op;

    memset(&op, 0, sizeof op);
    op.kind = kind;
    op.dur_param = op.count_param = op.local = op.pool = op.object = -1;
    op.call.fn = -1;
    op.probability = 1.0;
    op.bytes = 1;
    op.method = START_DEFAULT;
    if (at && at->start_mark.index != SET_MARK) {
        op.line = (int)at->start_mark.line + 1;
        op.col = (int)at->start_mark.column + 1;
    }
    return op;
}

/* "cpu, native, io, ...": the op kinds, for "expected one of". */
static const char *kind_list(char *buf, size_t size)
{
    const char *names[NSPECS];

    for (int i = 0; i < NSPECS; i++) names[i] = specs[i].key;
    return cfg_list(buf, size, "%s", ", ", names, NSPECS);
}

static const struct op_spec *find_spec(const yaml_node_t *k)
{
    for (int i = 0; i < NSPECS; i++)
        if (cfg_key_is(k, specs[i].key)) return &specs[i];
    return NULL;
}

static int find_sib(const yaml_node_t *k)
{
    for (int i = 0; i < NSIB; i++)
        if (cfg_key_is(k, sib_names[i])) return i;
    return -1;
}

/* Whether an op of spec sp takes key k beside its kind key. */
static int takes_sib(const struct op_spec *sp, const yaml_node_t *k)
{
    int s = find_sib(k);
    return s >= 0 && (sp->sibs & B(s));
}

/* A key this op doesn't take: the suggestion is among the op's own keys,
 * or among every op key when the op has no kind.  A key of other ops
 * ("as" on a call) is no typo: then the op's keys are listed. */
static int op_unknown_key(struct ctx *c, const struct op_in *o, const yaml_node_t *k)
{
    const char *names[NSPECS + NSIB];
    char label[64], list[HINT_MAX];
    int n = 0;

    if (!o->spec) {
        for (int i = 0; i < NSPECS; i++) names[n++] = specs[i].key;
        for (int i = 0; i < NSIB; i++)
            if (i != S_CALL) names[n++] = sib_names[i];      /* already there as an op */
        return cfg_unknown_key(c, k, "in an op", names, n, "known keys");
    }
    names[n++] = o->spec->key;
    for (int i = 0; i < NSIB; i++)
        if (o->spec->sibs & B(i)) names[n++] = sib_names[i];
    if (find_sib(k) >= 0)
        return cfg_fail(c, k, "unknown key '%s' in an op ('%s' takes: %s)", cfg_text(k),
                        o->spec->key, cfg_list(list, sizeof list, "%s", ", ", names, n));
    snprintf(label, sizeof label, "'%s' takes", o->spec->key);
    return cfg_unknown_key(c, k, "in an op", names, n, label);
}

/* `do:` on an op that takes none: the ops whose body it can be. */
static int stray_do(struct ctx *c, const yaml_node_t *k)
{
    const char *names[NSPECS];
    char others[HINT_MAX];
    int n = 0;

    for (int i = 0; i < NSPECS; i++)
        if (specs[i].sibs & B(S_DO)) names[n++] = specs[i].key;
    return cfg_fail(c, k, "'do' without '%s': 'do:' is the body of a '%s:' op (or of %s)",
                    names[0], names[0], cfg_list(others, sizeof others, "'%s:'", " or ", names + 1, n - 1));
}

static int gather_op(struct ctx *c, yaml_node_t *map, struct op_in *o)
{
    yaml_node_pair_t *p, *start = map->data.mapping.pairs.start, *top = map->data.mapping.pairs.top;
    char buf[64], at[64], kinds[400];

    for (p = start; p < top; p++) {
        const struct op_spec *sp = find_spec(cfg_node(c, p->key));
        if (sp && (!o->spec || takes_sib(sp, o->kkey))) {    /* {call: true, update: x} */
            o->spec = sp;
            o->kkey = cfg_node(c, p->key);
            o->kval = cfg_node(c, p->value);
        }
    }
    for (p = start; p < top; p++) {
        yaml_node_t *k = cfg_node(c, p->key);
        const struct op_spec *sp;
        int s;
        if (k->type != YAML_SCALAR_NODE)
            return cfg_fail(c, k, "expected a key name in an op, got %s", cfg_describe(k, buf, sizeof buf));
        if (k == o->kkey) continue;
        if ((sp = find_spec(k)) && !takes_sib(o->spec, k))
            return cfg_fail(c, k, "an op does one thing, this one has both '%s' and '%s' "
                            "(write them as two ops)", o->spec->key, sp->key);
        s = find_sib(k);
        if (s == S_DO && !(o->spec && (o->spec->sibs & B(S_DO)))) return stray_do(c, k);
        if (s < 0 || (o->spec && !(o->spec->sibs & B(s)))) return op_unknown_key(c, o, k);
        if (!o->spec)
            return cfg_fail(c, k, "'%s' alone is not an op: expected one of %s", sib_names[s],
                            kind_list(kinds, sizeof kinds));
        if (o->key[s])
            return cfg_fail(c, k, "duplicate key '%s' in an op (first given at %s)", sib_names[s],
                            cfg_where(o->key[s], at, sizeof at));
        o->key[s] = k;
        o->val[s] = cfg_node(c, p->value);
    }
    if (!o->spec) return cfg_fail(c, map, "empty op: expected one of %s", kind_list(kinds, sizeof kinds));
    for (int s = 0; s < NSIB; s++)
        if ((o->spec->required & B(s)) && !o->key[s])
            return cfg_fail(c, map, "missing required key '%s' after '%s' (%s)", sib_names[s],
                            o->spec->key, o->spec->needs);
    return 0;
}

/* ---- building a program ------------------------------------------------ */

static int push_op(struct ctx *c, struct builder *b, const yaml_node_t *at, op_t op)
{
    program_t *p = b->prog;
    if (p->nops == b->cap) {
        int cap = b->cap ? b->cap * 2 : 8;
        op_t *ops;
        if (b->cap > INT_MAX / 2 || !(ops = realloc(p->ops, (size_t)cap * sizeof *ops)))
            return cfg_fail(c, at, "out of memory: program too long");
        p->ops = ops;
        b->cap = cap;
    }
    p->ops[p->nops] = op;
    return p->nops++;
}

static int parse_ops(struct ctx *c, struct builder *b, yaml_node_t *seq, int depth);

static int in_async(const struct ctx *c, const struct builder *b)
{
    return b->fn >= 0 && c->cfg->functions[b->fn].is_async;
}

/* Ops with a body (a `nested` in specs[]) nest up to PROGRAM_MAX_DEPTH
 * deep, all kinds together. */
static int check_depth(struct ctx *c, const struct op_in *o, int depth)
{
    const char *names[NSPECS];
    char list[HINT_MAX];
    int n = 0;

    if (!o->spec->nested || depth < PROGRAM_MAX_DEPTH) return 0;
    for (int i = 0; i < NSPECS; i++)
        if (specs[i].nested) names[n++] = specs[i].key;
    return cfg_fail(c, o->kkey, "%s nested more than %d deep (%s bodies count together)",
                    o->spec->nested, PROGRAM_MAX_DEPTH,
                    cfg_list(list, sizeof list, "%s", " and ", names, n));
}

/* What an op can call, mirroring Python: coroutine functions are awaited,
 * run by asyncio_run or wrapped in tasks; everything else takes plain ones. */
static int check_target(struct ctx *c, const yaml_node_t *v, int fn, enum op_kind k)
{
    const function_cfg_t *f = &c->cfg->functions[fn];

    switch (k) {
    case OP_CALL:
        if (f->is_async)
            return cfg_fail(c, v, "'%s' is a coroutine function: use 'await' or 'asyncio_run'", f->name);
        return 0;
    case OP_AWAIT_CALL:
        if (!f->is_async) return cfg_fail(c, v, "'%s' is not async: use 'call'", f->name);
        return 0;
    case OP_ASYNCIO_RUN:
    case OP_CREATE_TASK:
        if (!f->is_async)
            return cfg_fail(c, v, "'%s' is not async: %s needs a coroutine function "
                            "(async: true)", f->name, cfg_op_name(k));
        return 0;
    default:
        if (f->is_async)
            return cfg_fail(c, v, "'%s' is a coroutine function: %s needs a plain function "
                            "(one that runs it with asyncio_run)", f->name, cfg_op_name(k));
        return 0;
    }
}

/* ---- the ops ----------------------------------------------------------- */

static int emit_work(struct ctx *c, struct builder *b, const struct op_in *o, int depth)
{
    op_t op = op_new(o->spec->kind, o->map);
    char what[32];
    (void)depth;

    snprintf(what, sizeof what, "'%s'", o->spec->key);
    if (cfg_duration_operand(c, b, o->kval, what, 0, &op)) return -1;
    return push_op(c, b, o->map, op) < 0 ? -1 : 0;
}

static int emit_repeat(struct ctx *c, struct builder *b, const struct op_in *o, int depth)
{
    op_t op = op_new(OP_REPEAT, o->map);
    int i;

    if (cfg_repeat_operand(c, b, o->kkey, o->kval, &op)) return -1;
    if ((i = push_op(c, b, o->map, op)) < 0) return -1;
    if (parse_ops(c, b, o->val[S_DO], depth + 1)) return -1;
    b->prog->ops[i].body_end = b->prog->nops;
    return 0;
}

/* call: f, asyncio_run: f — run on this thread's stack. */
static int emit_call(struct ctx *c, struct builder *b, const struct op_in *o, int depth)
{
    enum op_kind k = o->spec->kind;
    op_t op = op_new(k, o->map);
    int fn, i;
    (void)depth;

    if (k == OP_ASYNCIO_RUN && in_async(c, b))
        return cfg_fail(c, o->kkey, "asyncio_run inside a running event loop");
    if ((fn = cfg_find_function(c, o->kval)) < 0 || check_target(c, o->kval, fn, k)) return -1;
    if ((i = push_op(c, b, o->map, op)) < 0) return -1;
    if (cfg_fill_call(c, b, fn, o->val[S_ARGS], o->kval, 0, &b->prog->ops[i].call)) return -1;
    return cfg_add_callsite(c, b->fn, fn, 1, o->kval);
}

/* mark: label, raise: Name (probability: P), crash: reason */
static int emit_text(struct ctx *c, struct builder *b, const struct op_in *o, int depth)
{
    enum op_kind k = o->spec->kind;
    const char *what = k == OP_MARK ? "a label" : k == OP_RAISE ? "an exception name such as ValueError"
                                                : "a reason";
    op_t op = op_new(k, o->map);
    const char *s = cfg_scalar(c, o->kval, what);
    int i;
    (void)depth;

    if (!s) return -1;
    if (!*s) return cfg_fail(c, o->kval, "expected %s, got an empty value", what);
    if (o->val[S_PROBABILITY] && cfg_probability_operand(c, o->val[S_PROBABILITY], &op.probability))
        return -1;
    if ((i = push_op(c, b, o->map, op)) < 0) return -1;
    if (!(b->prog->ops[i].text = strdup(s))) return cfg_fail(c, o->kval, "out of memory");
    return 0;
}

static enum local_kind local_kind_of(enum op_kind k)
{
    return k == OP_START_THREAD ? LOCAL_THREADS : k == OP_START_PROCESS ? LOCAL_PROCESSES :
           k == OP_CREATE_TASK ? LOCAL_TASKS : LOCAL_FUTURES;
}

/* start, process, create_task, submit: f runs elsewhere, count times. */
static int emit_start(struct ctx *c, struct builder *b, const struct op_in *o, int depth)
{
    enum op_kind k = o->spec->kind;
    op_t op = op_new(k, o->map);
    int fn, i;
    (void)depth;

    op.count = 1;                 /* unless `count:` says otherwise */
    if (k == OP_CREATE_TASK && !in_async(c, b))
        return cfg_fail(c, o->kkey, "'create_task' outside async function");
    if (k == OP_SUBMIT && cfg_use_pool(c, b, o->val[S_POOL], o->kkey, "submit", &op.pool)) return -1;
    if ((fn = cfg_find_function(c, o->kval)) < 0 || check_target(c, o->kval, fn, k)) return -1;
    if (o->val[S_COUNT] && cfg_count_operand(c, b, o->val[S_COUNT], &op)) return -1;
    if (o->val[S_METHOD] && cfg_get_start_method(c, o->val[S_METHOD], &op.method)) return -1;
    if (o->val[S_DAEMON] && cfg_get_bool(c, o->val[S_DAEMON], &op.daemon)) return -1;
    if ((i = push_op(c, b, o->map, op)) < 0) return -1;
    if (o->val[S_NAME] && cfg_get_name(c, o->val[S_NAME], &b->prog->ops[i].text)) return -1;
    if (cfg_fill_call(c, b, fn, o->val[S_ARGS], o->kval, 0, &b->prog->ops[i].call)) return -1;
    if (o->val[S_AS] &&
        cfg_define_local(c, b, o->val[S_AS], o->map, local_kind_of(k), &b->prog->ops[i].local))
        return -1;
    return cfg_add_callsite(c, b->fn, fn, 0, o->kval);
}

/* join: threads or processes, as_completed: futures */
static int emit_use(struct ctx *c, struct builder *b, const struct op_in *o, int depth)
{
    op_t op = op_new(o->spec->kind, o->map);
    unsigned mask = o->spec->kind == OP_JOIN ? B(LOCAL_THREADS) | B(LOCAL_PROCESSES) : B(LOCAL_FUTURES);
    (void)depth;

    if (cfg_use_local(c, b, o->kval, mask, &op.local)) return -1;
    return push_op(c, b, o->map, op) < 0 ? -1 : 0;
}

/* await: {sleep: D} | {io: D} | {call: f, args: ...} | {gather: tasks} |
 * {to_thread: f, args: ...} */
static int emit_await(struct ctx *c, struct builder *b, const struct op_in *o, int depth)
{
    struct await_in aw;
    char what[32];
    op_t op;
    int fn, i;
    (void)depth;

    if (!in_async(c, b)) return cfg_fail(c, o->kkey, "'await' outside async function");
    if (cfg_await_operand(c, o->kval, &aw)) return -1;
    op = op_new(aw.kind, o->map);
    switch (aw.kind) {
    case OP_AWAIT_SLEEP:
    case OP_AWAIT_IO:
        snprintf(what, sizeof what, "'%s'", aw.name);
        if (cfg_duration_operand(c, b, aw.what, what, aw.kind == OP_AWAIT_SLEEP, &op)) return -1;
        return push_op(c, b, o->map, op) < 0 ? -1 : 0;
    case OP_GATHER:
        if (cfg_use_local(c, b, aw.what, B(LOCAL_TASKS), &op.local)) return -1;
        return push_op(c, b, o->map, op) < 0 ? -1 : 0;
    default:                     /* a coroutine, inline; or a plain function in a worker */
        if ((fn = cfg_find_function(c, aw.what)) < 0 || check_target(c, aw.what, fn, aw.kind))
            return -1;
        if ((i = push_op(c, b, o->map, op)) < 0) return -1;
        if (cfg_fill_call(c, b, fn, aw.args, aw.what, 0, &b->prog->ops[i].call)) return -1;
        return cfg_add_callsite(c, b->fn, fn, aw.kind == OP_AWAIT_CALL, aw.what);
    }
}

/* with_pool: thread|process, max_workers, method, as, do */
static int emit_pool(struct ctx *c, struct builder *b, const struct op_in *o, int depth)
{
    op_t op = op_new(OP_POOL, o->map);
    int i, rc;

    if (cfg_pool_kind_operand(c, o->kval, &op.pool_kind)) return -1;
    if (o->val[S_MAX_WORKERS] && cfg_get_count(c, o->val[S_MAX_WORKERS], &op.max_workers)) return -1;
    if (o->key[S_METHOD] && op.pool_kind != POOL_PROCESS)
        return cfg_fail(c, o->key[S_METHOD], "'method' is only for process pools (with_pool: process)");
    if (o->val[S_METHOD] && cfg_get_start_method(c, o->val[S_METHOD], &op.method)) return -1;
    if ((i = push_op(c, b, o->map, op)) < 0) return -1;
    if (cfg_define_local(c, b, o->val[S_AS], o->map, LOCAL_POOL, &b->prog->ops[i].local)) return -1;
    b->pools[b->npools++] = b->prog->ops[i].local;   /* npools <= depth < PROGRAM_MAX_DEPTH */
    rc = parse_ops(c, b, o->val[S_DO], depth + 1);
    b->npools--;
    b->prog->ops[i].body_end = b->prog->nops;
    return rc;
}

/* map: f, over: [items], pool */
static int emit_map(struct ctx *c, struct builder *b, const struct op_in *o, int depth)
{
    op_t op = op_new(OP_MAP, o->map);
    const function_cfg_t *f;
    yaml_node_t **items;
    op_t *mp;
    int fn, i, rc = 0;
    char what[160];
    (void)depth;

    if (cfg_use_pool(c, b, o->val[S_POOL], o->kkey, "map", &op.pool)) return -1;
    if ((fn = cfg_find_function(c, o->kval)) < 0 || check_target(c, o->kval, fn, OP_MAP)) return -1;
    f = &c->cfg->functions[fn];
    if (f->nparams == 0)
        return cfg_fail(c, o->kval, "'%s' takes no parameters: map passes each item of 'over' "
                        "as its first argument", f->name);
    if (cfg_expect(c, o->val[S_OVER], YAML_SEQUENCE_NODE, "a sequence of items to map over")) return -1;
    if ((i = push_op(c, b, o->map, op)) < 0) return -1;
    mp = &b->prog->ops[i];
    if (!(items = cfg_seq_nodes(c, o->val[S_OVER])) ||
        !(mp->over = calloc((size_t)cfg_seq_len(o->val[S_OVER]), sizeof *mp->over))) {
        free(items);
        return cfg_fail(c, o->val[S_OVER], "out of memory");
    }
    mp->nover = cfg_seq_len(o->val[S_OVER]);
    snprintf(what, sizeof what, "an item for '%s' of %s", f->params[0], f->name);
    for (int j = 0; !rc && j < mp->nover; j++)
        rc = cfg_parse_value(c, items[j], f->param_types[0], 0, what, &mp->over[j]);
    free(items);
    if (rc || cfg_fill_call(c, b, fn, NULL, o->kval, 1, &mp->call)) return -1;
    return cfg_add_callsite(c, b->fn, fn, 0, o->kval);
}

/* with_lock: l (do), event_set/event_wait: e, queue_put/queue_get: q,
 * send/recv: a socketpair or pipe (send: bytes), update: v (call) */
static int emit_object(struct ctx *c, struct builder *b, const struct op_in *o, int depth)
{
    enum op_kind k = o->spec->kind;
    enum object_kind want = k == OP_LOCK ? OBJ_LOCK : k == OP_UPDATE ? OBJ_SHARED :
                            k == OP_EVENT_SET || k == OP_EVENT_WAIT ? OBJ_EVENT :
                            k == OP_SEND || k == OP_RECV ? OBJ_SOCKETPAIR : OBJ_QUEUE;
    op_t op = op_new(k, o->map);
    int i;

    if ((op.object = cfg_find_object(c, o->kval, want)) < 0) return -1;
    if (o->val[S_CALL] && cfg_get_bool(c, o->val[S_CALL], &op.rhs_call)) return -1;
    if (o->val[S_BYTES] && cfg_message_bytes(c, o->val[S_BYTES], &op.bytes)) return -1;
    if ((i = push_op(c, b, o->map, op)) < 0) return -1;
    if (k != OP_LOCK) return 0;
    if (parse_ops(c, b, o->val[S_DO], depth + 1)) return -1;
    b->prog->ops[i].body_end = b->prog->nops;
    return 0;
}

/* try: [...], except: [...] */
static int emit_try(struct ctx *c, struct builder *b, const struct op_in *o, int depth)
{
    int i;

    if ((i = push_op(c, b, o->map, op_new(OP_TRY, o->map))) < 0) return -1;
    if (parse_ops(c, b, o->kval, depth + 1)) return -1;
    b->prog->ops[i].body_end = b->prog->nops;
    if (parse_ops(c, b, o->val[S_EXCEPT], depth + 1)) return -1;
    b->prog->ops[i].except_end = b->prog->nops;
    return 0;
}

/* ---- programs ---------------------------------------------------------- */

static int parse_ops(struct ctx *c, struct builder *b, yaml_node_t *seq, int depth)
{
    if (cfg_expect(c, seq, YAML_SEQUENCE_NODE, "a sequence of ops")) return -1;
    for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        yaml_node_t *map = cfg_node(c, *it);
        struct op_in o;
        if (cfg_expect(c, map, YAML_MAPPING_NODE, "an op such as 'cpu: 20us'")) return -1;
        memset(&o, 0, sizeof o);
        o.map = map;
        if (gather_op(c, map, &o) || check_depth(c, &o, depth) || o.spec->emit(c, b, &o, depth))
            return -1;
    }
    return 0;
}

int cfg_parse_program(struct ctx *c, program_t *prog, yaml_node_t *seq, int fn)
{
    struct builder b;
    int rc;

    cfg_free_program(prog);
    memset(&b, 0, sizeof b);
    b.prog = prog;
    b.fn = fn;
    rc = parse_ops(c, &b, seq, 0);
    free(b.linfo);
    return rc;
}

void cfg_free_program(program_t *p)
{
    for (int i = 0; p->ops && i < p->nops; i++) {
        free(p->ops[i].call.args);
        free(p->ops[i].over);
        free(p->ops[i].text);
    }
    free(p->ops);
    for (int i = 0; p->locals && i < p->nlocals; i++) free(p->locals[i]);
    free(p->locals);
    free(p->local_kinds);
    memset(p, 0, sizeof *p);
}
