/* test_heap.c: the object store built by hand: heap_add, heap_add_children,
 * heap_resolve, heap_compact, heap_build_parents and the accessors. */
#include "testutil.h"

#include "heap.h"

/* Add an object with its raw child addresses. */
static obj_t add(struct heap *h, uint64_t addr, const char *type, uint64_t size, const uint64_t *refs, size_t n)
{
    uint32_t t = types_intern(&h->types, type, strlen(type));
    obj_t i = heap_add(h, addr, t, size, 0, 0, 0);
    heap_add_children(h, refs, n);
    return i;
}
#define ADD(h, addr, type, size, ...)                                            \
    do {                                                                         \
        const uint64_t add_refs_[] = {__VA_ARGS__};                              \
        add((h), (addr), (type), (size), add_refs_ + 1, TU_N(add_refs_) - 1);    \
    } while (0)
/* ADD(h, addr, type, size, 0, refs...): the leading 0 keeps the list non-empty. */

static void finish(struct heap *h)
{
    heap_resolve(h);
    heap_compact(h, 0);
    heap_build_parents(h);
}

static void test_empty_heap(void **state)
{
    struct heap h;
    heap_init(&h);
    assert_int_equal(heap_find(&h, 0), OBJ_NONE);
    finish(&h);
    assert_int_equal(h.n, 0);
    assert_int_equal(h.n_edges, 0);
    assert_int_equal(h.n_parent_edges, 0);
    assert_int_equal(h.n_dangling, 0);
    assert_int_equal(heap_find(&h, 0), OBJ_NONE);
    assert_int_equal(heap_find(&h, 12345), OBJ_NONE);
    heap_free(&h);
}

static void test_add_and_accessors(void **state)
{
    struct heap h;
    heap_init(&h);
    uint32_t t_str = types_intern(&h.types, "str", 3);
    uint32_t t_mod = types_intern(&h.types, "module", 6);
    uint32_t s_abc = strpool_intern(&h.strings, "abc", 3);
    uint32_t s_os = strpool_intern(&h.strings, "os", 2);
    assert_int_equal(heap_add(&h, 11409312, t_str, 54, 3, s_abc, OF_VALUE | OF_HAS_LEN), 0);
    assert_int_equal(heap_add(&h, 140435321000000ULL, t_mod, 72, 99, s_os, OF_NAME), 1);
    const uint64_t r[] = {11409312};
    heap_add_children(&h, r, 1);
    assert_int_equal(heap_add(&h, 48, t_str, 0, 0, 0, 0), 2);
    finish(&h);

    assert_int_equal(h.n, 3);
    assert_int_equal(heap_size(&h, 0), 54);
    assert_int_equal(heap_len(&h, 0), 3);
    assert_int_equal(h.flags[0], OF_VALUE | OF_HAS_LEN);
    TU_STR(&h, 0, "abc");
    assert_string_equal(heap_type_name(&h, 0), "str");
    assert_string_equal(heap_type_name(&h, 1), "module");
    TU_STR(&h, 1, "os");
    assert_int_equal(heap_size(&h, 1), 72);
    /* Without OF_HAS_LEN, len reads 0 whatever was passed. */
    assert_int_equal(heap_len(&h, 1), 0);
    /* No string: NULL and length 0. */
    size_t len = 77;
    assert_null(heap_str(&h, 2, &len));
    assert_int_equal(len, 0);
    assert_null(heap_str(&h, 2, NULL));
    TU_CHILDREN(&h, 1, 11409312);
    assert_int_equal(heap_nchildren(&h, 0), 0);
    assert_int_equal(heap_nchildren(&h, 2), 0);
    TU_PARENTS(&h, 0, 140435321000000ULL);
    assert_int_equal(h.n_edges, 1);
    assert_true(heap_memory(&h) > 0);
    heap_free(&h);
}

/* 10000 objects at clustered, 16-byte aligned addresses (and address 0): the
 * index finds every one, and nothing else. */
