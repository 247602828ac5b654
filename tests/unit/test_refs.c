/* test_refs.c: meliae-style reprs, Python literals, quoting, and the
 * refs-as-dict view for each dump flavour. */
#include "testutil.h"

#include "refs.h"

static void repr_is(const struct heap *h, uint64_t addr, size_t max_value, const char *want)
{
    struct strbuf sb;
    sb_init(&sb);
    refs_repr(h, tu_obj(h, addr), max_value, &sb);
    assert_string_equal(sb_cstr(&sb), want);
    sb_free(&sb);
}

static void literal_is(const struct heap *h, uint32_t child, size_t max_value, const char *want)
{
    struct strbuf sb;
    sb_init(&sb);
    refs_literal(h, child, max_value, &sb);
    assert_string_equal(sb_cstr(&sb), want);
    sb_free(&sb);
}

static void quote_is(const char *s, size_t len, const char *want)
{
    struct strbuf sb;
    sb_init(&sb);
    refs_py_quote(s, len, &sb);
    assert_string_equal(sb_cstr(&sb), want);
    sb_free(&sb);
}
#define QUOTE_IS(lit, want) quote_is((lit), sizeof(lit) - 1, (want))

/* --- reprs --- */

static void test_repr_dict_and_str(void **state)
{
    /* The doc's examples: a dict of 5000 refs with one parent, a str with three. */
    struct strbuf text;
    sb_init(&text);
    sb_adds(&text, "{\"address\": 140435321315968, \"type\": \"dict\", \"size\": 147552, \"len\": 2500, \"refs\": [");
    for (int k = 0; k < 5000; k++)
        sb_adds(&text, k ? ", 11409312" : "11409312");
    sb_adds(&text, "]}\n"
                   "{\"address\": 11409312, \"type\": \"str\", \"size\": 54, \"len\": 3, \"value\": \"abc\", \"refs\": []}\n"
                   "{\"address\": 999, \"type\": \"list\", \"size\": 72, \"len\": 2, \"refs\": [140435321315968, 11409312]}\n"
                   "{\"address\": 1001, \"type\": \"tuple\", \"size\": 48, \"len\": 1, \"refs\": [11409312]}\n");
    struct heap h;
    tu_load(sb_cstr(&text), 1, &h);
    sb_free(&text);
    repr_is(&h, 140435321315968ULL, 0, "dict(140435321315968 147552B 5000refs 1par)");
    repr_is(&h, 11409312, 0, "str(11409312 54B 3par 'abc')");
    repr_is(&h, 999, 0, "list(999 72B 2refs)");
    repr_is(&h, 1001, 0, "tuple(1001 48B 1refs)");
    heap_free(&h);
}

static const char values_dump[] =
    "{\"address\": 5, \"type\": \"int\", \"size\": 28, \"value\": 42, \"refs\": []}\n"
    "{\"address\": 6, \"type\": \"int\", \"size\": 36, \"value\": 9223372036854775807, \"refs\": []}\n"
    "{\"address\": 16, \"type\": \"int\", \"size\": 28, \"value\": -5, \"refs\": []}\n"
    "{\"address\": 7, \"type\": \"bool\", \"size\": 28, \"value\": \"True\", \"refs\": []}\n"
    "{\"address\": 8, \"type\": \"bool\", \"size\": 28, \"value\": false, \"refs\": []}\n"
    "{\"address\": 9, \"type\": \"module\", \"size\": 56, \"name\": \"os\", \"refs\": [5, 6]}\n"
    "{\"address\": 10, \"type\": \"frame\", \"size\": 400, \"value\": null, \"refs\": []}\n"
    "{\"address\": 11, \"type\": \"str\", \"size\": 53, \"len\": 4, \"value\": \"it's\", \"refs\": []}\n"
    "{\"address\": 12, \"type\": \"str\", \"size\": 54, \"len\": 5, \"value\": \"a'b\\\"c\", \"refs\": []}\n"
    "{\"address\": 13, \"type\": \"str\", \"size\": 52, \"len\": 3, \"value\": \"a\\nb\", \"refs\": []}\n"
    "{\"address\": 14, \"type\": \"str\", \"size\": 55, \"len\": 5, \"value\": \"h\\u00e9llo\", \"refs\": []}\n"
    "{\"address\": 15, \"type\": \"str\", \"size\": 53, \"len\": 4, \"value\": \"True\", \"refs\": []}\n"
    "{\"address\": 17, \"type\": \"str\", \"size\": 76, \"len\": 2, \"value\": \"\\ud83d\\ude00x\", \"refs\": []}\n"
    "{\"address\": 18, \"type\": \"NoneType\", \"size\": 16, \"refs\": []}\n"
    "{\"address\": 19, \"type\": \"list\", \"size\": 88, \"len\": 4, \"refs\": [777777, 11, 18, 7]}\n"
    "{\"address\": 20, \"type\": \"function\", \"size\": 136, \"name\": \"f\", \"refs\": []}\n";

