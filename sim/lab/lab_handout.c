/* lab_handout.c — a student's handout in Markdown: the title, section
 * and goals from lab.yaml, the lab's handout.md (their numbers in it),
 * the figures, then the questions: predictions first, under "Before you
 * run", numbered on through both parts, each with its id (the name a
 * submission gives it), kind, unit
 * and options; with the key's answers when asked (lab show -c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "lab/lab_handout.h"

/* Question i as number `number` of the handout. */
static void question(FILE *f, const lab_t *lab, const lab_variant_t *v, int i, int number,
                     const lab_answer_t *answers)
{
    const lab_question_t *q = &lab->questions[i];
    char *prompt = lab_render(lab, v, q->prompt);
    fprintf(f, "%d. **%s** (%s%s%s): %s\n", number, q->id, lab_kind_name(q->kind),
            *q->unit ? ", in " : "", q->unit, prompt ? prompt : q->prompt);
    for (int c = 0; c < q->nchoices; c++)
        fprintf(f, "   - %d) %s\n", c + 1, q->choices[c]);
    if (q->kind == LAB_DESIGN)
        fprintf(f, "   Start from configs/%s.yaml (a copy: configs/%s.yaml is the run's own); "
                "submit the config you made.\n", q->id, lab->run_names[q->start]);
    if (answers) {
        char tol[32];
        lab_tolerance_text(q, tol, sizeof tol);
        fprintf(f, "   Key: %s%s%s (tolerance %s)\n", answers[i].text, *q->unit ? " " : "",
                q->unit, tol);
    }
    free(prompt);
}

static void questions(FILE *f, const lab_t *lab, const lab_variant_t *v,
                      const lab_answer_t *answers)
{
    int before = 0, number = 0;
    for (int i = 0; i < lab->nquestions; i++)
        before += lab->questions[i].kind == LAB_PREDICTION;
    if (before) {
        fputs("\n## Before you run\n\n", f);
        for (int i = 0; i < lab->nquestions; i++)
            if (lab->questions[i].kind == LAB_PREDICTION)
                question(f, lab, v, i, ++number, answers);
    }
    if (before < lab->nquestions) {
        fputs("\n## Questions\n\n", f);
        for (int i = 0; i < lab->nquestions; i++)
            if (lab->questions[i].kind != LAB_PREDICTION)
                question(f, lab, v, i, ++number, answers);
    }
}

/* handout.md is optional: without it the handout is the questions. */
static int body(FILE *f, const lab_t *lab, const lab_variant_t *v, char err[LAB_ERR_MAX])
{
    char *path = path_join(lab->dir, "handout.md");
    struct stat st;
    int exists = path && lstat(path, &st) == 0;
    free(path);
    if (!exists)
        return 0;
    char *text = lab_read_file(lab, "handout.md", err);
    char *shown = text ? lab_render(lab, v, text) : NULL;
    if (shown)
        fprintf(f, "\n%s%s", shown, shown[0] && shown[strlen(shown) - 1] != '\n' ? "\n" : "");
    free(text);
    free(shown);
    return shown ? 0 : -1;
}

char *lab_handout(const lab_t *lab, const lab_variant_t *v, const lab_answer_t *answers,
                  int figures, char err[LAB_ERR_MAX])
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        snprintf(err, LAB_ERR_MAX, "out of memory");
        return NULL;
    }
    fprintf(f, "# %s\n", lab->title);
    if (*lab->section)
        fprintf(f, "\n*%s*\n", lab->section);
    if (lab->ngoals)
        fputs("\nGoals:\n\n", f);
    for (int i = 0; i < lab->ngoals; i++) {
        char *g = lab_render(lab, v, lab->goals[i]);
        fprintf(f, "- %s\n", g ? g : lab->goals[i]);
        free(g);
    }
    int rc = body(f, lab, v, err);
    if (figures && lab->nfigures)
        fputs("\n## Figures\n\n", f);
    for (int i = 0; figures && i < lab->nfigures; i++)
        fprintf(f, "![%s of the run %s](figures/%s_%s.png)\n\n", lab->figures[i].figure,
                lab->run_names[lab->figures[i].run], lab->run_names[lab->figures[i].run],
                lab->figures[i].figure);
    questions(f, lab, v, answers);
    if (fclose(f) != 0 || rc != 0) {
        if (rc == 0)
            snprintf(err, LAB_ERR_MAX, "out of memory");
        free(buf);
        return NULL;
    }
    return buf;
}