static void test_index_finds_all(void **state)
{
    enum { N = 10000 };
    const uint64_t base = 0x7f3a2b000000ULL;
    struct heap h;
    heap_init(&h);
    ADD(&h, 0, "<ex-reference>", 0, 0);
    for (uint64_t k = 1; k < N; k++)
        ADD(&h, base + 16 * k, k % 3 ? "str" : "tuple", 50 + k, 0, base + 16 * (k - 1), 0);
    finish(&h);
    assert_int_equal(h.n, N);
    assert_int_equal(heap_find(&h, 0), 0);
    for (uint64_t k = 1; k < N; k++) {
        obj_t i = heap_find(&h, base + 16 * k);
        assert_int_equal(i, k);
        assert_int_equal(heap_size(&h, i), 50 + k);
        assert_string_equal(heap_type_name(&h, i), k % 3 ? "str" : "tuple");
        /* Children: the previous object, then address 0, both in the dump. */
        const uint32_t *c = heap_children(&h, i);
        assert_int_equal(heap_nchildren(&h, i), 2);
        assert_false(heap_is_dangling(c[1]));
        assert_int_equal(c[1], 0);
        assert_int_equal(heap_child_addr(&h, c[0]), base + 16 * (k - 1));
    }
    /* Addresses in between, past the end, and far away are not there. */
    for (uint64_t k = 0; k < N; k++)
        assert_int_equal(heap_find(&h, base + 16 * k + 8), OBJ_NONE);
    assert_int_equal(heap_find(&h, base + 16 * N), OBJ_NONE);
    assert_int_equal(heap_find(&h, UINT64_MAX), OBJ_NONE);
    assert_int_equal(heap_find(&h, 1), OBJ_NONE);
    /* The first object, base + 0, was never added: k == 1's first child dangles. */
    assert_int_equal(heap_find(&h, base), OBJ_NONE);
    assert_int_equal(h.n_dangling, 1);
    assert_int_equal(h.dangling[0], base);
    assert_int_equal(h.stats.dangling_refs, 1);
    /* Object 0 is everybody's child: N - 1 distinct parents, in object order. */
    assert_int_equal(heap_nparents(&h, 0), N - 1);
    const uint32_t *p = heap_parents(&h, 0);
    for (uint64_t k = 0; k + 1 < N; k++)
        assert_int_equal(p[k], k + 1);
    heap_free(&h);
}

static void test_duplicates_first_wins(void **state)
{
    struct heap h;
    heap_init(&h);
    ADD(&h, 100, "str", 50, 0, 300);          /* 0: the first 100 */
    ADD(&h, 200, "list", 72, 0, 100, 100);    /* 1 */
    ADD(&h, 100, "dict", 999, 0, 200);        /* 2: same address, another type */
    ADD(&h, 300, "int", 28, 0);               /* 3 */
    ADD(&h, 100, "str", 51, 0);               /* 4: same address, same type */
    ADD(&h, 300, "int", 28, 0, 100);          /* 5: a repeat of 300 */
    heap_resolve(&h);
    assert_int_equal(h.stats.duplicates, 3);
    assert_int_equal(h.stats.dup_type_mismatch, 1);
    assert_int_equal(heap_find(&h, 100), 0);
    assert_int_equal(heap_find(&h, 300), 3);
    assert_true(h.flags[2] & OF_DROP);
    assert_true(h.flags[4] & OF_DROP);
    assert_true(h.flags[5] & OF_DROP);
    assert_false(h.flags[0] & OF_DROP);
    heap_compact(&h, 0);
    heap_build_parents(&h);

    assert_int_equal(h.n, 3);
    assert_int_equal(h.addr[0], 100);
    assert_int_equal(h.addr[1], 200);
    assert_int_equal(h.addr[2], 300);
    obj_t a = tu_obj(&h, 100);
    assert_int_equal(a, 0);
    assert_string_equal(heap_type_name(&h, a), "str");
    assert_int_equal(heap_size(&h, a), 50);
    /* The first occurrence's children, not a later one's. */
    TU_CHILDREN(&h, a, 300);
    TU_CHILDREN(&h, tu_obj(&h, 200), 100, 100);
    assert_int_equal(heap_nchildren(&h, tu_obj(&h, 300)), 0);
    TU_PARENTS(&h, a, 200);
    TU_PARENTS(&h, tu_obj(&h, 300), 100);
    assert_int_equal(h.n_dangling, 0);
    assert_int_equal(h.stats.dangling_refs, 0);
    assert_int_equal(h.n_edges, 3);
    heap_free(&h);
}

