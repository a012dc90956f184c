/* fuzz_sweep.c — a sweep table read back from a stranger: what --resume
 * reads in sweep-partial.csv, --collect in each point's file, and the
 * parent in each worker's row (sweep_table.h).
 *
 * Input: the table's bytes, read against a sweep of two keys,
 * machine.cores (1, 2) and python.switch_interval (1ms, 5ms), and two
 * seeds: eight runs.  Whatever the bytes, each row handed over is a run
 * of the sweep with its leading bytes inside the input and its named
 * columns of a known kind, or the table is refused with one line: no
 * crash, no hang, no sanitizer report. */
#define _GNU_SOURCE              /* memmem */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "columns.h"
#include "cli/sweep_table.h"

#define FUZZ_INPUT_MAX (256 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *value(const void *ctx, long run, int axis)
{
    static const char *const values[2][2] = {{"1", "2"}, {"1ms", "5ms"}};
    (void)ctx;
    return values[axis][axis == 0 ? (run - 1) / 4 : (run - 1) / 2 % 2];
}

typedef struct seen {
    const uint8_t *data;
    size_t size;
} seen_t;

static int check_row(sweep_row_t *row, void *ctx)
{
    const seen_t *in = ctx;
    if (row->run < 1 || row->run > 8 || row->nlead > in->size || row->nnamed < 0)
        abort();
    if (!memmem(in->data, in->size, row->lead, row->nlead))
        abort();                 /* the leading bytes are the input's own */
    for (int i = 0; i < row->nnamed; i++)
        if (!row->named[i].name || row->named[i].row < COL_SUMMARY_MARKS
            || row->named[i].row > COL_SUMMARY_CV)
            abort();
    sweep_row_free(row);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_INPUT_MAX)
        return 0;
    char *const keys[] = {"machine.cores", "python.switch_interval"};
    sweep_shape_t shape = {keys, 2, 8, value, NULL};
    seen_t in = {data, size};
    char err[512];
    int rc = sweep_table_parse((const char *)data, size, &shape, check_row, &in, err, sizeof err);
    if (rc < 0 && (!*err || memchr(err, '\n', strlen(err))))
        abort();                 /* a refusal is one line */
    return 0;
}
