/* test_roots.c: roots_compute on hand-made dumps (anchors, pinned objects,
 * structural roots of parentless strongly connected components, orphan
 * candidates), a million-long chain, and random graphs checked against a
 * brute-force model written here (mutual reachability, not Tarjan). */
#include "testgraph.h"

static void rt_load(const char *text, struct heap *h)
{
    tu_load(text, 0, h); /* raw: no collapse gets in the way */
}

static enum root_kind rt_kind(const struct roots *r, const struct heap *h, uint64_t addr)
{
    return (enum root_kind)r->kind[tu_obj(h, addr)];
}

/* The list want[0..n) of addresses must equal objs[0..nobj). */
static void rt_list_eq(const struct heap *h, const obj_t *objs, size_t nobj, const uint64_t *want, size_t n)
{
    if (nobj != n) {
        print_error("list has %zu entries, want %zu:", nobj, n);
        for (size_t k = 0; k < nobj; k++)
            print_error(" %llu", (unsigned long long)h->addr[objs[k]]);
        print_error("\n");
    }
    assert_int_equal(nobj, n);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(h->addr[objs[k]], want[k]);
}
#define RT_ANCHORS(h, r, ...)                                                   \
    do {                                                                        \
        const uint64_t w_[] = {__VA_ARGS__};                                    \
        rt_list_eq((h), (r)->list, (r)->n_anchor, w_, TU_N(w_));                \
    } while (0)
#define RT_STRUCTURAL(h, r, ...)                                                \
    do {                                                                        \
        const uint64_t w_[] = {__VA_ARGS__};                                    \
        rt_list_eq((h), (r)->list + (r)->n_anchor, (r)->n - (r)->n_anchor, w_, TU_N(w_)); \
    } while (0)
#define RT_ORPHANS(h, r, ...)                                                   \
    do {                                                                        \
        const uint64_t w_[] = {__VA_ARGS__};                                    \
        rt_list_eq((h), (r)->orphans, (r)->n_orphans, w_, TU_N(w_));            \
    } while (0)

/* --- anchors --- */

static void test_modules_and_top_frames_are_anchors(void **state)
{
    /* Thread stack: 30 (top) -f_back-> 20 -f_back-> 10; a second thread 40. */
    static const char text[] =
        ON(1, "module", "app", "2")
        O(2, "list", "3")
        O(3, "int", "")
        O(10, "frame", "3")
        O(20, "frame", "10")
        O(30, "frame", "20, 2")
        ON(5, "module", "sys", "")
        O(40, "frame", "");
    struct heap h;
    struct roots r;
    rt_load(text, &h);
    roots_compute(&h, NULL, 0, &r);
    assert_int_equal(r.n_objects, h.n);
    RT_ANCHORS(&h, &r, 1, 30, 5, 40); /* dump order */
    assert_int_equal(r.n - r.n_anchor, 0);
    assert_int_equal(r.n, r.n_anchor);
    assert_int_equal(rt_kind(&r, &h, 1), ROOT_MODULE);
    assert_int_equal(rt_kind(&r, &h, 5), ROOT_MODULE);
    assert_int_equal(rt_kind(&r, &h, 30), ROOT_FRAME);
    assert_int_equal(rt_kind(&r, &h, 40), ROOT_FRAME);
    /* A frame that another frame refers to is not an anchor. */
    assert_int_equal(rt_kind(&r, &h, 20), ROOT_NONE);
    assert_int_equal(rt_kind(&r, &h, 10), ROOT_NONE);
    assert_int_equal(rt_kind(&r, &h, 2), ROOT_NONE);
    assert_int_equal(rt_kind(&r, &h, 3), ROOT_NONE);
    /* Parentless anchors are not orphan candidates. */
    assert_int_equal(r.n_orphans, 0);
    assert_string_equal(roots_kind_name(ROOT_MODULE), "module");
    assert_string_equal(roots_kind_name(ROOT_FRAME), "frame");
    assert_string_equal(roots_kind_name(ROOT_PINNED), "pinned");
    assert_string_equal(roots_kind_name(ROOT_STRUCTURAL), "structural");
    roots_free(&r);
    heap_free(&h);
}

