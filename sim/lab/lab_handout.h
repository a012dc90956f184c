/* lab_handout.h — a student's handout (Markdown), for lab show and
 * lab make. */
#ifndef GILSIM_LAB_HANDOUT_H
#define GILSIM_LAB_HANDOUT_H

#include "engine/util.h"
#include "lab/lab_run.h"

/* The handout of variant v, malloc'd; answers (NULL: none) adds the key
 * under each question; figures embeds figures/RUN_FIGURE.png for each
 * of the lab's figures.  NULL with err set. */
char *lab_handout(const lab_t *lab, const lab_variant_t *v, const lab_answer_t *answers,
                  int figures, char err[LAB_ERR_MAX]);

#endif
