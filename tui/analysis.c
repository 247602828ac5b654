#include "analysis.h"

#include <stdlib.h>
#include <string.h>

#include "../src/util.h"

static void *worker(void *arg)
{
    struct analysis *a = arg;
    double t = hw_now();
    roots_compute(a->heap, a->pinned, a->npinned, &a->roots);
    a->seconds[ANALYSIS_ROOTS] = hw_now() - t;
    atomic_store_explicit(&a->stage, ANALYSIS_ROOTS, memory_order_release);
    if (atomic_load(&a->cancel))
        return NULL;
    t = hw_now();
    paths_compute(a->heap, &a->roots, a->kinds, &a->paths);
    a->seconds[ANALYSIS_PATHS] = hw_now() - t;
    atomic_store_explicit(&a->stage, ANALYSIS_PATHS, memory_order_release);
    if (a->paths_found && !atomic_load(&a->cancel))
        a->paths_found(a->paths_found_ctx, &a->paths);
    if (atomic_load(&a->cancel))
        return NULL;
    t = hw_now();
    dominators_compute(a->heap, &a->roots, &a->dom);
    a->dom_by_type = xmalloc((a->heap->types.n ? a->heap->types.n : 1) * sizeof *a->dom_by_type,
                             "retained sizes by type");
    dominators_by_type(a->heap, &a->dom, a->dom_by_type);
    a->seconds[ANALYSIS_DOMINATORS] = hw_now() - t;
    atomic_store_explicit(&a->stage, ANALYSIS_DOMINATORS, memory_order_release);
    return NULL;
}

void analysis_start(struct analysis *a, const struct heap *h, const obj_t *pinned, size_t npinned,
                    unsigned kinds, void (*paths_found)(void *ctx, const struct paths *p), void *ctx)
{
    analysis_stop(a);
    memset(a, 0, sizeof *a);
    a->heap = h;
    a->kinds = kinds;
    a->paths_found = paths_found;
    a->paths_found_ctx = ctx;
    if (npinned) {
        a->pinned = xmalloc(npinned * sizeof *a->pinned, "the pinned roots");
        memcpy(a->pinned, pinned, npinned * sizeof *a->pinned);
        a->npinned = npinned;
    }
    atomic_init(&a->stage, ANALYSIS_NONE);
    atomic_init(&a->cancel, 0);
    if (pthread_create(&a->thread, NULL, worker, a) == 0) {
        a->running = 1;
    } else {
        worker(a); /* no thread to be had: compute now, in the foreground */
    }
}

int analysis_ready(const struct analysis *a, enum analysis_stage stage)
{
    return atomic_load_explicit(&((struct analysis *)a)->stage, memory_order_acquire) >= (int)stage;
}

const char *analysis_status(const struct analysis *a)
{
    switch (atomic_load_explicit(&((struct analysis *)a)->stage, memory_order_acquire)) {
    case ANALYSIS_NONE: return "finding roots...";
    case ANALYSIS_ROOTS: return "finding paths to roots...";
    case ANALYSIS_PATHS: return "computing retained sizes...";
    default: return NULL;
    }
}

int analysis_poll(struct analysis *a)
{
    int stage = atomic_load_explicit(&a->stage, memory_order_acquire);
    if (stage == a->seen_stage)
        return 0;
    a->seen_stage = stage;
    return 1;
}

void analysis_stop(struct analysis *a)
{
    if (!a->heap)
        return;
    atomic_store(&a->cancel, 1);
    if (a->running)
        pthread_join(a->thread, NULL);
    int stage = atomic_load(&a->stage);
    if (stage >= ANALYSIS_ROOTS)
        roots_free(&a->roots);
    if (stage >= ANALYSIS_PATHS)
        paths_free(&a->paths);
    if (stage >= ANALYSIS_DOMINATORS) {
        dominators_free(&a->dom);
        free(a->dom_by_type);
    }
    free(a->pinned);
    memset(a, 0, sizeof *a);
}
