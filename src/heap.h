/* heap.h: the object store.
 *
 * Objects are numbered 0..n-1 in dump order (first occurrence wins) and every
 * per-object fact lives in a dense array indexed by that number.  Edges live in
 * flat arrays: the children of object i are children[child_off[i] ..
 * child_off[i+1]), the same for parents.  Type names and strings (values and
 * names) are interned.  The address index is an open-addressing table of
 * object numbers at a load factor of 0.8: 5 bytes an object.
 *
 * Only heap.c, load.c and collapse.c write these arrays; everything else reads
 * them through the accessors below.  docs/design.md gives the byte counts. */
#ifndef HW_HEAP_H
#define HW_HEAP_H

#include <stddef.h>
#include <stdint.h>

#include "intern.h"

/* An object number. */
typedef uint32_t obj_t;
#define OBJ_NONE UINT32_MAX

/* A child entry with this bit set is not an object number but an index into
 * heap.dangling[]: a reference to an address that is not in the dump. */
#define HEAP_DANGLING 0x80000000u
#define HEAP_MAX_OBJECTS 0x7fffffffu
/* Edge offsets are 32-bit: a dump with more refs than this is refused with a message. */
#define HEAP_MAX_EDGES 0xffffffffu
/* size32/len32 value meaning "look in the big table". */
#define HEAP_BIG UINT32_MAX

struct bigval;

/* Per-object flags. */
enum {
    OF_NAME = 1 << 0,       /* str is the object's "name" */
    OF_VALUE = 1 << 1,      /* str is a string "value" (str, bytes, bool, frame code name) */
    OF_VALUE_NUM = 1 << 2,  /* str is the exact text of a numeric "value" (ints) */
    OF_VALUE_NULL = 1 << 3, /* "value": null */
    OF_HAS_LEN = 1 << 4,    /* len is set */
    OF_COLLAPSED = 1 << 5,  /* absorbed its __dict__: children are the dict's (+ type), len is the dict's;
                               while loading, with OF_DROP: a dict absorbed (heap_compact) */
    OF_DROP = 1 << 6,       /* internal, during loading: to be removed (duplicate or absorbed) */
};

/* Which interpreter wrote the dump: decides the order of dict refs. */
enum heap_flavour { FLAVOUR_UNKNOWN = 0, FLAVOUR_PY2, FLAVOUR_PY3 };

struct heap_stats {
    uint64_t lines;          /* lines read, blank and array brackets included */
    uint64_t records;        /* objects parsed */
    uint64_t bad_lines;      /* lines skipped as bad input */
    uint64_t duplicates;     /* later occurrences of an address, dropped */
    uint64_t dup_type_mismatch; /* ... of which had another type than the first */
    uint64_t dangling_refs;  /* refs to addresses not in the dump */
    uint64_t collapsed;      /* owners that absorbed their __dict__ */
    uint64_t dicts_removed;  /* dict objects removed by collapse */
    uint64_t redirected;     /* refs to an absorbed dict pointed at its owner instead */
    uint64_t bytes_in;       /* bytes of the (uncompressed) input */
};

/* A stack frame's current line, from heapwalk's scanner's "line" key. */
struct heap_line {
    obj_t obj;
    uint32_t line;
};

/* An index slot whose object a compaction dropped: lookups go on past it. */
#define INDEX_GONE UINT32_MAX

struct addr_index {
    uint32_t *slots;         /* object number + 1; 0 is empty; INDEX_GONE */
    uint64_t size;           /* slots: 1.25 per object */
};

struct heap {
    size_t n;                /* objects */
    size_t cap;
    uint64_t *addr;
    uint32_t *type;          /* type id: types_name(&h->types, id) */
    uint32_t *size32;        /* bytes, including a collapsed dict's: read with heap_size() */
    uint32_t *len32;         /* valid when OF_HAS_LEN: read with heap_len() */
    struct bigval *big;      /* sizes and lens that do not fit 32 bits (uthash, rare) */
    uint32_t *str;           /* value or name: strpool id, 0 = none */
    uint8_t *flags;

    uint32_t *child_off;     /* n + 1 entries */
    uint32_t *children;      /* object numbers, or HEAP_DANGLING | index */
    uint32_t *parent_off;    /* n + 1 entries */
    uint32_t *parents;       /* object numbers, deduplicated, in object order */
    size_t n_edges;          /* entries in children */
    size_t n_parent_edges;

    uint64_t *dangling;      /* distinct missing addresses that are referred to */
    size_t n_dangling;

    /* While loading, the child addresses before heap_resolve(): each as its low
     * 32 bits (raw_lo) and the number of its high 32 bits in raw_high
     * (raw_hi), 5 bytes a ref; a dump with more than RAW_HIGHS distinct high
     * words keeps them whole in raw_wide instead. */
    uint32_t *raw_lo;
    uint8_t *raw_hi;
    uint64_t *raw_wide;
    size_t raw_cap;
    uint32_t raw_high[255];
    unsigned n_raw_high;

