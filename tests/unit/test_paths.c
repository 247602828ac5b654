/* test_paths.c: shortest paths to roots (paths_compute, paths_get), the
 * backward search with exclusions (paths_find), the k shortest simple paths
 * (paths_find_k) and how hops read (paths_edge_label, paths_expression).
 *
 * Expectations come from models written here: a forward breadth-first
 * search over the graph as the test built it (not as heapwalk stored it), and
 * a brute-force enumeration of simple paths on small graphs. */
#include "testgraph.h"

#include "paths.h"

/* The path (objects) must be exactly the addresses want[0..n). */
static void pt_path_eq(const struct heap *h, const obj_t *path, size_t len, const uint64_t *want, size_t n)
{
    if (len != n || !path) {
        print_error("path of %zu hops:", len);
        for (size_t k = 0; path && k < len; k++)
            print_error(" %llu", (unsigned long long)h->addr[path[k]]);
        print_error(", want %zu:", n);
        for (size_t k = 0; k < n; k++)
            print_error(" %llu", (unsigned long long)want[k]);
        print_error("\n");
    }
    assert_non_null(path);
    assert_int_equal(len, n);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(h->addr[path[k]], want[k]);
}
#define PT_PATH(h, path, len, ...)                                 \
    do {                                                           \
        const uint64_t w_[] = {__VA_ARGS__};                       \
        pt_path_eq((h), (path), (len), w_, TU_N(w_));              \
    } while (0)

/* paths_edge_label as a string (static buffer). */
static const char *pt_label(const struct tg_graph *f, uint64_t parent, uint64_t child)
{
    static char buf[256];
    struct strbuf sb;
    sb_init(&sb);
    paths_edge_label(&f->h, A(f, parent), A(f, child), &sb);
    snprintf(buf, sizeof buf, "%s", sb_cstr(&sb));
    sb_free(&sb);
    return buf;
}

static void pt_free_k(obj_t **paths, size_t *lens, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free(paths[k]);
    free(paths);
    free(lens);
}

/* --- hand-made graphs --- */

static void test_anchor_preferred_over_closer_structural_root(void **state)
{
    /* x is 4 hops from the module, 1 hop from a parentless list. y hangs
     * only off the list. */
    static const char text[] =
        ON(1, "module", "m", "2")
        O(2, "list", "3")
        O(3, "list", "4")
        O(4, "list", "10")
        O(10, "int", "")
        O(50, "list", "10, 11")
        O(11, "list", "12")
        O(12, "int", "");
    struct tg_graph f;
    tg_load(&f, text, 0);
    assert_int_equal(f.r.kind[A(&f, 50)], ROOT_STRUCTURAL);
    struct paths p;
    paths_compute(&f.h, &f.r, 0, &p);
    assert_int_equal(p.dist[A(&f, 10)], 4);
    assert_int_equal(p.pred[A(&f, 10)], A(&f, 4));
    assert_int_equal(p.dist[A(&f, 50)], 0);
    assert_int_equal(p.pred[A(&f, 50)], OBJ_NONE);
    assert_int_equal(p.dist[A(&f, 11)], 1);
    assert_int_equal(p.dist[A(&f, 12)], 2);
    assert_int_equal(p.max_dist, 4);
    assert_int_equal(p.n_unreached, 0);
    size_t len;
    obj_t *path = paths_get(&p, A(&f, 10), &len);
    PT_PATH(&f.h, path, len, 1, 2, 3, 4, 10);
    free(path);
    path = paths_find(&f.h, &f.r, A(&f, 10), NULL, &len);
    PT_PATH(&f.h, path, len, 1, 2, 3, 4, 10);
    free(path);
    path = paths_find(&f.h, &f.r, A(&f, 12), NULL, &len);
    PT_PATH(&f.h, path, len, 50, 11, 12);
    free(path);
    /* Avoiding the anchor's route falls back to the structural root. */
    obj_t avoid = A(&f, 3);
    struct path_filter flt = {0, &avoid, 1, NULL, 0};
    path = paths_find(&f.h, &f.r, A(&f, 10), &flt, &len);
    PT_PATH(&f.h, path, len, 50, 10);
    free(path);
    /* A root's path is itself. */
    path = paths_find(&f.h, &f.r, A(&f, 1), NULL, &len);
    PT_PATH(&f.h, path, len, 1);
    free(path);
    path = paths_get(&p, A(&f, 50), &len);
    PT_PATH(&f.h, path, len, 50);
    free(path);
    paths_free(&p);
    tg_free(&f);
}

static void test_diamond_and_self_loops(void **state)
{
    static const char text[] =
        ON(1, "module", "m", "2, 3")
        O(2, "list", "2, 4")
        O(3, "list", "4, 3")
        O(4, "list", "4, 5, 5")
        O(5, "int", "");
    struct tg_graph f;
    tg_load(&f, text, 0);
    struct paths p;
    paths_compute(&f.h, &f.r, 0, &p);
    assert_int_equal(p.dist[A(&f, 2)], 1);
    assert_int_equal(p.dist[A(&f, 3)], 1);
    assert_int_equal(p.dist[A(&f, 4)], 2);
    assert_int_equal(p.dist[A(&f, 5)], 3);
    assert_int_equal(p.pred[A(&f, 5)], A(&f, 4));
    assert_true(p.pred[A(&f, 4)] == A(&f, 2) || p.pred[A(&f, 4)] == A(&f, 3));
    /* Both sides of the diamond, and nothing else: the self-loops and the
     * duplicate ref add no path. */
    obj_t **paths;
    size_t *lens;
    size_t n = paths_find_k(&f.h, &f.r, A(&f, 5), NULL, 10, &paths, &lens);
    assert_int_equal(n, 2);
    assert_int_equal(lens[0], 4);
    assert_int_equal(lens[1], 4);
    assert_int_equal(f.h.addr[paths[0][1]] + f.h.addr[paths[1][1]], 2 + 3);
    pt_free_k(paths, lens, n);
    paths_free(&p);
    tg_free(&f);
}

static void test_dangling_refs_ignored(void **state)
{
    static const char text[] =
        ON(1, "module", "m", "999, 2")
        O(2, "list", "888, 3, 999")
        O(3, "int", "");
    struct tg_graph f;
    tg_load(&f, text, 0);
    struct paths p;
    paths_compute(&f.h, &f.r, EDGE_TYPE | EDGE_GLOBALS, &p);
    assert_int_equal(p.dist[A(&f, 3)], 2);
    assert_int_equal(p.n_unreached, 0);
    size_t len;
    obj_t *path = paths_find(&f.h, &f.r, A(&f, 3), NULL, &len);
    PT_PATH(&f.h, path, len, 1, 2, 3);
    free(path);
    obj_t **paths;
    size_t *lens;
    size_t n = paths_find_k(&f.h, &f.r, A(&f, 3), NULL, 5, &paths, &lens);
    assert_int_equal(n, 1);
    pt_free_k(paths, lens, n);
    assert_int_equal(paths_edge_kind(&f.h, A(&f, 1), 0), 0);
    paths_free(&p);
    tg_free(&f);
}

