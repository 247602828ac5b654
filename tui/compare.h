/* compare.h: compare mode, `heapwalk OLD NEW`: the explorer shows NEW and
 * says, beside it, what changed since OLD (diff.h, the engine of `heapwalk
 * diff`).
 *
 * The per-type deltas and which objects are new are computed while loading
 * (diff_compute without paths: one address lookup per object), so the first
 * screen can sort by them. The holders of new objects need NEW's shortest
 * paths from the roots: a worker thread finds its own roots and paths, with
 * the defaults `heapwalk diff` uses, so the screen shows the same rows even
 * when the user pins roots or excludes edge kinds in the analysis (which then
 * restarts and frees its paths). The worker writes only c->full and publishes
 * it with a release store; the main thread reads it after an acquire load. */
#ifndef HW_TUI_COMPARE_H
#define HW_TUI_COMPARE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "../src/diff.h"
#include "../src/heap.h"
#include "../src/open.h"

#define COMPARE_LABEL_MAX 512

struct compare {
    struct heap old;         /* the older dump: diff's type names point into it too */
    const struct heap *heap; /* the newer dump, the one the explorer shows (not owned) */
    char label[COMPARE_LABEL_MAX]; /* "compare: OLD -> NEW", base names */
    struct diff diff;        /* per-type deltas (`heapwalk diff` order) and is_new; no holders */
    const struct diff_type **of_type; /* per type id of heap: its row of diff.types */
    struct diff full;        /* the worker's: diff with the holders of new objects */
    atomic_int holders_done; /* full is ready */
    atomic_int cancel;       /* the worker stops between its steps */
    int seen_done;           /* holders_done when the main loop last redrew */
    int running;
    pthread_t thread;
};

/* Load the older dump from old_path (progress and errors on stderr, as the
 * subcommands do), compare it with new_heap (loaded from new_path, kept by
 * the caller for as long as c lives) and start the worker. Returns -1 when
 * the old dump cannot be loaded (said on stderr); c then needs only
 * compare_free. */
int compare_load(struct compare *c, const char *old_path, const char *new_path, const struct open_options *opt,
                 const struct heap *new_heap);
/* Stop the worker and free everything; c may be all zero. */
void compare_free(struct compare *c);

/* Are the holders of new objects (c->full.holders) ready? */
int compare_holders_ready(const struct compare *c);
/* 1 once when the holders become ready: the main loop redraws. */
int compare_poll(struct compare *c);
/* A line for the status bar while the worker runs, or NULL. */
const char *compare_status(const struct compare *c);

/* Is object o of the newer dump new (not in the old one)? 0 when c is NULL,
 * so that the screens can ask without checking for compare mode. */
static inline int compare_is_new(const struct compare *c, obj_t o)
{
    return c && c->diff.is_new[o];
}

/* The deltas of type id t of the newer dump. */
static inline const struct diff_type *compare_type(const struct compare *c, uint32_t t)
{
    return c->of_type[t];
}

#endif
