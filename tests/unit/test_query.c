/* test_query.c: the explorer's queries: the type index, get_all order,
 * sorting by a column (stable, reversible, long common text prefixes),
 * smart-case matching and previews. */
#include "testutil.h"

#include "query.h"

/* Nodes whose (size, refs, parents) exercise every get_all tie-break.
 * Parents come from the holder lists 90..92. */
static const char *const GETALL_DUMP =
    "{\"address\": 10, \"type\": \"Node\", \"size\": 32, \"refs\": []}\n"
    "{\"address\": 11, \"type\": \"Node\", \"size\": 64, \"refs\": []}\n"
    "{\"address\": 12, \"type\": \"Node\", \"size\": 32, \"refs\": [10]}\n"
    "{\"address\": 13, \"type\": \"Node\", \"size\": 32, \"refs\": [10]}\n"
    "{\"address\": 14, \"type\": \"Node\", \"size\": 32, \"refs\": []}\n"
    "{\"address\": 15, \"type\": \"Node\", \"size\": 32, \"refs\": [10]}\n"
    "{\"address\": 20, \"type\": \"str\", \"size\": 54, \"len\": 5, \"value\": \"Hello\", \"refs\": []}\n"
    "{\"address\": 21, \"type\": \"str\", \"size\": 54, \"len\": 5, \"value\": \"world\", \"refs\": []}\n"
    "{\"address\": 22, \"type\": \"int\", \"size\": 28, \"value\": 42, \"refs\": []}\n"
    "{\"address\": 23, \"type\": \"bool\", \"size\": 28, \"value\": \"True\", \"refs\": []}\n"
    "{\"address\": 24, \"type\": \"NoneType\", \"size\": 16, \"refs\": []}\n"
    "{\"address\": 25, \"type\": \"module\", \"size\": 72, \"name\": \"os.path\", \"refs\": []}\n"
    "{\"address\": 26, \"type\": \"str\", \"size\": 49, \"len\": 0, \"value\": \"\", \"refs\": []}\n"
    "{\"address\": 90, \"type\": \"list\", \"size\": 88, \"len\": 3, \"refs\": [13, 15, 999]}\n"
    "{\"address\": 91, \"type\": \"list\", \"size\": 80, \"len\": 2, \"refs\": [13, 14]}\n"
    "{\"address\": 92, \"type\": \"list\", \"size\": 72, \"len\": 1, \"refs\": [13]}\n";

static uint32_t type_id(const struct heap *h, const char *name)
{
    uint32_t t = types_lookup(&h->types, name);
    assert_int_not_equal(t, UINT32_MAX);
    return t;
}

/* objs (object numbers) must have exactly the addresses want[0..n). */
static void check_addrs(const struct heap *h, const obj_t *objs, size_t n, const uint64_t *want, size_t nwant)
{
    assert_int_equal(n, nwant);
    for (size_t k = 0; k < n; k++) {
        if (h->addr[objs[k]] != want[k])
            print_error("row %zu: got %llu, want %llu\n", k, (unsigned long long)h->addr[objs[k]],
                        (unsigned long long)want[k]);
        assert_int_equal(h->addr[objs[k]], want[k]);
    }
}
#define CHECK_ADDRS(h, objs, n, ...)                                    \
    do {                                                                \
        const uint64_t want_[] = {__VA_ARGS__};                         \
        check_addrs((h), (objs), (n), want_, TU_N(want_));              \
    } while (0)

static void test_index_groups_by_type_in_dump_order(void **state)
{
    struct heap h;
    struct query_index qi;
    tu_load(GETALL_DUMP, 1, &h);
    query_index_build(&h, &qi);
    size_t n;
    const obj_t *nodes = query_index_objects(&qi, type_id(&h, "Node"), &n);
    CHECK_ADDRS(&h, nodes, n, 10, 11, 12, 13, 14, 15);
    const obj_t *strs = query_index_objects(&qi, type_id(&h, "str"), &n);
    CHECK_ADDRS(&h, strs, n, 20, 21, 26);
    query_index_objects(&qi, 12345, &n);
    assert_int_equal(n, 0);
    size_t total = 0;
    for (uint32_t t = 0; t < qi.ntypes; t++) {
        query_index_objects(&qi, t, &n);
        total += n;
    }
    assert_int_equal(total, h.n);
    query_index_free(&qi);
    heap_free(&h);
}

