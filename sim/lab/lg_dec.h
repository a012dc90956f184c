/* lg_dec.h — numbers as exact decimals, for grading: an answer is within
 * its tolerance or not by decimal arithmetic on the texts written in
 * key.csv and subs.csv, never by binary floating point, so an answer
 * exactly at the tolerance ("1.05" against "1" with 5%) is always within. */
#ifndef GILSIM_LG_DEC_H
#define GILSIM_LG_DEC_H

#define LG_DEC_SIGNIFICANT 100   /* significant digits an answer may have */
#define LG_DEC_EXPONENT 400      /* |exponent| of its leading digit, at most */
#define LG_DEC_DIGITS 4096       /* room for two numbers aligned and multiplied */

/* digits × 10^exp; d[0] is the least significant digit, n 0 for zero. */
typedef struct lg_dec {
    int neg;
    int exp;
    int n;
    unsigned char d[LG_DEC_DIGITS];
} lg_dec_t;

/* A tolerance as key.csv writes it: "5%" (relative), "0.01" (absolute) or
 * "-" (none: choices, designs without an objective). */
enum lg_tol_kind { LG_TOL_NONE, LG_TOL_ABSOLUTE, LG_TOL_RELATIVE };
typedef struct lg_tol {
    enum lg_tol_kind kind;
    lg_dec_t value;              /* the amount; for a relative one, in percent */
} lg_tol_t;

/* Parses a decimal number ("12", "-0.5", "1.5e-3", ".25", with spaces
 * around): 0, or -1 when s is anything else (including nan, inf, a unit
 * after the number, or more digits or a larger exponent than above). */
int lg_dec_parse(const char *s, lg_dec_t *out);
/* Parses key.csv's tolerance: 0, or -1. */
int lg_tol_parse(const char *s, lg_tol_t *out);
/* -1, 0 or 1 as a < b, a == b, a > b. */
int lg_dec_cmp(const lg_dec_t *a, const lg_dec_t *b);
/* |got - want| <= the tolerance (absolute), or <= percent/100 * |want|
 * (relative), computed exactly; no tolerance: got == want. */
int lg_dec_within(const lg_dec_t *got, const lg_dec_t *want, const lg_tol_t *tol);

#endif
