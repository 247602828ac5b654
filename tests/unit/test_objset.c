/* test_objset.c: sets of objects as a whole: the histogram, the holders by
 * type and by object, the retained size of a set (checked against the
 * dominator tree for single objects, and against a slow model that removes
 * the set and searches again, for random sets of a real dump), and the
 * shortest path between two sets (against a brute-force search from each
 * source). */
#include "testutil.h"

#include "dominators.h"
#include "objset.h"
#include "roots.h"

/*   1 module -> 2 list -> 3 str, 4 str;  5 dict -> 3, 6;  6 str;  7 list -> 2 */
static const char *const DUMP =
    "{\"address\": 1, \"type\": \"module\", \"size\": 56, \"name\": \"m\", \"refs\": [2, 5]}\n"
    "{\"address\": 2, \"type\": \"list\", \"size\": 80, \"len\": 2, \"refs\": [3, 4]}\n"
    "{\"address\": 3, \"type\": \"str\", \"size\": 50, \"refs\": []}\n"
    "{\"address\": 4, \"type\": \"str\", \"size\": 60, \"refs\": []}\n"
    "{\"address\": 5, \"type\": \"dict\", \"size\": 200, \"refs\": [3, 6]}\n"
    "{\"address\": 6, \"type\": \"str\", \"size\": 70, \"refs\": []}\n"
    "{\"address\": 7, \"type\": \"list\", \"size\": 64, \"len\": 1, \"refs\": [2]}\n";

static obj_t *objs(const struct heap *h, const uint64_t *addrs, size_t n)
{
    obj_t *o = malloc(n * sizeof *o);
    for (size_t k = 0; k < n; k++)
        o[k] = tu_obj(h, addrs[k]);
    return o;
}

static void test_histogram(void **state)
{
    struct heap h;
    tu_load(DUMP, 0, &h);
    static const uint64_t a[] = {2, 3, 4, 6, 7};
    obj_t *set = objs(&h, a, TU_N(a));
    size_t n;
    struct objset_type *rows = objset_histogram(&h, set, TU_N(a), &n);
    assert_int_equal(n, 2);
    assert_string_equal(types_name(&h.types, rows[0].type), "str");
    assert_int_equal(rows[0].count, 3);
    assert_int_equal(rows[0].bytes, 180);
    assert_string_equal(types_name(&h.types, rows[1].type), "list");
    assert_int_equal(rows[1].count, 2);
    assert_int_equal(rows[1].bytes, 144);
    free(rows);
    rows = objset_histogram(&h, set, 0, &n);
    assert_int_equal(n, 0);
    free(rows);
    free(set);
    heap_free(&h);
}

static void test_holders(void **state)
{
    struct heap h;
    tu_load(DUMP, 0, &h);
    /* {3, 4, 6}: 3 is held by 2 and 5, 4 by 2, 6 by 5 */
    static const uint64_t a[] = {3, 4, 6};
    obj_t *set = objs(&h, a, TU_N(a));
    struct objset_holders hs;
    objset_holders(&h, set, TU_N(a), &hs);
    assert_int_equal(hs.n_objects, 2);
    assert_int_equal(hs.n_types, 2);
    /* 2 (list) holds 3, 4: 110 bytes; 5 (dict) holds 3, 6: 120 bytes */
    assert_int_equal(h.addr[hs.by_object[0].holder], 5);
    assert_int_equal(hs.by_object[0].members, 2);
    assert_int_equal(hs.by_object[0].bytes, 120);
    assert_int_equal(h.addr[hs.by_object[1].holder], 2);
    assert_int_equal(hs.by_object[1].bytes, 110);
    assert_string_equal(types_name(&h.types, hs.by_type[0].type), "dict");
    assert_int_equal(hs.by_type[0].holders, 1);
    assert_int_equal(hs.by_type[0].members, 2);
    assert_int_equal(hs.held_inside, 0);
    objset_holders_free(&hs);
    free(set);

    /* {2, 3, 4, 7}: holders from outside are 1 (2) and 5 (3); 4 only inside; 7 none */
    static const uint64_t b[] = {2, 3, 4, 7};
    set = objs(&h, b, TU_N(b));
    objset_holders(&h, set, TU_N(b), &hs);
    assert_int_equal(hs.n_objects, 2);
    assert_int_equal(hs.held_inside, 1);
    assert_int_equal(hs.no_parent, 1);
    objset_holders_free(&hs);
    free(set);
    heap_free(&h);
}

