/* config_print.h — the effective config as YAML text (config_print.c),
 * for `gilsim run --print-config`. */
#ifndef GILSIM_CONFIG_PRINT_H
#define GILSIM_CONFIG_PRINT_H

#include "config/config_internal.h"
#include "config/config_nodes.h"

/* c->doc, loaded into cfg, with every setting of the top level's schema
 * (top) and its sections written at its value; *text malloc'd.  Consumes
 * c->doc (left empty).  0, or -1 (said). */
/* Field f's value in cfg as a config writes it (times and reals exact, a
 * size in its largest exact binary unit): 0, or -1 for a field that is
 * not a plain setting of config_t (kept as written). */
int cfg_field_text(const struct field *f, const config_t *cfg, char *b, size_t n);

int cfg_effective_text(struct ctx *c, const config_t *cfg, const struct schema *top,
                       char **text);

#endif
