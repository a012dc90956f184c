/* config_units.c — durations ("15ms", "0.75ms"), distributions
 * ("exp(2ms)", "lognormal(6us, 0.45)") and sizes ("16KiB") as written in
 * configs.  Text to numbers only, no YAML: the lowest file of the loader,
 * and the command line's --from/--to use it too.
 *
 * Durations are converted digit by digit into integer nanoseconds: going
 * through a double would turn "1.005ms" into 1004999ns, and the simulator's
 * clock is exact integers throughout.  Every duration is checked here
 * against SIMTIME_MAX_DURATION (simtime.h), so none the model sees can
 * overflow its sums. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config/config_units.h"

#define UNIT_SHOW_MAX 60   /* quote at most this much of a bad value in a message */

static int set_err(char *err, int size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int set_err(char *err, int size, const char *fmt, ...)
{
    if (err && size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, (size_t)size, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Length to print of a quoted value, so one long line can't hide the rest
 * of a message. */
static int shown(size_t n) { return n > UNIT_SHOW_MAX ? UNIT_SHOW_MAX : (int)n; }
static const char *ellipsis(size_t n) { return n > UNIT_SHOW_MAX ? "..." : ""; }

static int is_space(char ch) { return ch == ' ' || ch == '\t'; }
static int is_digit(char ch) { return ch >= '0' && ch <= '9'; }

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_space(**s)) { (*s)++; (*n)--; }
    while (*n > 0 && is_space((*s)[*n - 1])) (*n)--;
}

struct unit { const char *name; int exp10; };

static const struct unit units[] = {
    { "ns", 0 }, { "us", 3 }, { "\xc2\xb5s", 3 } /* µs */, { "ms", 6 }, { "s", 9 },
};

static int unit_exp10(const char *u, size_t n)
{
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].name) == n && memcmp(units[i].name, u, n) == 0)
            return units[i].exp10;
    return -1;
}

/* The digits of a number: [int][.frac], at least one digit in all. */
struct number { const char *ip; size_t in; const char *fp; size_t fn; };

static size_t scan_number(const char *s, size_t n, struct number *num)
{
    size_t i = 0;
    memset(num, 0, sizeof *num);
    num->ip = s;
    while (i < n && is_digit(s[i])) i++;
    num->in = i;
    if (i < n && s[i] == '.') {
        num->fp = s + i + 1;
        i++;
        while (i < n && is_digit(s[i])) { i++; num->fn++; }
    }
    return i;
}

static int mul_add(int64_t *v, int64_t mul, int64_t add)
{
    if (*v > (INT64_MAX - add) / mul) return -1;
    *v = *v * mul + add;
    return 0;
}

static int64_t pow10i(int e)
{
    int64_t p = 1;
    while (e-- > 0) p *= 10;
    return p;
}

/* Digits and unit exponent to nanoseconds; 1 on overflow, 2 if the fraction
 * is finer than 1ns. */
static int to_ns(const struct number *num, int e, int64_t *out)
{
    int64_t v = 0, frac = 0;
    size_t fn = num->fn;
    for (size_t i = 0; i < num->in; i++)
        if (mul_add(&v, 10, num->ip[i] - '0')) return 1;
    if (v > INT64_MAX / pow10i(e)) return 1;
    v *= pow10i(e);
    while (fn > 0 && num->fp[fn - 1] == '0') fn--;   /* "1.50ms" is exact */
    if (fn > (size_t)e) return 2;
    for (size_t i = 0; i < fn; i++)
        frac = frac * 10 + (num->fp[i] - '0');
    frac *= pow10i(e - (int)fn);
    if (v > INT64_MAX - frac) return 1;
    *out = v + frac;
    return 0;
}

#define NEED_UNIT "expected a duration with a unit (ns, us, ms, s), e.g. 15ms"

