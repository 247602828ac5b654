#include "heap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <uthash.h>

#include "cache.h"
#include "util.h"

/* Sizes and lens of 4 GiB and more: rare enough for a uthash node each. */
struct bigval {
    uint64_t key;            /* object number * 2 + (0 size, 1 len) */
    uint64_t val;
    UT_hash_handle hh;
};

void heap_init(struct heap *h)
{
    memset(h, 0, sizeof *h);
    types_init(&h->types);
    strpool_init(&h->strings);
}

static void big_clear(struct heap *h)
{
    struct bigval *b, *tmp;
    HASH_ITER(hh, h->big, b, tmp) {
        HASH_DEL(h->big, b);
        free(b);
    }
}

/* A store opened from the cache: its arrays belong to the mapping. */
static void forget_mapped(struct heap *h)
{
    h->addr = NULL;
    h->type = NULL;
    h->size32 = h->len32 = h->str = NULL;
    h->flags = NULL;
    h->child_off = h->children = NULL; /* the parents are built on open: owned */
    h->dangling = NULL;
    h->index.slots = NULL;
    h->strings.arena = NULL;
    h->strings.off = NULL;
}

void heap_free(struct heap *h)
{
    cache_store_wait(h);
    if (h->mapped)
        forget_mapped(h);
    if (h->map)
        munmap(h->map, h->map_len);
    free(h->addr);
    free(h->type);
    free(h->size32);
    free(h->len32);
    free(h->str);
    free(h->flags);
    free(h->child_off);
    free(h->children);
    free(h->raw_lo);
    free(h->raw_hi);
    free(h->raw_wide);
    free(h->parent_off);
    free(h->parents);
    free(h->dangling);
    free(h->index.slots);
    big_clear(h);
    free(h->lines);
    types_free(&h->types);
    strpool_free(&h->strings);
    memset(h, 0, sizeof *h);
}

static uint64_t big_get(const struct heap *h, obj_t i, int which)
{
    uint64_t key = (uint64_t)i * 2 + (uint64_t)which;
    struct bigval *b;
    HASH_FIND(hh, h->big, &key, sizeof key, b);
    return b ? b->val : HEAP_BIG;
}

static void big_set(struct heap *h, obj_t i, int which, uint64_t val)
{
    uint64_t key = (uint64_t)i * 2 + (uint64_t)which;
    struct bigval *b;
    HASH_FIND(hh, h->big, &key, sizeof key, b);
    if (!b) {
        b = xmalloc(sizeof *b, "a large size");
        b->key = key;
        HASH_ADD(hh, h->big, key, sizeof b->key, b);
    }
    b->val = val;
}

uint64_t heap_size(const struct heap *h, obj_t i)
{
    return h->size32[i] == HEAP_BIG ? big_get(h, i, 0) : h->size32[i];
}

uint64_t heap_len(const struct heap *h, obj_t i)
{
    if (!(h->flags[i] & OF_HAS_LEN))
        return 0;
    return h->len32[i] == HEAP_BIG ? big_get(h, i, 1) : h->len32[i];
}

void heap_set_size(struct heap *h, obj_t i, uint64_t size)
{
    if (size >= HEAP_BIG) {
        h->size32[i] = HEAP_BIG;
        big_set(h, i, 0, size);
    } else {
        h->size32[i] = (uint32_t)size;
    }
}

void heap_set_len(struct heap *h, obj_t i, uint64_t len)
{
    if (len >= HEAP_BIG) {
        h->len32[i] = HEAP_BIG;
        big_set(h, i, 1, len);
    } else {
        h->len32[i] = (uint32_t)len;
    }
}

const char *heap_str(const struct heap *h, obj_t i, size_t *len)
{
    if (!h->str[i]) {
        if (len)
            *len = 0;
        return NULL;
    }
    return strpool_get(&h->strings, h->str[i], len);
}

/* --- the address index --- */

static inline uint64_t addr_hash(uint64_t a)
{
    /* Addresses are 16-byte aligned and clustered: mix all bits down. */
    a ^= a >> 33;
    a *= 0xff51afd7ed558ccdULL;
    a ^= a >> 33;
    return a;
}

/* Open addressing with linear probing over slot values id+1, keyed by
 * keys[id], in a table of any size: the hash is mapped onto [0, size) by a
 * multiply and shift (no power-of-two rounding, so the table is sized to the
 * load factor exactly). */
