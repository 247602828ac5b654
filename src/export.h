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

/* A JSON string literal of len bytes of UTF-8 (NUL and other control bytes
 * escaped as \u00XX, others kept). Appends to out. */
void export_json_quote(const char *s, size_t len, struct strbuf *out);

/* Every object, one JSON object per line, in dump order: address, type, size,
 * len, value or name, refs (child addresses, dangling ones included), and when
 * p is not NULL its distance to the nearest root, the previous hop on that path
 * and, for roots, the root kind. Returns -1 if writing failed. */
int export_jsonl(const struct heap *h, const struct roots *r, const struct paths *p, FILE *to);

#endif
