/* test_waste.c: natural container sizes (sys.getsizeof of containers built
 * one item at a time, measured on CPython 3.8, 3.10 and 2.7 and written down
 * here; tests/cli/check_reports.py compares them with the live interpreters
 * on every length in the test dumps), cut values, duplicates and their
 * holders, empty and over-allocated containers, __slots__ savings. */
#include "testutil.h"

#include "waste.h"
#include "waste_text.h"

static void test_natural_sizes(void **state)
{
    (void)state;
    /* Python 3.10 (list: 3.8's growth where it is larger). */
    const struct { enum waste_kind k; uint64_t len, size; } py3[] = {
        {WASTE_LIST, 0, 56}, {WASTE_LIST, 1, 88}, {WASTE_LIST, 5, 120}, {WASTE_LIST, 9, 184},
        {WASTE_DICT, 0, 64}, {WASTE_DICT, 1, 232}, {WASTE_DICT, 5, 232}, {WASTE_DICT, 6, 360},
        {WASTE_DICT, 11, 640}, {WASTE_DICT, 22, 1176}, {WASTE_DICT, 43, 2272}, {WASTE_DICT, 86, 4696},
        {WASTE_SET, 0, 216}, {WASTE_SET, 4, 216}, {WASTE_SET, 5, 728}, {WASTE_SET, 19, 2264},
    };
    for (size_t k = 0; k < TU_N(py3); k++) {
        uint64_t got = waste_natural_size(FLAVOUR_PY3, py3[k].k, py3[k].len);
        if (got != py3[k].size)
            print_error("py3 kind %d len %llu: %llu, want %llu\n", (int)py3[k].k, (unsigned long long)py3[k].len,
                        (unsigned long long)got, (unsigned long long)py3[k].size);
        assert_int_equal(got, py3[k].size);
    }
    const struct { enum waste_kind k; uint64_t len, size; } py2[] = {
        {WASTE_LIST, 0, 72}, {WASTE_LIST, 1, 104}, {WASTE_DICT, 0, 280}, {WASTE_DICT, 5, 280},
        {WASTE_DICT, 6, 1048}, {WASTE_DICT, 22, 3352}, {WASTE_SET, 5, 232}, {WASTE_SET, 6, 744},
    };
    for (size_t k = 0; k < TU_N(py2); k++)
        assert_int_equal(waste_natural_size(FLAVOUR_PY2, py2[k].k, py2[k].len), py2[k].size);
}

#define S(addr, size, len, value) \
    "{\"address\": " #addr ", \"type\": \"str\", \"size\": " #size ", \"len\": " #len ", \"value\": \"" value "\", \"refs\": []}\n"

static const char dump[] =
    "{\"address\": 1, \"type\": \"module\", \"size\": 100, \"name\": \"m\", \"refs\": [2]}\n"
    "{\"address\": 2, \"type\": \"dict\", \"size\": 360, \"len\": 3, \"refs\": [3, 4, 5]}\n"
    "{\"address\": 3, \"type\": \"list\", \"size\": 88, \"len\": 4, \"refs\": [10, 11, 12, 13]}\n"
    "{\"address\": 4, \"type\": \"list\", \"size\": 56, \"len\": 0, \"refs\": []}\n"
    "{\"address\": 5, \"type\": \"Rec\", \"size\": 48, \"refs\": [6, 7]}\n"
    "{\"address\": 6, \"type\": \"dict\", \"size\": 232, \"len\": 2, \"refs\": [14, 15]}\n"
    "{\"address\": 7, \"type\": \"type\", \"size\": 1000, \"name\": \"Rec\", \"refs\": []}\n"
    S(10, 60, 11, "hello world") S(11, 60, 11, "hello world") S(12, 60, 11, "hello world")
    S(13, 100, 150, "cut short") S(14, 100, 150, "cut short") S(15, 60, 11, "hello world");

/* The dump above, loaded raw (its dicts kept) as a Python 3 dump, and its waste. */
static void compute(struct heap *h, struct waste *w)
{
    tu_load(dump, 0, h);
    h->flavour = FLAVOUR_PY3;
    waste_compute(h, 0, w);
}

/* The report's lines: each row of figures says which figure it shows, in
 * the order the sections come. */