static inline uint64_t index_home(uint64_t size, uint64_t addr)
{
    return (uint64_t)(((unsigned __int128)addr_hash(addr) * size) >> 64);
}

static uint32_t *index_lookup_slot(uint32_t *slots, uint64_t size, const uint64_t *keys, uint64_t addr)
{
    uint64_t i = index_home(size, addr);
    while (slots[i] && (slots[i] == INDEX_GONE || keys[slots[i] - 1] != addr))
        i = i + 1 == size ? 0 : i + 1;
    return &slots[i];
}

/* Slots for n keys at a load factor of 0.8. */
static uint64_t index_capacity(size_t n)
{
    return (uint64_t)n + (uint64_t)n / 4 + 64;
}

obj_t heap_find(const struct heap *h, uint64_t addr)
{
    if (!h->index.slots)
        return OBJ_NONE;
    uint32_t *s = index_lookup_slot(h->index.slots, h->index.size, h->addr, addr);
    return *s ? *s - 1 : OBJ_NONE;
}

/* How far ahead the index's loops prefetch: enough misses in flight to
 * cover the memory latency, few enough to stay in the L1 cache. */
#define INDEX_AHEAD 16

/* While loading, a byte of each slot's address hash (other bits than the
 * home slot's) sits beside the table: a probe reads an object's address,
 * a cache miss, only when the tags match, and at a load factor of 0.8 most
 * probes pass other objects' slots. Never saved: heap_find does without. */
static inline uint8_t addr_tag(uint64_t addr) { return (uint8_t)(addr_hash(addr) >> 32); }

static uint32_t *index_probe_tagged(uint32_t *slots, const uint8_t *tags, uint64_t size, const uint64_t *keys,
                                    uint64_t addr)
{
    uint64_t i = index_home(size, addr);
    uint8_t tag = addr_tag(addr);
    while (slots[i] && (tags[i] != tag || keys[slots[i] - 1] != addr))
        i = i + 1 == size ? 0 : i + 1;
    return &slots[i];
}

/* Ask for the address of the first slot from addr's home whose tag matches
 * (its slot and tag have been asked for earlier). */
static void index_prefetch_key(const uint32_t *slots, const uint8_t *tags, uint64_t size, const uint64_t *keys,
                               uint64_t addr)
{
    uint64_t i = index_home(size, addr);
    uint8_t tag = addr_tag(addr);
    while (slots[i] && tags[i] != tag)
        i = i + 1 == size ? 0 : i + 1;
    if (slots[i])
        __builtin_prefetch(&keys[slots[i] - 1]);
}

/* Build the index over all objects not marked OF_DROP; a repeated address
 * marks the later object OF_DROP. The slots go into buf (buf_len entries,
 * owned from now on) when it is big enough: memory the process has touched
 * already costs far less than fresh pages; NULL for a new table. Returns
 * the slots' tags (index.size bytes), which the caller frees. */
static uint8_t *index_build(struct heap *h, uint32_t *buf, uint64_t buf_len)
{
    free(h->index.slots);
    uint64_t cap = index_capacity(h->n);
    if (buf && buf_len >= cap) {
        h->index.slots = xreallocarray(buf, cap, sizeof *buf, "the address index");
        memset(h->index.slots, 0, cap * sizeof *buf);
    } else {
        free(buf);
        h->index.slots = xcalloc(cap, sizeof *h->index.slots, "the address index");
    }
    h->index.size = cap;
    uint8_t *tags = xmalloc(cap, "the address index");
    for (size_t i = 0; i < h->n; i++) {
        /* Each insert is a cache miss in a table bigger than the caches:
         * ask for the slot of a later object now. */
        if (i + INDEX_AHEAD < h->n) {
            uint64_t home = index_home(cap, h->addr[i + INDEX_AHEAD]);
            __builtin_prefetch(&h->index.slots[home], 1);
            __builtin_prefetch(&tags[home], 1);
        }
        if (h->flags[i] & OF_DROP)
            continue;
        uint32_t *s = index_probe_tagged(h->index.slots, tags, cap, h->addr, h->addr[i]);
        if (*s) {
            h->flags[i] |= OF_DROP;
            h->stats.duplicates++;
            if (h->type[*s - 1] != h->type[i])
                h->stats.dup_type_mismatch++;
            continue;
        }
        *s = (uint32_t)i + 1;
        tags[s - h->index.slots] = addr_tag(h->addr[i]);
    }
    return tags;
}

