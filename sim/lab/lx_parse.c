/* lx_parse.c — a formula's text to its tree (lx_node.h).
 *
 * Recursive descent, one function per precedence level, lowest first:
 *   or: and ('||' and)*      and: cmp ('&&' cmp)*
 *   cmp: add (('<'|'<='|'>'|'>='|'=='|'!=') add)?
 *   add: mul (('+'|'-') mul)*   mul: unary (('*'|'/'|'%') unary)*
 *   unary: ('-'|'!') unary | primary
 *   primary: NUMBER [UNIT] | '(' or ')' | NAME '(' args ')' | VAR
 *          | RUN '.' FILE ['[' SEL ']'] ('.' COLUMN | '[' "COLUMN" ']')
 * Names are resolved here, against the lab's variables and runs, so every
 * mistake is found at load time, with its offset in the text. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config/config_errors.h"
#include "lab/lx_node.h"

const char *const lx_file_names[LX__FILES] = {"summary", "threads", "tasks", "log", "sweep"};
const char *const lx_fn_names[FN__COUNT] = {
    "count", "sum", "mean", "min", "max", "abs", "ceil", "floor", "round", "sqrt", "if",
    "argmin", "argmax",
};

#define LX_MAX_DEPTH 64          /* nested parentheses and calls */

typedef struct parser {
    const char *s, *p;
    const lx_names_t *names;
    char *err;
    size_t errsize;
    size_t at;
    int failed, depth;
} parser_t;

static lx_node_t *parse_or(parser_t *ps);

static lx_node_t *fail(parser_t *ps, const char *where, const char *fmt, const char *arg)
{
    if (!ps->failed) {
        ps->failed = 1;
        ps->at = (size_t)(where - ps->s);
        snprintf(ps->err, ps->errsize, fmt, arg);
    }
    return NULL;
}

static void node_free(lx_node_t *n)
{
    if (!n)
        return;
    for (int i = 0; i < n->nargs; i++)
        node_free(n->args[i]);
    free(n->args);
    for (int i = 0; i < n->ref.nsel; i++) {
        free(n->ref.sel_cols[i]);
        free(n->ref.sel_vals[i]);
    }
    free(n->ref.sel_cols);
    free(n->ref.sel_vals);
    free(n->ref.column);
    free(n);
}

static lx_node_t *new_node(parser_t *ps, enum lx_kind kind)
{
    lx_node_t *n = calloc(1, sizeof *n);
    if (!n)
        return fail(ps, ps->p, "%s", "out of memory");
    n->kind = kind;
    return n;
}

static int add_arg(parser_t *ps, lx_node_t *n, lx_node_t *arg)
{
    lx_node_t **a = arg ? realloc(n->args, sizeof *a * (size_t)(n->nargs + 1)) : NULL;
    if (!a) {
        node_free(arg);
        if (arg)
            fail(ps, ps->p, "%s", "out of memory");
        return -1;
    }
    n->args = a;
    n->args[n->nargs++] = arg;
    return 0;
}

static void skip_space(parser_t *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
        ps->p++;
}

static int eat(parser_t *ps, const char *tok)
{
    skip_space(ps);
    size_t n = strlen(tok);
    if (strncmp(ps->p, tok, n) != 0)
        return 0;
    ps->p += n;
    return 1;
}

static int ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* An identifier at ps->p, malloc'd; NULL when there is none. */
static char *take_ident(parser_t *ps)
{
    skip_space(ps);
    const char *b = ps->p;
    if (!isalpha((unsigned char)*b) && *b != '_')
        return NULL;
    while (ident_char(*ps->p))
        ps->p++;
    char *id = strndup(b, (size_t)(ps->p - b));
    if (!id)
        fail(ps, b, "%s", "out of memory");
    return id;
}

