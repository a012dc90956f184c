/* config.c — loads a run's YAML config into a config_t.
 *
 * The keys are tables of fields, one per section, read by the schema
 * walker (config_nodes.c): the settings, processes and threads below;
 * functions and objects in config_program.c.  An op's keys are the tables
 * of config_ops.c (specs[], sib_names[]), await's those of
 * config_operands.c (awaits[]).  The config reference (config_reference.c) gives each
 * key's default and source.
 *
 * Counts are at most COUNT_MAX, cores CORES_MAX, the run's total number of
 * threads (sum over processes of count * thread counts, main included)
 * THREADS_MAX and of processes PROCESSES_MAX (caps.h).
 * <dur> is a number and a unit (ns, us, ms, s): 15ms, 0.75ms, 1.5 s.
 * <dist> is a <dur> or exp(MEAN), uniform(A, B), normal(MEAN, SD),
 * lognormal(MEDIAN, SIGMA) with SIGMA a plain number.
 * <bytes> is a number and a unit (B, KiB, MiB, GiB), rounded to the byte.
 *
 * The file is loaded with libyaml's document API, --set overrides are
 * spliced into that document, and one schema walker then checks and copies
 * everything, so a value given with --set gets exactly the checks a value in
 * the file gets.  Function signatures and objects are read first, then
 * function bodies and processes, in the order written.  The first problem
 * found is the only one reported.
 *
 * Layer config (sim/config/): a YAML config (libyaml) to a checked
 * config_t; beside the layers, it uses only the engine layer's types. What
 * reaches the model is valid. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "config/config_checks.h"
#include "config/config_errors.h"
#include "config/config_imports.h"
#include "config/config_nodes.h"
#include "config/config_ops.h"
#include "config/config_print.h"
#include "config/config_tables.h"
#include "config/config_program.h"
#include "config/config_version.h"
#include "config/config_yaml.h"

/* ---- threads and processes --------------------------------------------- */

static int program_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                         yaml_node_t *val, void *obj)
{
    thread_cfg_t *t = obj;
    (void)f; (void)key;
    return cfg_parse_program(c, &t->prog, val, -1);
}

/* interpreter: N (0 is the main interpreter) */
static int interpreter_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                             yaml_node_t *val, void *obj)
{
    thread_cfg_t *t = obj;
    const char *s = cfg_scalar(c, val, "an interpreter number (0 is the main one)");
    uint64_t n;
    char buf[64];
    (void)f; (void)key;
    if (!s) return -1;
    if (cfg_parse_u64(s, &n) || n > INTERPRETERS_MAX)
        return cfg_fail(c, val, "expected an interpreter number from 0 to %d, got %s",
                        INTERPRETERS_MAX, cfg_describe(val, buf, sizeof buf));
    t->interpreter = (int)n;
    return 0;
}

/* affinity: [0, 2] -- the cores the threads may run on (sched_setaffinity) */
static int affinity_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                          yaml_node_t *val, void *obj)
{
    thread_cfg_t *t = obj;
    char buf[64];
    (void)f; (void)key;
    if (cfg_expect(c, val, YAML_SEQUENCE_NODE, "a list of core numbers such as [0, 1]")) return -1;
    for (yaml_node_item_t *it = val->data.sequence.items.start; it < val->data.sequence.items.top; it++) {
        yaml_node_t *v = cfg_node(c, *it);
        const char *s = cfg_scalar(c, v, "a core number");
        uint64_t n;
        if (!s) return -1;
        if (cfg_parse_u64(s, &n) || n >= 64)
            return cfg_fail(c, v, "expected a core number from 0 to 63, got %s",
                            cfg_describe(v, buf, sizeof buf));
        t->affinity |= (uint64_t)1 << n;
    }
    return 0;
}