/* --- building --- */

static int grow_objects(struct heap *h)
{
    size_t cap = h->cap ? h->cap * 2 : 4096;
    if (cap > (size_t)HEAP_MAX_OBJECTS + 1)
        cap = (size_t)HEAP_MAX_OBJECTS + 1;
    if (h->n >= cap)
        return -1;
    const char *what = "the object table";
    h->addr = xreallocarray(h->addr, cap, sizeof *h->addr, what);
    h->type = xreallocarray(h->type, cap, sizeof *h->type, what);
    h->size32 = xreallocarray(h->size32, cap, sizeof *h->size32, what);
    h->len32 = xreallocarray(h->len32, cap, sizeof *h->len32, what);
    h->str = xreallocarray(h->str, cap, sizeof *h->str, what);
    h->flags = xreallocarray(h->flags, cap, sizeof *h->flags, what);
    h->child_off = xreallocarray(h->child_off, cap + 1, sizeof *h->child_off, what);
    h->cap = cap;
    return 0;
}

obj_t heap_add(struct heap *h, uint64_t addr, uint32_t type_id, uint64_t size, uint64_t len,
               uint32_t str_id, uint8_t flags)
{
    if (h->n == h->cap && grow_objects(h) < 0)
        return OBJ_NONE;
    obj_t i = (obj_t)h->n++;
    if (i == 0)
        h->child_off[0] = 0;
    h->addr[i] = addr;
    h->type[i] = type_id;
    h->str[i] = str_id;
    h->flags[i] = flags;
    heap_set_size(h, i, size);
    h->len32[i] = 0;
    if (flags & OF_HAS_LEN)
        heap_set_len(h, i, len);
    h->child_off[i + 1] = h->child_off[i];
    return i;
}

#define RAW_HIGHS 255

/* The number of the high word hi in h->raw_high, added if new; -1 when the
 * table is full. Real dumps have a handful: the last one found is tried first. */
static int raw_high_id(struct heap *h, uint32_t hi, unsigned *last)
{
    if (*last < h->n_raw_high && h->raw_high[*last] == hi)
        return (int)*last;
    for (unsigned k = 0; k < h->n_raw_high; k++)
        if (h->raw_high[k] == hi)
            return (int)(*last = k);
    if (h->n_raw_high == RAW_HIGHS)
        return -1;
    h->raw_high[h->n_raw_high] = hi;
    return (int)(*last = h->n_raw_high++);
}

static uint64_t raw_addr(const struct heap *h, size_t k)
{
    if (h->raw_wide)
        return h->raw_wide[k];
    return (uint64_t)h->raw_high[h->raw_hi[k]] << 32 | h->raw_lo[k];
}

/* Too many high words: keep the first `have` addresses whole from now on. */
static void raw_widen(struct heap *h, size_t have)
{
    uint64_t *wide = xreallocarray(NULL, h->raw_cap, sizeof *wide, "the reference table");
    for (size_t k = 0; k < have; k++)
        wide[k] = raw_addr(h, k);
    h->raw_wide = wide;
    free(h->raw_lo);
    free(h->raw_hi);
    h->raw_lo = NULL;
    h->raw_hi = NULL;
}

static void raw_reserve(struct heap *h, size_t need)
{
    if (need <= h->raw_cap)
        return;
    size_t cap = h->raw_cap ? h->raw_cap : 16384;
    while (cap < need)
        cap *= 2;
    if (h->raw_wide) {
        h->raw_wide = xreallocarray(h->raw_wide, cap, sizeof *h->raw_wide, "the reference table");
    } else {
        h->raw_lo = xreallocarray(h->raw_lo, cap, sizeof *h->raw_lo, "the reference table");
        h->raw_hi = xreallocarray(h->raw_hi, cap, sizeof *h->raw_hi, "the reference table");
    }
    h->raw_cap = cap;
}

