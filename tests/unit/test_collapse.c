/* test_collapse.c: meliae's collapse_instance_dicts, through load_buffer on
 * dump text written by hand. */
#include "testutil.h"

#include "collapse.h"
#include "summary.h"

/* A Python 3.10 instance: refs (dict, type). */
static const char py3_instance[] =
    "{\"address\": 100, \"type\": \"Node\", \"size\": 48, \"refs\": [200, 300]}\n"
    "{\"address\": 200, \"type\": \"dict\", \"size\": 104, \"len\": 2, \"refs\": [400, 500]}\n"
    "{\"address\": 300, \"type\": \"type\", \"size\": 1064, \"name\": \"Node\", \"refs\": []}\n"
    "{\"address\": 400, \"type\": \"int\", \"size\": 28, \"value\": 1, \"refs\": []}\n"
    "{\"address\": 500, \"type\": \"str\", \"size\": 50, \"len\": 1, \"value\": \"x\", \"refs\": []}\n";

static void test_py3_instance_absorbs_dict(void **state)
{
    struct heap h;
    tu_load(py3_instance, 1, &h);
    assert_int_equal(h.collapsed, 1);
    assert_int_equal(h.n, 4);
    assert_int_equal(heap_find(&h, 200), OBJ_NONE);
    obj_t n = tu_obj(&h, 100);
    assert_string_equal(heap_type_name(&h, n), "Node");
    assert_true(h.flags[n] & OF_COLLAPSED);
    assert_true(h.flags[n] & OF_HAS_LEN);
    assert_int_equal(heap_size(&h, n), 48 + 104);
    assert_int_equal(heap_len(&h, n), 2);
    /* The dict's children, then the type. */
    TU_CHILDREN(&h, n, 400, 500, 300);
    TU_PARENTS(&h, tu_obj(&h, 400), 100);
    TU_PARENTS(&h, tu_obj(&h, 500), 100);
    TU_PARENTS(&h, tu_obj(&h, 300), 100);
    assert_int_equal(h.stats.collapsed, 1);
    assert_int_equal(h.stats.dicts_removed, 1);
    assert_int_equal(h.stats.redirected, 0);
    assert_int_equal(h.stats.dangling_refs, 0);
    assert_int_equal(h.n_dangling, 0);
    /* Everything else untouched, in dump order. */
    assert_int_equal(h.addr[0], 100);
    assert_int_equal(h.addr[1], 300);
    assert_int_equal(h.addr[2], 400);
    assert_int_equal(h.addr[3], 500);
    assert_false(h.flags[tu_obj(&h, 300)] & OF_COLLAPSED);
    assert_int_equal(heap_size(&h, tu_obj(&h, 300)), 1064);
    heap_free(&h);
}

static void test_raw_keeps_everything(void **state)
{
    struct heap h;
    tu_load(py3_instance, 0, &h);
    assert_int_equal(h.collapsed, 0);
    assert_int_equal(h.n, 5);
    obj_t n = tu_obj(&h, 100);
    assert_false(h.flags[n] & OF_COLLAPSED);
    assert_false(h.flags[n] & OF_HAS_LEN);
    assert_int_equal(heap_size(&h, n), 48);
    TU_CHILDREN(&h, n, 200, 300);
    obj_t d = tu_obj(&h, 200);
    assert_string_equal(heap_type_name(&h, d), "dict");
    assert_int_equal(heap_size(&h, d), 104);
    TU_CHILDREN(&h, d, 400, 500);
    TU_PARENTS(&h, d, 100);
    TU_PARENTS(&h, tu_obj(&h, 400), 200);
    assert_int_equal(h.stats.collapsed, 0);
    assert_int_equal(h.stats.dicts_removed, 0);
    heap_free(&h);
}

