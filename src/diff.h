/* diff.h: what changed between two dumps of one process.
 *
 * CPython objects never move, so an object present in both dumps keeps its
 * address: objects are matched on (address, type name). A freed address that
 * was reused by a new object of the same type fools the match (it counts as
 * "in both"); one reused by another type counts as gone + new.
 *
 * Per type: count and size in each dump and the deltas. Objects only in the
 * new dump are "new", only in the old one "gone". The new objects are grouped
 * by who holds them: the nearest object on their shortest path from a root
 * that is not itself new, so "45,000 new Record held by 1 list" is one row.
 * With a third dump, the objects new between the first two that are still
 * alive in the third are the ones that really leak. */
#ifndef HW_DIFF_H
#define HW_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "paths.h"

struct diff_type {
    const char *name;        /* owned by one of the heaps */
    uint64_t old_count, old_size;
    uint64_t new_count, new_size;
    uint64_t added, added_size;   /* new objects of this type (and their bytes) */
    uint64_t gone;
};

struct diff_holder {
    uint32_t type;           /* the new objects' type id (in the new heap) */
    uint32_t holder_type;    /* the holders' type id (in the new heap); UINT32_MAX: a root */
    uint64_t objects, bytes; /* new objects and their sizes */
    uint64_t holders;        /* distinct holding objects */
    obj_t example;           /* one holder (OBJ_NONE for roots) */
};

/* New objects of one type held by one object: the holders screen's rows. */
struct diff_held {
    obj_t holder;            /* the holding object; OBJ_NONE: roots hold them directly */
    uint32_t type;           /* the new objects' type id (in the new heap) */
    uint64_t objects, bytes; /* new objects of that type it holds, and their sizes */
    uint64_t holder_objects, holder_bytes; /* what the holder holds, every type together */
};

struct diff {
    struct diff_type *types; /* every type of either dump */
    size_t n_types;
    uint8_t *is_new;         /* per object of the new heap: 1 = not in the old dump */
    uint8_t *is_gone;        /* per object of the old heap: 1 = not in the new dump */
    uint8_t *survives;       /* per object of the new heap (NULL without a third dump):
                                1 = new and still alive in the third */
    uint64_t n_new, new_bytes, n_gone, gone_bytes, n_both;
    uint64_t n_survivors, survivor_bytes;
    struct diff_holder *holders; /* sorted by bytes, largest first */
    size_t n_holders;
    struct diff_held *held;  /* by holder object: the holders of the most new bytes
                                first, each one's types largest first */
    size_t n_held;
};

enum diff_order { DIFF_BY_SIZE, DIFF_BY_COUNT };

/* Compare old and new (and newer, may be NULL). p holds the new heap's
 * shortest paths (paths_compute), for the holders; NULL: no holders (yet). */
void diff_compute(const struct heap *old, const struct heap *new_heap, const struct heap *newer,
                  const struct paths *p, struct diff *d);
/* The holders of d's new objects (d computed without paths) from p, the new
 * heap's shortest paths: fills d->holders, d->n_holders, d->held and
 * d->n_held only, so another thread may read the rest of d meanwhile. */
void diff_find_holders(const struct heap *new_heap, const struct paths *p, struct diff *d);
/* Sort the types by absolute delta size (or delta count), largest first.
 * Safe on several threads at once (no shared state). */
void diff_sort(struct diff *d, enum diff_order order);
void diff_free(struct diff *d);
/* A holder as the holders screen names it: its type and value or name,
 * then what holds it on its shortest path from a root (p; NULL: not said),
 * with the attribute or key when the dump names it: "deque .history of
 * LimitedHistoryLogObserver", "list of module '__main__'"; "(a root)" for
 * OBJ_NONE.  Appended to out, unescaped (type names come from the dump). */
void diff_holder_name(const struct heap *h, const struct paths *p, obj_t holder, struct strbuf *out);
/* The gone objects (in old, not in the new dump) grouped by type, the
 * types with the most gone bytes first, each type's largest first (then
 * dump order).  Returns a new array (never NULL); *n gets the count. */
obj_t *diff_gone_objects(const struct heap *old, const struct diff *d, size_t *n);
/* Object i of heap a in heap b (same address, same type name), or OBJ_NONE. */
obj_t diff_match(const struct heap *a, obj_t i, const struct heap *b);

#endif
