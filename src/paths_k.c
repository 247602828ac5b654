/* paths_k.c: the k shortest simple paths from the roots to an object (Yen's
 * method), fast on deep graphs and stoppable.
 *
 * Yen's method finds path i+1 by a "spur" search at every node of path i.
 * Done plainly that is one whole-graph search per node per path: quadratic
 * in the path's length (45 minutes for a 2M-hop chain). Here:
 *
 *  - two breadth-first searches at the start give every object its distance
 *    from the nearest anchor root and from the nearest root of any kind.
 *    Those are exact lower bounds on any constrained path, so each spur
 *    search is an A* search that walks straight to a root when nothing is in
 *    its way (cost: about the spur path's length), and each spur gets a lower
 *    bound on its result from its parents alone (cost: its parent count);
 *  - spurs are evaluated lazily (Lawler, Yen): the candidate with the
 *    smallest bound is searched for real only when it reaches the front of
 *    the queue, so finding the next path costs one or a few searches, not
 *    one per node; a spur with no usable parent is never searched;
 *  - the search arrays are allocated once and reset through the list of
 *    what a search touched; the nodes a spur must avoid are marked with an
 *    epoch, never cleared one by one;
 *  - every loop counts its steps against a budget and polls a cancel flag.
 *
 * Paths are ranked as paths.h says: from an anchor root before from a
 * structural one, then shorter first. */
#include <stdlib.h>
#include <string.h>

#include "paths.h"

#define INF UINT32_MAX

struct kpath {
    obj_t *p;            /* root .. target */
    uint32_t len;        /* nodes */
    uint8_t structural;  /* starts at a structural root */
    uint32_t parent;     /* the accepted path it deviated from (UINT32_MAX for the first) */
    uint64_t hash;
};

/* A candidate: a spur of an accepted path not searched yet (path == NULL,
 * len a lower bound), or a searched one (a whole path). */
struct kcand {
    uint8_t structural;
    uint32_t len;
    uint32_t base, j;    /* spur at node j of accepted path base */
    uint32_t na_gen;     /* accepted paths when it was made (its banned edges) */
    uint64_t seq;
    obj_t *path;
    uint64_t hash;
};

struct kctx {
    const struct heap *h;
    const struct roots *r;
    const struct path_filter *f;
    struct path_budget *b;
    uint32_t t_function, t_type, t_classobj;
    int py3;
    uint32_t *da, *dall;        /* distance from the nearest anchor / root */
    uint8_t *filtered;          /* objects the filter excludes */
    uint32_t *stamp, epoch;     /* stamp[v] == epoch: v is on the kept suffix */
    /* the A* search */
    uint32_t *g;                /* hops from the start plus one; 0 = unseen */
    obj_t *succ;                /* next hop towards the start */
    obj_t *touched;
    size_t ntouched;
    struct { uint64_t key; obj_t v; } *heap;
    size_t nheap, heapcap;
    /* accepted paths and candidates */
    struct kpath *A;
    size_t na;
    uint32_t *lcs;              /* common suffix lengths, k x k, INF = unknown */
    size_t k;
    struct kcand *C;
    size_t nc, ccap;
    uint64_t seq;
};

/* Count a step; 1 when the work must stop (over budget or cancelled). */
static int spend(struct kctx *c, uint64_t steps)
{
    struct path_budget *b = c->b;
    if (!b)
        return 0;
    uint64_t before = b->steps;
    b->steps += steps;
    if (b->stopped)
        return 1;
    if (b->max_steps && b->steps > b->max_steps)
        b->stopped = 1;
    if (b->cancel && (before >> 12) != (b->steps >> 12) && atomic_load_explicit(b->cancel, memory_order_relaxed))
        b->stopped = 1;
    return b->stopped;
}

static int is_anchor(const struct roots *r, obj_t v)
{
    return r->kind[v] == ROOT_MODULE || r->kind[v] == ROOT_FRAME || r->kind[v] == ROOT_PINNED;
}

