/* test_summary.c: the per-type table and meliae's summarize() text, number
 * for number: '%6d%8d%4d%10d%4d%4d%8d %s', truncated percentages, Cum over the
 * printed rows. Expected lines were worked out with Python's % operator, the
 * way meliae prints them. */
#include "testutil.h"

#include "refs.h"
#include "summary.h"

/* A heap of objects given as (type, size) pairs, built by hand. */
struct spec {
    const char *type;
    uint64_t size;
};

static void build(struct heap *h, const struct spec *objs, size_t n)
{
    heap_init(h);
    for (size_t k = 0; k < n; k++) {
        uint32_t t = types_intern(&h->types, objs[k].type, strlen(objs[k].type));
        heap_add(h, 4096 + 16 * k, t, objs[k].size, 0, 0, 0);
    }
    heap_resolve(h);
    heap_compact(h, 0);
    heap_build_parents(h);
}

/* Dataset A: dict 1 x 1000; list 100 + 120; str 50 + 60 + 70; int 4 x 28.
 * 10 objects, 1512 bytes. Interleaved so dump order is not the answer. */
static const struct spec set_a[] = {
    {"str", 50}, {"int", 28}, {"list", 100}, {"dict", 1000}, {"int", 28},
    {"str", 70}, {"int", 28}, {"list", 120}, {"str", 60}, {"int", 28},
};

static void format_all(const struct heap *h, const struct summary *s, size_t top, const char *want)
{
    struct strbuf sb;
    sb_init(&sb);
    summary_format(h, s, top, &sb);
    assert_string_equal(sb_cstr(&sb), want);
    sb_free(&sb);
}

static const struct type_row *row_of(const struct heap *h, const struct summary *s, const char *type)
{
    for (size_t k = 0; k < s->n; k++)
        if (strcmp(types_name(&h->types, s->rows[k].type), type) == 0)
            return &s->rows[k];
    fail_msg("no row for %s", type);
    return NULL;
}

static void test_compute_rows(void **state)
{
    struct heap h;
    build(&h, set_a, TU_N(set_a));
    struct summary s;
    summary_compute(&h, &s);
    assert_int_equal(s.n, 4);
    assert_int_equal(s.total_count, 10);
    assert_int_equal(s.total_size, 1512);
    const struct type_row *r = row_of(&h, &s, "str");
    assert_int_equal(r->count, 3);
    assert_int_equal(r->size, 180);
    assert_int_equal(r->max_size, 70);
    assert_int_equal(h.addr[r->max_obj], 4096 + 16 * 5);
    r = row_of(&h, &s, "int");
    assert_int_equal(r->count, 4);
    assert_int_equal(r->size, 112);
    assert_int_equal(r->max_size, 28);
    /* Equal sizes: the first one in dump order. */
    assert_int_equal(h.addr[r->max_obj], 4096 + 16 * 1);
    r = row_of(&h, &s, "dict");
    assert_int_equal(r->count, 1);
    assert_int_equal(r->size, 1000);
    assert_int_equal(h.addr[r->max_obj], 4096 + 16 * 3);
    /* Sorted by size on return. */
    assert_string_equal(types_name(&h.types, s.rows[0].type), "dict");
    assert_string_equal(types_name(&h.types, s.rows[1].type), "list");
    assert_string_equal(types_name(&h.types, s.rows[2].type), "str");
    assert_string_equal(types_name(&h.types, s.rows[3].type), "int");
    summary_free(&s);
    heap_free(&h);
}

static void test_format_exact(void **state)
{
    struct heap h;
    build(&h, set_a, TU_N(set_a));
    struct summary s;
    summary_compute(&h, &s);
    const char *want =
        "Total 10 objects, 4 types, Total size = 0.0MiB (1512 bytes)\n"
        " Index   Count   %      Size   % Cum     Max Kind\n"
        "     0       1  10      1000  66  66    1000 dict\n"
        "     1       2  20       220  14  80     120 list\n"
        "     2       3  30       180  11  92      70 str\n"
        "     3       4  40       112   7 100      28 int\n";
    format_all(&h, &s, 20, want);
    format_all(&h, &s, 0, want);  /* 0: all rows */
    format_all(&h, &s, 4, want);
    format_all(&h, &s, 1000, want);
    summary_free(&s);
    heap_free(&h);
}