/* Functions: refs [code, globals, builtins, ...] (Python 3.10). */
static const char kinds_text[] =
    ON(1, "module", "m", "2, 30, 40")
    ON(2, "function", "f", "3, 4, 5, 6")
    O(3, "code", "")
    OX(4, "dict", "\"len\": 1, ", "7")      /* f's globals: holds X */
    OX(5, "dict", "\"len\": 1, ", "8")      /* f's builtins: holds B */
    OX(6, "str", "\"len\": 1, \"value\": \"f\", ", "")
    O(7, "list", "")                       /* X */
    O(8, "list", "")                       /* B */
    O(30, "list", "31")                    /* the long way to X and to T: 1 30 31 32 33 */
    O(31, "list", "32")
    O(32, "list", "33")
    O(33, "list", "7, 20, 8")
    O(40, "Node", "41, 20")                /* an instance: (dict, type) */
    OX(41, "dict", "\"len\": 0, ", "")
    ON(20, "type", "Node", "21")           /* T, holding Y */
    O(21, "list", "")                      /* Y */
    OX(90, "bytes", "\"len\": 0, \"value\": \"\", ", ""); /* makes it a Python 3 dump */

static void test_edge_kinds(void **state)
{
    struct tg_graph f;
    tg_load(&f, kinds_text, 0);
    assert_int_equal(f.h.flavour, FLAVOUR_PY3);
    obj_t fn = A(&f, 2), inst = A(&f, 40);
    assert_int_equal(paths_edge_kind(&f.h, fn, 0), 0);
    assert_int_equal(paths_edge_kind(&f.h, fn, 1), EDGE_GLOBALS);
    assert_int_equal(paths_edge_kind(&f.h, fn, 2), EDGE_BUILTINS);
    assert_int_equal(paths_edge_kind(&f.h, fn, 3), 0);
    assert_int_equal(paths_edge_kind(&f.h, inst, 0), 0);
    assert_int_equal(paths_edge_kind(&f.h, inst, 1), EDGE_TYPE);
    assert_int_equal(paths_edge_kind(&f.h, A(&f, 33), 1), EDGE_TYPE);
    tg_free(&f);

    /* Python 2: no builtins ref; a ref to a classobj is a type edge. */
    static const char py2[] =
        ON(1, "module", "m", "2, 9")
        ON(2, "function", "f", "3, 4, 5")
        O(3, "code", "")
        OX(4, "dict", "\"len\": 0, ", "")
        OX(5, "tuple", "\"len\": 0, ", "")
        O(9, "instance", "10, 4")
        ON(10, "classobj", "Old", "");
    tg_load(&f, py2, 0);
    assert_int_equal(f.h.flavour, FLAVOUR_PY2);
    assert_int_equal(paths_edge_kind(&f.h, A(&f, 2), 1), EDGE_GLOBALS);
    assert_int_equal(paths_edge_kind(&f.h, A(&f, 2), 2), 0);
    assert_int_equal(paths_edge_kind(&f.h, A(&f, 9), 0), EDGE_TYPE);
    assert_int_equal(paths_edge_kind(&f.h, A(&f, 9), 1), 0);
    tg_free(&f);
}

static void test_find_excluding_edge_kinds(void **state)
{
    struct tg_graph f;
    tg_load(&f, kinds_text, 0);
    size_t len;
    obj_t *path;

    path = paths_find(&f.h, &f.r, A(&f, 7), NULL, &len);
    PT_PATH(&f.h, path, len, 1, 2, 4, 7);
    free(path);
    struct path_filter flt = {EDGE_GLOBALS, NULL, 0, NULL, 0};
    path = paths_find(&f.h, &f.r, A(&f, 7), &flt, &len);
    PT_PATH(&f.h, path, len, 1, 30, 31, 32, 33, 7);
    free(path);
    /* Excluding globals leaves builtins; excluding builtins leaves globals. */
    path = paths_find(&f.h, &f.r, A(&f, 8), &flt, &len);
    PT_PATH(&f.h, path, len, 1, 2, 5, 8);
    free(path);
    flt.kinds = EDGE_BUILTINS;
    path = paths_find(&f.h, &f.r, A(&f, 8), &flt, &len);
    PT_PATH(&f.h, path, len, 1, 30, 31, 32, 33, 8);
    free(path);
    path = paths_find(&f.h, &f.r, A(&f, 7), &flt, &len);
    PT_PATH(&f.h, path, len, 1, 2, 4, 7);
    free(path);

    /* The type of an instance, and a type as the target itself. */
    path = paths_find(&f.h, &f.r, A(&f, 21), NULL, &len);
    PT_PATH(&f.h, path, len, 1, 40, 20, 21);
    free(path);
    flt.kinds = EDGE_TYPE;
    path = paths_find(&f.h, &f.r, A(&f, 21), &flt, &len);
    assert_null(path); /* every edge into T is a type edge */
    assert_int_equal(len, 0);
    path = paths_find(&f.h, &f.r, A(&f, 20), &flt, &len);
    assert_null(path);
    flt.kinds = EDGE_GLOBALS | EDGE_BUILTINS;
    path = paths_find(&f.h, &f.r, A(&f, 21), &flt, &len);
    PT_PATH(&f.h, path, len, 1, 40, 20, 21);
    free(path);

    /* paths_compute agrees: excluded kinds are not followed. */
    struct paths p;
    paths_compute(&f.h, &f.r, EDGE_GLOBALS | EDGE_TYPE, &p);
    assert_int_equal(p.kinds, EDGE_GLOBALS | EDGE_TYPE);
    assert_int_equal(p.dist[A(&f, 7)], 5);
    assert_int_equal(p.pred[A(&f, 7)], A(&f, 33));
    assert_int_equal(p.dist[A(&f, 8)], 3);
    assert_int_equal(p.dist[A(&f, 20)], PATH_UNREACHED);
    assert_int_equal(p.dist[A(&f, 21)], PATH_UNREACHED);
    assert_int_equal(p.pred[A(&f, 21)], OBJ_NONE);
    assert_int_equal(p.dist[A(&f, 4)], PATH_UNREACHED); /* only f's globals holds it */
    assert_int_equal(p.n_unreached, 3);
    path = paths_get(&p, A(&f, 21), &len);
    assert_null(path);
    assert_int_equal(len, 0);
    paths_free(&p);
    tg_free(&f);
}

static void test_duplicate_ref_of_another_kind_still_usable(void **state)
{
    /* The function refers to G as its globals and again as a later ref:
     * that later ref is no globals edge. */
    static const char text[] =
        ON(1, "module", "m", "2")
        ON(2, "function", "f", "3, 4, 5, 4")
        O(3, "code", "")
        OX(4, "dict", "\"len\": 0, ", "")
        OX(5, "dict", "\"len\": 0, ", "")
        OX(9, "bytes", "\"value\": \"\", ", "");
    struct tg_graph f;
    tg_load(&f, text, 0);
    struct path_filter flt = {EDGE_GLOBALS, NULL, 0, NULL, 0};
    size_t len;
    obj_t *path = paths_find(&f.h, &f.r, A(&f, 4), &flt, &len);
    PT_PATH(&f.h, path, len, 1, 2, 4);
    free(path);
    struct paths p;
    paths_compute(&f.h, &f.r, EDGE_GLOBALS, &p);
    assert_int_equal(p.dist[A(&f, 4)], 2);
    paths_free(&p);
    tg_free(&f);
}

