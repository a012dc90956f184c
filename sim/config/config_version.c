/* config_version.c — python.version and python.gil judged together: the
 * GIL model a version implies, and the pairs no CPython ever was.
 *
 * Which CPython has which GIL:
 *   - up to 3.1 (2.x included): the old GIL, released every check_interval
 *     ticks (`Python/ceval.c`); 3.2 replaced it with the new one (What's
 *     New in Python 3.2, "Multi-threading": Antoine Pitrou's GIL);
 *   - 3.2 on: the new GIL (`Python/ceval_gil.c`), one per process;
 *   - 3.12 on: an interpreter may have its own GIL (PEP 684, What's New in
 *     Python 3.12): `per-interpreter` needs 3.12;
 *   - 3.13t and 3.14t, the free-threaded builds (PEP 703, What's New in
 *     Python 3.13): no GIL (`none`).  Only 3.13 and 3.14 have such a build,
 *     so `gil: none` with "3.13" or "3.14" means that build, and with any
 *     other version is refused.  Their PYTHON_GIL=1 mode is not modelled:
 *     a `t` version with another policy is refused;
 *   - `io-priority` is a proposal on top of the new GIL: any 3.2+.
 *
 * Some constructs a config can use came later than 2.0 (the table
 * `constructs` below, each with its What's New or PEP).
 *
 * The rules, with python.gil G and python.version V as written:
 *   - V only: G is what V implies (above);
 *   - V not given: V is the version nearest the default 3.11 that has G
 *     (or, without G, the GIL 3.11 has) and every construct the config
 *     uses: 3.1 for `old`, 3.12 for `per-interpreter`, 3.13t for `none`,
 *     3.14 for an InterpreterPoolExecutor.  When no version has them all
 *     (`old` and asyncio_run), the error is at G, naming the construct's
 *     place;
 *   - both: they must agree; else the error is at G, naming V's place;
 *   - V given: a construct that came later is an error at the construct,
 *     naming V's place.
 * G is settled before the programs are read (a thread group's
 * `interpreter` needs it), V after (the constructs are in the programs).
 * The per-version defaults (checkpoint_gap, nogil_slowdown, executors'
 * max_workers, ...) then follow V. */
#include <string.h>
#include <stdio.h>

#include "config/config_nodes.h"
#include "config/config_version.h"

#define VERSION_DEFAULT 311

/* The versions that have each policy: [first, last], major*100 + minor;
 * free: 1 for the free-threaded build only, 0 for the GIL builds only. */
struct versions {
    int first, last, free;
    const char *which;            /* for messages */
};

static const struct versions policy_versions[] = {
    [GIL_NEW]             = { 302, 314, 0, "3.2 to 3.14" },
    [GIL_OLD]             = { 200, 301, 0, "2.x, 3.0 and 3.1 (3.2 brought the new GIL)" },
    [GIL_NONE]            = { 313, 314, 1, "the free-threaded builds 3.13t and 3.14t (PEP 703)" },
    [GIL_PER_INTERPRETER] = { 312, 314, 0, "3.12 on (PEP 684)" },
    [GIL_IO_PRIORITY]     = { 302, 314, 0, "3.2 on (a proposal on top of the new GIL)" },
};

/* The constructs that some modelled versions lack, with the version that
 * brought each (What's New in Python X.Y, or the PEP).  `asyncio_run` and
 * `create_task` stand for asyncio.run() and asyncio.create_task(), both
 * new in 3.7; `await` needs the async/await syntax of 3.5. */
enum construct {
    K_NONE = -1, K_MULTIPROCESSING, K_START_METHOD, K_SET_START_METHOD, K_FUTURES,
    K_POOL_CONTEXT, K_AWAIT, K_ASYNCIO_RUN, K_CREATE_TASK, K_TO_THREAD, K_INTERPRETER_POOL,
    K__COUNT
};
static const struct { int since; const char *name, *source; } constructs[] = {
    [K_MULTIPROCESSING]  = { 206, "process (multiprocessing)", "PEP 371" },
    [K_START_METHOD]     = { 304, "a process's method (multiprocessing.get_context)",
                             "What's New in Python 3.4" },
    [K_SET_START_METHOD] = { 304, "multiprocessing.start_method other than fork "
                             "(multiprocessing.set_start_method)", "What's New in Python 3.4" },
    [K_FUTURES]          = { 302, "concurrent.futures (with_pool, submit, map, as_completed)",
                             "PEP 3148" },
    [K_POOL_CONTEXT]     = { 307, "a process pool's method (ProcessPoolExecutor's mp_context)",
                             "What's New in Python 3.7" },
    [K_AWAIT]            = { 305, "await (the async/await syntax)", "PEP 492" },
    [K_ASYNCIO_RUN]      = { 307, "asyncio_run (asyncio.run)", "What's New in Python 3.7" },
    [K_CREATE_TASK]      = { 307, "create_task (asyncio.create_task)",
                             "What's New in Python 3.7" },
    [K_TO_THREAD]        = { 309, "await to_thread (asyncio.to_thread)",
                             "What's New in Python 3.9" },
    [K_INTERPRETER_POOL] = { 314, "with_pool: interpreter (InterpreterPoolExecutor)",
                             "What's New in Python 3.14" },
};
_Static_assert(sizeof constructs / sizeof constructs[0] == K__COUNT, "a line per construct");

