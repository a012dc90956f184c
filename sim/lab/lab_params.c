/* lab_params.c — lab.yaml's parameters, derived values, runs and
 * figures (the loader's middle part: lab_load.c reads the document and
 * calls these in the order a lab is written). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "lab/lab_internal.h"
#include "engine/util.h"
#include "lab/lab_figs.h"

/* A name of a mapping key: a new identifier. */
static int take_name(struct ctx *c, const lab_t *lab, const yaml_node_t *k, const char *what,
                     char **out)
{
    const char *s = cfg_scalar(c, k, what);
    if (!s)
        return -1;
    if (!lab_name_ok(s))
        return cfg_fail(c, k, "%s '%.64s': expected [a-z_][a-z0-9_]*, at most 64 bytes", what, s);
    for (int i = 0; i < lab->nvars; i++)
        if (!strcmp(lab->var_names[i], s))
            return cfg_fail(c, k, "%s '%s': the name is already a parameter", what, s);
    for (int i = 0; i < lab->nruns; i++)
        if (!strcmp(lab->run_names[i], s))
            return cfg_fail(c, k, "%s '%s': the name is already a run", what, s);
    if (!strcmp(s, "submitted"))
        return cfg_fail(c, k, "%s 'submitted': the name is the design questions' run", what);
    if (!(*out = strdup(s)))
        return cfg_fail(c, k, "out of memory");
    return 0;
}

/* An integer (digits) or a duration: its value, and which it was. */
static int range_value(struct ctx *c, const yaml_node_t *n, int64_t *v, int *duration)
{
    const char *s = cfg_scalar(c, n, "a range's end");
    uint64_t u;
    char msg[256];
    if (!s)
        return -1;
    int rc = cfg_parse_u64(s, &u);
    if (rc == 0 && u <= INT64_MAX / 2) {
        *v = (int64_t)u;
        *duration = 0;
        return 0;
    }
    simtime_t ns;
    if (cfg_parse_duration(s, &ns, msg, sizeof msg) != 0)
        return cfg_fail(c, n, "expected an integer or a duration, got '%.40s'", s);
    *v = ns;
    *duration = 1;
    return 0;
}

static int take_range(struct ctx *c, lab_param_t *p, yaml_node_t *range, yaml_node_t *step)
{
    if (range->type != YAML_SEQUENCE_NODE || cfg_seq_len(range) != 2)
        return cfg_fail(c, range, "expected range: [LOW, HIGH]");
    yaml_node_t **lh = cfg_seq_nodes(c, range);
    int d1 = 0, d2 = 0, rc = !lh ? cfg_fail(c, range, "out of memory")
                                 : range_value(c, lh[0], &p->lo, &d1) ||
                                   range_value(c, lh[1], &p->hi, &d2) ? -1 : 0;
    free(lh);
    if (rc)
        return -1;
    if (d1 != d2)
        return cfg_fail(c, range, "a range's ends are both integers or both durations");
    p->duration = d1;
    p->step = d1 ? 1000000 : 1;
    if (p->lo > p->hi)
        return cfg_fail(c, range, "the range's low end is above its high end");
    if (step) {
        int ds;
        if (range_value(c, step, &p->step, &ds))
            return -1;
        if (ds != d1 && !(d1 && p->step == 0))
            return cfg_fail(c, step, "the step is %s like the range's ends",
                            d1 ? "a duration" : "an integer");
        if (p->step <= 0)
            return cfg_fail(c, step, "the step must be above 0");
    }
    return 0;
}

