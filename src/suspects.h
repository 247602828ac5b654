/* suspects.h: leak suspects, as Eclipse MAT's report finds them, on retained sizes.
 *
 * Two kinds of suspect, each retaining at least a share of the heap (10% by
 * default):
 * - a single object: a child of the dominator tree's virtual root (a root,
 *   such as a module) whose retained size reaches the share;
 * - a group of similar objects: objects of one type with one immediate
 *   dominator (the container they pile up in), whose retained sizes together
 *   reach the share. Root-level groups (one type, no dominator but the virtual
 *   root) count too, modules and frames excepted: many parentless objects of
 *   one type are what a refcount leak in a C extension leaves; its members
 *   are not listed again as single objects.
 * Each has an accumulation point: for a group, the dominator they share; for a
 * single object, MAT's rule: go down the dominator tree from the object to its
 * biggest dominated child while that child retains at least 70% of the
 * current object's retained size; where the retained size spreads out is
 * where objects accumulate.
 * Groups are chosen by the sum of their members' retained sizes, then
 * reported with what they retain together: their members' dominated sets and
 * the objects only members reach (a string all members share is dominated by
 * the container, not by one member). What a suspect holds is that set (a
 * single object's: its dominated set), by type; with a second, older dump, the objects of that set that
 * are new (diff.c) are what grew. */
#ifndef HW_SUSPECTS_H
#define HW_SUSPECTS_H

#include <stddef.h>
#include <stdint.h>

#include "dominators.h"
#include "heap.h"
#include "paths.h"
#include "roots.h"
#include "util.h"

#define SUSPECTS_DEFAULT_SHARE 0.10
#define SUSPECTS_BIG_DROP 0.70

struct suspect_type {
    uint32_t type;           /* type id */
    uint64_t count, bytes;   /* objects of the dominated set and their sizes */
    uint64_t new_count, new_bytes; /* of which new (with an older dump) */
};

struct suspect {
    int is_group;
    obj_t object;            /* the object; for a group, its biggest member */
    uint32_t type;           /* the object's or the group's type id */
    uint64_t n_objects;      /* 1, or the group's members */
    uint64_t retained;       /* the object's; a group's: what its members retain together */
    obj_t accumulation;      /* the accumulation point; OBJ_NONE: the roots (a root-level group) */
    uint64_t acc_retained;   /* its retained size (0 for OBJ_NONE) */
    struct suspect_type *holds; /* by type, largest bytes first; owned */
    size_t n_holds;
    uint64_t held_objects, held_bytes;  /* the dominated set: all objects, their sizes */
    uint64_t new_objects, new_bytes;    /* of which new */
    obj_t *held;             /* with suspects_compute_sets: the dominated set's objects, ascending; owned */
};

struct suspects {
    struct suspect *list;    /* singles and groups, by retained size, largest first */
    size_t n;
    uint64_t total;          /* the heap's size */
    uint64_t threshold;      /* bytes a suspect retains at least */
    int have_old;
};

/* Find the suspects of h: d its dominator tree over the roots r; is_new
 * (per object, may be NULL) marks objects not in an older dump; share in
 * (0, 1]. Free with suspects_free. */
void suspects_compute(const struct heap *h, const struct roots *r, const struct dominators *d,
                      const uint8_t *is_new, double share, struct suspects *s);
/* The same, keeping each suspect's dominated set (s->list[j].held, held_objects
 * entries) for the explorer, which lists its members and what it holds. */
void suspects_compute_sets(const struct heap *h, const struct roots *r, const struct dominators *d,
                           const uint8_t *is_new, double share, struct suspects *s);
/* Whether object o is a member of group suspect s (its type, under its
 * accumulation point); for a single suspect, whether o is its object. */
int suspects_is_member(const struct heap *h, const struct dominators *d, const struct suspect *s, obj_t o);
void suspects_free(struct suspects *s);

/* The suspect's path from a root as a Python-like expression: to its
 * accumulation point (to its object for a root-level group). Appends to out;
 * false when there is none. */
int suspects_path(const struct heap *h, const struct roots *r, const struct paths *p, const struct suspect *s,
                  struct strbuf *out);

#endif
