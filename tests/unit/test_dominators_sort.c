/* test_dominators_sort.c: the sort by retained size
 * (dominators_sort, src/dominators.c): largest first, reversed on request, stable for ties
 * (a get_all list keeps its ties in get_all order), over keys that differ
 * in any of their 64 bits. */
#include "testutil.h"

#include "dominators.h"

static void test_largest_first_and_stable(void **state)
{
    /* retained[o] for objects 0..5; 1, 3 and 4 tie. */
    const uint64_t retained[] = {10, 50, 7, 50, 50, 1u << 20};
    obj_t objs[] = {4, 0, 3, 5, 1, 2};
    dominators_sort(objs, 6, retained, 0);
    const obj_t want[] = {5, 4, 3, 1, 0, 2};
    assert_memory_equal(objs, want, sizeof want);
}

static void test_reversed_keeps_ties_in_order(void **state)
{
    const uint64_t retained[] = {10, 50, 7, 50, 50, 1u << 20};
    obj_t objs[] = {4, 0, 3, 5, 1, 2};
    dominators_sort(objs, 6, retained, 1);
    const obj_t want[] = {2, 0, 4, 3, 1, 5};
    assert_memory_equal(objs, want, sizeof want);
}

static void test_keys_wide_and_narrow(void **state)
{
    /* Differences only in the top bits, and in the lowest one. */
    const uint64_t retained[] = {UINT64_MAX, 1, (uint64_t)1 << 63, 0, 2, ((uint64_t)1 << 63) + 1};
    obj_t objs[] = {0, 1, 2, 3, 4, 5};
    dominators_sort(objs, 6, retained, 0);
    const obj_t want[] = {0, 5, 2, 4, 1, 3};
    assert_memory_equal(objs, want, sizeof want);
    /* All equal: nothing moves. */
    const uint64_t same[] = {9, 9, 9, 9};
    obj_t four[] = {3, 1, 2, 0};
    dominators_sort(four, 4, same, 0);
    const obj_t unchanged[] = {3, 1, 2, 0};
    assert_memory_equal(four, unchanged, sizeof unchanged);
}

static void test_many_rows_match_a_plain_sort(void **state)
{
    enum { N = 5000 };
    uint64_t *retained = malloc(N * sizeof *retained);
    obj_t *objs = malloc(N * sizeof *objs);
    assert_non_null(retained);
    assert_non_null(objs);
    uint64_t x = 88172645463325252ull; /* xorshift: a fixed, spread-out sequence */
    for (obj_t i = 0; i < N; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        retained[i] = x % 1000; /* many ties */
        objs[i] = i;
    }
    dominators_sort(objs, N, retained, 0);
    for (size_t k = 1; k < N; k++) {
        uint64_t a = retained[objs[k - 1]], b = retained[objs[k]];
        assert_true(a >= b);
        if (a == b)
            assert_true(objs[k - 1] < objs[k]); /* ties in their first order */
    }
    free(retained);
    free(objs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_largest_first_and_stable),
        cmocka_unit_test(test_reversed_keeps_ties_in_order),
        cmocka_unit_test(test_keys_wide_and_narrow),
        cmocka_unit_test(test_many_rows_match_a_plain_sort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