static void test_find_avoiding_objects_and_edges(void **state)
{
    /* Three ways from the module to t: 1-2-t, 1-3-4-t, 1-5-6-7-t. */
    static const char text[] =
        ON(1, "module", "m", "2, 3, 5")
        O(2, "list", "9")
        O(3, "list", "4")
        O(4, "list", "9")
        O(5, "list", "6")
        O(6, "list", "7")
        O(7, "list", "9")
        O(9, "int", "");
    struct tg_graph f;
    tg_load(&f, text, 0);
    size_t len;
    obj_t *path;
    obj_t av[2] = {A(&f, 2), A(&f, 4)};
    struct path_filter flt = {0, av, 1, NULL, 0};
    path = paths_find(&f.h, &f.r, A(&f, 9), &flt, &len);
    PT_PATH(&f.h, path, len, 1, 3, 4, 9);
    free(path);
    flt.n_objects = 2;
    path = paths_find(&f.h, &f.r, A(&f, 9), &flt, &len);
    PT_PATH(&f.h, path, len, 1, 5, 6, 7, 9);
    free(path);
    /* Avoiding the target itself is ignored; avoiding the only root is not. */
    obj_t self = A(&f, 9);
    struct path_filter fself = {0, &self, 1, NULL, 0};
    path = paths_find(&f.h, &f.r, A(&f, 9), &fself, &len);
    PT_PATH(&f.h, path, len, 1, 2, 9);
    free(path);
    obj_t root = A(&f, 1);
    struct path_filter froot = {0, &root, 1, NULL, 0};
    path = paths_find(&f.h, &f.r, A(&f, 9), &froot, &len);
    assert_null(path);

    /* Edges. */
    struct path_edge e[2] = {{A(&f, 2), A(&f, 9)}, {A(&f, 1), A(&f, 3)}};
    struct path_filter fe = {0, NULL, 0, e, 1};
    path = paths_find(&f.h, &f.r, A(&f, 9), &fe, &len);
    PT_PATH(&f.h, path, len, 1, 3, 4, 9);
    free(path);
    fe.n_edges = 2;
    path = paths_find(&f.h, &f.r, A(&f, 9), &fe, &len);
    PT_PATH(&f.h, path, len, 1, 5, 6, 7, 9);
    free(path);
    /* An edge that is not in the graph changes nothing. */
    struct path_edge bogus = {A(&f, 9), A(&f, 2)};
    struct path_filter fb = {0, NULL, 0, &bogus, 1};
    path = paths_find(&f.h, &f.r, A(&f, 9), &fb, &len);
    PT_PATH(&f.h, path, len, 1, 2, 9);
    free(path);
    tg_free(&f);
}

/* --- the k shortest paths --- */

static void test_find_k_small_graph(void **state)
{
    /* Simple paths from 1 to 9 (by hand):
     *   1-2-9, 1-3-9, 1-2-3-9, 1-3-2-9, 1-2-4-9, 1-3-2-4-9 */
    static const char text[] =
        ON(1, "module", "m", "2, 3")
        O(2, "list", "9, 3, 4")
        O(3, "list", "9, 2")
        O(4, "list", "9")
        O(9, "int", "");
    struct tg_graph f;
    tg_load(&f, text, 0);
    obj_t **paths;
    size_t *lens;
    size_t n = paths_find_k(&f.h, &f.r, A(&f, 9), NULL, 100, &paths, &lens);
    assert_int_equal(n, 6);
    size_t want_lens[] = {3, 3, 4, 4, 4, 5};
    for (size_t k = 0; k < n; k++)
        assert_int_equal(lens[k], want_lens[k]);
    /* k = 2 gives the first two, in the same order. */
    obj_t **p2;
    size_t *l2;
    size_t n2 = paths_find_k(&f.h, &f.r, A(&f, 9), NULL, 2, &p2, &l2);
    assert_int_equal(n2, 2);
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(l2[k], lens[k]);
        assert_memory_equal(p2[k], paths[k], lens[k] * sizeof **paths);
    }
    pt_free_k(p2, l2, n2);
    pt_free_k(paths, lens, n);
    /* k = 0: nothing. */
    n = paths_find_k(&f.h, &f.r, A(&f, 9), NULL, 0, &paths, &lens);
    assert_int_equal(n, 0);
    pt_free_k(paths, lens, n);
    /* Avoiding 2: only 1-3-9. */
    obj_t av = A(&f, 2);
    struct path_filter flt = {0, &av, 1, NULL, 0};
    n = paths_find_k(&f.h, &f.r, A(&f, 9), &flt, 100, &paths, &lens);
    assert_int_equal(n, 1);
    PT_PATH(&f.h, paths[0], lens[0], 1, 3, 9);
    pt_free_k(paths, lens, n);
    tg_free(&f);
}

static void test_find_k_mixed_roots_order(void **state)
{
    /* t is reachable from the module (4 and 5 hops) and from a parentless
     * list (1 hop). paths_find gives the module's path (anchors first). The
     * k paths must be in non-decreasing length, as paths.h promises
     * ("shortest first"), or at least keep every anchor path before the
     * structural ones; they may not interleave. */
    static const char text[] =
        ON(1, "module", "m", "2, 6")
        O(2, "list", "3")
        O(3, "list", "4")
        O(4, "list", "9")
        O(6, "list", "7")
        O(7, "list", "8")
        O(8, "list", "4")
        O(9, "int", "")
        O(50, "list", "9");
    struct tg_graph f;
    tg_load(&f, text, 0);
    size_t len;
    obj_t *first = paths_find(&f.h, &f.r, A(&f, 9), NULL, &len);
    PT_PATH(&f.h, first, len, 1, 2, 3, 4, 9);
    free(first);
    obj_t **paths;
    size_t *lens;
    size_t n = paths_find_k(&f.h, &f.r, A(&f, 9), NULL, 3, &paths, &lens);
    assert_int_equal(n, 3);
    PT_PATH(&f.h, paths[0], lens[0], 1, 2, 3, 4, 9);
    int nondecreasing = 1, anchors_first = 1, seen_structural = 0;
    for (size_t k = 0; k < n; k++) {
        if (k && lens[k] < lens[k - 1])
            nondecreasing = 0;
        int anchor = f.r.kind[paths[k][0]] != ROOT_STRUCTURAL;
        if (!anchor)
            seen_structural = 1;
        else if (seen_structural)
            anchors_first = 0;
    }
    if (!nondecreasing && !anchors_first) {
        print_error("got:");
        for (size_t k = 0; k < n; k++)
            print_error(" [%zu hops from %s]", lens[k] - 1, roots_kind_name((enum root_kind)f.r.kind[paths[k][0]]));
        print_error("\n");
    }
    pt_free_k(paths, lens, n);
    tg_free(&f);
    /* Regression, was a bug: candidates were picked by length alone, so the
     * 1-hop path from the structural root 50 came between the module's 4-hop
     * and 5-hop paths (lengths 4, 1, 5). */
    assert_true(nondecreasing || anchors_first);
}