static void test_repr_values(void **state)
{
    struct heap h;
    tu_load(values_dump, 0, &h);
    /* Ints and bools bare, strings and names quoted, null shows nothing. */
    repr_is(&h, 5, 0, "int(5 28B 1par 42)");
    repr_is(&h, 6, 0, "int(6 36B 1par 9223372036854775807)");
    repr_is(&h, 16, 0, "int(16 28B -5)");
    repr_is(&h, 7, 0, "bool(7 28B 1par True)");
    repr_is(&h, 8, 0, "bool(8 28B False)");
    repr_is(&h, 9, 0, "module(9 56B 2refs 'os')");
    repr_is(&h, 10, 0, "frame(10 400B)");
    repr_is(&h, 15, 0, "str(15 53B 'True')");
    repr_is(&h, 18, 0, "NoneType(18 16B 1par)");
    repr_is(&h, 19, 0, "list(19 88B 4refs)");
    repr_is(&h, 20, 0, "function(20 136B 'f')");
    heap_free(&h);
}

static void test_repr_quoting(void **state)
{
    struct heap h;
    tu_load(values_dump, 0, &h);
    /* A ' and no ": Python switches to double quotes. Both: ' quoted, \' escaped. */
    repr_is(&h, 11, 0, "str(11 53B 1par \"it's\")");
    repr_is(&h, 12, 0, "str(12 54B 'a\\'b\"c')");
    repr_is(&h, 13, 0, "str(13 52B 'a\\nb')");
    repr_is(&h, 14, 0, "str(14 55B 'h\xc3\xa9llo')");
    heap_free(&h);

    QUOTE_IS("plain", "'plain'");
    QUOTE_IS("", "''");
    QUOTE_IS("it's", "\"it's\"");
    QUOTE_IS("say \"hi\"", "'say \"hi\"'");
    QUOTE_IS("a'b\"c", "'a\\'b\"c'");
    QUOTE_IS("back\\slash", "'back\\\\slash'");
    QUOTE_IS("l1\nl2\r\tx", "'l1\\nl2\\r\\tx'");
    QUOTE_IS("\x01\x1f\x7f", "'\\x01\\x1f\\x7f'");
    QUOTE_IS("nul\0byte", "'nul\\x00byte'");
    QUOTE_IS("caf\xc3\xa9 \xf0\x9f\x98\x80", "'caf\xc3\xa9 \xf0\x9f\x98\x80'");
}

static void test_repr_max_value_utf8(void **state)
{
    struct heap h;
    tu_load(values_dump, 0, &h);
    /* "héllo" is 6 bytes: h, C3 A9, l, l, o. */
    repr_is(&h, 14, 1, "str(14 55B 'h'...)");
    repr_is(&h, 14, 2, "str(14 55B 'h'...)");      /* 2 would split the é */
    repr_is(&h, 14, 3, "str(14 55B 'h\xc3\xa9'...)");
    repr_is(&h, 14, 5, "str(14 55B 'h\xc3\xa9ll'...)");
    repr_is(&h, 14, 6, "str(14 55B 'h\xc3\xa9llo')");
    repr_is(&h, 14, 100, "str(14 55B 'h\xc3\xa9llo')");
    /* A 4-byte character: nothing fits in 3 bytes. */
    repr_is(&h, 17, 3, "str(17 76B ''...)");
    repr_is(&h, 17, 4, "str(17 76B '\xf0\x9f\x98\x80'...)");
    repr_is(&h, 17, 5, "str(17 76B '\xf0\x9f\x98\x80x')");
    /* Ints are cut too, and stay bare. */
    repr_is(&h, 6, 4, "int(6 36B 1par 9223...)");
    heap_free(&h);
}