static void test_instances_in_getall_order(void **state)
{
    struct heap h;
    struct query_index qi;
    tu_load(GETALL_DUMP, 1, &h);
    query_index_build(&h, &qi);
    size_t n;
    obj_t *objs = query_instances(&h, &qi, type_id(&h, "Node"), &n);
    /* Parents: 10 <- 12, 13, 15; 13 <- 90, 91, 92; 14 <- 91; 15 <- 90.
     * 11 is the biggest; then one ref: 13 (3 parents), 15 (1), 12 (0);
     * then no refs: 10 (3 parents), 14 (1). */
    CHECK_ADDRS(&h, objs, n, 11, 13, 15, 12, 10, 14);
    free(objs);
    query_index_free(&qi);
    heap_free(&h);
}

static void test_sort_columns_stable_and_reversible(void **state)
{
    struct heap h;
    struct query_index qi;
    tu_load(GETALL_DUMP, 1, &h);
    query_index_build(&h, &qi);
    size_t n;
    obj_t *base = query_instances(&h, &qi, type_id(&h, "Node"), &n);
    obj_t objs[6];
    assert_int_equal(n, 6);

    memcpy(objs, base, sizeof objs);
    query_sort(&h, &qi, objs, n, QUERY_ADDRESS, 0);
    CHECK_ADDRS(&h, objs, n, 10, 11, 12, 13, 14, 15);
    query_sort(&h, &qi, objs, n, QUERY_ADDRESS, 1);
    CHECK_ADDRS(&h, objs, n, 15, 14, 13, 12, 11, 10);

    /* Ties keep the get_all order they came in, in both directions. */
    memcpy(objs, base, sizeof objs);
    query_sort(&h, &qi, objs, n, QUERY_PARENTS, 0);
    CHECK_ADDRS(&h, objs, n, 13, 10, 15, 14, 11, 12);
    memcpy(objs, base, sizeof objs);
    query_sort(&h, &qi, objs, n, QUERY_PARENTS, 1);
    CHECK_ADDRS(&h, objs, n, 11, 12, 15, 14, 13, 10);

    memcpy(objs, base, sizeof objs);
    query_sort(&h, &qi, objs, n, QUERY_REFS, 0);
    CHECK_ADDRS(&h, objs, n, 13, 15, 12, 11, 10, 14);

    memcpy(objs, base, sizeof objs);
    query_sort(&h, &qi, objs, n, QUERY_SIZE, 1);
    CHECK_ADDRS(&h, objs, n, 13, 15, 12, 10, 14, 11);

    /* Reverse get_all is the exact reverse when nothing ties. */
    const obj_t *holders = query_index_objects(&qi, type_id(&h, "list"), &n);
    obj_t lists[3];
    memcpy(lists, holders, sizeof lists);
    query_sort(&h, &qi, lists, n, QUERY_GETALL, 1);
    CHECK_ADDRS(&h, lists, n, 92, 91, 90);
    query_sort(&h, &qi, lists, n, QUERY_LEN, 0);
    CHECK_ADDRS(&h, lists, n, 90, 91, 92);

    query_sort(&h, &qi, objs, 0, QUERY_SIZE, 0);
    free(base);
    query_index_free(&qi);
    heap_free(&h);
}

static void test_sort_by_value(void **state)
{
    struct heap h;
    struct query_index qi;
    tu_load(GETALL_DUMP, 1, &h);
    query_index_build(&h, &qi);
    obj_t objs[] = {tu_obj(&h, 21), tu_obj(&h, 25), tu_obj(&h, 10), tu_obj(&h, 20), tu_obj(&h, 26),
                    tu_obj(&h, 22), tu_obj(&h, 14)};
    size_t n = TU_N(objs);
    /* No text first (in their order), then the empty string, then bytes. */
    query_sort(&h, &qi, objs, n, QUERY_VALUE, 0);
    CHECK_ADDRS(&h, objs, n, 10, 14, 26, 22, 20, 25, 21);
    query_sort(&h, &qi, objs, n, QUERY_VALUE, 1);
    CHECK_ADDRS(&h, objs, n, 21, 25, 20, 22, 26, 10, 14);
    query_index_free(&qi);
    heap_free(&h);
}

