#include "intern.h"

#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "util.h"

struct type_entry {
    uint32_t id;
    UT_hash_handle hh;
};

void types_init(struct types *t) { memset(t, 0, sizeof *t); }

void types_free(struct types *t)
{
    struct type_entry *e, *tmp;
    HASH_ITER(hh, t->by_name, e, tmp) {
        HASH_DEL(t->by_name, e);
        free(e);
    }
    for (uint32_t i = 0; i < t->n; i++)
        free(t->names[i]);
    free(t->names);
    memset(t, 0, sizeof *t);
}

uint32_t types_intern(struct types *t, const char *name, size_t len)
{
    struct type_entry *e;
    HASH_FIND(hh, t->by_name, name, len, e);
    if (e)
        return e->id;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->names = xreallocarray(t->names, t->cap, sizeof *t->names, "the type table");
    }
    char *copy = xmalloc(len + 1, "a type name");
    memcpy(copy, name, len);
    copy[len] = '\0';
    t->names[t->n] = copy;
    e = xmalloc(sizeof *e, "the type table");
    e->id = t->n++;
    /* The key points into the owned copy, which lives as long as the entry. */
    HASH_ADD_KEYPTR(hh, t->by_name, copy, len, e);
    return e->id;
}

uint32_t types_lookup(const struct types *t, const char *name)
{
    struct type_entry *e;
    HASH_FIND(hh, t->by_name, name, strlen(name), e);
    return e ? e->id : UINT32_MAX;
}

