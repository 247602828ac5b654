/* test_positions.c: positions_of_all, the whole-object form export and show
 * use, answers exactly as positions_of does ref by ref (the one rule), on
 * every object of real dumps of each flavour and on hand-made dict subclasses. */
#include "testutil.h"

#include "positions.h"

static int same_position(const struct position *a, const struct position *b)
{
    return a->kind == b->kind && a->index == b->index && a->key == b->key && a->attr == b->attr &&
           (a->name == b->name || (a->name && b->name && strcmp(a->name, b->name) == 0));
}

/* Every ref of every object (of a big object, its first and last 300). */
static void check_heap(const struct heap *h, const char *what)
{
    size_t checked = 0;
    for (size_t i = 0; i < h->n; i++) {
        size_t n = heap_nchildren(h, (obj_t)i);
        if (n == 0)
            continue;
        struct position *all = malloc(n * sizeof *all);
        positions_of_all(h, (obj_t)i, all);
        for (size_t k = 0; k < n; k++) {
            if (n > 600 && k == 300)
                k = n - 300;
            struct position one;
            positions_of(h, (obj_t)i, k, &one);
            if (!same_position(&one, &all[k]))
                fail_msg("%s: object %llu ref %zu: positions_of kind %d index %zu, positions_of_all kind %d index %zu",
                         what, (unsigned long long)h->addr[i], k, one.kind, one.index, all[k].kind, all[k].index);
            checked++;
        }
        free(all);
    }
    assert_true(checked > 0);
}

static void check_dump(const char *path)
{
    struct heap h;
    struct load_options opt;
    struct load_report rep;
    struct hw_error err = {{0}};
    load_options_default(&opt);
    heap_init(&h);
    if (load_dump(path, &opt, &h, &rep, &err) != 0)
        fail_msg("%s", err.msg);
    check_heap(&h, path);
    heap_free(&h);
}

static void test_real_dumps(void **state)
{
    check_dump("tests/data/small-py310.json.gz");
    check_dump("tests/data/small-py27.json.gz");
    check_dump("tests/data/edge-py310.json.gz");
    check_dump("tests/data/threads/threads-py312.json.gz");
}

/* A Python 3 OrderedDict (keys then values), a dict with non-str keys (value,
 * key pairs), a collapsed instance, a list and a dict subclass with its class
 * first; raw and collapsed. */
static void test_made_objects(void **state)
{
    static const char text[] =
        "{\"address\": 1, \"type\": \"bytes\", \"size\": 33, \"len\": 0, \"value\": \"\", \"refs\": []}\n"
        "{\"address\": 2, \"type\": \"str\", \"size\": 50, \"len\": 1, \"value\": \"k\", \"refs\": []}\n"
        "{\"address\": 3, \"type\": \"int\", \"size\": 28, \"value\": 7, \"refs\": []}\n"
        "{\"address\": 10, \"type\": \"collections.OrderedDict\", \"size\": 200, \"len\": 2, \"refs\": [2, 3, 1, 1]}\n"
        "{\"address\": 11, \"type\": \"dict\", \"size\": 200, \"len\": 2, \"refs\": [1, 3, 2, 3]}\n"
        "{\"address\": 12, \"type\": \"list\", \"size\": 72, \"len\": 3, \"refs\": [1, 2, 3]}\n"
        "{\"address\": 20, \"type\": \"type\", \"size\": 900, \"name\": \"Node\", \"refs\": []}\n"
        "{\"address\": 21, \"type\": \"Node\", \"size\": 48, \"refs\": [22, 20]}\n"
        "{\"address\": 22, \"type\": \"dict\", \"size\": 100, \"len\": 1, \"refs\": [3]}\n"
        "{\"address\": 30, \"type\": \"type\", \"size\": 900, \"name\": \"MyDict\", \"refs\": []}\n"
        "{\"address\": 31, \"type\": \"MyDict\", \"size\": 200, \"len\": 1, \"refs\": [30, 3, 3]}\n";
    for (int collapse = 0; collapse < 2; collapse++) {
        struct heap h;
        tu_load(text, collapse, &h);
        check_heap(&h, collapse ? "collapsed" : "raw");
        heap_free(&h);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_dumps),
        cmocka_unit_test(test_made_objects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
