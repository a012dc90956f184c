/* config_internal.h — what every file of the config loader shares: the
 * state of one load (struct ctx) and the YAML node accessors.  Private to
 * sim/config/; the model sees only config.h.
 *
 * Each file's own header declares what it offers the files above it.
 * Lowest first; a file calls only files listed before it, so they form
 * no cycle (`make layers` checks their includes):
 *
 *   config_units.c     durations, distributions, sizes in bytes
 *   config_errors.c    file:line:col errors, "did you mean" suggestions
 *   config_nodes.c     node helpers, scalar values, the schema walker
 *   config_yaml.c      reading YAML (syntax errors, the prescan) and --set
 *   config_version.c   python.version and python.gil together: the GIL
 *                      model a version implies, contradictions refused
 *   config_checks.c    what needs every function read: the call graph;
 *                      interpreter pools by version, affinities by cores
 *   config_program.c   functions, arguments, parameters, handles (locals),
 *                      objects and references to them
 *   config_operands.c  the values op keys hold: durations, counts,
 *                      probabilities, pool kinds
 *   config_ops.c       ops and programs
 *   config_imports.c   python.imports (include/imports.def)
 *   config_print.c     the effective config, written back as YAML
 *   config.c           the settings, processes and threads, defaults,
 *                      loading, cfg_free
 *   config_reference.c the config reference: config.c's tables of keys
 *                      with keydocs.def's words (gilsim config-reference)
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
    char **effective;             /* wanted: the effective config's text (config_print.c) */
    char *err;
    yaml_document_t *doc;
    const yaml_node_t *forever;   /* first `repeat: forever`, judged once `duration` is known */
    /* python.gil and python.version as written (NULL: not given), judged
     * together once both are read (config_version.c) */
    const yaml_node_t *gil_node, *version_node;
    int free_threaded;            /* python.version ends in `t` ("3.13t") */
    config_t *cfg;
    /* read in a second pass, once every function's signature and every
     * object is known */
    yaml_node_t *functions, *processes;
    yaml_node_t **fn_keys, **fn_bodies;   /* per function */
    const char **fn_names;
    struct callsite *calls;
    int ncalls, calls_cap;
};

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

#endif
