/* config_program.h — config_program.c: what a program refers to, and the
 * state of a program being read. */
#ifndef GILSIM_CONFIG_PROGRAM_H
#define GILSIM_CONFIG_PROGRAM_H

#include "config/config_nodes.h"

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

/* `functions:` — signatures now (phase one); config.c parses the bodies
 * later, once every signature and object is known. */
int cfg_functions_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                        yaml_node_t *val, void *obj);
/* The words a parameter's `type` and an object's `kind` take, by enum
 * value (param_type, object_kind). */
#define CFG_PARAM_TYPES 2
#define CFG_OBJECT_KINDS 6
extern const char *const cfg_param_type_names[CFG_PARAM_TYPES];
extern const char *const cfg_object_kinds[CFG_OBJECT_KINDS];
/* cfg_schema_fields over a function's keys and a parameter's. */
void cfg_function_fields(cfg_field_fn each, void *ctx);
/* cfg_schema_fields over an object's keys. */
void cfg_object_fields(cfg_field_fn each, void *ctx);
/* `objects:` */
int cfg_objects_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                      yaml_node_t *val, void *obj);

/* The function v names, or -1 (error reported). */
int cfg_find_function(struct ctx *c, const yaml_node_t *v);
/* The object v names, of kind want, or -1 (error reported). */
int cfg_find_object(struct ctx *c, const yaml_node_t *v, enum object_kind want);
/* Fills call->args for a call of fn from args (NULL: none given); at is
 * where a missing argument is reported.  first_bound: the first parameter
 * comes from elsewhere (map's items). */
int cfg_fill_call(struct ctx *c, struct builder *b, int fn, const yaml_node_t *args,
                  const yaml_node_t *at, int first_bound, call_t *call);
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
