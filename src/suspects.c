#include "suspects.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The dominator tree as child lists: kids of o are kid[off[o] .. off[o+1]),
 * the virtual root's at index n. */
struct domkids {
    uint32_t *off;
    obj_t *kid;
};

static void domkids_build(const struct heap *h, const struct dominators *d, struct domkids *k)
{
    size_t n = h->n;
    k->off = xcalloc(n + 2, sizeof *k->off, "the leak suspects");
    k->kid = xmalloc((n ? n : 1) * sizeof *k->kid, "the leak suspects");
    for (size_t o = 0; o < n; o++)
        k->off[(d->idom[o] == OBJ_NONE ? n : d->idom[o]) + 1]++;
    for (size_t i = 0; i <= n; i++)
        k->off[i + 1] += k->off[i];
    uint32_t *fill = xmalloc((n + 1) * sizeof *fill, "the leak suspects");
    memcpy(fill, k->off, (n + 1) * sizeof *fill);
    for (size_t o = 0; o < n; o++)
        k->kid[fill[d->idom[o] == OBJ_NONE ? n : d->idom[o]]++] = (obj_t)o;
    free(fill);
}

static void domkids_free(struct domkids *k)
{
    free(k->off);
    free(k->kid);
}

/* MAT's accumulation point: down to the biggest dominated child while it keeps
 * SUSPECTS_BIG_DROP of the retained size. */
static obj_t accumulation_point(const struct dominators *d, const struct domkids *k, obj_t o)
{
    for (;;) {
        obj_t best = OBJ_NONE;
        for (uint32_t j = k->off[o]; j < k->off[o + 1]; j++)
            if (best == OBJ_NONE || d->retained[k->kid[j]] > d->retained[best])
                best = k->kid[j];
        if (best == OBJ_NONE || (double)d->retained[best] < SUSPECTS_BIG_DROP * (double)d->retained[o])
            return o;
        o = best;
    }
}

/* --- groups: (immediate dominator, type) -> sum of retained sizes --- */

struct group {
    uint64_t key;            /* (idom + 1) << 32 | type; 0 = empty slot */
    uint64_t retained, count;
    obj_t biggest;
};

static uint64_t group_key(obj_t idom, uint32_t type)
{
    return ((uint64_t)(idom == OBJ_NONE ? 0 : idom + 1) << 32 | type) + 1;
}

/* An open-addressing table of groups, sized for n objects. */
static struct group *groups_count(const struct heap *h, const struct dominators *d, size_t *cap_out)
{
    size_t cap = 16;
    while (cap < 2 * h->n + 2)
        cap *= 2;
    struct group *g = xcalloc(cap, sizeof *g, "the leak suspects");
    for (size_t o = 0; o < h->n; o++) {
        uint64_t key = group_key(d->idom[o], h->type[o]);
        size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
        while (g[i].key && g[i].key != key)
            i = (i + 1) & (cap - 1);
        if (!g[i].key || d->retained[o] > d->retained[g[i].biggest])
            g[i].biggest = (obj_t)o;
        g[i].key = key;
        g[i].retained += d->retained[o];
        g[i].count++;
    }
    *cap_out = cap;
    return g;
}

/* --- what a suspect holds --- */

static int cmp_holds(const void *a, const void *b)
{
    const struct suspect_type *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes < y->bytes ? 1 : -1;
    return x->type < y->type ? -1 : x->type > y->type;
}

static int is_member(const struct heap *h, const struct dominators *d, const struct suspect *s, obj_t o)
{
    return h->type[o] == s->type && d->idom[o] == s->accumulation;
}

/* What a group retains together: its members' dominated sets, and the
 * objects only members reach (a string every member refers to is dominated
 * by the container, not by any one member). Every path from a root to the
 * container's dominated set goes through the container, so: mark that set
 * (1), search it from the container without entering members (3); what the
 * search misses is the group's. mark and queue have h->n entries. */
