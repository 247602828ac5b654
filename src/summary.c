#include "summary.h"

#include "escape.h"

#include <stdlib.h>
#include <string.h>

void summary_compute(const struct heap *h, struct summary *s)
{
    uint32_t nt = h->types.n;
    struct type_row *by_type = xcalloc(nt ? nt : 1, sizeof *by_type, "the type summary");
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < h->n; i++) {
        struct type_row *r = &by_type[h->type[i]];
        uint64_t size = heap_size(h, (obj_t)i);
        if (r->count == 0 || size > r->max_size) {
            r->max_size = size;
            r->max_obj = (obj_t)i;
        }
        r->count++;
        r->size += size;
        s->total_count++;
        s->total_size += size;
    }
    size_t n = 0;
    for (uint32_t t = 0; t < nt; t++) {
        if (by_type[t].count) {
            by_type[t].type = t;
            by_type[n++] = by_type[t];
        }
    }
    s->rows = by_type;
    s->n = n;
    summary_sort(h, s, SUMMARY_BY_SIZE, 0);
}

void summary_free(struct summary *s)
{
    free(s->rows);
    memset(s, 0, sizeof *s);
}

/* qsort has no context argument in C11: the heap for name ties and the order
 * travel in these, set only around the qsort call (single-threaded use). */
static const struct heap *sort_heap;
static enum summary_order sort_order;

static int cmp_u64_desc(uint64_t a, uint64_t b) { return a < b ? 1 : a > b ? -1 : 0; }

static int cmp_rows(const void *pa, const void *pb)
{
    const struct type_row *a = pa, *b = pb;
    int c = 0;
    switch (sort_order) {
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
        c = strcmp(types_name(&sort_heap->types, a->type), types_name(&sort_heap->types, b->type));
    return c;
}

void summary_sort(const struct heap *h, struct summary *s, enum summary_order order, int reverse)
{
    sort_heap = h;
    sort_order = order;
    if (s->n > 1)
        qsort(s->rows, s->n, sizeof *s->rows, cmp_rows);
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
              (unsigned long long)s->total_count, s->n, (double)s->total_size / 1024. / 1024,
              (unsigned long long)s->total_size);
}

void summary_format_row(const struct heap *h, const struct summary *s, size_t index, const struct type_row *r,
                        uint64_t cum, struct strbuf *out)
{
    sb_printf(out, "%6zu%8llu%4lld%10llu%4lld%4lld%8llu ", index, (unsigned long long)r->count,
              summary_percent(r->count, s->total_count), (unsigned long long)r->size,
              summary_percent(r->size, s->total_size), summary_percent(cum, s->total_size),
              (unsigned long long)r->max_size);
    hw_sb_escaped_str(out, types_name(&h->types, r->type));
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
