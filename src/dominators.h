/* dominators.h: who owns what. The dominator tree of the object graph, from a
 * virtual root whose children are the roots (roots.h), and retained sizes.
 *
 * Object d dominates o when every path from a root to o goes through d; if d
 * went away, o would go with it. The retained size of d is its size plus the
 * sizes of everything it dominates: what freeing d would free. meliae's
 * total_size counts everything reachable instead, so one cycle makes every
 * object "own" the heap.
 *
 * Computed with the semi-NCA algorithm (Georgiadis, Tarjan and Werneck's
 * simple variant of Lengauer-Tarjan): an iterative depth-first numbering,
 * semidominators by path-compressed evaluation, then immediate dominators by
 * walking up the DFS tree. Near-linear, flat arrays, no recursion. */
#ifndef HW_DOMINATORS_H
#define HW_DOMINATORS_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "roots.h"

struct dominators {
    obj_t *idom;             /* per object: its immediate dominator, OBJ_NONE for the virtual root */
    uint64_t *retained;      /* per object: retained size in bytes */
    uint64_t total;          /* all objects' sizes: the virtual root's retained size */
    size_t n_unreached;      /* objects no root reaches (none when roots come from roots_compute) */
};

/* Compute the dominator tree and retained sizes of h from the roots r. */
void dominators_compute(const struct heap *h, const struct roots *r, struct dominators *d);
void dominators_free(struct dominators *d);

/* Sort objs by retained[o], largest first (smallest first when reverse).
 * Stable: objects that tie keep the order they had, as query_sort() does, so
 * a get_all list sorted by retained size keeps its ties in get_all order.
 * A radix sort: 2M objects sort in about 30 ms. */
void dominators_sort(obj_t *objs, size_t n, const uint64_t *retained, int reverse);
/* The dominator tree's children: kids of o (or of the virtual root when o is
 * OBJ_NONE), as a new array (caller frees) sorted by retained size descending. */
obj_t *dominators_children(const struct heap *h, const struct dominators *d, obj_t o, size_t *n);

/* Per type: the bytes retained by its objects, each dominated subtree counted
 * once (an instance inside another instance of the same type is not counted
 * again). out gets h->types.n entries. */
void dominators_by_type(const struct heap *h, const struct dominators *d, uint64_t *out);

/* MAT's "immediate dominators": for the objects in set, who holds them,
 * grouped by the holder's type (the virtual root's group has type UINT32_MAX). */
struct holder_row {
    uint32_t type;           /* the holders' type id, UINT32_MAX for "a root" */
    uint64_t holders;        /* distinct holding objects */
    uint64_t objects;        /* objects of the set they hold */
    uint64_t bytes;          /* retained bytes of those objects */
};
/* Returns the rows (caller frees), sorted by bytes descending; *n gets the count. */
struct holder_row *dominators_holders(const struct heap *h, const struct dominators *d, const obj_t *set,
                                      size_t nset, size_t *n);

#endif
