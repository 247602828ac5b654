/* load.h: a dump file -> a finished heap (input + parse + store + collapse +
 * parents). Lines are parsed in parallel, one thread per core, and merged in
 * file order, so the first occurrence of an address still wins. */
#ifndef HW_LOAD_H
#define HW_LOAD_H

#include <stdatomic.h>
#include <stdint.h>

#include "heap.h"
#include "util.h"

struct load_progress {
    const char *phase;       /* "reading", "indexing", "collapsing", "parents" */
    uint64_t pos, total;     /* file bytes consumed and the file's size (0 when unknown) */
    uint64_t objects;
    double elapsed;          /* seconds since the load started */
    int done;                /* the last call */
};
typedef void (*load_progress_fn)(const struct load_progress *p, void *ctx);

struct load_options {
    int collapse;            /* meliae's collapse_instance_dicts (its default, and ours); never
                                applied twice: a dump from `heapwalk export` is read as it is */
    int strict;              /* stop at the first bad line */
    int threads;             /* parser threads; 0 = one per core */
    int force;               /* load even when the dump looks too big for the memory available */
    size_t max_line;         /* longest line read from a stream of unknown size, in bytes
                                (LOAD_MAX_LINE by default): one with no line end (/dev/zero, a
                                gzip bomb on a pipe) stops there; a file of known size may hold
                                a line as long as itself, up to a quarter of the memory available */
    int cache;               /* use the index cache (cache.h): open from it, write it after a load */
    load_progress_fn progress;
    void *progress_ctx;
    const atomic_int *cancel; /* non-zero: stop reading and fail with "cancelled" (NULL: never);
                                for a front end that loads in the background */
};

#define LOAD_MAX_MESSAGES 10
/* For streams of unknown size: far above most lines (meliae's longest in the shared
 * dumps: a few MB, a list of 400k items; a list of 4M items is about 70 MB). */
#define LOAD_MAX_LINE ((size_t)64 << 20)

/* Where the loading time went, in seconds (wall clock). */
struct load_timings {
    double read;             /* waiting for input (reading, decompressing) */
    double parse;            /* parsing blocks on every core */
    double merge;            /* appending parsed records to the store, in order */
    double resolve;          /* address index, refs to object numbers */
    double collapse;         /* collapse + compaction */
    double parents;
    uint64_t fast_lines, cjson_lines; /* lines read by the fast path and by cJSON */
};

struct load_report {
    struct load_timings timings;
    uint64_t bad_lines;
    size_t n_messages;       /* the first bad lines, "FILE:LINE: reason" */
    char messages[LOAD_MAX_MESSAGES][HW_ERRMAX];
    double seconds;
    int from_cache;          /* the store was mapped from the index cache */
    char cache_note[HW_ERRMAX]; /* a cache file ignored, or not written, and why; "" if none */
};

void load_options_default(struct load_options *opt);

/* Load path ("-" for stdin) into h (heap_init'ed by the caller; heap_free it
 * in every case).  With opt->cache, a file's store comes from the index cache
 * when it holds a good copy, and is written there (in the background, until
 * heap_free) after a load.  Returns 0, or -1 with err filled: a missing or unreadable
 * file, an empty one, a corrupt gzip, a dump with no objects, and with
 * opt->strict the first bad line as "FILE:LINE: reason". */
int load_dump(const char *path, const struct load_options *opt, struct heap *h,
              struct load_report *rep, struct hw_error *err);

/* The same for bytes in memory (tests); name is used in messages. */
int load_buffer(const char *name, const char *data, size_t len, const struct load_options *opt,
                struct heap *h, struct load_report *rep, struct hw_error *err);

#endif