static void test_module_with_one_dict(void **state)
{
    static const char text[] =
        "{\"address\": 1000, \"type\": \"module\", \"size\": 72, \"name\": \"mymod\", \"refs\": [1100]}\n"
        "{\"address\": 1100, \"type\": \"dict\", \"size\": 640, \"len\": 1, \"refs\": [1200]}\n"
        "{\"address\": 1200, \"type\": \"str\", \"size\": 52, \"len\": 3, \"value\": \"abc\", \"refs\": []}\n"
        /* A module with two refs is left alone. */
        "{\"address\": 2000, \"type\": \"module\", \"size\": 72, \"name\": \"other\", \"refs\": [2100, 1200]}\n"
        "{\"address\": 2100, \"type\": \"dict\", \"size\": 232, \"len\": 0, \"refs\": []}\n";
    struct heap h;
    tu_load(text, 1, &h);
    assert_int_equal(h.n, 4);
    assert_int_equal(heap_find(&h, 1100), OBJ_NONE);
    obj_t m = tu_obj(&h, 1000);
    assert_string_equal(heap_type_name(&h, m), "module");
    TU_STR(&h, m, "mymod");
    assert_true(h.flags[m] & OF_NAME);
    assert_true(h.flags[m] & OF_COLLAPSED);
    assert_int_equal(heap_size(&h, m), 72 + 640);
    assert_int_equal(heap_len(&h, m), 1);
    TU_CHILDREN(&h, m, 1200);
    obj_t o = tu_obj(&h, 2000);
    assert_false(h.flags[o] & OF_COLLAPSED);
    assert_int_equal(heap_size(&h, o), 72);
    TU_CHILDREN(&h, o, 2100, 1200);
    TU_PARENTS(&h, tu_obj(&h, 1200), 1000, 2000);
    assert_int_equal(h.stats.collapsed, 1);
    assert_int_equal(h.stats.dicts_removed, 1);
    heap_free(&h);
}

static void test_py2_instance_renamed(void **state)
{
    static const char text[] =
        "{\"address\": 10, \"type\": \"instance\", \"size\": 72, \"refs\": [20, 30]}\n"
        "{\"address\": 20, \"type\": \"classobj\", \"size\": 104, \"name\": \"OldStyle\", \"refs\": [60]}\n"
        "{\"address\": 30, \"type\": \"dict\", \"size\": 280, \"len\": 2, \"refs\": [40, 50, 41, 51]}\n"
        "{\"address\": 40, \"type\": \"str\", \"size\": 38, \"len\": 1, \"value\": \"a\", \"refs\": []}\n"
        "{\"address\": 41, \"type\": \"str\", \"size\": 38, \"len\": 1, \"value\": \"b\", \"refs\": []}\n"
        "{\"address\": 50, \"type\": \"int\", \"size\": 24, \"value\": 7, \"refs\": []}\n"
        "{\"address\": 51, \"type\": \"unicode\", \"size\": 56, \"len\": 1, \"value\": \"u\", \"refs\": []}\n"
        "{\"address\": 60, \"type\": \"tuple\", \"size\": 56, \"len\": 0, \"refs\": []}\n";
    struct heap h;
    tu_load(text, 1, &h);
    assert_int_equal(h.flavour, FLAVOUR_PY2);
    assert_int_equal(heap_find(&h, 30), OBJ_NONE);
    obj_t i = tu_obj(&h, 10);
    assert_string_equal(heap_type_name(&h, i), "OldStyle");
    assert_true(h.flags[i] & OF_COLLAPSED);
    assert_int_equal(heap_size(&h, i), 72 + 280);
    assert_int_equal(heap_len(&h, i), 2);
    /* The dict's children, then the class. */
    TU_CHILDREN(&h, i, 40, 50, 41, 51, 20);
    assert_string_equal(tu_type(&h, 20), "classobj");
    TU_PARENTS(&h, tu_obj(&h, 20), 10);
    assert_int_equal(h.stats.collapsed, 1);
    assert_int_equal(h.stats.dicts_removed, 1);

    /* The summary counts it under the class name; "instance" and "dict" have no row. */
    struct summary s;
    summary_compute(&h, &s);
    int found = 0;
    for (size_t k = 0; k < s.n; k++) {
        const char *name = types_name(&h.types, s.rows[k].type);
        assert_string_not_equal(name, "instance");
        assert_string_not_equal(name, "dict");
        if (strcmp(name, "OldStyle") == 0) {
            found = 1;
            assert_int_equal(s.rows[k].count, 1);
            assert_int_equal(s.rows[k].size, 352);
        }
    }
    assert_true(found);
    assert_int_equal(s.total_count, 7);
    assert_int_equal(s.total_size, 352 + 104 + 38 + 38 + 24 + 56 + 56);
    summary_free(&s);
    heap_free(&h);
}