/* May a path step from parent to child (edge kinds and the filter's edges)? */
static int edge_allowed(const struct kctx *c, obj_t parent, obj_t child)
{
    const struct path_filter *f = c->f;
    for (size_t k = 0; k < f->n_edges; k++)
        if (f->edges[k].parent == parent && f->edges[k].child == child)
            return 0;
    unsigned kinds = f->kinds;
    if (!kinds)
        return 1;
    const struct heap *h = c->h;
    if ((kinds & EDGE_TYPE) && (h->type[child] == c->t_type || h->type[child] == c->t_classobj))
        return 0;
    if (h->type[parent] != c->t_function)
        return 1;
    const uint32_t *ch = heap_children(h, parent);
    size_t n = heap_nchildren(h, parent);
    for (size_t k = 0; k < n; k++) {
        if (ch[k] != child)
            continue;
        unsigned kind = k == 1 ? EDGE_GLOBALS : (k == 2 && c->py3) ? EDGE_BUILTINS : 0;
        if (!(kind & kinds))
            return 1;
    }
    return 0;
}

/* Forward breadth-first distances from the roots anchors_only picks. */
static void root_distances(struct kctx *c, int anchors_only, uint32_t *d, obj_t *queue)
{
    const struct heap *h = c->h;
    const struct roots *r = c->r;
    size_t head = 0, tail = 0;
    for (size_t i = 0; i < h->n; i++)
        d[i] = INF;
    for (size_t i = 0; i < h->n; i++)
        if (anchors_only ? is_anchor(r, (obj_t)i) : r->kind[i] != ROOT_NONE) {
            d[i] = 0;
            queue[tail++] = (obj_t)i;
        }
    while (head < tail) {
        if ((head & 0xFFFF) == 0 && spend(c, 0x10000))
            return;
        obj_t v = queue[head++];
        const uint32_t *ch = heap_children(h, v);
        size_t n = heap_nchildren(h, v);
        for (size_t k = 0; k < n; k++) {
            uint32_t w = ch[k];
            if (!heap_is_dangling(w) && d[w] == INF) {
                d[w] = d[v] + 1;
                queue[tail++] = w;
            }
        }
    }
}

/* --- the A* search's queue: a binary heap on (f, fewer hops left first) --- */

static void heap_push(struct kctx *c, uint64_t key, obj_t v)
{
    if (c->nheap == c->heapcap) {
        c->heapcap = c->heapcap ? c->heapcap * 2 : 1024;
        c->heap = xreallocarray(c->heap, c->heapcap, sizeof *c->heap, "a path search");
    }
    size_t i = c->nheap++;
    while (i > 0 && c->heap[(i - 1) / 2].key > key) {
        c->heap[i] = c->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    c->heap[i].key = key;
    c->heap[i].v = v;
}

static obj_t heap_pop(struct kctx *c)
{
    obj_t top = c->heap[0].v;
    uint64_t key = c->heap[--c->nheap].key;
    obj_t v = c->heap[c->nheap].v;
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        uint64_t mk = key;
        if (l < c->nheap && c->heap[l].key < mk)
            m = l, mk = c->heap[l].key;
        if (l + 1 < c->nheap && c->heap[l + 1].key < mk)
            m = l + 1;
        if (m == i)
            break;
        c->heap[i] = c->heap[m];
        i = m;
    }
    if (c->nheap) {
        c->heap[i].key = key;
        c->heap[i].v = v;
    }
    return top;
}

static void search_reset(struct kctx *c)
{
    for (size_t k = 0; k < c->ntouched; k++)
        c->g[c->touched[k]] = 0;
    c->ntouched = 0;
    c->nheap = 0;
}

static void touch(struct kctx *c, obj_t v, uint32_t g, obj_t succ)
{
    c->g[v] = g + 1;
    c->succ[v] = succ;
    c->touched[c->ntouched++] = v;
}

