/* config_errors.c — how the loader reports a problem: one line that says
 * where ("file:line:col", or the --set) and what, with "did you mean"
 * suggestions and lists of the names allowed.  Below every other file of
 * the loader (each reports through it), and needing nothing of theirs.
 *
 * The first problem found is the only one reported: every check returns
 * -1 at once, its message in c->err. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config/config_errors.h"

/* ---- errors ------------------------------------------------------------ */

/* An error is one line, whatever the file name, a --set or a quoted value
 * holds: control characters become escapes (\n, \x01), and a message cut
 * at CFG_ERR_MAX is cut before a UTF-8 character, not inside it. */
static void one_line(char *err)
{
    char in[CFG_ERR_MAX];
    size_t o = 0;
    memcpy(in, err, CFG_ERR_MAX);
    in[CFG_ERR_MAX - 1] = '\0';
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        char esc[8] = {(char)*p, '\0'};
        if (*p == '\n' || *p == '\t' || *p == '\r')
            snprintf(esc, sizeof esc, "\\%c", *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r');
        else if (*p < 0x20 || *p == 0x7f)
            snprintf(esc, sizeof esc, "\\x%02x", *p);
        size_t k = strlen(esc);
        if (o + k >= CFG_ERR_MAX)
            break;
        memcpy(err + o, esc, k);
        o += k;
    }
    size_t cut = o;              /* drop a multi-byte character left incomplete */
    while (cut > 0 && ((unsigned char)err[cut - 1] & 0xC0) == 0x80)
        cut--;
    if (cut > 0 && (unsigned char)err[cut - 1] >= 0xC0) {
        unsigned char lead = (unsigned char)err[cut - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (o - (cut - 1) < need)
            o = cut - 1;
    }
    err[o] = '\0';
}

/* How much of a file name or --set an error quotes: room is left for the
 * reason, which a path near PATH_MAX would otherwise push out of err. */
#define WHERE_SHOWN 300

/* The last WHERE_SHOWN bytes of a long file name ("..." and a tail that
 * starts on a character), else the name: a path's end says the most. */
static const char *tail(const char *s, const char **dots)
{
    size_t n = strlen(s);
    *dots = "";
    if (n <= WHERE_SHOWN)
        return s;
    s += n - WHERE_SHOWN;
    while (((unsigned char)*s & 0xC0) == 0x80)
        s++;
    *dots = "...";
    return s;
}

/* How many bytes of s to show from its start: at most WHERE_SHOWN, ending
 * before a character, not inside one. */
static int head_len(const char *s)
{
    size_t n = strlen(s);
    if (n <= WHERE_SHOWN)
        return (int)n;
    n = WHERE_SHOWN;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

static int vfail_at(struct ctx *c, yaml_mark_t m, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static int vfail_at(struct ctx *c, yaml_mark_t m, const char *fmt, va_list ap)
{
    int n;

    const char *dots, *where = tail(c->file, &dots);
    if (m.index == SET_MARK)     /* its key comes first: the head says the most */
        n = snprintf(c->err, CFG_ERR_MAX, "--set '%.*s%s': ", head_len(c->sets[m.line]),
                     c->sets[m.line], strlen(c->sets[m.line]) > WHERE_SHOWN ? "..." : "");
    else
        n = snprintf(c->err, CFG_ERR_MAX, "%s%s:%zu:%zu: ", dots, where, m.line + 1,
                     m.column + 1);
    if (n >= 0 && n < CFG_ERR_MAX)
        vsnprintf(c->err + n, (size_t)(CFG_ERR_MAX - n), fmt, ap);
    one_line(c->err);
    return -1;
}

int cfg_fail_at(struct ctx *c, yaml_mark_t m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail_at(c, m, fmt, ap);
    va_end(ap);
    return -1;
}

int cfg_fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail_at(c, n->start_mark, fmt, ap);
    va_end(ap);
    return -1;
}

/* Errors that belong to the file as a whole (it can't be read at all). */
int cfg_fail_file(struct ctx *c, const char *what)
{
    const char *dots, *where = tail(c->file, &dots);
    snprintf(c->err, CFG_ERR_MAX, "%s%s: %s", dots, where, what);
    one_line(c->err);
    return -1;
}

const char *cfg_where(const yaml_node_t *n, char *buf, size_t size)
{
    if (n->start_mark.index == SET_MARK)
        snprintf(buf, size, "a --set");
    else
        snprintf(buf, size, "%zu:%zu", n->start_mark.line + 1, n->start_mark.column + 1);
    return buf;
}

/* ---- suggestions ------------------------------------------------------- */

/* Optimal string alignment distance: a swapped pair of letters ("corse")
 * counts as one typo, not two. */
static int typo_distance(const char *a, const char *b)
{
    enum { M = 64 };
    int rows[3][M + 1], *pp = rows[0], *p = rows[1], *cur = rows[2];
    size_t n = strlen(a), m = strlen(b);

    if (m > M || n > m + M) return INT_MAX;
    for (size_t j = 0; j <= m; j++) p[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int best = p[j - 1] + (a[i - 1] != b[j - 1]);
            if (p[j] + 1 < best) best = p[j] + 1;
            if (cur[j - 1] + 1 < best) best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < best)
                best = pp[j - 2] + 1;
            cur[j] = best;
        }
        int *t = pp; pp = p; p = cur; cur = t;
    }
    return p[m];
}

void cfg_suggest(const char *word, const char *const *names, int n, const char *label,
                 char *buf, size_t size)
{
    int best = -1, bestd = INT_MAX;
    size_t used;

    for (int i = 0; i < n; i++) {
        int d = typo_distance(word, names[i]);
        if (d < bestd) { bestd = d; best = i; }
    }
    if (best >= 0 && (size_t)bestd < strlen(names[best]) &&
        (bestd <= 2 || (size_t)bestd * 3 <= strlen(word))) {
        snprintf(buf, size, "(did you mean '%s'?)", names[best]);
        return;
    }
    used = (size_t)snprintf(buf, size, "(%s: ", label);
    for (int i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", names[i]);
    if (used < size) snprintf(buf + used, size - used, ")");
}

int cfg_unknown_key(struct ctx *c, const yaml_node_t *k, const char *where,
                    const char *const *names, int n, const char *label)
{
    char hint[HINT_MAX];

    cfg_suggest(cfg_text(k), names, n, label, hint, sizeof hint);
    /* {io: uniform(1ms, 2ms)}: YAML split the value at its comma */
    if (strchr(cfg_text(k), ')') && !strchr(cfg_text(k), '('))
        snprintf(hint, sizeof hint, "(a comma inside {...} or [...] splits a value: "
                 "quote it, e.g. {io: \"uniform(1ms, 2ms)\"})");
    return cfg_fail(c, k, "unknown key '%.*s%s' %s %s", SHOW_MAX, cfg_text(k),
                    k->data.scalar.length > SHOW_MAX ? "..." : "", where, hint);
}

/* ---- words for messages ------------------------------------------------ */

const char *cfg_article(const char *word)
{
    return word[0] && strchr("aeiou", word[0]) ? "an" : "a";
}

const char *cfg_list(char *buf, size_t size, const char *item, const char *last,
                     const char *const *names, int n)
{
    size_t used = 0;

    buf[0] = '\0';
    for (int i = 0; i < n && used < size; i++) {
        used += (size_t)snprintf(buf + used, size - used, "%s",
                                 i == 0 ? "" : i == n - 1 ? last : ", ");
        if (used < size) used += (size_t)snprintf(buf + used, size - used, item, names[i]);
    }
    return buf;
}
