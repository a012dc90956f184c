/* clilib.h — what the suites that drive the gilsim binary share: its
 * path, a private temporary folder for their runs, running it, and
 * reading a file back whole or as CSV.  Include after <cmocka.h> and its
 * prerequisites. */
#ifndef GILSIM_CLILIB_H
#define GILSIM_CLILIB_H

#include <csv.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The binary under test: GILSIM_BIN (the sanitized one in that pass). */
static inline const char *gilsim_bin(void)
{
    const char *b = getenv("GILSIM_BIN");
    return b ? b : "build/gilsim";
}

/* Makes /tmp/gilsim-NAME-XXXXXX into dir; 0 or -1. */
static inline int tmp_make(char *dir, size_t size, const char *name)
{
    if ((size_t)snprintf(dir, size, "/tmp/gilsim-%s-XXXXXX", name) >= size)
        return -1;
    return mkdtemp(dir) ? 0 : -1;
}

/* Removes dir and all below it (rm -rf, started without a shell); 0 or -1. */
static inline int tmp_remove(const char *dir)
{
    pid_t pid = fork();
    if (pid == 0) {
        execlp("rm", "rm", "-rf", dir, (char *)NULL);
        _exit(127);
    }
    int st;
    return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : -1;
}

/* Runs `gilsim ARGS` through the shell, its stdout and stderr going to
 * files in dir; returns the exit status, and each output asked for
 * (malloc'd, at most 64 KiB). */
static inline int gilsim_cmd(const char *dir, const char *args, char **out, char **err)
{
    char cmd[2048], outp[300], errp[300];
    snprintf(outp, sizeof outp, "%s/stdout", dir);
    snprintf(errp, sizeof errp, "%s/stderr", dir);
    int len = snprintf(cmd, sizeof cmd, "%s %s >'%s' 2>'%s'", gilsim_bin(), args, outp, errp);
    assert_true(len > 0 && (size_t)len < sizeof cmd);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    char *paths[2] = {outp, errp};
    char **dst[2] = {out, err};
    for (int i = 0; i < 2; i++) {
        if (!dst[i])
            continue;
        FILE *f = fopen(paths[i], "r");
        assert_non_null(f);
        static char buf[1 << 16];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
        *dst[i] = strdup(buf);
    }
    return WEXITSTATUS(st);
}

/* A file's bytes, NUL-terminated (malloc'd); fails the test if unreadable. */
static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot read %s", path);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc(*len + 1);
    assert_int_equal(fread(b, 1, *len, f), *len);
    b[*len] = '\0';
    fclose(f);
    return b;
}

/* Whether path names anything. */
static inline int path_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* ---- CSV reading with libcsv: a file read back whole, checked to be
 * rectangular; cells by row (0: the header) and column name ---- */

typedef struct table {
    char **cells;       /* row-major */
    int ncols, nrows;   /* nrows includes the header */
    int cap, col, bad;
} table_t;

static inline void cell_cb(void *s, size_t len, void *data)
{
    table_t *t = data;
    if (t->nrows * t->ncols + t->col >= t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->cells = realloc(t->cells, sizeof *t->cells * (size_t)t->cap);
    }
    char *c = malloc(len + 1);
    memcpy(c, s ? s : "", s ? len : 0);
    c[s ? len : 0] = '\0';
    if (t->nrows == 0)
        t->ncols++;
    else if (t->col >= t->ncols)
        t->bad = 1;
    if (!t->bad)
        t->cells[t->nrows * t->ncols + t->col] = c;
    else
        free(c);
    t->col++;
}

static inline void row_cb(int c, void *data)
{
    (void)c;
    table_t *t = data;
    if (t->nrows > 0 && t->col != t->ncols)
        t->bad = 1;
    t->nrows++;
    t->col = 0;
}

static inline table_t read_csv(const char *path)
{
    table_t t = {0};
    struct csv_parser p;
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(csv_init(&p, CSV_STRICT | CSV_APPEND_NULL), 0);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        assert_int_equal(csv_parse(&p, buf, n, cell_cb, row_cb, &t), n);
    csv_fini(&p, cell_cb, row_cb, &t);
    csv_free(&p);
    fclose(f);
    assert_false(t.bad);
    return t;
}

static inline const char *cell(const table_t *t, int row, const char *col)
{
    for (int c = 0; c < t->ncols; c++)
        if (strcmp(t->cells[c], col) == 0)
            return t->cells[row * t->ncols + c];
    fail_msg("no column %s", col);
    return NULL;
}

static inline void table_free(table_t *t)
{
    for (int i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
}

/* a/b, malloc'd. */
static inline char *join(const char *a, const char *b)
{
    char *p = malloc(strlen(a) + strlen(b) + 2);
    assert_non_null(p);
    sprintf(p, "%s/%s", a, b);
    return p;
}

/* DIR/NAME's bytes, NUL-terminated (malloc'd); fails the test if unreadable. */
static inline char *slurp_in(const char *dir, const char *name)
{
    size_t len;
    char *p = join(dir, name), *s = slurp(p, &len);
    free(p);
    return s;
}

/* The names in a folder but . files, sorted, as one string ("a b c");
 * malloc'd. */
static inline char *dir_names(const char *dir)
{
    struct dirent **e;
    int n = scandir(dir, &e, NULL, alphasort);
    assert_true(n >= 0);
    char line[2048] = "";
    for (int i = 0; i < n; i++) {
        if (e[i]->d_name[0] != '.') {
            strncat(line, *line ? " " : "", sizeof line - strlen(line) - 1);
            strncat(line, e[i]->d_name, sizeof line - strlen(line) - 1);
        }
        free(e[i]);
    }
    free(e);
    return strdup(line);
}

/* Whether two files hold the same bytes; fails the test if one is
 * unreadable. */
static inline int same_bytes(const char *a, const char *b)
{
    size_t la, lb;
    char *x = slurp(a, &la), *y = slurp(b, &lb);
    int same = la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

/* Writes text as the whole of the file path. */
static inline void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Writes text as the whole of dir/name; the path, malloc'd. */
static inline char *put_file_in(const char *dir, const char *name, const char *text)
{
    char *p = join(dir, name);
    put_file(p, text);
    return p;
}

#endif