/* heapwalk's scanner: "thread" objects hold their stacks' frames. */
static void test_threads_are_anchors(void **state)
{
    static const char text[] =
        ON(100, "thread", "worker-1", "30, 20")
        O(30, "frame", "2")
        O(20, "frame", "")
        O(2, "list", "")
        O(40, "frame", "")
        ON(1, "module", "app", "");
    struct heap h;
    struct roots r;
    rt_load(text, &h);
    roots_compute(&h, NULL, 0, &r);
    RT_ANCHORS(&h, &r, 100, 40, 1);
    assert_int_equal(rt_kind(&r, &h, 100), ROOT_THREAD);
    /* A frame a thread holds is not a root of its own; one nothing holds is. */
    assert_int_equal(rt_kind(&r, &h, 30), ROOT_NONE);
    assert_int_equal(rt_kind(&r, &h, 20), ROOT_NONE);
    assert_int_equal(rt_kind(&r, &h, 40), ROOT_FRAME);
    assert_int_equal(r.n_orphans, 0);
    assert_string_equal(roots_kind_name(ROOT_THREAD), "thread");
    roots_free(&r);
    heap_free(&h);
    (void)state;
}

static void test_frame_held_by_non_frames_is_anchor(void **state)
{
    /* Frame 2 is held by a traceback, a generator and frame 5: one frame
     * parent is enough to make it no anchor; 5 is the top frame. A module
     * held by another object is still a module root. */
    static const char text[] =
        O(1, "traceback", "2")
        O(2, "frame", "4")
        O(3, "generator", "2")
        ON(4, "module", "m", "")
        O(5, "frame", "2");
    struct heap h;
    struct roots r;
    rt_load(text, &h);
    roots_compute(&h, NULL, 0, &r);
    assert_int_equal(rt_kind(&r, &h, 2), ROOT_NONE);
    assert_int_equal(rt_kind(&r, &h, 5), ROOT_FRAME);
    assert_int_equal(rt_kind(&r, &h, 4), ROOT_MODULE);
    RT_ANCHORS(&h, &r, 4, 5);
    /* The traceback and the generator are parentless, unreached by anchors:
     * each its own structural root and an orphan candidate. */
    RT_STRUCTURAL(&h, &r, 1, 3);
    RT_ORPHANS(&h, &r, 1, 3);
    roots_free(&r);
    heap_free(&h);

    /* Held only by a traceback (no frame): a top frame, an anchor. */
    static const char text2[] =
        O(1, "traceback", "2")
        O(2, "frame", "");
    rt_load(text2, &h);
    roots_compute(&h, NULL, 0, &r);
    assert_int_equal(rt_kind(&r, &h, 2), ROOT_FRAME);
    RT_ANCHORS(&h, &r, 2);
    RT_STRUCTURAL(&h, &r, 1);
    RT_ORPHANS(&h, &r, 1);
    roots_free(&r);
    heap_free(&h);
}

