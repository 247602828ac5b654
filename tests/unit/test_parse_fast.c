/* The fast path for meliae's exact layout must give the very record cJSON
 * gives, on every line of every dump in tests/data and on hand-made lines
 * at its edges; and it must take almost every real line. */
#include "testutil.h"

#include <zlib.h>

#include "parse.h"

/* Parse a line both ways and compare every field; returns 1 if the fast path took it. */
static int same_both_ways(const char *line, size_t len)
{
    struct parser fast, slow;
    struct record a, b;
    char wa[256] = "", wb[256] = "";
    parser_init(&fast);
    parser_init(&slow);
    enum parse_result ra = parse_line(&fast, line, len, &a, wa, sizeof wa);
    enum parse_result rb = parse_line_cjson(&slow, line, len, &b, wb, sizeof wb);
    int took_fast = fast.fast == 1;
    if (ra != rb)
        print_error("line: %.*s\n", (int)(len > 200 ? 200 : len), line);
    assert_int_equal(ra, rb);
    if (ra == PARSE_RECORD) {
        assert_int_equal(a.addr, b.addr);
        assert_int_equal(a.size, b.size);
        assert_int_equal(a.len, b.len);
        assert_int_equal(a.flags, b.flags);
        assert_int_equal(a.type_len, b.type_len);
        assert_memory_equal(a.type, b.type, a.type_len);
        assert_int_equal(a.str != NULL, b.str != NULL);
        assert_int_equal(a.str_len, b.str_len);
        if (a.str_len)
            assert_memory_equal(a.str, b.str, a.str_len);
        assert_int_equal(a.nrefs, b.nrefs);
        if (a.nrefs)
            assert_memory_equal(a.refs, b.refs, a.nrefs * sizeof *a.refs);
    } else if (ra == PARSE_ERROR) {
        assert_string_equal(wa, wb);
    }
    parser_free(&fast);
    parser_free(&slow);
    return took_fast;
}

static void check_dump(const char *path)
{
    gzFile gz = gzopen(path, "rb");
    assert_non_null(gz);
    size_t cap = 1 << 20, len = 0;
    char *line = malloc(cap);
    unsigned long lines = 0, fast = 0;
    int c;
    while ((c = gzgetc(gz)) != -1) {
        if (c != '\n') {
            if (len + 1 == cap)
                line = realloc(line, cap *= 2);
            line[len++] = (char)c;
            continue;
        }
        fast += (unsigned long)same_both_ways(line, len);
        lines++;
        len = 0;
    }
    if (len)
        fast += (unsigned long)same_both_ways(line, len), lines++;
    gzclose(gz);
    free(line);
    assert_true(lines > 10000);
    /* Real meliae output: all but a handful of lines take the fast path. */
    assert_true(fast * 1000 >= lines * 999);
}

static void test_small_py310(void **state) { (void)state; check_dump("tests/data/small-py310.json.gz"); }
static void test_edge_py310(void **state) { (void)state; check_dump("tests/data/edge-py310.json.gz"); }
static void test_small_py27(void **state) { (void)state; check_dump("tests/data/small-py27.json.gz"); }
static void test_leak_before(void **state) { (void)state; check_dump("tests/data/leak-before-py310.json.gz"); }

#define L(s) s, sizeof(s) - 1

static void test_edges_of_the_fast_path(void **state)
{
    (void)state;
    /* Taken by the fast path. */
    assert_true(same_both_ways(L("{\"address\": 1, \"type\": \"list\", \"size\": 72, \"len\": 0, \"refs\": []}")));
    assert_true(same_both_ways(L("{\"address\": 2, \"type\": \"str\", \"size\": 50, \"len\": 3, \"value\": \"a\\/b\", \"refs\": []}")));
    assert_true(same_both_ways(L("{\"address\": 3, \"type\": \"str\", \"size\": 50, \"len\": 2, \"value\": \"\\ud83d\\ude00\\u00e9\\n\\t\\\"\\\\\", \"refs\": []}")));
    assert_true(same_both_ways(L("{\"address\": 4, \"type\": \"int\", \"size\": 28, \"value\": -9223372036854775808, \"refs\": []}")));
    assert_true(same_both_ways(L("{\"address\": 5, \"type\": \"int\", \"size\": 28, \"value\": 0, \"refs\": []}")));
    assert_true(same_both_ways(L("{\"address\": 6, \"type\": \"frame\", \"size\": 400, \"value\": null, \"refs\": [1, 2, 3]}")));
    assert_true(same_both_ways(L("{\"address\": 7, \"type\": \"module\", \"size\": 72, \"name\": \"os.path\", \"refs\": [8]},")));
    assert_true(same_both_ways(L("  {\"address\": 9007199254740991, \"type\": \"x\", \"size\": 0, \"refs\": [9007199254740991]}\r")));
    /* Left to cJSON, which decides. */
    assert_false(same_both_ways(L("{\"type\": \"list\", \"address\": 1, \"size\": 72, \"refs\": []}")));
    assert_false(same_both_ways(L("{\"address\":1,\"type\":\"list\",\"size\":72,\"refs\":[]}")));
    assert_false(same_both_ways(L("{\"address\": 9007199254740992, \"type\": \"x\", \"size\": 0, \"refs\": []}")));
    assert_false(same_both_ways(L("{\"address\": 007, \"type\": \"x\", \"size\": 0, \"refs\": []}")));
    assert_false(same_both_ways(L("{\"address\": 1, \"type\": \"x\", \"size\": 0, \"value\": 1.5, \"refs\": []}")));
    assert_false(same_both_ways(L("{\"address\": 1, \"type\": \"str\", \"size\": 0, \"value\": \"\\ud800x\", \"refs\": []}")));
    assert_false(same_both_ways(L("{\"address\": 1, \"type\": \"str\", \"size\": 0, \"value\": \"a\\u0000b\", \"refs\": []}")));
    assert_false(same_both_ways(L("{\"address\": 1, \"type\": \"x\", \"size\": 0, \"refs\": [1, 2]} trailing")));
    assert_false(same_both_ways(L("{\"address\": 1, \"type\": \"x\", \"size\": 0, \"refs\": [1, 2")));
    assert_false(same_both_ways(L("{\"address\": 1, \"type\": \"x\", \"size\": 0, \"name\": \"n\", \"value\": \"v\", \"refs\": []}")));
    assert_false(same_both_ways(L("{\"address\": 1, \"type\": \"\", \"size\": 0, \"refs\": []}")));
    assert_false(same_both_ways(L("{\"address\": 1, \"type\": \"x\", \"size\": 0, \"refs\": [1,2]}")));
    assert_false(same_both_ways(L("{\"address\": -1, \"type\": \"x\", \"size\": 0, \"refs\": []}")));
    assert_false(same_both_ways(L("{\"address\": 1, \"type\": \"x\", \"size\": 0, \"refs\": [], \"extra\": 1}")));
    /* Found by fuzzing: the trailing comma is trimmed once, by both. */
    assert_false(same_both_ways(L(",,")));
    assert_false(same_both_ways(L("{\"address\": 1, \"type\": \"x\", \"size\": 0, \"refs\": []},,")));
    /* Blank and bracket lines are skipped by both. */
    assert_false(same_both_ways(L("[")));
    assert_false(same_both_ways(L("   ")));
}