/* Strings sharing long prefixes, in a scrambled order: the runs of equal
 * 8-byte prefixes are long enough to take the radix path at several depths. */
static size_t long_prefix_line(size_t k, char *buf, size_t cap)
{
    size_t j = (k * 7919) % 600;
    int n;
    if (j % 10 == 9) /* the same 16 bytes, then nothing or a few more: prefixes first */
        n = snprintf(buf, cap, "{\"address\": %zu, \"type\": \"str\", \"size\": 60, \"value\": "
                               "\"abcdefghijklmnop%.*s\", \"refs\": []}", 1000 + k, (int)(j % 7), "qrstuvw");
    else if (j % 3 == 0)
        n = snprintf(buf, cap, "{\"address\": %zu, \"type\": \"str\", \"size\": 60, \"value\": "
                               "\"GET /api/items/%zu?user=user%zu\", \"refs\": []}", 1000 + k, j % 97, j);
    else if (j % 3 == 1)
        n = snprintf(buf, cap, "{\"address\": %zu, \"type\": \"str\", \"size\": 60, \"value\": "
                               "\"node-%07zu\", \"refs\": []}", 1000 + k, j % 50);
    else
        n = snprintf(buf, cap, "{\"address\": %zu, \"type\": \"str\", \"size\": 60, \"value\": "
                               "\"node-%07zu-tail-%zu\", \"refs\": []}", 1000 + k, j % 50, j);
    return (size_t)n;
}