static void test_shared_dict_absorbed_twice(void **state)
{
    /* Two instances share one dict (meliae's arithmetic: counted in both);
     * a list refers to the dict too and is pointed at the first owner. */
    static const char text[] =
        "{\"address\": 500, \"type\": \"dict\", \"size\": 1000, \"len\": 1, \"refs\": [600]}\n"
        "{\"address\": 100, \"type\": \"Thing\", \"size\": 56, \"refs\": [500, 300]}\n"
        "{\"address\": 200, \"type\": \"Thing\", \"size\": 64, \"refs\": [500, 300]}\n"
        "{\"address\": 300, \"type\": \"type\", \"size\": 900, \"name\": \"Thing\", \"refs\": []}\n"
        "{\"address\": 600, \"type\": \"str\", \"size\": 60, \"len\": 5, \"value\": \"hello\", \"refs\": []}\n"
        "{\"address\": 700, \"type\": \"list\", \"size\": 72, \"len\": 2, \"refs\": [500, 500]}\n";
    struct heap h;
    tu_load(text, 1, &h);
    assert_int_equal(h.n, 5);
    assert_int_equal(heap_find(&h, 500), OBJ_NONE);
    obj_t a = tu_obj(&h, 100), b = tu_obj(&h, 200);
    assert_int_equal(heap_size(&h, a), 56 + 1000);
    assert_int_equal(heap_size(&h, b), 64 + 1000);
    assert_true(h.flags[a] & OF_COLLAPSED);
    assert_true(h.flags[b] & OF_COLLAPSED);
    TU_CHILDREN(&h, a, 600, 300);
    TU_CHILDREN(&h, b, 600, 300);
    TU_CHILDREN(&h, tu_obj(&h, 700), 100, 100);
    TU_PARENTS(&h, tu_obj(&h, 600), 100, 200);
    TU_PARENTS(&h, a, 700);
    assert_int_equal(heap_nparents(&h, b), 0);
    assert_int_equal(h.stats.collapsed, 2);
    assert_int_equal(h.stats.dicts_removed, 1);
    assert_int_equal(h.stats.redirected, 2);
    assert_int_equal(h.stats.dangling_refs, 0);

    struct summary s;
    summary_compute(&h, &s);
    assert_int_equal(s.total_count, 5);
    assert_int_equal(s.total_size, 1056 + 1064 + 900 + 60 + 72);
    summary_free(&s);
    heap_free(&h);
}