static void test_top_n(void **state)
{
    struct heap h;
    build(&h, set_a, TU_N(set_a));
    struct summary s;
    summary_compute(&h, &s);
    /* The Total line still counts every type; Cum runs over the printed rows. */
    format_all(&h, &s, 2,
               "Total 10 objects, 4 types, Total size = 0.0MiB (1512 bytes)\n"
               " Index   Count   %      Size   % Cum     Max Kind\n"
               "     0       1  10      1000  66  66    1000 dict\n"
               "     1       2  20       220  14  80     120 list\n");
    format_all(&h, &s, 1,
               "Total 10 objects, 4 types, Total size = 0.0MiB (1512 bytes)\n"
               " Index   Count   %      Size   % Cum     Max Kind\n"
               "     0       1  10      1000  66  66    1000 dict\n");
    summary_free(&s);
    heap_free(&h);
}

static void test_top_20_last_cum_below_100(void **state)
{
    /* 21 types of one 100-byte object each: ties broken by name, the 21st
     * not printed, so the last Cum reads 95. */
    struct spec objs[21];
    char names[21][8];
    for (int k = 0; k < 21; k++) {
        snprintf(names[k], sizeof names[k], "t%02d", 20 - k);
        objs[k].type = names[k];
        objs[k].size = 100;
    }
    struct heap h;
    build(&h, objs, 21);
    struct summary s;
    summary_compute(&h, &s);
    format_all(&h, &s, 20,
               "Total 21 objects, 21 types, Total size = 0.0MiB (2100 bytes)\n"
               " Index   Count   %      Size   % Cum     Max Kind\n"
               "     0       1   4       100   4   4     100 t00\n"
               "     1       1   4       100   4   9     100 t01\n"
               "     2       1   4       100   4  14     100 t02\n"
               "     3       1   4       100   4  19     100 t03\n"
               "     4       1   4       100   4  23     100 t04\n"
               "     5       1   4       100   4  28     100 t05\n"
               "     6       1   4       100   4  33     100 t06\n"
               "     7       1   4       100   4  38     100 t07\n"
               "     8       1   4       100   4  42     100 t08\n"
               "     9       1   4       100   4  47     100 t09\n"
               "    10       1   4       100   4  52     100 t10\n"
               "    11       1   4       100   4  57     100 t11\n"
               "    12       1   4       100   4  61     100 t12\n"
               "    13       1   4       100   4  66     100 t13\n"
               "    14       1   4       100   4  71     100 t14\n"
               "    15       1   4       100   4  76     100 t15\n"
               "    16       1   4       100   4  80     100 t16\n"
               "    17       1   4       100   4  85     100 t17\n"
               "    18       1   4       100   4  90     100 t18\n"
               "    19       1   4       100   4  95     100 t19\n");
    summary_free(&s);
    heap_free(&h);
}

static void test_percentages_truncated(void **state)
{
    /* 2/3 is 66.67%: meliae prints 66, not 67. */
    static const struct spec objs[] = {{"Y", 1}, {"X", 1}, {"X", 1}};
    struct heap h;
    build(&h, objs, TU_N(objs));
    struct summary s;
    summary_compute(&h, &s);
    format_all(&h, &s, 20,
               "Total 3 objects, 2 types, Total size = 0.0MiB (3 bytes)\n"
               " Index   Count   %      Size   % Cum     Max Kind\n"
               "     0       2  66         2  66  66       1 X\n"
               "     1       1  33         1  33 100       1 Y\n");
    summary_free(&s);
    heap_free(&h);

    assert_int_equal(summary_percent(1, 3), 33);
    assert_int_equal(summary_percent(2, 3), 66);
    assert_int_equal(summary_percent(999, 1000), 99);
    assert_int_equal(summary_percent(1, 1000), 0);
    assert_int_equal(summary_percent(5, 5), 100);
    assert_int_equal(summary_percent(0, 0), 0);
    assert_int_equal(summary_percent(5, 0), 0);
    assert_int_equal(summary_percent(12345678901ULL, 12373678901ULL), 99);
}

