#include "diff.h"

#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "positions.h"
#include "query.h"
#include "util.h"

/* A holder's value or name, in its name on the holders screen: cut there. */
#define HOLDER_VALUE_MAX 40

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

obj_t diff_match(const struct heap *a, obj_t i, const struct heap *b)
{
    obj_t j = heap_find(b, a->addr[i]);
    return j != OBJ_NONE && strcmp(heap_type_name(a, i), heap_type_name(b, j)) == 0 ? j : OBJ_NONE;
}

/* Is object i of a also in b? */
static int present(const struct heap *a, obj_t i, const struct heap *b) { return diff_match(a, i, b) != OBJ_NONE; }

/* Holders by object: the held ones sorted by holder, then type. */
static int cmp_held_key(const void *x, const void *y)
{
    const struct diff_held *a = x, *b = y;
    if (a->holder != b->holder)
        return a->holder < b->holder ? -1 : 1;
    return a->type < b->type ? -1 : a->type > b->type;
}

/* The holders with the most new bytes first; each one's rows together,
 * largest first. */
static int cmp_held_rows(const void *x, const void *y)
{
    const struct diff_held *a = x, *b = y;
    if (a->holder_bytes != b->holder_bytes)
        return a->holder_bytes < b->holder_bytes ? 1 : -1;
    if (a->holder != b->holder)
        return a->holder < b->holder ? -1 : 1;
    if (a->bytes != b->bytes)
        return a->bytes < b->bytes ? 1 : -1;
    return a->type < b->type ? -1 : a->type > b->type;
}

/* d->held from each new object's holder: one entry per new object, sorted
 * so that equal (holder, type) pairs are neighbours and summed in place. */
static void group_by_holder(const struct heap *h, struct diff *d, const obj_t *holder)
{
    size_t n = 0;
    struct diff_held *held = xmalloc((d->n_new ? d->n_new : 1) * sizeof *held, "the holders of new objects");
    for (size_t o = 0; o < h->n; o++)
        if (d->is_new[o])
            held[n++] = (struct diff_held){holder[o], h->type[o], 1, heap_size(h, (obj_t)o), 0, 0};
    qsort(held, n, sizeof *held, cmp_held_key);
    size_t rows = 0;
    for (size_t k = 0; k < n; k++) {
        if (rows && held[rows - 1].holder == held[k].holder && held[rows - 1].type == held[k].type) {
            held[rows - 1].objects++;
            held[rows - 1].bytes += held[k].bytes;
        } else {
            held[rows++] = held[k];
        }
    }
    for (size_t first = 0, k; first < rows; first = k) { /* each holder's totals */
        uint64_t objects = 0, bytes = 0;
        for (k = first; k < rows && held[k].holder == held[first].holder; k++) {
            objects += held[k].objects;
            bytes += held[k].bytes;
        }
        for (size_t j = first; j < k; j++) {
            held[j].holder_objects = objects;
            held[j].holder_bytes = bytes;
        }
    }
    qsort(held, rows, sizeof *held, cmp_held_rows);
    d->held = rows ? xreallocarray(held, rows, sizeof *held, "the holders of new objects") : held;
    d->n_held = rows;
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

/* "type value", or "type" for an object without a value or name. */
static void type_and_value(const struct heap *h, obj_t o, struct strbuf *out)
{
    struct strbuf value;
    sb_init(&value);
    query_preview(h, o, HOLDER_VALUE_MAX, &value);
    sb_adds(out, heap_type_name(h, o));
    if (value.len) {
        sb_adds(out, " ");
        sb_add(out, sb_cstr(&value), value.len);
    }
    sb_free(&value);
}

void diff_holder_name(const struct heap *h, const struct paths *p, obj_t holder, struct strbuf *out)
{
    if (holder == OBJ_NONE) {
        sb_adds(out, "(a root)");
        return;
    }
    type_and_value(h, holder, out);
    obj_t by = p && p->dist[holder] != PATH_UNREACHED ? p->pred[holder] : OBJ_NONE;
    if (by == OBJ_NONE)
        return;
    /* Only what the dump names: an index, a key, a fixed attribute. */
    const uint32_t *c = heap_children(h, by);
    size_t nc = heap_nchildren(h, by), k;
    for (k = 0; k < nc && c[k] != holder; k++)
        ;
    struct position pos = {0};
    if (k < nc)
        positions_of(h, by, k, &pos);
    if (k < nc && (pos.kind == POS_INDEX || pos.kind == POS_KEY || pos.kind == POS_NAMED)) {
        sb_adds(out, " ");
        positions_label(h, &pos, out);
    }
    sb_adds(out, " of ");
    type_and_value(h, by, out);
}

/* Type ids in the order the gone objects are grouped: the most gone bytes
 * first, ties by type id. */
static int cmp_gone_types(const void *x, const void *y, void *arg)
{
    const uint64_t *type_bytes = arg;
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    if (type_bytes[a] != type_bytes[b])
        return type_bytes[a] < type_bytes[b] ? 1 : -1;
    return a < b ? -1 : a > b;
}

/* A radix sort by size (stable, so ties stay in dump order), then the
 * objects dealt out by type in the types' order (a counting sort, stable
 * too): 2M gone objects in tens of milliseconds, not the seconds a
 * comparison sort took, so the gone screen opens at once. */
obj_t *diff_gone_objects(const struct heap *old, const struct diff *d, size_t *n)
{
    size_t ntypes = old->types.n ? old->types.n : 1;
    obj_t *by_size = xmalloc((d->n_gone ? d->n_gone : 1) * sizeof *by_size, "the gone objects");
    uint64_t *type_bytes = xcalloc(ntypes, sizeof *type_bytes, "the gone objects");
    size_t *start = xcalloc(ntypes, sizeof *start, "the gone objects");
    size_t k = 0;
    for (size_t o = 0; o < old->n && k < d->n_gone; o++) {
        if (!d->is_gone[o])
            continue;
        by_size[k++] = (obj_t)o;
        type_bytes[old->type[o]] += heap_size(old, (obj_t)o);
        start[old->type[o]]++;
    }
    query_sort(old, NULL, by_size, k, QUERY_SIZE, 0); /* the largest first */
    uint32_t *types = xmalloc(ntypes * sizeof *types, "the gone objects");
    for (uint32_t t = 0; t < ntypes; t++)
        types[t] = t;
    qsort_r(types, ntypes, sizeof *types, cmp_gone_types, type_bytes);
    size_t at = 0;
    for (size_t r = 0; r < ntypes; r++) { /* counts -> where each type's objects begin */
        size_t count = start[types[r]];
        start[types[r]] = at;
        at += count;
    }
    obj_t *gone = xmalloc((k ? k : 1) * sizeof *gone, "the gone objects");
    for (size_t i = 0; i < k; i++)
        gone[start[old->type[by_size[i]]]++] = by_size[i];
    free(types);
    free(start);
    free(type_bytes);
    free(by_size);
    *n = k;
    return gone;
}

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
    group_by_holder(h, d, holder);
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

    d->is_gone = xcalloc(old->n ? old->n : 1, 1, "the comparison");
    for (size_t i = 0; i < old->n; i++) {
        struct diff_type *r = &d->types[old_row[old->type[i]]];
        r->old_count++;
        r->old_size += heap_size(old, (obj_t)i);
        if (!present(old, (obj_t)i, nw)) {
            d->is_gone[i] = 1;
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
    free(d->is_gone);
    free(d->survives);
    free(d->holders);
    free(d->held);
    memset(d, 0, sizeof *d);
}
