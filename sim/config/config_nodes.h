/* config_nodes.h — config_nodes.c: YAML node helpers, the scalar values a
 * key can hold, and the schema walker over tables of fields. */
#ifndef GILSIM_CONFIG_NODES_H
#define GILSIM_CONFIG_NODES_H

#include <stddef.h>
#include <stdint.h>

#include "config/config_errors.h"

/* ---- nodes ------------------------------------------------------------- */

/* "a mapping", "'4ms'": what the user wrote, for "expected X, got Y". */
const char *cfg_describe(const yaml_node_t *n, char *buf, size_t size);
/* 0 if n has the type (a non-empty sequence, for sequences), else an error. */
int cfg_expect(struct ctx *c, const yaml_node_t *n, yaml_node_type_t type, const char *what);
/* The scalar's text, or NULL (error reported) if n isn't a usable scalar. */
const char *cfg_scalar(struct ctx *c, const yaml_node_t *n, const char *what);
int cfg_key_is(const yaml_node_t *k, const char *name);
yaml_node_t *cfg_map_get(struct ctx *c, const yaml_node_t *map, const char *key);
/* The items of a sequence as an array (free it), or NULL. */
yaml_node_t **cfg_seq_nodes(struct ctx *c, const yaml_node_t *seq);

/* The names python.gil (the registry's, gil_policies.def),
 * python.gil_wakeup, os.scheduler and multiprocessing.start_method take,
 * by enum value (the start methods from START_FORK on). */
enum { CFG_GIL_POLICIES = 0
#define GIL_POLICY(id, name, ops, flags, about) + 1
#include "gil_policies.def"
#undef GIL_POLICY
};
extern const char *const cfg_gil_names[CFG_GIL_POLICIES];
extern const char *const cfg_wakeup_names[3];
extern const char *const cfg_sched_names[2];
extern const char *const cfg_start_method_names[2];

/* ---- the schema walker ------------------------------------------------- */

#define MAX_FIELDS 32        /* keys in one schema (each table asserts it fits) */

enum ftype {
    F_COUNT, F_SEED, F_DUR_POS, F_DUR_NONNEG, F_DIST, F_NAME, F_GIL, F_SECTION, F_CUSTOM,
    F_BOOL, F_VERSION, F_BYTES, F_START_METHOD, F_WAKEUP, F_SCHED, F_REAL,
    F_NODE,                       /* keeps the value's node (yaml_node_t *) for later */
};

struct field;
typedef int (*field_fn)(struct ctx *c, const struct field *f, yaml_node_t *key,
                        yaml_node_t *val, void *obj);

struct schema {
    const char *where;            /* "in machine": completes "unknown key 'x' ..." */
    const struct field *fields;
    int n;
};

/* A schema over a table of fields, its size counted, not typed. */
#define SCHEMA(name, where, fields)                                            \
    static const struct schema name = {where, fields, (int)ARRAY_LEN(fields)}; \
    _Static_assert(ARRAY_LEN(fields) <= MAX_FIELDS, "a schema fits MAX_FIELDS")

/* Two settings read by hand, which config_print.c writes back too:
 * machine.cores and the buffers' sizes (arg: which buffer). */
int cfg_cores_field(struct ctx *c, const struct field *f, yaml_node_t *key, yaml_node_t *val,
                    void *obj);
int cfg_buffer_field(struct ctx *c, const struct field *f, yaml_node_t *key, yaml_node_t *val,
                     void *obj);

struct field {
    const char *key;
    enum ftype type;
    size_t off;                   /* where the value goes in obj */
    int required;
    const struct schema *sub;     /* F_SECTION: same obj, another mapping */
    field_fn fn;                  /* F_CUSTOM */
    int arg;                      /* F_CUSTOM: handler's parameter */
};

/* Checks map's keys against s and hands each value to its field, in the
 * order written, so the first error in reading order is the one reported. */
int cfg_walk_map(struct ctx *c, yaml_node_t *map, const struct schema *s, void *obj);
/* Every field of schema s, its own keys first, then each section's under
 * its name ("os", "processes[].threads[]"); each() gets the section the
 * field sits in ("" at the top level). */
typedef void (*cfg_field_fn)(void *ctx, const char *section, const struct field *f);
void cfg_schema_fields(const struct schema *s, const char *section, cfg_field_fn each, void *ctx);

/* ---- scalar values ----------------------------------------------------- */

/* Plain decimal digits only; 0, -1 (not digits), -2 (overflow). */
int cfg_parse_u64(const char *s, uint64_t *out);
/* 1 .. COUNT_MAX */
int cfg_get_count(struct ctx *c, const yaml_node_t *v, int *out);
/* 0 .. INT64_MAX */
int cfg_get_i64(struct ctx *c, const yaml_node_t *v, int64_t *out);
/* A size with its unit: "16KiB", "212992B" (0 .. INT64_MAX) */
int cfg_get_bytes(struct ctx *c, const yaml_node_t *v, int64_t *out);
int cfg_get_dist(struct ctx *c, const yaml_node_t *v, dist_t *out);
/* A name: 1 to NAME_MAX_BYTES bytes of valid UTF-8 without NUL (libyaml
 * checks a file's text, but not --set values nor "\0" escapes); what is
 * "a name", "a function name", ... for the message. */
int cfg_check_name(struct ctx *c, const yaml_node_t *v, const char *what);
int cfg_get_name(struct ctx *c, const yaml_node_t *v, char **out);
/* The length of s's longest valid UTF-8 prefix (n if all of it). */
size_t cfg_utf8_valid(const char *s, size_t n);
/* The run's default name from the config's path (NULL: out of memory). */
char *cfg_default_name(const char *path);
int cfg_get_bool(struct ctx *c, const yaml_node_t *v, int *out);
/* One of names, its index in *out; else "expected a start method (fork or
 * spawn), got ..." or "unknown start method 'x' (did you mean 'fork'?)",
 * for what = "start method". */
int cfg_get_one_of(struct ctx *c, const yaml_node_t *v, const char *what,
                   const char *const *names, int n, int *out);
int cfg_get_start_method(struct ctx *c, const yaml_node_t *v, enum start_method *out);
/* A leaf op that can only take 0ns would spin the simulator in place. */
int cfg_can_be_positive(const dist_t *d);

#endif
