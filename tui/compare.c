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

int compare_load(struct compare *c, const char *old_path, const char *new_path, const struct open_options *opt,
                 const struct heap *new_heap)
{
    memset(c, 0, sizeof *c);
    atomic_init(&c->holders_done, 0);
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
    if (c->heap)
        diff_free(&c->diff);
    free(c->of_type);
    heap_free(&c->old);
    memset(c, 0, sizeof *c);
}

int compare_holders_ready(const struct compare *c)
{
    return atomic_load_explicit(&((struct compare *)c)->holders_done, memory_order_acquire);
}

int compare_poll(struct compare *c)
{
    int done = compare_holders_ready(c);
    if (done == c->seen_done)
        return 0;
    c->seen_done = done;
    return 1;
}

const char *compare_status(const struct compare *c)
{
    return compare_holders_ready(c) ? NULL : "finding the holders of new objects...";
}