/* A number, and a duration unit right after it: the value in ns. */
static lx_node_t *parse_number(parser_t *ps)
{
    static const struct { const char *unit; double ns; } units[] = {
        {"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9},
    };
    const char *b = ps->p;
    while (isdigit((unsigned char)*ps->p) || *ps->p == '.')
        ps->p++;
    if ((*ps->p == 'e' || *ps->p == 'E') &&
        (isdigit((unsigned char)ps->p[1]) ||
         ((ps->p[1] == '-' || ps->p[1] == '+') && isdigit((unsigned char)ps->p[2])))) {
        ps->p += 2;
        while (isdigit((unsigned char)*ps->p))
            ps->p++;
    }
    char buf[64], *end;
    if ((size_t)(ps->p - b) >= sizeof buf)
        return fail(ps, b, "%s", "a number too long");
    memcpy(buf, b, (size_t)(ps->p - b));
    buf[ps->p - b] = '\0';
    double v = strtod(buf, &end);
    if (*end || end == buf)
        return fail(ps, b, "'%s' is not a number", buf);
    const char *u = ps->p;
    while (isalpha((unsigned char)*ps->p))
        ps->p++;
    if (ps->p > u) {
        size_t i, n = (size_t)(ps->p - u);
        for (i = 0; i < sizeof units / sizeof units[0]; i++)
            if (strlen(units[i].unit) == n && !strncmp(u, units[i].unit, n))
                break;
        if (i == sizeof units / sizeof units[0])
            return fail(ps, u, "unknown unit after %s (units: ns, us, ms, s)", buf);
        v *= units[i].ns;
    }
    lx_node_t *n = new_node(ps, LX_NUM);
    if (n)
        n->num = v;
    return n;
}

/* A selector's column: a CSV header name, which may hold '.', ':', '/'
 * or '-' (sweep.csv names its columns by config key: machine.cores). */
static char *take_column(parser_t *ps)
{
    skip_space(ps);
    const char *b = ps->p;
    while (ident_char(*ps->p) || (*ps->p && strchr(".:/-", *ps->p)))
        ps->p++;
    char *id = ps->p > b ? strndup(b, (size_t)(ps->p - b)) : NULL;
    if (ps->p > b && !id)
        fail(ps, b, "%s", "out of memory");
    return id;
}

/* A "quoted string" (no escapes: CSV names and values have no quote). */
static char *take_quoted(parser_t *ps)
{
    const char *b = ++ps->p, *e = strchr(b, '"');
    if (!e)
        return fail(ps, b - 1, "%s", "a quoted string without its closing '\"'"), NULL;
    ps->p = e + 1;
    char *s = strndup(b, (size_t)(e - b));
    if (!s)
        fail(ps, b, "%s", "out of memory");
    return s;
}

/* A selector value: a quoted string, or a bare word up to ',' or ']'. */
static char *take_value(parser_t *ps)
{
    skip_space(ps);
    if (*ps->p == '"')
        return take_quoted(ps);
    const char *b = ps->p;
    while (*ps->p && *ps->p != ',' && *ps->p != ']')
        ps->p++;
    const char *e = ps->p;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    if (e == b)
        return fail(ps, b, "%s", "a selector needs a value: col=value"), NULL;
    char *s = strndup(b, (size_t)(e - b));
    if (!s)
        fail(ps, b, "%s", "out of memory");
    return s;
}

/* [col=value, col2="value 2"] after '[' */
static int parse_selector(parser_t *ps, lx_ref_t *r)
{
    do {
        char *col = take_column(ps);
        if (!col)
            return fail(ps, ps->p, "%s", "expected a column name in the selector: [col=value]"),
                   -1;
        char **cols = realloc(r->sel_cols, sizeof *cols * (size_t)(r->nsel + 1));
        char **vals = cols ? realloc(r->sel_vals, sizeof *vals * (size_t)(r->nsel + 1)) : NULL;
        if (cols)
            r->sel_cols = cols;
        if (vals)
            r->sel_vals = vals;
        if (!vals) {
            free(col);
            return fail(ps, ps->p, "%s", "out of memory"), -1;
        }
        r->sel_cols[r->nsel] = col;
        r->sel_vals[r->nsel] = NULL;
        r->nsel++;
        if (!eat(ps, "="))
            return fail(ps, ps->p, "expected '=' after '%s' in the selector", col), -1;
        if (!(r->sel_vals[r->nsel - 1] = take_value(ps)))
            return -1;
    } while (eat(ps, ","));
    if (!eat(ps, "]"))
        return fail(ps, ps->p, "%s", "expected ',' or ']' in the selector"), -1;
    return 0;
}

/* The column: .name or ["quoted"]; optional (count needs none). */
static int parse_column(parser_t *ps, lx_ref_t *r)
{
    skip_space(ps);
    if (ps->p[0] == '[' && ps->p[1] == '"') {
        ps->p++;
        if (!(r->column = take_quoted(ps)))
            return -1;
        if (!eat(ps, "]"))
            return fail(ps, ps->p, "%s", "expected ']' after the quoted column"), -1;
    } else if (eat(ps, ".")) {
        if (!(r->column = take_ident(ps)))
            return fail(ps, ps->p, "%s", "expected a column name after '.'"), -1;
    }
    return 0;
}

/* RUN.FILE[SEL].COLUMN once RUN was read (its index). */
static lx_node_t *parse_ref(parser_t *ps, int run, const char *at)
{
    const char *run_name = ps->names->runs[run];
    if (ps->names->no_runs)
        return fail(ps, at, "'%s' is a run: a derived value is computed before any run",
                    run_name);
    if (!eat(ps, "."))
        return fail(ps, ps->p, "expected '.' and a file after the run '%s' (RUN.FILE.COLUMN)",
                    run_name);
    const char *fat = ps->p;
    char *file = take_ident(ps);
    int f = 0;
    while (file && f < LX__FILES && strcmp(file, lx_file_names[f]))
        f++;
    if (f == LX__FILES || !file) {
        char hint[256], msg[400];
        cfg_suggest(file ? file : "", lx_file_names, LX__FILES, "files", hint, sizeof hint);
        snprintf(msg, sizeof msg, "expected a file of the run '%.64s' %s", run_name, hint);
        free(file);
        return fail(ps, fat, "%s", msg);
    }
    free(file);
    if (f == LX_SWEEP && !(ps->names->sweeps && ps->names->sweeps[run]))
        return fail(ps, fat, "the run '%s' has no sweep.csv: only a run with vary: has",
                    run_name);
    lx_node_t *n = new_node(ps, LX_REF);
    if (!n)
        return NULL;
    n->ref.run = run;
    n->ref.file = (enum lx_file)f;
    skip_space(ps);
    if (ps->p[0] == '[' && ps->p[1] != '"') {
        ps->p++;
        if (parse_selector(ps, &n->ref) != 0) {
            node_free(n);
            return NULL;
        }
    }
    if (parse_column(ps, &n->ref) != 0) {
        node_free(n);
        return NULL;
    }
    return n;
}

static int find_name(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], s))
            return i;
    return -1;
}