static void test_retained_hand(void **state)
{
    struct heap h;
    tu_load(DUMP, 0, &h);
    struct roots r;
    roots_compute(&h, NULL, 0, &r);
    struct objset_retained ret;
    /* 2 alone: itself and 4 (3 is held by 5 too) */
    static const uint64_t a[] = {2};
    obj_t *set = objs(&h, a, 1);
    objset_retained(&h, &r, set, 1, &ret, NULL);
    assert_int_equal(ret.objects, 2);
    assert_int_equal(ret.bytes, 140);
    free(set);
    /* {2, 5}: together they free 3 and 6 as well */
    static const uint64_t b[] = {2, 5};
    set = objs(&h, b, 2);
    uint8_t *freed = calloc(h.n, 1);
    objset_retained(&h, &r, set, 2, &ret, freed);
    assert_int_equal(ret.objects, 5);
    assert_int_equal(ret.bytes, 80 + 50 + 60 + 200 + 70);
    assert_false(freed[tu_obj(&h, 1)]);
    assert_true(freed[tu_obj(&h, 6)]);
    free(freed);
    free(set);
    roots_free(&r);
    heap_free(&h);
}

/* The slow model: remove the set, search from the roots, count what is left out. */
static uint64_t model_retained(const struct heap *h, const struct roots *r, const uint8_t *in)
{
    uint8_t *seen = calloc(h->n, 1);
    obj_t *stack = malloc(h->n * sizeof *stack);
    size_t top = 0;
    for (size_t k = 0; k < r->n; k++)
        if (!in[r->list[k]] && !seen[r->list[k]]) {
            seen[r->list[k]] = 1;
            stack[top++] = r->list[k];
        }
    while (top) {
        obj_t v = stack[--top];
        for (size_t k = 0; k < heap_nchildren(h, v); k++) {
            uint32_t c = heap_children(h, v)[k];
            if (!heap_is_dangling(c) && !in[c] && !seen[c]) {
                seen[c] = 1;
                stack[top++] = c;
            }
        }
    }
    uint64_t bytes = 0;
    for (size_t i = 0; i < h->n; i++)
        if (!seen[i])
            bytes += heap_size(h, (obj_t)i);
    free(stack);
    free(seen);
    return bytes;
}

static void load_file(const char *path, struct heap *h)
{
    struct load_options opt;
    struct load_report rep;
    struct hw_error err = {{0}};
    load_options_default(&opt);
    heap_init(h);
    if (load_dump(path, &opt, h, &rep, &err) != 0)
        fail_msg("%s", err.msg);
}

static void test_retained_real_dump(void **state)
{
    struct heap h;
    load_file("tests/data/small-py310.json.gz", &h);
    struct roots r;
    struct dominators d;
    roots_compute(&h, NULL, 0, &r);
    dominators_compute(&h, &r, &d);
    srand(17);
    /* one object: the set's retained size is the dominator tree's */
    for (int t = 0; t < 40; t++) {
        obj_t o = (obj_t)((size_t)rand() % h.n);
        struct objset_retained ret;
        objset_retained(&h, &r, &o, 1, &ret, NULL);
        if (ret.bytes != d.retained[o])
            print_error("object %llu: set %llu, dominators %llu\n", (unsigned long long)h.addr[o],
                        (unsigned long long)ret.bytes, (unsigned long long)d.retained[o]);
        assert_int_equal(ret.bytes, d.retained[o]);
    }
    /* random sets of many objects: the model */
    uint8_t *in = calloc(h.n, 1);
    obj_t *set = malloc(h.n * sizeof *set);
    for (int t = 0; t < 8; t++) {
        memset(in, 0, h.n);
        size_t n = 0, want = 1 + (size_t)rand() % 500;
        while (n < want) {
            obj_t o = (obj_t)((size_t)rand() % h.n);
            if (!in[o]) {
                in[o] = 1;
                set[n++] = o;
            }
        }
        struct objset_retained ret;
        objset_retained(&h, &r, set, n, &ret, NULL);
        assert_int_equal(ret.bytes, model_retained(&h, &r, in));
    }
    free(set);
    free(in);
    dominators_free(&d);
    roots_free(&r);
    heap_free(&h);
}