/* Bytes that are not UTF-8 are left to cJSON, which reads them as U+FFFD:
 * JSON output must stay valid. */
static void test_invalid_utf8_repaired(void **state)
{
    (void)state;
    static const char line[] = "{\"address\": 1, \"type\": \"b\xfe\", \"size\": 5, \"len\": 3, "
                               "\"value\": \"a\xff\xc3\xa9\xc0\x80\", \"refs\": []}";
    assert_false(same_both_ways(line, sizeof line - 1));
    struct parser p;
    struct record r;
    char why[256];
    parser_init(&p);
    assert_int_equal(parse_line(&p, line, sizeof line - 1, &r, why, sizeof why), PARSE_RECORD);
    assert_int_equal(r.type_len, 4);
    assert_memory_equal(r.type, "b\xef\xbf\xbd", 4);
    /* a, U+FFFD for \xff, e-acute kept, and the overlong \xc0\x80 is two bad bytes */
    assert_int_equal(r.str_len, 1 + 3 + 2 + 3 + 3);
    assert_memory_equal(r.str, "a\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd", r.str_len);
    parser_free(&p);
}

/* A type and a value that both need decoding: the first must not move when
 * the second is decoded. */
static void test_two_decoded_strings(void **state)
{
    (void)state;
    static const char line[] = "{\"address\": 1, \"type\": \"N\\u00e9\", \"size\": 5, \"len\": 3, "
                               "\"value\": \"x\\ny\\u0000z\", \"refs\": []}";
    struct parser p;
    struct record r;
    char why[256];
    parser_init(&p);
    assert_int_equal(parse_line(&p, line, sizeof line - 1, &r, why, sizeof why), PARSE_RECORD);
    assert_int_equal(r.type_len, 3);
    assert_memory_equal(r.type, "N\xc3\xa9", 3);
    assert_int_equal(r.str_len, 5);
    assert_memory_equal(r.str, "x\ny\0z", 5);
    parser_free(&p);
}

/* Numbers around the eight-digits-at-once reading (lengths 1 to 23, digits
 * and non-digits at every position, the 2^53 bound) read the same both ways:
 * a number cJSON refuses, the fast path hands to cJSON too. */
static void test_numbers_both_ways(void **state)
{
    static const char *const nums[] = {
        "0", "7", "1234567", "12345678", "123456789", "1234567890123456", "140234567890123",
        "9007199254740991", "9007199254740992", "9007199254740993", "9007199299999999",
        "90071991999999999", "9007199199999999", "900719925474099", "99999999999999999999999",
        "00", "01", "0123456789", "1234567:", "12345678:9", "1234/5678", "12345678901234567a",
        "1e5", "1.0", "-1", "12345678 ", "123456789012345678901234567890",
    };
    char line[256];
    for (size_t k = 0; k < sizeof nums / sizeof *nums; k++) {
        int n = snprintf(line, sizeof line, "{\"address\": %s, \"type\": \"list\", \"size\": %s, \"len\": 1, \"refs\": [%s, 16]}",
                         nums[k], nums[k], nums[k]);
        int took = same_both_ways(line, (size_t)n);
        if (k < 8) /* the valid ones: the fast path reads them itself */
            assert_true(took);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edges_of_the_fast_path),
        cmocka_unit_test(test_numbers_both_ways),
        cmocka_unit_test(test_invalid_utf8_repaired),
        cmocka_unit_test(test_two_decoded_strings),
        cmocka_unit_test(test_small_py310),
        cmocka_unit_test(test_edge_py310),
        cmocka_unit_test(test_small_py27),
        cmocka_unit_test(test_leak_before),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