static void test_child_repr_and_literals(void **state)
{
    struct heap h;
    tu_load(values_dump, 0, &h);
    obj_t l = tu_obj(&h, 19);
    const uint32_t *c = heap_children(&h, l);
    assert_true(heap_is_dangling(c[0]));
    struct strbuf sb;
    sb_init(&sb);
    refs_child_repr(&h, c[0], 0, &sb);
    assert_string_equal(sb_cstr(&sb), "<missing 777777>");
    sb_reset(&sb);
    refs_child_repr(&h, c[1], 0, &sb);
    assert_string_equal(sb_cstr(&sb), "str(11 53B 1par \"it's\")");
    sb_free(&sb);

    literal_is(&h, c[0], 0, "<missing 777777>");
    literal_is(&h, c[1], 0, "\"it's\"");
    literal_is(&h, c[2], 0, "None");
    literal_is(&h, c[3], 0, "True");
    literal_is(&h, tu_obj(&h, 5), 0, "42");
    literal_is(&h, tu_obj(&h, 16), 0, "-5");
    literal_is(&h, tu_obj(&h, 8), 0, "False");
    literal_is(&h, tu_obj(&h, 15), 0, "'True'");
    literal_is(&h, tu_obj(&h, 14), 2, "'h'...");
    /* No literal: the repr. */
    literal_is(&h, tu_obj(&h, 9), 0, "module(9 56B 2refs 'os')");
    literal_is(&h, l, 0, "list(19 88B 4refs)");
    literal_is(&h, tu_obj(&h, 10), 0, "frame(10 400B)");
    heap_free(&h);
}

/* --- refs as dict --- */

static void expect_items(const struct heap *h, const struct dict_view *v, const uint64_t *keys, const uint64_t *vals,
                         size_t n)
{
    assert_int_equal(v->n, n);
    for (size_t k = 0; k < n; k++) {
        if (keys[k] == UINT64_MAX)
            assert_int_equal(v->items[k].key, UINT32_MAX);
        else
            assert_int_equal(heap_child_addr(h, v->items[k].key), keys[k]);
        assert_int_equal(heap_child_addr(h, v->items[k].value), vals[k]);
    }
}
#define NOKEY UINT64_MAX

static const char py2_dump[] =
    "{\"address\": 1, \"type\": \"dict\", \"size\": 280, \"len\": 2, \"refs\": [10, 11, 12, 13]}\n"
    "{\"address\": 10, \"type\": \"str\", \"size\": 38, \"len\": 1, \"value\": \"a\", \"refs\": []}\n"
    "{\"address\": 11, \"type\": \"int\", \"size\": 24, \"value\": 1, \"refs\": []}\n"
    "{\"address\": 12, \"type\": \"unicode\", \"size\": 56, \"len\": 1, \"value\": \"b\", \"refs\": []}\n"
    "{\"address\": 13, \"type\": \"int\", \"size\": 24, \"value\": 2, \"refs\": []}\n"
    "{\"address\": 30, \"type\": \"instance\", \"size\": 72, \"refs\": [31, 32]}\n"
    "{\"address\": 31, \"type\": \"classobj\", \"size\": 104, \"name\": \"C\", \"refs\": []}\n"
    "{\"address\": 32, \"type\": \"dict\", \"size\": 280, \"len\": 1, \"refs\": [10, 13]}\n"
    /* A Python 2 dict whose refs happen to equal its len: still key-value. */
    "{\"address\": 40, \"type\": \"dict\", \"size\": 280, \"len\": 2, \"refs\": [10, 11]}\n";

