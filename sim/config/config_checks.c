/* config_checks.c — the checks that must wait until the whole config is
 * read: the call graph (each call site is recorded as the bodies are read;
 * recursion and call depth are judged once every body is), sends against
 * their channel's buffer, and
 * affinities against the machine's cores.
 * They read only the finished config_t and the recorded call sites, so
 * they sit low, below the readers that record into them. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "config/config_checks.h"
#include "config/config_errors.h"

/* ---- the call graph ---------------------------------------------------- */

int cfg_add_callsite(struct ctx *c, int caller, int callee, int is_inline,
                     const yaml_node_t *at)
{
    if (caller < 0) return 0;   /* threads' and main programs can't be called */
    if (c->ncalls == c->calls_cap) {
        int cap = c->calls_cap ? c->calls_cap * 2 : 16;
        struct callsite *v;
        if (c->calls_cap > INT_MAX / 4 || !(v = realloc(c->calls, (size_t)cap * sizeof *v)))
            return cfg_fail(c, at, "out of memory");
        c->calls = v;
        c->calls_cap = cap;
    }
    c->calls[c->ncalls++] = (struct callsite){ caller, callee, is_inline, at->start_mark };
    return 0;
}

/* A depth-first walk over the functions, with its own stack (chains of
 * functions can be long).  Call sites are recorded body by body, so each
 * function's are one run of c->calls. */
struct walk {
    int *first;      /* f's call sites: c->calls[first[f] .. first[f + 1] - 1] */
    int *state;      /* 0 not reached yet, 1 on the stack, 2 done */
    int *height;     /* frames a call of f needs, over its inline calls */
    int *stack;      /* the functions being walked, ... */
    int *cursor;     /* ... and the next call site of each */
    int sp;
};

static void walk_free(struct walk *w)
{
    free(w->first);
    free(w->state);
    free(w->height);
    free(w->stack);
    free(w->cursor);
}

static int walk_init(struct walk *w, const struct ctx *c, int n)
{
    w->sp = 0;
    w->first = calloc((size_t)n + 1, sizeof *w->first);
    w->state = calloc((size_t)n, sizeof *w->state);
    w->height = calloc((size_t)n, sizeof *w->height);
    w->stack = calloc((size_t)n, sizeof *w->stack);
    w->cursor = calloc((size_t)n, sizeof *w->cursor);
    if (!w->first || !w->state || !w->height || !w->stack || !w->cursor) return -1;
    for (int e = 0; e < c->ncalls; e++) w->first[c->calls[e].caller + 1] = e + 1;
    for (int f = 1; f <= n; f++) if (w->first[f] < w->first[f - 1]) w->first[f] = w->first[f - 1];
    return 0;
}

static void walk_push(struct walk *w, int f)
{
    w->state[f] = 1;
    w->height[f] = 1;
    w->stack[w->sp] = f;
    w->cursor[w->sp++] = w->first[f];
}

/* cs calls g, which is on the stack: the cycle from g to here. */
static int recursion(struct ctx *c, const struct walk *w, int g, const struct callsite *cs)
{
    char path[512];
    size_t used = 0;
    int from = w->sp - 1;

    while (w->stack[from] != g) from--;
    for (int k = from; k < w->sp && used < sizeof path; k++)
        used += (size_t)snprintf(path + used, sizeof path - used, "'%s' -> ",
                                 c->fn_names[w->stack[k]]);
    if (used < sizeof path) snprintf(path + used, sizeof path - used, "'%s'", c->fn_names[g]);
    return cfg_fail_at(c, cs->at, "recursive call: %s (recursion is not supported: unroll it "
                       "with repeat)", path);
}

/* f's call site cs calls g, whose height is known: an inline call
 * stacks g's frames on f's. */
static int add_height(struct ctx *c, struct walk *w, int f, int g, const struct callsite *cs)
{
    if (!cs->is_inline || w->height[g] + 1 <= w->height[f]) return 0;
    w->height[f] = w->height[g] + 1;
    if (w->height[f] > CALL_MAX_DEPTH)
        return cfg_fail_at(c, cs->at, "calls nested more than %d deep: calling '%s' from "
                           "'%s' makes a chain of %d", CALL_MAX_DEPTH, c->fn_names[g],
                           c->fn_names[f], w->height[f]);
    return 0;
}