/* --- labels and expressions --- */

static void test_labels_python3(void **state)
{
    static const char text[] =
        ON(1, "module", "app", "2")
        OX(2, "dict", "\"len\": 4, ", "10, 11, 12, 13")   /* module dict, str keys: collapsed */
        OX(10, "list", "\"len\": 4, ", "20, 21, 22, 21")
        OX(11, "tuple", "\"len\": 2, ", "21, 20")
        OX(12, "dict", "\"len\": 2, ", "20, 21")          /* str keys: values only */
        OX(13, "dict", "\"len\": 1, ", "21, 23")          /* other keys: value, key */
        OX(20, "str", "\"len\": 1, \"value\": \"a\", ", "")
        OX(21, "str", "\"len\": 1, \"value\": \"b\", ", "")
        O(22, "Node", "30, 31")                           /* instance: (dict, type) */
        OX(23, "int", "\"value\": 5, ", "")
        OX(30, "dict", "\"len\": 2, ", "20, 24")
        ON(31, "type", "Node", "")
        O(24, "cell", "20")
        ON(40, "function", "f", "41, 1, 42, 20")
        O(41, "code", "")
        OX(42, "dict", "\"len\": 0, ", "")
        OX(50, "set", "\"len\": 1, ", "20")
        OX(90, "bytes", "\"len\": 0, \"value\": \"\", ", "");
    struct tg_graph f;
    tg_load(&f, text, 1);
    assert_int_equal(f.h.flavour, FLAVOUR_PY3);
    assert_int_equal(heap_find(&f.h, 2), OBJ_NONE);
    assert_int_equal(heap_find(&f.h, 30), OBJ_NONE);
    /* list_traverse and tupletraverse store the last item first. */
    assert_string_equal(pt_label(&f, 10, 20), "[3]");
    assert_string_equal(pt_label(&f, 10, 21), "[2]"); /* its first ref: the last position */
    assert_string_equal(pt_label(&f, 10, 22), "[1]");
    assert_string_equal(pt_label(&f, 11, 20), "[0]");
    assert_string_equal(pt_label(&f, 11, 21), "[1]");
    /* Python 3 str-keyed dict: the keys are not in the dump, the position is. */
    assert_string_equal(pt_label(&f, 12, 21), "[<#1>]");
    /* Python 3 dict with other keys: [value, key]. */
    assert_string_equal(pt_label(&f, 13, 21), "[5]");
    /* Collapsed Python 3 instance and module: attribute names unknown. */
    assert_string_equal(pt_label(&f, 22, 24), ".<#1>");
    assert_string_equal(pt_label(&f, 22, 31), ".__class__");
    assert_string_equal(pt_label(&f, 1, 10), ".<#0>");
    assert_string_equal(pt_label(&f, 24, 20), ".cell_contents");
    assert_string_equal(pt_label(&f, 40, 41), ".__code__");
    assert_string_equal(pt_label(&f, 40, 1), ".__globals__");
    assert_string_equal(pt_label(&f, 50, 20), "{?}");
    /* Not an edge at all. */
    assert_string_equal(pt_label(&f, 20, 10), ".?");

    /* The expression from the module root. */
    size_t len;
    obj_t *path = paths_find(&f.h, &f.r, A(&f, 24), NULL, &len);
    PT_PATH(&f.h, path, len, 1, 10, 22, 24);
    struct strbuf sb;
    sb_init(&sb);
    paths_expression(&f.h, &f.r, path, len, &sb);
    assert_string_equal(sb_cstr(&sb), "sys.modules['app'].<#0>[1].<#1>");
    free(path);
    sb_free(&sb);
    tg_free(&f);
}

/* meliae's scanner on Python 3: what tp_traverse stores for a deque, an
 * OrderedDict (every key, then the values) and a defaultdict (its factory,
 * then the values of a str-keyed table). */
static void test_labels_collections_meliae(void **state)
{
    static const char text[] =
        OX(60, "collections.OrderedDict", "\"len\": 2, ", "20, 21, 23, 70")
        OX(61, "collections.defaultdict", "\"len\": 3, ", "72, 23, 70, 71")
        O(62, "collections.deque", "73, 23, 70")
        OX(20, "str", "\"len\": 1, \"value\": \"a\", ", "")
        OX(21, "str", "\"len\": 1, \"value\": \"b\", ", "")
        OX(23, "int", "\"value\": 5, ", "")
        O(70, "Leak", "")
        O(71, "Leak", "")
        ON(72, "function", "make", "")
        ON(73, "type", "collections.deque", "")
        OX(90, "bytes", "\"len\": 0, \"value\": \"\", ", "");
    struct tg_graph f;
    tg_load(&f, text, 1);
    assert_int_equal(f.h.flavour, FLAVOUR_PY3);
    assert_string_equal(pt_label(&f, 60, 70), "['b']");
    assert_string_equal(pt_label(&f, 60, 20), "[<key #0>]");
    assert_string_equal(pt_label(&f, 61, 72), ".default_factory");
    assert_string_equal(pt_label(&f, 61, 71), "[<#2>]");
    assert_string_equal(pt_label(&f, 62, 73), ".__class__");
    assert_string_equal(pt_label(&f, 62, 70), "[1]");
    tg_free(&f);
}