/* fn(args) once the name and '(' were read.  An aggregate is count(REF),
 * sum/mean(REF.COL), or min/max of one reference with a column. */
static lx_node_t *parse_call(parser_t *ps, int fn, const char *at)
{
    lx_node_t *n = new_node(ps, LX_CALL);
    if (!n)
        return NULL;
    n->fn = (enum lx_fn)fn;
    if (++ps->depth > LX_MAX_DEPTH)
        return node_free(n), fail(ps, at, "%s", "nested too deeply");
    if (!eat(ps, ")"))
        do {
            if (add_arg(ps, n, parse_or(ps)) != 0)
                return node_free(n), NULL;
        } while (eat(ps, ","));
    ps->depth--;
    if (!ps->failed && !eat(ps, ")"))
        fail(ps, ps->p, "expected ',' or ')' in the arguments of %s", lx_fn_names[fn]);
    if (ps->failed)
        return node_free(n), NULL;
    int one_ref = n->nargs == 1 && n->args[0]->kind == LX_REF;
    int agg = fn == FN_COUNT || fn == FN_SUM || fn == FN_MEAN ||
              ((fn == FN_MIN || fn == FN_MAX) && one_ref);
    if (agg) {
        if (!one_ref)
            return node_free(n), fail(ps, at, "%s takes one reference RUN.FILE[SEL]"
                                      "(.COLUMN)", lx_fn_names[fn]);
        if (fn != FN_COUNT && !n->args[0]->ref.column)
            return node_free(n), fail(ps, at, "%s needs a column: RUN.FILE[SEL].COLUMN",
                                      lx_fn_names[fn]);
        lx_node_t *r = n->args[0];
        free(n->args);
        free(n);
        r->kind = LX_AGG;
        r->fn = (enum lx_fn)fn;
        return r;
    }
    int want = fn == FN_IF ? 3 : fn <= FN_MAX || fn >= FN_ARGMIN ? -1 : 1;
    if ((want > 0 && n->nargs != want) || (want < 0 && n->nargs < 1)) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s takes %s", lx_fn_names[fn],
                 want == 3 ? "3 arguments: if(c, a, b)" : want == 1 ? "one argument"
                                                                    : "one or more arguments");
        node_free(n);
        return fail(ps, at, "%s", msg);
    }
    return n;
}

