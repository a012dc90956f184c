/* test_decimal.c — numbers in the CSV files are plain decimals: the
 * readers of a run folder and gnuplot take nothing else, and a Jain index
 * of 1/n at a million threads is where %g would write an exponent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "engine/util.h"
#include "out/csvw.h"

static void expect(double v, const char *want)
{
    char buf[48];
    int n = text_decimal6(buf, sizeof buf, v);
    assert_string_equal(buf, want);
    assert_int_equal(n, (int)strlen(want));
}

/* Six significant digits as %g gives them, but never an exponent. */
static void test_six_digits_without_exponent(void **state)
{
    (void)state;
    expect(1e-06, "0.000001");                   /* 1 / 1,000,000 threads */
    expect(1.0 / 65536, "0.0000152588");
    expect(-2.5e-05, "-0.000025");
    expect(1e-13, "0.0000000000001");
    expect(0, "0");
    expect(1e-300, "0");
    expect(NAN, "nan");                          /* %g's own, no log10 of it */
    expect(0.5, "0.5");
    expect(0.999999, "0.999999");
    expect(123.456789, "123.457");
    expect(0.0001, "0.0001");
    expect(9.9999995e-05, "0.0001");             /* rounding carries a digit */
}

/* csvw writes a double so, too. */
static void test_csv_writer_writes_them(void **state)
{
    (void)state;
    csvw_t w;
    assert_int_equal(csvw_open_memory(&w), 0);
    csvw_f64(&w, 1e-06);
    csvw_f64(&w, 0.25);
    csvw_end(&w);
    size_t len;
    const char *text = csvw_memory(&w, &len);
    assert_int_equal(len, strlen("0.000001,0.25\n"));
    assert_memory_equal(text, "0.000001,0.25\n", len);
    assert_int_equal(csvw_close(&w), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_six_digits_without_exponent),
        cmocka_unit_test(test_csv_writer_writes_them),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