static void test_refs_to_absorbed_dict_redirected(void **state)
{
    /* A module's dict is every function's __globals__: after collapse the
     * functions point at the module, nothing dangles. */
    static const char text[] =
        "{\"address\": 1, \"type\": \"module\", \"size\": 72, \"name\": \"m\", \"refs\": [2]}\n"
        "{\"address\": 2, \"type\": \"dict\", \"size\": 1200, \"len\": 2, \"refs\": [3, 4]}\n"
        "{\"address\": 3, \"type\": \"function\", \"size\": 136, \"name\": \"f\", \"refs\": [5, 2, 6]}\n"
        "{\"address\": 4, \"type\": \"function\", \"size\": 136, \"name\": \"g\", \"refs\": [7, 2, 6]}\n"
        "{\"address\": 5, \"type\": \"code\", \"size\": 144, \"refs\": []}\n"
        "{\"address\": 6, \"type\": \"dict\", \"size\": 4700, \"len\": 150, \"refs\": []}\n"
        "{\"address\": 7, \"type\": \"code\", \"size\": 144, \"refs\": []}\n";
    struct heap h;
    tu_load(text, 1, &h);
    assert_int_equal(h.n, 6);
    assert_int_equal(heap_find(&h, 2), OBJ_NONE);
    obj_t m = tu_obj(&h, 1);
    TU_CHILDREN(&h, m, 3, 4);
    assert_int_equal(heap_size(&h, m), 72 + 1200);
    TU_CHILDREN(&h, tu_obj(&h, 3), 5, 1, 6);
    TU_CHILDREN(&h, tu_obj(&h, 4), 7, 1, 6);
    for (size_t k = 0; k < heap_nchildren(&h, tu_obj(&h, 3)); k++)
        assert_false(heap_is_dangling(heap_children(&h, tu_obj(&h, 3))[k]));
    assert_int_equal(h.stats.redirected, 2);
    assert_int_equal(h.stats.dangling_refs, 0);
    assert_int_equal(h.n_dangling, 0);
    TU_PARENTS(&h, m, 3, 4);
    TU_PARENTS(&h, tu_obj(&h, 3), 1);
    /* The builtins dict (two refs of functions, no owner) stays. */
    TU_PARENTS(&h, tu_obj(&h, 6), 3, 4);
    heap_free(&h);
}

static void test_nested_instances_and_redirect_inside_dict(void **state)
{
    /* Outer's dict holds Inner's dict as a value too: that ref, now among
     * Outer's children, points at Inner. */
    static const char text[] =
        "{\"address\": 10, \"type\": \"Outer\", \"size\": 48, \"refs\": [11, 90]}\n"
        "{\"address\": 11, \"type\": \"dict\", \"size\": 100, \"len\": 2, \"refs\": [20, 21]}\n"
        "{\"address\": 20, \"type\": \"Inner\", \"size\": 40, \"refs\": [21, 91]}\n"
        "{\"address\": 21, \"type\": \"dict\", \"size\": 200, \"len\": 1, \"refs\": [10]}\n"
        "{\"address\": 90, \"type\": \"type\", \"size\": 900, \"name\": \"Outer\", \"refs\": []}\n"
        "{\"address\": 91, \"type\": \"type\", \"size\": 900, \"name\": \"Inner\", \"refs\": []}\n";
    struct heap h;
    tu_load(text, 1, &h);
    assert_int_equal(h.n, 4);
    obj_t o = tu_obj(&h, 10), i = tu_obj(&h, 20);
    TU_CHILDREN(&h, o, 20, 20, 90);
    TU_CHILDREN(&h, i, 10, 91);
    assert_int_equal(heap_size(&h, o), 148);
    assert_int_equal(heap_size(&h, i), 240);
    assert_int_equal(heap_len(&h, o), 2);
    assert_int_equal(heap_len(&h, i), 1);
    assert_int_equal(h.stats.collapsed, 2);
    assert_int_equal(h.stats.dicts_removed, 2);
    assert_int_equal(h.stats.redirected, 1);
    assert_int_equal(h.stats.dangling_refs, 0);
    TU_PARENTS(&h, o, 20);
    TU_PARENTS(&h, i, 10);
    heap_free(&h);
}

