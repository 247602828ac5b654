/* intern.h: interned type names and strings.
 *
 * Types: a uthash table name -> id and an array id -> name; a few hundred
 * entries.  Strings (values and names, up to a few hundred bytes each, many
 * repeated): one byte arena and an open-addressing table of 32-bit ids, about
 * 4 bytes of index per distinct string instead of a pointer-rich node. */
#ifndef HW_INTERN_H
#define HW_INTERN_H

#include <stddef.h>
#include <stdint.h>

struct type_entry;

struct types {
    struct type_entry *by_name;  /* uthash head */
    char **names;                /* id -> NUL-terminated name, owned */
    uint32_t n, cap;
};

void types_init(struct types *t);
void types_free(struct types *t);
/* The id of a type name (len bytes, no NUL inside), adding it if new. */
uint32_t types_intern(struct types *t, const char *name, size_t len);
/* The id of a type name, or UINT32_MAX if no object has it. */
uint32_t types_lookup(const struct types *t, const char *name);
static inline const char *types_name(const struct types *t, uint32_t id) { return t->names[id]; }

struct strpool {
    char *arena;                 /* entries: u32 length, bytes, NUL */
    uint64_t arena_len, arena_cap;
    uint64_t *off;               /* id -> arena offset; id 0 is unused ("no string") */
    uint32_t n, cap;             /* ids in use (including 0) */
    uint64_t *slots;             /* hash table: the string's hash << 32 | id, 0 = empty */
    uint32_t mask;
};

void strpool_init(struct strpool *p);
void strpool_free(struct strpool *p);
/* The id of a byte string (may hold NULs), adding it if new; 0 when the pool
 * holds UINT32_MAX strings already. */
uint32_t strpool_intern(struct strpool *p, const char *s, size_t len);
/* The hash strpool_intern uses: computed ahead (in another thread, say),
 * it goes to strpool_intern_hashed and the prefetches below. */
uint32_t strpool_hash(const char *s, size_t len);
uint32_t strpool_intern_hashed(struct strpool *p, const char *s, size_t len, uint32_t hash);
/* Interning is bound by cache misses in a table bigger than the caches: a
 * loop over strings to come asks for the slot of a later string, then (a few
 * strings on, once the slot has arrived) for its entry, then for its bytes. */
void strpool_prefetch_slot(const struct strpool *p, uint32_t hash);
void strpool_prefetch_entry(const struct strpool *p, uint32_t hash);
void strpool_prefetch_bytes(const struct strpool *p, uint32_t hash);
/* The bytes of id (NUL-terminated); *len gets the length when len != NULL. */
const char *strpool_get(const struct strpool *p, uint32_t id, size_t *len);
size_t strpool_memory(const struct strpool *p);
/* Done adding for now: give back the spare capacity and the hash table
 * (rebuilt by the next strpool_intern, if there is one). */
void strpool_freeze(struct strpool *p);

#endif