static int parse_duration_n(const char *s, size_t n, simtime_t *ns,
                            char *err, int size)
{
    struct number num;
    size_t used;
    int e, rc;

    trim(&s, &n);
    if (n == 0)
        return set_err(err, size, NEED_UNIT ", got an empty value");
    if (s[0] == '-' && n > 1 && (is_digit(s[1]) || s[1] == '.'))
        return set_err(err, size, "a duration must not be negative, got '%.*s%s'",
                       shown(n), s, ellipsis(n));
    used = scan_number(s, n, &num);
    if (num.in + num.fn == 0)
        return set_err(err, size, NEED_UNIT ", got '%.*s%s'",
                       shown(n), s, ellipsis(n));
    if (num.fp && num.fn == 0)
        return set_err(err, size, "bad number in '%.*s%s': expected digits after '.'",
                       shown(n), s, ellipsis(n));
    if (used < n && s[used] == ' ') used++;
    if (used == n)
        return set_err(err, size, NEED_UNIT ", got '%.*s%s'",
                       shown(n), s, ellipsis(n));
    e = unit_exp10(s + used, n - used);
    if (e < 0)
        return set_err(err, size, "unknown unit '%.*s%s' in '%.*s%s' (expected ns, us, ms, s)",
                       shown(n - used), s + used, ellipsis(n - used),
                       shown(n), s, ellipsis(n));
    rc = to_ns(&num, e, ns);
    if (rc == 1 || (rc == 0 && *ns > SIMTIME_MAX_DURATION))
        return set_err(err, size, "duration '%.*s%s' is too large (the limit is "
                       SIMTIME_MAX_TEXT ", about 31.7 years)", shown(n), s, ellipsis(n));
    if (rc == 2)
        return set_err(err, size, "duration '%.*s%s' is finer than 1ns",
                       shown(n), s, ellipsis(n));
    return 0;
}

int cfg_parse_duration(const char *s, simtime_t *ns, char *err, int errsize)
{
    if (!s) return set_err(err, errsize, NEED_UNIT ", got nothing");
    return parse_duration_n(s, strlen(s), ns, err, errsize);
}

/* lognormal's shape is a bare number: it lives in log space, where a unit
 * would be meaningless. */
static int parse_sigma(const char *s, size_t n, double *out, char *err, int size)
{
    struct number num;
    char *copy;

    trim(&s, &n);
    if (n > 0 && s[0] == '-')
        return set_err(err, size, "lognormal sigma must not be negative, got '%.*s%s'",
                       shown(n), s, ellipsis(n));
    if (scan_number(s, n, &num) != n || num.in + num.fn == 0 || (num.fp && num.fn == 0))
        return set_err(err, size, "lognormal sigma must be a plain number like 0.45, got '%.*s%s'",
                       shown(n), s, ellipsis(n));
    copy = strndup(s, n);
    if (!copy) return set_err(err, size, "out of memory");
    *out = strtod(copy, NULL);
    free(copy);
    return 0;
}

struct dist_name {
    const char *name;
    enum dist_kind kind;
    int nargs;
    const char *args;
};

static const struct dist_name dists[] = {
    { "exp",       DIST_EXP,       1, "MEAN" },
    { "uniform",   DIST_UNIFORM,   2, "A, B" },
    { "normal",    DIST_NORMAL,    2, "MEAN, SD" },
    { "lognormal", DIST_LOGNORMAL, 2, "MEDIAN, SIGMA" },
};
#define NDISTS ((int)(sizeof dists / sizeof dists[0]))

static const struct dist_name *find_dist(const char *s, size_t n)
{
    for (int i = 0; i < NDISTS; i++)
        if (strlen(dists[i].name) == n && memcmp(dists[i].name, s, n) == 0)
            return &dists[i];
    return NULL;
}

/* Splits "a, b" at commas; returns the argument count, fills at most max. */
static int split_args(const char *s, size_t n, const char **arg, size_t *len, int max)
{
    int count = 0;
    size_t start = 0;
    const char *t = s;
    size_t tn = n;

    trim(&t, &tn);
    if (tn == 0) return 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ',') continue;
        if (count < max) {
            arg[count] = s + start;
            len[count] = i - start;
            trim(&arg[count], &len[count]);
        }
        count++;
        start = i + 1;
    }
    return count;
}

static int parse_args(const struct dist_name *dn, const char **arg, const size_t *len,
                      dist_t *d, char *err, int size)
{
    if (parse_duration_n(arg[0], len[0], &d->a, err, size)) return -1;
    if (dn->nargs < 2) return 0;
    if (dn->kind == DIST_LOGNORMAL)
        return parse_sigma(arg[1], len[1], &d->sigma, err, size);
    if (parse_duration_n(arg[1], len[1], &d->b, err, size)) return -1;
    if (dn->kind == DIST_UNIFORM && d->a > d->b)
        return set_err(err, size, "uniform(A, B) needs A <= B, got uniform(%.*s%s, %.*s%s)",
                       shown(len[0]), arg[0], ellipsis(len[0]),
                       shown(len[1]), arg[1], ellipsis(len[1]));
    return 0;
}

