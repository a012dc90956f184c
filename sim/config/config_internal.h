/* config_internal.h — what the config loader's files share (private to
 * sim/config*.c; the model sees only config.h).
 *
 *   config.c          the key list, top-level sections, processes, threads,
 *                     objects, loading, cfg_free
 *   config_yaml.c     reading YAML (syntax errors, the prescan) and --set
 *   config_nodes.c    errors, node helpers, suggestions, the schema walker,
 *                     scalar values
 *   config_ops.c      ops and programs
 *   config_program.c  functions, arguments, parameters, handles (locals),
 *                     object references, the call graph
 *   config_units.c    durations, distributions, sizes in bytes
 *
 * Everything here that is not static inline carries the cfg_ prefix. */
#ifndef GILSIM_CONFIG_INTERNAL_H
#define GILSIM_CONFIG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "caps.h"
#include "config.h"

/* Nodes spliced in by --set carry this start_mark.index, and the --set's
 * position in `sets` as their line, so errors about them can name the
 * --set instead of a place in the file. */
#define SET_MARK SIZE_MAX
#define MAX_FIELDS 32        /* keys in one schema (each table asserts it fits) */
#define ARRAY_LEN(a) (sizeof (a) / sizeof (a)[0])
#define SHOW_MAX 40          /* quote at most this much of a bad value */
#define HINT_MAX 512         /* "(did you mean ...)" / "(known keys: ...)" */

/* A call from one function's body to another (any op that names a
 * function), kept for the call-graph checks once every body is read. */
struct callsite {
    int caller, callee;
    int is_inline;           /* runs on the caller's stack: call, await call, asyncio_run */
    yaml_mark_t at;
};

struct ctx {
    const char *file;
    char *const *sets;
    char *err;
    yaml_document_t *doc;
    const yaml_node_t *forever;   /* first `repeat: forever`, judged once `duration` is known */
    config_t *cfg;
    /* read in a second pass, once every function's signature and every
     * object is known */
    yaml_node_t *functions, *processes;
    yaml_node_t **fn_keys, **fn_bodies;   /* per function */
    const char **fn_names;
    struct callsite *calls;
    int ncalls, calls_cap;
};

/* ---- errors (config_nodes.c) ------------------------------------------- */

