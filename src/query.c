#include "query.h"

#include <stdlib.h>
#include <string.h>

#include "refs.h"

/* --- radix sorting --- */

/* A sort key and what it belongs to: an object number or a string id. */
struct keyed {
    uint64_t key;
    uint32_t id;
};

/* Two buffers of n entries: the keys go into a, the sorted result comes back
 * in either; the other one is scratch. */
struct sorter {
    struct keyed *a, *b;
    size_t n;
};

static void sorter_init(struct sorter *s, size_t n)
{
    s->a = xmalloc((n ? n : 1) * sizeof *s->a, "a sort");
    s->b = xmalloc((n ? n : 1) * sizeof *s->b, "a sort");
    s->n = n;
}

static void sorter_free(struct sorter *s)
{
    free(s->a);
    free(s->b);
}

static int bit_length(uint64_t v)
{
    return v ? 64 - __builtin_clzll(v) : 0;
}

/* Stable LSD radix sort by key, ascending.  Only the bits that differ
 * between keys are looked at, up to 11 at a time (8 for short lists, where
 * clearing the counts would cost more than it saves).  Returns the buffer
 * holding the result. */
static struct keyed *radix_sort(struct sorter *s)
{
    uint64_t all_and = ~(uint64_t)0, all_or = 0;
    for (size_t i = 0; i < s->n; i++) {
        all_and &= s->a[i].key;
        all_or |= s->a[i].key;
    }
    uint64_t varying = all_and ^ all_or;
    if (s->n < 2 || !varying)
        return s->a;
    int lo = __builtin_ctzll(varying), bits = bit_length(varying) - lo;
    int max_digit = s->n < 65536 ? 8 : 11;
    int passes = (bits + max_digit - 1) / max_digit;
    int digit = (bits + passes - 1) / passes;
    size_t buckets = (size_t)1 << digit, mask = buckets - 1;
    size_t *count = xcalloc((size_t)passes * buckets, sizeof *count, "a sort");
    struct keyed *src = s->a, *dst = s->b;
    for (size_t i = 0; i < s->n; i++)
        for (int p = 0; p < passes; p++)
            count[(size_t)p * buckets + ((src[i].key >> (lo + p * digit)) & mask)]++;
    for (int p = 0; p < passes; p++) {
        size_t *c = count + (size_t)p * buckets;
        int shift = lo + p * digit;
        if (c[(src[0].key >> shift) & mask] == s->n)
            continue;
        size_t sum = 0;
        for (size_t v = 0; v < buckets; v++) {
            size_t k = c[v];
            c[v] = sum;
            sum += k;
        }
        for (size_t i = 0; i < s->n; i++)
            dst[c[(src[i].key >> shift) & mask]++] = src[i];
        struct keyed *t = src;
        src = dst;
        dst = t;
    }
    free(count);
    return src;
}

/* --- ranking the distinct strings by their bytes --- */

/* Lists shorter than this are finished by comparing whole texts. */
enum { TEXT_RUN_MIN = 32, TEXT_DIGIT_MAX = 11 };

/* 8 bytes of a string from offset `at`, big-endian, so that numeric order is
 * byte order; bytes past the end count as 0. */
static uint64_t text_key(const struct strpool *p, uint32_t id, size_t at)
{
    size_t len;
    const char *s = strpool_get(p, id, &len);
    uint64_t k = 0;
    for (size_t b = at; b < at + 8; b++)
        k = (k << 8) | (b < len ? (unsigned char)s[b] : 0);
    return k;
}

/* Byte order, then length (a prefix comes first). */
static int text_cmp(const struct strpool *p, uint32_t x, uint32_t y)
{
    size_t lx, ly;
    const char *sx = strpool_get(p, x, &lx), *sy = strpool_get(p, y, &ly);
    int c = memcmp(sx, sy, lx < ly ? lx : ly);
    return c ? c : (lx > ly) - (lx < ly);
}