/* The shortest path back from start to a root of the kind wanted (an anchor,
 * or with h = dall any root), avoiding stamped and filtered objects and the
 * edges from banned[] into start. The path root..start, or NULL. */
static obj_t *astar(struct kctx *c, obj_t start, const uint32_t *hd, int anchors, const obj_t *banned,
                    size_t nbanned, uint32_t *len)
{
    const struct heap *h = c->h;
    obj_t found = OBJ_NONE;
    search_reset(c);
    if (hd[start] == INF)
        return NULL;
    touch(c, start, 0, start);
    heap_push(c, (uint64_t)hd[start] << 32 | hd[start], start);
    while (c->nheap && found == OBJ_NONE) {
        uint64_t key = c->heap[0].key;
        obj_t v = heap_pop(c);
        uint32_t gv = c->g[v] - 1;
        if ((key >> 32) != (uint64_t)gv + hd[v])
            continue; /* a stale entry: v was reached by a shorter way since */
        if (v != start && (anchors ? is_anchor(c->r, v) : c->r->kind[v] != ROOT_NONE)) {
            found = v;
            break;
        }
        const uint32_t *p = heap_parents(h, v);
        size_t np = heap_nparents(h, v);
        if (spend(c, np + 1))
            break;
        for (size_t k = 0; k < np; k++) {
            obj_t u = p[k];
            if (hd[u] == INF || c->filtered[u] || c->stamp[u] == c->epoch)
                continue;
            if (c->g[u] && c->g[u] - 1 <= gv + 1)
                continue;
            if (v == start) {
                size_t q;
                for (q = 0; q < nbanned && banned[q] != u; q++)
                    ;
                if (q < nbanned)
                    continue;
            }
            if (!edge_allowed(c, u, v))
                continue;
            if (!c->g[u])
                c->touched[c->ntouched++] = u;
            c->g[u] = gv + 2;
            c->succ[u] = v;
            heap_push(c, (uint64_t)(gv + 1 + hd[u]) << 32 | hd[u], u);
        }
    }
    if (found == OBJ_NONE)
        return NULL;
    uint32_t m = c->g[found];
    obj_t *path = xmalloc((size_t)m * sizeof *path, "a path");
    obj_t v = found;
    for (uint32_t k = 0; k < m; k++) {
        path[k] = v;
        v = c->succ[v];
    }
    *len = m;
    return path;
}

static uint64_t path_hash(const obj_t *p, size_t n)
{
    uint64_t x = 1469598103934665603ULL;
    for (size_t k = 0; k < n; k++)
        x = (x ^ p[k]) * 1099511628211ULL;
    return x;
}

/* Nodes the accepted paths a and b share at their target end. */
static uint32_t common_suffix(struct kctx *c, uint32_t a, uint32_t b)
{
    uint32_t *memo = &c->lcs[(size_t)a * c->k + b];
    if (*memo != INF)
        return *memo;
    const struct kpath *x = &c->A[a], *y = &c->A[b];
    uint32_t n = 0;
    while (n < x->len && n < y->len && x->p[x->len - 1 - n] == y->p[y->len - 1 - n])
        n++;
    spend(c, n);
    c->lcs[(size_t)a * c->k + b] = c->lcs[(size_t)b * c->k + a] = n;
    return n;
}

/* The parents of spur j of accepted path a that earlier accepted paths
 * (the first na_gen) use to reach it: the edges its search may not take. */
static size_t banned_edges(struct kctx *c, uint32_t a, uint32_t j, uint32_t na_gen, obj_t *out)
{
    const struct kpath *P = &c->A[a];
    uint32_t suffix = P->len - j;
    size_t n = 0;
    for (uint32_t q = 0; q < na_gen; q++) {
        const struct kpath *Q = &c->A[q];
        if (Q->len > suffix && common_suffix(c, a, q) >= suffix)
            out[n++] = Q->p[Q->len - suffix - 1];
    }
    return n;
}

