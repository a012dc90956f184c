/* keymap.h — names to numbers for the plot readers: a key is a pair of
 * byte strings (a process and a thread, say), copied in, so a name
 * holding any byte, a '/' included, is its own key.  Open addressing,
 * grown at half full. */
#ifndef GILSIM_KEYMAP_H
#define GILSIM_KEYMAP_H

#include <stddef.h>

typedef struct keymap keymap_t;

keymap_t *keymap_new(void);
void      keymap_free(keymap_t *m);
/* The value of (a, b), or -1. */
int       keymap_get(const keymap_t *m, const char *a, size_t alen, const char *b, size_t blen);
/* Sets (a, b) to value (>= 0), adding the key if new; 0, or -1 when out of
 * memory. */
int       keymap_put(keymap_t *m, const char *a, size_t alen, const char *b, size_t blen,
                     int value);

#endif