static void text_merge_sort(const struct strpool *p, struct keyed *a, struct keyed *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t mid = n / 2;
    text_merge_sort(p, a, tmp, mid);
    text_merge_sort(p, a + mid, tmp, n - mid);
    size_t i = 0, j = mid, k = 0;
    while (i < mid && j < n)
        tmp[k++] = text_cmp(p, a[j].id, a[i].id) < 0 ? a[j++] : a[i++];
    while (i < mid)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

static size_t longest_text(const struct strpool *p, const struct keyed *r, size_t n)
{
    size_t max = 0, len;
    for (size_t i = 0; i < n; i++) {
        strpool_get(p, r[i].id, &len);
        max = len > max ? len : max;
    }
    return max;
}

/* Order r[0..n), keyed by string bytes [at, at + 8), by the whole strings: an
 * MSD radix sort on the keys from their highest differing bit, 8 bytes deeper
 * where keys tie, and short lists by comparing.  tmp has room for n. */
static void text_sort(const struct strpool *p, struct keyed *r, struct keyed *tmp, size_t n, size_t at)
{
    if (n < TEXT_RUN_MIN) {
        text_merge_sort(p, r, tmp, n);
        return;
    }
    uint64_t all_and = ~(uint64_t)0, all_or = 0;
    for (size_t i = 0; i < n; i++) {
        all_and &= r[i].key;
        all_or |= r[i].key;
    }
    uint64_t varying = all_and ^ all_or;
    if (!varying) {
        if (longest_text(p, r, n) <= at + 8) { /* only NUL bytes and lengths tell them apart */
            text_merge_sort(p, r, tmp, n);
            return;
        }
        for (size_t i = 0; i < n; i++)
            r[i].key = text_key(p, r[i].id, at + 8);
        text_sort(p, r, tmp, n, at + 8);
        return;
    }
    int hi = bit_length(varying), digit = hi < TEXT_DIGIT_MAX ? hi : TEXT_DIGIT_MAX, shift = hi - digit;
    size_t buckets = (size_t)1 << digit, mask = buckets - 1;
    size_t *end = xcalloc(buckets, sizeof *end, "a sort");
    for (size_t i = 0; i < n; i++)
        end[(r[i].key >> shift) & mask]++;
    size_t sum = 0;
    for (size_t b = 0; b < buckets; b++) { /* counts -> starts; the scatter turns them into ends */
        size_t k = end[b];
        end[b] = sum;
        sum += k;
    }
    for (size_t i = 0; i < n; i++)
        tmp[end[(r[i].key >> shift) & mask]++] = r[i];
    memcpy(r, tmp, n * sizeof *r);
    for (size_t b = 0, start = 0; b < buckets; start = end[b++])
        if (end[b] - start > 1)
            text_sort(p, r + start, tmp + start, end[b] - start, at);
    free(end);
}

/* Interned strings are distinct, so the ranks are too. */
static void rank_strings(const struct strpool *p, struct query_index *qi)
{
    uint32_t ids = p->n > 1 ? p->n - 1 : 0; /* id 0 means "no string" */
    qi->nstrings = p->n;
    qi->str_rank = xcalloc((size_t)ids + 1, sizeof *qi->str_rank, "the string ranks");
    struct sorter s;
    sorter_init(&s, ids);
    for (uint32_t i = 0; i < ids; i++)
        s.a[i] = (struct keyed){text_key(p, i + 1, 0), i + 1};
    text_sort(p, s.a, s.b, ids, 0);
    for (uint32_t i = 0; i < ids; i++)
        qi->str_rank[s.a[i].id] = i + 1;
    sorter_free(&s);
}

/* --- the index --- */

static void index_types(const struct heap *h, struct query_index *qi)
{
    uint32_t nt = h->types.n;
    qi->ntypes = nt;
    qi->type_start = xcalloc((size_t)nt + 1, sizeof *qi->type_start, "the type index");
    qi->type_objs = xmalloc((h->n ? h->n : 1) * sizeof *qi->type_objs, "the type index");
    /* A counting sort by type: count, prefix sums, then place in dump order. */
    for (size_t i = 0; i < h->n; i++)
        qi->type_start[h->type[i] + 1]++;
    for (uint32_t t = 0; t < nt; t++)
        qi->type_start[t + 1] += qi->type_start[t];
    uint32_t *next = xmalloc(((size_t)nt + 1) * sizeof *next, "the type index");
    memcpy(next, qi->type_start, ((size_t)nt + 1) * sizeof *next);
    for (size_t i = 0; i < h->n; i++)
        qi->type_objs[next[h->type[i]]++] = (obj_t)i;
    free(next);
}

void query_index_build(const struct heap *h, struct query_index *qi)
{
    memset(qi, 0, sizeof *qi);
    index_types(h, qi);
    rank_strings(&h->strings, qi);
}

void query_index_free(struct query_index *qi)
{
    free(qi->type_start);
    free(qi->type_objs);
    free(qi->str_rank);
    memset(qi, 0, sizeof *qi);
}

const obj_t *query_index_objects(const struct query_index *qi, uint32_t t, size_t *n)
{
    if (t >= qi->ntypes) {
        *n = 0;
        return qi->type_objs;
    }
    *n = qi->type_start[t + 1] - qi->type_start[t];
    return qi->type_objs + qi->type_start[t];
}

/* --- sorting objects --- */

static uint64_t column_value(const struct heap *h, const struct query_index *qi, obj_t o, enum query_key key)
{
    switch (key) {
    case QUERY_ADDRESS: return h->addr[o];
    case QUERY_SIZE: return heap_size(h, o);
    case QUERY_LEN: return heap_len(h, o);
    case QUERY_REFS: return heap_nchildren(h, o);
    case QUERY_PARENTS: return heap_nparents(h, o);
    case QUERY_VALUE: return qi->str_rank[h->str[o]];
    case QUERY_GETALL: break;
    }
    /* refs then parents, for the slow path of get_all: both fit 32 bits. */
    return ((uint64_t)heap_nchildren(h, o) << 32) | heap_nparents(h, o);
}

static int key_descends(enum query_key key)
{
    return key != QUERY_ADDRESS && key != QUERY_VALUE;
}

/* Where get_all's size and refs go in one key with the parents below them,
 * when the three fit 64 bits together (they nearly always do). */
struct getall_packing {
    int size_shift, refs_shift;
};

static int getall_pack(const struct heap *h, const obj_t *objs, size_t n, struct getall_packing *pk)
{
    uint64_t size = 0, refs = 0, parents = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t sz = heap_size(h, objs[i]), r = heap_nchildren(h, objs[i]), p = heap_nparents(h, objs[i]);
        size = sz > size ? sz : size;
        refs = r > refs ? r : refs;
        parents = p > parents ? p : parents;
    }
    int bs = bit_length(size), br = bit_length(refs), bp = bit_length(parents);
    pk->refs_shift = bp;
    pk->size_shift = bp + br;
    return bs + br + bp <= 64;
}