static enum construct construct_of(const op_t *op)
{
    switch (op->kind) {
    case OP_START_PROCESS:
        return op->method == START_DEFAULT ? K_MULTIPROCESSING : K_START_METHOD;
    case OP_POOL:
        if (op->pool_kind == POOL_INTERPRETER) return K_INTERPRETER_POOL;
        return op->method == START_DEFAULT ? K_FUTURES : K_POOL_CONTEXT;
    case OP_SUBMIT: case OP_MAP: case OP_AS_COMPLETED:
        return K_FUTURES;
    case OP_AWAIT_SLEEP: case OP_AWAIT_IO: case OP_AWAIT_CALL: case OP_GATHER:
        return K_AWAIT;
    case OP_ASYNCIO_RUN: return K_ASYNCIO_RUN;
    case OP_CREATE_TASK: return K_CREATE_TASK;
    case OP_TO_THREAD: return K_TO_THREAD;
    default: return K_NONE;
    }
}

/* The config's newest construct: the one that needs the latest version,
 * the first found of those; kind K_NONE when it uses none. */
struct use {
    enum construct kind;
    int line, col;
    const yaml_node_t *node;     /* a key's value (a --set's too), or NULL: line, col */
};

static void newest_in(const program_t *p, struct use *newest)
{
    for (int i = 0; i < p->nops; i++) {
        enum construct k = construct_of(&p->ops[i]);
        if (k != K_NONE &&
            (newest->kind == K_NONE || constructs[k].since > constructs[newest->kind].since))
            *newest = (struct use){ k, p->ops[i].line, p->ops[i].col, NULL };
    }
}

static struct use newest_construct(const config_t *cfg)
{
    struct use newest = { K_NONE, 0, 0, NULL };
    for (int f = 0; f < cfg->nfunctions; f++)
        newest_in(&cfg->functions[f].body, &newest);
    for (int p = 0; p < cfg->nprocs; p++) {
        if (cfg->procs[p].has_main) newest_in(&cfg->procs[p].main, &newest);
        for (int t = 0; t < cfg->procs[p].nthreads; t++)
            newest_in(&cfg->procs[p].threads[t].prog, &newest);
    }
    return newest;
}

/* multiprocessing.start_method other than fork: set_start_method, 3.4 on
 * (before it, multiprocessing forked on POSIX). */
static void newest_with_start_method(struct ctx *c, const config_t *cfg, struct use *newest)
{
    yaml_node_t *root = yaml_document_get_root_node(c->doc);
    yaml_node_t *mp = root ? cfg_map_get(c, root, "multiprocessing") : NULL;
    yaml_node_t *at = mp ? cfg_map_get(c, mp, "start_method") : NULL;
    if (!at || cfg->mp.start_method == START_FORK)
        return;
    if (newest->kind == K_NONE ||
        constructs[K_SET_START_METHOD].since > constructs[newest->kind].since)
        *newest = (struct use){ K_SET_START_METHOD, 0, 0, at };
}

static yaml_mark_t mark_of(const struct use *u)
{
    return (yaml_mark_t){ 0, (size_t)u->line - 1, (size_t)u->col - 1 };
}

/* Where u is: "3:5", or "a --set". */
static const char *use_where(const struct use *u, char *buf, size_t size)
{
    if (u->node)
        return cfg_where(u->node, buf, size);
    snprintf(buf, size, "%d:%d", u->line, u->col);
    return buf;
}
_Static_assert(sizeof policy_versions / sizeof policy_versions[0] == GIL_IO_PRIORITY + 1,
               "a line per policy of gil_policies.def");