static lx_node_t *parse_name(parser_t *ps)
{
    const char *at = ps->p;
    char *id = take_ident(ps);
    if (!id)
        return NULL;
    int i;
    lx_node_t *n = NULL;
    if (eat(ps, "(")) {
        if ((i = find_name(lx_fn_names, FN__COUNT, id)) >= 0)
            n = parse_call(ps, i, at);
        else
            fail(ps, at, "unknown function '%s' (functions: count, sum, mean, min, max, abs, "
                 "ceil, floor, round, sqrt, if, argmin, argmax)", id);
    } else if ((i = find_name(ps->names->vars, ps->names->nvars, id)) >= 0) {
        if ((n = new_node(ps, LX_VAR)))
            n->index = i;
    } else if ((i = find_name(ps->names->runs, ps->names->nruns, id)) >= 0) {
        n = parse_ref(ps, i, at);
    } else {
        char hint[512], msg[640];
        const char **all = malloc(sizeof *all * (size_t)(ps->names->nvars + ps->names->nruns + 1));
        int k = 0;
        for (int j = 0; all && j < ps->names->nvars; j++)
            all[k++] = ps->names->vars[j];
        for (int j = 0; all && !ps->names->no_runs && j < ps->names->nruns; j++)
            all[k++] = ps->names->runs[j];
        cfg_suggest(id, all, all ? k : 0, "names", hint, sizeof hint);
        free(all);
        snprintf(msg, sizeof msg, "unknown name '%.64s' %s", id, hint);
        fail(ps, at, "%s", msg);
    }
    free(id);
    return n;
}

static lx_node_t *parse_primary(parser_t *ps)
{
    skip_space(ps);
    if (isdigit((unsigned char)*ps->p) || (*ps->p == '.' && isdigit((unsigned char)ps->p[1])))
        return parse_number(ps);
    if (*ps->p == '(') {
        const char *at = ps->p++;
        if (++ps->depth > LX_MAX_DEPTH)
            return fail(ps, at, "%s", "nested too deeply");
        lx_node_t *n = parse_or(ps);
        ps->depth--;
        if (n && !eat(ps, ")")) {
            node_free(n);
            return fail(ps, ps->p, "%s", "expected ')'");
        }
        return n;
    }
    if (isalpha((unsigned char)*ps->p) || *ps->p == '_')
        return parse_name(ps);
    return fail(ps, ps->p, "%s", *ps->p ? "expected a number, a name or '('"
                                        : "the formula ends too early");
}