static void test_text(void **state)
{
    (void)state;
    struct heap h;
    struct waste w;
    compute(&h, &w);
    struct waste_lines l;
    waste_text(&h, &w, 0, &l);
    size_t count[WASTE_LINE_CLASS + 1] = {0};
    int last = WASTE_LINE_TEXT;
    for (size_t k = 0; k < l.n; k++) {
        enum waste_line_kind kind = l.list[k].kind;
        count[kind]++;
        if (kind != WASTE_LINE_TEXT) {
            assert_true((int)kind >= last); /* strings, values, containers, objects, classes */
            last = (int)kind;
        }
    }
    assert_int_equal(count[WASTE_LINE_STRINGS], w.n_strings);
    assert_int_equal(count[WASTE_LINE_DUP], w.n_dups);
    assert_int_equal(count[WASTE_LINE_CONTAINER], w.n_containers);
    assert_int_equal(count[WASTE_LINE_OVER], w.n_over);
    assert_int_equal(count[WASTE_LINE_CLASS], w.n_classes);
    assert_string_equal(l.list[0].text, "Duplicate values: 180 bytes would be saved by keeping one copy of each");
    for (size_t k = 0; k < l.n; k++)
        if (l.list[k].kind == WASTE_LINE_DUP)
            assert_string_equal(l.list[k].text, "       4        180 str  'hello world' <- list x3, Rec.__dict__ x1");
    waste_lines_free(&l);
    waste_free(&w);
    heap_free(&h);
}

static void test_report(void **state)
{
    (void)state;
    struct heap h;
    struct waste w;
    compute(&h, &w);
    /* Four copies of "hello world": keeping one saves three; the cut values are not compared. */
    assert_int_equal(w.n_strings, 1);
    assert_int_equal(w.strings[0].objects, 6);
    assert_int_equal(w.strings[0].cut, 2);
    assert_int_equal(w.strings[0].cut_bytes, 200);
    assert_int_equal(w.strings[0].dup_values, 1);
    assert_int_equal(w.dup_saving, 180);
    assert_int_equal(w.n_dups, 1);
    assert_int_equal(w.dups[0].copies, 4);
    assert_int_equal(h.addr[w.dups[0].example], 10);
    assert_int_equal(w.dups[0].n_holders, 2);
    assert_string_equal(w.dups[0].holders[0].name, "list"); /* three copies in the list */
    assert_int_equal(w.dups[0].holders[0].copies, 3);
    assert_string_equal(w.dups[0].holders[1].name, "Rec"); /* one in a Rec's __dict__ */
    assert_true(w.dups[0].holders[1].instance_dict);
    size_t n;
    obj_t *copies = waste_copies(&h, &w.dups[0], &n);
    assert_int_equal(n, 4);
    const uint64_t want[] = {10, 11, 12, 15};
    for (size_t k = 0; k < n; k++)
        assert_int_equal(h.addr[copies[k]], want[k]);
    free(copies);
    assert_true(waste_value_cut(&h, tu_obj(&h, 13)));
    assert_false(waste_value_cut(&h, tu_obj(&h, 10)));
    /* Containers: the empty list; the module's dict (len 3 in 360 bytes, natural 232) is over by 128. */
    for (size_t k = 0; k < w.n_containers; k++) {
        const struct waste_container *c = &w.containers[k];
        const char *name = types_name(&h.types, c->type);
        assert_true(c->assessed);
        if (strcmp(name, "list") == 0) {
            assert_int_equal(c->empty, 1);
            assert_int_equal(c->empty_bytes, 56);
            assert_int_equal(c->over, 0); /* 4 items in 4 slots: what appending makes */
        } else {
            assert_string_equal(name, "dict");
            assert_int_equal(c->over, 1);
            assert_int_equal(c->excess, 128);
        }
    }
    assert_int_equal(w.n_over, 1);
    assert_int_equal(h.addr[w.over[0].object], 2);
    /* __slots__: one Rec, its dict of 232 bytes less two slot pointers. */
    assert_int_equal(w.n_classes, 1);
    assert_string_equal(w.classes[0].name, "Rec");
    assert_int_equal(w.classes[0].dict_bytes, 232);
    assert_int_equal(w.classes[0].saving, 216);
    /* The objects behind the rows, for the explorer. */
    for (size_t k = 0; k < w.n_containers; k++) {
        obj_t *objs = waste_container_objects(&h, &w.containers[k], &n);
        assert_int_equal(n, 1); /* the empty list; the over-allocated dict */
        assert_int_equal(h.addr[objs[0]], strcmp(types_name(&h.types, w.containers[k].type), "list") == 0 ? 4 : 2);
        free(objs);
    }
    obj_t *recs = waste_class_instances(&h, &w.classes[0], &n);
    assert_int_equal(n, 1);
    assert_int_equal(h.addr[recs[0]], 5);
    free(recs);
    waste_free(&w);
    heap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_natural_sizes),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