static void test_pinned_objects(void **state)
{
    /* A parentless cycle 10 -> 11 -> 12 -> 10 and a chain 20 -> 21 -> 22. */
    static const char text[] =
        ON(1, "module", "m", "")
        O(10, "list", "11")
        O(11, "list", "12")
        O(12, "list", "10, 13")
        O(13, "int", "")
        O(20, "list", "21")
        O(21, "list", "22")
        O(22, "list", "");
    struct heap h;
    struct roots r;
    rt_load(text, &h);

    roots_compute(&h, NULL, 0, &r);
    RT_ANCHORS(&h, &r, 1);
    RT_STRUCTURAL(&h, &r, 10, 20);
    RT_ORPHANS(&h, &r, 20);
    roots_free(&r);

    /* Pin 12 (in the cycle), 21 twice, the module, and an out-of-range number. */
    obj_t pins[] = {tu_obj(&h, 12), tu_obj(&h, 21), tu_obj(&h, 21), tu_obj(&h, 1), (obj_t)h.n + 5};
    roots_compute(&h, pins, TU_N(pins), &r);
    assert_int_equal(rt_kind(&r, &h, 12), ROOT_PINNED);
    assert_int_equal(rt_kind(&r, &h, 21), ROOT_PINNED);
    assert_int_equal(rt_kind(&r, &h, 1), ROOT_PINNED); /* pinning wins over "module" */
    RT_ANCHORS(&h, &r, 1, 12, 21);                     /* once each, in dump order */
    /* The pin reaches the whole cycle: it needs no structural root. 20 is still parentless. */
    RT_STRUCTURAL(&h, &r, 20);
    assert_int_equal(rt_kind(&r, &h, 10), ROOT_NONE);
    /* 20 is an orphan candidate; pinned 21 has a parent, and pins are never orphans. */
    RT_ORPHANS(&h, &r, 20);
    roots_free(&r);

    /* A pinned parentless object is not an orphan candidate. */
    obj_t pin20 = tu_obj(&h, 20);
    roots_compute(&h, &pin20, 1, &r);
    assert_int_equal(rt_kind(&r, &h, 20), ROOT_PINNED);
    RT_ANCHORS(&h, &r, 1, 20);
    RT_STRUCTURAL(&h, &r, 10);
    assert_int_equal(r.n_orphans, 0);
    roots_free(&r);
    heap_free(&h);
}

/* --- structural roots --- */

static void test_parentless_cycle_one_structural_root(void **state)
{
    /* Edges 30 -> 10 -> 20 -> 30 in a dump listing 20 first: the
     * representative is the first of the cycle in dump order, 20. */
    static const char text[] =
        O(20, "list", "30, 40")
        O(10, "list", "20")
        O(30, "list", "10")
        O(40, "list", "50")
        O(50, "list", "40");
    struct heap h;
    struct roots r;
    rt_load(text, &h);
    roots_compute(&h, NULL, 0, &r);
    assert_int_equal(r.n_anchor, 0);
    assert_int_equal(r.n_anchor, 0);
    /* Exactly one: the cycle 40 <-> 50 is entered from the first cycle. */
    RT_STRUCTURAL(&h, &r, 20);
    assert_int_equal(rt_kind(&r, &h, 20), ROOT_STRUCTURAL);
    assert_int_equal(rt_kind(&r, &h, 10), ROOT_NONE);
    assert_int_equal(rt_kind(&r, &h, 30), ROOT_NONE);
    assert_int_equal(rt_kind(&r, &h, 40), ROOT_NONE);
    /* Everything in a cycle has a parent: no orphan candidates. */
    assert_int_equal(r.n_orphans, 0);
    roots_free(&r);
    heap_free(&h);
}

static void test_cycle_reachable_from_anchor_has_no_root(void **state)
{
    static const char text[] =
        O(10, "list", "11")
        O(11, "list", "12")
        O(12, "list", "10")
        ON(1, "module", "m", "12");
    struct heap h;
    struct roots r;
    rt_load(text, &h);
    roots_compute(&h, NULL, 0, &r);
    RT_ANCHORS(&h, &r, 1);
    assert_int_equal(r.n - r.n_anchor, 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.n_orphans, 0);
    roots_free(&r);
    heap_free(&h);
}

static void test_cycle_entered_from_parentless_object(void **state)
{
    /* 5 -> cycle(10, 11): the root is 5, not the cycle's first object. */
    static const char text[] =
        O(10, "list", "11")
        O(11, "list", "10")
        O(5, "list", "11");
    struct heap h;
    struct roots r;
    rt_load(text, &h);
    roots_compute(&h, NULL, 0, &r);
    RT_STRUCTURAL(&h, &r, 5);
    RT_ORPHANS(&h, &r, 5);
    roots_free(&r);
    heap_free(&h);
}