static enum gil_policy implied_policy(int version, int free_threaded)
{
    if (free_threaded) return GIL_NONE;
    return version <= 301 ? GIL_OLD : GIL_NEW;
}

static int has_policy(const struct versions *v, int version)
{
    return version >= v->first && version <= v->last;
}

static int contradiction(struct ctx *c, const config_t *cfg, const struct versions *v)
{
    char at[64], why[160];
    const char *name = cfg_text(c->gil_node);
    int major = cfg->python.version / 100, minor = cfg->python.version % 100;

    cfg_where(c->version_node, at, sizeof at);
    if (c->free_threaded && !v->free)
        snprintf(why, sizeof why, "%d.%dt is the free-threaded build, without a GIL (its "
                 "PYTHON_GIL=1 mode is not modelled); \"%d.%d\" has one", major, minor,
                 major, minor);
    else
        snprintf(why, sizeof why, "`%s` exists in %s", name, v->which);
    return cfg_fail(c, c->gil_node, "python.gil: %s contradicts python.version \"%d.%d%s\" "
                    "(at %s): %s; change one of the two, or leave python.gil out to take the "
                    "version's own GIL", name, major, minor, c->free_threaded ? "t" : "", at, why);
}

int cfg_resolve_gil(struct ctx *c, config_t *cfg)
{
    const struct versions *v;

    if (!c->gil_node) {
        cfg->python.gil = implied_policy(cfg->python.version, c->free_threaded);
        return 0;
    }
    v = &policy_versions[cfg->python.gil];
    /* "3.13" with `none` is 3.13t: the only build of 3.13 without a GIL */
    if (c->version_node &&
        (!has_policy(v, cfg->python.version) || (c->free_threaded && !v->free)))
        return contradiction(c, cfg, v);
    return 0;
}

/* python.version as given, and a construct that came later: an error at
 * the construct. */
static int construct_too_new(struct ctx *c, const config_t *cfg, const struct use *u)
{
    char at[64], version[16];
    int since = constructs[u->kind].since;
    const char *fmt = "%s needs python.version \"%d.%d\" or later (%s); python.version is "
                      "\"%s\" (at %s)";
    const char *name = constructs[u->kind].name, *source = constructs[u->kind].source;

    cfg_version_text(cfg, version, sizeof version);
    cfg_where(c->version_node, at, sizeof at);
    if (u->node)
        return cfg_fail(c, u->node, fmt, name, since / 100, since % 100, source, version, at);
    return cfg_fail_at(c, mark_of(u), fmt, name, since / 100, since % 100, source, version, at);
}

/* python.gil given, python.version not, and no version has both G and
 * the construct: an error at G. */
static int no_version_has_both(struct ctx *c, const config_t *cfg, const struct use *u)
{
    int since = constructs[u->kind].since;
    const char *name = cfg_text(c->gil_node);
    char where[64];

    return cfg_fail(c, c->gil_node, "python.gil: %s exists in %s, but %s (at %s) needs "
                    "%d.%d or later (%s): no Python has both; set python.version to the Python "
                    "meant, without what it lacks", name,
                    policy_versions[cfg->python.gil].which, constructs[u->kind].name,
                    use_where(u, where, sizeof where), since / 100, since % 100,
                    constructs[u->kind].source);
}

/* The version in [first, last] nearest the default. */
static int nearest_default(int first, int last)
{
    return VERSION_DEFAULT < first ? first : VERSION_DEFAULT > last ? last : VERSION_DEFAULT;
}

/* How a python.version not given was chosen, for the summaries; by_use:
 * the construct u moved it past what the GIL alone gives. */
static void say_implied(const struct ctx *c, config_t *cfg, const struct use *u, int by_use)
{
    char *why = cfg->python.version_implied;
    size_t size = sizeof cfg->python.version_implied;
    int n = c->gil_node ? snprintf(why, size, "implied by python.gil: %s",
                                   cfg_text(c->gil_node))
                        : snprintf(why, size, "%s", by_use ? "implied by" : "the default");
    if (by_use && n >= 0 && (size_t)n < size)
        snprintf(why + n, size - (size_t)n, "%s%s at line %d", c->gil_node ? " and " : " ",
                 constructs[u->kind].name,
                 u->node ? (int)u->node->start_mark.line + 1 : u->line);
}