uint32_t strpool_hash(const char *s, size_t len)
{
    /* FNV-1a: short strings, good enough spread, no allocation. */
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* A slot holds an id and its string's hash: a probe and a rehash compare and
 * move slots without reading the strings. 0 is empty (id 0 is never used). */
static inline uint64_t slot_make(uint32_t hash, uint32_t id) { return (uint64_t)hash << 32 | id; }
static inline uint32_t slot_id(uint64_t slot) { return (uint32_t)slot; }
static inline uint32_t slot_hash(uint64_t slot) { return (uint32_t)(slot >> 32); }

void strpool_init(struct strpool *p)
{
    memset(p, 0, sizeof *p);
    p->cap = 1024;
    p->off = xcalloc(p->cap, sizeof *p->off, "the string table");
    p->n = 1; /* id 0 means "no string" */
    p->mask = 2047;
    p->slots = xcalloc((size_t)p->mask + 1, sizeof *p->slots, "the string index");
}

void strpool_free(struct strpool *p)
{
    free(p->arena);
    free(p->off);
    free(p->slots);
    memset(p, 0, sizeof *p);
}

static const char *entry_bytes(const struct strpool *p, uint32_t id, uint32_t *len)
{
    const char *e = p->arena + p->off[id];
    memcpy(len, e, sizeof *len);
    return e + sizeof *len;
}

/* Put the ids 1..n-1 into a fresh table of mask + 1 slots. With old (the
 * table being outgrown) the hashes come from its slots; without, from the
 * strings. */
static void strpool_fill(struct strpool *p, uint32_t mask, const uint64_t *old, uint32_t old_mask)
{
    uint64_t *slots = xcalloc((size_t)mask + 1, sizeof *slots, "the string index");
    if (old) {
        for (uint64_t k = 0; k <= old_mask; k++) {
            if (!old[k])
                continue;
            uint32_t i = slot_hash(old[k]) & mask;
            while (slots[i])
                i = (i + 1) & mask;
            slots[i] = old[k];
        }
    } else {
        for (uint32_t id = 1; id < p->n; id++) {
            uint32_t len;
            const char *s = entry_bytes(p, id, &len);
            uint32_t h = strpool_hash(s, len);
            uint32_t i = h & mask;
            while (slots[i])
                i = (i + 1) & mask;
            slots[i] = slot_make(h, id);
        }
    }
    free(p->slots);
    p->slots = slots;
    p->mask = mask;
}

void strpool_freeze(struct strpool *p)
{
    free(p->slots);
    p->slots = NULL;
    p->mask = 0;
    if (p->arena_len) {
        p->arena = xrealloc(p->arena, p->arena_len, "the string arena");
        p->arena_cap = p->arena_len;
    }
    p->off = xreallocarray(p->off, p->n, sizeof *p->off, "the string table");
    p->cap = p->n;
}

/* A table with room for n ids at a load factor of at most 3/4, from the strings. */
static void strpool_reindex(struct strpool *p)
{
    uint32_t mask = 2047;
    while ((uint64_t)p->n * 4 > (uint64_t)(mask + 1) * 3)
        mask = mask * 2 + 1;
    strpool_fill(p, mask, NULL, 0);
}

uint32_t strpool_intern(struct strpool *p, const char *s, size_t len)
{
    return strpool_intern_hashed(p, s, len, strpool_hash(s, len));
}

uint32_t strpool_intern_hashed(struct strpool *p, const char *s, size_t len, uint32_t h)
{
    if (!p->slots)
        strpool_reindex(p);
    if (len > UINT32_MAX - 8)
        len = UINT32_MAX - 8; /* values are cut at 100 characters by the scanner; never reached */
    uint32_t i = h & p->mask;
    while (p->slots[i]) {
        if (slot_hash(p->slots[i]) == h) {
            uint32_t elen;
            const char *e = entry_bytes(p, slot_id(p->slots[i]), &elen);
            if (elen == len && memcmp(e, s, len) == 0)
                return slot_id(p->slots[i]);
        }
        i = (i + 1) & p->mask;
    }
    if (p->n == UINT32_MAX)
        return 0; /* over 4 billion distinct strings */
    uint64_t need = sizeof(uint32_t) + len + 1;
    if (p->arena_len + need > p->arena_cap) {
        uint64_t cap = p->arena_cap ? p->arena_cap : 65536;
        while (p->arena_len + need > cap)
            cap *= 2;
        p->arena = xrealloc(p->arena, cap, "the string arena");
        p->arena_cap = cap;
    }
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 1024;
        p->off = xreallocarray(p->off, p->cap, sizeof *p->off, "the string table");
    }
    uint32_t id = p->n++;
    uint32_t len32 = (uint32_t)len;
    char *e = p->arena + p->arena_len;
    memcpy(e, &len32, sizeof len32);
    memcpy(e + sizeof len32, s, len);
    e[sizeof len32 + len] = '\0';
    p->off[id] = p->arena_len;
    p->arena_len += need;
    p->slots[i] = slot_make(h, id);
    if ((uint64_t)p->n * 4 > (uint64_t)(p->mask + 1) * 3)
        strpool_fill(p, p->mask * 2 + 1, p->slots, p->mask);
    return id;
}

void strpool_prefetch_slot(const struct strpool *p, uint32_t hash)
{
    if (p->slots)
        __builtin_prefetch(&p->slots[hash & p->mask]);
}

void strpool_prefetch_entry(const struct strpool *p, uint32_t hash)
{
    if (!p->slots)
        return;
    uint64_t slot = p->slots[hash & p->mask];
    if (slot && slot_hash(slot) == hash)
        __builtin_prefetch(&p->off[slot_id(slot)]);
}

void strpool_prefetch_bytes(const struct strpool *p, uint32_t hash)
{
    if (!p->slots)
        return;
    uint64_t slot = p->slots[hash & p->mask];
    if (slot && slot_hash(slot) == hash)
        __builtin_prefetch(p->arena + p->off[slot_id(slot)]);
}

const char *strpool_get(const struct strpool *p, uint32_t id, size_t *len)
{
    uint32_t l;
    const char *s = entry_bytes(p, id, &l);
    if (len)
        *len = l;
    return s;
}

size_t strpool_memory(const struct strpool *p)
{
    return (size_t)p->arena_cap + (size_t)p->cap * sizeof *p->off +
           (p->slots ? ((size_t)p->mask + 1) * sizeof *p->slots : 0);
}