static void test_orphans_listed(void **state)
{
    static const char text[] =
        O(1, "list", "2")      /* parentless: orphan, structural root */
        O(2, "int", "")
        ON(3, "module", "m", "") /* parentless anchor: not an orphan */
        O(4, "frame", "")      /* parentless top frame: not an orphan */
        O(5, "dict", "5")      /* only itself refers to it: has a parent */
        O(6, "str", "77777")   /* parentless, refers only to a missing address */
        O(7, "int", "");       /* parentless, no refs */
    struct heap h;
    struct roots r;
    rt_load(text, &h);
    roots_compute(&h, NULL, 0, &r);
    RT_ANCHORS(&h, &r, 3, 4);
    RT_STRUCTURAL(&h, &r, 1, 5, 6, 7);
    RT_ORPHANS(&h, &r, 1, 6, 7);
    roots_free(&r);
    heap_free(&h);
}

static void test_diamond(void **state)
{
    /* 1 -> {2, 3} -> 4 -> 5, and a parentless diamond 10 -> {11, 12} -> 13. */
    static const char text[] =
        ON(1, "module", "m", "2, 3")
        O(2, "list", "4")
        O(3, "list", "4")
        O(4, "list", "5")
        O(5, "int", "")
        O(13, "int", "")
        O(12, "list", "13")
        O(11, "list", "13")
        O(10, "list", "11, 12");
    struct heap h;
    struct roots r;
    rt_load(text, &h);
    roots_compute(&h, NULL, 0, &r);
    RT_ANCHORS(&h, &r, 1);
    RT_STRUCTURAL(&h, &r, 10);
    RT_ORPHANS(&h, &r, 10);
    roots_free(&r);
    heap_free(&h);
}

static void test_self_loops(void **state)
{
    static const char text[] =
        ON(1, "module", "m", "1, 2")  /* a module referring to itself */
        O(2, "list", "2, 3")          /* reached, with a self-loop */
        O(3, "int", "")
        O(4, "list", "4, 5")          /* held only by itself: a structural root */
        O(5, "int", "")
        O(6, "list", "6")             /* another one, alone */
        O(7, "frame", "7");           /* a frame whose only frame parent is itself */
    struct heap h;
    struct roots r;
    rt_load(text, &h);
    roots_compute(&h, NULL, 0, &r);
    assert_int_equal(rt_kind(&r, &h, 1), ROOT_MODULE);
    assert_int_equal(rt_kind(&r, &h, 2), ROOT_NONE);
    assert_int_equal(rt_kind(&r, &h, 4), ROOT_STRUCTURAL);
    assert_int_equal(rt_kind(&r, &h, 5), ROOT_NONE);
    assert_int_equal(rt_kind(&r, &h, 6), ROOT_STRUCTURAL);
    /* Whatever 7 is called, it must be a root of some kind and not an orphan
     * (it has a parent: itself). */
    assert_int_not_equal(rt_kind(&r, &h, 7), ROOT_NONE);
    assert_int_equal(r.n_orphans, 0);
    roots_free(&r);
    heap_free(&h);
}

static void test_dangling_refs_ignored(void **state)
{
    static const char text[] =
        ON(1, "module", "m", "999999, 2, 888888")
        O(2, "list", "999999, 3")
        O(3, "list", "777777")
        O(4, "list", "999999"); /* parentless; its only ref is missing */
    struct heap h;
    struct roots r;
    rt_load(text, &h);
    assert_int_equal(h.n, 4);
    assert_true(h.n_dangling >= 3);
    roots_compute(&h, NULL, 0, &r);
    RT_ANCHORS(&h, &r, 1);
    RT_STRUCTURAL(&h, &r, 4);
    RT_ORPHANS(&h, &r, 4);
    assert_int_equal(rt_kind(&r, &h, 2), ROOT_NONE);
    assert_int_equal(rt_kind(&r, &h, 3), ROOT_NONE);
    roots_free(&r);
    heap_free(&h);
}