static void test_non_candidates_not_collapsed(void **state)
{
    static const char *const types[] = {
        "str", "dict", "tuple", "list", "type", "function", "wrapper_descriptor",
        "code", "classobj", "int", "weakref",
    };
    struct strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, "{\"address\": 1, \"type\": \"dict\", \"size\": 100, \"len\": 0, \"refs\": []}\n"
                 "{\"address\": 2, \"type\": \"type\", \"size\": 900, \"name\": \"X\", \"refs\": []}\n");
    for (size_t k = 0; k < TU_N(types); k++)
        sb_printf(&sb, "{\"address\": %zu, \"type\": \"%s\", \"size\": 10, \"refs\": [1, 2]}\n", 100 + k, types[k]);
    struct heap h;
    tu_load(sb_cstr(&sb), 1, &h);
    sb_free(&sb);
    assert_int_equal(h.n, 2 + TU_N(types));
    assert_int_equal(h.stats.collapsed, 0);
    assert_int_equal(h.stats.dicts_removed, 0);
    tu_obj(&h, 1);
    for (size_t k = 0; k < TU_N(types); k++) {
        obj_t o = tu_obj(&h, 100 + k);
        assert_string_equal(heap_type_name(&h, o), types[k]);
        assert_false(h.flags[o] & OF_COLLAPSED);
        assert_int_equal(heap_size(&h, o), 10);
        TU_CHILDREN(&h, o, 1, 2);
    }
    heap_free(&h);
}

static void test_shapes_not_collapsed(void **state)
{
    static const char text[] =
        "{\"address\": 1, \"type\": \"dict\", \"size\": 100, \"len\": 0, \"refs\": []}\n"
        "{\"address\": 2, \"type\": \"type\", \"size\": 900, \"name\": \"X\", \"refs\": []}\n"
        "{\"address\": 3, \"type\": \"tuple\", \"size\": 48, \"refs\": []}\n"
        /* (type, dict): the wrong order. */
        "{\"address\": 10, \"type\": \"X\", \"size\": 10, \"refs\": [2, 1]}\n"
        /* Three refs. */
        "{\"address\": 11, \"type\": \"X\", \"size\": 10, \"refs\": [1, 2, 3]}\n"
        /* One ref, not a module. */
        "{\"address\": 12, \"type\": \"X\", \"size\": 10, \"refs\": [1]}\n"
        /* (dict, not a type). */
        "{\"address\": 13, \"type\": \"X\", \"size\": 10, \"refs\": [1, 3]}\n"
        /* (dict, dict). */
        "{\"address\": 14, \"type\": \"X\", \"size\": 10, \"refs\": [1, 1]}\n"
        /* A dict that is not in the dump. */
        "{\"address\": 15, \"type\": \"X\", \"size\": 10, \"refs\": [999, 2]}\n"
        /* A module whose one ref is not a dict, or is missing. */
        "{\"address\": 16, \"type\": \"module\", \"size\": 10, \"refs\": [3]}\n"
        "{\"address\": 17, \"type\": \"module\", \"size\": 10, \"refs\": [998]}\n"
        /* An old-style instance with (dict, classobj): the wrong order. */
        "{\"address\": 18, \"type\": \"classobj\", \"size\": 10, \"name\": \"C\", \"refs\": []}\n"
        "{\"address\": 19, \"type\": \"instance\", \"size\": 10, \"refs\": [1, 18]}\n"
        /* (classobj, dict) on an object that is not an "instance". */
        "{\"address\": 20, \"type\": \"X\", \"size\": 10, \"refs\": [18, 1]}\n"
        /* No refs at all. */
        "{\"address\": 21, \"type\": \"X\", \"size\": 10, \"refs\": []}\n";
    struct heap h;
    tu_load(text, 1, &h);
    assert_int_equal(h.stats.collapsed, 0);
    assert_int_equal(h.stats.dicts_removed, 0);
    assert_int_equal(h.n, 15);
    tu_obj(&h, 1);
    for (uint64_t a = 10; a <= 21; a++) {
        obj_t o = tu_obj(&h, a);
        assert_false(h.flags[o] & OF_COLLAPSED);
        assert_int_equal(heap_size(&h, o), 10);
    }
    assert_string_equal(tu_type(&h, 19), "instance");
    TU_CHILDREN(&h, tu_obj(&h, 10), 2, 1);
    TU_CHILDREN(&h, tu_obj(&h, 15), 999, 2);
    TU_PARENTS(&h, tu_obj(&h, 1), 10, 11, 12, 13, 14, 19, 20);
    heap_free(&h);
}

