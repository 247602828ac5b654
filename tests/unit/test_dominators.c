/* test_dominators.c: the dominator tree, retained sizes, retained sizes per
 * type, tree children and holders, checked against a simple, slow model
 * written here: d dominates o when o cannot be reached from the roots once d
 * is taken out (one search per object).  Hand-made graphs with diamonds,
 * cycles, self-loops and shared objects; Lengauer and Tarjan's own example;
 * random graphs; and the real dumps in tests/data, sampled. */
#include "testgraph.h"

/* The address of o's immediate dominator, 0 for the virtual root. */
static uint64_t idom_addr(const struct tg_graph *f, uint64_t addr)
{
    obj_t dom = f->d.idom[A(f, addr)];
    return dom == OBJ_NONE ? 0 : f->h.addr[dom];
}

static uint64_t retained(const struct tg_graph *f, uint64_t addr)
{
    return f->d.retained[A(f, addr)];
}

/* --- the model --- */

/* reach[o] = 1 for every object reachable from the roots without passing
 * through `cut` (OBJ_NONE: nothing cut).  A breadth-first search over the
 * child lists; queue has room for every object. */
static void model_reach(const struct heap *h, const struct roots *r, obj_t cut, uint8_t *reach, obj_t *queue)
{
    memset(reach, 0, h->n);
    size_t head = 0, tail = 0;
    for (size_t k = 0; k < r->n; k++) {
        obj_t o = r->list[k];
        if (o != cut && !reach[o]) {
            reach[o] = 1;
            queue[tail++] = o;
        }
    }
    while (head < tail) {
        obj_t o = queue[head++];
        const uint32_t *c = heap_children(h, o);
        for (size_t k = 0; k < heap_nchildren(h, o); k++)
            if (!heap_is_dangling(c[k]) && c[k] != cut && !reach[c[k]]) {
                reach[c[k]] = 1;
                queue[tail++] = c[k];
            }
    }
}

/* The model's answer for a whole (small) graph: dom[d * n + o] = 1 when d
 * dominates o (o itself included); its immediate dominators and retained
 * sizes from that alone. */
struct model {
    size_t n;
    uint8_t *dom;
    obj_t *idom;
    uint64_t *retained;
};

static void model_compute(const struct heap *h, const struct roots *r, struct model *m)
{
    size_t n = h->n;
    m->n = n;
    m->dom = calloc(n * n + 1, 1);
    m->idom = malloc((n + 1) * sizeof *m->idom);
    m->retained = calloc(n + 1, sizeof *m->retained);
    uint8_t *reach = malloc(n + 1), *all = malloc(n + 1);
    obj_t *queue = malloc((n + 1) * sizeof *queue);
    model_reach(h, r, OBJ_NONE, all, queue);
    for (size_t d = 0; d < n; d++) {
        model_reach(h, r, (obj_t)d, reach, queue);
        for (size_t o = 0; o < n; o++)
            m->dom[d * n + o] = all[o] && (o == d || !reach[o]);
    }
    /* The immediate dominator is the strict dominator that every other strict
     * dominator dominates: the one with the most dominators of its own. */
    for (size_t o = 0; o < n; o++) {
        m->idom[o] = OBJ_NONE;
        size_t best = 0;
        for (size_t d = 0; d < n; d++) {
            if (d == o || !m->dom[d * n + o])
                continue;
            size_t depth = 0;
            for (size_t e = 0; e < n; e++)
                depth += m->dom[e * n + d];
            if (depth > best) {
                best = depth;
                m->idom[o] = (obj_t)d;
            }
        }
        for (size_t d = 0; d < n; d++)
            if (m->dom[d * n + o])
                m->retained[d] += heap_size(h, (obj_t)o);
    }
    free(reach);
    free(all);
    free(queue);
}

static void model_free(struct model *m)
{
    free(m->dom);
    free(m->idom);
    free(m->retained);
}

/* Per type, the model's retained bytes: the objects of type t that no other
 * object of type t dominates, their retained sizes added. */
