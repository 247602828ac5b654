/* summary.h: the per-type table, meliae's summarize(), number for number. */
#ifndef HW_SUMMARY_H
#define HW_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "util.h"

struct type_row {
    uint32_t type;           /* type id */
    uint64_t count;
    uint64_t size;           /* total bytes */
    uint64_t max_size;
    obj_t max_obj;           /* the first object of max_size, in dump order */
    obj_t cls;               /* summary_split_classes: the class object of a split row;
                              * OBJ_NONE for a type's row (or its instances with no class linked) */
    uint8_t split;           /* the row is part of a name split by class */
};

struct summary {
    struct type_row *rows;   /* one per type with at least one object (summary_split_classes: more) */
    size_t n;
    size_t ntypes;           /* type names with objects: meliae's "types", also when split */
    uint64_t total_count, total_size;
};

enum summary_order {
    SUMMARY_BY_SIZE,         /* (total size, count) descending: meliae's default */
    SUMMARY_BY_COUNT,        /* (count, total size) descending: meliae's by_count() */
    SUMMARY_BY_MAX,          /* (max size, total size) descending */
    SUMMARY_BY_NAME,         /* type name ascending */
};

/* Count every object of h by type; rows sorted SUMMARY_BY_SIZE. Free with summary_free. */
void summary_compute(const struct heap *h, struct summary *s);
void summary_free(struct summary *s);
/* Split the rows of each type name that several class objects share
 * (classes: refs_class_counts) into one row per class with instances
 * (a.Record, b.Record), plus one row for instances whose class the dump does
 * not link; then sort SUMMARY_BY_SIZE.  Totals stay; other rows stay meliae's. */
void summary_split_classes(const struct heap *h, const uint32_t *classes, struct summary *s);
/* A row's Kind: the type name, or a split row's module-qualified class name
 * (refs_class_qualified_name), escaped for a terminal.  Appends to out. */
void summary_row_name(const struct heap *h, const struct type_row *r, struct strbuf *out);
/* Sort the rows; reverse flips the order. Ties fall back to the type name
 * (then, for split rows, the class object's dump order), so output is stable. */
void summary_sort(const struct heap *h, struct summary *s, enum summary_order order, int reverse);

/* meliae's text: the Total line, the header and the first `top` rows
 * (top == 0: all), each line ending in '\n'. */
void summary_format(const struct heap *h, const struct summary *s, size_t top, struct strbuf *out);
/* The header line and one row, without '\n', as meliae prints them; cum is the
 * running total of sizes up to and including this row. Used by the TUI too. */
void summary_format_total(const struct summary *s, struct strbuf *out);
void summary_format_row(const struct heap *h, const struct summary *s, size_t index, const struct type_row *r,
                        uint64_t cum, struct strbuf *out);
/* meliae's truncated percentage: (int)(part * 100.0 / whole), 0 when whole is 0. */
long long summary_percent(uint64_t part, uint64_t whole);

#define SUMMARY_HEADER " Index   Count   %      Size   % Cum     Max Kind"

#endif