int cfg_fail_at(struct ctx *c, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int cfg_fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int cfg_fail_file(struct ctx *c, const char *what);
/* "3:5", or "a --set" */
const char *cfg_where(const yaml_node_t *n, char *buf, size_t size);

/* ---- nodes ------------------------------------------------------------- */

static inline yaml_node_t *cfg_node(struct ctx *c, int id)
{
    return yaml_document_get_node(c->doc, id);
}

static inline const char *cfg_text(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

static inline int cfg_is_empty(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0 &&
           n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static inline int cfg_seq_len(const yaml_node_t *n)
{
    return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
}

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

/* ---- suggestions ------------------------------------------------------- */

/* "(did you mean 'cores'?)" when word is a near miss of one of names,
 * else "(LABEL: a, b, c)". */
void cfg_suggest(const char *word, const char *const *names, int n, const char *label,
                 char *buf, size_t size);
/* "unknown key 'x' WHERE HINT", with the suggestion among names. */
int cfg_unknown_key(struct ctx *c, const yaml_node_t *k, const char *where,
                    const char *const *names, int n, const char *label);

/* ---- the schema walker ------------------------------------------------- */

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
/* cfg_each_key over one schema, its keys sitting in `section`. */
void cfg_schema_keys(const struct schema *s, const char *section, cfg_key_fn each, void *ctx);

/* ---- scalar values ----------------------------------------------------- */

/* Plain decimal digits only; 0, -1 (not digits), -2 (overflow). */
int cfg_parse_u64(const char *s, uint64_t *out);
/* 1 .. COUNT_MAX */
int cfg_get_count(struct ctx *c, const yaml_node_t *v, int *out);
/* 0 .. INT64_MAX */
int cfg_get_i64(struct ctx *c, const yaml_node_t *v, int64_t *out);
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
int cfg_get_start_method(struct ctx *c, const yaml_node_t *v, enum start_method *out);
/* A leaf op that can only take 0ns would spin the simulator in place. */
int cfg_can_be_positive(const dist_t *d);

/* "16KiB", "0.8KiB" (rounded to the nearest byte), "10MiB", "512B" (config_units.c) */
int cfg_parse_bytes(const char *s, int64_t *bytes, char *err, int errsize);

/* ---- reading YAML and --set (config_yaml.c) ---------------------------- */

/* Aliases, extra documents and absurd nesting, found on the event stream. */
int cfg_prescan(struct ctx *c, const char *s, size_t len);
int cfg_load_doc(struct ctx *c, const char *s, size_t len, yaml_document_t *doc);
/* Splices c->sets[si] into the document. */
int cfg_apply_set(struct ctx *c, int si);

/* ---- programs (config_ops.c) ------------------------------------------- */

struct local_info {
    const yaml_node_t *at;        /* the `as:` that defined it */
    int named;                    /* 0: a with_pool without `as:` */
};

/* A program being read: its ops, its handles, and where it is. */
struct builder {
    program_t *prog;
    int cap, lcap;
    struct local_info *linfo;     /* per local */
    int fn;                       /* enclosing function, -1: a thread's or main program */
    int pools[PROGRAM_MAX_DEPTH]; /* locals of the enclosing with_pool blocks, innermost last */
    int npools;
};

/* Every op_t starts here: "none" everywhere, count 1 where it counts
 * things, probability 1, and the place it was written. */
op_t cfg_op_new(enum op_kind kind, const yaml_node_t *at);
/* Reads a sequence of ops into prog (a function's body when fn >= 0). */
int cfg_parse_program(struct ctx *c, program_t *prog, yaml_node_t *seq, int fn);
void cfg_free_program(program_t *p);

/* ---- functions and references (config_program.c) ---------------------- */

/* `functions:` — signatures now (phase one); config.c parses the bodies
 * later, once every signature and object is known. */
int cfg_functions_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                        yaml_node_t *val, void *obj);
/* Recursion and CALL_MAX_DEPTH, over every call site. */
int cfg_check_calls(struct ctx *c);
/* cfg_each_key over a function's keys and a parameter's. */
void cfg_function_keys(cfg_key_fn each, void *ctx);

/* The function v names, or -1 (error reported). */
int cfg_find_function(struct ctx *c, const yaml_node_t *v);
/* The object v names, of kind want, or -1 (error reported). */
int cfg_find_object(struct ctx *c, const yaml_node_t *v, enum object_kind want);
/* Fills call->args for a call of fn from args (NULL: none given); at is
 * where a missing argument is reported.  first_bound: the first parameter
 * comes from elsewhere (map's items). */
int cfg_fill_call(struct ctx *c, struct builder *b, int fn, const yaml_node_t *args,
                  const yaml_node_t *at, int first_bound, call_t *call);
int cfg_add_callsite(struct ctx *c, struct builder *b, int callee, int is_inline,
                     const yaml_node_t *at);
/* v is "$name": 1 with *idx (checked against want: what needs it, for the
 * message), 0 if v is not a reference, -1 on error. */
int cfg_param_ref(struct ctx *c, struct builder *b, const yaml_node_t *v,
                  enum param_type want, const char *what, int *idx);
/* A literal value of type t; for durations, zero_ok allows a 0 value. */
int cfg_parse_value(struct ctx *c, const yaml_node_t *v, enum param_type t, int zero_ok,
                    const char *what, value_t *out);
/* `as: NAME` defines (or re-uses) a handle; v NULL: an anonymous pool,
 * for the with_pool op written at op. */
int cfg_define_local(struct ctx *c, struct builder *b, const yaml_node_t *v,
                     const yaml_node_t *op, enum local_kind kind, int *idx);
/* A use of a handle of one of the kinds in mask (bits 1 << kind). */
int cfg_use_local(struct ctx *c, struct builder *b, const yaml_node_t *v, unsigned mask,
                  int *idx);
/* `pool: NAME`, or the innermost with_pool when v is NULL; what is
 * "submit" or "map" for the message. */
int cfg_use_pool(struct ctx *c, struct builder *b, const yaml_node_t *v,
                 const yaml_node_t *at, const char *what, int *idx);

#endif
