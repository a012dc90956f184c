/* config_imports.h — python.imports, the modules the main module imports
 * (include/imports.def). */
#ifndef GILSIM_CONFIG_IMPORTS_H
#define GILSIM_CONFIG_IMPORTS_H

#include "config/config_nodes.h"

/* python.imports: [asyncio, concurrent.futures] -- each a row of
 * imports.def, else "unknown module 'x' (did you mean ...)" at its place. */
int cfg_imports_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                      yaml_node_t *val, void *obj);

#endif
