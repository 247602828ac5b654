#include "diff.h"

#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "util.h"

struct name_slot {
    const char *name;
    size_t row;
    UT_hash_handle hh;
};

/* The row of a type name, added when new. */
static size_t type_row(struct diff *d, struct name_slot **by_name, size_t *cap, const char *name)
{
    struct name_slot *s;
    HASH_FIND_STR(*by_name, name, s);
    if (s)
        return s->row;
    if (d->n_types == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        d->types = xreallocarray(d->types, *cap, sizeof *d->types, "the comparison");
    }
    memset(&d->types[d->n_types], 0, sizeof *d->types);
    d->types[d->n_types].name = name;
    s = xmalloc(sizeof *s, "the comparison");
    s->name = name;
    s->row = d->n_types++;
    HASH_ADD_KEYPTR(hh, *by_name, s->name, strlen(s->name), s);
    return s->row;
}

/* Is object i of a also in b: same address, same type name? */
static int present(const struct heap *a, obj_t i, const struct heap *b)
{
    obj_t j = heap_find(b, a->addr[i]);
    return j != OBJ_NONE && strcmp(heap_type_name(a, i), heap_type_name(b, j)) == 0;
}

static int cmp_holders(const void *x, const void *y)
{
    const struct diff_holder *a = x, *b = y;
    if (a->bytes != b->bytes)
        return a->bytes < b->bytes ? 1 : -1;
    return a->objects < b->objects ? 1 : a->objects > b->objects ? -1 : 0;
}

struct holder_slot {
    uint64_t key;            /* new type << 32 | holder type */
    size_t row;
    UT_hash_handle hh;
};

/* holder[o] for each object o of h: the nearest object up o's shortest path
 * that is not new (OBJ_NONE: the roots).  Objects in order of distance (a
 * counting sort), so a predecessor is settled before its successors. */
static obj_t *nearest_holders(const struct heap *h, const struct paths *p, const struct diff *d)
{
    size_t n = h->n;
    uint32_t maxd = p->max_dist;
    uint32_t *count = xcalloc((size_t)maxd + 2, sizeof *count, "the holders of new objects");
    for (size_t o = 0; o < n; o++)
        if (p->dist[o] != PATH_UNREACHED)
            count[p->dist[o] + 1]++;
    for (uint32_t k = 0; k <= maxd; k++)
        count[k + 1] += count[k];
    obj_t *order = xmalloc((n ? n : 1) * sizeof *order, "the holders of new objects");
    for (size_t o = 0; o < n; o++)
        if (p->dist[o] != PATH_UNREACHED)
            order[count[p->dist[o]]++] = (obj_t)o;
    size_t nordered = count[maxd]; /* the end of the last bucket */
    free(count);
    obj_t *holder = xmalloc((n ? n : 1) * sizeof *holder, "the holders of new objects");
    for (size_t o = 0; o < n; o++)
        holder[o] = OBJ_NONE;
    for (size_t k = 0; k < nordered; k++) {
        obj_t o = order[k], pr = p->pred[o];
        if (pr == OBJ_NONE)
            holder[o] = OBJ_NONE;
        else
            holder[o] = d->is_new[pr] ? holder[pr] : pr;
    }
    free(order);
    return holder;
}

/* One row per (new object's type, holder's type): the objects and bytes;
 * slots maps each pair to its row. */
static void count_rows(const struct heap *h, const obj_t *holder, struct diff *d, struct holder_slot **slots)
{
    struct holder_slot *s;
    size_t cap = 0;
    for (size_t o = 0; o < h->n; o++) {
        if (!d->is_new[o])
            continue;
        obj_t hd = holder[o];
        uint32_t ht = hd == OBJ_NONE ? UINT32_MAX : h->type[hd];
        uint64_t key = (uint64_t)h->type[o] << 32 | ht;
        HASH_FIND(hh, *slots, &key, sizeof key, s);
        if (!s) {
            if (d->n_holders == cap) {
                cap = cap ? cap * 2 : 64;
                d->holders = xreallocarray(d->holders, cap, sizeof *d->holders, "the holders of new objects");
            }
            struct diff_holder *row = &d->holders[d->n_holders];
            memset(row, 0, sizeof *row);
            row->type = h->type[o];
            row->holder_type = ht;
            row->example = hd;
            s = xmalloc(sizeof *s, "the holders of new objects");
            s->key = key;
            s->row = d->n_holders++;
            HASH_ADD(hh, *slots, key, sizeof s->key, s);
        }
        struct diff_holder *row = &d->holders[s->row];
        row->objects++;
        row->bytes += heap_size(h, (obj_t)o);
        if (hd == OBJ_NONE)
            row->holders = 1; /* "the roots" count as one holder */
    }
}

/* Distinct holders per row. A holder can hold new objects of several types
 * (several rows); a pass in type order counts each (holder, row) pair once,
 * remembering the row a holder was last counted in. */
