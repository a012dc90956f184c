/* help_format.c — see help_format.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/help_format.h"
#include "engine/util.h"

/* A Markdown cell: a '|' in the text would end it. */
void md_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', f);
        fputc(*s, f);
    }
}

/* A UTF-8 character as roff's \[uXXXX], which needs no input encoding;
 * returns its length in bytes (a broken one: its first byte, as '?') and
 * sets *width to the bytes written. */
static int roff_char(FILE *f, const char *s, int *width)
{
    const unsigned char *p = (const unsigned char *)s;
    int len = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
    unsigned cp = p[0] & (0x7f >> len);
    for (int i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            fputc('?', f);
            *width = 1;
            return 1;
        }
        cp = cp << 6 | (p[i] & 0x3f);
    }
    *width = fprintf(f, "\\[u%04X]", cp);
    return len;
}

/* What the word at s (up to a space or a line's end) takes in roff source:
 * escapes count at their written length. */
static int roff_word_width(const char *s)
{
    int w = 0;
    for (; *s && *s != ' ' && *s != '\n'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0xc0)
            w += c >= 0xf0 ? 9 : 8;
        else if (c == '\\')
            w += 2;
        else if (c != '`' && (c & 0xc0) != 0x80)
            w++;
    }
    return w;
}

/* Roff text: a backslash is \e, and a line may not start with a control
 * character ('.' or '\''), which \& in front of it keeps as text; the
 * Markdown's code quotes (`) are left out.  With col (the output line's
 * length so far, kept up to date), a space ends the line where the next
 * word would pass column 76, as man pages keep their source lines short
 * (fill mode joins them again). */
void roff_put(FILE *f, const char *s, int line_start, int *col)
{
    for (; *s; s++) {
        int width = 1;
        if (*s == '`')
            continue;
        if (col && *s == ' ' && *col + 1 + roff_word_width(s + 1) > 76) {
            fputc('\n', f);
            *col = 0;
            line_start = 1;
            continue;
        }
        if (line_start && (*s == '.' || *s == '\'')) {
            fputs("\\&", f);
            width += 2;
        }
        if (*s == '\\') {
            fputs("\\e", f);
            width++;
        } else if ((unsigned char)*s >= 0xc0)
            s += roff_char(f, s, &width) - 1;
        else
            fputc(*s, f);
        line_start = *s == '\n';
        if (col)
            *col = line_start ? 0 : *col + width;
    }
}

void roff_text(FILE *f, const char *s, int line_start)
{
    roff_put(f, s, line_start, NULL);
}

/* A paragraph's text, from a line's start, in lines of about 72. */
void roff_fill(FILE *f, const char *s)
{
    int col = 0;
    roff_put(f, s, 1, &col);
}

/* heading: a Markdown heading (### ...) rather than a caption line. */
void table_begin(help_out_t *h, const char *title, int heading, int ncols, ...)
{
    va_list ap;
    va_start(ap, ncols);
    h->ncols = ncols;
    for (int i = 0; i < ncols; i++)
        h->heads[i] = va_arg(ap, const char *);
    va_end(ap);
    if (h->roff) {
        fputs(".SS ", h->f);
        roff_text(h->f, title, 0);
        fputc('\n', h->f);
        h->tables++;
        return;
    }
    if (h->tables++)
        fputc('\n', h->f);
    if (!h->markdown) {
        fprintf(h->f, "%s\n", title);
        return;
    }
    fprintf(h->f, heading ? "### %s\n\n" : "%s:\n\n", title);
    for (int i = 0; i < ncols; i++)
        fprintf(h->f, "| %s ", h->heads[i]);
    fputs("|\n", h->f);
    for (int i = 0; i < ncols; i++)
        fputs("|---", h->f);
    fputs("|\n", h->f);
}

/* The first cell is a name: code in Markdown. */
static void md_row(help_out_t *h, const char *const *cells)
{
    for (int i = 0; i < h->ncols; i++) {
        const char *c = cells[i] ? cells[i] : "";
        fputs(i ? " | " : "| ", h->f);
        int code = i == 0 && *c && !h->words;
        if (code)
            fputc('`', h->f);
        md_text(h->f, c);
        if (code)
            fputc('`', h->f);
    }
    fputs(" |\n", h->f);
}

/* Text: the name, the second column beside it, the others below as
 * "head: value" when they say something. */
static void text_row(help_out_t *h, const char *const *cells)
{
    int n = fprintf(h->f, "  %s", cells[0]);
    if (h->ncols > 1 && cells[1] && *cells[1])
        fprintf(h->f, "%*s%s", n < NAME_WIDTH ? NAME_WIDTH - n : 2, "", cells[1]);
    fputc('\n', h->f);
    for (int i = 2; i < h->ncols; i++)
        if (cells[i] && *cells[i])
            fprintf(h->f, "%*s%s: %s\n", NAME_WIDTH, "", h->heads[i], cells[i]);
}

/* Roff: a tagged paragraph, the name as its tag; the other columns as
 * text beneath, "head: value" past the second (when the head is not ""). */
static void roff_row(help_out_t *h, const char *const *cells)
{
    fputs(".TP\n", h->f);
    fputs(h->words ? "" : ".B ", h->f);
    roff_text(h->f, cells[0], h->words);
    fputc('\n', h->f);
    for (int i = 1; i < h->ncols; i++) {
        if (!cells[i] || !*cells[i])
            continue;
        if (i > 1) {
            char *both = *h->heads[i] ? text_printf("%s: %s", h->heads[i], cells[i]) : NULL;
            fputs(".br\n", h->f);
            roff_fill(h->f, both ? both : cells[i]);
            free(both);
        } else
            roff_fill(h->f, cells[i]);
        fputc('\n', h->f);
    }
}

void table_row(help_out_t *h, const char *a, const char *b, const char *c)
{
    const char *cells[HELP_COLS] = {a, b, c};
    table_row_cells(h, cells);
}

void table_row_cells(help_out_t *h, const char *const *cells)
{
    if (h->roff)
        roff_row(h, cells);
    else if (h->markdown)
        md_row(h, cells);
    else
        text_row(h, cells);
}