static void test_by_count(void **state)
{
    struct heap h;
    build(&h, set_a, TU_N(set_a));
    struct summary s;
    summary_compute(&h, &s);
    summary_sort(&h, &s, SUMMARY_BY_COUNT, 0);
    format_all(&h, &s, 20,
               "Total 10 objects, 4 types, Total size = 0.0MiB (1512 bytes)\n"
               " Index   Count   %      Size   % Cum     Max Kind\n"
               "     0       4  40       112   7   7      28 int\n"
               "     1       3  30       180  11  19      70 str\n"
               "     2       2  20       220  14  33     120 list\n"
               "     3       1  10      1000  66 100    1000 dict\n");
    summary_free(&s);
    heap_free(&h);
}

static void test_other_orders_and_reverse(void **state)
{
    struct heap h;
    build(&h, set_a, TU_N(set_a));
    struct summary s;
    summary_compute(&h, &s);
    static const char *const by_name[] = {"dict", "int", "list", "str"};
    summary_sort(&h, &s, SUMMARY_BY_NAME, 0);
    for (size_t k = 0; k < 4; k++)
        assert_string_equal(types_name(&h.types, s.rows[k].type), by_name[k]);
    summary_sort(&h, &s, SUMMARY_BY_NAME, 1);
    for (size_t k = 0; k < 4; k++)
        assert_string_equal(types_name(&h.types, s.rows[k].type), by_name[3 - k]);

    static const char *const by_max[] = {"dict", "list", "str", "int"};
    summary_sort(&h, &s, SUMMARY_BY_MAX, 0);
    for (size_t k = 0; k < 4; k++)
        assert_string_equal(types_name(&h.types, s.rows[k].type), by_max[k]);

    summary_sort(&h, &s, SUMMARY_BY_SIZE, 1);
    format_all(&h, &s, 20,
               "Total 10 objects, 4 types, Total size = 0.0MiB (1512 bytes)\n"
               " Index   Count   %      Size   % Cum     Max Kind\n"
               "     0       4  40       112   7   7      28 int\n"
               "     1       3  30       180  11  19      70 str\n"
               "     2       2  20       220  14  33     120 list\n"
               "     3       1  10      1000  66 100    1000 dict\n");
    /* And back. */
    summary_sort(&h, &s, SUMMARY_BY_SIZE, 0);
    assert_string_equal(types_name(&h.types, s.rows[0].type), "dict");
    summary_free(&s);
    heap_free(&h);
}

static void test_ties(void **state)
{
    /* Same size and count: by name. Same size: more objects first. Same
     * count (by_count): larger size first. */
    static const struct spec objs[] = {
        {"gamma", 10}, {"beta", 10}, {"alpha", 10},
        {"y", 10},                   /* size 10, 1 object */
        {"x", 5}, {"x", 5},          /* size 10, 2 objects */
        {"p", 5}, {"p", 5},          /* size 10, 2 objects */
        {"q", 10}, {"q", 10},        /* size 20, 2 objects */
    };
    struct heap h;
    build(&h, objs, TU_N(objs));
    struct summary s;
    summary_compute(&h, &s);
    static const char *const by_size[] = {"q", "p", "x", "alpha", "beta", "gamma", "y"};
    assert_int_equal(s.n, TU_N(by_size));
    for (size_t k = 0; k < TU_N(by_size); k++)
        assert_string_equal(types_name(&h.types, s.rows[k].type), by_size[k]);
    summary_sort(&h, &s, SUMMARY_BY_COUNT, 0);
    static const char *const by_count[] = {"q", "p", "x", "alpha", "beta", "gamma", "y"};
    for (size_t k = 0; k < TU_N(by_count); k++)
        assert_string_equal(types_name(&h.types, s.rows[k].type), by_count[k]);
    summary_sort(&h, &s, SUMMARY_BY_MAX, 0);
    /* max 10: q (size 20), then size 10 ones by name; max 5: p, x. */
    static const char *const by_max[] = {"q", "alpha", "beta", "gamma", "y", "p", "x"};
    for (size_t k = 0; k < TU_N(by_max); k++)
        assert_string_equal(types_name(&h.types, s.rows[k].type), by_max[k]);
    summary_free(&s);
    heap_free(&h);
}