static int take_param(struct ctx *c, lab_t *lab, yaml_node_t *k, yaml_node_t *v)
{
    lab_param_t *p = &lab->params[lab->nparams];
    yaml_node_t *nodes[LAB_SECTION_KEYS];
    const char *sec = "parameters.NAME";
    if (take_name(c, lab, k, "a parameter", &p->name))
        return -1;
    p->line = (int)k->start_mark.line + 1;
    p->col = (int)k->start_mark.column + 1;
    lab->var_names[lab->nvars++] = p->name;
    lab->nparams++;
    if (lab_walk(c, v, sec, "in a parameter", nodes))
        return -1;
    yaml_node_t *range = lab_key(nodes, sec, "range"), *choices = lab_key(nodes, sec, "choices");
    if (!!range == !!choices)
        return cfg_fail(c, v, "parameter '%s': give exactly one of range: or choices:", p->name);
    if (choices) {
        p->kind = LAB_CHOICES;
        if (lab_key(nodes, sec, "step"))
            return cfg_fail(c, lab_key(nodes, sec, "step"), "step: belongs to a range");
        if (lab_strings(c, NULL, choices, "a choice", &p->choices, &p->nchoices))
            return -1;
        for (int i = 0; i < p->nchoices; i++)
            if (strlen(p->choices[i]) >= LAB_TEXT_MAX)
                return cfg_fail(c, choices, "parameter '%s': a choice longer than %d bytes",
                                p->name, LAB_TEXT_MAX - 1);
        return 0;
    }
    p->kind = LAB_RANGE;
    return take_range(c, p, range, lab_key(nodes, sec, "step"));
}

/* Mapping sections: parameters, derived, runs.  The arrays are sized
 * for every entry first. */