int cfg_parse_dist(const char *s, dist_t *d, char *err, int errsize)
{
    const char *open, *name, *inner, *arg[2];
    size_t n, nn, in, len[2];
    const struct dist_name *dn;
    int nargs;
    dist_t r = { .kind = DIST_CONST };

    if (!s) return set_err(err, errsize, NEED_UNIT ", got nothing");
    n = strlen(s);
    trim(&s, &n);
    open = memchr(s, '(', n);
    if (!open) {
        if (parse_duration_n(s, n, &r.a, err, errsize)) return -1;
        *d = r;
        return 0;
    }
    name = s;
    nn = (size_t)(open - s);
    trim(&name, &nn);
    dn = find_dist(name, nn);
    if (!dn)
        return set_err(err, errsize,
                       "unknown distribution '%.*s%s' (known: exp, uniform, normal, lognormal)",
                       shown(nn), name, ellipsis(nn));
    inner = open + 1;
    in = n - (size_t)(inner - s);
    if (in == 0 || inner[in - 1] != ')')
        return set_err(err, errsize, "missing ')' at the end of %s(...) "
                       "(inside {...} or [...], quote values that contain commas)", dn->name);
    in--;
    if (memchr(inner, '(', in) || memchr(inner, ')', in))
        return set_err(err, errsize, "unexpected parenthesis inside %s(...): "
                       "arguments are durations like 2ms", dn->name);
    nargs = split_args(inner, in, arg, len, 2);
    if (nargs != dn->nargs)
        return set_err(err, errsize, "%s takes %d argument%s (%s), got %d",
                       dn->name, dn->nargs, dn->nargs == 1 ? "" : "s", dn->args, nargs);
    r.kind = dn->kind;
    if (parse_args(dn, arg, len, &r, err, errsize)) return -1;
    *d = r;
    return 0;
}

/* ---- sizes ------------------------------------------------------------- */

#define NEED_BYTES "expected a size with a unit (B, KiB, MiB, GiB), e.g. 16KiB"

static const struct { const char *name; int shift; } byte_units[] = {
    { "B", 0 }, { "KiB", 10 }, { "MiB", 20 }, { "GiB", 30 },
};

/* Exact in integers: the fraction's first 9 digits times 2^shift, rounded
 * half up ("0.8KiB" is 819.2 bytes: 819). */
int cfg_parse_bytes(const char *s, int64_t *bytes, char *err, int size)
{
    struct number num;
    size_t n, used, fn;
    int shift = -1;
    int64_t v = 0;
    uint64_t frac = 0, den = 1;

    if (!s) return set_err(err, size, NEED_BYTES ", got nothing");
    n = strlen(s);
    trim(&s, &n);
    if (n == 0) return set_err(err, size, NEED_BYTES ", got an empty value");
    if (s[0] == '-' && n > 1 && (is_digit(s[1]) || s[1] == '.'))
        return set_err(err, size, "a size must not be negative, got '%.*s%s'", shown(n), s, ellipsis(n));
    used = scan_number(s, n, &num);
    if (num.in + num.fn == 0 || used == n)
        return set_err(err, size, NEED_BYTES ", got '%.*s%s'", shown(n), s, ellipsis(n));
    if (num.fp && num.fn == 0)
        return set_err(err, size, "bad number in '%.*s%s': expected digits after '.'",
                       shown(n), s, ellipsis(n));
    if (s[used] == ' ') used++;
    for (size_t i = 0; i < sizeof byte_units / sizeof byte_units[0]; i++)
        if (strlen(byte_units[i].name) == n - used && memcmp(byte_units[i].name, s + used, n - used) == 0)
            shift = byte_units[i].shift;
    if (shift < 0)
        return set_err(err, size, "unknown unit '%.*s%s' in '%.*s%s' (expected B, KiB, MiB, GiB)",
                       shown(n - used), s + used, ellipsis(n - used), shown(n), s, ellipsis(n));
    for (size_t i = 0; i < num.in; i++)
        if (mul_add(&v, 10, num.ip[i] - '0')) goto too_large;
    if (v > INT64_MAX >> shift) goto too_large;
    v <<= shift;
    fn = num.fn > 9 ? 9 : num.fn;
    for (size_t i = 0; i < fn; i++) {
        frac = frac * 10 + (uint64_t)(num.fp[i] - '0');
        den *= 10;
    }
    frac = ((frac << shift) + den / 2) / den;    /* < 2^60: no overflow */
    if (v > INT64_MAX - (int64_t)frac) goto too_large;
    *bytes = v + (int64_t)frac;
    return 0;
too_large:
    return set_err(err, size, "size '%.*s%s' is too large", shown(n), s, ellipsis(n));
}
