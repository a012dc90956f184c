/* help_reference.c — see help_reference.h.  Nothing here knows a key: the
 * rows are cfg_key_reference's, which reads the loader's tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/help_reference.h"
#include "config.h"
#include "engine/util.h"

#define TEXT_INDENT 6
#define TEXT_WIDTH 79

/* text from column TEXT_INDENT, broken at spaces before TEXT_WIDTH. */
static void text_wrap(FILE *f, const char *text)
{
    const char *s = text;
    while (*s) {
        size_t room = TEXT_WIDTH - TEXT_INDENT, len = strlen(s), cut = len;
        if (len > room) {
            cut = room;
            while (cut > 0 && s[cut] != ' ')
                cut--;
            if (cut == 0)                      /* one word longer than the line */
                cut = strcspn(s, " ");
        }
        fprintf(f, "%*s%.*s\n", TEXT_INDENT, "", (int)cut, s);
        s += cut;
        while (*s == ' ')
            s++;
    }
}

/* "duration > 0; default 6ms; in ns, us, ms, s" */
static char *summary_line(const cfg_key_ref_t *r)
{
    const char *dflt = r->required ? "required" : r->dflt;
    return text_printf("%s; %s%s%s%s", r->type, r->required ? "" : "default ", dflt,
                       *r->unit ? "; in " : "", r->unit);
}

static void reference_row(help_out_t *h, const cfg_key_ref_t *r)
{
    if (h->markdown) {
        const char *cells[] = {r->key, r->type, r->required ? "required" : r->dflt, r->unit,
                               r->meaning, r->source};
        table_row_cells(h, cells);
        return;
    }
    char *line = summary_line(r);
    char *source = text_printf("Source: %s", r->source);
    if (h->roff) {
        const char *cells[] = {r->key, line ? line : r->type, r->meaning,
                               source ? source : r->source};
        table_row_cells(h, cells);
    } else {
        fprintf(h->f, "\n  %s\n", r->key);
        text_wrap(h->f, line ? line : r->type);
        text_wrap(h->f, r->meaning);
        text_wrap(h->f, source ? source : r->source);
    }
    free(line);
    free(source);
}

void help_reference(help_out_t *h)
{
    cfg_key_ref_t r;
    const char *title = "Config keys (`processes[]`: each entry of the list)";
    if (h->markdown)
        table_begin(h, title, 0, 6, "key", "type", "default", "unit", "meaning", "source");
    else if (h->roff)
        table_begin(h, title, 0, 4, "key", "", "", "");
    else
        table_begin(h, title, 0, 1, "key");
    for (int i = 0, rc; (rc = cfg_key_reference(i, &r)) != -1; i++) {
        if (rc == -2) {                        /* a bug the unit tests catch */
            r.meaning = "(not documented)";
            r.source = r.unit = "";
        }
        reference_row(h, &r);
    }
}