static const struct field thread_fields[] = {
    { "name",    F_NAME,   offsetof(thread_cfg_t, name),  0, NULL, NULL, 0 },
    { "count",   F_COUNT,  offsetof(thread_cfg_t, count), 0, NULL, NULL, 0 },
    { "program", F_CUSTOM, 0, 1, NULL, program_field, 0 },
    { "interpreter", F_CUSTOM, 0, 0, NULL, interpreter_field, 0 },
    { "switch_interval", F_DUR_POS, offsetof(thread_cfg_t, switch_interval), 0, NULL, NULL, 0 },
    { "affinity", F_CUSTOM, 0, 0, NULL, affinity_field, 0 },
};
SCHEMA(thread_schema, "in a thread", thread_fields);

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
        if (!(*name = strdup(buf))) return cfg_fail(c, map, "out of memory");
    }
    for (int j = 0; j < i; j++) {
        char **other = (char **)(void *)((char *)names + (size_t)j * stride);
        yaml_node_t *first, *here;
        if (strcmp(*other, *name)) continue;
        first = cfg_map_get(c, maps[j], "name");
        cfg_where(first ? first : maps[j], at, sizeof at);
        if (first) snprintf(prev, sizeof prev, "first used at %s", at);
        else snprintf(prev, sizeof prev, "%s %d at %s has it by default", what, j, at);
        if (!(here = cfg_map_get(c, map, "name")))
            return cfg_fail(c, map, "%s %d gets the default name '%s' (%s): give it a name",
                            what, i, *name, prev);
        return cfg_fail(c, here, "duplicate %s name '%.*s' (%s)", what, SHOW_MAX, *name, prev);
    }
    return 0;
}

static int threads_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                         yaml_node_t *val, void *obj)
{
    process_cfg_t *p = obj;
    yaml_node_t **items;
    int rc = 0;
    (void)f; (void)key;

    if (cfg_expect(c, val, YAML_SEQUENCE_NODE, "a sequence of threads")) return -1;
    if (!(items = cfg_seq_nodes(c, val)) ||
        !(p->threads = calloc((size_t)cfg_seq_len(val), sizeof *p->threads))) {
        free(items);
        return cfg_fail(c, val, "out of memory");
    }
    p->nthreads = cfg_seq_len(val);
    for (int i = 0; !rc && i < p->nthreads; i++) {
        p->threads[i].count = 1;
        rc = cfg_expect(c, items[i], YAML_MAPPING_NODE,
                        "a thread (a mapping with name, count, program)") ||
             cfg_walk_map(c, items[i], &thread_schema, &p->threads[i]) ||
             cfg_check_group_interpreter(c, c->cfg, items[i]) ||
             name_entry(c, items[i], &p->threads[0].name, sizeof p->threads[0], i,
                        "t", "thread", items);
    }
    free(items);
    return rc ? -1 : 0;
}

static int main_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                      yaml_node_t *val, void *obj)
{
    process_cfg_t *p = obj;
    (void)f; (void)key;
    p->has_main = 1;
    return cfg_parse_program(c, &p->main, val, -1);
}

static const struct field process_fields[] = {
    { "name",    F_NAME,   offsetof(process_cfg_t, name),  0, NULL, NULL, 0 },
    { "count",   F_COUNT,  offsetof(process_cfg_t, count), 0, NULL, NULL, 0 },
    { "main",    F_CUSTOM, 0, 0, NULL, main_field, 0 },
    { "threads", F_CUSTOM, 0, 0, NULL, threads_field, 0 },
};
SCHEMA(process_schema, "in a process", process_fields);

/* Counts are bounded one by one, but the model sizes arrays by their
 * products: keep the whole run's thread and process counts within the caps
 * (caps.h) too. */
static int count_threads(struct ctx *c, yaml_node_t *map, const process_cfg_t *p,
                         int64_t *total, int64_t *procs)
{
    int64_t per_process = p->has_main;

    if (!p->has_main && !p->threads)
        return cfg_fail(c, map, "missing required key 'threads' in a process (a process "
                        "needs 'main', 'threads', or both)");
    for (int i = 0; i < p->nthreads && per_process <= COUNT_MAX; i++)
        per_process += p->threads[i].count;
    *total += per_process * p->count;   /* both <= 2 * COUNT_MAX: no overflow */
    *procs += p->count;
    if (*procs > PROCESSES_MAX)
        return cfg_fail(c, map, "too many processes: %lld in all up to this process, at most %d",
                        (long long)*procs, PROCESSES_MAX);
    if (*total > THREADS_MAX)
        return cfg_fail(c, map, "too many threads: %lld in all up to this process, at most %d",
                        (long long)*total, THREADS_MAX);
    return 0;
}

