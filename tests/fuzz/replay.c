/* replay.c — runs a fuzz harness over files, without libFuzzer: `make test`
 * replays the seed corpus and every fixture of a past finding this way, in
 * the normal and the sanitizer builds.  Arguments are files or folders (a
 * folder's files, not recursively, skipping dot files); prints "N inputs" and exits 0, or
 * stops at the first input whose harness aborts. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return -1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *b = realloc(buf, cap *= 2);
            if (!b)
                free(buf);
            buf = b;
        }
    }
    fclose(f);
    if (!buf)
        return -1;
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

static int replay_dir(const char *dir, long *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;            /* ".", "..", and the .keep of an empty folder */
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        struct stat st;
        if (!p)
            rc = -1;
        else {
            snprintf(p, n, "%s/%s", dir, e->d_name);
            if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
                rc = replay_file(p);
                ++*count;
            }
        }
        free(p);
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    long count = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: no such file or folder: %s\n", argv[i]);
            return 1;
        }
        int rc = S_ISDIR(st.st_mode) ? replay_dir(argv[i], &count)
                                     : (count++, replay_file(argv[i]));
        if (rc != 0)
            return 1;
    }
    printf("%ld inputs\n", count);
    return 0;
}