static void test_labels_python2(void **state)
{
    static const char text[] =
        ON(1, "module", "app", "2")
        OX(2, "dict", "\"len\": 2, ", "20, 10, 21, 11")   /* '_cache': list, 'cfg': instance */
        OX(10, "list", "\"len\": 4, ", "30, 31, 32, 33")
        O(11, "instance", "12, 13")                       /* (classobj, dict) */
        ON(12, "classobj", "Config", "")
        OX(13, "dict", "\"len\": 3, ", "22, 30, 23, 31, 34, 32")  /* name, size, 7 */
        OX(14, "dict", "\"len\": 2, ", "22, 30, 34, 31")  /* a plain dict: 'name', 7 */
        OX(20, "str", "\"len\": 6, \"value\": \"_cache\", ", "")
        OX(21, "unicode", "\"len\": 3, \"value\": \"cfg\", ", "")
        OX(22, "str", "\"len\": 4, \"value\": \"name\", ", "")
        OX(23, "str", "\"len\": 4, \"value\": \"size\", ", "")
        OX(34, "int", "\"value\": 7, ", "")
        OX(30, "int", "\"value\": 100, ", "")
        OX(31, "int", "\"value\": 101, ", "")
        OX(32, "int", "\"value\": 102, ", "")
        OX(33, "int", "\"value\": 103, ", "")
        O(40, "list", "14");
    struct tg_graph f;
    tg_load(&f, text, 1);
    assert_int_equal(f.h.flavour, FLAVOUR_PY2);
    obj_t cfg = A(&f, 11);
    assert_string_equal(heap_type_name(&f.h, cfg), "Config"); /* renamed to its class */
    /* A Python 2 dict: ['key']. */
    assert_string_equal(pt_label(&f, 14, 30), "['name']");
    assert_string_equal(pt_label(&f, 14, 31), "[7]");
    assert_string_equal(pt_label(&f, 14, 22), "[<key #0>]");
    /* A Python 2 collapsed instance: .attr for str keys. */
    assert_string_equal(pt_label(&f, 11, 30), ".name");
    assert_string_equal(pt_label(&f, 11, 31), ".size");
    assert_string_equal(pt_label(&f, 11, 32), ".__dict__[7]"); /* cfg[7] would be a different lookup */
    assert_string_equal(pt_label(&f, 11, 12), ".__class__");
    /* The collapsed module: .attr too, unicode keys included. */
    assert_string_equal(pt_label(&f, 1, 10), "._cache");
    assert_string_equal(pt_label(&f, 1, 11), ".cfg");
    assert_string_equal(pt_label(&f, 10, 33), "[0]");
    assert_string_equal(pt_label(&f, 10, 30), "[3]");

    size_t len;
    obj_t *path = paths_find(&f.h, &f.r, A(&f, 33), NULL, &len);
    PT_PATH(&f.h, path, len, 1, 10, 33);
    struct strbuf sb;
    sb_init(&sb);
    paths_expression(&f.h, &f.r, path, len, &sb);
    assert_string_equal(sb_cstr(&sb), "sys.modules['app']._cache[0]");
    free(path);
    /* The structural root 40 reads as <list at 0x28>. */
    path = paths_find(&f.h, &f.r, A(&f, 14), NULL, &len);
    PT_PATH(&f.h, path, len, 40, 14);
    sb_reset(&sb);
    paths_expression(&f.h, &f.r, path, len, &sb);
    assert_string_equal(sb_cstr(&sb), "<list at 0x28>[0]");
    free(path);
    sb_free(&sb);
    tg_free(&f);
}

static void test_expression_roots(void **state)
{
    static const char text[] =
        OX(1, "frame", "\"value\": \"main\", ", "2")
        O(2, "list", "3")
        O(3, "int", "")
        ON(4, "module", "pkg.sub", "3");
    struct tg_graph f;
    tg_load(&f, text, 0);
    struct strbuf sb;
    sb_init(&sb);
    obj_t path[] = {A(&f, 1), A(&f, 2), A(&f, 3)};
    paths_expression(&f.h, &f.r, path, 3, &sb);
    assert_string_equal(sb_cstr(&sb), "<frame 'main'>.<ref #0>[0]");
    sb_reset(&sb);
    obj_t mpath[] = {A(&f, 4), A(&f, 3)};
    paths_expression(&f.h, &f.r, mpath, 2, &sb);
    assert_int_equal(strncmp(sb_cstr(&sb), "sys.modules['pkg.sub']", 22), 0);
    sb_reset(&sb);
    paths_root_label(&f.h, &f.r, NULL, A(&f, 4), &sb);
    assert_string_equal(sb_cstr(&sb), "sys.modules['pkg.sub']");
    sb_reset(&sb);
    paths_expression(&f.h, &f.r, mpath, 0, &sb);
    assert_string_equal(sb_cstr(&sb), "");
    sb_free(&sb);
    tg_free(&f);
}

/* --- a million-long chain --- */

#define CHAIN_N 1000000

/* Built straight into a heap (no JSON: fast under the sanitizers): module 8
 * -> 4096 -> 4112 -> ... (a million lists), and a second chain of a million
 * from 0x10000000 that no anchor reaches. */
static void pt_chains(struct heap *h)
{
    heap_init(h);
    uint32_t t_list = types_intern(&h->types, "list", 4), t_mod = types_intern(&h->types, "module", 6);
    uint64_t first = 4096;
    heap_add(h, 8, t_mod, 64, 0, strpool_intern(&h->strings, "m", 1), OF_NAME);
    heap_add_children(h, &first, 1);
    for (int c = 0; c < 2; c++) {
        uint64_t base = c ? 0x10000000ull : 4096;
        for (size_t k = 0; k < CHAIN_N; k++) {
            uint64_t a = base + 16 * (uint64_t)k, next = a + 16;
            heap_add(h, a, t_list, 64, 0, 0, 0);
            if (k + 1 < CHAIN_N)
                heap_add_children(h, &next, 1);
        }
    }
    heap_resolve(h);
    heap_compact(h, 0);
    heap_build_parents(h);
    heap_detect_flavour(h);
}

static void test_million_chain(void **state)
{
    struct tg_graph f;
    pt_chains(&f.h);
    assert_int_equal(f.h.n, 2 * CHAIN_N + 1);
    tg_analyse(&f, 0);
    assert_int_equal(f.r.n_anchor, 1);
    assert_int_equal(f.r.n, 2);
    assert_int_equal(f.h.addr[f.r.list[1]], 0x10000000ull);

    struct paths p;
    paths_compute(&f.h, &f.r, 0, &p);
    uint64_t last1 = 4096 + 16 * (uint64_t)(CHAIN_N - 1), last2 = 0x10000000ull + 16 * (uint64_t)(CHAIN_N - 1);
    assert_int_equal(p.dist[A(&f, last1)], CHAIN_N);
    assert_int_equal(p.dist[A(&f, last2)], CHAIN_N - 1);
    assert_int_equal(p.max_dist, CHAIN_N);
    assert_int_equal(p.n_unreached, 0);
    size_t len;
    obj_t *path = paths_get(&p, A(&f, last1), &len);
    assert_int_equal(len, CHAIN_N + 1);
    assert_int_equal(f.h.addr[path[0]], 8);
    free(path);

    path = paths_find(&f.h, &f.r, A(&f, last1), NULL, &len);
    assert_non_null(path);
    assert_int_equal(len, CHAIN_N + 1);
    assert_int_equal(f.h.addr[path[0]], 8);
    for (size_t k = 1; k < len; k++)
        assert_int_equal(f.h.addr[path[k]], 4096 + 16 * (uint64_t)(k - 1));
    free(path);
    path = paths_find(&f.h, &f.r, A(&f, last2), NULL, &len);
    assert_int_equal(len, CHAIN_N);
    assert_int_equal(f.h.addr[path[0]], 0x10000000ull);
    free(path);
    /* Cut the chain in the middle: no path. */
    obj_t mid = A(&f, 4096 + 16 * (uint64_t)(CHAIN_N / 2));
    struct path_filter flt = {0, &mid, 1, NULL, 0};
    path = paths_find(&f.h, &f.r, A(&f, last1), &flt, &len);
    assert_null(path);
    paths_free(&p);
    tg_free(&f);
}

/* --- random graphs against models --- */

struct model {
    size_t n;
    int py3;
    const char **type;
    size_t *off;             /* children of i: adj[off[i] .. off[i+1]) */
    long *adj;               /* object index, or -1 for a missing address */
};