static void model_by_type(const struct heap *h, const struct model *m, uint64_t *out)
{
    size_t n = h->n;
    memset(out, 0, h->types.n * sizeof *out);
    for (size_t o = 0; o < n; o++) {
        int inside = 0;
        for (size_t d = 0; d < n && !inside; d++)
            inside = d != o && m->dom[d * n + o] && h->type[d] == h->type[o];
        if (!inside)
            out[h->type[o]] += m->retained[o];
    }
}

/* --- what must hold for any graph --- */

/* Each object's retained size is its size plus its tree children's; the
 * virtual root's children add up to the heap; dominators_children lists
 * exactly the children, largest first (ties in object order). */
static void check_tree_sums(const struct tg_graph *f)
{
    const struct heap *h = &f->h;
    const struct dominators *d = &f->d;
    size_t n = h->n;
    uint64_t *sum = calloc(n + 1, sizeof *sum), top = 0, all = 0;
    size_t *kids = calloc(n + 1, sizeof *kids), nroot = 0;
    for (size_t o = 0; o < n; o++) {
        all += heap_size(h, (obj_t)o);
        if (d->idom[o] == OBJ_NONE) {
            top += d->retained[o];
            nroot++;
        } else {
            sum[d->idom[o]] += d->retained[o];
            kids[d->idom[o]]++;
        }
    }
    assert_int_equal(d->total, all);
    assert_int_equal(top, all);
    for (size_t o = 0; o < n; o++)
        assert_int_equal(d->retained[o], heap_size(h, (obj_t)o) + sum[o]);
    size_t k;
    obj_t *c = dominators_children(h, d, OBJ_NONE, &k);
    assert_int_equal(k, nroot);
    for (size_t i = 0; i < k; i++) {
        assert_int_equal(d->idom[c[i]], OBJ_NONE);
        if (i)
            assert_true(d->retained[c[i - 1]] > d->retained[c[i]] ||
                        (d->retained[c[i - 1]] == d->retained[c[i]] && c[i - 1] < c[i]));
    }
    free(c);
    /* Every object's children, on a graph small enough to ask for all. */
    for (size_t o = 0; o < n && n <= 2000; o++) {
        c = dominators_children(h, d, (obj_t)o, &k);
        assert_int_equal(k, kids[o]);
        for (size_t i = 0; i < k; i++)
            assert_int_equal(d->idom[c[i]], o);
        free(c);
    }
    free(sum);
    free(kids);
}

/* The whole tree and every retained size against the model. */
static void check_against_model(const struct tg_graph *f)
{
    const struct heap *h = &f->h;
    struct model m;
    model_compute(h, &f->r, &m);
    for (size_t o = 0; o < h->n; o++) {
        if (f->d.idom[o] != m.idom[o] || f->d.retained[o] != m.retained[o])
            print_error("object %llu: idom %u retained %llu; the model says idom %u retained %llu\n",
                        (unsigned long long)h->addr[o], f->d.idom[o], (unsigned long long)f->d.retained[o],
                        m.idom[o], (unsigned long long)m.retained[o]);
        assert_int_equal(f->d.idom[o], m.idom[o]);
        assert_int_equal(f->d.retained[o], m.retained[o]);
    }
    uint64_t *got = calloc(h->types.n + 1, sizeof *got), *want = calloc(h->types.n + 1, sizeof *want);
    dominators_by_type(h, &f->d, got);
    model_by_type(h, &m, want);
    for (uint32_t t = 0; t < h->types.n; t++)
        assert_int_equal(got[t], want[t]);
    free(got);
    free(want);
    model_free(&m);
    check_tree_sums(f);
}

/* --- hand-made graphs --- */

static void test_diamond(void **state)
{
    /* M -> A, B; A -> C; B -> C; C -> D: C is held through two paths, so only M owns it. */
    static const char text[] =
        OS(1, "module", 100, "2, 3")
        OS(2, "list", 10, "4")
        OS(3, "list", 20, "4")
        OS(4, "dict", 30, "5")
        OS(5, "str", 40, "");
    struct tg_graph f;
    tg_load_dom(&f, text);
    assert_int_equal(idom_addr(&f, 1), 0);
    assert_int_equal(idom_addr(&f, 2), 1);
    assert_int_equal(idom_addr(&f, 3), 1);
    assert_int_equal(idom_addr(&f, 4), 1);
    assert_int_equal(idom_addr(&f, 5), 4);
    assert_int_equal(retained(&f, 1), 200);
    assert_int_equal(retained(&f, 2), 10);
    assert_int_equal(retained(&f, 3), 20);
    assert_int_equal(retained(&f, 4), 70);
    check_against_model(&f);
    tg_free(&f);
}