static void test_collapsed_module_still_module_root(void **state)
{
    /* With meliae's collapse, the module absorbs its dict; refs to the dict
     * (a function's globals) go to the module. */
    static const char text[] =
        ON(1, "module", "app", "2")
        "{\"address\": 2, \"type\": \"dict\", \"size\": 16, \"len\": 1, \"refs\": [3]}\n"
        ON(3, "function", "f", "4, 2")
        O(4, "code", "");
    struct heap h;
    struct roots r;
    tu_load(text, 1, &h);
    assert_int_equal(heap_find(&h, 2), OBJ_NONE);
    roots_compute(&h, NULL, 0, &r);
    RT_ANCHORS(&h, &r, 1);
    assert_int_equal(r.n - r.n_anchor, 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.n_orphans, 0);
    roots_free(&r);
    heap_free(&h);
}

static void test_empty_roots(void **state)
{
    static const char text[] = O(1, "int", "");
    struct heap h;
    struct roots r;
    rt_load(text, &h);
    roots_compute(&h, NULL, 0, &r);
    assert_int_equal(r.n_anchor, 0);
    RT_STRUCTURAL(&h, &r, 1);
    RT_ORPHANS(&h, &r, 1);
    roots_free(&r);
    assert_null(r.list);
    heap_free(&h);
}

/* --- a million-long chain: nothing may recurse --- */

#define CHAIN_N 1000000
#define CHAIN_ADDR(k) (4096 + 16 * (uint64_t)(k))

/* A chain of n lists built straight into a heap (no JSON: fast under the
 * sanitizers), in dump order; object k refers to k+1 (reverse: to k-1);
 * cycle: the ends are joined; module: a module at address 8, last in dump
 * order, refers to the middle object. */
static void rt_chain_heap(struct heap *h, size_t n, int cycle, int reverse, int module)
{
    heap_init(h);
    uint32_t t_list = types_intern(&h->types, "list", 4);
    for (size_t k = 0; k < n; k++) {
        heap_add(h, CHAIN_ADDR(k), t_list, 64, 0, 0, 0);
        uint64_t next;
        if (!reverse && k + 1 < n)
            next = CHAIN_ADDR(k + 1);
        else if (reverse && k > 0)
            next = CHAIN_ADDR(k - 1);
        else if (cycle)
            next = reverse ? CHAIN_ADDR(n - 1) : CHAIN_ADDR(0);
        else
            continue;
        heap_add_children(h, &next, 1);
    }
    if (module) {
        uint32_t t_mod = types_intern(&h->types, "module", 6);
        uint32_t name = strpool_intern(&h->strings, "m", 1);
        heap_add(h, 8, t_mod, 64, 0, name, OF_NAME);
        uint64_t mid = CHAIN_ADDR(n / 2);
        heap_add_children(h, &mid, 1);
    }
    heap_resolve(h);
    heap_compact(h, 0);
    heap_build_parents(h);
    heap_detect_flavour(h);
    assert_int_equal(h->n, n + (module != 0));
}

/* The same forward chain as dump text, through load_buffer. */
static char *rt_chain_dump(size_t n, size_t *len)
{
    size_t cap = n * 80 + 64, used = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (size_t k = 0; k < n; k++) {
        int m;
        if (k + 1 < n)
            m = snprintf(buf + used, cap - used, "{\"address\": %llu, \"type\": \"list\", \"size\": 64, \"refs\": [%llu]}\n",
                         (unsigned long long)CHAIN_ADDR(k), (unsigned long long)CHAIN_ADDR(k + 1));
        else
            m = snprintf(buf + used, cap - used, "{\"address\": %llu, \"type\": \"list\", \"size\": 64, \"refs\": []}\n",
                         (unsigned long long)CHAIN_ADDR(k));
        assert_true(m > 0 && (size_t)m < cap - used);
        used += (size_t)m;
    }
    *len = used;
    return buf;
}