static void test_as_dict_py2(void **state)
{
    struct heap h;
    tu_load(py2_dump, 1, &h);
    assert_int_equal(h.flavour, FLAVOUR_PY2);
    struct dict_view v;
    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 1), &v), 0);
    assert_int_equal(v.layout, DICT_KEY_VALUE);
    assert_null(v.note);
    assert_int_equal(v.type_ref, UINT32_MAX);
    expect_items(&h, &v, (const uint64_t[]){10, 12}, (const uint64_t[]){11, 13}, 2);
    refs_dict_free(&v);

    /* The collapsed old-style instance: its dict's pairs, the class apart. */
    obj_t i = tu_obj(&h, 30);
    assert_string_equal(heap_type_name(&h, i), "C");
    assert_int_equal(refs_as_dict(&h, i, &v), 0);
    assert_int_equal(v.layout, DICT_KEY_VALUE);
    assert_int_equal(heap_child_addr(&h, v.type_ref), 31);
    expect_items(&h, &v, (const uint64_t[]){10}, (const uint64_t[]){13}, 1);
    refs_dict_free(&v);

    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 40), &v), 0);
    assert_int_equal(v.layout, DICT_KEY_VALUE);
    assert_non_null(v.note); /* refs do not match len */
    assert_string_equal(v.note, "refs do not match len: some pairs may be missing");
    expect_items(&h, &v, (const uint64_t[]){10}, (const uint64_t[]){11}, 1);
    refs_dict_free(&v);
    heap_free(&h);
}

static const char py3_dump[] =
    "{\"address\": 3, \"type\": \"bytes\", \"size\": 40, \"len\": 3, \"value\": \"xyz\", \"refs\": []}\n"
    /* int keys: value first. */
    "{\"address\": 1, \"type\": \"dict\", \"size\": 232, \"len\": 2, \"refs\": [11, 10, 13, 12]}\n"
    "{\"address\": 10, \"type\": \"int\", \"size\": 28, \"value\": 1, \"refs\": []}\n"
    "{\"address\": 11, \"type\": \"str\", \"size\": 50, \"len\": 1, \"value\": \"a\", \"refs\": []}\n"
    "{\"address\": 12, \"type\": \"int\", \"size\": 28, \"value\": 2, \"refs\": []}\n"
    "{\"address\": 13, \"type\": \"str\", \"size\": 50, \"len\": 1, \"value\": \"b\", \"refs\": []}\n"
    /* str keys: values only. */
    "{\"address\": 2, \"type\": \"dict\", \"size\": 232, \"len\": 3, \"refs\": [10, 12, 11]}\n"
    /* Refs that fit neither. */
    "{\"address\": 4, \"type\": \"dict\", \"size\": 232, \"len\": 3, \"refs\": [10, 11, 12, 13]}\n"
    "{\"address\": 5, \"type\": \"dict\", \"size\": 232, \"len\": 1, \"refs\": [10, 11, 12]}\n"
    "{\"address\": 6, \"type\": \"dict\", \"size\": 64, \"len\": 0, \"refs\": []}\n"
    /* A 3.10 instance with a str-keyed dict, one with an int-keyed dict. */
    "{\"address\": 100, \"type\": \"Node\", \"size\": 48, \"refs\": [200, 300]}\n"
    "{\"address\": 200, \"type\": \"dict\", \"size\": 104, \"len\": 2, \"refs\": [10, 11]}\n"
    "{\"address\": 300, \"type\": \"type\", \"size\": 1064, \"name\": \"Node\", \"refs\": []}\n"
    "{\"address\": 101, \"type\": \"Node\", \"size\": 48, \"refs\": [201, 300]}\n"
    "{\"address\": 201, \"type\": \"dict\", \"size\": 104, \"len\": 1, \"refs\": [11, 12]}\n"
    /* A module: its dict's values, no type. */
    "{\"address\": 50, \"type\": \"module\", \"size\": 72, \"name\": \"m\", \"refs\": [51]}\n"
    "{\"address\": 51, \"type\": \"dict\", \"size\": 640, \"len\": 1, \"refs\": [13]}\n"
    "{\"address\": 60, \"type\": \"list\", \"size\": 72, \"len\": 2, \"refs\": [10, 11]}\n";

