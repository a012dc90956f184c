/* lab_load.c — lab.yaml to a lab_t: its keys (the one table, for the
 * loader and `gilsim help lab`), parameters, derived values, runs and
 * figures; the questions are lab_questions.c's.  Every template is read
 * at load time and its placeholders checked, so a typo in a lab is found
 * by `gilsim lab check` rather than by a student. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>
#include "cli/datadir.h"
#include "config/config_yaml.h"
#include "engine/util.h"
#include "lab/lab_internal.h"
#include "plotprep.h"

static const struct lab_key_row {
    const char *section, *key;
    int required;
    const char *meaning;
} lab_keys[] = {
    {"", "title", 1, "the lab's title"},
    {"", "section", 0, "the part of the course notes it goes with"},
    {"", "goals", 0, "learning goals, one string each"},
    {"", "parameters", 0, "NAME: {range: ...} or {choices: ...}, drawn per student in this order"},
    {"", "derived", 0, "NAME: \"formula\" over the parameters (and earlier derived values)"},
    {"", "runs", 1, "NAME: one simulation per run, from a config template of the lab folder"},
    {"", "figures", 0, "the handout's figures: {run: NAME, figure: timeline|cores|latency|asymmetry}"},
    {"", "questions", 1, "the questions, in order"},
    {"parameters.NAME", "range", 0, "[LOW, HIGH], inclusive: integers or durations (15ms)"},
    {"parameters.NAME", "step", 0, "a range's step (default 1, or 1ms for durations)"},
    {"parameters.NAME", "choices", 0, "[A, B, ...]: any scalars (numbers, durations, words)"},
    {"runs.NAME", "template", 1, "a config file of the lab folder with {name} placeholders"},
    {"runs.NAME", "set", 0, "[\"KEY=VALUE\", ...]: overrides, as gilsim run --set"},
    {"runs.NAME", "vary", 0, "[\"KEY=V1,V2\", ...]: a sweep, as gilsim sweep --vary (file sweep)"},
    {"figures[]", "run", 1, "the run drawn"},
    {"figures[]", "figure", 1, "a figure of gilsim plot: timeline, cores, latency, asymmetry"},
    {"questions[]", "id", 1, "[a-z0-9_]+, unique in the lab"},
    {"questions[]", "kind", 1, "number, choice, prediction (asked before running) or design"},
    {"questions[]", "prompt", 1, "the question, with {name} placeholders"},
    {"questions[]", "answer", 0, "the formula of the answer (not for design); a choice: 1-based"},
    {"questions[]", "unit", 0, "the answer's unit, as shown (s, ms, workers)"},
    {"questions[]", "tolerance", 0, "{relative: 0.05} or {absolute: 0.01}: exactly one"},
    {"questions[]", "choices", 0, "the options of a choice (or prediction) question"},
    {"questions[]", "start", 0, "design: the run whose config the student starts from"},
    {"questions[]", "solution", 0, "design: {template: FILE}, a config that meets the target"},
    {"questions[]", "require", 0, "design: formulas over the run `submitted`, each non-zero"},
    {"questions[]", "minimize", 0, "design: a formula over `submitted`, the lower the better"},
    {"questions[]", "search", 0, "design: {set: KEY, from: N, to: N}: the key's best value"},
    {"tolerance", "relative", 0, "a fraction of the answer: 0.05 is 5 %"},
    {"tolerance", "absolute", 0, "in the answer's unit"},
    {"solution", "template", 1, "a config file of the lab folder"},
    {"search", "set", 1, "a config key, as for --set"},
    {"search", "from", 1, "the first value tried (an integer)"},
    {"search", "to", 1, "the last value tried"},
};
#define NKEYS ((int)(sizeof lab_keys / sizeof lab_keys[0]))

void lab_each_key(lab_key_fn each, void *ctx)
{
    for (int i = 0; i < NKEYS; i++)
        each(ctx, lab_keys[i].section, lab_keys[i].key, lab_keys[i].required,
             lab_keys[i].meaning);
}

int lab_walk(struct ctx *c, yaml_node_t *map, const char *section, const char *where,
             yaml_node_t *nodes[LAB_SECTION_KEYS])
{
    struct field fields[LAB_SECTION_KEYS];
    int n = 0;
    char buf[64];
    memset(nodes, 0, sizeof(yaml_node_t *) * LAB_SECTION_KEYS);
    for (int i = 0; i < NKEYS && n < LAB_SECTION_KEYS; i++)
        if (!strcmp(lab_keys[i].section, section))
            fields[n] = (struct field){.key = lab_keys[i].key, .type = F_NODE,
                                       .off = sizeof(yaml_node_t *) * (size_t)n,
                                       .required = lab_keys[i].required}, n++;
    if (map->type != YAML_MAPPING_NODE)
        return cfg_fail(c, map, "expected a mapping %s, got %s", where,
                        cfg_describe(map, buf, sizeof buf));
    struct schema s = {where, fields, n};
    return cfg_walk_map(c, map, &s, nodes);
}

yaml_node_t *lab_key(yaml_node_t *const nodes[LAB_SECTION_KEYS], const char *section,
                     const char *key)
{
    for (int i = 0, n = 0; i < NKEYS; i++)
        if (!strcmp(lab_keys[i].section, section)) {
            if (!strcmp(lab_keys[i].key, key))
                return nodes[n];
            n++;
        }
    return NULL;
}

int lab_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || (s[0] >= '0' && s[0] <= '9'))
        return 0;
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

int lab_id_ok(const char *id)
{
    size_t n = strlen(id);
    return n > 0 && n <= 64 && strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

const char *lab_root(void)
{
    static char *installed;      /* found once; kept for the process's life */
    const char *env = getenv("GILSIM_LABS");
    if (env && *env)
        return env;
    struct stat st;
    if (stat("configs/labs", &st) == 0 && S_ISDIR(st.st_mode))
        return "configs/labs";
    if (!installed) {
        char why[512];
        char *dir = datadir_find(why);
        installed = dir ? path_join(dir, "configs/labs") : NULL;
        free(dir);
    }
    return installed ? installed : "configs/labs";
}

