/* config_print.h — the effective config as YAML text (config_print.c),
 * for `gilsim run --print-config`. */
#ifndef GILSIM_CONFIG_PRINT_H
#define GILSIM_CONFIG_PRINT_H

#include "config/config_internal.h"
#include "config/config_nodes.h"

/* c->doc, loaded into cfg, with every setting of the top level's schema
 * (top) and its sections written at its value; *text malloc'd.  Consumes
 * c->doc (left empty).  0, or -1 (said). */
int cfg_effective_text(struct ctx *c, const config_t *cfg, const struct schema *top,
                       char **text);

#endif
