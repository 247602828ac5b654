/* query.h: the questions the explorer asks of a loaded heap.
 *
 * - which objects have a given type, and how the distinct strings (values
 *   and names) order: an index built once after loading;
 * - object lists in meliae's get_all() order or by one column, with stable
 *   radix sorts, so that a key press on a million-row list stays fast;
 * - substring matching over type names, values and names ("smart case": a
 *   needle with no capital letter matches either case);
 * - the short value-or-name text shown beside an object in a list.
 *
 * Plain C over a finished heap, which it only reads: the TUI calls these, and
 * so can a batch subcommand. */
#ifndef HW_QUERY_H
#define HW_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "util.h"

/* Built once from a finished heap; about 8 bytes an object and 4 a string. */
struct query_index {
    uint32_t *type_start;    /* ntypes + 1 offsets into type_objs */
    obj_t *type_objs;        /* every object, grouped by type, in dump order within a type */
    uint32_t ntypes;
    uint32_t *str_rank;      /* strpool id -> its place in byte order, from 1; [0] = 0 (no string) */
    uint32_t nstrings;
};

/* Build the index: O(objects) for the types, one sort of the distinct
 * strings for the ranks. Free with query_index_free. */
void query_index_build(const struct heap *h, struct query_index *qi);
void query_index_free(struct query_index *qi);
/* The objects of type id t in dump order, *n of them (0 for an unknown id).
 * The array belongs to qi. */
const obj_t *query_index_objects(const struct query_index *qi, uint32_t t, size_t *n);

/* What an object list can be sorted by.  The default direction is the useful
 * one: numbers descending (largest first), address and text ascending. */
enum query_key {
    QUERY_GETALL,            /* meliae's get_all(): (size, refs, parents) descending */
    QUERY_ADDRESS,
    QUERY_SIZE,
    QUERY_LEN,               /* objects without a len count as 0 */
    QUERY_REFS,              /* number of children */
    QUERY_PARENTS,
    QUERY_VALUE,             /* value or name bytes; objects with neither first */
};

/* Sort objs (object numbers of h, indexed in qi) by key; reverse flips the
 * direction.  Only QUERY_VALUE reads qi (NULL will do for the others).  Stable: objects that tie keep the order they had, so sorting a
 * get_all list by a column leaves ties in get_all order. */
void query_sort(const struct heap *h, const struct query_index *qi, obj_t *objs, size_t n, enum query_key key,
                int reverse);

/* The instances of type id t in meliae's get_all() order (ties in dump order).
 * Returns a new array the caller frees (never NULL); *n gets the count.
 * Unlike meliae, parents are counted exactly, not capped at 100. */
obj_t *query_instances(const struct heap *h, const struct query_index *qi, uint32_t t, size_t *n);

/* A substring to look for. */
struct query_match {
    char *needle;            /* owned, NUL-terminated */
    size_t len;
    int fold;                /* no capital letter in the needle: ignore ASCII case */
    uint8_t *type_hit;       /* per type id: its name matches; owned */
    uint32_t ntypes;
};

/* Prepare a match for needle (len bytes) against h's type names and strings.
 * Free with query_match_free. An empty needle matches everything. */
void query_match_init(const struct heap *h, const char *needle, size_t len, struct query_match *m);
void query_match_free(struct query_match *m);
/* Whether the needle occurs in s (len bytes). */
int query_match_text(const struct query_match *m, const char *s, size_t len);
/* Whether a child entry (an object, or a dangling ref) matches: its type
 * name, its value or its name contains the needle.  Dangling refs never match. */
int query_match_object(const struct heap *h, const struct query_match *m, uint32_t child);

/* The object's value or name as a Python literal ('text', 42, True), cut at
 * max_value bytes (0: all) with "..."; "None" for None; nothing for other
 * objects.  Appended to out. */
void query_preview(const struct heap *h, obj_t i, size_t max_value, struct strbuf *out);

#endif