static void test_as_dict_py3(void **state)
{
    struct heap h;
    tu_load(py3_dump, 1, &h);
    assert_int_equal(h.flavour, FLAVOUR_PY3);
    struct dict_view v;

    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 1), &v), 0);
    assert_int_equal(v.layout, DICT_VALUE_KEY);
    assert_null(v.note);
    assert_int_equal(v.type_ref, UINT32_MAX);
    expect_items(&h, &v, (const uint64_t[]){10, 12}, (const uint64_t[]){11, 13}, 2);
    refs_dict_free(&v);

    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 2), &v), 0);
    assert_int_equal(v.layout, DICT_VALUES_ONLY);
    assert_string_equal(v.note, "Python 3 dict with str keys: the dump holds only the values, in order");
    expect_items(&h, &v, (const uint64_t[]){NOKEY, NOKEY, NOKEY}, (const uint64_t[]){10, 12, 11}, 3);
    refs_dict_free(&v);

    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 4), &v), 0);
    assert_int_equal(v.layout, DICT_VALUE_KEY);
    assert_string_equal(v.note, "refs do not match len: some pairs may be missing");
    expect_items(&h, &v, (const uint64_t[]){11, 13}, (const uint64_t[]){10, 12}, 2);
    refs_dict_free(&v);

    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 5), &v), 0);
    assert_int_equal(v.layout, DICT_VALUES_ONLY);
    assert_string_equal(v.note, "refs do not pair up: shown by position");
    expect_items(&h, &v, (const uint64_t[]){NOKEY, NOKEY, NOKEY}, (const uint64_t[]){10, 11, 12}, 3);
    refs_dict_free(&v);

    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 6), &v), 0);
    assert_int_equal(v.layout, DICT_VALUE_KEY);
    assert_null(v.note);
    assert_int_equal(v.n, 0);
    refs_dict_free(&v);
    heap_free(&h);
}

static void test_as_dict_collapsed_py3_instance(void **state)
{
    struct heap h;
    tu_load(py3_dump, 1, &h);
    struct dict_view v;
    /* Children [10, 11, type]: the last is the type, the rest values only. */
    obj_t n = tu_obj(&h, 100);
    TU_CHILDREN(&h, n, 10, 11, 300);
    assert_int_equal(refs_as_dict(&h, n, &v), 0);
    assert_int_equal(v.layout, DICT_VALUES_ONLY);
    assert_int_equal(heap_child_addr(&h, v.type_ref), 300);
    assert_string_equal(v.note, "Python 3 dict with str keys: the dump holds only the values, in order");
    expect_items(&h, &v, (const uint64_t[]){NOKEY, NOKEY}, (const uint64_t[]){10, 11}, 2);
    refs_dict_free(&v);

    /* Children [11, 12, type] with len 1: one value-key pair. */
    n = tu_obj(&h, 101);
    assert_int_equal(refs_as_dict(&h, n, &v), 0);
    assert_int_equal(v.layout, DICT_VALUE_KEY);
    assert_int_equal(heap_child_addr(&h, v.type_ref), 300);
    assert_null(v.note);
    expect_items(&h, &v, (const uint64_t[]){12}, (const uint64_t[]){11}, 1);
    refs_dict_free(&v);

    /* A collapsed module keeps all its children as the dict's. */
    obj_t m = tu_obj(&h, 50);
    assert_int_equal(refs_as_dict(&h, m, &v), 0);
    assert_int_equal(v.layout, DICT_VALUES_ONLY);
    assert_int_equal(v.type_ref, UINT32_MAX);
    expect_items(&h, &v, (const uint64_t[]){NOKEY}, (const uint64_t[]){13}, 1);
    refs_dict_free(&v);

    /* Not dict-like: a list, a type, a str. */
    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 60), &v), -1);
    assert_int_equal(v.layout, DICT_NONE);
    refs_dict_free(&v);
    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 300), &v), -1);
    assert_int_equal(v.layout, DICT_NONE);
    refs_dict_free(&v);
    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 11), &v), -1);
    refs_dict_free(&v);
    heap_free(&h);

    /* Without collapse an instance is not dict-like; its dict is. */
    tu_load(py3_dump, 0, &h);
    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 100), &v), -1);
    refs_dict_free(&v);
    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 200), &v), 0);
    assert_int_equal(v.layout, DICT_VALUES_ONLY);
    assert_int_equal(v.type_ref, UINT32_MAX);
    refs_dict_free(&v);
    heap_free(&h);
}

