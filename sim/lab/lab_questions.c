/* lab_questions.c — lab.yaml's questions: each kind's keys, checked for
 * what the kind needs (a number's tolerance, a choice's options, a
 * design's start run, requirements and solution or search), and their
 * formulas parsed against the lab's names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "lab/lab_internal.h"

#define QSEC "questions[]"

static const char *const kind_names[] = {"number", "choice", "prediction", "design"};

const char *lab_kind_name(enum lab_kind k)
{
    return kind_names[k];
}

static int take_tolerance(struct ctx *c, lab_question_t *q, yaml_node_t *n)
{
    yaml_node_t *nodes[LAB_SECTION_KEYS];
    if (lab_walk(c, n, "tolerance", "in a tolerance", nodes))
        return -1;
    yaml_node_t *rel = lab_key(nodes, "tolerance", "relative");
    yaml_node_t *abs = lab_key(nodes, "tolerance", "absolute");
    if (!!rel == !!abs)
        return cfg_fail(c, n, "a tolerance is exactly one of {relative: F} or {absolute: X}");
    const char *s = cfg_scalar(c, rel ? rel : abs, "a tolerance");
    char *end;
    if (!s)
        return -1;
    q->tol = strtod(s, &end);
    if (*end || end == s || !(q->tol >= 0) || q->tol > 1e15)
        return cfg_fail(c, rel ? rel : abs, "expected a number >= 0, got '%.40s'", s);
    q->tol_kind = rel ? LAB_TOL_RELATIVE : LAB_TOL_ABSOLUTE;
    return 0;
}

/* search: {set: KEY, from: N, to: N} */
static int take_search(struct ctx *c, lab_question_t *q, yaml_node_t *n)
{
    yaml_node_t *nodes[LAB_SECTION_KEYS];
    int64_t *ends[2] = {&q->search_from, &q->search_to};
    const char *keys[2] = {"from", "to"};
    if (lab_walk(c, n, "search", "in a search", nodes) ||
        !(q->search_set = lab_text(c, lab_key(nodes, "search", "set"), "a config key")))
        return -1;
    for (int i = 0; i < 2; i++)
        if (cfg_get_i64(c, lab_key(nodes, "search", keys[i]), ends[i]))
            return -1;
    if (q->search_to < q->search_from || q->search_to - q->search_from > 1000)
        return cfg_fail(c, n, "search: from N to M with N <= M, at most 1001 values");
    return 0;
}

/* The keys a kind takes beyond id, kind and prompt; a key it does not
 * take is an error rather than ignored. */
static int check_keys(struct ctx *c, lab_question_t *q, yaml_node_t *const nodes[])
{
    static const char *const design_only[] = {"start", "solution", "require", "minimize",
                                              "search"};
    int design = q->kind == LAB_DESIGN;
    for (int i = 0; i < 5; i++) {
        yaml_node_t *n = lab_key(nodes, QSEC, design_only[i]);
        if (n && !design)
            return cfg_fail(c, n, "question '%s': %s: belongs to design questions", q->id,
                            design_only[i]);
    }
    yaml_node_t *ans = lab_key(nodes, QSEC, "answer"), *ch = lab_key(nodes, QSEC, "choices");
    yaml_node_t *tol = lab_key(nodes, QSEC, "tolerance");
    if (design && ans)
        return cfg_fail(c, ans, "question '%s': a design's answer is its search or solution",
                        q->id);
    if (!design && !ans)
        return cfg_fail(c, nodes[0], "question '%s': missing answer: (a formula)", q->id);
    if (ch && q->kind != LAB_CHOICE && q->kind != LAB_PREDICTION)
        return cfg_fail(c, ch, "question '%s': choices: belong to choice and prediction",
                        q->id);
    if (q->kind == LAB_CHOICE && !ch)
        return cfg_fail(c, nodes[0], "question '%s': a choice question needs choices:", q->id);
    int wants_tol = q->kind == LAB_NUMBER || (q->kind == LAB_PREDICTION && !ch) ||
                    (design && lab_key(nodes, QSEC, "minimize"));
    if (wants_tol && !tol)
        return cfg_fail(c, nodes[0], "question '%s': missing tolerance: ({relative: 0.05} or "
                        "{absolute: 0.01})", q->id);
    if (!wants_tol && tol)
        return cfg_fail(c, tol, "question '%s': a %s question has no tolerance", q->id,
                        ch ? "choice" : "design question without minimize:");
    return 0;
}