static char *model_random(struct model *m, size_t n, uint64_t seed, int py3, int avg_deg)
{
    static const char *const types3[] = {"list", "list", "list", "tuple", "dict", "int", "module", "frame",
                                         "function", "function", "type", "set", "bytes"};
    static const char *const types2[] = {"list", "list", "list", "tuple", "dict", "int", "module", "frame",
                                         "function", "function", "type", "classobj", "unicode"};
    const char *const *types = py3 ? types3 : types2;
    rng_state = seed;
    m->n = n;
    m->py3 = py3;
    m->type = malloc(n * sizeof *m->type);
    m->off = malloc((n + 1) * sizeof *m->off);
    size_t cap = 64, ne = 0;
    m->adj = malloc(cap * sizeof *m->adj);
    for (size_t i = 0; i < n; i++) {
        m->type[i] = types[rnd(TU_N(types3))];
        if (!strcmp(m->type[i], "module") && rnd(3))
            m->type[i] = "list";
        if (i == 0)
            m->type[i] = py3 ? "bytes" : "unicode"; /* the flavour, for sure */
        m->off[i] = ne;
        size_t deg = rnd(5) == 0 ? 0 : rnd((uint32_t)avg_deg * 2);
        if (!strcmp(m->type[i], "function"))
            deg = 3 + rnd(3);
        for (size_t k = 0; k < deg; k++) {
            long c;
            if (rnd(25) == 0)
                c = -1;
            else if (rnd(3) == 0 && i > 0)
                c = (long)(i - 1 - rnd((uint32_t)(i < 8 ? i : 8)));
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
        if (!strcmp(m->type[i], "module") || !strcmp(m->type[i], "function") || !strcmp(m->type[i], "type"))
            sb_printf(&sb, "\"name\": \"n%zu\", ", i);
        sb_adds(&sb, "\"refs\": [");
        for (size_t k = m->off[i]; k < m->off[i + 1]; k++)
            sb_printf(&sb, "%s%llu", k > m->off[i] ? ", " : "",
                      m->adj[k] < 0 ? 17ull + 2 * k : (unsigned long long)m_addr((size_t)m->adj[k]));
        sb_adds(&sb, "]}\n");
    }
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

/* The kinds of the k-th ref of v, from paths.h's definitions. */
static unsigned m_kind(const struct model *m, size_t v, size_t k)
{
    unsigned kind = 0;
    size_t pos = k - m->off[v];
    long c = m->adj[k];
    if (!strcmp(m->type[v], "function")) {
        if (pos == 1)
            kind |= EDGE_GLOBALS;
        if (pos == 2 && m->py3)
            kind |= EDGE_BUILTINS;
    }
    if (c >= 0 && (!strcmp(m->type[c], "type") || !strcmp(m->type[c], "classobj")))
        kind |= EDGE_TYPE;
    return kind;
}

/* What a path may use. */
struct m_filter {
    unsigned kinds;
    const uint8_t *avoid;    /* per object, may be NULL */
    const struct path_edge *edges;
    size_t n_edges;
    long target;             /* never avoided */
};

static int m_edge_ok(const struct model *m, const struct m_filter *f, size_t v, size_t k)
{
    long c = m->adj[k];
    if (c < 0)
        return 0;
    if (m_kind(m, v, k) & f->kinds)
        return 0;
    if (f->avoid && f->avoid[c] && c != f->target)
        return 0;
    for (size_t e = 0; e < f->n_edges; e++)
        if (f->edges[e].parent == v && f->edges[e].child == (obj_t)c)
            return 0;
    return 1;
}

/* Multi-source BFS: dist[v] for objects with dist[v] == UINT32_MAX are filled
 * from the sources (dist 0 already set by the caller, listed in src). */
static void m_bfs(const struct model *m, const struct m_filter *f, uint32_t *dist, long *queue, size_t tail)
{
    size_t head = 0;
    while (head < tail) {
        long v = queue[head++];
        for (size_t k = m->off[v]; k < m->off[v + 1]; k++) {
            long c = m->adj[k];
            if (!m_edge_ok(m, f, (size_t)v, k) || dist[c] != UINT32_MAX)
                continue;
            dist[c] = dist[v] + 1;
            queue[tail++] = c;
        }
    }
}

static int is_anchor_kind(int k) { return k == ROOT_MODULE || k == ROOT_FRAME || k == ROOT_PINNED; }

/* The two-phase distances of paths_compute: anchors, then structural roots
 * over what the anchors did not reach. */
static void m_two_phase(const struct model *m, const struct roots *r, const struct m_filter *f, uint32_t *dist)
{
    long *queue = malloc((m->n + 1) * sizeof *queue);
    for (size_t v = 0; v < m->n; v++)
        dist[v] = UINT32_MAX;
    size_t tail = 0;
    for (size_t v = 0; v < m->n; v++)
        if (is_anchor_kind(r->kind[v]) && !(f->avoid && f->avoid[v] && (long)v != f->target)) {
            dist[v] = 0;
            queue[tail++] = (long)v;
        }
    m_bfs(m, f, dist, queue, tail);
    tail = 0;
    for (size_t v = 0; v < m->n; v++)
        if (r->kind[v] == ROOT_STRUCTURAL && dist[v] == UINT32_MAX &&
            !(f->avoid && f->avoid[v] && (long)v != f->target)) {
            dist[v] = 0;
            queue[tail++] = (long)v;
        }
    m_bfs(m, f, dist, queue, tail);
    free(queue);
}

/* Is (u, v) an edge the filter allows (any of u's refs to v)? */
static int m_allowed(const struct model *m, const struct m_filter *f, size_t u, size_t v)
{
    for (size_t k = m->off[u]; k < m->off[u + 1]; k++)
        if (m->adj[k] == (long)v && m_edge_ok(m, f, u, k))
            return 1;
    return 0;
}

/* A path must start at a root, end at target, be simple, use allowed edges only. */
static void m_check_path(const struct model *m, const struct roots *r, const struct m_filter *f, const obj_t *path,
                         size_t len, size_t target)
{
    assert_true(len >= 1);
    assert_int_not_equal(r->kind[path[0]], ROOT_NONE);
    assert_int_equal(path[len - 1], target);
    for (size_t k = 0; k < len; k++) {
        if (f->avoid && path[k] != target)
            assert_false(f->avoid[path[k]]);
        for (size_t q = k + 1; q < len; q++)
            assert_int_not_equal(path[k], path[q]);
        if (k + 1 < len) {
            if (!m_allowed(m, f, path[k], path[k + 1]))
                print_error("hop %zu: %u -> %u is not an allowed edge\n", k, path[k], path[k + 1]);
            assert_true(m_allowed(m, f, path[k], path[k + 1]));
        }
    }
}

static void test_compute_against_bfs(void **state)
{
    static const unsigned kindsets[] = {0, EDGE_GLOBALS, EDGE_TYPE, EDGE_BUILTINS, EDGE_GLOBALS | EDGE_TYPE,
                                        EDGE_GLOBALS | EDGE_BUILTINS | EDGE_TYPE};
    size_t checked_structural = 0, checked_unreached = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        struct model m;
        size_t n = 30 + (size_t)(seed * 37 % 400);
        char *text = model_random(&m, n, seed, seed % 2, 2);
        struct tg_graph f;
        tg_load(&f, text, 0);
        free(text);
        assert_int_equal(f.h.n, n);
        assert_int_equal(f.h.flavour, seed % 2 ? FLAVOUR_PY3 : FLAVOUR_PY2);
        uint32_t *dist = malloc(n * sizeof *dist);
        for (size_t ks = 0; ks < TU_N(kindsets); ks++) {
            struct m_filter mf = {kindsets[ks], NULL, NULL, 0, -1};
            m_two_phase(&m, &f.r, &mf, dist);
            struct paths p;
            paths_compute(&f.h, &f.r, kindsets[ks], &p);
            size_t unreached = 0;
            uint32_t maxd = 0;
            for (size_t v = 0; v < n; v++) {
                if (p.dist[v] != dist[v])
                    print_error("seed %llu kinds %u object %zu: dist %u, want %u\n", (unsigned long long)seed,
                                kindsets[ks], v, p.dist[v], dist[v]);
                assert_int_equal(p.dist[v], dist[v]);
                if (dist[v] == UINT32_MAX) {
                    unreached++;
                    assert_int_equal(p.pred[v], OBJ_NONE);
                    continue;
                }
                if (dist[v] > maxd)
                    maxd = dist[v];
                if (dist[v] == 0) {
                    assert_int_equal(p.pred[v], OBJ_NONE);
                    assert_int_not_equal(f.r.kind[v], ROOT_NONE);
                    continue;
                }
                obj_t u = p.pred[v];
                assert_true(u < n);
                assert_int_equal(dist[u] + 1, dist[v]);
                assert_true(m_allowed(&m, &mf, u, v));
                if (f.r.kind[v] == ROOT_NONE && dist[v] > 0) {
                    size_t len;
                    obj_t *path = paths_get(&p, (obj_t)v, &len);
                    assert_int_equal(len, dist[v] + 1);
                    m_check_path(&m, &f.r, &mf, path, len, v);
                    if (f.r.kind[path[0]] == ROOT_STRUCTURAL)
                        checked_structural++;
                    free(path);
                }
            }
            checked_unreached += unreached;
            assert_int_equal(p.n_unreached, unreached);
            assert_int_equal(p.max_dist, maxd);
            paths_free(&p);
        }
        free(dist);
        model_free(&m);
        tg_free(&f);
    }
    /* The graphs exercised both phases and the exclusions. */
    assert_true(checked_structural > 100);
    assert_true(checked_unreached > 10);
}

static void test_find_against_bfs(void **state)
{
    size_t n_null = 0, n_structural = 0, n_changed = 0;
    for (uint64_t seed = 100; seed < 140; seed++) {
        struct model m;
        size_t n = 30 + (size_t)(seed * 53 % 300);
        char *text = model_random(&m, n, seed, seed % 2, 2);
        struct tg_graph f;
        tg_load(&f, text, 0);
        free(text);
        uint32_t *dist = malloc(n * sizeof *dist), *dist0 = malloc(n * sizeof *dist0);
        uint8_t *avoid = calloc(n, 1);
        for (int q = 0; q < 40; q++) {
            size_t t = rnd((uint32_t)n);
            /* The plain shortest path, to pick exclusions on it. */
            struct m_filter none = {0, NULL, NULL, 0, (long)t};
            size_t len0;
            obj_t *p0 = paths_find(&f.h, &f.r, (obj_t)t, NULL, &len0);
            m_two_phase(&m, &f.r, &none, dist0);
            if (f.r.kind[t] != ROOT_NONE) {
                PT_PATH(&f.h, p0, len0, m_addr(t));
                free(p0);
                continue;
            }
            assert_non_null(p0); /* every object has a path */
            assert_int_equal(len0, dist0[t] + 1);
            m_check_path(&m, &f.r, &none, p0, len0, t);

            /* Random exclusions: objects and edges on that path, kinds. */
            obj_t objs[3];
            struct path_edge edges[2];
            size_t no = 0, nedge = 0;
            unsigned kinds = 0;
            int mode = q % 4;
            if ((mode == 0 || mode == 3) && len0 > 2)
                objs[no++] = p0[1 + rnd((uint32_t)(len0 - 2))];
            if (mode == 3)
                objs[no++] = (obj_t)rnd((uint32_t)n); /* anything, the target too */
            if ((mode == 1 || mode == 3) && len0 > 1) {
                size_t k = rnd((uint32_t)(len0 - 1));
                edges[nedge++] = (struct path_edge){p0[k], p0[k + 1]};
            }
            if (mode == 2 || mode == 3)
                kinds = (rnd(2) ? EDGE_GLOBALS : 0) | (rnd(2) ? EDGE_TYPE : 0) | (rnd(2) ? EDGE_BUILTINS : 0);
            free(p0);

            memset(avoid, 0, n);
            for (size_t k = 0; k < no; k++)
                avoid[objs[k]] = 1;
            struct m_filter mf = {kinds, avoid, edges, nedge, (long)t};
            struct path_filter pf = {kinds, objs, no, edges, nedge};
            m_two_phase(&m, &f.r, &mf, dist);
            size_t len;
            obj_t *path = paths_find(&f.h, &f.r, (obj_t)t, &pf, &len);
            if (dist[t] == UINT32_MAX) {
                if (path)
                    print_error("seed %llu target %zu: a path of %zu, the model has none\n",
                                (unsigned long long)seed, t, len);
                assert_null(path);
                n_null++;
                continue;
            }
            if (!path)
                print_error("seed %llu target %zu: no path, the model has %u hops\n", (unsigned long long)seed, t,
                            dist[t]);
            assert_non_null(path);
            assert_int_equal(len, dist[t] + 1);
            m_check_path(&m, &f.r, &mf, path, len, t);
            /* Anchors first: a structural root only when no anchor gets there. */
            if (f.r.kind[path[0]] == ROOT_STRUCTURAL) {
                n_structural++;
                struct m_filter anchors_only = mf;
                uint32_t *d2 = malloc(n * sizeof *d2);
                long *queue = malloc((n + 1) * sizeof *queue);
                size_t tail = 0;
                for (size_t v = 0; v < n; v++) {
                    d2[v] = UINT32_MAX;
                    if (is_anchor_kind(f.r.kind[v]) && !(avoid[v] && v != t)) {
                        d2[v] = 0;
                        queue[tail++] = (long)v;
                    }
                }
                m_bfs(&m, &anchors_only, d2, queue, tail);
                assert_int_equal(d2[t], UINT32_MAX);
                free(d2);
                free(queue);
            }
            if (len != len0)
                n_changed++;
            free(path);
        }
        free(avoid);
        free(dist);
        free(dist0);
        model_free(&m);
        tg_free(&f);
    }
    assert_true(n_null > 10);
    assert_true(n_structural > 10);
    assert_true(n_changed > 50);
}

/* Brute force: every simple path root..t with no root inside it (a path
 * through a root is that root's path, longer), that the filter allows. */
struct enum_ctx {
    const struct model *m;
    const struct roots *r;
    const struct m_filter *f;
    size_t t;
    obj_t stack[64];
    uint8_t on[64];
    obj_t **out;
    size_t *outlen;
    size_t nout, cap;
};

static void enum_from(struct enum_ctx *c, size_t depth)
{
    obj_t v = c->stack[depth - 1];
    if (v == c->t) {
        if (c->nout == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 64;
            c->out = realloc(c->out, c->cap * sizeof *c->out);
            c->outlen = realloc(c->outlen, c->cap * sizeof *c->outlen);
        }
        c->out[c->nout] = malloc(depth * sizeof **c->out);
        memcpy(c->out[c->nout], c->stack, depth * sizeof *c->stack);
        c->outlen[c->nout++] = depth;
        return;
    }
    if (depth > 1 && c->r->kind[v] != ROOT_NONE)
        return;
    for (size_t k = c->m->off[v]; k < c->m->off[v + 1]; k++) {
        long w = c->m->adj[k];
        if (!m_edge_ok(c->m, c->f, v, k) || c->on[w])
            continue;
        /* one step per distinct child */
        int dup = 0;
        for (size_t q = c->m->off[v]; q < k && !dup; q++)
            dup = c->m->adj[q] == w && m_edge_ok(c->m, c->f, v, q);
        if (dup)
            continue;
        if (c->r->kind[w] != ROOT_NONE && (size_t)w != c->t)
            continue;
        c->on[w] = 1;
        c->stack[depth] = (obj_t)w;
        enum_from(c, depth + 1);
        c->on[w] = 0;
    }
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static void test_find_k_against_brute_force(void **state)
{
    size_t compared = 0, max_paths = 0, ordered = 0;
    for (uint64_t seed = 1000; seed < 1300; seed++) {
        struct model m;
        size_t n = 6 + (size_t)(seed % 7);
        char *text = model_random(&m, n, seed, 1, 3);
        struct tg_graph f;
        tg_load(&f, text, 0);
        free(text);
        size_t t = rnd((uint32_t)n);
        if (f.r.kind[t] != ROOT_NONE) {
            model_free(&m);
            tg_free(&f);
            continue;
        }
        uint8_t avoid[16] = {0};
        obj_t objs[1];
        size_t no = 0;
        unsigned kinds = 0;
        if (seed % 3 == 1) {
            objs[0] = (obj_t)rnd((uint32_t)n);
            avoid[objs[0]] = 1;
            no = 1;
        }
        if (seed % 5 == 2)
            kinds = EDGE_TYPE | EDGE_GLOBALS;
        struct m_filter mf = {kinds, avoid, NULL, 0, (long)t};
        struct path_filter pf = {kinds, objs, no, NULL, 0};

        struct enum_ctx c = {&m, &f.r, &mf, t, {0}, {0}, NULL, NULL, 0, 0};
        for (size_t s = 0; s < n; s++) {
            if (f.r.kind[s] == ROOT_NONE || (avoid[s] && s != t))
                continue;
            memset(c.on, 0, sizeof c.on);
            c.on[s] = 1;
            c.stack[0] = (obj_t)s;
            enum_from(&c, 1);
        }
        if (c.nout > 400) {
            for (size_t q = 0; q < c.nout; q++)
                free(c.out[q]);
            free(c.out);
            free(c.outlen);
            model_free(&m);
            tg_free(&f);
            continue;
        }
        obj_t **paths;
        size_t *lens;
        size_t got = paths_find_k(&f.h, &f.r, (obj_t)t, &pf, c.nout + 5, &paths, &lens);
        if (got != c.nout)
            print_error("seed %llu target %zu: %zu paths, brute force finds %zu\n", (unsigned long long)seed, t, got,
                        c.nout);
        assert_int_equal(got, c.nout);
        /* The same set. */
        for (size_t q = 0; q < got; q++) {
            m_check_path(&m, &f.r, &mf, paths[q], lens[q], t);
            size_t hits = 0;
            for (size_t b = 0; b < c.nout; b++)
                hits += c.outlen[b] == lens[q] && !memcmp(c.out[b], paths[q], lens[q] * sizeof **paths);
            assert_int_equal(hits, 1);
        }
        if (got) {
            /* The first is paths_find's length. */
            size_t len1;
            obj_t *p1 = paths_find(&f.h, &f.r, (obj_t)t, &pf, &len1);
            assert_non_null(p1);
            assert_int_equal(lens[0], len1);
            free(p1);
            /* All from anchors, or all from structural roots: lengths in order,
             * and the i-th is the i-th shortest. (Mixed: test_find_k_mixed_roots_order.) */
            int kinds_seen = 0;
            for (size_t q = 0; q < got; q++)
                kinds_seen |= f.r.kind[paths[q][0]] == ROOT_STRUCTURAL ? 2 : 1;
            if (kinds_seen != 3) {
                qsort(c.outlen, c.nout, sizeof *c.outlen, cmp_size);
                for (size_t q = 0; q < got; q++)
                    assert_int_equal(lens[q], c.outlen[q]);
                ordered++;
            }
            /* Any prefix k gives the same first k (Yen is incremental). */
            size_t k2 = 1 + got / 2;
            obj_t **pp;
            size_t *ll;
            size_t g2 = paths_find_k(&f.h, &f.r, (obj_t)t, &pf, k2, &pp, &ll);
            assert_int_equal(g2, k2);
            for (size_t q = 0; q < g2; q++) {
                assert_int_equal(ll[q], lens[q]);
                assert_memory_equal(pp[q], paths[q], ll[q] * sizeof **pp);
            }
            pt_free_k(pp, ll, g2);
        }
        if (got > max_paths)
            max_paths = got;
        compared++;
        pt_free_k(paths, lens, got);
        for (size_t q = 0; q < c.nout; q++)
            free(c.out[q]);
        free(c.out);
        free(c.outlen);
        model_free(&m);
        tg_free(&f);
    }
    assert_true(compared > 100);
    assert_true(ordered > 80);
    assert_true(max_paths > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anchor_preferred_over_closer_structural_root),
        cmocka_unit_test(test_diamond_and_self_loops),
        cmocka_unit_test(test_dangling_refs_ignored),
        cmocka_unit_test(test_edge_kinds),
        cmocka_unit_test(test_find_excluding_edge_kinds),
        cmocka_unit_test(test_duplicate_ref_of_another_kind_still_usable),
        cmocka_unit_test(test_find_avoiding_objects_and_edges),
        cmocka_unit_test(test_find_k_small_graph),
        cmocka_unit_test(test_find_k_mixed_roots_order),
        cmocka_unit_test(test_labels_python3),
        cmocka_unit_test(test_labels_collections_meliae),
        cmocka_unit_test(test_labels_python2),
        cmocka_unit_test(test_expression_roots),
        cmocka_unit_test(test_million_chain),
        cmocka_unit_test(test_compute_against_bfs),
        cmocka_unit_test(test_find_against_bfs),
        cmocka_unit_test(test_find_k_against_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
