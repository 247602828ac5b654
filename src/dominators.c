#include "dominators.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define NONE UINT32_MAX

/* Vertices are numbered in DFS preorder from the virtual root, which is 0;
 * object o is vertex pre[o] (0 when no root reaches it), and vertex v is
 * object vert[v] (vert[0] unused). */
struct dfs {
    uint32_t *pre;           /* object -> preorder number */
    obj_t *vert;             /* preorder number -> object */
    uint32_t *parent;        /* preorder -> DFS parent's preorder */
    uint32_t n;              /* vertices, the virtual root included */
};

struct dfs_frame {
    uint32_t v;              /* preorder number */
    uint32_t k;              /* next child */
};

static void dfs_number(const struct heap *h, const struct roots *r, struct dfs *g)
{
    size_t n = h->n;
    g->pre = xcalloc(n ? n : 1, sizeof *g->pre, "the dominator tree");
    g->vert = xmalloc((n + 1) * sizeof *g->vert, "the dominator tree");
    g->parent = xmalloc((n + 1) * sizeof *g->parent, "the dominator tree");
    struct dfs_frame *stack = xmalloc((n + 1) * sizeof *stack, "the dominator tree");
    uint32_t next = 1;
    g->vert[0] = OBJ_NONE;
    g->parent[0] = 0;
    for (size_t k = 0; k < r->n; k++) {
        obj_t root = r->list[k];
        if (g->pre[root])
            continue;
        g->pre[root] = next;
        g->vert[next] = root;
        g->parent[next] = 0;
        size_t sp = 0;
        stack[sp++] = (struct dfs_frame){next++, 0};
        while (sp) {
            struct dfs_frame *f = &stack[sp - 1];
            obj_t o = g->vert[f->v];
            if (f->k == heap_nchildren(h, o)) {
                sp--;
                continue;
            }
            uint32_t c = heap_children(h, o)[f->k++];
            if (heap_is_dangling(c) || g->pre[c])
                continue;
            g->pre[c] = next;
            g->vert[next] = c;
            g->parent[next] = f->v;
            stack[sp++] = (struct dfs_frame){next++, 0};
        }
    }
    g->n = next;
    free(stack);
}

/* Path compression without recursion: collect the path to the forest root,
 * then fold labels down from the top. */
static void compress(uint32_t v, uint32_t *ancestor, uint32_t *label, const uint32_t *semi, uint32_t *path)
{
    size_t len = 0;
    while (ancestor[ancestor[v]] != NONE) {
        path[len++] = v;
        v = ancestor[v];
    }
    while (len--) {
        uint32_t w = path[len];
        uint32_t a = ancestor[w];
        if (semi[label[a]] < semi[label[w]])
            label[w] = label[a];
        ancestor[w] = ancestor[a];
    }
}

static uint32_t eval(uint32_t v, uint32_t *ancestor, uint32_t *label, const uint32_t *semi, uint32_t *path)
{
    if (ancestor[v] == NONE)
        return v;
    compress(v, ancestor, label, semi, path);
    return label[v];
}

