/* compare.h: compare mode, `heapwalk OLD NEW`: the explorer shows NEW and
 * says, beside it, what changed since OLD (diff.h, the engine of `heapwalk
 * diff`).
 *
 * The per-type deltas and which objects are new are computed once, while
 * loading (diff_compute without paths: one address lookup per object), so
 * the first screen can sort by them.  The holders of new objects need NEW's
 * shortest paths from the roots with the defaults `heapwalk diff` uses: the
 * background analysis' first run has exactly those (app.c starts it with no
 * pins and no skipped kinds, and restarts only once it has finished), and
 * hands them to compare_paths_found on its worker thread, which adds the
 * holders to the same comparison (diff_find_holders) and publishes them with
 * a release store; the main thread reads them after an acquire load.  So the
 * screen shows the rows `heapwalk diff` prints even after the user pins
 * roots or skips kinds of refs.
 *
 * The old dump's retained sizes (its roots and dominator tree) are computed
 * on a thread of their own after loading, so that the screens can say how
 * much more a type or an owner retains than it did (+/-Retained); the same
 * release/acquire pair publishes them. */
#ifndef HW_TUI_COMPARE_H
#define HW_TUI_COMPARE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "../src/diff.h"
#include "../src/dominators.h"
#include "../src/roots.h"
#include "../src/trend.h"
#include "../src/heap.h"
#include "../src/open.h"

#define COMPARE_LABEL_MAX 512

struct compare {
    struct heap old;         /* the older dump: diff's type names point into it too */
    const struct heap *heap; /* the newer dump, the one the explorer shows (not owned) */
    char label[COMPARE_LABEL_MAX]; /* "compare: OLD -> NEW", base names */
    struct diff diff;        /* per-type deltas (`heapwalk diff` order), is_new; the holders once ready */
    const struct diff_type **of_type; /* per type id of heap: its row of diff.types */
    atomic_int holders_done; /* diff.holders is ready */
    int seen_done;           /* holders_done when the main loop last looked */
    uint32_t *old_type;      /* per type id of heap: the same name's id in old, or UINT32_MAX */
    struct roots old_roots;  /* the old dump's retained sizes, once old_done is set */
    struct dominators old_dom;
    uint64_t *old_by_type;   /* per type id of old: dominators_by_type() */
    atomic_int old_done;
    int seen_old_done;       /* old_done when the main loop last looked */
    pthread_t old_thread;
    int old_running;
    /* heapwalk D1 D2 ... OLD NEW (three dumps or more): per-type counts and
     * sizes over all of them (trend.h), for the Trend column. */
    struct trend trend;
    int have_trend;
    const struct trend_type **trend_of; /* per type id of heap: its row of trend (never NULL) */
};

/* Load the older dump from old_path (progress and errors on stderr, as the
 * subcommands do) and compare it with new_heap (loaded from new_path, kept by
 * the caller for as long as c lives).  Returns -1 when the old dump cannot be
 * loaded (said on stderr); c then needs only compare_free. */
int compare_load(struct compare *c, const char *old_path, const char *new_path, const struct open_options *opt,
                 const struct heap *new_heap);
/* Three dumps or more: read the earlier ones (paths[0..n), oldest first,
 * before OLD) one at a time, as `heapwalk trend` does (each freed before the
 * next: only per-type counts and sizes are kept), then count OLD and NEW from
 * the stores compare_load made.  Progress and errors on stderr; -1 when a
 * dump cannot be loaded.  After compare_load. */
int compare_load_trend(struct compare *c, char *const *paths, size_t n, const struct open_options *opt,
                       const char *old_path, const char *new_path);

/* The analysis found the newer dump's paths with the default roots and
 * kinds: find the holders of new objects, once (analysis.h's paths_found,
 * with c as ctx; runs on the analysis' worker thread). */
void compare_paths_found(void *c, const struct paths *p);
/* Free everything; c may be all zero (waits for the old dump's retained
 * sizes if they are still being computed).  Stop the analysis first. */
void compare_free(struct compare *c);

/* Are the holders of new objects (c->diff.holders) ready? */
int compare_holders_ready(const struct compare *c);
/* 1 once when the holders become ready: the main loop redraws. */
int compare_poll(struct compare *c);
/* A line for the status bar until the holders and the old dump's retained
 * sizes are ready, or NULL. */
const char *compare_status(const struct compare *c);

/* Are the old dump's retained sizes there? */
int compare_old_retained_ready(const struct compare *c);
/* How much more type id t of the newer dump retains than the type of that
 * name did in the old one (now: the newer dump's dominators_by_type).  Call
 * once compare_old_retained_ready. */
int64_t compare_type_retained_delta(const struct compare *c, const uint64_t *now, uint32_t t);
/* How much more object o of the newer dump retains (now: its retained
 * sizes) than the same object (address and type) did in the old dump; a new
 * object's whole retained size.  Call once compare_old_retained_ready. */
int64_t compare_object_retained_delta(const struct compare *c, const uint64_t *now, obj_t o);

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