static void test_empty_summary(void **state)
{
    struct heap h;
    heap_init(&h);
    types_intern(&h.types, "str", 3); /* a type with no object has no row */
    heap_resolve(&h);
    heap_compact(&h, 0);
    heap_build_parents(&h);
    struct summary s;
    summary_compute(&h, &s);
    assert_int_equal(s.n, 0);
    assert_int_equal(s.total_count, 0);
    assert_int_equal(s.total_size, 0);
    format_all(&h, &s, 20,
               "Total 0 objects, 0 types, Total size = 0.0MiB (0 bytes)\n"
               " Index   Count   %      Size   % Cum     Max Kind\n");
    summary_sort(&h, &s, SUMMARY_BY_COUNT, 1);
    assert_int_equal(s.n, 0);
    summary_free(&s);
    heap_free(&h);
}

static void test_mib_line(void **state)
{
    static const struct {
        uint64_t bytes;
        const char *want;
    } cases[] = {
        {5767168, "Total 1 objects, 1 types, Total size = 5.5MiB (5767168 bytes)"},
        {1310720, "Total 1 objects, 1 types, Total size = 1.2MiB (1310720 bytes)"},  /* 1.25: half to even */
        {52429, "Total 1 objects, 1 types, Total size = 0.1MiB (52429 bytes)"},
        {104857, "Total 1 objects, 1 types, Total size = 0.1MiB (104857 bytes)"},
        {10737418240ULL, "Total 1 objects, 1 types, Total size = 10240.0MiB (10737418240 bytes)"},
    };
    for (size_t k = 0; k < TU_N(cases); k++) {
        struct spec one = {"bytes", cases[k].bytes};
        struct heap h;
        build(&h, &one, 1);
        struct summary s;
        summary_compute(&h, &s);
        struct strbuf sb;
        sb_init(&sb);
        summary_format_total(&s, &sb);
        assert_string_equal(sb_cstr(&sb), cases[k].want);
        sb_free(&sb);
        summary_free(&s);
        heap_free(&h);
    }
}

static void test_wide_numbers_overflow_columns(void **state)
{
    /* One object of 12345678901 bytes, a million of 28: the columns widen. */
    enum { N = 1000000 };
    struct heap h;
    heap_init(&h);
    uint32_t t_small = types_intern(&h.types, "small", 5);
    uint32_t t_huge = types_intern(&h.types, "Huge", 4);
    heap_add(&h, 16, t_huge, 12345678901ULL, 0, 0, 0);
    for (uint64_t k = 0; k < N; k++)
        heap_add(&h, 32 + 16 * k, t_small, 28, 0, 0, 0);
    heap_resolve(&h);
    heap_compact(&h, 0);
    heap_build_parents(&h);
    struct summary s;
    summary_compute(&h, &s);
    format_all(&h, &s, 20,
               "Total 1000001 objects, 2 types, Total size = 11800.5MiB (12373678901 bytes)\n"
               " Index   Count   %      Size   % Cum     Max Kind\n"
               "     0       1   012345678901  99  9912345678901 Huge\n"
               "     1 1000000  99  28000000   0 100      28 small\n");
    summary_free(&s);
    heap_free(&h);
}

static void test_format_row_alone(void **state)
{
    struct heap h;
    build(&h, set_a, TU_N(set_a));
    struct summary s;
    summary_compute(&h, &s);
    struct strbuf sb;
    sb_init(&sb);
    /* A row as the TUI draws it: no newline, cum given by the caller. */
    summary_format_row(&h, &s, 2, &s.rows[2], 1400, &sb);
    assert_string_equal(sb_cstr(&sb), "     2       3  30       180  11  92      70 str");
    sb_reset(&sb);
    summary_format_total(&s, &sb);
    assert_string_equal(sb_cstr(&sb), "Total 10 objects, 4 types, Total size = 0.0MiB (1512 bytes)");
    assert_string_equal(SUMMARY_HEADER, " Index   Count   %      Size   % Cum     Max Kind");
    sb_free(&sb);
    summary_free(&s);
    heap_free(&h);
}