static lx_node_t *parse_unary(parser_t *ps)
{
    skip_space(ps);
    enum lx_kind k = *ps->p == '-' ? LX_NEG : *ps->p == '!' && ps->p[1] != '=' ? LX_NOT : LX_NUM;
    if (k == LX_NUM)
        return parse_primary(ps);
    const char *at = ps->p++;
    if (++ps->depth > LX_MAX_DEPTH)
        return fail(ps, at, "%s", "nested too deeply");
    lx_node_t *n = new_node(ps, k), *a = n ? parse_unary(ps) : NULL;
    ps->depth--;
    if (add_arg(ps, n, a) != 0) {
        node_free(n);
        return NULL;
    }
    return n;
}

static lx_node_t *binary(parser_t *ps, enum lx_op op, lx_node_t *l, lx_node_t *r)
{
    lx_node_t *n = l && r ? new_node(ps, LX_BIN) : NULL;
    if (!n || add_arg(ps, n, l) != 0) {
        node_free(l);
        node_free(r);
        free(n);
        return NULL;
    }
    n->op = op;
    if (add_arg(ps, n, r) != 0) {
        node_free(n);
        return NULL;
    }
    return n;
}

/* One precedence level: operators (longest first) and their codes. */
static lx_node_t *level(parser_t *ps, lx_node_t *(*next)(parser_t *), const char *const *toks,
                        const enum lx_op *ops, int ntoks, int repeat)
{
    lx_node_t *l = next(ps);
    while (l) {
        int i = 0;
        skip_space(ps);
        while (i < ntoks && strncmp(ps->p, toks[i], strlen(toks[i])))
            i++;
        if (i == ntoks)
            break;
        ps->p += strlen(toks[i]);
        l = binary(ps, ops[i], l, next(ps));
        if (!repeat)
            break;
    }
    return l;
}

static lx_node_t *parse_mul(parser_t *ps)
{
    static const char *const t[] = {"*", "/", "%"};
    static const enum lx_op o[] = {LXO_MUL, LXO_DIV, LXO_MOD};
    return level(ps, parse_unary, t, o, 3, 1);
}

static lx_node_t *parse_add(parser_t *ps)
{
    static const char *const t[] = {"+", "-"};
    static const enum lx_op o[] = {LXO_ADD, LXO_SUB};
    return level(ps, parse_mul, t, o, 2, 1);
}

static lx_node_t *parse_cmp(parser_t *ps)
{
    static const char *const t[] = {"<=", ">=", "==", "!=", "<", ">"};
    static const enum lx_op o[] = {LXO_LE, LXO_GE, LXO_EQ, LXO_NE, LXO_LT, LXO_GT};
    return level(ps, parse_add, t, o, 6, 0);
}

static lx_node_t *parse_and(parser_t *ps)
{
    static const char *const t[] = {"&&"};
    static const enum lx_op o[] = {LXO_AND};
    return level(ps, parse_cmp, t, o, 1, 1);
}

static lx_node_t *parse_or(parser_t *ps)
{
    static const char *const t[] = {"||"};
    static const enum lx_op o[] = {LXO_OR};
    return level(ps, parse_and, t, o, 1, 1);
}

lx_expr_t *lx_parse(const char *text, const lx_names_t *names, size_t *at, char *err,
                    size_t errsize)
{
    parser_t ps = {.s = text, .p = text, .names = names, .err = err, .errsize = errsize};
    lx_node_t *root = parse_or(&ps);
    skip_space(&ps);
    if (root && *ps.p)
        fail(&ps, ps.p, "unexpected '%.20s' (an operator or the end was expected)", ps.p);
    lx_expr_t *e = ps.failed ? NULL : calloc(1, sizeof *e);
    if (e && !(e->text = strdup(text))) {
        free(e);
        e = NULL;
    }
    if (!e) {
        node_free(root);
        if (!ps.failed)
            fail(&ps, text, "%s", "out of memory");
        *at = ps.at;
        return NULL;
    }
    e->root = root;
    e->runs = names->runs;
    e->vars = names->vars;
    e->nvars = names->nvars;
    return e;
}

void lx_free(lx_expr_t *e)
{
    if (!e)
        return;
    node_free(e->root);
    free(e->text);
    free(e);
}

const char *lx_text(const lx_expr_t *e)
{
    return e->text;
}