static int parse_processes(struct ctx *c, yaml_node_t *val, config_t *cfg)
{
    yaml_node_t **items;
    int64_t total = 0, procs = 0;
    int rc = 0;

    if (!(items = cfg_seq_nodes(c, val)) ||
        !(cfg->procs = calloc((size_t)cfg_seq_len(val), sizeof *cfg->procs))) {
        free(items);
        return cfg_fail(c, val, "out of memory");
    }
    cfg->nprocs = cfg_seq_len(val);
    for (int i = 0; !rc && i < cfg->nprocs; i++) {
        cfg->procs[i].count = 1;
        rc = cfg_expect(c, items[i], YAML_MAPPING_NODE,
                        "a process (a mapping with name, count, main, threads)") ||
             cfg_walk_map(c, items[i], &process_schema, &cfg->procs[i]) ||
             name_entry(c, items[i], &cfg->procs[0].name, sizeof cfg->procs[0], i,
                        "p", "process", items) ||
             count_threads(c, items[i], &cfg->procs[i], &total, &procs);
    }
    free(items);
    return rc ? -1 : 0;
}

/* Read once every function's signature is known (see build). */
static int processes_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                           yaml_node_t *val, void *obj)
{
    (void)f; (void)key; (void)obj;
    if (cfg_expect(c, val, YAML_SEQUENCE_NODE, "a sequence of processes")) return -1;
    c->processes = val;
    return 0;
}

/* ---- the top level ----------------------------------------------------- */

#define CFG_OFF(member) offsetof(config_t, member)

static const struct field machine_fields[] = {
    { "cores", F_CUSTOM, 0, 0, NULL, cfg_cores_field, 0 },
};
SCHEMA(machine_schema, "in machine", machine_fields);

static const struct field os_fields[] = {
    { "sched_latency",   F_DUR_POS,    CFG_OFF(os.sched_latency),   0, NULL, NULL, 0 },
    { "min_granularity", F_DUR_POS,    CFG_OFF(os.min_granularity), 0, NULL, NULL, 0 },
    { "context_switch",  F_DUR_NONNEG, CFG_OFF(os.context_switch),  0, NULL, NULL, 0 },
    { "timer_slack",     F_DUR_NONNEG, CFG_OFF(os.timer_slack),     0, NULL, NULL, 0 },
    { "tick",            F_DUR_NONNEG, CFG_OFF(os.tick),            0, NULL, NULL, 0 },
    { "wake_latency",    F_DIST,       CFG_OFF(os.wake_latency),    0, NULL, NULL, 0 },
    { "wake_latency_deep", F_DIST,     CFG_OFF(os.wake_latency_deep), 0, NULL, NULL, 0 },
    { "halt_poll",       F_DUR_NONNEG, CFG_OFF(os.halt_poll),       0, NULL, NULL, 0 },
    { "timer_latency",   F_DIST,       CFG_OFF(os.timer_latency),   0, NULL, NULL, 0 },
    { "timer_latency_idle", F_DIST,    CFG_OFF(os.timer_latency_idle), 0, NULL, NULL, 0 },
    { "scheduler",       F_SCHED,      CFG_OFF(os.scheduler),       0, NULL, NULL, 0 },
    { "wakeup_granularity", F_DUR_NONNEG, CFG_OFF(os.wakeup_granularity), 0, NULL, NULL, 0 },
    { "migration",       F_DUR_NONNEG, CFG_OFF(os.migration),       0, NULL, NULL, 0 },
    { "socket_syscall",  F_DUR_NONNEG, CFG_OFF(os.socket_syscall),  0, NULL, NULL, 0 },
    { "pipe_buffer",     F_CUSTOM,     CFG_OFF(os.pipe_buffer),     0, NULL, cfg_buffer_field, 0 },
    { "socket_sndbuf",   F_CUSTOM,     CFG_OFF(os.socket_sndbuf),   0, NULL, cfg_buffer_field, 1 },
    { "skb_overhead",    F_CUSTOM,     CFG_OFF(os.skb_overhead),    0, NULL, cfg_buffer_field, 2 },
};
SCHEMA(os_schema, "in os", os_fields);

