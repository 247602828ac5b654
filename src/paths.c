#include "paths.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "positions.h"
#include "refs.h"

/* Type ids the edge kinds and labels look at, found once per call. */
struct kind_ctx {
    uint32_t t_function, t_type, t_classobj;
    int py3;
};

static void kind_ctx_init(const struct heap *h, struct kind_ctx *c)
{
    c->t_function = types_lookup(&h->types, "function");
    c->t_type = types_lookup(&h->types, "type");
    c->t_classobj = types_lookup(&h->types, "classobj");
    c->py3 = h->flavour != FLAVOUR_PY2;
}

static unsigned edge_kind(const struct heap *h, const struct kind_ctx *c, obj_t parent, size_t k)
{
    unsigned kind = 0;
    uint32_t child = heap_children(h, parent)[k];
    if (h->type[parent] == c->t_function) {
        if (k == 1)
            kind |= EDGE_GLOBALS;
        else if (k == 2 && c->py3)
            kind |= EDGE_BUILTINS;
    }
    if (!heap_is_dangling(child) && (h->type[child] == c->t_type || h->type[child] == c->t_classobj))
        kind |= EDGE_TYPE;
    return kind;
}

unsigned paths_edge_kind(const struct heap *h, obj_t parent, size_t k)
{
    struct kind_ctx c;
    kind_ctx_init(h, &c);
    return edge_kind(h, &c, parent, k);
}

/* --- the whole-heap search --- */

static void bfs(const struct heap *h, const struct kind_ctx *kc, unsigned kinds, struct paths *p, obj_t *queue,
                size_t tail)
{
    size_t head = 0;
    while (head < tail) {
        obj_t v = queue[head++];
        const uint32_t *c = heap_children(h, v);
        size_t nc = heap_nchildren(h, v);
        for (size_t k = 0; k < nc; k++) {
            uint32_t w = c[k];
            if (heap_is_dangling(w) || p->dist[w] != PATH_UNREACHED)
                continue;
            if (kinds && (edge_kind(h, kc, v, k) & kinds))
                continue;
            p->dist[w] = p->dist[v] + 1;
            p->pred[w] = v;
            if (p->dist[w] > p->max_dist)
                p->max_dist = p->dist[w];
            queue[tail++] = w;
        }
    }
}

void paths_compute(const struct heap *h, const struct roots *r, unsigned kinds, struct paths *p)
{
    size_t n = h->n;
    struct kind_ctx kc;
    kind_ctx_init(h, &kc);
    memset(p, 0, sizeof *p);
    p->kinds = kinds;
    p->dist = xmalloc((n ? n : 1) * sizeof *p->dist, "the paths to roots");
    p->pred = xmalloc((n ? n : 1) * sizeof *p->pred, "the paths to roots");
    obj_t *queue = xmalloc((n ? n : 1) * sizeof *queue, "the paths to roots");
    for (size_t i = 0; i < n; i++) {
        p->dist[i] = PATH_UNREACHED;
        p->pred[i] = OBJ_NONE;
    }
    /* Anchors first, then the structural roots over what is left. */
    size_t tail = 0;
    for (size_t k = 0; k < r->n_anchor; k++) {
        p->dist[r->list[k]] = 0;
        queue[tail++] = r->list[k];
    }
    bfs(h, &kc, kinds, p, queue, tail);
    tail = 0;
    for (size_t k = r->n_anchor; k < r->n; k++)
        if (p->dist[r->list[k]] == PATH_UNREACHED) {
            p->dist[r->list[k]] = 0;
            queue[tail++] = r->list[k];
        }
    bfs(h, &kc, kinds, p, queue, tail);
    for (size_t i = 0; i < n; i++)
        if (p->dist[i] == PATH_UNREACHED)
            p->n_unreached++;
    free(queue);
}

void paths_free(struct paths *p)
{
    free(p->dist);
    free(p->pred);
    memset(p, 0, sizeof *p);
}

obj_t *paths_get(const struct paths *p, obj_t target, size_t *len)
{
    if (p->dist[target] == PATH_UNREACHED) {
        *len = 0;
        return NULL;
    }
    size_t n = (size_t)p->dist[target] + 1;
    obj_t *path = xmalloc(n * sizeof *path, "a path");
    obj_t v = target;
    for (size_t k = n; k-- > 0;) {
        path[k] = v;
        v = p->pred[v];
    }
    *len = n;
    return path;
}

/* --- the backward search, with exclusions --- */

struct search {
    const struct heap *h;
    const struct roots *r;
    const struct path_filter *f;
    struct kind_ctx kc;
    uint8_t *avoid;                  /* per object */
    const struct path_edge *more_edges; /* Yen's extra exclusions */
    size_t n_more_edges;
    struct path_budget *budget;      /* may be NULL */
};

static int edge_listed(const struct path_edge *e, size_t n, obj_t parent, obj_t child)
{
    for (size_t k = 0; k < n; k++)
        if (e[k].parent == parent && e[k].child == child)
            return 1;
    return 0;
}

/* May a path step from parent to child? */
static int edge_allowed(const struct search *s, obj_t parent, obj_t child)
{
    if (edge_listed(s->f->edges, s->f->n_edges, parent, child) ||
        edge_listed(s->more_edges, s->n_more_edges, parent, child))
        return 0;
    if (!s->f->kinds)
        return 1;
    const uint32_t *c = heap_children(s->h, parent);
    size_t nc = heap_nchildren(s->h, parent);
    for (size_t k = 0; k < nc; k++)
        if (c[k] == child && !(edge_kind(s->h, &s->kc, parent, k) & s->f->kinds))
            return 1;
    return 0;
}

