/* roots.h: what keeps objects alive, as far as a dump can say.
 *
 * meliae dumps record no GC roots, so heapwalk defines them (docs/design.md):
 * - anchor roots, used first because paths from them read well: every thread
 *   (heapwalk's scanner writes each thread as a "thread" object holding its
 *   stack's frames), every module, every frame that no other frame or thread
 *   refers to (a thread's current frame in a dump without threads: it holds
 *   the rest of its stack through f_back), and the objects the user pins;
 * - structural roots, so that every object has a path: for each strongly
 *   connected component that nothing outside points into and that no anchor
 *   reaches, one representative (its first object in dump order). That covers
 *   parentless objects and parentless cycles.
 * Parentless objects that are not anchors are "orphan candidates": in a dump of
 * a live process something held them (a C extension, a refcount leak).
 * Everything is iterative: reference chains can be millions deep. */
#ifndef HW_ROOTS_H
#define HW_ROOTS_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"

enum root_kind {
    ROOT_NONE = 0,
    ROOT_MODULE,
    ROOT_FRAME,
    ROOT_PINNED,
    ROOT_STRUCTURAL,
    ROOT_THREAD,
};

struct roots {
    obj_t *list;             /* anchors first (in dump order), then structural roots */
    size_t n, n_anchor;
    obj_t *orphans;          /* parentless objects that are not anchors, in dump order */
    size_t n_orphans;
    uint8_t *kind;           /* per object: enum root_kind */
    size_t n_objects;
};

/* Find the roots of h; pinned objects (may be NULL) are anchors too. */
void roots_compute(const struct heap *h, const obj_t *pinned, size_t npinned, struct roots *r);
void roots_free(struct roots *r);
const char *roots_kind_name(enum root_kind k);

#endif