static const struct field python_fields[] = {
    { "gil",             F_GIL,        CFG_OFF(python.gil),             0, NULL, NULL, 0 },
    { "switch_interval", F_DUR_POS,    CFG_OFF(python.switch_interval), 0, NULL, NULL, 0 },
    { "checkpoint_gap",  F_DUR_POS,    CFG_OFF(python.checkpoint_gap),  0, NULL, NULL, 0 },
    { "version",         F_VERSION,    CFG_OFF(python.version),         0, NULL, NULL, 0 },
    { "thread_start",    F_DUR_NONNEG, CFG_OFF(python.thread_start),    0, NULL, NULL, 0 },
    { "thread_bootstrap", F_DUR_NONNEG, CFG_OFF(python.thread_bootstrap), 0, NULL, NULL, 0 },
    { "shutdown_scan",   F_DUR_NONNEG, CFG_OFF(python.shutdown_scan),   0, NULL, NULL, 0 },
    { "specialize",      F_BOOL,       CFG_OFF(python.specialize),      0, NULL, NULL, 0 },
    { "warmup_calls",    F_COUNT,      CFG_OFF(python.warmup_calls),    0, NULL, NULL, 0 },
    { "unspecialized_slowdown", F_REAL, CFG_OFF(python.unspecialized_slowdown), 0, NULL, NULL, 0 },
    { "imports",         F_CUSTOM,     0,                               0, NULL, cfg_imports_field, 0 },
    { "thread_memory",   F_BYTES,      CFG_OFF(python.thread_memory),   0, NULL, NULL, 0 },
    { "task_memory",     F_BYTES,      CFG_OFF(python.task_memory),     0, NULL, NULL, 0 },
    { "process_memory",  F_BYTES,      CFG_OFF(python.process_memory),  0, NULL, NULL, 0 },
    { "pickle",          F_DUR_NONNEG, CFG_OFF(python.pickle),          0, NULL, NULL, 0 },
    { "gil_wakeup",      F_WAKEUP,     CFG_OFF(python.gil_wakeup),      0, NULL, NULL, 0 },
    { "opcode_time",     F_DUR_POS,    CFG_OFF(python.opcode_time),     0, NULL, NULL, 0 },
    { "check_interval",  F_COUNT,      CFG_OFF(python.check_interval),  0, NULL, NULL, 0 },
    { "old_signal",      F_DUR_NONNEG, CFG_OFF(python.old_signal),      0, NULL, NULL, 0 },
    { "old_contention",  F_DUR_NONNEG, CFG_OFF(python.old_contention),  0, NULL, NULL, 0 },
    { "old_window",      F_DUR_NONNEG, CFG_OFF(python.old_window),      0, NULL, NULL, 0 },
    { "nogil_slowdown",  F_REAL,       CFG_OFF(python.nogil_slowdown),  0, NULL, NULL, 0 },
    { "stw_interval",    F_DUR_NONNEG, CFG_OFF(python.stw_interval),    0, NULL, NULL, 0 },
    { "stw_pause",       F_DUR_POS,    CFG_OFF(python.stw_pause),       0, NULL, NULL, 0 },
    { "switch_cost",     F_DUR_NONNEG, CFG_OFF(python.switch_cost),     0, NULL, NULL, 0 },
    { "finalize",        F_DUR_NONNEG, CFG_OFF(python.finalize),        0, NULL, NULL, 0 },
};
SCHEMA(python_schema, "in python", python_fields);

static const struct field mp_fields[] = {
    { "start_method", F_START_METHOD, CFG_OFF(mp.start_method), 0, NULL, NULL, 0 },
    { "fork_parent",  F_DUR_NONNEG,   CFG_OFF(mp.fork_parent),  0, NULL, NULL, 0 },
    { "fork_child",   F_DUR_NONNEG,   CFG_OFF(mp.fork_child),   0, NULL, NULL, 0 },
    { "spawn_parent", F_DUR_NONNEG,   CFG_OFF(mp.spawn_parent), 0, NULL, NULL, 0 },
    { "spawn_child",  F_DUR_NONNEG,   CFG_OFF(mp.spawn_child),  0, NULL, NULL, 0 },
};
SCHEMA(mp_schema, "in multiprocessing", mp_fields);