static void test_dangling_refs(void **state)
{
    struct heap h;
    heap_init(&h);
    ADD(&h, 10, "list", 88, 0, 20, 777, 888, 777, 10);
    ADD(&h, 20, "tuple", 56, 0, 888, 999);
    finish(&h);
    assert_int_equal(h.n, 2);
    /* Each ref to a missing address is counted; each address kept once. */
    assert_int_equal(h.stats.dangling_refs, 5);
    assert_int_equal(h.n_dangling, 3);
    assert_int_equal(h.dangling[0], 777);
    assert_int_equal(h.dangling[1], 888);
    assert_int_equal(h.dangling[2], 999);

    obj_t l = tu_obj(&h, 10);
    const uint32_t *c = heap_children(&h, l);
    assert_int_equal(heap_nchildren(&h, l), 5);
    assert_false(heap_is_dangling(c[0]));
    assert_int_equal(c[0], tu_obj(&h, 20));
    assert_int_equal(c[1], HEAP_DANGLING | 0);
    assert_int_equal(c[2], HEAP_DANGLING | 1);
    assert_int_equal(c[3], HEAP_DANGLING | 0);
    assert_false(heap_is_dangling(c[4]));
    TU_CHILDREN(&h, l, 20, 777, 888, 777, 10);
    TU_CHILDREN(&h, tu_obj(&h, 20), 888, 999);
    /* Missing objects are nobody's parent or child in the parent lists. */
    TU_PARENTS(&h, l, 10);
    TU_PARENTS(&h, tu_obj(&h, 20), 10);
    assert_int_equal(h.n_parent_edges, 2);
    assert_int_equal(heap_find(&h, 777), OBJ_NONE);
    heap_free(&h);
}

static void test_many_dangling_addresses(void **state)
{
    /* 5000 distinct missing addresses, each referred to twice: the table of
     * missing addresses grows past its first 1024 slots and still dedupes. */
    enum { M = 5000 };
    struct heap h;
    heap_init(&h);
    uint64_t *refs = malloc(2 * M * sizeof *refs);
    assert_non_null(refs);
    for (size_t k = 0; k < M; k++) {
        refs[k] = 0x7f0000000000ULL + 32 * k;
        refs[M + k] = 0x7f0000000000ULL + 32 * (M - 1 - k);
    }
    add(&h, 1, "list", 8, refs, 2 * M);
    finish(&h);
    assert_int_equal(h.stats.dangling_refs, 2 * M);
    assert_int_equal(h.n_dangling, M);
    const uint32_t *c = heap_children(&h, 0);
    assert_int_equal(heap_nchildren(&h, 0), 2 * M);
    for (size_t k = 0; k < 2 * M; k++) {
        assert_true(heap_is_dangling(c[k]));
        assert_int_equal(heap_child_addr(&h, c[k]), refs[k]);
    }
    /* The same address, the same entry. */
    for (size_t k = 0; k < M; k++)
        assert_int_equal(c[k], c[2 * M - 1 - k]);
    free(refs);
    heap_free(&h);
}

