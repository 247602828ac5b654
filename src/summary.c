#include "summary.h"

#include "escape.h"
#include "refs.h"

#include <stdlib.h>
#include <string.h>

/* Count object i into its row; the largest object is the first of its size. */
static void add_object(const struct heap *h, obj_t i, struct type_row *r)
{
    uint64_t size = heap_size(h, i);
    if (r->count == 0 || size > r->max_size) {
        r->max_size = size;
        r->max_obj = i;
    }
    r->count++;
    r->size += size;
}

void summary_compute(const struct heap *h, struct summary *s)
{
    uint32_t nt = h->types.n;
    struct type_row *by_type = xcalloc(nt ? nt : 1, sizeof *by_type, "the type summary");
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < h->n; i++) {
        add_object(h, (obj_t)i, &by_type[h->type[i]]);
        s->total_count++;
        s->total_size += heap_size(h, (obj_t)i);
    }
    size_t n = 0;
    for (uint32_t t = 0; t < nt; t++) {
        if (by_type[t].count) {
            by_type[t].type = t;
            by_type[t].cls = OBJ_NONE;
            by_type[n++] = by_type[t];
        }
    }
    s->rows = by_type;
    s->n = n;
    s->ntypes = n;
    summary_sort(h, s, SUMMARY_BY_SIZE, 0);
}

/* A split row's slot: each class object's, then each type's for its
 * instances with no class linked (a small open-addressing table keyed by
 * object number would do; an array per object is simpler and freed at once). */
struct split_slots {
    uint32_t *by_class;      /* object number -> row + 1, 0 for none */
    uint32_t *by_type;       /* type id -> row + 1 of its unlinked instances */
};

static size_t split_row(struct split_slots *sl, struct type_row **rows, size_t *n, size_t *cap, uint32_t type,
                        obj_t cls)
{
    uint32_t *slot = cls == OBJ_NONE ? &sl->by_type[type] : &sl->by_class[cls];
    if (!*slot) {
        if (*n == *cap) {
            *cap = *cap ? 2 * *cap : 16;
            *rows = xreallocarray(*rows, *cap, sizeof **rows, "the types by class");
        }
        (*rows)[*n] = (struct type_row){.type = type, .cls = cls, .split = 1};
        *slot = (uint32_t)++*n;
    }
    return *slot - 1;
}

void summary_split_classes(const struct heap *h, const uint32_t *classes, struct summary *s)
{
    size_t n = 0, cap = s->n;
    struct type_row *rows = xmalloc((cap ? cap : 1) * sizeof *rows, "the types by class");
    for (size_t k = 0; k < s->n; k++)
        if (classes[s->rows[k].type] < 2)
            rows[n++] = s->rows[k];
    if (n < s->n) { /* some name is shared: one pass over its objects */
        struct split_slots sl = {xcalloc(h->n ? h->n : 1, sizeof *sl.by_class, "the types by class"),
                                 xcalloc(h->types.n ? h->types.n : 1, sizeof *sl.by_type, "the types by class")};
        for (size_t i = 0; i < h->n; i++) {
            if (classes[h->type[i]] < 2)
                continue;
            size_t r = split_row(&sl, &rows, &n, &cap, h->type[i], refs_class(h, (obj_t)i));
            add_object(h, (obj_t)i, &rows[r]);
        }
        free(sl.by_class);
        free(sl.by_type);
    }
    free(s->rows);
    s->rows = rows;
    s->n = n;
    summary_sort(h, s, SUMMARY_BY_SIZE, 0);
}

void summary_row_name(const struct heap *h, const struct type_row *r, struct strbuf *out)
{
    if (r->cls == OBJ_NONE)
        hw_sb_escaped_str(out, types_name(&h->types, r->type));
    else
        refs_class_qualified_name(h, r->cls, out);
}

void summary_free(struct summary *s)
{
    free(s->rows);
    memset(s, 0, sizeof *s);
}

/* What cmp_rows needs: the heap for name ties and the order (qsort_r's context). */
struct sort_ctx {
    const struct heap *h;
    enum summary_order order;
};

static int cmp_u64_desc(uint64_t a, uint64_t b) { return a < b ? 1 : a > b ? -1 : 0; }

static int cmp_rows(const void *pa, const void *pb, void *ctx)
{
    const struct type_row *a = pa, *b = pb;
    const struct sort_ctx *sc = ctx;
    int c = 0;
    switch (sc->order) {
    case SUMMARY_BY_SIZE:
        c = cmp_u64_desc(a->size, b->size);
        if (!c)
            c = cmp_u64_desc(a->count, b->count);
        break;
    case SUMMARY_BY_COUNT:
        c = cmp_u64_desc(a->count, b->count);
        if (!c)
            c = cmp_u64_desc(a->size, b->size);
        break;
    case SUMMARY_BY_MAX:
        c = cmp_u64_desc(a->max_size, b->max_size);
        if (!c)
            c = cmp_u64_desc(a->size, b->size);
        break;
    case SUMMARY_BY_NAME:
        break;
    }
    if (!c)
        c = strcmp(types_name(&sc->h->types, a->type), types_name(&sc->h->types, b->type));
    if (!c) /* split rows of one name: by the class's dump order, unlinked instances last */
        c = a->cls < b->cls ? -1 : a->cls > b->cls;
    return c;
}

void summary_sort(const struct heap *h, struct summary *s, enum summary_order order, int reverse)
{
    struct sort_ctx ctx = {h, order};
    if (s->n > 1)
        qsort_r(s->rows, s->n, sizeof *s->rows, cmp_rows, &ctx);
    if (reverse)
        for (size_t i = 0, j = s->n ? s->n - 1 : 0; i < j; i++, j--) {
            struct type_row t = s->rows[i];
            s->rows[i] = s->rows[j];
            s->rows[j] = t;
        }
}

long long summary_percent(uint64_t part, uint64_t whole)
{
    if (whole == 0)
        return 0;
    return (long long)((double)part * 100.0 / (double)whole);
}

void summary_format_total(const struct summary *s, struct strbuf *out)
{
    sb_printf(out, "Total %llu objects, %zu types, Total size = %.1fMiB (%llu bytes)",
              (unsigned long long)s->total_count, s->ntypes, (double)s->total_size / 1024. / 1024,
              (unsigned long long)s->total_size);
}

void summary_format_row(const struct heap *h, const struct summary *s, size_t index, const struct type_row *r,
                        uint64_t cum, struct strbuf *out)
{
    sb_printf(out, "%6zu%8llu%4lld%10llu%4lld%4lld%8llu ", index, (unsigned long long)r->count,
              summary_percent(r->count, s->total_count), (unsigned long long)r->size,
              summary_percent(r->size, s->total_size), summary_percent(cum, s->total_size),
              (unsigned long long)r->max_size);
    summary_row_name(h, r, out);
}

void summary_format(const struct heap *h, const struct summary *s, size_t top, struct strbuf *out)
{
    summary_format_total(s, out);
    sb_addc(out, '\n');
    sb_adds(out, SUMMARY_HEADER "\n");
    if (s->total_count == 0)
        return;
    size_t n = (top && top < s->n) ? top : s->n;
    uint64_t cum = 0;
    for (size_t i = 0; i < n; i++) {
        cum += s->rows[i].size;
        summary_format_row(h, s, i, &s->rows[i], cum, out);
        sb_addc(out, '\n');
    }
}
