/* compare.c: compare mode (see compare.h). */
#include "compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/util.h"

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The old dump's roots and dominator tree, on a thread of its own. */
static void *old_retained_worker(void *arg)
{
    struct compare *c = arg;
    roots_compute(&c->old, NULL, 0, &c->old_roots);
    dominators_compute(&c->old, &c->old_roots, &c->old_dom);
    c->old_by_type = xmalloc((c->old.types.n ? c->old.types.n : 1) * sizeof *c->old_by_type,
                             "the old dump's retained sizes");
    dominators_by_type(&c->old, &c->old_dom, c->old_by_type);
    atomic_store_explicit(&c->old_done, 1, memory_order_release);
    return NULL;
}

static void start_old_retained(struct compare *c)
{
    if (pthread_create(&c->old_thread, NULL, old_retained_worker, c) == 0)
        c->old_running = 1;
    else
        old_retained_worker(c); /* no thread to be had: now, in the foreground */
}

int compare_load(struct compare *c, const char *old_path, const char *new_path, const struct open_options *opt,
                 const struct heap *new_heap)
{
    memset(c, 0, sizeof *c);
    atomic_init(&c->holders_done, 0);
    atomic_init(&c->old_done, 0);
    if (open_dump(old_path, opt, &c->old) < 0)
        return -1;
    c->heap = new_heap;
    snprintf(c->label, sizeof c->label, "compare: %s -> %s", base_name(old_path), base_name(new_path));
    int progress = open_shows_progress(opt); /* as loading shows its progress */
    if (progress)
        fputs("heapwalk: comparing the dumps...", stderr);
    diff_compute(&c->old, new_heap, NULL, NULL, &c->diff);
    if (progress)
        open_progress_clear();
    uint32_t nt = new_heap->types.n;
    c->of_type = xcalloc(nt ? nt : 1, sizeof *c->of_type, "the comparison");
    for (size_t k = 0; k < c->diff.n_types; k++) {
        uint32_t t = types_lookup(&new_heap->types, c->diff.types[k].name);
        if (t != UINT32_MAX)
            c->of_type[t] = &c->diff.types[k];
    }
    c->old_type = xmalloc((nt ? nt : 1) * sizeof *c->old_type, "the comparison");
    for (uint32_t t = 0; t < nt; t++)
        c->old_type[t] = types_lookup(&c->old.types, types_name(&new_heap->types, t));
    start_old_retained(c);
    return 0;
}

int compare_load_trend(struct compare *c, char *const *paths, size_t n, const struct open_options *opt,
                       const char *old_path, const char *new_path)
{
    trend_init(&c->trend);
    c->have_trend = 1;
    for (size_t k = 0; k < n; k++) {
        struct heap h;
        if (open_dump(paths[k], opt, &h) < 0)
            return -1;
        trend_add(&c->trend, &h, paths[k], -1);
        heap_free(&h);
    }
    trend_add(&c->trend, &c->old, old_path, -1);
    trend_add(&c->trend, c->heap, new_path, -1);
    trend_finish(&c->trend);
    uint32_t nt = c->heap->types.n;
    c->trend_of = xcalloc(nt ? nt : 1, sizeof *c->trend_of, "the trend");
    for (uint32_t t = 0; t < nt; t++)
        c->trend_of[t] = trend_find(&c->trend, types_name(&c->heap->types, t));
    snprintf(c->label, sizeof c->label, "trend of %zu dumps; compare: %s -> %s", c->trend.n_dumps,
             base_name(old_path), base_name(new_path));
    return 0;
}

void compare_paths_found(void *arg, const struct paths *p)
{
    struct compare *c = arg;
    if (atomic_load_explicit(&c->holders_done, memory_order_acquire))
        return;
    diff_find_holders(c->heap, p, &c->diff);
    atomic_store_explicit(&c->holders_done, 1, memory_order_release);
}

void compare_free(struct compare *c)
{
    if (c->old_running)
        pthread_join(c->old_thread, NULL);
    if (atomic_load(&c->old_done)) {
        dominators_free(&c->old_dom);
        roots_free(&c->old_roots);
        free(c->old_by_type);
    }
    if (c->heap)
        diff_free(&c->diff);
    free(c->of_type);
    free(c->old_type);
    if (c->have_trend)
        trend_free(&c->trend);
    free(c->trend_of);
    heap_free(&c->old);
    memset(c, 0, sizeof *c);
}

int compare_holders_ready(const struct compare *c)
{
    return atomic_load_explicit(&((struct compare *)c)->holders_done, memory_order_acquire);
}

int compare_poll(struct compare *c)
{
    int done = compare_holders_ready(c), old_done = compare_old_retained_ready(c);
    if (done == c->seen_done && old_done == c->seen_old_done)
        return 0;
    c->seen_done = done;
    c->seen_old_done = old_done;
    return 1;
}

const char *compare_status(const struct compare *c)
{
    if (!compare_holders_ready(c))
        return "finding the holders of new objects...";
    return compare_old_retained_ready(c) ? NULL : "computing the old dump's retained sizes...";
}

int compare_old_retained_ready(const struct compare *c)
{
    return atomic_load_explicit(&((struct compare *)c)->old_done, memory_order_acquire);
}

int64_t compare_type_retained_delta(const struct compare *c, const uint64_t *now, uint32_t t)
{
    uint32_t ot = c->old_type[t];
    return (int64_t)now[t] - (int64_t)(ot == UINT32_MAX ? 0 : c->old_by_type[ot]);
}

int64_t compare_object_retained_delta(const struct compare *c, const uint64_t *now, obj_t o)
{
    obj_t was = c->diff.is_new[o] ? OBJ_NONE : diff_match(c->heap, o, &c->old);
    return (int64_t)now[o] - (int64_t)(was == OBJ_NONE ? 0 : c->old_dom.retained[was]);
}