static void group_set(const struct heap *h, const struct roots *r, const struct dominators *d,
                      const struct domkids *k, const struct suspect *s, uint8_t *mark, obj_t *queue)
{
    size_t n = h->n, qn = 0;
    obj_t acc = s->accumulation;
    if (acc == OBJ_NONE) {
        memset(mark, 1, n);
    } else {
        memset(mark, 0, n);
        queue[qn++] = acc;
        while (qn) {
            obj_t o = queue[--qn];
            mark[o] = 1;
            for (uint32_t j = k->off[o]; j < k->off[o + 1]; j++)
                queue[qn++] = k->kid[j];
        }
    }
    size_t head = 0;
    if (acc != OBJ_NONE) {
        mark[acc] = 3;
        queue[qn++] = acc;
    } else {
        for (size_t j = 0; j < r->n; j++)
            if (mark[r->list[j]] == 1 && !is_member(h, d, s, r->list[j])) {
                mark[r->list[j]] = 3;
                queue[qn++] = r->list[j];
            }
    }
    while (head < qn) {
        obj_t o = queue[head++];
        const uint32_t *c = heap_children(h, o);
        for (size_t j = 0; j < heap_nchildren(h, o); j++) {
            if (heap_is_dangling(c[j]) || mark[c[j]] != 1 || is_member(h, d, s, c[j]))
                continue;
            mark[c[j]] = 3;
            queue[qn++] = c[j];
        }
    }
}

/* Count by type what the suspect holds: a single object's dominated set, or
 * what a group retains together (group_set). */
static void fill_holds(const struct heap *h, const struct roots *r, const struct dominators *d,
                       const struct domkids *k, const uint8_t *is_new, struct suspect *s, uint64_t *count,
                       uint64_t *bytes, uint64_t *ncount, uint64_t *nbytes, obj_t *stack, uint8_t *mark,
                       int keep)
{
    uint32_t nt = h->types.n;
    memset(count, 0, nt * sizeof *count);
    memset(bytes, 0, nt * sizeof *bytes);
    memset(ncount, 0, nt * sizeof *ncount);
    memset(nbytes, 0, nt * sizeof *nbytes);
    size_t sp = 0;
    if (!s->is_group) {
        stack[sp++] = s->object;
        while (sp) {
            obj_t o = stack[--sp];
            mark[o] = 2;
            for (uint32_t j = k->off[o]; j < k->off[o + 1]; j++)
                stack[sp++] = k->kid[j];
        }
    } else {
        group_set(h, r, d, k, s, mark, stack);
    }
    for (size_t i = 0; i < h->n; i++) {
        obj_t o = (obj_t)i;
        if (s->is_group ? mark[o] != 1 || o == s->accumulation : mark[o] != 2)
            continue;
        uint64_t size = heap_size(h, o);
        count[h->type[o]]++;
        bytes[h->type[o]] += size;
        if (keep)
            stack[s->held_objects] = o; /* the stack is free again: collected, then copied */
        s->held_objects++;
        s->held_bytes += size;
        if (is_new && is_new[o]) {
            ncount[h->type[o]]++;
            nbytes[h->type[o]] += size;
            s->new_objects++;
            s->new_bytes += size;
        }
    }
    if (keep) {
        s->held = xmalloc((s->held_objects ? s->held_objects : 1) * sizeof *s->held, "the leak suspects");
        memcpy(s->held, stack, s->held_objects * sizeof *s->held);
    }
    if (s->is_group)
        s->retained = s->held_bytes;
    size_t n = 0;
    for (uint32_t t = 0; t < nt; t++)
        n += count[t] != 0;
    s->holds = xmalloc((n ? n : 1) * sizeof *s->holds, "the leak suspects");
    s->n_holds = 0;
    for (uint32_t t = 0; t < nt; t++)
        if (count[t])
            s->holds[s->n_holds++] = (struct suspect_type){t, count[t], bytes[t], ncount[t], nbytes[t]};
    if (s->n_holds > 1)
        qsort(s->holds, s->n_holds, sizeof *s->holds, cmp_holds);
}

static int cmp_suspects(const void *a, const void *b)
{
    const struct suspect *x = a, *y = b;
    if (x->retained != y->retained)
        return x->retained < y->retained ? 1 : -1;
    if (x->is_group != y->is_group)
        return x->is_group - y->is_group;
    return x->object < y->object ? -1 : x->object > y->object;
}

static void add_suspect(struct suspects *s, size_t *cap, const struct suspect *one)
{
    if (s->n == *cap) {
        *cap = *cap ? 2 * *cap : 8;
        s->list = xreallocarray(s->list, *cap, sizeof *s->list, "the leak suspects");
    }
    s->list[s->n++] = *one;
}

/* Whether the first n suspects hold a root-level group of this type. */
static int in_root_group(const struct suspects *s, size_t n, uint32_t type)
{
    for (size_t j = 0; j < n; j++)
        if (s->list[j].is_group && s->list[j].accumulation == OBJ_NONE && s->list[j].type == type)
            return 1;
    return 0;
}