static const struct field aio_fields[] = {
    { "loop_iteration", F_DUR_NONNEG, CFG_OFF(aio.loop_iteration), 0, NULL, NULL, 0 },
    { "task_step",      F_DUR_NONNEG, CFG_OFF(aio.task_step),      0, NULL, NULL, 0 },
    { "select_poll",    F_DUR_NONNEG, CFG_OFF(aio.select_poll),    0, NULL, NULL, 0 },
    { "create_task",    F_DUR_NONNEG, CFG_OFF(aio.create_task),    0, NULL, NULL, 0 },
};
SCHEMA(aio_schema, "in asyncio", aio_fields);

static const struct field top_fields[] = {
    { "name",            F_NAME,    CFG_OFF(name),     0, NULL, NULL, 0 },
    { "machine",         F_SECTION, 0,                 0, &machine_schema, NULL, 0 },
    { "os",              F_SECTION, 0,                 0, &os_schema, NULL, 0 },
    { "python",          F_SECTION, 0,                 0, &python_schema, NULL, 0 },
    { "multiprocessing", F_SECTION, 0,                 0, &mp_schema, NULL, 0 },
    { "asyncio",         F_SECTION, 0,                 0, &aio_schema, NULL, 0 },
    { "duration",        F_DUR_POS, CFG_OFF(duration), 0, NULL, NULL, 0 },
    { "seed",            F_SEED,    CFG_OFF(seed),     0, NULL, NULL, 0 },
    { "objects",         F_CUSTOM,  0,                 0, NULL, cfg_objects_field, 0 },
    { "functions",       F_CUSTOM,  0,                 0, NULL, cfg_functions_field, 0 },
    { "processes",       F_CUSTOM,  0,                 1, NULL, processes_field, 0 },
};
SCHEMA(top_schema, "at the top level", top_fields);


void cfg_each_field(cfg_field_fn each, void *ctx)
{
    cfg_schema_fields(&top_schema, "", each, ctx);
    cfg_object_fields(each, ctx);
    cfg_function_fields(each, ctx);
    cfg_schema_fields(&process_schema, "processes[]", each, ctx);
    cfg_schema_fields(&thread_schema, "processes[].threads[]", each, ctx);
}

struct key_walk { cfg_key_fn each; void *ctx; };

static void key_of_field(void *ctx, const char *section, const struct field *f)
{
    struct key_walk *w = ctx;
    w->each(w->ctx, section, f->key, f->required);
}

void cfg_each_key(cfg_key_fn each, void *ctx)
{
    struct key_walk w = {each, ctx};
    cfg_each_field(key_of_field, &w);
}