static void test_as_dict_unknown_flavour(void **state)
{
    static const char text[] =
        "{\"address\": 10, \"type\": \"str\", \"size\": 50, \"len\": 1, \"value\": \"a\", \"refs\": []}\n"
        "{\"address\": 11, \"type\": \"int\", \"size\": 28, \"value\": 1, \"refs\": []}\n"
        "{\"address\": 12, \"type\": \"str\", \"size\": 50, \"len\": 1, \"value\": \"b\", \"refs\": []}\n"
        "{\"address\": 13, \"type\": \"int\", \"size\": 28, \"value\": 2, \"refs\": []}\n"
        "{\"address\": 1, \"type\": \"dict\", \"size\": 232, \"len\": 2, \"refs\": [10, 11, 12, 13]}\n"
        "{\"address\": 2, \"type\": \"dict\", \"size\": 232, \"len\": 2, \"refs\": [11, 10, 13, 12]}\n"
        "{\"address\": 3, \"type\": \"dict\", \"size\": 232, \"len\": 2, \"refs\": [11, 13, 11, 13]}\n"
        "{\"address\": 4, \"type\": \"dict\", \"size\": 232, \"len\": 2, \"refs\": [11, 13]}\n";
    struct heap h;
    tu_load(text, 1, &h);
    assert_int_equal(h.flavour, FLAVOUR_UNKNOWN);
    const char *guess = "dump flavour unknown: key/value order guessed from which side holds strings";
    struct dict_view v;
    /* Strings on the even side: they are the keys. */
    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 1), &v), 0);
    assert_int_equal(v.layout, DICT_KEY_VALUE);
    assert_string_equal(v.note, guess);
    expect_items(&h, &v, (const uint64_t[]){10, 12}, (const uint64_t[]){11, 13}, 2);
    refs_dict_free(&v);
    /* Strings on the odd side. */
    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 2), &v), 0);
    assert_int_equal(v.layout, DICT_VALUE_KEY);
    assert_string_equal(v.note, guess);
    expect_items(&h, &v, (const uint64_t[]){10, 12}, (const uint64_t[]){11, 13}, 2);
    refs_dict_free(&v);
    /* No strings on either side: key first. */
    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 3), &v), 0);
    assert_int_equal(v.layout, DICT_KEY_VALUE);
    assert_string_equal(v.note, guess);
    refs_dict_free(&v);
    /* refs == len: values only. */
    assert_int_equal(refs_as_dict(&h, tu_obj(&h, 4), &v), 0);
    assert_int_equal(v.layout, DICT_VALUES_ONLY);
    expect_items(&h, &v, (const uint64_t[]){NOKEY, NOKEY}, (const uint64_t[]){11, 13}, 2);
    refs_dict_free(&v);
    heap_free(&h);
}

static void test_flavour_detection(void **state)
{
    struct heap h;
    tu_load(py2_dump, 0, &h);
    assert_int_equal(h.flavour, FLAVOUR_PY2);
    heap_free(&h);
    tu_load(py3_dump, 0, &h);
    assert_int_equal(h.flavour, FLAVOUR_PY3);
    heap_free(&h);
    tu_load("{\"address\": 1, \"type\": \"str\", \"size\": 50, \"refs\": []}\n", 0, &h);
    assert_int_equal(h.flavour, FLAVOUR_UNKNOWN);
    heap_free(&h);
    /* Each marker on its own. */
    static const char *const py2[] = {"classobj", "instance", "unicode", "long", "instancemethod"};
    static const char *const py3[] = {"bytes", "builtin_function_or_method", "method", "coroutine", "mappingproxy"};
    char line[200];
    for (size_t k = 0; k < TU_N(py2); k++) {
        snprintf(line, sizeof line, "{\"address\": 1, \"type\": \"%s\", \"size\": 50, \"refs\": []}\n", py2[k]);
        tu_load(line, 0, &h);
        assert_int_equal(h.flavour, FLAVOUR_PY2);
        heap_free(&h);
    }
    for (size_t k = 0; k < TU_N(py3); k++) {
        snprintf(line, sizeof line, "{\"address\": 1, \"type\": \"%s\", \"size\": 50, \"refs\": []}\n", py3[k]);
        tu_load(line, 0, &h);
        assert_int_equal(h.flavour, FLAVOUR_PY3);
        heap_free(&h);
    }
    assert_string_equal(refs_flavour_name(FLAVOUR_PY2), "Python 2");
    assert_string_equal(refs_flavour_name(FLAVOUR_PY3), "Python 3");
    assert_string_equal(refs_flavour_name(FLAVOUR_UNKNOWN), "unknown");
}

