/* fuzzfolder.h — what the harnesses that fuzz a run folder share: a
 * private folder written from one input, split into files at NUL bytes. */
#ifndef GILSIM_FUZZFOLDER_H
#define GILSIM_FUZZFOLDER_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Removes the folder dir and the files in it (at exit: replays run in
 * `make test`). */
static inline void fuzz_folder_remove(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* DIR/NAME holds the n bytes at p; with p NULL, there is no such file.
 * 0, or -1. */
static inline int fuzz_folder_write(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!p) {
        unlink(path);
        return 0;
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int bad = fwrite(p, 1, n, f) != n;
    return fclose(f) != 0 || bad ? -1 : 0;
}

/* The next part of the input, up to a NUL or the end; NULL if none. */
static inline const uint8_t *fuzz_part(const uint8_t **p, const uint8_t *end, size_t *n)
{
    if (!*p)
        return NULL;
    const uint8_t *start = *p, *nul = memchr(start, '\0', (size_t)(end - start));
    *n = (size_t)((nul ? nul : end) - start);
    *p = nul ? nul + 1 : NULL;
    return start;
}

#endif
