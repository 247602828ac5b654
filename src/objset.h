/* objset.h: questions about a set of objects as a whole (a query's answer, an
 * instances list, the children of an object): what types it holds, who holds
 * it, what freeing all of it would free, and the shortest path between two
 * sets. A set is an array of distinct object numbers of one heap.
 *
 * Plain C over a finished heap, which it only reads: `heapwalk sql` and
 * `heapwalk path --from/--to` call these, and the explorer's set screens can. */
#ifndef HW_OBJSET_H
#define HW_OBJSET_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "roots.h"

/* One type of a set: how many of its objects, how many bytes. */
struct objset_type {
    uint32_t type;
    uint64_t count, bytes;
};

/* The set by type: a new array (caller frees) sorted by bytes, then count,
 * largest first, then by type name; *n rows. */
struct objset_type *objset_histogram(const struct heap *h, const obj_t *set, size_t n, size_t *nrows);

/* Who refers to the set from outside it. */
struct objset_holder_type {
    uint32_t type;           /* the holders' type */
    uint64_t holders;        /* distinct holding objects of that type */
    uint64_t members;        /* members held by at least one of them */
    uint64_t bytes;          /* those members' sizes */
};
struct objset_holder {
    obj_t holder;
    uint64_t members, bytes; /* members it refers to, their sizes */
};
struct objset_holders {
    struct objset_holder_type *by_type; /* sorted by members, then bytes, largest first */
    size_t n_types;
    struct objset_holder *by_object;    /* sorted by members, then bytes, largest first */
    size_t n_objects;
    uint64_t held_inside;    /* members whose every parent is in the set */
    uint64_t no_parent;      /* members with no parent at all */
};
void objset_holders(const struct heap *h, const obj_t *set, size_t n, struct objset_holders *out);
void objset_holders_free(struct objset_holders *hs);

/* What freeing every object of the set at once would free: the set and
 * everything that no root reaches without going through it (a search from
 * the roots that never enters the set). freed (may be NULL; h->n bytes) gets
 * 1 for each object that would go. */
struct objset_retained {
    uint64_t objects, bytes;
};
void objset_retained(const struct heap *h, const struct roots *r, const obj_t *set, size_t n,
                     struct objset_retained *out, uint8_t *freed);

/* The shortest path from any object of `from` to any object of `to`, along
 * references (reverse = 0: each hop refers to the next) or against them
 * (reverse = 1: each hop is referred to by the next). A new array (caller
 * frees) from the `from` end, *len objects; NULL when there is none. */
obj_t *objset_path(const struct heap *h, const obj_t *from, size_t nfrom, const obj_t *to, size_t nto,
                   int reverse, size_t *len);

#endif
