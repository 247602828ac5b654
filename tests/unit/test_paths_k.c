/* test_paths_k.c: the k-paths search's budget and cancel flag
 * (paths_find_k_budget), and its results on a ladder, where every spur has
 * an alternative (test_paths.c compares it with a brute force on small graphs). */
#include "testutil.h"

#include "paths.h"
#include "roots.h"

/* A module holding two chains of n lists each, with rungs: a_i -> a_i+1,
 * b_i+1 and b_i -> b_i+1, a_i+1. 2^(n-1) shortest paths reach a_n. */
static char *ladder(size_t n)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, "{\"address\": 1, \"type\": \"module\", \"size\": 16, \"name\": \"m\", \"refs\": [10, 11]}\n");
    for (size_t i = 0; i < n; i++) {
        unsigned long long a = 10 + 2 * i, b = 11 + 2 * i;
        if (i + 1 < n) {
            sb_printf(&sb, "{\"address\": %llu, \"type\": \"list\", \"size\": 16, \"refs\": [%llu, %llu]}\n", a, a + 2, b + 2);
            sb_printf(&sb, "{\"address\": %llu, \"type\": \"list\", \"size\": 16, \"refs\": [%llu, %llu]}\n", b, b + 2, a + 2);
        } else {
            sb_printf(&sb, "{\"address\": %llu, \"type\": \"list\", \"size\": 16, \"refs\": []}\n", a);
            sb_printf(&sb, "{\"address\": %llu, \"type\": \"list\", \"size\": 16, \"refs\": []}\n", b);
        }
    }
    return (char *)sb_cstr(&sb);
}

static void free_k(obj_t **paths, size_t *lens, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free(paths[k]);
    free(paths);
    free(lens);
}

static void test_budget_and_cancel(void **state)
{
    size_t n = 3000;
    char *text = ladder(n);
    struct heap h;
    struct roots r;
    tu_load(text, 0, &h);
    free(text);
    roots_compute(&h, NULL, 0, &r);
    obj_t target = tu_obj(&h, 10 + 2 * (n - 1));

    obj_t **all, **some;
    size_t *all_lens, *some_lens;
    struct path_budget b = {0};
    size_t na = paths_find_k_budget(&h, &r, target, NULL, 20, &b, &all, &all_lens);
    assert_int_equal(na, 20);
    assert_int_equal(b.stopped, 0);
    for (size_t k = 0; k < na; k++) {
        assert_int_equal(all_lens[k], n + 1); /* module + n lists */
        for (size_t q = 0; q < k; q++)
            assert_false(memcmp(all[k], all[q], all_lens[k] * sizeof **all) == 0);
    }
    uint64_t full = b.steps;
    assert_true(full > 0);

    /* A third of the steps: stopped, and what it gives is the first paths. */
    struct path_budget half = {0};
    half.max_steps = full / 3;
    size_t ns = paths_find_k_budget(&h, &r, target, NULL, 20, &half, &some, &some_lens);
    assert_int_equal(half.stopped, 1);
    assert_true(ns < na);
    for (size_t k = 0; k < ns; k++) {
        assert_int_equal(some_lens[k], all_lens[k]);
        assert_memory_equal(some[k], all[k], all_lens[k] * sizeof **all);
    }
    free_k(some, some_lens, ns);

    /* A cancel flag already set: it stops within a few thousand steps. */
    atomic_int cancel = 1;
    struct path_budget stop = {0};
    stop.cancel = &cancel;
    ns = paths_find_k_budget(&h, &r, target, NULL, 20, &stop, &some, &some_lens);
    assert_int_equal(stop.stopped, 1);
    assert_true(stop.steps < full);
    free_k(some, some_lens, ns);

    /* paths_find_k is the same search without a budget. */
    ns = paths_find_k(&h, &r, target, NULL, 20, &some, &some_lens);
    assert_int_equal(ns, na);
    for (size_t k = 0; k < ns; k++)
        assert_memory_equal(some[k], all[k], all_lens[k] * sizeof **all);
    free_k(some, some_lens, ns);
    free_k(all, all_lens, na);
    roots_free(&r);
    heap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budget_and_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