int heap_add_children(struct heap *h, const uint64_t *addrs, size_t n)
{
    obj_t i = (obj_t)(h->n - 1);
    size_t have = h->child_off[i + 1];
    if ((uint64_t)have + n > HEAP_MAX_EDGES)
        return -1;
    raw_reserve(h, have + n);
    unsigned last = 0;
    for (size_t k = 0; k < n; k++) {
        if (!h->raw_wide) {
            int id = raw_high_id(h, (uint32_t)(addrs[k] >> 32), &last);
            if (id >= 0) {
                h->raw_lo[have + k] = (uint32_t)addrs[k];
                h->raw_hi[have + k] = (uint8_t)id;
                continue;
            }
            raw_widen(h, have + k);
        }
        h->raw_wide[have + k] = addrs[k];
    }
    h->child_off[i + 1] = (uint32_t)(have + n);
    return 0;
}

void heap_resolve(struct heap *h)
{
    if (h->n == 0) {
        h->child_off = xreallocarray(h->child_off, 1, sizeof *h->child_off, "the object table");
        h->child_off[0] = 0;
    }
    uint8_t *tags = index_build(h, NULL, 0);

    /* Missing addresses get one dangling entry each, found through a second
     * open-addressing table keyed by h->dangling[]. */
    uint64_t dsize = 1024;
    uint32_t *dslots = xcalloc(dsize, sizeof *dslots, "the missing-address table");
    size_t dcap = 0;

    size_t ne = h->n ? h->child_off[h->n] : 0;
    if (!h->raw_wide && !h->raw_lo) /* no refs at all */
        raw_reserve(h, 1);
    /* out[k] overwrites the ref k's own storage once it has been read. */
    uint32_t *out = h->raw_wide ? (uint32_t *)(void *)h->raw_wide : h->raw_lo;
    const uint32_t *slots = h->index.slots;
    uint64_t isize = h->index.size;
    for (size_t k = 0; k < ne; k++) {
        /* Two misses a ref (the slot, then the address it names): prefetch
         * the slot of ref k + 2 * AHEAD, and the address behind the slot of
         * ref k + AHEAD, which has arrived by now. Both are ahead of out[k]:
         * the refs j > k are not overwritten yet. */
        if (k + 2 * INDEX_AHEAD < ne) {
            uint64_t home = index_home(isize, raw_addr(h, k + 2 * INDEX_AHEAD));
            __builtin_prefetch(&slots[home]);
            __builtin_prefetch(&tags[home]);
        }
        if (k + INDEX_AHEAD < ne)
            index_prefetch_key(slots, tags, isize, h->addr, raw_addr(h, k + INDEX_AHEAD));
        uint64_t a = raw_addr(h, k); /* read before out[k] (or out[2k], out[2k+1]) is written */
        uint32_t *slot = index_probe_tagged(h->index.slots, tags, isize, h->addr, a);
        obj_t o = *slot ? *slot - 1 : OBJ_NONE;
        uint32_t c;
        if (o != OBJ_NONE) {
            c = o;
        } else {
            h->stats.dangling_refs++;
            uint32_t *s = index_lookup_slot(dslots, dsize, h->dangling, a);
            if (!*s) {
                if (h->n_dangling == dcap) {
                    dcap = dcap ? dcap * 2 : 256;
                    h->dangling = xreallocarray(h->dangling, dcap, sizeof *h->dangling, "the missing-address table");
                }
                h->dangling[h->n_dangling] = a;
                *s = (uint32_t)++h->n_dangling;
                if (h->n_dangling * 4 > dsize * 3) {
                    uint64_t nsize = dsize * 2;
                    uint32_t *ns = xcalloc(nsize, sizeof *ns, "the missing-address table");
                    for (size_t d = 0; d < h->n_dangling; d++)
                        *index_lookup_slot(ns, nsize, h->dangling, h->dangling[d]) = (uint32_t)d + 1;
                    free(dslots);
                    dslots = ns;
                    dsize = nsize;
                    s = index_lookup_slot(dslots, dsize, h->dangling, a);
                }
            }
            c = HEAP_DANGLING | (*s - 1);
        }
        memcpy(out + k, &c, sizeof c);
    }
    free(dslots);
    free(tags);
    h->children = xreallocarray(out, ne ? ne : 1, sizeof *out, "the reference table");
    free(h->raw_hi);
    h->raw_lo = NULL;
    h->raw_hi = NULL;
    h->raw_wide = NULL;
    h->raw_cap = 0;
    h->n_raw_high = 0;
    h->n_edges = ne;
}

