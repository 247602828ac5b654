/* objset.c: histograms, holders, retained size and paths of object sets. */
#include "objset.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A byte per object: 1 for the members of set. */
static uint8_t *set_mask(const struct heap *h, const obj_t *set, size_t n)
{
    uint8_t *m = xcalloc(h->n ? h->n : 1, 1, "a set of objects");
    for (size_t k = 0; k < n; k++)
        m[set[k]] = 1;
    return m;
}

static int cmp_counts(uint64_t a1, uint64_t a2, uint64_t b1, uint64_t b2)
{
    if (a1 != b1)
        return a1 > b1 ? -1 : 1;
    if (a2 != b2)
        return a2 > b2 ? -1 : 1;
    return 0;
}

static int cmp_type_row(const void *a, const void *b, void *ctx)
{
    const struct heap *h = ctx;
    const struct objset_type *x = a, *y = b;
    int c = cmp_counts(x->bytes, x->count, y->bytes, y->count);
    return c ? c : strcmp(types_name(&h->types, x->type), types_name(&h->types, y->type));
}

struct objset_type *objset_histogram(const struct heap *h, const obj_t *set, size_t n, size_t *nrows)
{
    size_t nt = h->types.n;
    struct objset_type *all = xcalloc(nt ? nt : 1, sizeof *all, "a histogram");
    for (size_t k = 0; k < n; k++) {
        struct objset_type *t = &all[h->type[set[k]]];
        t->count++;
        t->bytes += heap_size(h, set[k]);
    }
    size_t m = 0;
    for (size_t t = 0; t < nt; t++)
        if (all[t].count) {
            all[m] = all[t];
            all[m++].type = (uint32_t)t;
        }
    qsort_r(all, m, sizeof *all, cmp_type_row, (void *)h);
    *nrows = m;
    return all;
}

static int cmp_holder_type(const void *a, const void *b, void *ctx)
{
    const struct heap *h = ctx;
    const struct objset_holder_type *x = a, *y = b;
    int c = cmp_counts(x->members, x->bytes, y->members, y->bytes);
    return c ? c : strcmp(types_name(&h->types, x->type), types_name(&h->types, y->type));
}

static int cmp_holder(const void *a, const void *b)
{
    const struct objset_holder *x = a, *y = b;
    int c = cmp_counts(x->members, x->bytes, y->members, y->bytes);
    return c ? c : (x->holder < y->holder ? -1 : x->holder > y->holder);
}

void objset_holders(const struct heap *h, const obj_t *set, size_t n, struct objset_holders *out)
{
    memset(out, 0, sizeof *out);
    uint8_t *in = set_mask(h, set, n);
    size_t nt = h->types.n ? h->types.n : 1;
    struct objset_holder_type *types = xcalloc(nt, sizeof *types, "the holders");
    size_t *last = xmalloc(nt * sizeof *last, "the holders"); /* per type: the last member counted, + 1 */
    memset(last, 0, nt * sizeof *last);
    uint32_t *slot = xmalloc((h->n ? h->n : 1) * sizeof *slot, "the holders"); /* holder -> row + 1 */
    memset(slot, 0, (h->n ? h->n : 1) * sizeof *slot);
    size_t cap = 64;
    out->by_object = xmalloc(cap * sizeof *out->by_object, "the holders");
    for (size_t k = 0; k < n; k++) {
        obj_t m = set[k];
        uint64_t size = heap_size(h, m);
        const uint32_t *par = heap_parents(h, m);
        size_t np = heap_nparents(h, m), outside = 0;
        if (np == 0)
            out->no_parent++;
        for (size_t j = 0; j < np; j++) {
            obj_t p = par[j];
            if (in[p])
                continue;
            outside++;
            if (!slot[p]) {
                if (out->n_objects == cap) {
                    cap *= 2;
                    out->by_object = xreallocarray(out->by_object, cap, sizeof *out->by_object, "the holders");
                }
                out->by_object[out->n_objects] = (struct objset_holder){p, 0, 0};
                slot[p] = (uint32_t)++out->n_objects;
                types[h->type[p]].holders++;
            }
            struct objset_holder *row = &out->by_object[slot[p] - 1];
            row->members++;
            row->bytes += size;
            struct objset_holder_type *t = &types[h->type[p]];
            if (last[h->type[p]] != k + 1) {
                last[h->type[p]] = k + 1;
                t->members++;
                t->bytes += size;
            }
        }
        if (np && !outside)
            out->held_inside++;
    }
    for (size_t t = 0; t < nt; t++)
        if (types[t].holders) {
            types[out->n_types] = types[t];
            types[out->n_types++].type = (uint32_t)t;
        }
    out->by_type = types;
    qsort_r(out->by_type, out->n_types, sizeof *out->by_type, cmp_holder_type, (void *)h);
    qsort(out->by_object, out->n_objects, sizeof *out->by_object, cmp_holder);
    free(slot);
    free(last);
    free(in);
}

