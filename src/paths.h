/* paths.h: shortest paths from the roots to any object, and why each hop holds the next.
 *
 * paths_compute runs one breadth-first search from the anchor roots along child
 * edges, then one from the structural roots over what the anchors did not
 * reach (anchors are used first: their paths read well). Every object gets its
 * distance to the nearest root and a predecessor, so its shortest path is a
 * walk up the predecessors: instant.
 *
 * paths_find answers the same question on demand with exclusions (objects,
 * single edges, edge kinds): a breadth-first search backwards along parent
 * edges from the target until it meets a root; paths_find_k gives the k
 * shortest simple paths (Yen's method on that backward search). */
#ifndef HW_PATHS_H
#define HW_PATHS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "roots.h"
#include "util.h"

#define PATH_UNREACHED UINT32_MAX

/* Kinds of edges a user can exclude everywhere (MAT-style). */
enum edge_kind {
    EDGE_GLOBALS = 1 << 0,   /* a function's __globals__ (its second ref) */
    EDGE_BUILTINS = 1 << 1,  /* a Python 3 function's __builtins__ (its third ref) */
    EDGE_TYPE = 1 << 2,      /* any ref to a type or a classobj (an instance's class, ...) */
};

struct path_edge {
    obj_t parent, child;
};

/* What a path must avoid. All members may be empty/NULL. */
struct path_filter {
    unsigned kinds;                  /* enum edge_kind bits */
    const obj_t *objects;            /* objects no path may go through (the target excepted) */
    size_t n_objects;
    const struct path_edge *edges;   /* single edges no path may use */
    size_t n_edges;
};

struct paths {
    uint32_t *dist;          /* per object: hops from the nearest root, or PATH_UNREACHED */
    obj_t *pred;             /* per object: the previous hop, OBJ_NONE for a root */
    uint32_t max_dist;
    size_t n_unreached;
    unsigned kinds;          /* the edge kinds excluded when computed */
};

/* The edge kinds of parent's k-th child. */
unsigned paths_edge_kind(const struct heap *h, obj_t parent, size_t k);

/* One BFS over the whole heap (kinds excluded). Free with paths_free. */
void paths_compute(const struct heap *h, const struct roots *r, unsigned kinds, struct paths *p);
void paths_free(struct paths *p);

/* The shortest path root..target from a computed paths: a new array (caller
 * frees), *len hops; NULL when the target is unreached. */
obj_t *paths_get(const struct paths *p, obj_t target, size_t *len);

/* The shortest path root..target avoiding what f says, by a backward search
 * (anchors first, then any root). NULL when there is none. */
obj_t *paths_find(const struct heap *h, const struct roots *r, obj_t target, const struct path_filter *f,
                  size_t *len);

/* Up to k shortest simple paths root..target, each avoiding f: the paths from
 * anchor roots first, shortest first, then those from structural roots.
 * Returns how many were found; paths[i] (caller frees each and the array) of
 * lens[i] hops. Each next path costs about a search along it (paths_k.c), not
 * one whole-graph search per hop. k is at most PATHS_K_MAX. */
size_t paths_find_k(const struct heap *h, const struct roots *r, obj_t target, const struct path_filter *f,
                    size_t k, obj_t ***paths, size_t **lens);

#define PATHS_K_MAX 4096

/* How much a k-paths search may do, and a way to stop it from outside. */
struct path_budget {
    const atomic_int *cancel;  /* non-zero stops the search (set by another thread or a signal
                                  handler; polled every 4096 steps); NULL: none */
    uint64_t max_steps;        /* nodes and edges examined before giving up; 0: no limit */
    uint64_t steps;            /* out: how many were examined */
    int stopped;               /* out: 1 when cancelled or over budget: the paths returned are
                                  the first ones, in order, found before it stopped */
};

/* Count steps against b (NULL: no budget): 1 when the work must stop (over
 * budget, or the cancel flag is set; b->stopped is then 1). */
int paths_budget_spend(struct path_budget *b, uint64_t steps);
/* paths_find within a budget: NULL when stopped too (b->stopped says which). */
obj_t *paths_find_budget(const struct heap *h, const struct roots *r, obj_t target, const struct path_filter *f,
                         struct path_budget *b, size_t *len);

/* paths_find_k within a budget (b may be NULL: none). For a caller that must
 * stay responsive: run it in a thread and set *b->cancel, or give it a step
 * budget (about 10 million steps a second). */
size_t paths_find_k_budget(const struct heap *h, const struct roots *r, obj_t target, const struct path_filter *f,
                           size_t k, struct path_budget *b, obj_t ***paths, size_t **lens);

/* How parent refers to child (its first ref to it), as positions_label()
 * writes it: "[3]", "['key']", ".name", ".__class__", "[<#2>]", ".<ref #4>";
 * ".?" when child is not among parent's refs. Appends to out. */
void paths_edge_label(const struct heap *h, obj_t parent, obj_t child, struct strbuf *out);
/* How a root reads: thread 'worker-1', sys.modules['name'], <frame 'f'>, <Type at 0x...>
 * (<a.Record at 0x...> where classes share the name: refs_qualified_class_counted
 * with classes, which may be NULL). */
void paths_root_label(const struct heap *h, const struct roots *r, const uint32_t *classes, obj_t root,
                      struct strbuf *out);
/* The whole path as a Python-like expression. */
void paths_expression(const struct heap *h, const struct roots *r, const obj_t *path, size_t len,
                      struct strbuf *out);

#endif