static int cand_less(const struct kcand *x, const struct kcand *y)
{
    if (x->structural != y->structural)
        return x->structural < y->structural;
    if (x->len != y->len)
        return x->len < y->len;
    if ((x->path != NULL) != (y->path != NULL))
        return x->path != NULL; /* a searched one first: it can be taken at once */
    return x->seq < y->seq;
}

static void cand_push(struct kctx *c, struct kcand cand)
{
    if (c->nc == c->ccap) {
        c->ccap = c->ccap ? c->ccap * 2 : 256;
        c->C = xreallocarray(c->C, c->ccap, sizeof *c->C, "path candidates");
    }
    cand.seq = c->seq++;
    size_t i = c->nc++;
    while (i > 0 && cand_less(&cand, &c->C[(i - 1) / 2])) {
        c->C[i] = c->C[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    c->C[i] = cand;
}

static struct kcand cand_pop(struct kctx *c)
{
    struct kcand top = c->C[0], last = c->C[--c->nc];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        const struct kcand *mk = &last;
        if (l < c->nc && cand_less(&c->C[l], mk))
            m = l, mk = &c->C[l];
        if (l + 1 < c->nc && cand_less(&c->C[l + 1], mk))
            m = l + 1;
        if (m == i)
            break;
        c->C[i] = c->C[m];
        i = m;
    }
    if (c->nc)
        c->C[i] = last;
    return top;
}

/* Stamp the nodes after position j of path a (the suffix the spur keeps). */
static void stamp_suffix(struct kctx *c, const struct kpath *P, uint32_t j)
{
    c->epoch++;
    for (uint32_t q = j + 1; q < P->len; q++)
        c->stamp[P->p[q]] = c->epoch;
    spend(c, P->len - j);
}

/* Lower bounds for every spur of the newly accepted path a, from the
 * parents of each spur node alone; spurs that have none usable are dropped. */
static void add_spurs(struct kctx *c, uint32_t a, obj_t *banned)
{
    const struct kpath *P = &c->A[a];
    const struct heap *h = c->h;
    /* The accepted paths by how much they share with P at the target end:
     * the deeper the spur, the fewer share all of its suffix. */
    uint32_t *order = xmalloc(c->na * sizeof *order, "paths");
    size_t nq = c->na;
    for (uint32_t q = 0; q < c->na; q++) {
        uint32_t x = q, lx = common_suffix(c, a, q);
        size_t i = q;
        for (; i > 0 && common_suffix(c, a, order[i - 1]) < lx; i--)
            order[i] = order[i - 1];
        order[i] = x;
    }
    c->epoch++;
    for (uint32_t j = P->len - 1; j >= 1; j--) {
        if (j + 1 < P->len)
            c->stamp[P->p[j + 1]] = c->epoch;
        obj_t spur = P->p[j];
        uint32_t suffix = P->len - j;
        while (nq && common_suffix(c, a, order[nq - 1]) < suffix)
            nq--;
        size_t nb = 0;
        for (size_t i = 0; i < nq; i++) {
            const struct kpath *Q = &c->A[order[i]];
            if (Q->len > suffix)
                banned[nb++] = Q->p[Q->len - suffix - 1];
        }
        const uint32_t *p = heap_parents(h, spur);
        size_t np = heap_nparents(h, spur);
        if (spend(c, np + nb + 1))
            break;
        uint32_t best_a = INF, best_any = INF;
        if (c->r->kind[spur] != ROOT_NONE) {
            best_any = 0; /* the path can start at the spur itself */
            if (is_anchor(c->r, spur))
                best_a = 0;
        }
        for (size_t k = 0; k < np; k++) {
            obj_t u = p[k];
            if (c->filtered[u] || c->stamp[u] == c->epoch)
                continue;
            size_t q;
            for (q = 0; q < nb && banned[q] != u; q++)
                ;
            if (q < nb)
                continue;
            if (c->da[u] < best_a)
                best_a = c->da[u];
            if (c->dall[u] < best_any)
                best_any = c->dall[u];
        }
        if (best_any == INF)
            continue;
        struct kcand cand = {0};
        cand.structural = best_a == INF;
        cand.len = (cand.structural ? best_any : best_a) + (P->len - j) + (c->r->kind[spur] == ROOT_NONE);
        cand.base = a;
        cand.j = j;
        cand.na_gen = (uint32_t)c->na;
        cand_push(c, cand);
    }
    free(order);
}

/* Search spur cand for real: its whole path, or NULL when it has none. */
static obj_t *eval_spur(struct kctx *c, struct kcand *cand, obj_t *banned)
{
    const struct kpath *P = &c->A[cand->base];
    uint32_t j = cand->j, slen;
    obj_t spur = P->p[j];
    int structural = 0;
    obj_t *sp = NULL;
    if (c->r->kind[spur] != ROOT_NONE) {
        /* A root in the middle of a path: the path can start there. */
        sp = xmalloc(sizeof *sp, "a path");
        sp[0] = spur;
        slen = 1;
        structural = !is_anchor(c->r, spur);
    } else {
        size_t nb = banned_edges(c, cand->base, j, cand->na_gen, banned);
        stamp_suffix(c, P, j);
        sp = astar(c, spur, c->da, 1, banned, nb, &slen);
        if (!sp && !(c->b && c->b->stopped)) {
            structural = 1;
            sp = astar(c, spur, c->dall, 0, banned, nb, &slen);
        }
    }
    if (!sp)
        return NULL;
    uint32_t len = slen + (P->len - j - 1);
    obj_t *path = xreallocarray(sp, len, sizeof *sp, "a path");
    memcpy(path + slen, P->p + j + 1, (size_t)(P->len - j - 1) * sizeof *path);
    cand->structural = (uint8_t)structural;
    cand->len = len;
    cand->path = path;
    cand->hash = path_hash(path, len);
    return path;
}

static int known_path(const struct kctx *c, const struct kcand *x)
{
    for (size_t q = 0; q < c->na; q++)
        if (c->A[q].hash == x->hash && c->A[q].len == x->len &&
            memcmp(c->A[q].p, x->path, x->len * sizeof *x->path) == 0)
            return 1;
    for (size_t q = 0; q < c->nc; q++)
        if (c->C[q].path && c->C[q].hash == x->hash && c->C[q].len == x->len &&
            memcmp(c->C[q].path, x->path, x->len * sizeof *x->path) == 0)
            return 1;
    return 0;
}

static void accept(struct kctx *c, obj_t *path, uint32_t len, int structural, uint32_t parent)
{
    struct kpath *P = &c->A[c->na++];
    P->p = path;
    P->len = len;
    P->structural = (uint8_t)structural;
    P->parent = parent;
    P->hash = path_hash(path, len);
}

static void kctx_init(struct kctx *c, const struct heap *h, const struct roots *r, const struct path_filter *f,
                      size_t k, struct path_budget *b)
{
    static const struct path_filter none;
    memset(c, 0, sizeof *c);
    size_t n = h->n ? h->n : 1;
    c->h = h;
    c->r = r;
    c->f = f ? f : &none;
    c->b = b;
    c->k = k;
    c->t_function = types_lookup(&h->types, "function");
    c->t_type = types_lookup(&h->types, "type");
    c->t_classobj = types_lookup(&h->types, "classobj");
    c->py3 = h->flavour != FLAVOUR_PY2;
    c->da = xmalloc(n * sizeof *c->da, "a path search");
    c->dall = xmalloc(n * sizeof *c->dall, "a path search");
    obj_t *queue = xmalloc(n * sizeof *queue, "a path search");
    root_distances(c, 1, c->da, queue);
    root_distances(c, 0, c->dall, queue);
    free(queue);
    /* calloc'ed: only the pages a search touches cost anything */
    c->filtered = xcalloc(n, 1, "a path search");
    for (size_t q = 0; q < c->f->n_objects; q++)
        if (c->f->objects[q] < h->n)
            c->filtered[c->f->objects[q]] = 1;
    c->stamp = xcalloc(n, sizeof *c->stamp, "a path search");
    c->g = xcalloc(n, sizeof *c->g, "a path search");
    c->succ = xmalloc(n * sizeof *c->succ, "a path search");
    c->touched = xmalloc(n * sizeof *c->touched, "a path search");
    c->A = xcalloc(k ? k : 1, sizeof *c->A, "paths");
    c->lcs = xmalloc((k ? k * k : 1) * sizeof *c->lcs, "paths");
    for (size_t q = 0; q < k * k; q++)
        c->lcs[q] = INF;
}

static void kctx_free(struct kctx *c)
{
    for (size_t q = 0; q < c->nc; q++)
        free(c->C[q].path);
    free(c->C);
    free(c->da);
    free(c->dall);
    free(c->filtered);
    free(c->stamp);
    free(c->g);
    free(c->succ);
    free(c->touched);
    free(c->heap);
    free(c->lcs);
}

size_t paths_find_k_budget(const struct heap *h, const struct roots *r, obj_t target, const struct path_filter *f,
                           size_t k, struct path_budget *b, obj_t ***paths_out, size_t **lens_out)
{
    struct kctx c;
    if (b)
        b->stopped = 0;
    if (k > PATHS_K_MAX)
        k = PATHS_K_MAX;
    kctx_init(&c, h, r, f, k, b);
    obj_t *banned = xmalloc((k ? k : 1) * sizeof *banned, "paths");
    c.filtered[target] = 0;
    if (k && r->kind[target] != ROOT_NONE) {
        obj_t *p = xmalloc(sizeof *p, "a path");
        p[0] = target;
        accept(&c, p, 1, r->kind[target] == ROOT_STRUCTURAL, UINT32_MAX);
    } else if (k && !(b && b->stopped)) {
        /* The first path: a spur at the target with nothing kept. */
        uint32_t len;
        c.epoch++;
        int structural = 0;
        obj_t *p = astar(&c, target, c.da, 1, NULL, 0, &len);
        if (!p && !(b && b->stopped)) {
            structural = 1;
            p = astar(&c, target, c.dall, 0, NULL, 0, &len);
        }
        if (p)
            accept(&c, p, len, structural, UINT32_MAX);
    }
    if (c.na && !(b && b->stopped))
        add_spurs(&c, 0, banned);
    while (c.na && c.na < k && c.nc && !(b && b->stopped)) {
        struct kcand cand = cand_pop(&c);
        if (!cand.path) {
            if (eval_spur(&c, &cand, banned) && !known_path(&c, &cand))
                cand_push(&c, cand);
            else
                free(cand.path);
            continue;
        }
        accept(&c, cand.path, cand.len, cand.structural, cand.base);
        add_spurs(&c, (uint32_t)c.na - 1, banned);
    }
    obj_t **paths = xcalloc(k ? k : 1, sizeof *paths, "paths");
    size_t *lens = xcalloc(k ? k : 1, sizeof *lens, "paths");
    for (size_t q = 0; q < c.na; q++) {
        paths[q] = c.A[q].p;
        lens[q] = c.A[q].len;
    }
    size_t na = c.na;
    free(c.A);
    free(banned);
    kctx_free(&c);
    *paths_out = paths;
    *lens_out = lens;
    return na;
}

size_t paths_find_k(const struct heap *h, const struct roots *r, obj_t target, const struct path_filter *f,
                    size_t k, obj_t ***paths_out, size_t **lens_out)
{
    return paths_find_k_budget(h, r, target, f, k, NULL, paths_out, lens_out);
}