static void test_cycle(void **state)
{
    /* M -> A -> B -> C -> A: the cycle hangs from A; B owns C. */
    static const char text[] =
        OS(1, "module", 100, "2")
        OS(2, "list", 10, "3")
        OS(3, "list", 20, "4")
        OS(4, "list", 30, "2");
    struct tg_graph f;
    tg_load_dom(&f, text);
    assert_int_equal(idom_addr(&f, 2), 1);
    assert_int_equal(idom_addr(&f, 3), 2);
    assert_int_equal(idom_addr(&f, 4), 3);
    assert_int_equal(retained(&f, 2), 60);
    assert_int_equal(retained(&f, 3), 50);
    assert_int_equal(retained(&f, 1), 160);
    check_against_model(&f);
    tg_free(&f);
}

static void test_self_loops(void **state)
{
    /* Self-loops change nothing: A -> A, B -> B. */
    static const char text[] =
        OS(1, "module", 100, "2")
        OS(2, "list", 10, "2, 3")
        OS(3, "list", 20, "3");
    struct tg_graph f;
    tg_load_dom(&f, text);
    assert_int_equal(idom_addr(&f, 2), 1);
    assert_int_equal(idom_addr(&f, 3), 2);
    assert_int_equal(retained(&f, 2), 30);
    check_against_model(&f);
    tg_free(&f);
}

static void test_shared_by_two_roots(void **state)
{
    /* X is held by two modules: only the virtual root dominates it, and
     * neither module retains it. */
    static const char text[] =
        OS(1, "module", 100, "3")
        OS(2, "module", 200, "3")
        OS(3, "dict", 50, "4")
        OS(4, "str", 5, "");
    struct tg_graph f;
    tg_load_dom(&f, text);
    assert_int_equal(idom_addr(&f, 3), 0);
    assert_int_equal(idom_addr(&f, 4), 3);
    assert_int_equal(retained(&f, 1), 100);
    assert_int_equal(retained(&f, 2), 200);
    assert_int_equal(retained(&f, 3), 55);
    assert_int_equal(f.d.total, 355);
    check_against_model(&f);
    tg_free(&f);
}

static void test_parentless_cycle_and_dangling_refs(void **state)
{
    /* P <-> Q with nothing pointing in: P becomes a structural root and owns
     * Q; a ref to a missing address is no edge. */
    static const char text[] =
        OS(1, "module", 100, "999")
        OS(2, "list", 10, "3")
        OS(3, "list", 20, "2, 998");
    struct tg_graph f;
    tg_load_dom(&f, text);
    assert_int_equal(idom_addr(&f, 2), 0);
    assert_int_equal(idom_addr(&f, 3), 2);
    assert_int_equal(retained(&f, 2), 30);
    assert_int_equal(f.d.n_unreached, 0);
    check_against_model(&f);
    tg_free(&f);
}