static void test_parents_dedup_and_order(void **state)
{
    struct heap h;
    heap_init(&h);
    ADD(&h, 100, "module", 1, 0, 200);             /* 0 */
    ADD(&h, 200, "str", 2, 0);                     /* 1 */
    ADD(&h, 300, "list", 3, 0, 200, 400);          /* 2 */
    ADD(&h, 400, "tuple", 4, 0, 200, 200, 200);    /* 3 */
    ADD(&h, 500, "dict", 5, 0, 400, 200, 300, 400);/* 4 */
    finish(&h);
    /* Deduplicated, ascending object order whatever the order of the refs. */
    TU_PARENTS(&h, tu_obj(&h, 200), 100, 300, 400, 500);
    TU_PARENTS(&h, tu_obj(&h, 400), 300, 500);
    TU_PARENTS(&h, tu_obj(&h, 300), 500);
    assert_int_equal(heap_nparents(&h, tu_obj(&h, 100)), 0);
    assert_int_equal(heap_nparents(&h, tu_obj(&h, 500)), 0);
    assert_int_equal(h.n_parent_edges, 7);
    /* Children keep every duplicate, in dump order. */
    TU_CHILDREN(&h, tu_obj(&h, 400), 200, 200, 200);
    TU_CHILDREN(&h, tu_obj(&h, 500), 400, 200, 300, 400);
    assert_int_equal(h.n_edges, 10);
    /* Building again gives the same lists. */
    heap_build_parents(&h);
    TU_PARENTS(&h, tu_obj(&h, 200), 100, 300, 400, 500);
    assert_int_equal(h.n_parent_edges, 7);
    heap_free(&h);
}

static void test_self_references(void **state)
{
    struct heap h;
    heap_init(&h);
    ADD(&h, 10, "list", 64, 0, 10, 10, 20, 10);
    ADD(&h, 20, "dict", 64, 0, 20);
    finish(&h);
    TU_CHILDREN(&h, tu_obj(&h, 10), 10, 10, 20, 10);
    TU_CHILDREN(&h, tu_obj(&h, 20), 20);
    TU_PARENTS(&h, tu_obj(&h, 10), 10);
    TU_PARENTS(&h, tu_obj(&h, 20), 10, 20);
    assert_int_equal(h.n_dangling, 0);
    heap_free(&h);
}

static void test_big_sizes_and_lens(void **state)
{
    struct heap h;
    heap_init(&h);
    uint32_t t = types_intern(&h.types, "bytes", 5);
    const uint64_t sizes[] = {0, 1, 0xfffffffeULL, 0xffffffffULL, 0x100000000ULL, 5000000000ULL,
                              9007199254740991ULL, UINT64_MAX};
    for (size_t k = 0; k < TU_N(sizes); k++)
        heap_add(&h, 1000 + 16 * k, t, sizes[k], sizes[TU_N(sizes) - 1 - k], 0, OF_HAS_LEN);
    finish(&h);
    for (size_t k = 0; k < TU_N(sizes); k++) {
        assert_int_equal(heap_size(&h, (obj_t)k), sizes[k]);
        assert_int_equal(heap_len(&h, (obj_t)k), sizes[TU_N(sizes) - 1 - k]);
    }
    /* Set after the fact: big, small again, big again. */
    heap_set_size(&h, 1, 1ULL << 40);
    assert_int_equal(heap_size(&h, 1), 1ULL << 40);
    heap_set_size(&h, 1, 12);
    assert_int_equal(heap_size(&h, 1), 12);
    heap_set_size(&h, 1, (1ULL << 40) + 3);
    assert_int_equal(heap_size(&h, 1), (1ULL << 40) + 3);
    heap_set_len(&h, 1, 4294967296ULL);
    assert_int_equal(heap_len(&h, 1), 4294967296ULL);
    /* Size and len of one object are kept apart. */
    heap_set_size(&h, 2, 7000000000ULL);
    heap_set_len(&h, 2, 8000000000ULL);
    assert_int_equal(heap_size(&h, 2), 7000000000ULL);
    assert_int_equal(heap_len(&h, 2), 8000000000ULL);
    heap_free(&h);
}

