#include "query.h"

#include <stdlib.h>
#include <string.h>

#include "refs.h"

/* --- the type index --- */

void query_index_build(const struct heap *h, struct type_index *ti)
{
    uint32_t nt = h->types.n;
    ti->ntypes = nt;
    ti->start = xcalloc((size_t)nt + 1, sizeof *ti->start, "the type index");
    ti->objs = xmalloc((h->n ? h->n : 1) * sizeof *ti->objs, "the type index");
    /* A counting sort by type: count, prefix sums, then place in dump order. */
    for (size_t i = 0; i < h->n; i++)
        ti->start[h->type[i] + 1]++;
    for (uint32_t t = 0; t < nt; t++)
        ti->start[t + 1] += ti->start[t];
    uint32_t *next = xmalloc(((size_t)nt + 1) * sizeof *next, "the type index");
    memcpy(next, ti->start, ((size_t)nt + 1) * sizeof *next);
    for (size_t i = 0; i < h->n; i++)
        ti->objs[next[h->type[i]]++] = (obj_t)i;
    free(next);
}

void query_index_free(struct type_index *ti)
{
    free(ti->start);
    free(ti->objs);
    memset(ti, 0, sizeof *ti);
}

const obj_t *query_index_objects(const struct type_index *ti, uint32_t t, size_t *n)
{
    if (t >= ti->ntypes) {
        *n = 0;
        return ti->objs;
    }
    *n = ti->start[t + 1] - ti->start[t];
    return ti->objs + ti->start[t];
}

/* --- sorting --- */

/* One object with its sort key. */
struct keyed {
    uint64_t key;
    obj_t obj;
};

enum { KEY_BYTES = 8 };

/* Two buffers of n entries: the keys go into a, the sorted result comes back
 * in either; the other one is scratch. */
struct sorter {
    struct keyed *a, *b;
    size_t n;
};

/* Stable LSD radix sort by key, ascending, a byte at a time; a byte that is
 * the same in every key costs no pass.  Returns the buffer holding the result. */
static struct keyed *radix_sort(struct sorter *s)
{
    if (s->n == 0)
        return s->a;
    size_t (*count)[256] = xcalloc(KEY_BYTES, sizeof *count, "a sort");
    struct keyed *src = s->a, *dst = s->b;
    for (size_t i = 0; i < s->n; i++)
        for (int b = 0; b < KEY_BYTES; b++)
            count[b][(src[i].key >> (8 * b)) & 0xff]++;
    for (int b = 0; b < KEY_BYTES; b++) {
        size_t *c = count[b];
        if (c[(src[0].key >> (8 * b)) & 0xff] == s->n)
            continue;
        size_t sum = 0;
        for (int v = 0; v < 256; v++) {
            size_t k = c[v];
            c[v] = sum;
            sum += k;
        }
        for (size_t i = 0; i < s->n; i++)
            dst[c[(src[i].key >> (8 * b)) & 0xff]++] = src[i];
        struct keyed *t = src;
        src = dst;
        dst = t;
    }
    free(count);
    return src;
}

/* 8 bytes of the object's text from offset `at`, big-endian, so that numeric
 * order is byte order; missing bytes count as 0. */
static uint64_t text_key(const struct heap *h, obj_t o, size_t at)
{
    size_t len;
    const char *s = heap_str(h, o, &len);
    uint64_t k = 0;
    for (size_t b = at; b < at + 8; b++)
        k = (k << 8) | (s && b < len ? (unsigned char)s[b] : 0);
    return k;
}

static uint64_t column_value(const struct heap *h, obj_t o, enum query_key key)
{
    switch (key) {
    case QUERY_ADDRESS: return h->addr[o];
    case QUERY_SIZE: return heap_size(h, o);
    case QUERY_LEN: return heap_len(h, o);
    case QUERY_REFS: return heap_nchildren(h, o);
    case QUERY_PARENTS: return heap_nparents(h, o);
    case QUERY_GETALL:
        /* refs then parents: both fit 32 bits (edge offsets are 32-bit). */
        return ((uint64_t)heap_nchildren(h, o) << 32) | heap_nparents(h, o);
    case QUERY_VALUE: break;
    }
    return text_key(h, o, 0);
}

static int key_descends(enum query_key key)
{
    return key != QUERY_ADDRESS && key != QUERY_VALUE;
}

/* The full comparison behind QUERY_VALUE: no text < any text, then bytes, then length. */
static int text_cmp(const struct heap *h, obj_t x, obj_t y)
{
    size_t lx = 0, ly = 0;
    const char *sx = h->str[x] ? heap_str(h, x, &lx) : NULL;
    const char *sy = h->str[y] ? heap_str(h, y, &ly) : NULL;
    if (!sx || !sy)
        return (sx != NULL) - (sy != NULL);
    int c = memcmp(sx, sy, lx < ly ? lx : ly);
    if (c)
        return c;
    return (lx > ly) - (lx < ly);
}