static void compute(const struct heap *h, const struct roots *r, const struct dominators *d,
                    const uint8_t *is_new, double share, int keep, struct suspects *s);

void suspects_compute(const struct heap *h, const struct roots *r, const struct dominators *d,
                      const uint8_t *is_new, double share, struct suspects *s)
{
    compute(h, r, d, is_new, share, 0, s);
}

void suspects_compute_sets(const struct heap *h, const struct roots *r, const struct dominators *d,
                           const uint8_t *is_new, double share, struct suspects *s)
{
    compute(h, r, d, is_new, share, 1, s);
}

int suspects_is_member(const struct heap *h, const struct dominators *d, const struct suspect *s, obj_t o)
{
    return s->is_group ? is_member(h, d, s, o) : o == s->object;
}

static void compute(const struct heap *h, const struct roots *r, const struct dominators *d,
                    const uint8_t *is_new, double share, int keep, struct suspects *s)
{
    memset(s, 0, sizeof *s);
    s->total = d->total;
    s->threshold = (uint64_t)ceil((double)d->total * share);
    if (s->threshold == 0)
        s->threshold = 1;
    s->have_old = is_new != NULL;
    struct domkids k;
    domkids_build(h, d, &k);
    size_t cap = 0, n = h->n;

    /* Groups: one type under one dominator, two members or more. */
    size_t gcap;
    struct group *g = groups_count(h, d, &gcap);
    for (size_t i = 0; i < gcap; i++) {
        if (!g[i].key || g[i].count < 2 || g[i].retained < s->threshold)
            continue;
        obj_t o = g[i].biggest;
        if (d->idom[o] == OBJ_NONE && r->kind[o] != ROOT_STRUCTURAL && r->kind[o] != ROOT_NONE)
            continue; /* modules, frames, pinned objects: the anchors, not a pile-up */
        struct suspect one = {0};
        one.is_group = 1;
        one.object = o;
        one.type = h->type[o];
        one.n_objects = g[i].count;
        one.retained = g[i].retained;
        one.accumulation = d->idom[o];
        one.acc_retained = d->idom[o] == OBJ_NONE ? 0 : d->retained[d->idom[o]];
        add_suspect(s, &cap, &one);
    }
    free(g);
    size_t n_groups = s->n;

    /* Single objects: the virtual root's children that retain enough. */
    for (uint32_t j = k.off[n]; j < k.off[n + 1]; j++) {
        obj_t o = k.kid[j];
        if (d->retained[o] < s->threshold || in_root_group(s, n_groups, h->type[o]))
            continue; /* a member of a root-level group is reported with it */
        struct suspect one = {0};
        one.object = o;
        one.type = h->type[o];
        one.n_objects = 1;
        one.retained = d->retained[o];
        one.accumulation = accumulation_point(d, &k, o);
        one.acc_retained = d->retained[one.accumulation];
        add_suspect(s, &cap, &one);
    }

    uint32_t nt = h->types.n ? h->types.n : 1;
    uint64_t *buf = xmalloc(4 * nt * sizeof *buf, "the leak suspects");
    obj_t *stack = xmalloc((n ? n : 1) * sizeof *stack, "the leak suspects");
    uint8_t *mark = xmalloc(n ? n : 1, "the leak suspects");
    for (size_t j = 0; j < s->n; j++) {
        memset(mark, 0, n);
        fill_holds(h, r, d, &k, is_new, &s->list[j], buf, buf + nt, buf + 2 * nt, buf + 3 * nt, stack, mark, keep);
    }
    free(mark);
    free(stack);
    free(buf);
    domkids_free(&k);
    if (s->n > 1)
        qsort(s->list, s->n, sizeof *s->list, cmp_suspects);
}

void suspects_free(struct suspects *s)
{
    for (size_t j = 0; j < s->n; j++) {
        free(s->list[j].holds);
        free(s->list[j].held);
    }
    free(s->list);
    memset(s, 0, sizeof *s);
}

int suspects_path(const struct heap *h, const struct roots *r, const struct paths *p, const struct suspect *s,
                  struct strbuf *out)
{
    obj_t target = s->accumulation == OBJ_NONE ? s->object : s->accumulation;
    size_t len;
    obj_t *path = paths_get(p, target, &len);
    if (!path)
        return 0;
    paths_expression(h, r, path, len, out);
    free(path);
    return 1;
}