static void test_million_chain_loaded(void **state)
{
    /* Forward: Tarjan's depth-first walk goes a million deep. */
    size_t len;
    char *buf = rt_chain_dump(CHAIN_N, &len);
    struct load_options opt;
    struct load_report rep;
    struct hw_error err = {{0}};
    load_options_default(&opt);
    opt.collapse = 0;
    struct heap h;
    heap_init(&h);
    int rc = load_buffer("chain.json", buf, len, &opt, &h, &rep, &err);
    free(buf);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(h.n, CHAIN_N);
    struct roots r;
    roots_compute(&h, NULL, 0, &r);
    assert_int_equal(r.n_anchor, 0);
    RT_STRUCTURAL(&h, &r, CHAIN_ADDR(0));
    RT_ORPHANS(&h, &r, CHAIN_ADDR(0));
    roots_free(&r);
    heap_free(&h);
}

static void test_million_chain_shapes(void **state)
{
    struct heap h;
    struct roots r;

    /* Reversed: the walk from the first object in dump order is short, and
     * the component it finds is not a source; the root is the last object. */
    rt_chain_heap(&h, CHAIN_N, 0, 1, 0);
    roots_compute(&h, NULL, 0, &r);
    RT_STRUCTURAL(&h, &r, CHAIN_ADDR(CHAIN_N - 1));
    RT_ORPHANS(&h, &r, CHAIN_ADDR(CHAIN_N - 1));
    roots_free(&r);
    heap_free(&h);

    /* A million-long cycle: one component a million deep, one root (the
     * first in dump order), no orphans. */
    rt_chain_heap(&h, CHAIN_N, 1, 0, 0);
    roots_compute(&h, NULL, 0, &r);
    RT_STRUCTURAL(&h, &r, CHAIN_ADDR(0));
    assert_int_equal(r.n_orphans, 0);
    roots_free(&r);
    heap_free(&h);

    /* The reversed cycle with a module pointing into its middle: no structural root. */
    rt_chain_heap(&h, CHAIN_N, 1, 1, 1);
    roots_compute(&h, NULL, 0, &r);
    RT_ANCHORS(&h, &r, 8);
    assert_int_equal(r.n - r.n_anchor, 0);
    assert_int_equal(r.n_orphans, 0);
    roots_free(&r);
    heap_free(&h);

    /* A forward chain whose middle is pinned: the first half needs a
     * structural root, the second half does not. */
    rt_chain_heap(&h, CHAIN_N, 0, 0, 0);
    obj_t pin = tu_obj(&h, CHAIN_ADDR(CHAIN_N / 2));
    roots_compute(&h, &pin, 1, &r);
    RT_ANCHORS(&h, &r, CHAIN_ADDR(CHAIN_N / 2));
    RT_STRUCTURAL(&h, &r, CHAIN_ADDR(0));
    roots_free(&r);
    heap_free(&h);
}

/* --- random graphs against a brute-force model --- */

struct model {
    size_t n;
    const char **type;
    size_t *off;             /* children of i: adj[off[i] .. off[i+1]) */
    long *adj;               /* object index, or -1 for a missing address */
};


/* A random graph of n objects and its dump text (dump order = index order;
 * some later duplicate lines that must be ignored; refs to missing addresses). */