static void test_big_sizes_survive_compaction(void **state)
{
    struct heap h;
    heap_init(&h);
    uint32_t t = types_intern(&h.types, "bytes", 5);
    heap_add(&h, 1, t, 6000000000ULL, 0, 0, 0);                    /* 0 */
    heap_add(&h, 1, t, 7000000000ULL, 0, 0, 0);                    /* 1: a duplicate, dropped */
    heap_add(&h, 2, t, 8000000000ULL, 9000000000ULL, 0, OF_HAS_LEN); /* 2 -> 1 */
    heap_add(&h, 3, t, 10, 5000000000ULL, 0, OF_HAS_LEN);          /* 3 -> 2 */
    finish(&h);
    assert_int_equal(h.n, 3);
    assert_int_equal(heap_size(&h, tu_obj(&h, 1)), 6000000000ULL);
    assert_int_equal(heap_len(&h, tu_obj(&h, 1)), 0);
    assert_int_equal(heap_size(&h, tu_obj(&h, 2)), 8000000000ULL);
    assert_int_equal(heap_len(&h, tu_obj(&h, 2)), 9000000000ULL);
    assert_int_equal(heap_size(&h, tu_obj(&h, 3)), 10);
    assert_int_equal(heap_len(&h, tu_obj(&h, 3)), 5000000000ULL);
    heap_free(&h);
}

static void test_compact_dropped_without_link_dangles(void **state)
{
    /* A dropped object with no link: refs to it become dangling, with its address. */
    struct heap h;
    heap_init(&h);
    ADD(&h, 10, "list", 1, 0, 20, 30);
    ADD(&h, 20, "str", 2, 0);
    ADD(&h, 30, "str", 3, 0, 20);
    heap_resolve(&h);
    assert_int_equal(h.stats.dangling_refs, 0);
    h.flags[1] |= OF_DROP;
    heap_compact(&h, 0);
    heap_build_parents(&h);
    assert_int_equal(h.n, 2);
    assert_int_equal(heap_find(&h, 20), OBJ_NONE);
    obj_t l = tu_obj(&h, 10);
    assert_int_equal(l, 0);
    const uint32_t *c = heap_children(&h, l);
    assert_true(heap_is_dangling(c[0]));
    TU_CHILDREN(&h, l, 20, 30);
    TU_CHILDREN(&h, tu_obj(&h, 30), 20);
    assert_int_equal(tu_obj(&h, 30), 1);
    assert_int_equal(h.stats.dangling_refs, 2);
    TU_PARENTS(&h, tu_obj(&h, 30), 10);
    assert_int_equal(heap_nparents(&h, l), 0);
    heap_free(&h);
}

static void test_child_offsets_consistent(void **state)
{
    /* Objects with and without children, mixed: every list lands where it belongs. */
    struct heap h;
    heap_init(&h);
    for (uint64_t k = 0; k < 300; k++) {
        uint64_t refs[8];
        size_t n = k % 5;
        for (size_t j = 0; j < n; j++)
            refs[j] = 1000 + ((k + j) % 300) * 8;
        add(&h, 1000 + k * 8, "tuple", 40 + 8 * n, refs, n);
    }
    finish(&h);
    size_t total = 0;
    for (uint64_t k = 0; k < 300; k++) {
        obj_t i = tu_obj(&h, 1000 + k * 8);
        assert_int_equal(i, k);
        size_t n = k % 5;
        assert_int_equal(heap_nchildren(&h, i), n);
        total += n;
        for (size_t j = 0; j < n; j++)
            assert_int_equal(heap_child_addr(&h, heap_children(&h, i)[j]), 1000 + ((k + j) % 300) * 8);
    }
    assert_int_equal(h.n_edges, total);
    assert_int_equal(h.child_off[h.n], total);
    heap_free(&h);
}

static void test_detect_flavour(void **state)
{
    struct heap h;
    heap_init(&h);
    ADD(&h, 1, "str", 1, 0);
    ADD(&h, 2, "dict", 1, 0);
    finish(&h);
    heap_detect_flavour(&h);
    assert_int_equal(h.flavour, FLAVOUR_UNKNOWN);
    heap_free(&h);

    heap_init(&h);
    ADD(&h, 1, "str", 1, 0);
    ADD(&h, 2, "bytes", 1, 0);
    finish(&h);
    heap_detect_flavour(&h);
    assert_int_equal(h.flavour, FLAVOUR_PY3);
    heap_free(&h);

    heap_init(&h);
    ADD(&h, 1, "unicode", 1, 0);
    ADD(&h, 2, "str", 1, 0);
    finish(&h);
    heap_detect_flavour(&h);
    assert_int_equal(h.flavour, FLAVOUR_PY2);
    heap_free(&h);

    heap_init(&h);
    ADD(&h, 1, "classobj", 1, 0);
    finish(&h);
    heap_detect_flavour(&h);
    assert_int_equal(h.flavour, FLAVOUR_PY2);
    heap_free(&h);
}