void dominators_compute(const struct heap *h, const struct roots *r, struct dominators *d)
{
    size_t n = h->n;
    struct dfs g;
    memset(d, 0, sizeof *d);
    dfs_number(h, r, &g);
    uint32_t nv = g.n;
    uint32_t *semi = xmalloc(nv * sizeof *semi, "the dominator tree");
    uint32_t *label = xmalloc(nv * sizeof *label, "the dominator tree");
    uint32_t *ancestor = xmalloc(nv * sizeof *ancestor, "the dominator tree");
    uint32_t *path = xmalloc(nv * sizeof *path, "the dominator tree");
    for (uint32_t v = 0; v < nv; v++) {
        semi[v] = label[v] = v;
        ancestor[v] = NONE;
    }
    for (uint32_t w = nv - 1; w >= 1; w--) {
        obj_t o = g.vert[w];
        /* Predecessors: the object's parents, and the virtual root for a root. */
        if (r->kind[o] != ROOT_NONE)
            semi[w] = 0;
        const uint32_t *p = heap_parents(h, o);
        size_t np = heap_nparents(h, o);
        for (size_t k = 0; k < np; k++) {
            uint32_t v = g.pre[p[k]];
            if (!v)
                continue; /* no root reaches that parent */
            uint32_t u = eval(v, ancestor, label, semi, path);
            if (semi[u] < semi[w])
                semi[w] = semi[u];
        }
        ancestor[w] = g.parent[w];
    }
    /* idom by nearest common ancestor: reuse parent[] as idom[]. */
    uint32_t *idom = g.parent;
    for (uint32_t v = 1; v < nv; v++)
        while (idom[v] > semi[v])
            idom[v] = idom[idom[v]];
    free(semi);
    free(label);
    free(ancestor);
    free(path);

    d->idom = xmalloc((n ? n : 1) * sizeof *d->idom, "the dominator tree");
    d->retained = xcalloc(n ? n : 1, sizeof *d->retained, "the dominator tree");
    for (size_t o = 0; o < n; o++) {
        d->idom[o] = OBJ_NONE;
        if (!g.pre[o])
            d->n_unreached++;
    }
    for (uint32_t v = 1; v < nv; v++)
        d->idom[g.vert[v]] = idom[v] ? g.vert[idom[v]] : OBJ_NONE;
    /* Retained sizes: children before their dominators (reverse preorder). */
    for (uint32_t v = nv - 1; v >= 1; v--) {
        obj_t o = g.vert[v];
        d->retained[o] += heap_size(h, o);
        if (idom[v])
            d->retained[g.vert[idom[v]]] += d->retained[o];
        else
            d->total += d->retained[o];
    }
    free(g.pre);
    free(g.vert);
    free(g.parent);
}

void dominators_free(struct dominators *d)
{
    free(d->idom);
    free(d->retained);
    memset(d, 0, sizeof *d);
}

/* A key and the object it belongs to. */
struct retained_keyed {
    uint64_t key;
    obj_t obj;
};

enum { DIGIT_BITS = 11, BUCKETS = 1 << DIGIT_BITS };