void heap_set_line(struct heap *h, obj_t i, uint32_t line)
{
    if (h->n_lines == h->lines_cap) {
        h->lines_cap = h->lines_cap ? h->lines_cap * 2 : 64;
        h->lines = xreallocarray(h->lines, h->lines_cap, sizeof *h->lines, "frame lines");
    }
    h->lines[h->n_lines++] = (struct heap_line){i, line};
}

uint32_t heap_line(const struct heap *h, obj_t i)
{
    size_t lo = 0, hi = h->n_lines;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->lines[mid].obj < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < h->n_lines && h->lines[lo].obj == i ? h->lines[lo].line : 0;
}

/* The new numbers of a compaction: object i keeps the rank of i among the
 * objects not dropped. A bit an object and a count every 64 (0.19 bytes an
 * object) instead of an array of numbers: the lookups of the edges' copy
 * stay in the caches. */
struct renumber {
    uint64_t *kept;          /* bit i: object i stays */
    uint32_t *before;        /* objects kept before each word's first */
};

static size_t renumber_init(struct renumber *r, const struct heap *h)
{
    size_t words = h->n / 64 + 1;
    r->kept = xcalloc(words, sizeof *r->kept, "renumbering objects");
    r->before = xmalloc(words * sizeof *r->before, "renumbering objects");
    for (size_t i = 0; i < h->n; i++)
        if (!(h->flags[i] & OF_DROP))
            r->kept[i / 64] |= 1ull << (i % 64);
    size_t kept = 0;
    for (size_t w = 0; w < words; w++) {
        r->before[w] = (uint32_t)kept;
        kept += (size_t)__builtin_popcountll(r->kept[w]);
    }
    return kept;
}

static inline obj_t renumber(const struct renumber *r, uint32_t i)
{
    uint64_t word = r->kept[i / 64], bit = 1ull << (i % 64);
    if (!(word & bit))
        return OBJ_NONE;
    return r->before[i / 64] + (obj_t)__builtin_popcountll(word & (bit - 1));
}

static void renumber_free(struct renumber *r)
{
    free(r->kept);
    free(r->before);
}

/* Renumbering keeps the order, so the line table stays sorted. */
static void lines_remap(struct heap *h, const struct renumber *r)
{
    size_t k = 0;
    for (size_t q = 0; q < h->n_lines; q++) {
        obj_t j = renumber(r, h->lines[q].obj);
        if (j != OBJ_NONE)
            h->lines[k++] = (struct heap_line){j, h->lines[q].line};
    }
    h->n_lines = k;
}

/* The address index after a compaction, in place: a kept object's slot
 * takes its new number, a dropped one's becomes INDEX_GONE (a lookup goes
 * on past it, as past another address), so no address is hashed again. */
static void index_renumber(struct heap *h, const struct renumber *r)
{
    uint32_t *slots = h->index.slots;
    for (uint64_t k = 0; k < h->index.size; k++) {
        uint32_t v = slots[k];
        if (v && v != INDEX_GONE) {
            obj_t j = renumber(r, v - 1);
            slots[k] = j == OBJ_NONE ? INDEX_GONE : j + 1;
        }
    }
}

/* A dict absorbed by collapse (dropped, and marked OF_COLLAPSED too). */
static inline int absorbed_dict(const struct heap *h, uint32_t i)
{
    return (h->flags[i] & (OF_DROP | OF_COLLAPSED)) == (OF_DROP | OF_COLLAPSED);
}