static uint64_t getall_value(const struct heap *h, obj_t o, const struct getall_packing *pk)
{
    uint64_t k = heap_nparents(h, o);
    if (pk->refs_shift < 64)
        k |= (uint64_t)heap_nchildren(h, o) << pk->refs_shift;
    if (pk->size_shift < 64)
        k |= heap_size(h, o) << pk->size_shift;
    return k;
}

/* Stable LSD radix sort of 64-bit words by their bits [lo, lo + bits), up
 * to 11 at a time.  Returns the buffer holding the result (a or tmp). */
static uint64_t *radix_sort_words(uint64_t *a, uint64_t *tmp, size_t n, int lo, int bits)
{
    int passes = (bits + 10) / 11, digit = (bits + passes - 1) / passes;
    size_t buckets = (size_t)1 << digit, mask = buckets - 1;
    size_t *count = xcalloc((size_t)passes * buckets, sizeof *count, "a sort");
    for (size_t i = 0; i < n; i++)
        for (int p = 0; p < passes; p++)
            count[(size_t)p * buckets + ((a[i] >> (lo + p * digit)) & mask)]++;
    uint64_t *src = a, *dst = tmp;
    for (int p = 0; p < passes; p++) {
        size_t *c = count + (size_t)p * buckets, sum = 0;
        int shift = lo + p * digit;
        if (c[(src[0] >> shift) & mask] == n)
            continue;
        for (size_t v = 0; v < buckets; v++) {
            size_t k = c[v];
            c[v] = sum;
            sum += k;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i] >> shift) & mask]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    free(count);
    return src;
}

/* Sort objs by their keys in w (w is consumed).  Only the bits that differ
 * between keys matter; when they and a row number fit one word together,
 * the words are sorted (8 bytes moved per row, and ties stay in row order);
 * otherwise keys and objects move as pairs. */
static void sort_by_words(obj_t *objs, uint64_t *w, size_t n)
{
    uint64_t all_and = ~(uint64_t)0, all_or = 0;
    for (size_t i = 0; i < n; i++) {
        all_and &= w[i];
        all_or |= w[i];
    }
    uint64_t varying = all_and ^ all_or;
    if (!varying)
        return;
    int lo = __builtin_ctzll(varying), bits = bit_length(varying) - lo, row_bits = bit_length(n - 1);
    if (bits + row_bits > 64) {
        struct sorter s;
        sorter_init(&s, n);
        for (size_t i = 0; i < n; i++)
            s.a[i] = (struct keyed){w[i], objs[i]};
        const struct keyed *r = radix_sort(&s);
        for (size_t i = 0; i < n; i++)
            objs[i] = r[i].id;
        sorter_free(&s);
        return;
    }
    uint64_t key_mask = ((uint64_t)1 << bits) - 1, row_mask = ((uint64_t)1 << row_bits) - 1;
    for (size_t i = 0; i < n; i++)
        w[i] = (((w[i] >> lo) & key_mask) << row_bits) | i;
    uint64_t *tmp = xmalloc(n * sizeof *tmp, "a sort");
    const uint64_t *r = radix_sort_words(w, tmp, n, row_bits, bits);
    obj_t *before = xmalloc(n * sizeof *before, "a sort");
    memcpy(before, objs, n * sizeof *objs);
    for (size_t i = 0; i < n; i++)
        objs[i] = before[r[i] & row_mask];
    free(before);
    free(tmp);
}

