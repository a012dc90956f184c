/* config_version.c — python.version and python.gil judged together: the
 * GIL model a version implies, and the pairs no CPython ever was.
 *
 * Which CPython has which GIL:
 *   - up to 3.1 (2.x included): the old GIL, released every check_interval
 *     ticks (`Python/ceval.c`); 3.2 replaced it with the new one (What's
 *     New in Python 3.2, "Multi-threading": Antoine Pitrou's GIL);
 *   - 3.2 on: the new GIL (`Python/ceval_gil.c`), one per process;
 *   - 3.12 on: an interpreter may have its own GIL (PEP 684, What's New in
 *     Python 3.12): `per-interpreter` needs 3.12;
 *   - 3.13t and 3.14t, the free-threaded builds (PEP 703, What's New in
 *     Python 3.13): no GIL (`none`).  Only 3.13 and 3.14 have such a build,
 *     so `gil: none` with "3.13" or "3.14" means that build, and with any
 *     other version is refused.  Their PYTHON_GIL=1 mode is not modelled:
 *     a `t` version with another policy is refused;
 *   - `io-priority` is a proposal on top of the new GIL: any 3.2+.
 *
 * The rules, with python.gil G and python.version V as written:
 *   - V only: G is what V implies (above);
 *   - G only: V stays the default 3.11 when it has G, else it is the
 *     version nearest 3.11 that does: 3.1 for `old`, 3.12 for
 *     `per-interpreter`, 3.13t for `none`;
 *   - both: they must agree; else the error is at G, naming V's place.
 * The per-version defaults (checkpoint_gap, nogil_slowdown, executors'
 * max_workers, ...) then follow V. */
#include <stdio.h>

#include "config/config_nodes.h"
#include "config/config_version.h"

/* The versions that have each policy: [first, last], major*100 + minor;
 * free: 1 for the free-threaded build only, 0 for the GIL builds only. */
struct versions {
    int first, last, free;
    int nearest_default;          /* V when only G is given and 3.11 lacks G */
    const char *which;            /* for messages */
};

static const struct versions policy_versions[] = {
    [GIL_NEW]             = { 302, 314, 0, 311, "3.2 to 3.14" },
    [GIL_OLD]             = { 200, 301, 0, 301, "2.x, 3.0 and 3.1 (3.2 brought the new GIL)" },
    [GIL_NONE]            = { 313, 314, 1, 313, "the free-threaded builds 3.13t and 3.14t "
                                                "(PEP 703)" },
    [GIL_PER_INTERPRETER] = { 312, 314, 0, 312, "3.12 on (PEP 684)" },
    [GIL_IO_PRIORITY]     = { 302, 314, 0, 311, "3.2 on (a proposal on top of the new GIL)" },
};
_Static_assert(sizeof policy_versions / sizeof policy_versions[0] == GIL_IO_PRIORITY + 1,
               "a line per policy of gil_policies.def");

static enum gil_policy implied_policy(int version, int free_threaded)
{
    if (free_threaded) return GIL_NONE;
    return version <= 301 ? GIL_OLD : GIL_NEW;
}

static int has_policy(const struct versions *v, int version)
{
    return version >= v->first && version <= v->last;
}

static int contradiction(struct ctx *c, const config_t *cfg, const struct versions *v)
{
    char at[64], why[160];
    const char *name = cfg_text(c->gil_node);
    int major = cfg->python.version / 100, minor = cfg->python.version % 100;

    cfg_where(c->version_node, at, sizeof at);
    if (c->free_threaded && !v->free)
        snprintf(why, sizeof why, "%d.%dt is the free-threaded build, without a GIL (its "
                 "PYTHON_GIL=1 mode is not modelled); \"%d.%d\" has one", major, minor,
                 major, minor);
    else
        snprintf(why, sizeof why, "`%s` exists in %s", name, v->which);
    return cfg_fail(c, c->gil_node, "python.gil: %s contradicts python.version \"%d.%d%s\" "
                    "(at %s): %s; change one of the two, or leave python.gil out to take the "
                    "version's own GIL", name, major, minor, c->free_threaded ? "t" : "", at, why);
}

int cfg_resolve_gil(struct ctx *c, config_t *cfg)
{
    const struct versions *v;

    if (!c->gil_node) {
        cfg->python.gil = implied_policy(cfg->python.version, c->free_threaded);
        return 0;
    }
    v = &policy_versions[cfg->python.gil];
    if (!c->version_node) {
        if (!has_policy(v, cfg->python.version)) cfg->python.version = v->nearest_default;
        return 0;
    }
    /* "3.13" with `none` is 3.13t: the only build of 3.13 without a GIL */
    if (!has_policy(v, cfg->python.version) || (c->free_threaded && !v->free))
        return contradiction(c, cfg, v);
    return 0;
}

/* python.gil's names, by enum gil_policy: the registry's */
static const char *const policy_names[] = {
#define GIL_POLICY(id, name, ops, flags, about) [GIL_##id] = name,
#include "gil_policies.def"
#undef GIL_POLICY
};

int cfg_check_group_interpreter(struct ctx *c, const config_t *cfg, const yaml_node_t *group)
{
    static const char *const keys[] = { "interpreter", "switch_interval" };

    if (cfg->python.gil == GIL_PER_INTERPRETER) return 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        yaml_node_t *at = cfg_map_get(c, (yaml_node_t *)group, keys[i]);
        if (!at) continue;
        return cfg_fail(c, at, "a thread group's '%s' needs a GIL per interpreter: set "
                        "python.gil: per-interpreter (Python 3.12+, PEP 684); with the `%s` "
                        "GIL of this config every thread of a process shares one GIL and "
                        "its switch interval", keys[i], policy_names[cfg->python.gil]);
    }
    return 0;
}

/* Bytecode specialisation (PEP 659, `Python/specialize.c`) came with 3.11:
 * before it there is nothing to warm up, so python.specialize there is a
 * mistake, not a no-op. */
int cfg_check_specialize(struct ctx *c, const config_t *cfg, const yaml_node_t *root)
{
    yaml_node_t *python = cfg_map_get(c, root, "python");
    yaml_node_t *at = python ? cfg_map_get(c, python, "specialize") : NULL;

    if (!at || !cfg->python.specialize || cfg->python.version >= 311) return 0;
    return cfg_fail(c, at, "python.specialize: Python %d.%d has no specialising adaptive "
                    "interpreter (PEP 659 came with 3.11): set python.version to \"3.11\" or "
                    "later, or leave python.specialize out", cfg->python.version / 100,
                    cfg->python.version % 100);
}
