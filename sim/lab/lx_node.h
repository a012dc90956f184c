/* lx_node.h — the parsed formula (lx_parse.c builds it, lx_eval.c walks
 * it).  Private to lx_*.c. */
#ifndef GILSIM_LX_NODE_H
#define GILSIM_LX_NODE_H

#include "lab/lx.h"

enum lx_file { LX_SUMMARY, LX_THREADS, LX_TASKS, LX_LOG, LX_SWEEP, LX__FILES };

enum lx_kind {
    LX_NUM,          /* num */
    LX_VAR,          /* index */
    LX_REF,          /* ref: the one row's column */
    LX_AGG,          /* fn over ref's rows: count sum mean min max */
    LX_CALL,         /* fn(args) */
    LX_BIN,          /* op: args[0] op args[1] */
    LX_NEG, LX_NOT,  /* args[0] */
};

enum lx_fn { FN_COUNT, FN_SUM, FN_MEAN, FN_MIN, FN_MAX, FN_ABS, FN_CEIL, FN_FLOOR, FN_ROUND,
             FN_SQRT, FN_IF, FN_ARGMIN, FN_ARGMAX, FN__COUNT };

enum lx_op { LXO_ADD, LXO_SUB, LXO_MUL, LXO_DIV, LXO_MOD, LXO_LT, LXO_LE, LXO_GT, LXO_GE, LXO_EQ,
             LXO_NE, LXO_AND, LXO_OR };

typedef struct lx_ref {
    int run;
    enum lx_file file;
    char **sel_cols, **sel_vals; /* values may hold {name} */
    int nsel;
    char *column;                /* NULL: rows only (count) */
} lx_ref_t;

typedef struct lx_node {
    enum lx_kind kind;
    double num;
    int index;
    enum lx_fn fn;
    enum lx_op op;
    lx_ref_t ref;
    struct lx_node **args;
    int nargs;
} lx_node_t;

struct lx_expr {
    char *text;
    lx_node_t *root;
    const char *const *runs;     /* names for messages (the lab's) */
    const char *const *vars;
    int nvars;
};

extern const char *const lx_file_names[LX__FILES];   /* "summary" ... */
extern const char *const lx_fn_names[FN__COUNT];

#endif