static char *model_random(struct model *m, size_t n, uint64_t seed)
{
    static const char *const types[] = {"list", "list", "list", "list", "tuple", "dict", "int",
                                        "module", "frame", "frame", "set"};
    rng_state = seed;
    m->n = n;
    m->type = malloc(n * sizeof *m->type);
    m->off = malloc((n + 1) * sizeof *m->off);
    size_t cap = n * 4 + 16;
    m->adj = malloc(cap * sizeof *m->adj);
    size_t ne = 0;
    for (size_t i = 0; i < n; i++) {
        m->type[i] = types[rnd(TU_N(types))];
        if (!strcmp(m->type[i], "module") && rnd(3))
            m->type[i] = "list"; /* fewer modules */
        m->off[i] = ne;
        size_t deg = rnd(4) == 0 ? 0 : rnd(3) + (rnd(8) == 0 ? 3 : 0);
        for (size_t k = 0; k < deg; k++) {
            long c;
            if (rnd(20) == 0)
                c = -1;
            else if (rnd(3) == 0 && i > 0)
                c = (long)(i - 1 - rnd((uint32_t)(i < 10 ? i : 10))); /* local: makes cycles */
            else
                c = (long)rnd((uint32_t)n);
            if (ne == cap)
                m->adj = realloc(m->adj, (cap *= 2) * sizeof *m->adj);
            m->adj[ne++] = c;
        }
    }
    m->off[n] = ne;

    struct strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < n; i++) {
        sb_printf(&sb, "{\"address\": %llu, \"type\": \"%s\", \"size\": 32, ", (unsigned long long)m_addr(i),
                  m->type[i]);
        if (!strcmp(m->type[i], "module"))
            sb_printf(&sb, "\"name\": \"mod%zu\", ", i);
        sb_adds(&sb, "\"refs\": [");
        for (size_t k = m->off[i]; k < m->off[i + 1]; k++)
            sb_printf(&sb, "%s%llu", k > m->off[i] ? ", " : "",
                      m->adj[k] < 0 ? 17ull + 2 * k : (unsigned long long)m_addr((size_t)m->adj[k]));
        sb_adds(&sb, "]}\n");
    }
    /* Later duplicates: first occurrence wins, these must change nothing. */
    for (size_t d = 0; d < 3 && n > 0; d++)
        sb_printf(&sb, "{\"address\": %llu, \"type\": \"module\", \"size\": 1, \"name\": \"dup\", \"refs\": [%llu]}\n",
                  (unsigned long long)m_addr(rnd((uint32_t)n)), (unsigned long long)m_addr(rnd((uint32_t)n)));
    char *text = xstrdup(sb_cstr(&sb), "test");
    sb_free(&sb);
    return text;
}

static void model_free(struct model *m)
{
    free(m->type);
    free(m->off);
    free(m->adj);
}

/* reach[v] = 1 for everything reachable from the marked sources (iterative). */
static void m_reach(const struct model *m, uint8_t *reach, long *stack)
{
    size_t sp = 0;
    for (size_t i = 0; i < m->n; i++)
        if (reach[i])
            stack[sp++] = (long)i;
    while (sp) {
        long v = stack[--sp];
        for (size_t k = m->off[v]; k < m->off[v + 1]; k++) {
            long w = m->adj[k];
            if (w >= 0 && !reach[w]) {
                reach[w] = 1;
                stack[sp++] = w;
            }
        }
    }
}

