/* keymap.c — see keymap.h.  FNV-1a over both strings, with a separator
 * byte between them so that ("a/b", "c") and ("a", "b/c") differ. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "out/keymap.h"

typedef struct entry {
    char *key;                   /* a then b, back to back (alen tells where b starts) */
    size_t alen, blen;
    unsigned hash;
    int value;                   /* -1: empty */
} entry_t;

struct keymap {
    entry_t *e;
    size_t cap, n;               /* cap: a power of two */
};

static unsigned hash_of(const char *a, size_t alen, const char *b, size_t blen)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < alen; i++)
        h = (h ^ (unsigned char)a[i]) * 16777619u;
    h = (h ^ 0x100u) * 16777619u;
    for (size_t i = 0; i < blen; i++)
        h = (h ^ (unsigned char)b[i]) * 16777619u;
    return h;
}

keymap_t *keymap_new(void)
{
    keymap_t *m = calloc(1, sizeof *m);
    if (m && !(m->e = calloc(16, sizeof *m->e))) {
        free(m);
        return NULL;
    }
    if (m) {
        m->cap = 16;
        for (size_t i = 0; i < m->cap; i++)
            m->e[i].value = -1;
    }
    return m;
}

void keymap_free(keymap_t *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        if (m->e[i].value >= 0)
            free(m->e[i].key);
    free(m->e);
    free(m);
}

static int same(const entry_t *e, unsigned h, const char *a, size_t alen, const char *b,
                size_t blen)
{
    return e->hash == h && e->alen == alen && e->blen == blen &&
           memcmp(e->key, a, alen) == 0 && memcmp(e->key + alen, b, blen) == 0;
}

static size_t slot_of(const keymap_t *m, unsigned h, const char *a, size_t alen,
                      const char *b, size_t blen)
{
    size_t i = h & (m->cap - 1);
    while (m->e[i].value >= 0 && !same(&m->e[i], h, a, alen, b, blen))
        i = (i + 1) & (m->cap - 1);
    return i;
}

int keymap_get(const keymap_t *m, const char *a, size_t alen, const char *b, size_t blen)
{
    return m->e[slot_of(m, hash_of(a, alen, b, blen), a, alen, b, blen)].value;
}

static int grow(keymap_t *m)
{
    size_t cap = 2 * m->cap;
    entry_t *e = calloc(cap, sizeof *e), *old = m->e;
    if (!e)
        return -1;
    for (size_t i = 0; i < cap; i++)
        e[i].value = -1;
    size_t oldcap = m->cap;
    m->e = e;
    m->cap = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].value >= 0) {
            size_t j = old[i].hash & (cap - 1);
            while (e[j].value >= 0)
                j = (j + 1) & (cap - 1);
            e[j] = old[i];
        }
    free(old);
    return 0;
}

int keymap_put(keymap_t *m, const char *a, size_t alen, const char *b, size_t blen, int value)
{
    if (2 * (m->n + 1) > m->cap && grow(m) != 0)
        return -1;
    unsigned h = hash_of(a, alen, b, blen);
    entry_t *e = &m->e[slot_of(m, h, a, alen, b, blen)];
    if (e->value < 0) {
        if (!(e->key = malloc(alen + blen + 1)))
            return -1;
        memcpy(e->key, a, alen);
        memcpy(e->key + alen, b, blen);
        e->alen = alen;
        e->blen = blen;
        e->hash = h;
        m->n++;
    }
    e->value = value;
    return 0;
}