static int is_anchor(const struct roots *r, obj_t v)
{
    return r->kind[v] == ROOT_MODULE || r->kind[v] == ROOT_FRAME || r->kind[v] == ROOT_PINNED ||
           r->kind[v] == ROOT_THREAD;
}

/* Shortest path root..start going backwards from start; NULL if none. */
static obj_t *search_back(struct search *s, obj_t start, size_t *len)
{
    const struct heap *h = s->h;
    size_t n = h->n;
    *len = 0;
    if (s->r->kind[start] != ROOT_NONE) {
        obj_t *path = xmalloc(sizeof *path, "a path");
        path[0] = start;
        *len = 1;
        return path;
    }
    /* succ[v] = the next hop from v towards start, plus one; 0 = not seen.
     * calloc'ed: only the pages the search touches cost anything. */
    uint32_t *succ = xcalloc(n, sizeof *succ, "a path search");
    obj_t *queue = xmalloc(n * sizeof *queue, "a path search");
    size_t head = 0, tail = 0;
    obj_t found = OBJ_NONE, structural = OBJ_NONE;
    succ[start] = start + 1;
    queue[tail++] = start;
    while (head < tail && found == OBJ_NONE) {
        obj_t v = queue[head++];
        const uint32_t *p = heap_parents(h, v);
        size_t np = heap_nparents(h, v);
        if (paths_budget_spend(s->budget, np + 1)) {
            found = structural = OBJ_NONE;
            break;
        }
        for (size_t k = 0; k < np; k++) {
            obj_t u = p[k];
            if (succ[u] || s->avoid[u] || !edge_allowed(s, u, v))
                continue;
            succ[u] = v + 1;
            if (is_anchor(s->r, u)) {
                found = u;
                break;
            }
            if (s->r->kind[u] == ROOT_STRUCTURAL && structural == OBJ_NONE)
                structural = u;
            queue[tail++] = u;
        }
    }
    if (found == OBJ_NONE)
        found = structural;
    obj_t *path = NULL;
    if (found != OBJ_NONE) {
        size_t m = 1;
        for (obj_t v = found; v != start; v = succ[v] - 1)
            m++;
        path = xmalloc(m * sizeof *path, "a path");
        size_t k = 0;
        for (obj_t v = found; v != start; v = succ[v] - 1)
            path[k++] = v;
        path[k] = start;
        *len = m;
    }
    free(succ);
    free(queue);
    return path;
}

static void search_init(struct search *s, const struct heap *h, const struct roots *r, const struct path_filter *f)
{
    static const struct path_filter none;
    memset(s, 0, sizeof *s);
    s->h = h;
    s->r = r;
    s->f = f ? f : &none;
    kind_ctx_init(h, &s->kc);
    s->avoid = xcalloc(h->n ? h->n : 1, 1, "a path search");
    for (size_t k = 0; k < s->f->n_objects; k++)
        if (s->f->objects[k] < h->n)
            s->avoid[s->f->objects[k]] = 1;
}

obj_t *paths_find(const struct heap *h, const struct roots *r, obj_t target, const struct path_filter *f,
                  size_t *len)
{
    return paths_find_budget(h, r, target, f, NULL, len);
}

obj_t *paths_find_budget(const struct heap *h, const struct roots *r, obj_t target, const struct path_filter *f,
                         struct path_budget *b, size_t *len)
{
    struct search s;
    search_init(&s, h, r, f);
    s.budget = b;
    s.avoid[target] = 0;
    obj_t *path = search_back(&s, target, len);
    free(s.avoid);
    return path;
}

/* --- labels --- */

void paths_edge_label(const struct heap *h, obj_t parent, obj_t child, struct strbuf *out)
{
    const uint32_t *c = heap_children(h, parent);
    size_t nc = heap_nchildren(h, parent), k;
    for (k = 0; k < nc && c[k] != child; k++)
        ;
    if (k == nc)
        sb_adds(out, ".?");
    else
        positions_ref_label(h, parent, k, out);
}

void paths_root_label(const struct heap *h, const struct roots *r, const uint32_t *classes, obj_t root,
                      struct strbuf *out)
{
    size_t len;
    const char *s = heap_str(h, root, &len);
    if (r && r->kind[root] == ROOT_MODULE && s) {
        sb_adds(out, "sys.modules[");
        refs_py_quote(s, len, out);
        sb_addc(out, ']');
    } else if (r && r->kind[root] == ROOT_THREAD) {
        sb_adds(out, "thread ");
        if (s)
            refs_py_quote(s, len, out);
        else
            sb_printf(out, "0x%llx", (unsigned long long)h->addr[root]);
    } else if (r && r->kind[root] == ROOT_FRAME) {
        sb_adds(out, "<frame ");
        if (s)
            refs_py_quote(s, len, out);
        sb_addc(out, '>');
    } else {
        sb_addc(out, '<');
        refs_type_or_class(h, classes, root, out); /* a.Record: two classes named Record */
        sb_printf(out, " at 0x%llx>", (unsigned long long)h->addr[root]);
    }
}

void paths_expression(const struct heap *h, const struct roots *r, const obj_t *path, size_t len,
                      struct strbuf *out)
{
    if (!len)
        return;
    paths_root_label(h, r, NULL, path[0], out);
    for (size_t k = 1; k < len; k++)
        paths_edge_label(h, path[k - 1], path[k], out);
}
