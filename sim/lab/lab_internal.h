/* lab_internal.h — what the loader's files share (lab_load.c: the
 * document, parameters, runs, figures; lab_questions.c: questions).
 * Private to lab_*.c.  They read lab.yaml with the config loader's
 * helpers (config_nodes.h: the schema walker, "did you mean"), so a lab
 * file's errors read like a config's. */
#ifndef GILSIM_LAB_INTERNAL_H
#define GILSIM_LAB_INTERNAL_H

#include "config/config_nodes.h"
#include "lab/lab.h"

/* The most keys of one section of lab.yaml. */
#define LAB_SECTION_KEYS 16

/* Walks map against the lab.yaml keys of section ("", "parameters.NAME",
 * "questions[]", ...): each known key's value node into
 * nodes[its index in the section] (NULL when absent); unknown keys are
 * errors with a suggestion.  where completes "unknown key 'x' WHERE". */
int lab_walk(struct ctx *c, yaml_node_t *map, const char *section, const char *where,
             yaml_node_t *nodes[LAB_SECTION_KEYS]);
/* The node of key in nodes as lab_walk filled them. */
yaml_node_t *lab_key(yaml_node_t *const nodes[LAB_SECTION_KEYS], const char *section,
                     const char *key);
/* A scalar's text copied, or NULL (error reported). */
char *lab_text(struct ctx *c, const yaml_node_t *n, const char *what);
/* A formula in a scalar, parsed: NULL with the error at its line:col. */
lx_expr_t *lab_formula(struct ctx *c, const yaml_node_t *n, const lx_names_t *names);
/* Every {name} in text (from node n, or the template file when n is NULL
 * and file is set) names a variable: else an error at its place. */
int lab_check_placeholders(struct ctx *c, const lab_t *lab, const yaml_node_t *n,
                           const char *text, const char *file);
/* A sequence of scalars as strings (each placeholder-checked); 0 or -1. */
int lab_strings(struct ctx *c, const lab_t *lab, const yaml_node_t *n, const char *what,
                char ***out, int *count);
/* An identifier [a-z_][a-z0-9_]* of at most 64 bytes. */
int lab_name_ok(const char *s);

/* The sections, in the order lab_load calls them (lab_params.c, then
 * lab_questions.c). */
int lab_load_params(struct ctx *c, lab_t *lab, yaml_node_t *params, yaml_node_t *derived);
int lab_load_runs(struct ctx *c, lab_t *lab, yaml_node_t *runs);
int lab_load_figures(struct ctx *c, lab_t *lab, yaml_node_t *seq);
int lab_load_questions(struct ctx *c, lab_t *lab, yaml_node_t *seq);

#endif