static int walk_from(struct ctx *c, struct walk *w, int root)
{
    walk_push(w, root);
    while (w->sp > 0) {
        int f = w->stack[w->sp - 1], e = w->cursor[w->sp - 1], g;
        if (e == w->first[f + 1]) {          /* f is done: its caller learns its height */
            w->state[f] = 2;
            if (--w->sp == 0) break;
            e = w->cursor[w->sp - 1] - 1;
            g = f;
            f = w->stack[w->sp - 1];
        } else {
            w->cursor[w->sp - 1]++;
            g = c->calls[e].callee;
            if (w->state[g] == 1) return recursion(c, w, g, &c->calls[e]);
            if (w->state[g] == 0) {
                walk_push(w, g);
                continue;
            }
        }
        if (add_height(c, w, f, g, &c->calls[e])) return -1;
    }
    return 0;
}

int cfg_check_calls(struct ctx *c)
{
    int n = c->cfg->nfunctions, rc = 0;
    struct walk w;

    if (n == 0) return 0;
    if (walk_init(&w, c, n))
        rc = cfg_fail_file(c, "out of memory");
    for (int root = 0; !rc && root < n; root++)
        if (!w.state[root]) rc = walk_from(c, &w, root);
    walk_free(&w);
    return rc;
}

/* ---- limits of the model ----------------------------------------------- */

/* The largest message one send may carry: all of it must fit an empty
 * buffer at once (a write that has to wait part-way is not modelled).  A
 * pipe: its whole buffer.  A socketpair: unix_stream_sendmsg cuts a send
 * into skbs of at most sk_sndbuf / 2 - 64 bytes, and of at most
 * SKB_MAX_HEAD(0) + UNIX_SKB_FRAGS_SZ; a bigger send would be several
 * skbs, each waiting for room on its own. */
static int64_t max_message(const config_t *cfg, enum object_kind kind)
{
    const int64_t skb_max = KERNEL_SKB_MAX_HEAD + KERNEL_UNIX_SKB_FRAGS;
    int64_t half = (cfg->os.socket_sndbuf >> 1) - 64;

    if (kind == OBJ_PIPE) return cfg->os.pipe_buffer;
    return half < skb_max ? half : skb_max;
}

static int fail_op(struct ctx *c, const op_t *op, const char *msg)
{
    yaml_mark_t m = { 0, (size_t)op->line - 1, (size_t)op->col - 1 };
    return cfg_fail_at(c, m, "%s", msg);
}

/* What a program's ops ask of the rest of the config: a send, a message
 * its channel can hold.  (Which python.version a construct needs is
 * config_version.c's.) */
static int check_ops(struct ctx *c, const config_t *cfg, const program_t *p)
{
    char msg[256];
    for (int i = 0; i < p->nops; i++) {
        const op_t *op = &p->ops[i];
        if (op->kind != OP_SEND) continue;
        enum object_kind kind = cfg->objects[op->object].kind;
        int64_t max = max_message(cfg, kind);
        if (op->bytes <= max) continue;
        snprintf(msg, sizeof msg, "a message of %lld bytes does not fit %s: at most %lld (%s)",
                 (long long)op->bytes, kind == OBJ_PIPE ? "the pipe" : "one skb of the socketpair",
                 (long long)max, kind == OBJ_PIPE ? "os.pipe_buffer" :
                 "unix_stream_sendmsg splits a bigger send, which gilsim does not model");
        return fail_op(c, op, msg);
    }
    return 0;
}

int cfg_check_model_limits(struct ctx *c, const config_t *cfg)
{
    uint64_t cores = cfg->machine.cores >= 64 ? ~(uint64_t)0
                                              : (((uint64_t)1 << cfg->machine.cores) - 1);
    char msg[256];
    for (int f = 0; f < cfg->nfunctions; f++)
        if (check_ops(c, cfg, &cfg->functions[f].body)) return -1;
    for (int p = 0; p < cfg->nprocs; p++) {
        const process_cfg_t *pc = &cfg->procs[p];
        if (pc->has_main && check_ops(c, cfg, &pc->main)) return -1;
        for (int t = 0; t < pc->nthreads; t++) {
            const thread_cfg_t *tc = &pc->threads[t];
            if (check_ops(c, cfg, &tc->prog)) return -1;
            if (tc->affinity && !(tc->affinity & cores)) {
                snprintf(msg, sizeof msg, "thread %s of process %s: its affinity names no core "
                         "of this %d-core machine", tc->name, pc->name, cfg->machine.cores);
                return cfg_fail_file(c, msg);
            }
        }
    }
    return 0;
}