static void test_dict_len_and_big_sizes_carried(void **state)
{
    /* The owner's own len (if any) is replaced by the dict's; sizes add past 4 GiB. */
    static const char text[] =
        "{\"address\": 1, \"type\": \"Big\", \"size\": 4294967000, \"len\": 9, \"refs\": [2, 3]}\n"
        "{\"address\": 2, \"type\": \"dict\", \"size\": 4294967000, \"len\": 5000000000, \"refs\": []}\n"
        "{\"address\": 3, \"type\": \"type\", \"size\": 900, \"name\": \"Big\", \"refs\": []}\n"
        "{\"address\": 4, \"type\": \"Small\", \"size\": 16, \"len\": 3, \"refs\": [5, 3]}\n"
        "{\"address\": 5, \"type\": \"dict\", \"size\": 64, \"refs\": []}\n";
    struct heap h;
    tu_load(text, 1, &h);
    obj_t b = tu_obj(&h, 1);
    assert_int_equal(heap_size(&h, b), 8589934000ULL);
    assert_int_equal(heap_len(&h, b), 5000000000ULL);
    TU_CHILDREN(&h, b, 3);
    /* A dict without len: the owner has none either. */
    obj_t s = tu_obj(&h, 4);
    assert_true(h.flags[s] & OF_COLLAPSED);
    assert_false(h.flags[s] & OF_HAS_LEN);
    assert_int_equal(heap_len(&h, s), 0);
    assert_int_equal(heap_size(&h, s), 80);
    heap_free(&h);
}

/* h->collapsed means "collapse_instance_dicts ran", also when the dump has
 * no "dict" type at all (collapse returns early). Was a bug: it stayed 0, so
 * `summary --json` said "collapsed": false for a default load. */
static void test_collapsed_flag_without_dicts(void **state)
{
    static const char text[] =
        "{\"address\": 1, \"type\": \"list\", \"size\": 72, \"refs\": [2]}\n"
        "{\"address\": 2, \"type\": \"str\", \"size\": 50, \"value\": \"a\", \"refs\": []}\n";
    struct heap h;
    tu_load(text, 1, &h);
    assert_int_equal(h.n, 2);
    TU_CHILDREN(&h, tu_obj(&h, 1), 2);
    int collapsed = h.collapsed;
    heap_free(&h);
    assert_int_equal(collapsed, 1);
}

static void test_collapse_directly(void **state)
{
    /* collapse_instance_dicts on a heap built by hand (resolved, no parents). */
    struct heap h;
    heap_init(&h);
    uint32_t t_obj = types_intern(&h.types, "Obj", 3);
    uint32_t t_dict = types_intern(&h.types, "dict", 4);
    uint32_t t_type = types_intern(&h.types, "type", 4);
    const uint64_t r0[] = {20, 30}, r1[] = {40};
    heap_add(&h, 10, t_obj, 16, 0, 0, 0);
    heap_add_children(&h, r0, 2);
    heap_add(&h, 20, t_dict, 100, 1, 0, OF_HAS_LEN);
    heap_add_children(&h, r1, 1);
    heap_add(&h, 30, t_type, 400, 0, 0, 0);
    heap_add(&h, 40, t_obj, 16, 0, 0, 0);
    heap_resolve(&h);
    collapse_instance_dicts(&h);
    heap_build_parents(&h);
    assert_int_equal(h.collapsed, 1);
    assert_int_equal(h.n, 3);
    obj_t o = tu_obj(&h, 10);
    TU_CHILDREN(&h, o, 40, 30);
    assert_int_equal(heap_size(&h, o), 116);
    assert_int_equal(heap_len(&h, o), 1);
    TU_PARENTS(&h, tu_obj(&h, 40), 10);
    heap_free(&h);
}

