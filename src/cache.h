/* cache.h: the index cache: a finished store written once after a load and
 * mapped on the next open of the same dump, with no parsing.
 *
 * One file per dump and collapse mode in $XDG_CACHE_HOME/heapwalk (default
 * ~/.cache/heapwalk), keyed by the dump's real path, device, inode, size and
 * modification time, and by the format version.  The file is a header, a
 * section table and the store's arrays, each 64-byte aligned; the store's
 * arrays point into a private mapping of it.  Nothing in it is trusted: a
 * file whose sizes, checksums (header, table and every section) or bounds
 * (every object number, type id, string offset) do not hold is ignored with a
 * note and the dump is parsed again.  The parent lists are not stored: they
 * are rebuilt from the children on open (a tenth of a second for 4M objects),
 * so they agree with them whatever the file holds.  docs/performance.md states the rules for
 * the size bound and free disk space. */
#ifndef HW_CACHE_H
#define HW_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "util.h"

struct load_report;

/* What identifies a dump's store: filled by cache_key from the file. */
struct cache_key {
    char path[4096];          /* realpath of the dump */
    uint64_t dev, ino, size, mtime_sec, mtime_nsec;
    uint32_t collapse;        /* 1 = collapse_instance_dicts asked for, 0 = --raw */
};

/* The key of the dump at path; -1 when it cannot be cached (stdin, not a
 * regular file, no cache directory). */
int cache_key(const char *path, int collapse, struct cache_key *key);

/* The cache directory into buf: $XDG_CACHE_HOME/heapwalk or ~/.cache/heapwalk. -1 if neither. */
int cache_dir(char *buf, size_t len);

/* Open the store of key from the cache into h (heap_init'ed, empty).
 * Returns 1 when h holds it (rep gets the bad-line count and messages of the
 * first load), 0 when there is no usable file (note says why when one was
 * there but stale, corrupt or truncated; note[0] == 0 otherwise). */
int cache_open(const struct cache_key *key, struct heap *h, struct load_report *rep, char *note, size_t note_len);

/* The same for a cache file's bytes in memory (the fuzz target and tests); h
 * points into data, which must stay alive and 64-byte aligned while h is used. */
int cache_read_buffer(const struct cache_key *key, const void *data, size_t len, struct heap *h,
                      struct load_report *rep, char *note, size_t note_len);

/* Start writing h's store for key in a background thread (h must not change
 * until heap_free, which waits for the writer).  Skips writing with a note
 * (0 returned, note filled) when the disk is low or the file would pass the
 * cache's bound; 1 when the writer started; 0 with note[0] == 0 when there is
 * nothing to do. */
int cache_store_start(const struct cache_key *key, struct heap *h, const struct load_report *rep, char *note,
                      size_t note_len);

/* Wait for h's writer, if any (heap_free calls it). */
void cache_store_wait(struct heap *h);

/* The whole cache file for key and h, in a malloc'ed buffer (*len bytes): the
 * writer's bytes, also for tests and the fuzz target's seeds. */
void *cache_serialize(const struct cache_key *key, const struct heap *h, const struct load_report *rep, size_t *len);

/* Recompute the checksums of a cache file in memory (after a test or the
 * fuzzer changed it on purpose); nothing when it is too short to hold them. */
void cache_seal(void *data, size_t len);

#endif