int cfg_resolve_version(struct ctx *c, config_t *cfg)
{
    const struct versions *v = &policy_versions[cfg->python.gil];
    struct use newest = newest_construct(cfg);
    newest_with_start_method(c, cfg, &newest);
    int need = newest.kind == K_NONE ? 0 : constructs[newest.kind].since;
    int first = v->first > need ? v->first : need;

    if (c->version_node)
        return need > cfg->python.version ? construct_too_new(c, cfg, &newest) : 0;
    if (first > v->last)
        return no_version_has_both(c, cfg, &newest);
    cfg->python.version = nearest_default(first, v->last);
    say_implied(c, cfg, &newest, cfg->python.version != nearest_default(v->first, v->last));
    return 0;
}

const char *cfg_version_text(const config_t *cfg, char *buf, size_t size)
{
    snprintf(buf, size, "%d.%d%s", cfg->python.version / 100, cfg->python.version % 100,
             cfg->python.gil == GIL_NONE ? "t" : "");
    return buf;
}

int cfg_check_group_interpreter(struct ctx *c, const config_t *cfg, const yaml_node_t *group)
{
    static const char *const keys[] = { "interpreter", "switch_interval" };

    if (cfg->python.gil == GIL_PER_INTERPRETER) return 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        yaml_node_t *at = cfg_map_get(c, (yaml_node_t *)group, keys[i]);
        if (!at) continue;
        return cfg_fail(c, at, "a thread group's '%s' needs a GIL per interpreter: set "
                        "python.gil: per-interpreter (Python 3.12+, PEP 684); with the `%s` "
                        "GIL of this config every thread of a process shares one GIL and "
                        "its switch interval", keys[i], cfg_gil_names[cfg->python.gil]);
    }
    return 0;
}

/* Bytecode specialisation (PEP 659, `Python/specialize.c`) came with 3.11:
 * before it there is nothing to warm up, so python.specialize there is a
 * mistake, not a no-op. */
int cfg_check_specialize(struct ctx *c, const config_t *cfg, const yaml_node_t *root)
{
    yaml_node_t *python = cfg_map_get(c, root, "python");
    yaml_node_t *at = python ? cfg_map_get(c, python, "specialize") : NULL;
    const char *implied = cfg->python.version_implied;

    if (!at || !cfg->python.specialize || cfg->python.version >= 311) return 0;
    /* A version the GIL chose cannot be raised without changing the GIL. */
    const char *remedy = strstr(implied, "python.gil")
        ? "choose a python.gil that 3.11 or later has" : "set python.version to \"3.11\" or later";
    return cfg_fail(c, at, "python.specialize: Python %d.%d%s%s%s has no specialising adaptive "
                    "interpreter (PEP 659 came with 3.11): %s, or leave python.specialize out",
                    cfg->python.version / 100, cfg->python.version % 100,
                    implied[0] ? " (" : "", implied, implied[0] ? ")" : "", remedy);
}

/* Defaults that depend on python.version, once it is known.
 * Check points: up to 3.9 the eval loop checks before nearly every opcode;
 * from 3.10 only at loop back-edges and calls, about one iteration of a
 * simple loop.  Free-threaded single-thread slowdown: about 40 % in 3.13,
 * 1-8 % in 3.14 (the free-threading HOWTO). */
static void resolve_by_version(config_t *cfg)
{
    if (cfg->python.checkpoint_gap == 0)
        cfg->python.checkpoint_gap = cfg->python.version <= 309 ? cfg->python.opcode_time : NS(100);
    if (cfg->python.nogil_slowdown == 0)
        cfg->python.nogil_slowdown = cfg->python.version <= 313 ? 1.40 : 1.05;
    /* 3.11 quickens a code object on its 8th call (QUICKENING_WARMUP_DELAY);
     * 3.12+ quickens it when created, each instruction specialising on its
     * second execution: from the first call on, in effect */
    if (cfg->python.warmup_calls == 0)
        cfg->python.warmup_calls = cfg->python.version <= 311 ? 8 : 1;
}

/* Latencies that default to another key's value, once the config set it:
 * a timer's interrupt on an idle core and a halted core's exit are, unless
 * given, the same as any wake-up onto an idle core (a sentinel -1 marks
 * them unset). */
static void resolve_as_wake_latency(dist_t *d, const dist_t *wake)
{
    if (d->kind == DIST_CONST && d->a < 0)
        *d = *wake;
}

void cfg_resolve_late_defaults(config_t *cfg)
{
    resolve_by_version(cfg);
    resolve_as_wake_latency(&cfg->os.timer_latency_idle, &cfg->os.wake_latency);
    resolve_as_wake_latency(&cfg->os.wake_latency_deep, &cfg->os.wake_latency);
}
