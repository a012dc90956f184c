/* config_operands.h — config_operands.c: the values an op's keys hold,
 * each read into the op being built. */
#ifndef GILSIM_CONFIG_OPERANDS_H
#define GILSIM_CONFIG_OPERANDS_H

#include "config/config_program.h"

/* A duration: `$p` (a duration parameter) or a literal distribution that
 * can be positive; zero_ok: `0` is allowed too (asyncio.sleep(0)).  what
 * names the key for the message ("'cpu'"). */
int cfg_duration_operand(struct ctx *c, struct builder *b, const yaml_node_t *v,
                         const char *what, int zero_ok, op_t *op);
/* count: `$p` or 0 .. COUNT_MAX */
int cfg_count_operand(struct ctx *c, struct builder *b, const yaml_node_t *v, op_t *op);
/* repeat: `$p`, 0 .. INT64_MAX, or forever (key: the `repeat` key, which
 * a forever without a `duration:` is reported at). */
int cfg_repeat_operand(struct ctx *c, struct builder *b, const yaml_node_t *key,
                       const yaml_node_t *v, op_t *op);
/* probability: above 0, at most 1 */
int cfg_probability_operand(struct ctx *c, const yaml_node_t *v, double *out);
/* What `await:` waits for. */
struct await_in {
    enum op_kind kind;            /* OP_AWAIT_SLEEP, OP_AWAIT_IO, OP_AWAIT_CALL, OP_GATHER or OP_TO_THREAD */
    const char *name;             /* its name: "await sleep", ... */
    yaml_node_t *what;            /* the duration, the function or the tasks */
    yaml_node_t *args;            /* call's arguments, or NULL */
};
/* await: {sleep: D} | {io: D} | {call: f, args: ...} | {gather: tasks} | {to_thread: f, args: ...} */
int cfg_await_operand(struct ctx *c, const yaml_node_t *v, struct await_in *out);
/* "await sleep" for OP_AWAIT_SLEEP, ...; NULL for an op that is no await. */
const char *cfg_await_name(enum op_kind kind);
/* with_pool: thread, process or interpreter */
int cfg_pool_kind_operand(struct ctx *c, const yaml_node_t *v, enum pool_kind *out);
/* send's bytes: a message size, a plain count of at least 1. */
int cfg_message_bytes(struct ctx *c, const yaml_node_t *v, int64_t *out);

#endif
