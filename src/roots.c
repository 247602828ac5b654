#include "roots.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *roots_kind_name(enum root_kind k)
{
    switch (k) {
    case ROOT_MODULE: return "module";
    case ROOT_FRAME: return "frame";
    case ROOT_PINNED: return "pinned";
    case ROOT_STRUCTURAL: return "structural";
    case ROOT_THREAD: return "thread";
    default: return "";
    }
}

static void list_push(obj_t **list, size_t *n, size_t *cap, obj_t o)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *list = xreallocarray(*list, *cap, sizeof **list, "the root list");
    }
    (*list)[(*n)++] = o;
}

/* Mark everything reachable from the roots found so far (reached[] = 1). */
static void mark_reachable(const struct heap *h, const obj_t *from, size_t nfrom, uint8_t *reached, obj_t *queue)
{
    size_t head = 0, tail = 0;
    for (size_t k = 0; k < nfrom; k++)
        if (!reached[from[k]]) {
            reached[from[k]] = 1;
            queue[tail++] = from[k];
        }
    while (head < tail) {
        obj_t v = queue[head++];
        const uint32_t *c = heap_children(h, v);
        size_t nc = heap_nchildren(h, v);
        for (size_t k = 0; k < nc; k++) {
            uint32_t w = c[k];
            if (!heap_is_dangling(w) && !reached[w]) {
                reached[w] = 1;
                queue[tail++] = w;
            }
        }
    }
}

struct frame_pos {
    obj_t v;
    uint32_t k;              /* next child to look at */
};

/* Tarjan's strongly connected components over the objects not reached,
 * iteratively; comp[v] gets the component number. Returns the count. */
static uint32_t scc_unreached(const struct heap *h, const uint8_t *reached, uint32_t *comp)
{
    const uint32_t unvisited = UINT32_MAX;
    size_t n = h->n;
    uint32_t *index = xmalloc(n * sizeof *index, "finding the roots");
    uint32_t *low = xmalloc(n * sizeof *low, "finding the roots");
    obj_t *stack = xmalloc(n * sizeof *stack, "finding the roots");
    uint8_t *on_stack = xcalloc(n, 1, "finding the roots");
    struct frame_pos *calls = xmalloc(n * sizeof *calls, "finding the roots");
    for (size_t i = 0; i < n; i++)
        index[i] = unvisited;
    uint32_t counter = 0, ncomp = 0;
    size_t sp = 0;

    for (size_t s = 0; s < n; s++) {
        if (reached[s] || index[s] != unvisited)
            continue;
        size_t cp = 0;
        index[s] = low[s] = counter++;
        stack[sp++] = (obj_t)s;
        on_stack[s] = 1;
        calls[cp++] = (struct frame_pos){(obj_t)s, 0};
        while (cp) {
            struct frame_pos *f = &calls[cp - 1];
            obj_t v = f->v;
            if (f->k < heap_nchildren(h, v)) {
                uint32_t w = heap_children(h, v)[f->k++];
                if (heap_is_dangling(w) || reached[w])
                    continue;
                if (index[w] == unvisited) {
                    index[w] = low[w] = counter++;
                    stack[sp++] = w;
                    on_stack[w] = 1;
                    calls[cp++] = (struct frame_pos){w, 0};
                } else if (on_stack[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            cp--;
            if (low[v] == index[v]) {
                obj_t w;
                do {
                    w = stack[--sp];
                    on_stack[w] = 0;
                    comp[w] = ncomp;
                } while (w != v);
                ncomp++;
            }
            if (cp) {
                obj_t u = calls[cp - 1].v;
                if (low[v] < low[u])
                    low[u] = low[v];
            }
        }
    }
    free(index);
    free(low);
    free(stack);
    free(on_stack);
    free(calls);
    return ncomp;
}

void roots_compute(const struct heap *h, const obj_t *pinned, size_t npinned, struct roots *r)
{
    size_t n = h->n;
    memset(r, 0, sizeof *r);
    r->n_objects = n;
    r->kind = xcalloc(n ? n : 1, 1, "the root table");
    size_t cap = 0, ocap = 0;
    uint32_t t_module = types_lookup(&h->types, "module");
    uint32_t t_frame = types_lookup(&h->types, "frame");
    uint32_t t_thread = types_lookup(&h->types, "thread");

    for (size_t k = 0; k < npinned; k++)
        if (pinned[k] < n)
            r->kind[pinned[k]] = ROOT_PINNED;
    for (size_t i = 0; i < n; i++) {
        if (r->kind[i] == ROOT_PINNED) {
            list_push(&r->list, &r->n, &cap, (obj_t)i);
        } else if (h->type[i] == t_thread) {
            r->kind[i] = ROOT_THREAD;
            list_push(&r->list, &r->n, &cap, (obj_t)i);
        } else if (h->type[i] == t_module) {
            r->kind[i] = ROOT_MODULE;
            list_push(&r->list, &r->n, &cap, (obj_t)i);
        } else if (h->type[i] == t_frame) {
            const uint32_t *p = heap_parents(h, (obj_t)i);
            size_t np = heap_nparents(h, (obj_t)i), k;
            for (k = 0; k < np && h->type[p[k]] != t_frame && h->type[p[k]] != t_thread; k++)
                ;
            if (k == np) {
                r->kind[i] = ROOT_FRAME;
                list_push(&r->list, &r->n, &cap, (obj_t)i);
            }
        }
    }
    r->n_anchor = r->n;

    uint8_t *reached = xcalloc(n ? n : 1, 1, "finding the roots");
    obj_t *queue = xmalloc((n ? n : 1) * sizeof *queue, "finding the roots");
    mark_reachable(h, r->list, r->n, reached, queue);

    /* Everything the anchors do not reach hangs off a source component of
     * the unreached part (its in-edges all come from unreached objects). */
    uint32_t *comp = xmalloc((n ? n : 1) * sizeof *comp, "finding the roots");
    uint32_t ncomp = scc_unreached(h, reached, comp);
    uint8_t *entered = xcalloc(ncomp ? ncomp : 1, 1, "finding the roots");
    for (size_t v = 0; v < n; v++) {
        if (reached[v])
            continue;
        const uint32_t *p = heap_parents(h, (obj_t)v);
        size_t np = heap_nparents(h, (obj_t)v);
        for (size_t k = 0; k < np; k++)
            if (comp[p[k]] != comp[v]) {
                entered[comp[v]] = 1;
                break;
            }
    }
    for (size_t v = 0; v < n; v++) {
        if (reached[v] || entered[comp[v]])
            continue;
        entered[comp[v]] = 1; /* one representative: the first in dump order */
        r->kind[v] = ROOT_STRUCTURAL;
        list_push(&r->list, &r->n, &cap, (obj_t)v);
    }
    for (size_t v = 0; v < n; v++)
        if (heap_nparents(h, (obj_t)v) == 0 && r->kind[v] != ROOT_MODULE && r->kind[v] != ROOT_FRAME &&
            r->kind[v] != ROOT_PINNED && r->kind[v] != ROOT_THREAD)
            list_push(&r->orphans, &r->n_orphans, &ocap, (obj_t)v);
    free(entered);
    free(comp);
    free(queue);
    free(reached);
}

void roots_free(struct roots *r)
{
    free(r->list);
    free(r->orphans);
    free(r->kind);
    memset(r, 0, sizeof *r);
}