int heap_compact(struct heap *h, int absorbed)
{
    size_t n = h->n;
    struct renumber rn;
    size_t kept = renumber_init(&rn, h);
#define REMAP(i) renumber(&rn, (uint32_t)(i))

    /* Count the new edges, then fill a new array. */
    size_t ne = 0;
    for (size_t i = 0; i < n; i++) {
        if (h->flags[i] & OF_DROP)
            continue;
        ne += heap_nchildren(h, (obj_t)i);
        if (absorbed && (h->flags[i] & OF_COLLAPSED))
            ne += heap_nchildren(h, heap_children(h, (obj_t)i)[0]) - 1;
    }
    if (ne > HEAP_MAX_EDGES) { /* a dict shared by many owners is copied into each */
        renumber_free(&rn);
        return -1;
    }
    /* The new offsets go over the old ones as the objects are copied (object
     * i's new number is never above i, and its own old offsets are read
     * first); an absorbed dict's range, which its owner reads later, is kept
     * in the dict's len and string fields, which nothing reads any more. */
    if (absorbed)
        for (size_t i = 0; i < n; i++)
            if (absorbed_dict(h, (uint32_t)i)) {
                h->len32[i] = h->child_off[i];
                h->str[i] = h->child_off[i + 1] - h->child_off[i];
            }
    uint32_t *children = xmalloc((ne ? ne : 1) * sizeof *children, "the reference table");
    uint32_t *off = h->child_off;
    size_t pos = 0;

#define EMIT(c)                                                                              \
    do {                                                                                     \
        uint32_t c_ = (c);                                                                   \
        if (!heap_is_dangling(c_)) {                                                         \
            obj_t r_ = REMAP(c_);                                                            \
            if (r_ != OBJ_NONE) {                                                            \
                c_ = r_;                                                                     \
            } else if (absorbed && absorbed_dict(h, c_)) {                                   \
                c_ = REMAP(h->size32[c_]);                                                   \
                h->stats.redirected++;                                                       \
            } else { /* not reached by loads: only dicts are dropped with refs to them */  \
                h->dangling = xreallocarray(h->dangling, h->n_dangling + 1,                  \
                                            sizeof *h->dangling, "the missing-address table"); \
                h->dangling[h->n_dangling] = h->addr[c_];                                    \
                c_ = HEAP_DANGLING | (uint32_t)h->n_dangling++;                              \
                h->stats.dangling_refs++;                                                    \
            }                                                                                \
        }                                                                                    \
        children[pos++] = c_;                                                                \
    } while (0)

    for (size_t i = 0, j = 0; i < n; i++) {
        if (h->flags[i] & OF_DROP)
            continue;
        uint32_t start = (uint32_t)pos;
        const uint32_t *c = h->children + off[i];
        size_t nc = (size_t)(off[i + 1] - off[i]);
        if (absorbed && (h->flags[i] & OF_COLLAPSED)) {
            obj_t d = c[0];
            const uint32_t *dc = h->children + h->len32[d];
            size_t ndc = h->str[d];
            for (size_t k = 0; k < ndc; k++)
                EMIT(dc[k]);
            for (size_t k = 1; k < nc; k++)
                if (c[k] != d)
                    EMIT(c[k]);
        } else {
            for (size_t k = 0; k < nc; k++)
                EMIT(c[k]);
        }
        off[j++] = start;
    }
#undef EMIT
    h->child_off = NULL;
    off = xreallocarray(off, kept + 1, sizeof *off, "the reference table");
    off[kept] = (uint32_t)pos;

    lines_remap(h, &rn);
    /* Move the big values to their new numbers. */
    struct bigval *big = h->big, *b, *tmp;
    h->big = NULL;
    HASH_ITER(hh, big, b, tmp) {
        HASH_DEL(big, b);
        obj_t o = REMAP(b->key / 2);
        if (o != OBJ_NONE) {
            b->key = (uint64_t)o * 2 + b->key % 2;
            HASH_ADD(hh, h->big, key, sizeof b->key, b);
        } else {
            free(b);
        }
    }

    for (size_t i = 0, j = 0; i < n; i++) {
        if (h->flags[i] & OF_DROP)
            continue;
        if (j != i) {
            h->addr[j] = h->addr[i];
            h->type[j] = h->type[i];
            h->size32[j] = h->size32[i];
            h->len32[j] = h->len32[i];
            h->str[j] = h->str[i];
            h->flags[j] = h->flags[i];
        }
        j++;
    }
#undef REMAP
    free(h->children);
    h->children = children;
    h->child_off = off;
    h->n_edges = pos;
    h->n = kept;
    h->cap = kept;
    if (kept) {
        const char *what = "the object table";
        h->addr = xreallocarray(h->addr, kept, sizeof *h->addr, what);
        h->type = xreallocarray(h->type, kept, sizeof *h->type, what);
        h->size32 = xreallocarray(h->size32, kept, sizeof *h->size32, what);
        h->len32 = xreallocarray(h->len32, kept, sizeof *h->len32, what);
        h->str = xreallocarray(h->str, kept, sizeof *h->str, what);
        h->flags = xreallocarray(h->flags, kept, sizeof *h->flags, what);
    }
    if (h->index.slots)
        index_renumber(h, &rn);
    else
        free(index_build(h, NULL, 0));
    renumber_free(&rn);
    return 0;
}

