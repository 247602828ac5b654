/* export.h: the graph for other tools: Graphviz dot of an object's
 * neighbourhood, and every object as JSON lines. */
#ifndef HW_EXPORT_H
#define HW_EXPORT_H

#include <stdio.h>

#include "heap.h"
#include "paths.h"
#include "roots.h"
#include "util.h"

/* A dot digraph of what refers to start (children == 0, objgraph's
 * show_backrefs) or what it refers to (children == 1, show_refs), depth levels
 * deep; at most fanout edges per object, then an "N more" node. Roots are
 * filled, start is highlighted, edges carry their accessor label. */
void export_dot(const struct heap *h, const struct roots *r, obj_t start, unsigned depth, int children,
                size_t fanout, struct strbuf *out);

enum {
    EXPORT_LABELS = 1 << 0,  /* "labels": what each ref is to its object, parallel to "refs" */
};

/* Every object, one JSON object per line, in dump order: address, type, size,
 * len, value or name, refs (child addresses, dangling ones included), with
 * EXPORT_LABELS in flags each ref's label as `heapwalk path` prints a hop
 * ("[2]", ".name", "['key']", ".<#4>": positions.c), and when p is not NULL its
 * distance to the nearest root, the previous hop on that path and, for roots,
 * the root kind. Returns -1 if writing failed. */
int export_jsonl(const struct heap *h, const struct roots *r, const struct paths *p, unsigned flags, FILE *to);
/* The same for the objects of a set, in its order (every object when set is NULL). */
int export_jsonl_set(const struct heap *h, const struct roots *r, const struct paths *p, const obj_t *set, size_t n,
                     unsigned flags, FILE *to);
/* A dot digraph of a set: its first max_nodes objects (0: all) highlighted, the
 * references among them, and who refers to each from outside (fanout holders
 * at most per object, then an "N more" node). */
void export_dot_set(const struct heap *h, const struct roots *r, const obj_t *set, size_t n, size_t max_nodes,
                    size_t fanout, struct strbuf *out);

#endif