/* Stable merge sort of a[0..n) by text (descending when desc), tmp as scratch. */
static void text_merge_sort(const struct heap *h, struct keyed *a, struct keyed *tmp, size_t n, int desc)
{
    if (n < 2)
        return;
    size_t mid = n / 2;
    text_merge_sort(h, a, tmp, mid, desc);
    text_merge_sort(h, a + mid, tmp, n - mid, desc);
    size_t i = 0, j = mid, k = 0;
    while (i < mid && j < n) {
        int c = text_cmp(h, a[j].obj, a[i].obj);
        if (desc)
            c = -c;
        tmp[k++] = c < 0 ? a[j++] : a[i++];
    }
    while (i < mid)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

/* Runs shorter than this are finished by comparing whole texts. */
enum { TEXT_RUN_MIN = 32 };

static size_t longest_text(const struct heap *h, const struct keyed *r, size_t n)
{
    size_t max = 0, len;
    for (size_t i = 0; i < n; i++)
        if (heap_str(h, r[i].obj, &len) && len > max)
            max = len;
    return max;
}

static void text_sort_run(const struct heap *h, struct keyed *r, struct keyed *scratch, size_t n, int desc,
                          size_t at);

/* r[0..n) is sorted by the 8 text bytes before offset `at`: order each run of
 * equal keys by the rest of the text (an MSD radix sort, 8 bytes a level). */
static void text_fix_runs(const struct heap *h, struct keyed *r, struct keyed *scratch, size_t n, int desc,
                          size_t at)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && r[j].key == r[i].key)
            j++;
        if (j - i > 1)
            text_sort_run(h, r + i, scratch + i, j - i, desc, at);
        i = j;
    }
}

static void text_sort_run(const struct heap *h, struct keyed *r, struct keyed *scratch, size_t n, int desc,
                          size_t at)
{
    if (n < TEXT_RUN_MIN || longest_text(h, r, n) <= at) {
        text_merge_sort(h, r, scratch, n, desc);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t k = text_key(h, r[i].obj, at);
        r[i].key = desc ? ~k : k;
    }
    struct sorter sub = {r, scratch, n};
    struct keyed *sorted = radix_sort(&sub);
    if (sorted != r)
        memcpy(r, sorted, n * sizeof *r);
    text_fix_runs(h, r, scratch, n, desc, at + 8);
}

/* One stable pass by one key; objs is rewritten in the new order. */
static void sort_pass(const struct heap *h, struct sorter *s, obj_t *objs, enum query_key key, int desc)
{
    for (size_t i = 0; i < s->n; i++) {
        uint64_t k = column_value(h, objs[i], key);
        s->a[i] = (struct keyed){desc ? ~k : k, objs[i]};
    }
    struct keyed *r = radix_sort(s);
    if (key == QUERY_VALUE)
        text_fix_runs(h, r, r == s->a ? s->b : s->a, s->n, desc, 8);
    for (size_t i = 0; i < s->n; i++)
        objs[i] = r[i].obj;
}

void query_sort(const struct heap *h, obj_t *objs, size_t n, enum query_key key, int reverse)
{
    if (n < 2)
        return;
    struct sorter s = {
        xmalloc(n * sizeof *s.a, "a sort"),
        xmalloc(n * sizeof *s.b, "a sort"),
        n,
    };
    int desc = key_descends(key) != (reverse != 0);
    /* LSD order: the least significant key first; each pass is stable. */
    sort_pass(h, &s, objs, key, desc);
    if (key == QUERY_GETALL)
        sort_pass(h, &s, objs, QUERY_SIZE, desc);
    free(s.a);
    free(s.b);
}

obj_t *query_instances(const struct heap *h, const struct type_index *ti, uint32_t t, size_t *n)
{
    const obj_t *objs = query_index_objects(ti, t, n);
    obj_t *out = xmalloc((*n ? *n : 1) * sizeof *out, "a list of instances");
    memcpy(out, objs, *n * sizeof *out);
    query_sort(h, out, *n, QUERY_GETALL, 0);
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

/* Cut at most max bytes of UTF-8 without splitting a character (max 0: no cut). */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (!max || len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

void query_preview(const struct heap *h, obj_t i, size_t max_value, struct strbuf *out)
{
    if (h->flags[i] & OF_NAME) {
        size_t len;
        const char *s = heap_str(h, i, &len);
        size_t cut = utf8_cut(s, len, max_value);
        refs_py_quote(s, cut, out);
        if (cut < len)
            sb_adds(out, "...");
    } else if (h->flags[i] & (OF_VALUE | OF_VALUE_NUM)) {
        refs_literal(h, i, max_value, out);
    } else if (strcmp(heap_type_name(h, i), "NoneType") == 0) {
        sb_adds(out, "None");
    }
}