void heap_build_parents(struct heap *h)
{
    size_t n = h->n;
    free(h->parent_off);
    free(h->parents);
    /* A counting sort with no second array: count every ref (duplicates too)
     * into off[child + 1]; the prefix sums make off[i + 1] the end of object
     * i's range; filling each range from the back moves off[i + 1] down to
     * its start. Parents are met in descending order, so every list is
     * ascending and a parent's repeated refs to one child sit side by side;
     * the slide that closes the lists up drops the repeats. */
    uint32_t *off = xcalloc(n + 1, sizeof *off, "the parent table");
    for (size_t k = 0; k < h->n_edges; k++)
        if (!heap_is_dangling(h->children[k]))
            off[h->children[k] + 1]++;
    for (size_t i = 0; i < n; i++)
        off[i + 1] += off[i];
    size_t bound = n ? off[n] : 0;
    uint32_t *parents = xmalloc((bound ? bound : 1) * sizeof *parents, "the parent table");
    for (size_t p = n; p-- > 0;) {
        const uint32_t *c = heap_children(h, (obj_t)p);
        size_t nc = heap_nchildren(h, (obj_t)p);
        for (size_t k = 0; k < nc; k++)
            if (!heap_is_dangling(c[k]))
                parents[--off[c[k] + 1]] = (uint32_t)p;
    }
    /* Now off[i + 1] is where object i's list starts, and off[i + 2] (or
     * bound, for the last) where it ends; off[i] is free once read. */
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        size_t from = off[i + 1], to = i + 1 < n ? off[i + 2] : bound;
        off[i] = (uint32_t)pos;
        uint32_t last = UINT32_MAX; /* not an object number */
        for (size_t k = from; k < to; k++)
            if (parents[k] != last)
                parents[pos++] = last = parents[k];
    }
    if (n)
        off[n] = (uint32_t)pos;
    h->parent_off = off;
    h->parents = xreallocarray(parents, pos ? pos : 1, sizeof *parents, "the parent table");
    h->n_parent_edges = pos;
}

void heap_detect_flavour(struct heap *h)
{
    static const char *const py2[] = {"classobj", "instance", "unicode", "long", "instancemethod"};
    static const char *const py3[] = {"bytes", "builtin_function_or_method", "method", "coroutine", "mappingproxy"};
    for (size_t i = 0; i < sizeof py2 / sizeof *py2; i++)
        if (types_lookup(&h->types, py2[i]) != UINT32_MAX) {
            h->flavour = FLAVOUR_PY2;
            return;
        }
    for (size_t i = 0; i < sizeof py3 / sizeof *py3; i++)
        if (types_lookup(&h->types, py3[i]) != UINT32_MAX) {
            h->flavour = FLAVOUR_PY3;
            return;
        }
    h->flavour = FLAVOUR_UNKNOWN;
}

size_t heap_big_export(const struct heap *h, uint64_t *pairs)
{
    size_t k = 0;
    for (const struct bigval *b = h->big; b; b = b->hh.next, k++)
        if (pairs) {
            pairs[2 * k] = b->key;
            pairs[2 * k + 1] = b->val;
        }
    return k;
}

void heap_big_import(struct heap *h, const uint64_t *pairs, size_t n)
{
    for (size_t k = 0; k < n; k++)
        big_set(h, (obj_t)(pairs[2 * k] / 2), (int)(pairs[2 * k] % 2), pairs[2 * k + 1]);
}

size_t heap_memory(const struct heap *h)
{
    size_t per_obj = sizeof *h->addr + sizeof *h->type + sizeof *h->size32 + sizeof *h->len32 +
                     sizeof *h->str + sizeof *h->flags + sizeof *h->child_off + sizeof *h->parent_off;
    return h->cap * per_obj + h->n_edges * sizeof *h->children +
           h->n_parent_edges * sizeof *h->parents + h->n_dangling * sizeof *h->dangling +
           (h->index.slots ? (size_t)h->index.size * sizeof *h->index.slots : 0) +
           strpool_memory(&h->strings);
}