static void test_random_graphs_against_model(void **state)
{
    for (uint64_t seed = 1; seed <= 60; seed++) {
        struct model m;
        size_t n = 20 + (size_t)(seed * 7 % 180);
        char *text = model_random(&m, n, seed);
        struct heap h;
        rt_load(text, &h);
        free(text);
        assert_int_equal(h.n, n);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(h.addr[i], m_addr(i));

        /* Pins: a few random objects on some seeds. */
        obj_t pins[3];
        size_t npins = seed % 3 == 0 ? 3 : 0;
        for (size_t k = 0; k < npins; k++)
            pins[k] = (obj_t)rnd((uint32_t)n);

        /* Parent facts from the model. */
        uint8_t *has_parent = calloc(n, 1), *frame_parent = calloc(n, 1);
        for (size_t v = 0; v < n; v++)
            for (size_t k = m.off[v]; k < m.off[v + 1]; k++)
                if (m.adj[k] >= 0) {
                    has_parent[m.adj[k]] = 1;
                    if (!strcmp(m.type[v], "frame"))
                        frame_parent[m.adj[k]] = 1;
                }
        /* Expected kinds of anchors. */
        uint8_t *want = calloc(n, 1);
        for (size_t v = 0; v < n; v++) {
            if (!strcmp(m.type[v], "module"))
                want[v] = ROOT_MODULE;
            else if (!strcmp(m.type[v], "frame") && !frame_parent[v])
                want[v] = ROOT_FRAME;
        }
        for (size_t k = 0; k < npins; k++)
            want[pins[k]] = ROOT_PINNED;
        uint8_t *reached = calloc(n, 1);
        long *stack = malloc((n + m.off[n] + 1) * sizeof *stack);
        for (size_t v = 0; v < n; v++)
            reached[v] = want[v] != 0;
        m_reach(&m, reached, stack);

        /* Brute force: R[v] = what v reaches. v and w are in one component
         * iff each reaches the other. A component is a source iff no
         * object outside it has an edge into it. */
        uint8_t *R = calloc(n * n, 1);
        for (size_t v = 0; v < n; v++) {
            R[v * n + v] = 1;
            m_reach(&m, R + v * n, stack);
        }
        uint8_t *entered = calloc(n, 1); /* by component representative */
        long *rep = malloc(n * sizeof *rep);
        for (size_t v = 0; v < n; v++) {
            rep[v] = -1;
            if (reached[v])
                continue;
            for (size_t w = 0; w < n; w++)
                if (R[v * n + w] && R[w * n + v]) {
                    rep[v] = (long)w; /* the first of the component */
                    break;
                }
        }
        for (size_t u = 0; u < n; u++)
            for (size_t k = m.off[u]; k < m.off[u + 1]; k++) {
                long w = m.adj[k];
                if (w >= 0 && !reached[w] && rep[u] != rep[w])
                    entered[rep[w]] = 1;
            }
        for (size_t v = 0; v < n; v++)
            if (!reached[v] && rep[v] == (long)v && !entered[v])
                want[v] = ROOT_STRUCTURAL;

        struct roots r;
        roots_compute(&h, pins, npins, &r);
        for (size_t v = 0; v < n; v++) {
            if (r.kind[v] != want[v])
                print_error("seed %llu object %zu (%s): kind %d, want %d\n", (unsigned long long)seed, v,
                            m.type[v], r.kind[v], want[v]);
            assert_int_equal(r.kind[v], want[v]);
        }
        /* The lists: anchors then structural roots, each in dump order. */
        size_t q = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (size_t v = 0; v < n; v++) {
                int is = pass == 0 ? (want[v] && want[v] != ROOT_STRUCTURAL) : want[v] == ROOT_STRUCTURAL;
                if (!is)
                    continue;
                assert_true(q < r.n);
                assert_int_equal(r.list[q], v);
                q++;
            }
            if (pass == 0)
                assert_int_equal(r.n_anchor, q);
        }
        assert_int_equal(r.n, q);
        q = 0;
        for (size_t v = 0; v < n; v++)
            if (!has_parent[v] && (want[v] == 0 || want[v] == ROOT_STRUCTURAL)) {
                assert_true(q < r.n_orphans);
                assert_int_equal(r.orphans[q], v);
                q++;
            }
        assert_int_equal(r.n_orphans, q);
        /* Every object is reachable from some root. */
        memset(reached, 0, n);
        for (size_t k = 0; k < r.n; k++)
            reached[r.list[k]] = 1;
        m_reach(&m, reached, stack);
        for (size_t v = 0; v < n; v++)
            assert_true(reached[v]);

        roots_free(&r);
        free(R);
        free(entered);
        free(rep);
        free(stack);
        free(reached);
        free(want);
        free(has_parent);
        free(frame_parent);
        model_free(&m);
        heap_free(&h);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modules_and_top_frames_are_anchors),
        cmocka_unit_test(test_frame_held_by_non_frames_is_anchor),
        cmocka_unit_test(test_threads_are_anchors),
        cmocka_unit_test(test_pinned_objects),
        cmocka_unit_test(test_parentless_cycle_one_structural_root),
        cmocka_unit_test(test_cycle_reachable_from_anchor_has_no_root),
        cmocka_unit_test(test_cycle_entered_from_parentless_object),
        cmocka_unit_test(test_orphans_listed),
        cmocka_unit_test(test_diamond),
        cmocka_unit_test(test_self_loops),
        cmocka_unit_test(test_dangling_refs_ignored),
        cmocka_unit_test(test_collapsed_module_still_module_root),
        cmocka_unit_test(test_empty_roots),
        cmocka_unit_test(test_million_chain_loaded),
        cmocka_unit_test(test_million_chain_shapes),
        cmocka_unit_test(test_random_graphs_against_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