/* One stable pass: objs reordered by key (get_all packed as pk says). */
static void sort_pass(const struct heap *h, const struct query_index *qi, obj_t *objs, size_t n,
                      enum query_key key, const struct getall_packing *pk, int desc)
{
    uint64_t *w = xmalloc(n * sizeof *w, "a sort");
    for (size_t i = 0; i < n; i++) {
        uint64_t k = pk ? getall_value(h, objs[i], pk) : column_value(h, qi, objs[i], key);
        w[i] = desc ? ~k : k;
    }
    sort_by_words(objs, w, n);
    free(w);
}

void query_sort(const struct heap *h, const struct query_index *qi, obj_t *objs, size_t n, enum query_key key,
                int reverse)
{
    if (n < 2)
        return;
    int desc = key_descends(key) != (reverse != 0);
    struct getall_packing pk;
    if (key == QUERY_GETALL && getall_pack(h, objs, n, &pk)) {
        sort_pass(h, qi, objs, n, key, &pk, desc);
        return;
    }
    /* LSD order: the least significant key first; each pass is stable. */
    sort_pass(h, qi, objs, n, key, NULL, desc);
    if (key == QUERY_GETALL)
        sort_pass(h, qi, objs, n, QUERY_SIZE, NULL, desc);
}

obj_t *query_instances(const struct heap *h, const struct query_index *qi, uint32_t t, size_t *n)
{
    const obj_t *objs = query_index_objects(qi, t, n);
    obj_t *out = xmalloc((*n ? *n : 1) * sizeof *out, "a list of instances");
    memcpy(out, objs, *n * sizeof *out);
    query_sort(h, qi, out, *n, QUERY_GETALL, 0);
    return out;
}

/* --- matching --- */

static int has_capital(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            return 1;
    return 0;
}

static unsigned char ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* memmem ignoring ASCII case; the needle is already lower case. */
static int contains_folded(const char *hay, size_t hl, const char *needle, size_t nl)
{
    if (nl > hl)
        return 0;
    const unsigned char *s = (const unsigned char *)hay, *p = (const unsigned char *)needle;
    for (size_t i = 0; i + nl <= hl; i++) {
        if (ascii_lower(s[i]) != p[0])
            continue;
        size_t k = 1;
        while (k < nl && ascii_lower(s[i + k]) == p[k])
            k++;
        if (k == nl)
            return 1;
    }
    return 0;
}

int query_match_text(const struct query_match *m, const char *s, size_t len)
{
    if (m->len == 0)
        return 1;
    if (m->fold)
        return contains_folded(s, len, m->needle, m->len);
    return memmem(s, len, m->needle, m->len) != NULL;
}

void query_match_init(const struct heap *h, const char *needle, size_t len, struct query_match *m)
{
    m->needle = xmalloc(len + 1, "a search");
    memcpy(m->needle, needle, len);
    m->needle[len] = '\0';
    m->len = len;
    m->fold = !has_capital(needle, len);
    if (m->fold)
        for (size_t i = 0; i < len; i++)
            m->needle[i] = (char)ascii_lower((unsigned char)m->needle[i]);
    m->ntypes = h->types.n;
    m->type_hit = xcalloc(m->ntypes ? m->ntypes : 1, 1, "a search");
    for (uint32_t t = 0; t < m->ntypes; t++) {
        const char *name = types_name(&h->types, t);
        m->type_hit[t] = (uint8_t)query_match_text(m, name, strlen(name));
    }
}

void query_match_free(struct query_match *m)
{
    free(m->needle);
    free(m->type_hit);
    memset(m, 0, sizeof *m);
}

int query_match_object(const struct heap *h, const struct query_match *m, uint32_t child)
{
    if (heap_is_dangling(child))
        return 0;
    if (h->type[child] < m->ntypes && m->type_hit[h->type[child]])
        return 1;
    if (!h->str[child])
        return 0;
    size_t len;
    const char *s = heap_str(h, child, &len);
    return query_match_text(m, s, len);
}

/* --- previews --- */


void query_preview(const struct heap *h, obj_t i, size_t max_value, struct strbuf *out)
{
    if (h->flags[i] & OF_NAME) {
        size_t len;
        const char *s = heap_str(h, i, &len);
        size_t cut = hw_utf8_cut(s, len, max_value);
        refs_py_quote(s, cut, out);
        if (cut < len)
            sb_adds(out, "...");
    } else if (h->flags[i] & (OF_VALUE | OF_VALUE_NUM)) {
        refs_literal(h, i, max_value, out);
    } else if (strcmp(heap_type_name(h, i), "NoneType") == 0) {
        sb_adds(out, "None");
    }
}
