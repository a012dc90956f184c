/* config_imports.c — python.imports: the modules a program's __main__
 * imports at its top level, which a spawned child imports again
 * (include/imports.def says why and what each costs). */
#include "config/config_errors.h"
#include "config/config_imports.h"

enum py_module_id {
#define PY_MODULE(id, name, cost_us, deps) PYMOD_##id,
#include "imports.def"
#undef PY_MODULE
    PYMOD__COUNT
};
_Static_assert(PYMOD__COUNT <= 64, "python.imports is a 64-bit set");

#define PY_DEP(id) ((uint64_t)1 << PYMOD_##id)

static const char *const module_names[] = {
#define PY_MODULE(id, name, cost_us, deps) name,
#include "imports.def"
#undef PY_MODULE
};

static const struct { simtime_t cost; uint64_t deps; } modules[] = {
#define PY_MODULE(id, name, cost_us, deps) { US(cost_us), deps },
#include "imports.def"
#undef PY_MODULE
};

/* Every module the listed ones import, transitively, costs once: the set
 * grows by the rows' deps until nothing is added. */
simtime_t cfg_imports_cost(uint64_t imports)
{
    uint64_t all = imports, before;
    simtime_t cost = 0;
    do {
        before = all;
        for (int i = 0; i < PYMOD__COUNT; i++)
            if (all & ((uint64_t)1 << i))
                all |= modules[i].deps;
    } while (all != before);
    for (int i = 0; i < PYMOD__COUNT; i++)
        if (all & ((uint64_t)1 << i))
            cost = st_add(cost, modules[i].cost);
    return cost;
}

int cfg_import_row(int i, const char **name, simtime_t *cost, uint64_t *deps)
{
    if (i < 0 || i >= PYMOD__COUNT)
        return -1;
    *name = module_names[i];
    *cost = modules[i].cost;
    *deps = modules[i].deps;
    return 0;
}

int cfg_imports_field(struct ctx *c, const struct field *f, yaml_node_t *key,
                      yaml_node_t *val, void *obj)
{
    config_t *cfg = obj;
    (void)f; (void)key;
    cfg->python.imports = 0;
    if (val->type == YAML_SEQUENCE_NODE && cfg_seq_len(val) == 0)
        return 0;                               /* imports: [] */
    if (cfg_expect(c, val, YAML_SEQUENCE_NODE, "a list of module names such as [asyncio, json]"))
        return -1;
    for (yaml_node_item_t *it = val->data.sequence.items.start; it < val->data.sequence.items.top; it++) {
        int i;
        if (cfg_get_one_of(c, cfg_node(c, *it), "module", module_names, PYMOD__COUNT, &i))
            return -1;
        cfg->python.imports |= (uint64_t)1 << i;
    }
    return 0;
}