static void test_after_collapse(void **state)
{
    /* The summary of a default load: owners carry their dict's size, the dict
     * type has no row although it is still a known type name. */
    static const char text[] =
        "{\"address\": 1, \"type\": \"Node\", \"size\": 48, \"refs\": [2, 3]}\n"
        "{\"address\": 2, \"type\": \"dict\", \"size\": 104, \"len\": 0, \"refs\": []}\n"
        "{\"address\": 3, \"type\": \"type\", \"size\": 1064, \"name\": \"Node\", \"refs\": []}\n"
        "{\"address\": 4, \"type\": \"Node\", \"size\": 48, \"refs\": [5, 3]}\n"
        "{\"address\": 5, \"type\": \"dict\", \"size\": 360, \"len\": 3, \"refs\": []}\n";
    struct heap h;
    tu_load(text, 1, &h);
    assert_int_not_equal(types_lookup(&h.types, "dict"), UINT32_MAX);
    struct summary s;
    summary_compute(&h, &s);
    format_all(&h, &s, 20,
               "Total 3 objects, 2 types, Total size = 0.0MiB (1624 bytes)\n"
               " Index   Count   %      Size   % Cum     Max Kind\n"
               "     0       1  33      1064  65  65    1064 type\n"
               "     1       2  66       560  34 100     408 Node\n");
    const struct type_row *r = row_of(&h, &s, "Node");
    assert_int_equal(h.addr[r->max_obj], 4);
    summary_free(&s);
    heap_free(&h);
}

/* summary_split_classes: a row per class object for a shared name, one for
 * the instances with no class linked; the other rows and the totals stay. */
static void test_split_classes(void **state)
{
    static const char text[] =
        "{\"address\": 1, \"type\": \"module\", \"size\": 50, \"name\": \"a\", \"refs\": [10]}\n"
        "{\"address\": 2, \"type\": \"module\", \"size\": 50, \"name\": \"b\", \"refs\": [20]}\n"
        "{\"address\": 10, \"type\": \"type\", \"size\": 900, \"name\": \"Record\", \"refs\": []}\n"
        "{\"address\": 20, \"type\": \"type\", \"size\": 900, \"name\": \"Record\", \"refs\": []}\n"
        "{\"address\": 100, \"type\": \"Record\", \"size\": 48, \"refs\": [10]}\n"
        "{\"address\": 101, \"type\": \"Record\", \"size\": 64, \"refs\": [10]}\n"
        "{\"address\": 200, \"type\": \"Record\", \"size\": 40, \"refs\": [20]}\n"
        "{\"address\": 300, \"type\": \"Record\", \"size\": 8, \"refs\": []}\n";
    struct heap h;
    tu_load(text, 1, &h);
    uint32_t *classes = refs_class_counts(&h);
    struct summary s;
    summary_compute(&h, &s);
    summary_split_classes(&h, classes, &s);
    format_all(&h, &s, 0,
               "Total 8 objects, 3 types, Total size = 0.0MiB (2060 bytes)\n"
               " Index   Count   %      Size   % Cum     Max Kind\n"
               "     0       2  25      1800  87  87     900 type\n"
               "     1       2  25       112   5  92      64 a.Record\n"
               "     2       2  25       100   4  97      50 module\n"
               "     3       1  12        40   1  99      40 b.Record\n"
               "     4       1  12         8   0 100       8 Record\n");
    assert_int_equal(s.n, 5);
    assert_int_equal(s.ntypes, 3);
    assert_int_equal(h.addr[s.rows[1].max_obj], 101);
    assert_int_equal(h.addr[s.rows[1].cls], 10);
    assert_true(s.rows[4].split && s.rows[4].cls == OBJ_NONE);
    assert_true(!s.rows[0].split && s.rows[0].cls == OBJ_NONE);
    summary_free(&s);
    free(classes);
    heap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compute_rows),
        cmocka_unit_test(test_format_exact),
        cmocka_unit_test(test_top_n),
        cmocka_unit_test(test_top_20_last_cum_below_100),
        cmocka_unit_test(test_percentages_truncated),
        cmocka_unit_test(test_by_count),
        cmocka_unit_test(test_other_orders_and_reverse),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_empty_summary),
        cmocka_unit_test(test_mib_line),
        cmocka_unit_test(test_wide_numbers_overflow_columns),
        cmocka_unit_test(test_format_row_alone),
        cmocka_unit_test(test_after_collapse),
        cmocka_unit_test(test_split_classes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
