/* config_print.h — the effective config as YAML text (config_print.c),
 * for `gilsim run --print-config`. */
#ifndef GILSIM_CONFIG_PRINT_H
#define GILSIM_CONFIG_PRINT_H

#include "config/config_internal.h"
#include "config/config_nodes.h"

/* Field f's value in cfg as a config writes it (times and reals exact, a
 * size in its largest exact binary unit): 0, or -1 for a field that is
 * not a plain setting of config_t (kept as written). */
int cfg_field_text(const struct field *f, const config_t *cfg, char *b, size_t n);

/* cfg->hash: the hash of the effective config's YAML tree (what
 * cfg_effective_fill makes of c->doc), computed from c->doc and cfg
 * without filling it in, as every load does. */
void cfg_effective_hash(struct ctx *c, config_t *cfg, const struct schema *top);
/* c->doc, loaded into cfg, with every setting of the top level's schema
 * (top) and its sections written in at its value: the effective config.
 * Then cfg_effective_check hashes the filled tree and fails if that is
 * not cfg->hash, and cfg_effective_text writes it out (*text malloc'd;
 * c->doc consumed, left empty).  0, or -1 (said). */
int cfg_effective_fill(struct ctx *c, const config_t *cfg, const struct schema *top);
int cfg_effective_check(struct ctx *c, const config_t *cfg);
int cfg_effective_text(struct ctx *c, char **text);

#endif