/* Regression, was a bug: heap_add_children(h, addrs, 0) before the reference table exists
 * calls memcpy(NULL + 0, addrs, 0) (heap.c, heap_add_children): undefined
 * behaviour that UBSan reports as "null pointer passed as argument 1, which
 * is declared to never be null". load.c does it for every dump whose first
 * object has "refs": [] (and passes pt->refs + 0 == NULL as the source, the
 * "argument 2" report, when a part has no refs at all before that line).
 * The heap comes out right, so this test passes in a plain build; under
 * `make test`'s -fno-sanitize-recover=undefined it aborts the binary. */
static void test_first_object_without_children(void **state)
{
    struct heap h;
    heap_init(&h);
    const uint64_t none[1] = {0}, refs[] = {10};
    uint32_t t = types_intern(&h.types, "tuple", 5);
    heap_add(&h, 10, t, 40, 0, 0, 0);
    heap_add_children(&h, none, 0);
    heap_add(&h, 20, t, 48, 0, 0, 0);
    heap_add_children(&h, refs, 1);
    finish(&h);
    assert_int_equal(h.n, 2);
    assert_int_equal(heap_nchildren(&h, 0), 0);
    TU_CHILDREN(&h, 1, 10);
    TU_PARENTS(&h, 0, 20);
    heap_free(&h);
}

/* Refs are kept as 5 bytes while loading (the low word, and the number of the
 * high word among those met); past 255 distinct high words they are widened
 * to whole addresses. Both ways and the switch must resolve the same. */
static void test_refs_with_many_high_words(void **state)
{
    enum { N = 300 };
    struct heap h;
    heap_init(&h);
    uint32_t t = types_intern(&h.types, "list", 4);
    for (uint64_t k = 0; k < N; k++) {
        heap_add(&h, k << 32 | 16, t, 56, 0, 0, 0);
        const uint64_t r[] = {((k + 1) % N) << 32 | 16, (k + 5000) << 32 | 8, k << 32 | 16};
        assert_int_equal(heap_add_children(&h, r, 3), 0);
    }
    finish(&h);
    assert_int_equal(h.n, N);
    assert_int_equal(h.n_edges, 3 * N);
    assert_int_equal(h.n_dangling, N);
    for (obj_t k = 0; k < N; k++) {
        assert_int_equal(heap_nchildren(&h, k), 3);
        const uint32_t *c = h.children + h.child_off[k];
        assert_int_equal(c[0], (k + 1) % N);
        assert_true(heap_is_dangling(c[1]));
        assert_true(heap_child_addr(&h, c[1]) == (((uint64_t)k + 5000) << 32 | 8));
        assert_int_equal(c[2], k);
    }
    heap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_heap),
        cmocka_unit_test(test_add_and_accessors),
        cmocka_unit_test(test_index_finds_all),
        cmocka_unit_test(test_duplicates_first_wins),
        cmocka_unit_test(test_dangling_refs),
        cmocka_unit_test(test_many_dangling_addresses),
        cmocka_unit_test(test_parents_dedup_and_order),
        cmocka_unit_test(test_self_references),
        cmocka_unit_test(test_big_sizes_and_lens),
        cmocka_unit_test(test_big_sizes_survive_compaction),
        cmocka_unit_test(test_compact_dropped_without_link_dangles),
        cmocka_unit_test(test_child_offsets_consistent),
        cmocka_unit_test(test_detect_flavour),
        cmocka_unit_test(test_first_object_without_children),
        cmocka_unit_test(test_refs_with_many_high_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
