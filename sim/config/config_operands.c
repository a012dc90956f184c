/* config_operands.c — the values an op's keys hold, each read and checked
 * on its own: a duration or count (literal, or a `$param`), repeat's count
 * or `forever`, raise's probability, what an await waits for (the table of
 * its forms), with_pool's kind, send's message size.  Apart from config_ops.c, which reads an
 * op's shape (its kind key and sibling keys) and builds the program from
 * these values: config_ops.c calls them, they never call it. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_errors.h"
#include "config/config_nodes.h"
#include "config/config_operands.h"
#include "config/config_program.h"

int cfg_duration_operand(struct ctx *c, struct builder *b, const yaml_node_t *v,
                         const char *what, int zero_ok, op_t *op)
{
    char buf[64];
    int rc = cfg_param_ref(c, b, v, PARAM_DURATION, what, &op->dur_param);

    if (rc) return rc < 0 ? -1 : 0;
    /* asyncio.sleep(0): a bare 0 is the idiom */
    if (zero_ok && v->type == YAML_SCALAR_NODE && strcmp(cfg_text(v), "0") == 0) return 0;
    if (cfg_get_dist(c, v, &op->dur)) return -1;
    if (!zero_ok && !cfg_can_be_positive(&op->dur))
        return cfg_fail(c, v, "%s must be greater than zero, got %s", what,
                        cfg_describe(v, buf, sizeof buf));
    return 0;
}

int cfg_count_operand(struct ctx *c, struct builder *b, const yaml_node_t *v, op_t *op)
{
    int rc = cfg_param_ref(c, b, v, PARAM_COUNT, "'count'", &op->count_param);
    const char *s;
    uint64_t n;
    char buf[64];

    if (rc) return rc < 0 ? -1 : 0;
    if (!(s = cfg_scalar(c, v, "a count (an integer >= 0)"))) return -1;
    if (cfg_parse_u64(s, &n) || n > COUNT_MAX)       /* 0 starts nothing, like range(0) */
        return cfg_fail(c, v, "expected a count (an integer >= 0) of at most %d, got %s",
                        COUNT_MAX, cfg_describe(v, buf, sizeof buf));
    op->count = (int64_t)n;
    return 0;
}

int cfg_repeat_operand(struct ctx *c, struct builder *b, const yaml_node_t *key,
                       const yaml_node_t *v, op_t *op)
{
    int rc = cfg_param_ref(c, b, v, PARAM_COUNT, "'repeat'", &op->count_param);
    const char *s;
    uint64_t n;
    char buf[64];

    if (rc) return rc < 0 ? -1 : 0;
    if (!(s = cfg_scalar(c, v, "a count (an integer >= 0) or 'forever'"))) return -1;
    if (strcmp(s, "forever") == 0) {
        if (!c->forever) c->forever = key;
        op->count = REPEAT_FOREVER;
        return 0;
    }
    /* 0 is allowed, like range(0): handy for sweeps with --set */
    if (cfg_parse_u64(s, &n) || n > INT64_MAX)
        return cfg_fail(c, v, "expected a count (an integer >= 0) or 'forever', got %s",
                        cfg_describe(v, buf, sizeof buf));
    op->count = (int64_t)n;
    return 0;
}

/* A plain decimal or exponent form; -1 for anything else. */
static double parse_probability(const char *s)
{
    char *end;
    double p;

    if (!*s || strspn(s, "0123456789.eE+-") != strlen(s)) return -1;
    p = strtod(s, &end);
    return *end || !isfinite(p) ? -1 : p;
}

int cfg_probability_operand(struct ctx *c, const yaml_node_t *v, double *out)
{
    const char *s = cfg_scalar(c, v, "a probability");
    char buf[64];

    if (!s) return -1;
    *out = parse_probability(s);
    if (!(*out > 0 && *out <= 1))
        return cfg_fail(c, v, "expected a probability > 0 and <= 1, got %s",
                        cfg_describe(v, buf, sizeof buf));
    return 0;
}

