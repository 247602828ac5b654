/* waste_text.h: `heapwalk waste`'s text report as lines, each saying which
 * figure of the report it shows, so that the batch command prints them and
 * the explorer's Waste screen lists them (and knows what Enter on a line
 * opens) from one writer: the two cannot show different numbers.
 *
 * Every dump string in a line is escaped (report.h), so a line is safe to
 * print or draw as it is. */
#ifndef HW_WASTE_TEXT_H
#define HW_WASTE_TEXT_H

#include <stddef.h>

#include "heap.h"
#include "waste.h"

enum waste_line_kind {
    WASTE_LINE_TEXT,         /* a title, a column header or a blank line */
    WASTE_LINE_STRINGS,      /* w->strings[index]: the totals of a string type */
    WASTE_LINE_DUP,          /* w->dups[index]: a duplicated value */
    WASTE_LINE_CONTAINER,    /* w->containers[index]: a container type */
    WASTE_LINE_OVER,         /* w->over[index]: an over-allocated object */
    WASTE_LINE_CLASS,        /* w->classes[index]: a class whose instances have a __dict__ */
};

struct waste_line {
    enum waste_line_kind kind;
    size_t index;
    char *text;              /* owned, without a line end */
};

struct waste_lines {
    struct waste_line *list;
    size_t n, cap;
};

/* The report of w (computed on h) after its first line: the duplicate
 * values, the containers, the over-allocated objects, the classes (at most
 * top of them; 0: all).  Free with waste_lines_free. */
void waste_text(const struct heap *h, const struct waste *w, size_t top, struct waste_lines *out);
void waste_lines_free(struct waste_lines *l);

#endif