static int text_order(const struct heap *h, obj_t a, obj_t b)
{
    size_t la, lb;
    const char *sa = heap_str(h, a, &la), *sb = heap_str(h, b, &lb);
    int c = memcmp(sa, sb, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

static void test_sort_by_value_long_prefixes(void **state)
{
    size_t len;
    char *text = tu_make_dump(600, long_prefix_line, &len);
    struct heap h;
    struct query_index qi;
    tu_load(text, 1, &h);
    free(text);
    query_index_build(&h, &qi);
    /* Every string has a rank, in byte order, and no two share one. */
    for (uint32_t a = 1; a < qi.nstrings; a++)
        for (uint32_t b = a + 1; b < qi.nstrings; b++) {
            size_t la, lb;
            const char *sa = strpool_get(&h.strings, a, &la), *sb = strpool_get(&h.strings, b, &lb);
            int c = memcmp(sa, sb, la < lb ? la : lb);
            c = c ? c : (la > lb) - (la < lb);
            assert_true(c != 0);
            assert_true((c < 0) == (qi.str_rank[a] < qi.str_rank[b]));
        }
    obj_t *objs = malloc(h.n * sizeof *objs);
    for (size_t i = 0; i < h.n; i++)
        objs[i] = (obj_t)i;
    query_sort(&h, &qi, objs, h.n, QUERY_VALUE, 0);
    for (size_t i = 1; i < h.n; i++) {
        int c = text_order(&h, objs[i - 1], objs[i]);
        assert_true(c <= 0);
        if (c == 0) /* equal texts stay in their input (dump) order */
            assert_true(objs[i - 1] < objs[i]);
    }
    query_sort(&h, &qi, objs, h.n, QUERY_VALUE, 1);
    for (size_t i = 1; i < h.n; i++) {
        int c = text_order(&h, objs[i - 1], objs[i]);
        assert_true(c >= 0);
    }
    free(objs);
    query_index_free(&qi);
    heap_free(&h);
}

/* Sizes that differ from bit 0 to bit 52 over 5000 rows: a key and a row
 * number no longer fit one word, so the sort moves (key, object) pairs. */
static size_t wide_size_line(size_t k, char *buf, size_t cap)
{
    unsigned long long size = (k % 5 == 0) ? (1ULL << 52) + (k % 3) : (k * 2654435761ULL) % 1000 + 1;
    return (size_t)snprintf(buf, cap, "{\"address\": %zu, \"type\": \"blob\", \"size\": %llu, \"refs\": []}",
                            16 * (k + 1), size);
}

static void test_sort_wide_keys(void **state)
{
    size_t len;
    char *text = tu_make_dump(5000, wide_size_line, &len);
    struct heap h;
    struct query_index qi;
    tu_load(text, 1, &h);
    free(text);
    query_index_build(&h, &qi);
    for (int reverse = 0; reverse <= 1; reverse++) {
        obj_t *objs = malloc(h.n * sizeof *objs);
        for (size_t i = 0; i < h.n; i++)
            objs[i] = (obj_t)i;
        query_sort(&h, &qi, objs, h.n, QUERY_SIZE, reverse);
        for (size_t i = 1; i < h.n; i++) {
            uint64_t a = heap_size(&h, objs[i - 1]), b = heap_size(&h, objs[i]);
            assert_true(reverse ? a <= b : a >= b);
            if (a == b) /* ties keep dump order */
                assert_true(objs[i - 1] < objs[i]);
        }
        free(objs);
    }
    query_index_free(&qi);
    heap_free(&h);
}

static void test_match_smart_case(void **state)
{
    struct heap h;
    struct query_match m;
    tu_load(GETALL_DUMP, 1, &h);

    query_match_init(&h, "hello", 5, &m);
    assert_true(m.fold);
    assert_true(query_match_object(&h, &m, tu_obj(&h, 20)));
    assert_false(query_match_object(&h, &m, tu_obj(&h, 21)));
    query_match_free(&m);

    query_match_init(&h, "hEllo", 5, &m);
    assert_false(m.fold);
    assert_false(query_match_object(&h, &m, tu_obj(&h, 20)));
    query_match_free(&m);

    /* Type names, names, numbers. */
    query_match_init(&h, "node", 4, &m);
    assert_true(query_match_object(&h, &m, tu_obj(&h, 10)));
    assert_false(query_match_object(&h, &m, tu_obj(&h, 24))); /* NoneType */
    assert_false(query_match_object(&h, &m, tu_obj(&h, 90)));
    query_match_free(&m);
    query_match_init(&h, "path", 4, &m);
    assert_true(query_match_object(&h, &m, tu_obj(&h, 25)));
    query_match_free(&m);
    query_match_init(&h, "42", 2, &m);
    assert_true(query_match_object(&h, &m, tu_obj(&h, 22)));
    query_match_free(&m);

    /* A dangling ref never matches; an empty needle matches any object. */
    obj_t l = tu_obj(&h, 90);
    uint32_t dangling = heap_children(&h, l)[2];
    assert_true(heap_is_dangling(dangling));
    query_match_init(&h, "", 0, &m);
    assert_true(query_match_object(&h, &m, l));
    assert_false(query_match_object(&h, &m, dangling));
    assert_true(query_match_text(&m, "", 0));
    query_match_free(&m);

    query_match_init(&h, "xyz", 3, &m);
    assert_false(query_match_text(&m, "xy", 2));
    assert_true(query_match_text(&m, "aXYZ", 4));
    query_match_free(&m);
    heap_free(&h);
}

static void check_preview(const struct heap *h, uint64_t addr, size_t max, const char *want)
{
    struct strbuf sb;
    sb_init(&sb);
    query_preview(h, tu_obj(h, addr), max, &sb);
    assert_string_equal(sb_cstr(&sb), want);
    sb_free(&sb);
}

static void test_preview(void **state)
{
    struct heap h;
    tu_load(GETALL_DUMP, 1, &h);
    check_preview(&h, 20, 0, "'Hello'");
    check_preview(&h, 20, 3, "'Hel'...");
    check_preview(&h, 22, 0, "42");
    check_preview(&h, 23, 0, "True");
    check_preview(&h, 24, 0, "None");
    check_preview(&h, 25, 0, "'os.path'");
    check_preview(&h, 25, 2, "'os'...");
    check_preview(&h, 26, 0, "''");
    check_preview(&h, 10, 0, "");
    heap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_groups_by_type_in_dump_order),
        cmocka_unit_test(test_instances_in_getall_order),
        cmocka_unit_test(test_sort_columns_stable_and_reversible),
        cmocka_unit_test(test_sort_by_value),
        cmocka_unit_test(test_sort_by_value_long_prefixes),
        cmocka_unit_test(test_sort_wide_keys),
        cmocka_unit_test(test_match_smart_case),
        cmocka_unit_test(test_preview),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