static void count_distinct_holders(const struct heap *h, const obj_t *holder, struct diff *d,
                                   struct holder_slot *slots)
{
    size_t n = h->n;
    uint32_t *last_row = xmalloc((n ? n : 1) * sizeof *last_row, "the holders of new objects");
    for (size_t o = 0; o < n; o++)
        last_row[o] = UINT32_MAX;
    uint32_t nt = h->types.n;
    size_t *start = xcalloc((size_t)nt + 1, sizeof *start, "the holders of new objects");
    for (size_t o = 0; o < n; o++)
        if (d->is_new[o] && holder[o] != OBJ_NONE)
            start[h->type[o] + 1]++;
    for (uint32_t t = 0; t < nt; t++)
        start[t + 1] += start[t];
    obj_t *by_type = xmalloc((start[nt] ? start[nt] : 1) * sizeof *by_type, "the holders of new objects");
    for (size_t o = 0; o < n; o++)
        if (d->is_new[o] && holder[o] != OBJ_NONE)
            by_type[start[h->type[o]]++] = (obj_t)o;
    size_t total = nt ? start[nt - 1] : 0;
    free(start);
    for (size_t k = 0; k < total; k++) {
        obj_t o = by_type[k], hd = holder[o];
        uint64_t key = (uint64_t)h->type[o] << 32 | h->type[hd];
        struct holder_slot *s;
        HASH_FIND(hh, slots, &key, sizeof key, s);
        if (last_row[hd] != s->row) {
            last_row[hd] = (uint32_t)s->row;
            d->holders[s->row].holders++;
        }
    }
    free(by_type);
    free(last_row);
}

void diff_find_holders(const struct heap *h, const struct paths *p, struct diff *d)
{
    obj_t *holder = nearest_holders(h, p, d);
    struct holder_slot *slots = NULL, *s, *tmp;
    count_rows(h, holder, d, &slots);
    count_distinct_holders(h, holder, d, slots);
    HASH_ITER(hh, slots, s, tmp) {
        HASH_DEL(slots, s);
        free(s);
    }
    free(holder);
    if (d->n_holders > 1)
        qsort(d->holders, d->n_holders, sizeof *d->holders, cmp_holders);
}

void diff_compute(const struct heap *old, const struct heap *nw, const struct heap *newer, const struct paths *p,
                  struct diff *d)
{
    memset(d, 0, sizeof *d);
    struct name_slot *by_name = NULL, *s, *tmp;
    size_t cap = 0;
    /* Type names to rows, once per type id of each heap. */
    size_t *old_row = xmalloc((old->types.n ? old->types.n : 1) * sizeof *old_row, "the comparison");
    size_t *new_row = xmalloc((nw->types.n ? nw->types.n : 1) * sizeof *new_row, "the comparison");
    for (uint32_t t = 0; t < nw->types.n; t++)
        new_row[t] = type_row(d, &by_name, &cap, types_name(&nw->types, t));
    for (uint32_t t = 0; t < old->types.n; t++)
        old_row[t] = type_row(d, &by_name, &cap, types_name(&old->types, t));

    for (size_t i = 0; i < old->n; i++) {
        struct diff_type *r = &d->types[old_row[old->type[i]]];
        r->old_count++;
        r->old_size += heap_size(old, (obj_t)i);
        if (!present(old, (obj_t)i, nw)) {
            r->gone++;
            d->n_gone++;
            d->gone_bytes += heap_size(old, (obj_t)i);
        }
    }
    d->is_new = xcalloc(nw->n ? nw->n : 1, 1, "the comparison");
    if (newer)
        d->survives = xcalloc(nw->n ? nw->n : 1, 1, "the comparison");
    for (size_t i = 0; i < nw->n; i++) {
        struct diff_type *r = &d->types[new_row[nw->type[i]]];
        uint64_t size = heap_size(nw, (obj_t)i);
        r->new_count++;
        r->new_size += size;
        if (present(nw, (obj_t)i, old)) {
            d->n_both++;
            continue;
        }
        d->is_new[i] = 1;
        r->added++;
        r->added_size += size;
        d->n_new++;
        d->new_bytes += size;
        if (newer && present(nw, (obj_t)i, newer)) {
            d->survives[i] = 1;
            d->n_survivors++;
            d->survivor_bytes += size;
        }
    }
    free(old_row);
    free(new_row);
    HASH_ITER(hh, by_name, s, tmp) {
        HASH_DEL(by_name, s);
        free(s);
    }
    if (p)
        diff_find_holders(nw, p, d);
    diff_sort(d, DIFF_BY_SIZE);
}

static uint64_t absdiff(uint64_t a, uint64_t b) { return a > b ? a - b : b - a; }

/* qsort_r: the order comes as an argument, so two sorts can run at once. */
static int cmp_types(const void *x, const void *y, void *arg)
{
    const struct diff_type *a = x, *b = y;
    enum diff_order order = *(const enum diff_order *)arg;
    uint64_t da, db;
    if (order == DIFF_BY_COUNT) {
        da = absdiff(a->new_count, a->old_count);
        db = absdiff(b->new_count, b->old_count);
    } else {
        da = absdiff(a->new_size, a->old_size);
        db = absdiff(b->new_size, b->old_size);
    }
    if (da != db)
        return da < db ? 1 : -1;
    if (a->new_size != b->new_size)
        return a->new_size < b->new_size ? 1 : -1;
    return strcmp(a->name, b->name);
}

void diff_sort(struct diff *d, enum diff_order order)
{
    if (d->n_types > 1)
        qsort_r(d->types, d->n_types, sizeof *d->types, cmp_types, &order);
}

void diff_free(struct diff *d)
{
    free(d->types);
    free(d->is_new);
    free(d->survives);
    free(d->holders);
    memset(d, 0, sizeof *d);
}