    struct heap_line *lines;  /* "line" keys (stack frames), sorted by object; few */
    size_t n_lines, lines_cap;

    struct addr_index index;
    struct types types;
    struct strpool strings;
    enum heap_flavour flavour;
    int collapsed;           /* collapse_instance_dicts ran */
    struct heap_stats stats;

    /* Opened from the index cache (cache.c): the arrays and the string
     * arena point into a private mapping of the cache file, which heap_free
     * unmaps; such a store is finished and never grows. */
    int mapped;
    void *map;
    size_t map_len;
    struct cache_writer *writer; /* writing this store to the cache: heap_free waits for it */
};

void heap_init(struct heap *h);
void heap_free(struct heap *h);
/* Record the "line" of object i, which must be the last one added. */
void heap_set_line(struct heap *h, obj_t i, uint32_t line);
/* The "line" of object i, 0 when it has none. */
uint32_t heap_line(const struct heap *h, obj_t i);

/* The object at an address, or OBJ_NONE. */
obj_t heap_find(const struct heap *h, uint64_t addr);

static inline size_t heap_nchildren(const struct heap *h, obj_t i)
{
    return (size_t)(h->child_off[i + 1] - h->child_off[i]);
}
static inline const uint32_t *heap_children(const struct heap *h, obj_t i)
{
    return h->children + h->child_off[i];
}
static inline size_t heap_nparents(const struct heap *h, obj_t i)
{
    return (size_t)(h->parent_off[i + 1] - h->parent_off[i]);
}
static inline const uint32_t *heap_parents(const struct heap *h, obj_t i)
{
    return h->parents + h->parent_off[i];
}
static inline int heap_is_dangling(uint32_t child) { return (child & HEAP_DANGLING) != 0; }
/* The address a child entry points at (an object's, or the missing one's). */
static inline uint64_t heap_child_addr(const struct heap *h, uint32_t child)
{
    return heap_is_dangling(child) ? h->dangling[child & ~HEAP_DANGLING] : h->addr[child];
}
static inline const char *heap_type_name(const struct heap *h, obj_t i)
{
    return types_name(&h->types, h->type[i]);
}
/* Size in bytes and len (0 without OF_HAS_LEN), exact to 64 bits. */
uint64_t heap_size(const struct heap *h, obj_t i);
uint64_t heap_len(const struct heap *h, obj_t i);
void heap_set_size(struct heap *h, obj_t i, uint64_t size);
void heap_set_len(struct heap *h, obj_t i, uint64_t len);

/* The object's value or name text (NULL if none); *len gets its byte length. */
const char *heap_str(const struct heap *h, obj_t i, size_t *len);

/* --- building (load.c, collapse.c) --- */

/* Append an object; returns its number, or OBJ_NONE when the store holds
 * HEAP_MAX_OBJECTS already (nothing added).  str_id from strpool_intern. The
 * children are appended separately with heap_add_child_addr, as raw addresses,
 * until heap_resolve() turns them into object numbers. */
obj_t heap_add(struct heap *h, uint64_t addr, uint32_t type_id, uint64_t size, uint64_t len,
               uint32_t str_id, uint8_t flags);
/* Raw child addresses, for the last added object.  Returns 0, or -1 (nothing
 * added) when the store would hold more than HEAP_MAX_EDGES references. */
int heap_add_children(struct heap *h, const uint64_t *addrs, size_t n);

/* After the last heap_add: build the address index (first occurrence wins,
 * later ones are marked OF_DROP and counted), turn raw child addresses into
 * object numbers and dangling entries. */
void heap_resolve(struct heap *h);

/* Remove the objects marked OF_DROP and renumber the rest, in order; the
 * address index is renumbered in place. With absorbed (collapse ran), a kept
 * object with OF_COLLAPSED has the dict it absorbed as its first child, and
 * its children become that dict's children followed by its own others (the
 * type); a dropped dict marked OF_COLLAPSED too was absorbed, holds its first
 * owner's number in size32 (its size is its owners' now), and refs to it go
 * to that owner. Refs to any other dropped object become dangling.
 * Returns 0, or -1 (nothing compacted) when the result would hold more than
 * HEAP_MAX_EDGES references. */
int heap_compact(struct heap *h, int absorbed);

/* Build the parent lists from the children (deduplicated, no cap). */
void heap_build_parents(struct heap *h);

/* Guess the flavour from the type names present. */
void heap_detect_flavour(struct heap *h);

/* The sizes and lens of 4 GiB and more, as (object number * 2 + 0 size / 1
 * len, value) pairs into pairs (2 entries each; NULL to count); returns how
 * many.  heap_big_import adds such pairs (the cache's). */
size_t heap_big_export(const struct heap *h, uint64_t *pairs);
void heap_big_import(struct heap *h, const uint64_t *pairs, size_t n);

/* Bytes held by the store's arrays, for the docs and the benchmark. */
size_t heap_memory(const struct heap *h);

#endif