/* Two classes named Record, in modules a and b, a third held by no module:
 * each instance's class by its class object, named with its module. */
static void test_qualified_class_names(void **state)
{
    static const char text[] =
        "{\"address\": 1, \"type\": \"module\", \"size\": 50, \"name\": \"a\", \"refs\": [10]}\n"
        "{\"address\": 2, \"type\": \"module\", \"size\": 50, \"name\": \"b\", \"refs\": [20]}\n"
        "{\"address\": 10, \"type\": \"type\", \"size\": 900, \"name\": \"Record\", \"refs\": []}\n"
        "{\"address\": 20, \"type\": \"type\", \"size\": 900, \"name\": \"Record\", \"refs\": []}\n"
        "{\"address\": 30, \"type\": \"type\", \"size\": 900, \"name\": \"Record\", \"refs\": []}\n"
        "{\"address\": 100, \"type\": \"Record\", \"size\": 48, \"refs\": [10]}\n"
        "{\"address\": 200, \"type\": \"Record\", \"size\": 48, \"refs\": [20]}\n"
        "{\"address\": 300, \"type\": \"Record\", \"size\": 48, \"refs\": [30]}\n";
    struct heap h;
    tu_load(text, 0, &h);
    struct strbuf sb;
    sb_init(&sb);
    refs_class_qualified_name(&h, refs_class(&h, tu_obj(&h, 100)), &sb);
    assert_string_equal(sb_cstr(&sb), "a.Record");
    sb_reset(&sb);
    refs_class_qualified_name(&h, refs_class(&h, tu_obj(&h, 200)), &sb);
    assert_string_equal(sb_cstr(&sb), "b.Record");
    sb_reset(&sb);
    assert_int_equal(refs_qualified_class(&h, tu_obj(&h, 300), &sb), 3);
    assert_string_equal(sb_cstr(&sb), "Record@0x1e"); /* no module holds it: its address */
    /* The counted form answers as the scan does, and the repr takes the name. */
    uint32_t *counts = refs_class_counts(&h);
    assert_int_equal(counts[h.type[tu_obj(&h, 100)]], 3);
    assert_int_equal(counts[h.type[tu_obj(&h, 1)]], 0);
    for (size_t i = 0; i < h.n; i++) {
        struct strbuf a, b;
        sb_init(&a);
        sb_init(&b);
        assert_int_equal(refs_qualified_class_counted(&h, counts, (obj_t)i, &a),
                         refs_qualified_class(&h, (obj_t)i, &b));
        assert_string_equal(sb_cstr(&a), sb_cstr(&b));
        sb_free(&a);
        sb_free(&b);
    }
    sb_reset(&sb);
    refs_repr_class(&h, counts, tu_obj(&h, 200), 0, &sb);
    assert_string_equal(sb_cstr(&sb), "b.Record(200 48B 1refs)");
    sb_reset(&sb);
    refs_repr_class(&h, NULL, tu_obj(&h, 10), 0, &sb);
    assert_string_equal(sb_cstr(&sb), "type(10 900B 2par 'Record')");
    free(counts);
    sb_free(&sb);
    heap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repr_dict_and_str),
        cmocka_unit_test(test_repr_values),
        cmocka_unit_test(test_repr_quoting),
        cmocka_unit_test(test_repr_max_value_utf8),
        cmocka_unit_test(test_child_repr_and_literals),
        cmocka_unit_test(test_as_dict_py2),
        cmocka_unit_test(test_as_dict_py3),
        cmocka_unit_test(test_as_dict_collapsed_py3_instance),
        cmocka_unit_test(test_as_dict_unknown_flavour),
        cmocka_unit_test(test_flavour_detection),
        cmocka_unit_test(test_qualified_class_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