static int map_len(struct ctx *c, const yaml_node_t *n, const char *what)
{
    if (cfg_is_empty(n))
        return 0;
    if (n->type != YAML_MAPPING_NODE) {
        char buf[64];
        cfg_fail(c, n, "expected a mapping of %s, got %s", what, cfg_describe(n, buf, sizeof buf));
        return -1;
    }
    return (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

int lab_load_params(struct ctx *c, lab_t *lab, yaml_node_t *params, yaml_node_t *derived)
{
    int np = params ? map_len(c, params, "parameters") : 0;
    int nd = derived ? map_len(c, derived, "derived values") : 0;
    if (np < 0 || nd < 0)
        return -1;
    lab->params = calloc((size_t)np + 1, sizeof *lab->params);
    lab->derived = calloc((size_t)nd + 1, sizeof *lab->derived);
    lab->var_names = calloc((size_t)(np + nd) + 1, sizeof *lab->var_names);
    if (!lab->params || !lab->derived || !lab->var_names)
        return cfg_fail_file(c, "out of memory");
    for (int i = 0; i < np; i++) {
        yaml_node_pair_t *pr = &params->data.mapping.pairs.start[i];
        if (take_param(c, lab, cfg_node(c, pr->key), cfg_node(c, pr->value)))
            return -1;
    }
    for (int i = 0; i < nd; i++) {
        yaml_node_pair_t *pr = &derived->data.mapping.pairs.start[i];
        lab_derived_t *d = &lab->derived[i];
        lx_names_t names = {.vars = lab->var_names, .nvars = lab->nvars,
                            .runs = lab->run_names, .no_runs = 1};
        if (take_name(c, lab, cfg_node(c, pr->key), "a derived value", &d->name))
            return -1;
        lab->nderived++;
        if (!(d->expr = lab_formula(c, cfg_node(c, pr->value), &names)))
            return -1;
        lab->var_names[lab->nvars++] = d->name;
    }
    return 0;
}

/* A file of the lab folder: a plain name, read whole (its placeholders
 * checked). */
static int take_template(struct ctx *c, const lab_t *lab, const yaml_node_t *n, char **out)
{
    char err[LAB_ERR_MAX];
    if (!(*out = lab_text(c, n, "a template file")))
        return -1;
    if (strchr(*out, '/') || (*out)[0] == '.' || !**out)
        return cfg_fail(c, n, "template '%.64s': a file name of the lab folder, without '/'",
                        *out);
    char *text = lab_read_file(lab, *out, err);
    if (!text)
        return cfg_fail(c, n, "template '%.64s': %s", *out, err);
    char *path = path_join(lab->dir, *out);
    int rc = path ? lab_check_placeholders(c, lab, NULL, text, path)
                  : cfg_fail(c, n, "out of memory");
    free(path);
    free(text);
    return rc;
}

static int take_run(struct ctx *c, lab_t *lab, yaml_node_t *k, yaml_node_t *v)
{
    lab_run_t *r = &lab->runs[lab->nruns];
    yaml_node_t *nodes[LAB_SECTION_KEYS], *n;
    const char *sec = "runs.NAME";
    if (take_name(c, lab, k, "a run", &r->name))
        return -1;
    r->line = (int)k->start_mark.line + 1;
    r->col = (int)k->start_mark.column + 1;
    lab->run_names[lab->nruns++] = r->name;
    if (lab_walk(c, v, sec, "in a run", nodes) ||
        take_template(c, lab, lab_key(nodes, sec, "template"), &r->template_name))
        return -1;
    if ((n = lab_key(nodes, sec, "set")) && lab_strings(c, lab, n, "a KEY=VALUE", &r->sets,
                                                       &r->nsets))
        return -1;
    if ((n = lab_key(nodes, sec, "vary")) && lab_strings(c, lab, n, "a KEY=V1,V2", &r->vary,
                                                        &r->nvary))
        return -1;
    for (int i = 0; i < r->nsets; i++)
        if (!strchr(r->sets[i], '='))
            return cfg_fail(c, n ? n : v, "set '%.64s': expected KEY=VALUE", r->sets[i]);
    return 0;
}

int lab_load_runs(struct ctx *c, lab_t *lab, yaml_node_t *runs)
{
    int nr = map_len(c, runs, "runs");
    if (nr < 0)
        return -1;
    if (nr == 0)
        return cfg_fail(c, runs, "a lab needs at least one run");
    lab->runs = calloc((size_t)nr, sizeof *lab->runs);
    lab->run_names = calloc((size_t)nr + 2, sizeof *lab->run_names);
    if (!lab->runs || !lab->run_names)
        return cfg_fail_file(c, "out of memory");
    for (int i = 0; i < nr; i++) {
        yaml_node_pair_t *pr = &runs->data.mapping.pairs.start[i];
        if (take_run(c, lab, cfg_node(c, pr->key), cfg_node(c, pr->value)))
            return -1;
    }
    lab->run_names[nr] = "submitted";
    return 0;
}

static int take_figure(struct ctx *c, lab_t *lab, yaml_node_t *v, lab_figure_t *f)
{
    yaml_node_t *nodes[LAB_SECTION_KEYS];
    const char *sec = "figures[]";
    if (lab_walk(c, v, sec, "in a figure", nodes))
        return -1;
    yaml_node_t *rn = lab_key(nodes, sec, "run"), *fn = lab_key(nodes, sec, "figure");
    const char *run = cfg_scalar(c, rn, "a run");
    if (!run)
        return -1;
    for (f->run = 0; f->run < lab->nruns && strcmp(lab->run_names[f->run], run); f->run++)
        ;
    if (f->run == lab->nruns) {
        char hint[512];
        cfg_suggest(run, lab->run_names, lab->nruns, "runs", hint, sizeof hint);
        return cfg_fail(c, rn, "unknown run '%.64s' %s", run, hint);
    }
    if (lab->runs[f->run].nvary)
        return cfg_fail(c, rn, "the run '%s' is a sweep: it has no figures", run);
    if (!(f->figure = lab_text(c, fn, "a figure")))
        return -1;
    if (!lab_figure_kind(f->figure)) {
        const char *names[16];
        char hint[512];
        int nk = 0;
        for (size_t i = 0; i < figure_kinds_count && nk < 16; i++)
            names[nk++] = figure_kinds[i].name;
        cfg_suggest(f->figure, names, nk, "figures", hint, sizeof hint);
        return cfg_fail(c, fn, "unknown figure '%.64s' %s", f->figure, hint);
    }
    return 0;
}

int lab_load_figures(struct ctx *c, lab_t *lab, yaml_node_t *seq)
{
    if (cfg_is_empty(seq))
        return 0;
    if (cfg_expect(c, seq, YAML_SEQUENCE_NODE, "a list of figures"))
        return -1;
    yaml_node_t **items = cfg_seq_nodes(c, seq);
    int n = cfg_seq_len(seq);
    lab->figures = items ? calloc((size_t)n, sizeof *lab->figures) : NULL;
    if (!lab->figures) {
        free(items);
        return cfg_fail(c, seq, "out of memory");
    }
    for (int i = 0; i < n; i++, lab->nfigures++)
        if (take_figure(c, lab, items[i], &lab->figures[i])) {
            lab->nfigures++;
            free(items);
            return -1;
        }
    free(items);
    return 0;
}
