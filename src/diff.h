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

struct diff {
    struct diff_type *types; /* every type of either dump */
    size_t n_types;
    uint8_t *is_new;         /* per object of the new heap: 1 = not in the old dump */
    uint8_t *survives;       /* per object of the new heap (NULL without a third dump):
                                1 = new and still alive in the third */
    uint64_t n_new, new_bytes, n_gone, gone_bytes, n_both;
    uint64_t n_survivors, survivor_bytes;
    struct diff_holder *holders; /* sorted by bytes, largest first */
    size_t n_holders;
};

enum diff_order { DIFF_BY_SIZE, DIFF_BY_COUNT };

/* Compare old and new (and newer, may be NULL). p holds the new heap's
 * shortest paths (paths_compute), for the holders; NULL: no holders (yet). */
void diff_compute(const struct heap *old, const struct heap *new_heap, const struct heap *newer,
                  const struct paths *p, struct diff *d);
/* The holders of d's new objects (d computed without paths) from p, the new
 * heap's shortest paths: fills d->holders and d->n_holders only, so another
 * thread may read the rest of d meanwhile. */
void diff_find_holders(const struct heap *new_heap, const struct paths *p, struct diff *d);
/* Sort the types by absolute delta size (or delta count), largest first.
 * Safe on several threads at once (no shared state). */
void diff_sort(struct diff *d, enum diff_order order);
void diff_free(struct diff *d);

#endif
