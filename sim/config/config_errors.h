/* config_errors.h — config_errors.c: errors located in the file or the
 * --set, and the suggestions and word lists they quote. */
#ifndef GILSIM_CONFIG_ERRORS_H
#define GILSIM_CONFIG_ERRORS_H

#include <stddef.h>

#include "config/config_internal.h"

int cfg_fail_at(struct ctx *c, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int cfg_fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int cfg_fail_file(struct ctx *c, const char *what);
/* "3:5", or "a --set" */
const char *cfg_where(const yaml_node_t *n, char *buf, size_t size);

/* "(did you mean 'cores'?)" when word is a near miss of one of names,
 * else "(LABEL: a, b, c)". */
void cfg_suggest(const char *word, const char *const *names, int n, const char *label,
                 char *buf, size_t size);
/* "unknown key 'x' WHERE HINT", with the suggestion among names. */
int cfg_unknown_key(struct ctx *c, const yaml_node_t *k, const char *where,
                    const char *const *names, int n, const char *label);
/* "an" before a vowel, else "a": enough for the words the loader uses
 * ("an event", "a lock", "an object kind"). */
const char *cfg_article(const char *word);
/* names for a message, each written as item says ("%s", "'%s:'") and the
 * last one after `last` (", ", " or ", " and "): "a, b or c".  Returns buf. */
const char *cfg_list(char *buf, size_t size, const char *item, const char *last,
                     const char *const *names, int n);

#endif