/* Brute force: the shortest distance from one source to any target. */
static size_t model_distance(const struct heap *h, obj_t s, const uint8_t *target, int reverse)
{
    uint32_t *dist = malloc(h->n * sizeof *dist);
    obj_t *queue = malloc(h->n * sizeof *queue);
    for (size_t i = 0; i < h->n; i++)
        dist[i] = UINT32_MAX;
    size_t head = 0, tail = 0, best = SIZE_MAX;
    dist[s] = 0;
    queue[tail++] = s;
    while (head < tail) {
        obj_t v = queue[head++];
        if (target[v]) {
            best = dist[v];
            break;
        }
        const uint32_t *e = reverse ? heap_parents(h, v) : heap_children(h, v);
        size_t ne = reverse ? heap_nparents(h, v) : heap_nchildren(h, v);
        for (size_t k = 0; k < ne; k++)
            if (!heap_is_dangling(e[k]) && dist[e[k]] == UINT32_MAX) {
                dist[e[k]] = dist[v] + 1;
                queue[tail++] = e[k];
            }
    }
    free(queue);
    free(dist);
    return best;
}

static int is_edge(const struct heap *h, obj_t p, obj_t c)
{
    for (size_t k = 0; k < heap_nchildren(h, p); k++)
        if (heap_children(h, p)[k] == c)
            return 1;
    return 0;
}

static void test_path_between_sets(void **state)
{
    struct heap h;
    load_file("tests/data/small-py310.json.gz", &h);
    srand(23);
    uint8_t *in_to = calloc(h.n, 1);
    obj_t from[20], to[20];
    for (int t = 0; t < 30; t++) {
        int reverse = t & 1;
        memset(in_to, 0, h.n);
        size_t nf = 1 + (size_t)rand() % 20, nt = 1 + (size_t)rand() % 20;
        for (size_t k = 0; k < nf; k++)
            from[k] = (obj_t)((size_t)rand() % h.n);
        for (size_t k = 0; k < nt; k++) {
            to[k] = (obj_t)((size_t)rand() % h.n);
            in_to[to[k]] = 1;
        }
        size_t best = SIZE_MAX;
        for (size_t k = 0; k < nf; k++) {
            size_t dk = model_distance(&h, from[k], in_to, reverse);
            best = dk < best ? dk : best;
        }
        size_t len = 0;
        obj_t *path = objset_path(&h, from, nf, to, nt, reverse, &len);
        if (best == SIZE_MAX) {
            assert_null(path);
            continue;
        }
        assert_non_null(path);
        assert_int_equal(len - 1, best);
        int starts = 0;
        for (size_t k = 0; k < nf; k++)
            starts |= path[0] == from[k];
        assert_true(starts);
        assert_true(in_to[path[len - 1]]);
        for (size_t k = 0; k + 1 < len; k++)
            assert_true(reverse ? is_edge(&h, path[k + 1], path[k]) : is_edge(&h, path[k], path[k + 1]));
        free(path);
    }
    free(in_to);
    heap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_histogram),
        cmocka_unit_test(test_holders),
        cmocka_unit_test(test_retained_hand),
        cmocka_unit_test(test_retained_real_dump),
        cmocka_unit_test(test_path_between_sets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