static int take_design(struct ctx *c, lab_t *lab, lab_question_t *q, yaml_node_t *const nodes[],
                       yaml_node_t *qn)
{
    lx_names_t names = {.vars = lab->var_names, .nvars = lab->nvars, .runs = lab->run_names,
                        .nruns = lab->nruns + 1};
    yaml_node_t *n = lab_key(nodes, QSEC, "start");
    const char *start = n ? cfg_scalar(c, n, "a run") : NULL;
    if (!n)
        return cfg_fail(c, qn, "question '%s': a design needs start: (a run)", q->id);
    for (int r = 0; r < lab->nruns; r++)    /* configs/ID.yaml is the start's copy */
        if (!strcmp(lab->run_names[r], q->id))
            return cfg_fail(c, qn, "question '%s': a design's id names its config: not a "
                            "run's name", q->id);
    for (q->start = 0; start && q->start < lab->nruns; q->start++)
        if (!strcmp(lab->run_names[q->start], start))
            break;
    if (!start || q->start == lab->nruns || lab->runs[q->start].nvary)
        return start ? cfg_fail(c, n, "start: '%.64s' is no run of the lab (or a sweep)", start)
                     : -1;
    if ((n = lab_key(nodes, QSEC, "solution"))) {
        yaml_node_t *sn[LAB_SECTION_KEYS];
        if (lab_walk(c, n, "solution", "in a solution", sn) ||
            !(q->solution = lab_text(c, lab_key(sn, "solution", "template"), "a template")))
            return -1;
    }
    if (!(n = lab_key(nodes, QSEC, "require")) || cfg_expect(c, n, YAML_SEQUENCE_NODE,
                                                            "a list of formulas"))
        return n ? -1 : cfg_fail(c, qn, "question '%s': a design needs require:", q->id);
    yaml_node_t **items = cfg_seq_nodes(c, n);
    q->require = items ? calloc((size_t)cfg_seq_len(n), sizeof *q->require) : NULL;
    for (int i = 0; q->require && i < cfg_seq_len(n); i++, q->nrequire++)
        if (!(q->require[i] = lab_formula(c, items[i], &names))) {
            free(items);
            return -1;
        }
    free(items);
    if (!q->require)
        return cfg_fail(c, n, "out of memory");
    if ((n = lab_key(nodes, QSEC, "minimize")) && !(q->minimize = lab_formula(c, n, &names)))
        return -1;
    if ((n = lab_key(nodes, QSEC, "search")) && (!q->minimize || take_search(c, q, n)))
        return q->minimize ? -1 : cfg_fail(c, n, "search: needs minimize:");
    if (!q->solution && !q->search_set)
        return cfg_fail(c, qn, "question '%s': a design needs solution: or search:", q->id);
    return 0;
}

static int take_question(struct ctx *c, lab_t *lab, lab_question_t *q, yaml_node_t *qn,
                         const unsigned char *sweeps)
{
    yaml_node_t *nodes[LAB_SECTION_KEYS], *n;
    int kind;
    q->start = -1;
    q->line = (int)qn->start_mark.line + 1;
    q->col = (int)qn->start_mark.column + 1;
    if (lab_walk(c, qn, QSEC, "in a question", nodes) ||
        !(q->id = lab_text(c, n = lab_key(nodes, QSEC, "id"), "a question id")))
        return -1;
    if (!lab_id_ok(q->id))
        return cfg_fail(c, n, "question id '%.64s': expected [a-z0-9_]+", q->id);
    for (lab_question_t *o = lab->questions; o < q; o++)
        if (!strcmp(o->id, q->id))
            return cfg_fail(c, n, "question id '%s' is used twice", q->id);
    if (cfg_get_one_of(c, lab_key(nodes, QSEC, "kind"), "question kind", kind_names, 4, &kind))
        return -1;
    q->kind = (enum lab_kind)kind;
    n = lab_key(nodes, QSEC, "prompt");
    if (!(q->prompt = lab_text(c, n, "a prompt")) ||
        lab_check_placeholders(c, lab, n, q->prompt, NULL))
        return -1;
    n = lab_key(nodes, QSEC, "unit");
    if (!(q->unit = n ? lab_text(c, n, "a unit") : strdup("")) || check_keys(c, q, nodes))
        return -1;
    if ((n = lab_key(nodes, QSEC, "tolerance")) && take_tolerance(c, q, n))
        return -1;
    if ((n = lab_key(nodes, QSEC, "choices")) &&
        lab_strings(c, lab, n, "a choice", &q->choices, &q->nchoices))
        return -1;
    if (q->kind == LAB_DESIGN)
        return take_design(c, lab, q, nodes, qn);
    lx_names_t names = {.vars = lab->var_names, .nvars = lab->nvars, .runs = lab->run_names,
                        .nruns = lab->nruns, .sweeps = sweeps};
    return (q->answer = lab_formula(c, lab_key(nodes, QSEC, "answer"), &names)) ? 0 : -1;
}

int lab_load_questions(struct ctx *c, lab_t *lab, yaml_node_t *seq)
{
    if (cfg_expect(c, seq, YAML_SEQUENCE_NODE, "a list of questions"))
        return -1;
    int n = cfg_seq_len(seq);
    yaml_node_t **items = cfg_seq_nodes(c, seq);
    unsigned char *sweeps = calloc((size_t)lab->nruns + 1, 1);
    lab->questions = calloc((size_t)n, sizeof *lab->questions);
    int rc = items && sweeps && lab->questions ? 0 : cfg_fail(c, seq, "out of memory");
    for (int i = 0; i < lab->nruns && sweeps; i++)
        sweeps[i] = lab->runs[i].nvary > 0;
    for (int i = 0; rc == 0 && i < n; i++) {
        lab->nquestions++;
        rc = take_question(c, lab, &lab->questions[i], items[i], sweeps);
    }
    free(items);
    free(sweeps);
    return rc;
}