char *lab_text(struct ctx *c, const yaml_node_t *n, const char *what)
{
    const char *s = cfg_scalar(c, n, what);
    char *t = s ? strdup(s) : NULL;
    if (s && !t)
        cfg_fail(c, n, "out of memory");
    return t;
}

/* Where byte `at` of a scalar's text is in the file: its start, one
 * column on for a quoted scalar, then line by line. */
lx_expr_t *lab_formula(struct ctx *c, const yaml_node_t *n, const lx_names_t *names)
{
    const char *s = cfg_scalar(c, n, "a formula");
    if (!s)
        return NULL;
    char msg[512];
    size_t at = 0;
    lx_expr_t *e = lx_parse(s, names, &at, msg, sizeof msg);
    if (e)
        return e;
    yaml_mark_t m = n->start_mark;
    if (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
        n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
        m.column++;
    for (size_t i = 0; i < at && s[i]; i++) {
        if (s[i] == '\n') {
            m.line++;
            m.column = 0;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            m.column++;
        }
    }
    cfg_fail_at(c, m, "in the formula \"%.80s\": %s", s, msg);
    return NULL;
}

/* A placeholder's name at p ('{'), its length, when it looks like one:
 * {identifier}.  0 otherwise. */
static size_t placeholder(const char *p)
{
    size_t n = 1;
    if (!((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z') || p[1] == '_'))
        return 0;
    while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') || p[n] == '_' ||
           (p[n] >= '0' && p[n] <= '9'))
        n++;
    return p[n] == '}' ? n - 1 : 0;
}

static int var_index(const lab_t *lab, const char *name, size_t n)
{
    for (int i = 0; i < lab->nvars; i++)
        if (strlen(lab->var_names[i]) == n && !strncmp(lab->var_names[i], name, n))
            return i;
    return -1;
}

int lab_check_placeholders(struct ctx *c, const lab_t *lab, const yaml_node_t *n,
                           const char *text, const char *file)
{
    yaml_mark_t m = {0, 0, 0};
    if (n)
        m = n->start_mark;
    for (const char *p = text; *p; p++) {
        size_t k = *p == '{' && (p == text || p[-1] != '{') ? placeholder(p) : 0;
        if (k && var_index(lab, p + 1, k) < 0) {
            char hint[512], name[72];
            snprintf(name, sizeof name, "%.*s", (int)(k > 64 ? 64 : k), p + 1);
            cfg_suggest(name, lab->var_names, lab->nvars, "parameters", hint, sizeof hint);
            if (file) {
                const char *keep = c->file;
                c->file = file;
                cfg_fail_at(c, m, "unknown placeholder {%s} %s", name, hint);
                c->file = keep;
                return -1;
            }
            return cfg_fail_at(c, m, "unknown placeholder {%s} %s", name, hint);
        }
        if (*p == '\n') {
            m.line++;
            m.column = 0;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            m.column++;
        }
    }
    return 0;
}

int lab_strings(struct ctx *c, const lab_t *lab, const yaml_node_t *n, const char *what,
                char ***out, int *count)
{
    if (cfg_expect(c, n, YAML_SEQUENCE_NODE, what))
        return -1;
    yaml_node_t **items = cfg_seq_nodes(c, n);
    int len = cfg_seq_len(n);
    if (!items || !(*out = calloc((size_t)len, sizeof **out))) {
        free(items);
        return cfg_fail(c, n, "out of memory");
    }
    *count = len;
    for (int i = 0; i < len; i++)
        if (!((*out)[i] = lab_text(c, items[i], what)) ||
            (lab && lab_check_placeholders(c, lab, items[i], (*out)[i], NULL))) {
            free(items);
            return -1;
        }
    free(items);
    return 0;
}

/* Files of a lab folder are small: a config template, a handout. */
#define LAB_FILE_MAX (1 << 20)

char *lab_file_text(const char *path, char err[LAB_ERR_MAX])
{
    FILE *f = plot_open_input(path);
    char *buf = f ? malloc(LAB_FILE_MAX + 1) : NULL;
    size_t n = buf ? fread(buf, 1, LAB_FILE_MAX + 1, f) : 0;
    if (!buf || ferror(f) || n > LAB_FILE_MAX || memchr(buf, '\0', n)) {
        snprintf(err, LAB_ERR_MAX, "%s: %s", path,
                 !f ? (errno == EINVAL ? "not a regular file" : strerror(errno))
                 : !buf ? "out of memory" : ferror(f) ? "cannot read"
                 : n > LAB_FILE_MAX ? "larger than 1 MiB" : "holds a NUL byte");
        free(buf);
        buf = NULL;
    } else {
        buf[n] = '\0';
    }
    if (f)
        fclose(f);
    return buf;
}

char *lab_read_file(const lab_t *lab, const char *name, char err[LAB_ERR_MAX])
{
    char *path = path_join(lab->dir, name);
    char *text = path ? lab_file_text(path, err) : NULL;
    if (!path)
        snprintf(err, LAB_ERR_MAX, "out of memory");
    free(path);
    return text;
}

static int load_doc(struct ctx *c, lab_t *lab, yaml_node_t *root)
{
    yaml_node_t *nodes[LAB_SECTION_KEYS], *n;
    if (!root)
        return cfg_fail_file(c, "empty file: a lab needs title:, runs: and questions:");
    if (lab_walk(c, root, "", "in lab.yaml", nodes) ||
        !(lab->title = lab_text(c, lab_key(nodes, "", "title"), "a title")))
        return -1;
    n = lab_key(nodes, "", "section");
    if (!(lab->section = n ? lab_text(c, n, "a section") : strdup("")))
        return -1;
    yaml_node_t *goals = lab_key(nodes, "", "goals");
    if (goals && lab_strings(c, NULL, goals, "a goal", &lab->goals, &lab->ngoals))
        return -1;
    if (lab_load_params(c, lab, lab_key(nodes, "", "parameters"), lab_key(nodes, "", "derived")))
        return -1;
    /* goals and prompts may name parameters: checked once they are known */
    for (int i = 0; i < lab->ngoals; i++)
        if (lab_check_placeholders(c, lab, goals, lab->goals[i], NULL))
            return -1;
    if (lab_load_runs(c, lab, lab_key(nodes, "", "runs")) ||
        ((n = lab_key(nodes, "", "figures")) && lab_load_figures(c, lab, n)))
        return -1;
    return lab_load_questions(c, lab, lab_key(nodes, "", "questions"));
}

int lab_load(const char *root, const char *id, lab_t *lab, char err[LAB_ERR_MAX])
{
    memset(lab, 0, sizeof *lab);
    if (!lab_id_ok(id)) {
        snprintf(err, LAB_ERR_MAX, "unknown lab '%.64s': a lab id is [a-z0-9_]+", id);
        return -1;
    }
    lab->id = strdup(id);
    lab->dir = path_join(root, id);
    lab->path = lab->dir ? path_join(lab->dir, "lab.yaml") : NULL;
    struct ctx c = {.file = lab->path ? lab->path : "lab.yaml", .err = err};
    if (!lab->id || !lab->path) {
        snprintf(err, LAB_ERR_MAX, "out of memory");
        return -1;
    }
    struct stat st;
    if (stat(lab->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, LAB_ERR_MAX, "unknown lab '%s': no folder %s (gilsim lab list)", id,
                 lab->dir);
        lab_free(lab);
        return -1;
    }
    char *text = lab_read_file(lab, "lab.yaml", err);
    yaml_document_t doc;
    int rc = text ? 0 : -1;
    if (rc == 0 && (cfg_prescan(&c, text, strlen(text)) ||
                    cfg_load_doc(&c, text, strlen(text), &doc)))
        rc = -1;
    if (rc == 0) {
        c.doc = &doc;
        rc = load_doc(&c, lab, yaml_document_get_root_node(&doc));
        yaml_document_delete(&doc);
    }
    free(text);
    if (rc)
        lab_free(lab);
    return rc;
}

void lab_free_strings(char **s, int n)
{
    for (int i = 0; s && i < n; i++)
        free(s[i]);
    free(s);
}

int lab_write_file(const char *path, const char *head, const char *text, char err[LAB_ERR_MAX])
{
    FILE *f = file_create_fresh(path);
    int ok = f && fputs(head, f) >= 0 && fputs(text, f) >= 0;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        snprintf(err, LAB_ERR_MAX, "%s: cannot write: %s", path, strerror(errno));
    return ok ? 0 : 1;
}

void lab_free(lab_t *lab)
{
    for (int i = 0; i < lab->nparams; i++) {
        free(lab->params[i].name);
        lab_free_strings(lab->params[i].choices, lab->params[i].nchoices);
    }
    for (int i = 0; i < lab->nderived; i++) {
        free(lab->derived[i].name);
        lx_free(lab->derived[i].expr);
    }
    for (int i = 0; i < lab->nruns; i++) {
        free(lab->runs[i].name);
        free(lab->runs[i].template_name);
        lab_free_strings(lab->runs[i].sets, lab->runs[i].nsets);
        lab_free_strings(lab->runs[i].vary, lab->runs[i].nvary);
    }
    for (int i = 0; i < lab->nfigures; i++)
        free(lab->figures[i].figure);
    for (int i = 0; i < lab->nquestions; i++) {
        lab_question_t *q = &lab->questions[i];
        free(q->id);
        free(q->prompt);
        free(q->unit);
        lx_free(q->answer);
        lab_free_strings(q->choices, q->nchoices);
        free(q->solution);
        for (int k = 0; k < q->nrequire; k++)
            lx_free(q->require[k]);
        free(q->require);
        lx_free(q->minimize);
        free(q->search_set);
    }
    free(lab->params);
    free(lab->derived);
    free(lab->runs);
    free(lab->figures);
    free(lab->questions);
    free(lab->var_names);
    free(lab->run_names);
    lab_free_strings(lab->goals, lab->ngoals);
    free(lab->title);
    free(lab->section);
    free(lab->id);
    free(lab->dir);
    free(lab->path);
    memset(lab, 0, sizeof *lab);
}