/* After a collapse the address index is renumbered in place: an absorbed
 * dict's slot is marked gone, and lookups go on past it. With 60000 owners
 * (and dicts, and a parent list holding them all) many probe runs cross gone
 * slots: every kept address must still be found at its new number, every
 * dict's and every missing address must not, and the parent lists and the
 * edges must match a fresh build. */
static void test_index_after_collapse(void **state)
{
    enum { N = 60000 };
    struct heap h;
    heap_init(&h);
    uint32_t t_obj = types_intern(&h.types, "Obj", 3);
    uint32_t t_dict = types_intern(&h.types, "dict", 4);
    uint32_t t_type = types_intern(&h.types, "type", 4);
    uint32_t t_list = types_intern(&h.types, "list", 4);
    const uint64_t base = 0x7f0000001000ull, tp = 0x7f00ffff0000ull, lst = 0x7f00fffe0000ull;
    uint64_t *all = malloc(sizeof *all * N);
    heap_add(&h, tp, t_type, 900, 0, 0, 0);
    for (uint64_t k = 0; k < N; k++) {
        uint64_t owner = base + 64 * k, dict = owner + 32;
        const uint64_t r[] = {dict, tp};
        all[k] = owner;
        /* Every third dict comes before its owner in the dump. */
        if (k % 3 == 0) {
            const uint64_t none[] = {0};
            heap_add(&h, dict, t_dict, 100, 1, 0, OF_HAS_LEN);
            heap_add_children(&h, none, 0);
            heap_add(&h, owner, t_obj, 16, 0, 0, 0);
            heap_add_children(&h, r, 2);
        } else {
            heap_add(&h, owner, t_obj, 16, 0, 0, 0);
            heap_add_children(&h, r, 2);
            heap_add(&h, dict, t_dict, 100, 1, 0, OF_HAS_LEN);
        }
    }
    heap_add(&h, lst, t_list, 8 * N, N, 0, OF_HAS_LEN);
    heap_add_children(&h, all, N);
    heap_resolve(&h);
    assert_int_equal(collapse_instance_dicts(&h), 0);
    heap_build_parents(&h);
    assert_int_equal(h.n, N + 2);
    assert_int_equal(h.stats.dicts_removed, N);
    for (obj_t i = 0; i < h.n; i++)
        assert_int_equal(heap_find(&h, h.addr[i]), i);
    for (uint64_t k = 0; k < N; k++) {
        assert_int_equal(heap_find(&h, base + 64 * k + 32), OBJ_NONE); /* the dict, absorbed */
        assert_int_equal(heap_find(&h, base + 64 * k + 8), OBJ_NONE);  /* never in the dump */
    }
    /* Dump order kept, each owner holding the type; the list holds them all. */
    obj_t l = tu_obj(&h, lst);
    assert_int_equal(heap_nchildren(&h, l), N);
    for (uint64_t k = 0; k < N; k++) {
        obj_t o = heap_children(&h, l)[k];
        assert_int_equal(h.addr[o], base + 64 * k);
        assert_int_equal(heap_size(&h, o), 116);
        TU_CHILDREN(&h, o, tp);
        TU_PARENTS(&h, o, lst);
    }
    assert_int_equal(heap_nparents(&h, tu_obj(&h, tp)), N);
    free(all);
    heap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_py3_instance_absorbs_dict),
        cmocka_unit_test(test_raw_keeps_everything),
        cmocka_unit_test(test_module_with_one_dict),
        cmocka_unit_test(test_py2_instance_renamed),
        cmocka_unit_test(test_shared_dict_absorbed_twice),
        cmocka_unit_test(test_refs_to_absorbed_dict_redirected),
        cmocka_unit_test(test_nested_instances_and_redirect_inside_dict),
        cmocka_unit_test(test_non_candidates_not_collapsed),
        cmocka_unit_test(test_shapes_not_collapsed),
        cmocka_unit_test(test_dict_len_and_big_sizes_carried),
        cmocka_unit_test(test_collapsed_flag_without_dicts),
        cmocka_unit_test(test_collapse_directly),
        cmocka_unit_test(test_index_after_collapse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
