/* trend.h: per-type counts and sizes over many dumps, and which types grow.
 *
 * Dumps are added one at a time (trend_add): each adds a column, and the heap
 * can be freed before the next one is loaded, so N dumps need the memory of
 * the largest plus a few numbers per type and dump.
 *
 * The score says how steadily a type grows, in bytes:
 *     score = (last size - first size) * |rises - falls| / steps
 * where steps = dumps - 1 and rises (falls) counts the steps in which the
 * type's total size went up (down). A type that grows in every step scores its
 * whole growth; one that goes up and down as much scores near 0; one that
 * shrinks steadily scores its (negative) change. Types are ordered by score, then by growth. */
#ifndef HW_TREND_H
#define HW_TREND_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "util.h"

struct trend_type {
    char *name;              /* owned */
    uint64_t *count, *size;  /* one per dump; 0 where the type is absent */
    int64_t count_change, size_change; /* last - first */
    uint32_t rises, falls;   /* steps in which the size went up / down */
    double score;
};

struct trend_name;

struct trend {
    size_t n_dumps;
    char **labels;           /* per dump: its name (owned) */
    int64_t *times;          /* per dump: seconds since the epoch, or -1 when unknown */
    struct trend_type *types;
    size_t n_types, cap_types;
    struct trend_name *by_name; /* uthash: name -> index in types */
};

void trend_init(struct trend *t);
void trend_free(struct trend *t);
/* Add a dump's per-type counts and sizes as the next column. label is copied;
 * time is the dump's time (seconds since the epoch) or -1. Nothing of h is
 * kept: the caller may free it at once. */
void trend_add(struct trend *t, const struct heap *h, const char *label, int64_t time);
/* After the last trend_add: changes, rises, falls, scores; types sorted by
 * score, then size change, then name. */
void trend_finish(struct trend *t);

/* The row of a type name, or NULL when no dump has that type. */
const struct trend_type *trend_find(const struct trend *t, const char *name);

/* The x axis: 1 when every dump has a time and the times increase strictly in
 * dump order (then x is time), 0 otherwise (x is the dump's position). */
int trend_has_times(const struct trend *t);

/* A --fail-if gate: TYPE:+N (objects) or TYPE:+P% (of the first dump's count). */
struct trend_gate {
    char *type;              /* owned */
    double limit;            /* N, or P for a percentage */
    int percent;
};
/* Parse "TYPE:+N" or "TYPE:+P%" (the last ':' splits; N whole, P may have a
 * fraction): 0, or -1 with err saying what is wrong. */
int trend_gate_parse(const char *spec, struct trend_gate *g, struct hw_error *err);
void trend_gate_free(struct trend_gate *g);
/* Whether the type grew by more than the gate allows between the first and
 * the last dump. *growth gets the count change (objects), *pct the change in
 * percent of the first count (infinite when the first count is 0 and it grew).
 * A type in no dump does not grow. */
int trend_gate_check(const struct trend *t, const struct trend_gate *g, int64_t *growth, double *pct);

/* A self-contained SVG plot of the total size of types[0..top) over the dumps
 * (x: time when trend_has_times, else position). Appends to out. */
void trend_svg(const struct trend *t, size_t top, struct strbuf *out);

#endif
