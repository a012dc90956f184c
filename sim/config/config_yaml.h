/* config_yaml.h — config_yaml.c: a config's text to a libyaml document,
 * and --set overrides spliced into it. */
#ifndef GILSIM_CONFIG_YAML_H
#define GILSIM_CONFIG_YAML_H

#include <stddef.h>

#include "config/config_errors.h"

/* Aliases, extra documents and absurd nesting, found on the event stream. */
int cfg_prescan(struct ctx *c, const char *s, size_t len);
int cfg_load_doc(struct ctx *c, const char *s, size_t len, yaml_document_t *doc);
/* Splices c->sets[si] into the document. */
int cfg_apply_set(struct ctx *c, int si);

#endif