static void test_lengauer_tarjan_example(void **state)
{
    /* The flow graph of Lengauer and Tarjan's paper (1979, figure 1), with
     * R = 1, A = 2, ..., L = 13; its dominator tree is in the paper. */
    static const char text[] =
        OS(1, "module", 1, "2, 3, 4")   /* R -> A B C */
        OS(2, "list", 2, "5")           /* A -> D */
        OS(3, "list", 4, "2, 5, 6")     /* B -> A D E */
        OS(4, "list", 8, "7, 8")        /* C -> F G */
        OS(5, "list", 16, "13")         /* D -> L */
        OS(6, "list", 32, "9")          /* E -> H */
        OS(7, "list", 64, "10")         /* F -> I */
        OS(8, "list", 128, "10, 11")    /* G -> I J */
        OS(9, "list", 256, "6, 12")     /* H -> E K */
        OS(10, "list", 512, "12")       /* I -> K */
        OS(11, "list", 1024, "10")      /* J -> I */
        OS(12, "list", 2048, "10, 1")   /* K -> I R */
        OS(13, "list", 4096, "9");      /* L -> H */
    /* idom: A R, B R, C R, D R, E R, F C, G C, H R, I R, J G, K R, L D */
    static const uint64_t want[][2] = {{2, 1}, {3, 1},  {4, 1},  {5, 1},  {6, 1},   {7, 4},
                                       {8, 4}, {9, 1}, {10, 1}, {11, 8}, {12, 1}, {13, 5}};
    struct tg_graph f;
    tg_load_dom(&f, text);
    for (size_t k = 0; k < TU_N(want); k++)
        assert_int_equal(idom_addr(&f, want[k][0]), want[k][1]);
    assert_int_equal(retained(&f, 4), 8 + 64 + 128 + 1024);  /* C: F, G, J */
    assert_int_equal(retained(&f, 5), 16 + 4096);            /* D: L */
    check_against_model(&f);
    tg_free(&f);
}

static void test_by_type_counts_nested_once(void **state)
{
    /* A list inside a list: "retained by lists" counts the outer one's
     * subtree once, not the inner one again. */
    static const char text[] =
        OS(1, "module", 100, "2")
        OS(2, "list", 10, "3")
        OS(3, "list", 20, "4")
        OS(4, "str", 5, "");
    struct tg_graph f;
    tg_load_dom(&f, text);
    uint64_t *by = calloc(f.h.types.n, sizeof *by);
    dominators_by_type(&f.h, &f.d, by);
    assert_int_equal(by[types_lookup(&f.h.types, "list")], 35);
    assert_int_equal(by[types_lookup(&f.h.types, "str")], 5);
    assert_int_equal(by[types_lookup(&f.h.types, "module")], 135);
    free(by);
    check_against_model(&f);
    tg_free(&f);
}

static void test_holders(void **state)
{
    /* Two strs held by one list, one by a dict, one by the roots directly. */
    static const char text[] =
        OS(1, "module", 100, "2, 3")
        OS(2, "list", 10, "4, 5")
        OS(3, "dict", 20, "6")
        OS(4, "str", 1, "")
        OS(5, "str", 2, "")
        OS(6, "str", 4, "")
        OS(7, "str", 8, "");
    struct tg_graph f;
    tg_load_dom(&f, text);
    obj_t set[] = {A(&f, 4), A(&f, 5), A(&f, 6), A(&f, 7)};
    size_t n;
    struct holder_row *rows = dominators_holders(&f.h, &f.d, set, TU_N(set), &n);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].type, UINT32_MAX); /* 8 bytes: the roots hold 7 */
    assert_int_equal(rows[0].bytes, 8);
    assert_int_equal(rows[1].type, types_lookup(&f.h.types, "dict"));
    assert_int_equal(rows[1].bytes, 4);
    assert_int_equal(rows[2].type, types_lookup(&f.h.types, "list"));
    assert_int_equal(rows[2].objects, 2);
    assert_int_equal(rows[2].holders, 1);
    assert_int_equal(rows[2].bytes, 3);
    free(rows);
    tg_free(&f);
}

/* --- random graphs --- */


/* n objects of a few types and sizes; some modules (anchors), edges mostly
 * forward with back edges, self-loops and cross edges, so that cycles,
 * diamonds and parentless groups all occur. */
static char *random_dump(size_t n, uint64_t seed)
{
    static const char *const types[] = {"list", "list", "dict", "tuple", "str", "module"};
    rng_state = seed;
    struct strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < n; i++) {
        const char *type = types[rnd(TU_N(types))];
        if (!strcmp(type, "module") && rnd(3))
            type = "dict";
        sb_printf(&sb, "{\"address\": %zu, \"type\": \"%s\", \"size\": %u, \"refs\": [", 1000 + i, type,
                  8 * (1 + rnd(50)));
        size_t deg = rnd(4) == 0 ? 0 : rnd(4);
        for (size_t k = 0; k < deg; k++) {
            size_t to = rnd(3) ? i + 1 + rnd(6) : rnd((uint32_t)n);
            if (rnd(20) == 0)
                to = i; /* a self-loop */
            sb_printf(&sb, "%s%zu", k ? ", " : "", 1000 + (to < n ? to : rnd((uint32_t)n)));
        }
        sb_adds(&sb, "]}\n");
    }
    char *text = xstrdup(sb_cstr(&sb), "test");
    sb_free(&sb);
    return text;
}

