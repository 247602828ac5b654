/* positions.h: what each ref of an object is to it -- list index, dict key,
 * attribute name -- from the order CPython's tp_traverse stores refs in (the
 * table in docs/design.md).  The one rule behind every label heapwalk shows:
 * path hops and expressions, dot edges, export, show and the explorer. */
#ifndef HW_POSITIONS_H
#define HW_POSITIONS_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "util.h"

enum position_kind {
    POS_REF = 0,     /* nothing known but the ref's number: .<ref K> */
    POS_INDEX,       /* list, tuple, deque item: [index] */
    POS_MEMBER,      /* set or frozenset member: no position, {?} */
    POS_KEY,         /* dict value whose key is in the dump: [key] or .name */
    POS_ENTRY,       /* dict value whose key is not in the dump: [<#index>] or .<#index> */
    POS_IS_KEY,      /* a dict key (its value is entry index): [<key #index>] */
    POS_NAMED,       /* a fixed attribute: name is ".__class__", ".cell_contents", ... */
    POS_FRAME,       /* a thread's stack frame (key: the frame): " > handle():88" */
    POS_LOCAL,       /* a frame's local variable (key: its name's entry): " > batch" */
};

struct position {
    enum position_kind kind;
    size_t index;        /* POS_INDEX, POS_ENTRY, POS_IS_KEY: the index; POS_REF: the ref number */
    uint32_t key;        /* POS_KEY, POS_LOCAL: the key's (name's) child entry; POS_FRAME: the frame */
    int attr;            /* POS_KEY, POS_ENTRY: the object's attributes (module, instance): .name */
    const char *name;    /* POS_NAMED: static text */
};

/* What ref k (0 <= k < heap_nchildren) of object parent is to it.  For a
 * dict-like object each call reads its dict view: O(refs). */
void positions_of(const struct heap *h, obj_t parent, size_t k, struct position *p);
/* positions_of for every ref of parent at once, into p[0 .. heap_nchildren):
 * the same answers, the dict view read once (export, show, the object screen). */
void positions_of_all(const struct heap *h, obj_t parent, struct position *p);
/* The position as a Python accessor (or, where Python has none, a plainly
 * non-Python <...> form that still carries the index).  Appends to out. */
void positions_label(const struct heap *h, const struct position *p, struct strbuf *out);
/* positions_of + positions_label. */
void positions_ref_label(const struct heap *h, obj_t parent, size_t k, struct strbuf *out);
/* The label of a dict entry whose key is not in the dump: "<#index>", with
 * attr ".<#index>", else "[<#index>]". */
void positions_entry_label(size_t index, int attr, struct strbuf *out);

/* Between a thread and a frame, a frame and a local: " > " (ASCII; the engine
 * prints no other glyphs). */
#define POSITIONS_STEP " > "
/* A frame as a path step: "handle():88" (the line when the dump says it). */
void positions_frame_label(const struct heap *h, obj_t frame, struct strbuf *out);
/* How many [value, name] pairs of locals start a frame's children (heapwalk's
 * scanner writes them for the frames on thread stacks, with "len"): 0 if none. */
size_t positions_frame_locals(const struct heap *h, obj_t frame);

#endif