void dominators_sort(obj_t *objs, size_t n, const uint64_t *retained, int reverse)
{
    if (n < 2)
        return;
    /* Descending order is ascending order of the complemented keys; an LSD
     * radix sort is stable, and only the bits that differ need a pass. */
    struct retained_keyed *a = xmalloc(n * sizeof *a, "a sort by retained size");
    struct retained_keyed *b = xmalloc(n * sizeof *b, "a sort by retained size");
    uint64_t all_and = ~(uint64_t)0, all_or = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = retained[objs[i]];
        a[i] = (struct retained_keyed){reverse ? k : ~k, objs[i]};
        all_and &= a[i].key;
        all_or |= a[i].key;
    }
    uint64_t varying = all_and ^ all_or;
    size_t *count = xmalloc(BUCKETS * sizeof *count, "a sort by retained size");
    for (int shift = 0; shift < 64 && varying >> shift; shift += DIGIT_BITS) {
        if (!((varying >> shift) & (BUCKETS - 1)))
            continue; /* every key has the same digit here */
        memset(count, 0, BUCKETS * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(a[i].key >> shift) & (BUCKETS - 1)]++;
        size_t sum = 0;
        for (size_t v = 0; v < BUCKETS; v++) {
            size_t c = count[v];
            count[v] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            b[count[(a[i].key >> shift) & (BUCKETS - 1)]++] = a[i];
        struct retained_keyed *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        objs[i] = a[i].obj;
    free(count);
    free(a);
    free(b);
}

obj_t *dominators_children(const struct heap *h, const struct dominators *d, obj_t o, size_t *n)
{
    size_t count = 0, cap = 16;
    obj_t *kids = xmalloc(cap * sizeof *kids, "a dominator tree level");
    for (size_t i = 0; i < h->n; i++) {
        if (d->idom[i] != o)
            continue;
        if (count == cap) {
            cap *= 2;
            kids = xreallocarray(kids, cap, sizeof *kids, "a dominator tree level");
        }
        kids[count++] = (obj_t)i;
    }
    dominators_sort(kids, count, d->retained, 0); /* ties in object order */
    *n = count;
    return kids;
}

void dominators_by_type(const struct heap *h, const struct dominators *d, uint64_t *out)
{
    size_t n = h->n;
    uint32_t nt = h->types.n;
    memset(out, 0, nt * sizeof *out);
    /* The dominator tree as child lists (CSR), then an iterative walk that
     * counts, per type, how many objects of that type are on the way down. */
    uint32_t *off = xcalloc(n + 2, sizeof *off, "retained sizes by type");
    for (size_t o = 0; o < n; o++)
        off[(d->idom[o] == OBJ_NONE ? n : d->idom[o]) + 1]++;
    for (size_t i = 0; i <= n; i++)
        off[i + 1] += off[i];
    obj_t *kids = xmalloc((n ? n : 1) * sizeof *kids, "retained sizes by type");
    uint32_t *fill = xmalloc((n + 1) * sizeof *fill, "retained sizes by type");
    memcpy(fill, off, (n + 1) * sizeof *fill);
    for (size_t o = 0; o < n; o++)
        kids[fill[d->idom[o] == OBJ_NONE ? n : d->idom[o]]++] = (obj_t)o;
    free(fill);
    uint32_t *active = xcalloc(nt ? nt : 1, sizeof *active, "retained sizes by type");
    struct dfs_frame *stack = xmalloc((n + 1) * sizeof *stack, "retained sizes by type");
    size_t sp = 0;
    stack[sp++] = (struct dfs_frame){(uint32_t)n, off[n]};
    while (sp) {
        struct dfs_frame *f = &stack[sp - 1];
        if (f->k == off[f->v + 1]) {
            if (f->v != n)
                active[h->type[f->v]]--;
            sp--;
            continue;
        }
        obj_t c = kids[f->k++];
        uint32_t t = h->type[c];
        if (active[t] == 0)
            out[t] += d->retained[c];
        active[t]++;
        stack[sp++] = (struct dfs_frame){c, off[c]};
    }
    free(stack);
    free(active);
    free(kids);
    free(off);
}

static int cmp_holder_bytes(const void *a, const void *b)
{
    const struct holder_row *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes < y->bytes ? 1 : -1;
    return x->objects < y->objects ? 1 : x->objects > y->objects ? -1 : 0;
}

struct holder_row *dominators_holders(const struct heap *h, const struct dominators *d, const obj_t *set,
                                      size_t nset, size_t *n)
{
    uint32_t nt = h->types.n;
    /* Index nt is the virtual root's row. */
    struct holder_row *rows = xcalloc((size_t)nt + 1, sizeof *rows, "the holders");
    uint8_t *seen = xcalloc(h->n ? h->n : 1, 1, "the holders");
    for (size_t k = 0; k < nset; k++) {
        obj_t o = set[k], dom = d->idom[o];
        uint32_t t = dom == OBJ_NONE ? nt : h->type[dom];
        rows[t].objects++;
        rows[t].bytes += d->retained[o];
        if (dom == OBJ_NONE) {
            rows[t].holders = 1;
        } else if (!seen[dom]) {
            seen[dom] = 1;
            rows[t].holders++;
        }
    }
    free(seen);
    size_t m = 0;
    for (uint32_t t = 0; t <= nt; t++)
        if (rows[t].objects) {
            rows[m] = rows[t];
            rows[m].type = t == nt ? UINT32_MAX : t;
            m++;
        }
    if (m > 1)
        qsort(rows, m, sizeof *rows, cmp_holder_bytes);
    *n = m;
    return rows;
}