static void test_random_graphs_against_model(void **state)
{
    for (uint64_t seed = 1; seed <= 300; seed++) {
        size_t n = 2 + seed % 60;
        char *text = random_dump(n, seed);
        struct tg_graph f;
        tg_load_dom(&f, text);
        check_against_model(&f);
        tg_free(&f);
        free(text);
    }
}

/* --- real dumps --- */

/* For a sample of objects d of a real dump: the objects that cannot be
 * reached once d is taken out are exactly those with d on their chain of
 * immediate dominators, and their sizes add up to d's retained size. */
static void check_dump_sampled(const char *path, size_t samples)
{
    struct tg_graph f;
    struct load_options opt;
    struct load_report rep;
    struct hw_error err = {{0}};
    load_options_default(&opt);
    heap_init(&f.h);
    if (load_dump(path, &opt, &f.h, &rep, &err) != 0)
        fail_msg("%s", err.msg);
    tg_analyse(&f, 1);
    check_tree_sums(&f);
    size_t n = f.h.n;
    uint8_t *reach = malloc(n), *under = malloc(n);
    obj_t *queue = malloc(n * sizeof *queue);
    rng_state = 42;
    for (size_t s = 0; s < samples; s++) {
        /* Half of the samples among the objects that retain the most. */
        obj_t d = (obj_t)rnd((uint32_t)n);
        if (s % 2) {
            for (int k = 0; k < 50; k++) {
                obj_t c = (obj_t)rnd((uint32_t)n);
                if (f.d.retained[c] > f.d.retained[d])
                    d = c;
            }
        }
        model_reach(&f.h, &f.r, d, reach, queue);
        /* under[o]: 1 if d is on o's idom chain, 2 if not, 0 not known yet. */
        memset(under, 0, n);
        under[d] = 1;
        uint64_t bytes = 0;
        for (size_t o = 0; o < n; o++) {
            size_t len = 0;
            obj_t v = (obj_t)o;
            while (v != OBJ_NONE && !under[v]) {
                queue[len++] = v;
                v = f.d.idom[v];
            }
            uint8_t known = v == OBJ_NONE ? 2 : under[v];
            while (len)
                under[queue[--len]] = known;
            int cut_off = o == d || !reach[o];
            assert_int_equal(under[o] == 1, cut_off);
            if (cut_off)
                bytes += heap_size(&f.h, (obj_t)o);
        }
        assert_int_equal(bytes, f.d.retained[d]);
    }
    free(reach);
    free(under);
    free(queue);
    tg_free(&f);
}

static void test_edge_dump_sampled(void **state)
{
    check_dump_sampled("tests/data/edge-py310.json.gz", 40);
}

static void test_small_py27_dump_sampled(void **state)
{
    check_dump_sampled("tests/data/small-py27.json.gz", 20);
}

static void test_leak_dump_sampled(void **state)
{
    check_dump_sampled("tests/data/leak-after-py310.json.gz", 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diamond),
        cmocka_unit_test(test_cycle),
        cmocka_unit_test(test_self_loops),
        cmocka_unit_test(test_shared_by_two_roots),
        cmocka_unit_test(test_parentless_cycle_and_dangling_refs),
        cmocka_unit_test(test_lengauer_tarjan_example),
        cmocka_unit_test(test_by_type_counts_nested_once),
        cmocka_unit_test(test_holders),
        cmocka_unit_test(test_random_graphs_against_model),
        cmocka_unit_test(test_edge_dump_sampled),
        cmocka_unit_test(test_small_py27_dump_sampled),
        cmocka_unit_test(test_leak_dump_sampled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
