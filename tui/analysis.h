/* analysis.h: the whole-heap analyses, computed in the background.
 *
 * After loading, a worker thread finds the roots, the shortest paths to them
 * and the dominator tree (retained sizes), in that order, so the explorer is
 * usable at once and every key still answers in milliseconds on a dump of
 * millions of objects. Screens ask analysis_ready() before they read a result
 * and show analysis_status() meanwhile; the main loop's finite getch timeout
 * notices when a stage finishes (analysis_poll), tells the screen
 * (view_ops.analysis_changed) and redraws.
 *
 * The worker only reads the heap, which nothing writes after loading, and
 * writes its own results; a stage's results are read only after its flag is
 * set (release/acquire), so no lock is needed. */
#ifndef HW_TUI_ANALYSIS_H
#define HW_TUI_ANALYSIS_H

#include <pthread.h>
#include <stdatomic.h>

#include "../src/dominators.h"
#include "../src/heap.h"
#include "../src/paths.h"
#include "../src/roots.h"

enum analysis_stage {
    ANALYSIS_NONE = 0,       /* nothing yet */
    ANALYSIS_ROOTS,          /* roots ready */
    ANALYSIS_PATHS,          /* roots and paths ready */
    ANALYSIS_DOMINATORS,     /* everything ready */
};

struct analysis {
    const struct heap *heap;
    obj_t *pinned;           /* user-pinned roots (owned) */
    size_t npinned;
    unsigned kinds;          /* edge kinds excluded from the paths */
    /* Called on the worker thread once the paths are found (may be NULL). */
    void (*paths_found)(void *ctx, const struct paths *p);
    void *paths_found_ctx;
    struct roots roots;
    struct paths paths;
    struct dominators dom;
    uint64_t *dom_by_type;   /* per type id: dominators_by_type(), with dom */
    atomic_int stage;        /* enum analysis_stage reached */
    atomic_int cancel;       /* set to stop the worker early */
    int seen_stage;          /* the stage the main loop last redrew for */
    int running;
    pthread_t thread;
    double seconds[4];       /* how long each stage took */
};

/* Start (or restart, after pinning a root or changing the excluded edge
 * kinds) the worker for h. pinned (copied) may be NULL.  paths_found (may be
 * NULL) is called with ctx on the worker thread when this run has found the
 * paths, before it goes on to the dominators. */
void analysis_start(struct analysis *a, const struct heap *h, const obj_t *pinned, size_t npinned,
                    unsigned kinds, void (*paths_found)(void *ctx, const struct paths *p), void *ctx);
/* Has the worker got at least this far? */
int analysis_ready(const struct analysis *a, enum analysis_stage stage);
/* A line for the status bar while the worker runs ("finding roots..."), or
 * NULL when everything is ready. */
const char *analysis_status(const struct analysis *a);
/* 1 once each time a stage finishes: the main loop redraws. */
int analysis_poll(struct analysis *a);
/* Stop the worker (it stops between stages) and free the results. */
void analysis_stop(struct analysis *a);

#endif