void cfg_set_defaults(config_t *cfg)
{
    cfg->machine.cores = 4;
    cfg->os.sched_latency = MS(6);
    cfg->os.min_granularity = US(750);
    cfg->os.context_switch = US(1);
    cfg->os.timer_slack = US(50);
    cfg->os.tick = MS(4);                       /* CONFIG_HZ=250 (Debian's kernels) */
    cfg->os.wake_latency = (dist_t){ .kind = DIST_LOGNORMAL, .a = US(6), .sigma = 0.45 };
    /* bare metal: the interrupt at once, an idle core's exit as for any
     * wake-up (the config reference: os.timer_latency; a VM's are far longer) */
    cfg->os.timer_latency = (dist_t){ .kind = DIST_CONST, .a = 0 };
    cfg->os.timer_latency_idle = (dist_t){ .kind = DIST_CONST, .a = -1 };  /* os.wake_latency */
    cfg->os.wake_latency_deep = (dist_t){ .kind = DIST_CONST, .a = -1 };   /* os.wake_latency */
    cfg->os.halt_poll = US(200);                /* KVM's halt_poll_ns */
    cfg->os.socket_syscall = US(3);
    cfg->os.pipe_buffer = 16 * KERNEL_PAGE;     /* PIPE_DEF_BUFFERS pages (fs/pipe.c) */
    cfg->os.socket_sndbuf = 212992;             /* net.core.wmem_default (SK_WMEM_MAX) */
    cfg->os.skb_overhead = 256;                 /* SKB_DATA_ALIGN(sizeof(struct sk_buff)), x86-64 */
    cfg->python.gil = GIL_NEW;                  /* by version (config_version.c) */
    cfg->python.switch_interval = MS(15);
    cfg->python.checkpoint_gap = 0;             /* by version, once it is known */
    cfg->python.gil_wakeup = WAKE_OS;
    cfg->python.opcode_time = NS(20);
    cfg->python.check_interval = 100;
    cfg->python.switch_cost = US(22);
    cfg->python.old_signal = US(1);
    cfg->python.old_contention = NS(1750);
    cfg->python.old_window = NS(5);
    cfg->python.nogil_slowdown = 0;             /* by version */
    cfg->python.stw_interval = 0;
    cfg->python.stw_pause = MS(1);
    cfg->os.scheduler = SCHED_CFS;
    cfg->os.wakeup_granularity = MS(1);
    cfg->os.migration = US(2);
    cfg->python.version = 311;
    cfg->python.thread_start = US(150);
    cfg->python.thread_bootstrap = US(24);
    cfg->python.shutdown_scan = NS(15);
    cfg->python.specialize = 0;
    cfg->python.warmup_calls = 0;               /* by version */
    cfg->python.unspecialized_slowdown = 2.1;
    cfg->python.thread_memory = 16 * 1024;
    cfg->python.task_memory = 819;              /* 0.8KiB */
    cfg->python.process_memory = 10 * 1024 * 1024;
    cfg->python.pickle = US(20);
    cfg->mp.start_method = START_FORK;
    cfg->mp.fork_parent = MS(1);
    cfg->mp.fork_child = MS(4);
    cfg->mp.spawn_parent = MS(5);
    cfg->mp.spawn_child = MS(95);
    cfg->aio.loop_iteration = US(5);
    cfg->aio.task_step = US(2);
    cfg->aio.select_poll = US(3);
    cfg->aio.create_task = US(2);
    cfg->duration = 0;
    cfg->seed = 1;
}

/* ---- functions' bodies ------------------------------------------------- */

/* Bodies are parsed here, after every signature (config_program.c) and
 * object is known, so that config_program.c never calls the op parser
 * (config_ops.c), which calls it. */
static int parse_function_bodies(struct ctx *c)
{
    for (int i = 0; i < c->cfg->nfunctions; i++)
        if (cfg_parse_program(c, &c->cfg->functions[i].body, c->fn_bodies[i], i)) return -1;
    return 0;
}

static void free_function(function_cfg_t *f)
{
    for (int i = 0; f->params && i < f->nparams; i++) free(f->params[i]);
    free(f->params);
    free(f->param_types);
    free(f->defaults);
    free(f->has_default);
    free(f->name);
    cfg_free_program(&f->body);
}

/* ---- loading ----------------------------------------------------------- */

static int build(struct ctx *c, int nsets, config_t *cfg)
{
    yaml_node_t *root = yaml_document_get_root_node(c->doc);
    yaml_mark_t start = { 0, 0, 0 };
    char buf[64];

    if (!root || cfg_is_empty(root))
        return cfg_fail_at(c, root ? root->start_mark : start,
                           "the config is empty: expected a mapping with at least 'processes:'");
    if (root->type != YAML_MAPPING_NODE)
        return cfg_fail(c, root, "expected a mapping (key: value lines) at the top level, got %s",
                        cfg_describe(root, buf, sizeof buf));
    for (int i = 0; i < nsets; i++)
        if (cfg_apply_set(c, i)) return -1;
    cfg_set_defaults(cfg);
    /* settings, objects and function signatures; then what refers to them */
    root = yaml_document_get_root_node(c->doc);
    if (cfg_walk_map(c, root, &top_schema, cfg) || cfg_resolve_gil(c, cfg)) return -1;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *v = cfg_node(c, p->value);
        if (v == c->functions && parse_function_bodies(c)) return -1;
        if (v == c->processes && parse_processes(c, v, cfg)) return -1;
    }
    if (cfg_check_calls(c) || cfg_resolve_version(c, cfg) || cfg_check_specialize(c, cfg, root))
        return -1;
    if (c->forever && cfg->duration == 0)
        return cfg_fail(c, c->forever, "repeat: forever needs a top-level 'duration:' to end the run");
    cfg_resolve_late_defaults(cfg);
    if (cfg_check_model_limits(c, cfg)) return -1;
    if (!cfg->name && !(cfg->name = cfg_default_name(c->file))) return cfg_fail_file(c, "out of memory");
    if (!(cfg->path = strdup(c->file))) return cfg_fail_file(c, "out of memory");
    return 0;
}