void objset_holders_free(struct objset_holders *hs)
{
    free(hs->by_type);
    free(hs->by_object);
    memset(hs, 0, sizeof *hs);
}

void objset_retained(const struct heap *h, const struct roots *r, const obj_t *set, size_t n,
                     struct objset_retained *out, uint8_t *freed)
{
    /* seen: 1 = a member (never entered), 2 = reached from a root without it. */
    uint8_t *seen = set_mask(h, set, n);
    obj_t *queue = xmalloc((h->n ? h->n : 1) * sizeof *queue, "the retained size of a set");
    size_t head = 0, tail = 0;
    for (size_t k = 0; k < r->n; k++)
        if (!seen[r->list[k]]) {
            seen[r->list[k]] = 2;
            queue[tail++] = r->list[k];
        }
    while (head < tail) {
        obj_t v = queue[head++];
        const uint32_t *c = heap_children(h, v);
        for (size_t k = 0, nc = heap_nchildren(h, v); k < nc; k++) {
            if (heap_is_dangling(c[k]) || seen[c[k]])
                continue;
            seen[c[k]] = 2;
            queue[tail++] = c[k];
        }
    }
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < h->n; i++) {
        int gone = seen[i] != 2;
        if (freed)
            freed[i] = (uint8_t)gone;
        if (gone) {
            out->objects++;
            out->bytes += heap_size(h, (obj_t)i);
        }
    }
    free(queue);
    free(seen);
}

obj_t *objset_path(const struct heap *h, const obj_t *from, size_t nfrom, const obj_t *to, size_t nto,
                   int reverse, size_t *len)
{
    size_t nn = h->n ? h->n : 1;
    uint8_t *target = set_mask(h, to, nto);
    obj_t *pred = xmalloc(nn * sizeof *pred, "a path between sets");
    uint8_t *seen = xcalloc(nn, 1, "a path between sets");
    obj_t *queue = xmalloc(nn * sizeof *queue, "a path between sets");
    size_t head = 0, tail = 0;
    obj_t found = OBJ_NONE;
    for (size_t k = 0; k < nfrom && found == OBJ_NONE; k++) {
        obj_t s = from[k];
        if (seen[s])
            continue;
        seen[s] = 1;
        pred[s] = OBJ_NONE;
        queue[tail++] = s;
        if (target[s])
            found = s;
    }
    while (head < tail && found == OBJ_NONE) {
        obj_t v = queue[head++];
        const uint32_t *e = reverse ? heap_parents(h, v) : heap_children(h, v);
        size_t ne = reverse ? heap_nparents(h, v) : heap_nchildren(h, v);
        for (size_t k = 0; k < ne; k++) {
            uint32_t w = e[k];
            if (heap_is_dangling(w) || seen[w])
                continue;
            seen[w] = 1;
            pred[w] = v;
            queue[tail++] = w;
            if (target[w]) {
                found = w;
                break;
            }
        }
    }
    obj_t *path = NULL;
    if (found != OBJ_NONE) {
        size_t n = 0;
        for (obj_t v = found; v != OBJ_NONE; v = pred[v])
            n++;
        path = xmalloc(n * sizeof *path, "a path between sets");
        size_t k = n;
        for (obj_t v = found; v != OBJ_NONE; v = pred[v])
            path[--k] = v;
        *len = n;
    }
    free(queue);
    free(seen);
    free(pred);
    free(target);
    return path;
}
