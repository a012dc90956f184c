/* lg_dec.c — see lg_dec.h.
 *
 * A number is a list of decimal digits (least significant first) and the
 * power of ten of the last one.  The tolerance test
 *     |got - want| <= tolerance              (absolute)
 *     |got - want| * 100 <= percent * |want| (relative)
 * needs only aligning two numbers to the same power of ten (appending
 * zeros), adding, subtracting, multiplying and comparing their digits,
 * all exact.  The bounds on what parses (LG_DEC_SIGNIFICANT digits, a
 * leading exponent within +-LG_DEC_EXPONENT) keep every intermediate
 * result within LG_DEC_DIGITS digits. */
#include <string.h>
#include "lab/lg_dec.h"

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const char *skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* "e-12" at *pp: the exponent, moving *pp past it; 0 when there is none,
 * -1 when malformed or beyond any bound that could parse. */
static int parse_exponent(const char **pp, long *e)
{
    const char *p = *pp;
    *e = 0;
    if (*p != 'e' && *p != 'E')
        return 0;
    int neg = *++p == '-';
    if (*p == '-' || *p == '+')
        p++;
    if (!is_digit(*p))
        return -1;
    for (; is_digit(*p); p++)
        if ((*e = *e * 10 + (*p - '0')) > 100000)
            return -1;
    if (neg)
        *e = -*e;
    *pp = p;
    return 0;
}

/* The mantissa's digits from first to last (a '.' among them skipped):
 * digit i is the i-th digit character. */
static int digit_at(const char *m, const char *end, int i)
{
    for (const char *p = m; p < end; p++)
        if (*p != '.' && i-- == 0)
            return *p - '0';
    return 0;
}

int lg_dec_parse(const char *s, lg_dec_t *out)
{
    memset(out, 0, sizeof *out);
    const char *p = skip_blanks(s);
    int neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    const char *m = p;
    int ndig = 0, point = -1, first = -1, last = -1;
    for (; is_digit(*p) || (*p == '.' && point < 0); p++) {
        if (*p == '.') {
            point = ndig;
            continue;
        }
        if (*p != '0')
            last = ndig, first = first < 0 ? ndig : first;
        ndig++;
    }
    const char *end = p;
    long e;
    if (ndig == 0 || parse_exponent(&p, &e) != 0 || *skip_blanks(p))
        return -1;
    if (first < 0)
        return 0;                /* zero, whatever its sign */
    if (point < 0)
        point = ndig;
    long exp = (long)(point - 1 - last) + e;
    int n = last - first + 1;
    if (n > LG_DEC_SIGNIFICANT || exp + n - 1 > LG_DEC_EXPONENT || exp < -LG_DEC_EXPONENT
        - LG_DEC_SIGNIFICANT)
        return -1;
    out->neg = neg;
    out->exp = (int)exp;
    out->n = n;
    for (int i = 0; i < n; i++)
        out->d[i] = (unsigned char)digit_at(m, end, last - i);
    return 0;
}

int lg_tol_parse(const char *s, lg_tol_t *out)
{
    memset(out, 0, sizeof *out);
    if (strcmp(s, "-") == 0)
        return 0;
    size_t len = strlen(s);
    char num[128];
    int relative = len > 0 && s[len - 1] == '%';
    if (len - (size_t)relative >= sizeof num)
        return -1;
    memcpy(num, s, len - (size_t)relative);
    num[len - (size_t)relative] = '\0';
    if (lg_dec_parse(num, &out->value) != 0 || out->value.neg)
        return -1;
    out->kind = relative ? LG_TOL_RELATIVE : LG_TOL_ABSOLUTE;
    return 0;
}

/* Drops leading zero digits. */
static void trim(lg_dec_t *x)
{
    while (x->n > 0 && x->d[x->n - 1] == 0)
        x->n--;
}

/* |x| with its last digit at 10^exp (exp <= x->exp: zeros appended). */
static void align(const lg_dec_t *x, int exp, lg_dec_t *out)
{
    int shift = x->n ? x->exp - exp : 0;
    out->neg = 0;
    out->exp = exp;
    out->n = x->n ? x->n + shift : 0;
    memset(out->d, 0, (size_t)shift);
    memcpy(out->d + shift, x->d, (size_t)x->n);
}

static int min_exp(const lg_dec_t *a, const lg_dec_t *b)
{
    return a->exp < b->exp ? a->exp : b->exp;
}

/* Compares magnitudes at the same exponent. */
static int mag_cmp(const lg_dec_t *a, const lg_dec_t *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i])
            return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

/* a += b, or a -= b when sub (then |a| >= |b|); same exponent. */
static void mag_add(lg_dec_t *a, const lg_dec_t *b, int sub)
{
    int carry = 0, n = a->n > b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        int v = (i < a->n ? a->d[i] : 0) + (sub ? -carry : carry)
                + (i < b->n ? (sub ? -b->d[i] : b->d[i]) : 0);
        carry = sub ? v < 0 : v > 9;
        a->d[i] = (unsigned char)(sub ? (v + 10) % 10 : v % 10);
    }
    a->n = n;
    if (carry && !sub)
        a->d[a->n++] = 1;
    trim(a);
}

/* out = |a| * |b|. */
static void mag_mul(const lg_dec_t *a, const lg_dec_t *b, lg_dec_t *out)
{
    out->neg = 0;
    out->exp = a->exp + b->exp;
    out->n = a->n + b->n;
    memset(out->d, 0, (size_t)out->n);
    for (int i = 0; i < a->n; i++) {
        int carry = 0;
        for (int j = 0; j < b->n || carry; j++) {
            int v = out->d[i + j] + carry + (j < b->n ? a->d[i] * b->d[j] : 0);
            out->d[i + j] = (unsigned char)(v % 10);
            carry = v / 10;
        }
    }
    trim(out);
}

/* out = |a - b|. */
static void abs_diff(const lg_dec_t *a, const lg_dec_t *b, lg_dec_t *out)
{
    lg_dec_t other;
    int exp = min_exp(a, b);
    align(a, exp, out);
    align(b, exp, &other);
    if (a->neg != b->neg && a->n && b->n) {
        mag_add(out, &other, 0);
    } else if (mag_cmp(out, &other) >= 0) {
        mag_add(out, &other, 1);
    } else {
        mag_add(&other, out, 1);
        memcpy(out, &other, sizeof *out);
    }
}

int lg_dec_cmp(const lg_dec_t *a, const lg_dec_t *b)
{
    lg_dec_t x, y;
    int sa = a->n ? (a->neg ? -1 : 1) : 0, sb = b->n ? (b->neg ? -1 : 1) : 0;
    if (sa != sb)
        return sa < sb ? -1 : 1;
    int exp = min_exp(a, b);
    align(a, exp, &x);
    align(b, exp, &y);
    return sa * mag_cmp(&x, &y);
}

int lg_dec_within(const lg_dec_t *got, const lg_dec_t *want, const lg_tol_t *tol)
{
    lg_dec_t diff, limit, x, y;  /* 4 KiB each */
    abs_diff(got, want, &diff);
    if (tol->kind == LG_TOL_NONE)
        return diff.n == 0;
    if (tol->kind == LG_TOL_ABSOLUTE) {
        memcpy(&limit, &tol->value, sizeof limit);
    } else {
        mag_mul(&tol->value, want, &limit);
        diff.exp += 2;           /* |got - want| * 100 against percent * |want| */
    }
    int exp = min_exp(&diff, &limit);
    align(&diff, exp, &x);
    align(&limit, exp, &y);
    return mag_cmp(&x, &y) <= 0;
}