static int load(struct ctx *c, const char *s, size_t len, int nsets, config_t *out)
{
    yaml_document_t doc;
    int rc;

    for (int i = 0; i < nsets; i++)
        if (!c->sets || !c->sets[i]) return cfg_fail_file(c, "internal error: NULL --set");
    if (cfg_prescan(c, s, len) || cfg_load_doc(c, s, len, &doc)) return -1;
    c->doc = &doc;
    c->cfg = out;
    rc = build(c, nsets, out);
    if (rc == 0)
        cfg_effective_hash(c, out, &top_schema);
    if (rc == 0 && c->effective)
        rc = cfg_effective_fill(c, out, &top_schema) || cfg_effective_check(c, out) ||
             cfg_effective_text(c, c->effective) ? -1 : 0;
    c->doc = NULL;
    yaml_document_delete(&doc);
    free(c->fn_keys);
    free(c->fn_bodies);
    free(c->fn_names);
    free(c->calls);
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

/* cfg_load, and the effective config's text when effective is not NULL. */
static int load_file(const char *path, char *const *sets, int nsets, config_t *out,
                     char err[CFG_ERR_MAX], char **effective)
{
    char scratch[CFG_ERR_MAX];   /* err is optional for callers that only test */
    struct ctx c = { .file = path ? path : "(null)", .sets = sets, .err = err ? err : scratch,
                     .effective = effective };
    FILE *f;
    char *s, msg[256];
    size_t len = 0;
    int rc;

    if (!out) return cfg_fail_file(&c, "internal error: no config to load into");
    memset(out, 0, sizeof *out);
    if (!path || !(f = fopen(path, "rb"))) {
        snprintf(msg, sizeof msg, "cannot open: %s", path ? strerror(errno) : "no file name");
        return cfg_fail_file(&c, msg);
    }
    errno = 0;
    s = read_all(f, &len);
    if (!s || ferror(f)) {
        snprintf(msg, sizeof msg, "cannot read: %s", errno ? strerror(errno) : "out of memory");
        free(s);
        fclose(f);
        return cfg_fail_file(&c, msg);
    }
    fclose(f);
    rc = load(&c, s, len, nsets, out);
    free(s);
    return rc;
}

int cfg_load(const char *path, char *const *sets, int nsets, config_t *out, char err[CFG_ERR_MAX])
{
    return load_file(path, sets, nsets, out, err, NULL);
}

int cfg_load_effective(const char *path, char *const *sets, int nsets, char **text,
                       char err[CFG_ERR_MAX])
{
    config_t cfg;
    *text = NULL;
    int rc = load_file(path, sets, nsets, &cfg, err, text);
    if (rc == 0)
        cfg_free(&cfg);
    return rc;
}

int cfg_load_string(const char *name, const char *text, char *const *sets, int nsets,
                    config_t *out, char err[CFG_ERR_MAX])
{
    char scratch[CFG_ERR_MAX];
    struct ctx c = { .file = name ? name : "<string>", .sets = sets, .err = err ? err : scratch };

    if (!out) return cfg_fail_file(&c, "internal error: no config to load into");
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
            cfg_free_program(&p->threads[j].prog);
        }
        free(p->threads);
        cfg_free_program(&p->main);
        free(p->name);
    }
    free(c->procs);
    for (int i = 0; c->functions && i < c->nfunctions; i++) free_function(&c->functions[i]);
    free(c->functions);
    for (int i = 0; c->objects && i < c->nobjects; i++) free(c->objects[i].name);
    free(c->objects);
    free(c->name);
    free(c->path);
    memset(c, 0, sizeof *c);
}