/* The forms of `await:`, one key each; `args` goes with call and to_thread. */
enum { A_SLEEP, A_IO, A_CALL, A_GATHER, A_TO_THREAD, A_ARGS };
static const struct await_form {
    const char *key, *name;
    enum op_kind kind;
} awaits[] = {
    [A_SLEEP]  = { "sleep",  "await sleep",  OP_AWAIT_SLEEP },
    [A_IO]     = { "io",     "await io",     OP_AWAIT_IO },
    [A_CALL]   = { "call",   "await call",   OP_AWAIT_CALL },
    [A_GATHER] = { "gather", "await gather", OP_GATHER },
    [A_TO_THREAD] = { "to_thread", "await to_thread", OP_TO_THREAD },
};
_Static_assert(ARRAY_LEN(awaits) == A_ARGS, "one await form per key before args");

const char *cfg_await_name(enum op_kind kind)
{
    for (size_t i = 0; i < ARRAY_LEN(awaits); i++)
        if (awaits[i].kind == kind) return awaits[i].name;
    return NULL;
}

int cfg_await_operand(struct ctx *c, const yaml_node_t *v, struct await_in *out)
{
    const char *names[A_ARGS + 1];
    yaml_node_t *key[A_ARGS + 1] = { 0 }, *val[A_ARGS + 1] = { 0 };
    char buf[64], at[64], list[128];
    int form = -1;

    for (int a = 0; a < A_ARGS; a++) names[a] = awaits[a].key;
    names[A_ARGS] = "args";
    if (v->type != YAML_MAPPING_NODE)
        return cfg_fail(c, v, "expected what to await: {sleep: D}, {io: D}, {call: f}, "
                        "{gather: tasks} or {to_thread: f}, got %s", cfg_describe(v, buf, sizeof buf));
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *k = cfg_node(c, p->key);
        int a = 0;
        if (k->type != YAML_SCALAR_NODE)
            return cfg_fail(c, k, "expected a key name in an await, got %s", cfg_describe(k, buf, sizeof buf));
        while (a <= A_ARGS && !cfg_key_is(k, names[a])) a++;
        if (a > A_ARGS) return cfg_unknown_key(c, k, "in an await", names, A_ARGS + 1, "known keys");
        if (key[a])
            return cfg_fail(c, k, "duplicate key '%s' in an await (first given at %s)", names[a],
                            cfg_where(key[a], at, sizeof at));
        if (a != A_ARGS && form >= 0)
            return cfg_fail(c, k, "an await waits for one thing, this one has both '%s' and '%s'",
                            names[form], names[a]);
        if (a != A_ARGS) form = a;
        key[a] = k;
        val[a] = cfg_node(c, p->value);
    }
    if (form < 0)
        return cfg_fail(c, v, "empty await: expected one of %s",
                        cfg_list(list, sizeof list, "%s", ", ", names, A_ARGS));
    if (key[A_ARGS] && form != A_CALL && form != A_TO_THREAD)
        return cfg_fail(c, key[A_ARGS], "'args' goes with 'call' or 'to_thread' in an await");
    *out = (struct await_in){ awaits[form].kind, awaits[form].name, val[form], val[A_ARGS] };
    return 0;
}

int cfg_pool_kind_operand(struct ctx *c, const yaml_node_t *v, enum pool_kind *out)
{
    static const char *const kinds[] = {
        [POOL_THREAD] = "thread", [POOL_PROCESS] = "process", [POOL_INTERPRETER] = "interpreter",
    };
    int i;

    if (cfg_get_one_of(c, v, "pool kind", kinds, (int)ARRAY_LEN(kinds), &i)) return -1;
    *out = (enum pool_kind)i;
    return 0;
}

/* send's bytes: a plain count, at least 1 (a write of 0 bytes sends
 * nothing: fs/pipe.c and af_unix.c return at once).  How many at most is
 * judged once the config is whole (cfg_check_model_limits). */
int cfg_message_bytes(struct ctx *c, const yaml_node_t *v, int64_t *out)
{
    const char *s = cfg_scalar(c, v, "a message size in bytes");
    uint64_t n;
    char buf[64];

    if (!s) return -1;
    if (cfg_parse_u64(s, &n) || n == 0 || n > INT64_MAX)
        return cfg_fail(c, v, "expected a message size of at least 1 byte (a plain count), got %s",
                        cfg_describe(v, buf, sizeof buf));
    *out = (int64_t)n;
    return 0;
}
