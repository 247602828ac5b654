/* test_parse.c: parse_line, one dump line -> one record, or a reason why not.
 * Every test runs through parse_line (fast path + cJSON) and again through
 * parse_line_cjson ("cjson:" in the test name): the two must agree. */
#include "testutil.h"

#include "heap.h"
#include "parse.h"

/* Each test runs twice, with a fresh parser in *state each time: through
 * parse_line (meliae's exact layout takes the fast path, the rest goes to
 * cJSON) and through parse_line_cjson (cJSON only). Both must agree. */
struct fixture {
    struct parser p;
    enum parse_result (*parse)(struct parser *, const char *, size_t, struct record *, char *, size_t);
};

static int setup(void **state, int cjson)
{
    struct fixture *f = malloc(sizeof *f);
    if (!f)
        return -1;
    parser_init(&f->p);
    f->parse = cjson ? parse_line_cjson : parse_line;
    *state = f;
    return 0;
}
static int setup_parser(void **state) { return setup(state, 0); }
static int setup_cjson(void **state) { return setup(state, 1); }

static int teardown_parser(void **state)
{
    struct fixture *f = *state;
    parser_free(&f->p);
    free(f);
    return 0;
}

static enum parse_result parse_n(void *st, const char *line, size_t len, struct record *rec, char *why)
{
    struct fixture *f = st;
    why[0] = '\0';
    return f->parse(&f->p, line, len, rec, why, HW_ERRMAX);
}

/* Parse a line that must give a record. */
static void parse_ok_n(void *p, const char *line, size_t len, struct record *rec)
{
    char why[HW_ERRMAX];
    enum parse_result r = parse_n(p, line, len, rec, why);
    if (r != PARSE_RECORD)
        print_error("line %s\n  gave %d: %s\n", line, (int)r, why);
    assert_int_equal(r, PARSE_RECORD);
}
static void parse_ok(void *p, const char *line, struct record *rec)
{
    parse_ok_n(p, line, strlen(line), rec);
}

/* Parse a line that must be refused with exactly this reason. */
static void parse_err(void *p, const char *line, const char *want)
{
    char why[HW_ERRMAX];
    struct record rec;
    enum parse_result r = parse_n(p, line, strlen(line), &rec, why);
    if (r != PARSE_ERROR || strcmp(why, want) != 0)
        print_error("line %s\n  gave %d: %s\n  want error: %s\n", line, (int)r, why, want);
    assert_int_equal(r, PARSE_ERROR);
    assert_string_equal(why, want);
}

static void parse_skip(void *p, const char *line, size_t len)
{
    char why[HW_ERRMAX];
    struct record rec;
    assert_int_equal(parse_n(p, line, len, &rec, why), PARSE_SKIP);
}

/* The record's type and string must be exactly these bytes. */
static void assert_bytes(const char *got, size_t got_len, const char *want, size_t want_len)
{
    assert_non_null(got);
    if (got_len != want_len)
        print_error("length %zu, want %zu\n", got_len, want_len);
    assert_int_equal(got_len, want_len);
    assert_memory_equal(got, want, want_len);
}
#define ASSERT_TYPE(rec, lit) assert_bytes((rec)->type, (rec)->type_len, (lit), sizeof(lit) - 1)
#define ASSERT_STR(rec, lit) assert_bytes((rec)->str, (rec)->str_len, (lit), sizeof(lit) - 1)

/* --- well-formed lines --- */

static void test_canonical_dict(void **state)
{
    struct record rec;
    parse_ok(*state, "{\"address\": 140435321315968, \"type\": \"dict\", \"size\": 1048, \"len\": 3, "
                     "\"refs\": [140435321315000, 11409312, 140435321315000, 7, 0, 9007199254740991]}", &rec);
    assert_int_equal(rec.addr, 140435321315968ULL);
    ASSERT_TYPE(&rec, "dict");
    assert_int_equal(rec.size, 1048);
    assert_int_equal(rec.len, 3);
    assert_int_equal(rec.flags, OF_HAS_LEN);
    assert_null(rec.str);
    assert_int_equal(rec.str_len, 0);
    assert_int_equal(rec.nrefs, 6);
    assert_int_equal(rec.refs[0], 140435321315000ULL);
    assert_int_equal(rec.refs[1], 11409312);
    assert_int_equal(rec.refs[2], 140435321315000ULL);
    assert_int_equal(rec.refs[3], 7);
    assert_int_equal(rec.refs[4], 0);
    assert_int_equal(rec.refs[5], 9007199254740991ULL); /* 2^53 - 1: the largest exact one */
}

static void test_canonical_str(void **state)
{
    struct record rec;
    parse_ok(*state, "{\"address\": 11409312, \"type\": \"str\", \"size\": 54, \"len\": 3, \"value\": \"abc\", \"refs\": []}",
             &rec);
    assert_int_equal(rec.addr, 11409312);
    ASSERT_TYPE(&rec, "str");
    assert_int_equal(rec.size, 54);
    assert_int_equal(rec.len, 3);
    assert_int_equal(rec.flags, OF_HAS_LEN | OF_VALUE);
    ASSERT_STR(&rec, "abc");
    assert_int_equal(rec.nrefs, 0);
}

static void test_canonical_module_name(void **state)
{
    struct record rec;
    parse_ok(*state, "{\"address\": 140435321000000, \"type\": \"module\", \"size\": 72, \"name\": \"os.path\", "
                     "\"refs\": [140435321315968]}", &rec);
    ASSERT_TYPE(&rec, "module");
    assert_int_equal(rec.size, 72);
    assert_int_equal(rec.flags, OF_NAME);
    ASSERT_STR(&rec, "os.path");
    assert_int_equal(rec.len, 0);
    assert_int_equal(rec.nrefs, 1);
    assert_int_equal(rec.refs[0], 140435321315968ULL);
}

static void test_dotted_type_and_escapes(void **state)
{
    struct record rec;
    /* JSON escapes as meliae writes them: \/ for '/', \" \\ \n \t. */
    parse_ok(*state, "{\"address\": 16, \"type\": \"weakref.ReferenceType\", \"size\": 80, "
                     "\"value\": \"a\\/b\\\"c\\\\d\\ne\\tf\", \"refs\": []}", &rec);
    ASSERT_TYPE(&rec, "weakref.ReferenceType");
    ASSERT_STR(&rec, "a/b\"c\\d\ne\tf");
    assert_int_equal(rec.flags, OF_VALUE);
}

static void test_any_key_order(void **state)
{
    struct record rec;
    parse_ok(*state, "{\"refs\": [7, 8], \"value\": \"xy\", \"len\": 2, \"size\": 51, \"type\": \"str\", \"address\": 5}",
             &rec);
    assert_int_equal(rec.addr, 5);
    ASSERT_TYPE(&rec, "str");
    assert_int_equal(rec.size, 51);
    assert_int_equal(rec.len, 2);
    ASSERT_STR(&rec, "xy");
    assert_int_equal(rec.flags, OF_HAS_LEN | OF_VALUE);
    assert_int_equal(rec.nrefs, 2);
    assert_int_equal(rec.refs[0], 7);
    assert_int_equal(rec.refs[1], 8);

    /* An int value first: its text is found wherever the key is. */
    parse_ok(*state, "{\"value\": 42, \"refs\": [], \"address\": 6, \"size\": 28, \"type\": \"int\"}", &rec);
    assert_int_equal(rec.addr, 6);
    ASSERT_STR(&rec, "42");
    assert_int_equal(rec.flags, OF_VALUE_NUM);
}

static void test_extra_keys(void **state)
{
    struct record rec;
    parse_ok(*state, "{\"address\": 5, \"extra\": {\"a\": [1, {\"value\": 3}], \"s\": \"}]\"}, \"type\": \"T\", "
                     "\"size\": 1, \"note\": \"value\", \"refs\": [9], \"more\": [\"]\", {\"b\": \"[\"}]}", &rec);
    assert_int_equal(rec.addr, 5);
    ASSERT_TYPE(&rec, "T");
    assert_int_equal(rec.size, 1);
    assert_int_equal(rec.flags, 0);
    assert_null(rec.str);
    assert_int_equal(rec.nrefs, 1);
    assert_int_equal(rec.refs[0], 9);
}

static void test_int_value_text_found_past_decoys(void **state)
{
    struct record rec;
    /* Nested "value" keys, a string holding "value": and brackets in strings
     * come before the real key: the text taken must be the top-level one. */
    parse_ok(*state, "{\"extra\": {\"value\": 1, \"s\": \"}\"}, \"note\": \"x\\\"value\\\": 7\", \"address\": 5, "
                     "\"type\": \"int\", \"name\": \"value\", \"size\": 28, \"value\": 42, \"refs\": []}", &rec);
    assert_int_equal(rec.addr, 5);
    ASSERT_STR(&rec, "42");
    /* A value wins over a name. */
    assert_int_equal(rec.flags, OF_VALUE_NUM);
}

static void test_spacing(void **state)
{
    struct record rec;
    parse_ok(*state, "{\"address\":5,\"type\":\"int\",\"size\":28,\"value\":-5,\"refs\":[1,2]}", &rec);
    assert_int_equal(rec.addr, 5);
    ASSERT_TYPE(&rec, "int");
    ASSERT_STR(&rec, "-5");
    assert_int_equal(rec.nrefs, 2);

    parse_ok(*state, "  \t{  \"address\" :  5 , \"type\"\t: \"int\" , \"size\" : 28 ,\"value\" :  -5  , "
                     "\"refs\" : [ 1 ,\t2 ] }  \t", &rec);
    assert_int_equal(rec.addr, 5);
    ASSERT_TYPE(&rec, "int");
    assert_int_equal(rec.size, 28);
    ASSERT_STR(&rec, "-5");
    assert_int_equal(rec.nrefs, 2);
    assert_int_equal(rec.refs[1], 2);

    /* The value last, right before the brace. */
    parse_ok(*state, "{\"address\": 5, \"type\": \"int\", \"value\": 123}", &rec);
    ASSERT_STR(&rec, "123");
    parse_ok(*state, "{\"address\": 5, \"type\": \"int\", \"value\": 123 }", &rec);
    ASSERT_STR(&rec, "123");
}

static void test_crlf_and_array_form(void **state)
{
    struct record rec;
    parse_ok(*state, "{\"address\": 5, \"type\": \"str\", \"size\": 50, \"value\": \"x\", \"refs\": []}\r", &rec);
    assert_int_equal(rec.addr, 5);
    ASSERT_STR(&rec, "x");
    /* The array form: each object but the last ends in ','. */
    parse_ok(*state, "{\"address\": 6, \"type\": \"str\", \"size\": 50, \"value\": \"y\", \"refs\": [1]},", &rec);
    assert_int_equal(rec.addr, 6);
    ASSERT_STR(&rec, "y");
    assert_int_equal(rec.nrefs, 1);
    parse_ok(*state, "{\"address\": 7, \"type\": \"str\", \"size\": 50, \"refs\": []} ,\r", &rec);
    assert_int_equal(rec.addr, 7);
    parse_ok(*state, "{\"address\": 8, \"type\": \"str\", \"size\": 50, \"refs\": []},\r", &rec);
    assert_int_equal(rec.addr, 8);
    /* The line length is what counts, not a NUL: bytes past len are not read. */
    const char *two = "{\"address\": 9, \"type\": \"str\", \"refs\": []}\n{\"address\": 10";
    parse_ok_n(*state, two, strchr(two, '\n') - two, &rec);
    assert_int_equal(rec.addr, 9);
}

static void test_skipped_lines(void **state)
{
    parse_skip(*state, "", 0);
    parse_skip(*state, "[", 1);
    parse_skip(*state, "]", 1);
    parse_skip(*state, "[\r", 2);
    parse_skip(*state, "]\r", 2);
    parse_skip(*state, "  [  ", 5);
    parse_skip(*state, "   ", 3);
    parse_skip(*state, "\r", 1);
    parse_skip(*state, "\t \r", 3);
    parse_skip(*state, ",", 1);
}

static void test_value_null_and_bool(void **state)
{
    struct record rec;
    parse_ok(*state, "{\"address\": 1, \"type\": \"frame\", \"size\": 400, \"value\": null, \"refs\": []}", &rec);
    assert_int_equal(rec.flags, OF_VALUE_NULL);
    assert_null(rec.str);
    assert_int_equal(rec.str_len, 0);

    /* JSON true/false read as Python's spelling. */
    parse_ok(*state, "{\"address\": 2, \"type\": \"bool\", \"size\": 28, \"value\": true, \"refs\": []}", &rec);
    assert_int_equal(rec.flags, OF_VALUE);
    ASSERT_STR(&rec, "True");
    parse_ok(*state, "{\"address\": 3, \"type\": \"bool\", \"size\": 28, \"value\": false, \"refs\": []}", &rec);
    assert_int_equal(rec.flags, OF_VALUE);
    ASSERT_STR(&rec, "False");
    /* meliae itself writes bools as strings. */
    parse_ok(*state, "{\"address\": 4, \"type\": \"bool\", \"size\": 28, \"value\": \"True\", \"refs\": []}", &rec);
    assert_int_equal(rec.flags, OF_VALUE);
    ASSERT_STR(&rec, "True");
    /* A frame's code name. */
    parse_ok(*state, "{\"address\": 5, \"type\": \"frame\", \"size\": 400, \"value\": \"main\", \"refs\": [1]}", &rec);
    assert_int_equal(rec.flags, OF_VALUE);
    ASSERT_STR(&rec, "main");
}

static void test_int_values_exact_text(void **state)
{
    static const char *const texts[] = {
        "0", "42", "-5", "9223372036854775807", "-9223372036854775808", "18446744073709551615",
        "9007199254740993", /* 2^53 + 1: a double cannot hold it */
        "123456789012345678901234567890", "1.5", "-0",
    };
    for (size_t k = 0; k < TU_N(texts); k++) {
        char line[256];
        snprintf(line, sizeof line, "{\"address\": 7, \"type\": \"int\", \"size\": 36, \"value\": %s, \"refs\": []}",
                 texts[k]);
        struct record rec;
        parse_ok(*state, line, &rec);
        assert_int_equal(rec.flags, OF_VALUE_NUM);
        assert_bytes(rec.str, rec.str_len, texts[k], strlen(texts[k]));
    }
}

static void test_name_vs_value(void **state)
{
    struct record rec;
    parse_ok(*state, "{\"address\": 1, \"type\": \"function\", \"size\": 136, \"name\": \"main\", \"refs\": []}", &rec);
    assert_int_equal(rec.flags, OF_NAME);
    ASSERT_STR(&rec, "main");
    /* Both (meliae never writes that): the value wins. */
    parse_ok(*state, "{\"address\": 1, \"type\": \"X\", \"size\": 1, \"name\": \"nm\", \"value\": \"val\", \"refs\": []}",
             &rec);
    assert_int_equal(rec.flags, OF_VALUE);
    ASSERT_STR(&rec, "val");
    parse_ok(*state, "{\"address\": 1, \"type\": \"X\", \"size\": 1, \"value\": \"val\", \"name\": \"nm\", \"refs\": []}",
             &rec);
    assert_int_equal(rec.flags, OF_VALUE);
    ASSERT_STR(&rec, "val");
    parse_ok(*state, "{\"address\": 1, \"type\": \"X\", \"size\": 1, \"name\": \"nm\", \"value\": null, \"refs\": []}",
             &rec);
    assert_int_equal(rec.flags, OF_VALUE_NULL);
    assert_null(rec.str);
    /* "name": null is no name. */
    parse_ok(*state, "{\"address\": 1, \"type\": \"X\", \"size\": 1, \"name\": null, \"refs\": []}", &rec);
    assert_int_equal(rec.flags, 0);
    assert_null(rec.str);
    /* An empty name is a name. */
    parse_ok(*state, "{\"address\": 1, \"type\": \"X\", \"size\": 1, \"name\": \"\", \"refs\": []}", &rec);
    assert_int_equal(rec.flags, OF_NAME);
    assert_non_null(rec.str);
    assert_int_equal(rec.str_len, 0);
}

static void test_len_and_optional_fields(void **state)
{
    struct record rec;
    parse_ok(*state, "{\"address\": 1, \"type\": \"list\", \"size\": 88, \"len\": 0, \"refs\": []}", &rec);
    assert_int_equal(rec.flags, OF_HAS_LEN);
    assert_int_equal(rec.len, 0);
    parse_ok(*state, "{\"address\": 1, \"type\": \"list\", \"size\": 88, \"len\": 4000000000, \"refs\": []}", &rec);
    assert_int_equal(rec.flags, OF_HAS_LEN);
    assert_int_equal(rec.len, 4000000000ULL);
    parse_ok(*state, "{\"address\": 1, \"type\": \"list\", \"size\": 88, \"len\": null, \"refs\": []}", &rec);
    assert_int_equal(rec.flags, 0);
    assert_int_equal(rec.len, 0);
    /* Only address and type are required. */
    parse_ok(*state, "{\"address\": 1, \"type\": \"NoneType\"}", &rec);
    assert_int_equal(rec.addr, 1);
    ASSERT_TYPE(&rec, "NoneType");
    assert_int_equal(rec.size, 0);
    assert_int_equal(rec.len, 0);
    assert_int_equal(rec.flags, 0);
    assert_null(rec.str);
    assert_int_equal(rec.nrefs, 0);
    parse_ok(*state, "{\"address\": 1, \"type\": \"T\", \"refs\": null}", &rec);
    assert_int_equal(rec.nrefs, 0);
    /* Sizes past 4 GiB and exact up to 2^53 - 1; an integral 1e3 is 1000. */
    parse_ok(*state, "{\"address\": 9007199254740991, \"type\": \"bytes\", \"size\": 5000000000, \"len\": 1e3}", &rec);
    assert_int_equal(rec.addr, 9007199254740991ULL);
    assert_int_equal(rec.size, 5000000000ULL);
    assert_int_equal(rec.len, 1000);
    /* Address 0 is a real object (meliae's <ex-reference>). */
    parse_ok(*state, "{\"address\": 0, \"type\": \"<ex-reference>\", \"size\": 0, \"refs\": []}", &rec);
    assert_int_equal(rec.addr, 0);
    ASSERT_TYPE(&rec, "<ex-reference>");
}

static void test_parser_reuse_and_many_refs(void **state)
{
    void *p = *state;
    /* 1000 refs: the refs buffer grows past its first 64. */
    struct strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, "{\"address\": 1, \"type\": \"list\", \"size\": 8056, \"len\": 1000, \"refs\": [");
    for (int k = 0; k < 1000; k++)
        sb_printf(&sb, "%s%d", k ? ", " : "", 1000 + k * 16);
    sb_adds(&sb, "]}");
    struct record rec;
    parse_ok(p, sb_cstr(&sb), &rec);
    assert_int_equal(rec.nrefs, 1000);
    for (int k = 0; k < 1000; k++)
        assert_int_equal(rec.refs[k], (uint64_t)(1000 + k * 16));
    sb_free(&sb);
    /* The next line replaces the record entirely. */
    parse_ok(p, "{\"address\": 2, \"type\": \"tuple\", \"size\": 56, \"len\": 2, \"refs\": [3, 4]}", &rec);
    assert_int_equal(rec.addr, 2);
    ASSERT_TYPE(&rec, "tuple");
    assert_int_equal(rec.nrefs, 2);
    assert_int_equal(rec.refs[0], 3);
    assert_int_equal(rec.refs[1], 4);
    /* An error in between does not spoil the parser. */
    parse_err(p, "{\"address\": -1, \"type\": \"x\"}", "\"address\" is negative (-1)");
    parse_ok(p, "{\"address\": 3, \"type\": \"str\", \"value\": \"v\"}", &rec);
    assert_int_equal(rec.addr, 3);
    ASSERT_STR(&rec, "v");
    assert_int_equal(rec.nrefs, 0);
}

static void test_duplicate_keys_first_wins(void **state)
{
    struct record rec;
    parse_ok(*state, "{\"address\": 1, \"address\": 2, \"type\": \"int\", \"value\": 10, \"value\": 20}", &rec);
    assert_int_equal(rec.addr, 1);
    /* The exact text is the first "value", as cJSON's lookup finds the first. */
    ASSERT_STR(&rec, "10");
}

/* --- unicode --- */

static void test_unicode_escapes(void **state)
{
    struct record rec;
    parse_ok(*state, "{\"address\": 1, \"type\": \"str\", \"value\": \"caf\\u00e9 \\u20ac \\u00E9\"}", &rec);
    ASSERT_STR(&rec, "caf\xc3\xa9 \xe2\x82\xac \xc3\xa9");
    /* A character above U+FFFF, written as a surrogate pair (either case). */
    parse_ok(*state, "{\"address\": 1, \"type\": \"str\", \"value\": \"<\\ud83d\\ude00>\"}", &rec);
    ASSERT_STR(&rec, "<\xf0\x9f\x98\x80>");
    parse_ok(*state, "{\"address\": 1, \"type\": \"str\", \"value\": \"\\uD83D\\uDE00\"}", &rec);
    ASSERT_STR(&rec, "\xf0\x9f\x98\x80");
    /* Raw UTF-8 passes through. */
    parse_ok(*state, "{\"address\": 1, \"type\": \"str\", \"value\": \"\xc3\xa9\xf0\x9f\x98\x80\"}", &rec);
    ASSERT_STR(&rec, "\xc3\xa9\xf0\x9f\x98\x80");
}

static void test_lone_surrogates(void **state)
{
    struct record rec;
    /* A lone high surrogate reads as U+FFFD (EF BF BD). */
    parse_ok(*state, "{\"address\": 1, \"type\": \"str\", \"size\": 80, \"value\": \"a\\ud800b\", \"refs\": [2]}", &rec);
    assert_int_equal(rec.addr, 1);
    assert_int_equal(rec.size, 80);
    ASSERT_STR(&rec, "a\xef\xbf\xbd" "b");
    assert_int_equal(rec.nrefs, 1);
    assert_int_equal(rec.refs[0], 2);
    /* A lone low one, at the end. */
    parse_ok(*state, "{\"address\": 1, \"type\": \"str\", \"value\": \"x\\udc00\"}", &rec);
    ASSERT_STR(&rec, "x\xef\xbf\xbd");
    /* A high one followed by a non-surrogate escape. */
    parse_ok(*state, "{\"address\": 1, \"type\": \"str\", \"value\": \"\\ud800\\u0041\"}", &rec);
    ASSERT_STR(&rec, "\xef\xbf\xbd" "A");
    /* Two high ones in a row: both replaced. */
    parse_ok(*state, "{\"address\": 1, \"type\": \"str\", \"value\": \"\\ud800\\ud800\"}", &rec);
    ASSERT_STR(&rec, "\xef\xbf\xbd\xef\xbf\xbd");
    /* A lone low one, then a good pair: only the lone one is replaced. */
    parse_ok(*state, "{\"address\": 1, \"type\": \"str\", \"value\": \"\\udc00\\ud83d\\ude00\"}", &rec);
    ASSERT_STR(&rec, "\xef\xbf\xbd\xf0\x9f\x98\x80");
    /* An escaped backslash followed by "ud800" is text, not an escape. */
    parse_ok(*state, "{\"address\": 1, \"type\": \"str\", \"value\": \"\\\\ud800 \\ud800\"}", &rec);
    ASSERT_STR(&rec, "\\ud800 \xef\xbf\xbd");
    /* A lone surrogate in a name, with an int value elsewhere on the line. */
    parse_ok(*state, "{\"address\": 1, \"type\": \"function\", \"name\": \"f\\udfff\", \"refs\": []}", &rec);
    assert_int_equal(rec.flags, OF_NAME);
    ASSERT_STR(&rec, "f\xef\xbf\xbd");
}

/* Regression, was a bug: a "\u0000" escape in a value (common in bytes values) cuts the value
 * at the NUL: the record's str_len comes from strlen() of cJSON's string, so
 * "a\u0000b" gives "a" (str_len 1) instead of the 3 bytes 'a', NUL, 'b'. The
 * string pool keeps NUL bytes; the parser loses them first. */
static void test_value_with_nul_escape(void **state)
{
    struct record rec;
    parse_ok(*state, "{\"address\": 1, \"type\": \"bytes\", \"size\": 36, \"len\": 3, \"value\": \"a\\u0000b\", \"refs\": []}",
             &rec);
    assert_int_equal(rec.flags, OF_VALUE | OF_HAS_LEN);
    assert_int_equal(rec.len, 3);
    ASSERT_STR(&rec, "a\0b");
}

/* --- errors --- */

static void test_error_not_an_object(void **state)
{
    parse_err(*state, "[1, 2]", "not a JSON object (starts with '[')");
    parse_err(*state, "42", "not a JSON object (starts with '4')");
    parse_err(*state, "\"address\"", "not a JSON object (starts with '\"')");
    parse_err(*state, "null", "not a JSON object (starts with 'n')");
    parse_err(*state, "garbage here", "not a JSON object (starts with 'g')");
    /* White space and a trailing comma are trimmed first. */
    parse_err(*state, "  x,\r", "not a JSON object (starts with 'x')");
}

static void test_error_invalid_json_with_position(void **state)
{
    parse_err(*state, "{\"address\": 5, \"type\": \"str\" \"size\": 1}",
              "invalid JSON at byte 30: expected ',' or '}'");
    parse_err(*state, "{\"address\": 5, \"type\": \"str\", \"size\": 54, \"value\": \"a\\qb\"}",
              "invalid JSON at byte 55: an invalid escape in a string");
    parse_err(*state, "{\"address\": x}", "invalid JSON at byte 13: not a JSON value");
    parse_err(*state, "{address: 5}", "invalid JSON at byte 2: expected a key in quotes");
    parse_err(*state, "{\"address\" 5}", "invalid JSON at byte 12: expected ':' after a key");
    parse_err(*state, "{\"address\": 5 x}", "invalid JSON at byte 15: expected ',' or '}'");
    parse_err(*state, "{\"address\": 5, \"refs\": [1 2]}", "invalid JSON at byte 27: expected ',' or ']'");
}

/* Regression, was a bug: cJSON reads a \u escape with a non-hex digit as U+0000 instead of
 * refusing it, so "\u12G4" is accepted (the value silently becomes empty, cut
 * at the NUL) and the validator's own "a \u escape without four hex digits"
 * is never reached: the line should be refused with that reason. */
static void test_error_bad_u_escape(void **state)
{
    parse_err(*state, "{\"address\": 5, \"type\": \"str\", \"size\": 54, \"value\": \"\\u12G4\"}",
              "invalid JSON at byte 53: a \\u escape without four hex digits");
}

static void test_error_text_after_object(void **state)
{
    parse_err(*state, "{\"address\": 5, \"type\": \"T\"}x", "unexpected text after the object at byte 28");
    parse_err(*state, "{\"address\": 5, \"type\": \"T\"}}", "unexpected text after the object at byte 28");
}

/* Regression, was a bug: byte positions count from the first non-blank byte, not from the start
 * of the line: "   {\"address\": 5 x}" (three leading spaces) reports byte 15
 * where the bad 'x' is byte 18 of the line. */
static void test_error_position_counts_leading_blanks(void **state)
{
    parse_err(*state, "   {\"address\": 5 x}", "invalid JSON at byte 18: expected ',' or '}'");
}

static void test_error_cut_short(void **state)
{
    /* Cut inside a string, inside the refs array, after a colon, before the brace. */
    parse_err(*state, "{\"address\": 5, \"type\": \"str\", \"size\": 54, \"value\": \"ab",
              "invalid JSON at byte 55: the line ends inside a string (cut short?)");
    parse_err(*state, "{\"address\": 5, \"type\": \"list\", \"size\": 72, \"refs\": [1, 2",
              "invalid JSON at byte 57: the line ends inside an array (cut short?)");
    parse_err(*state, "{\"address\":", "invalid JSON at byte 12: the line ends where a value should be (cut short?)");
    parse_err(*state, "{\"address\": 5, \"type\": \"list\", \"size\": 72, \"refs\": [1, 2]",
              "invalid JSON at byte 58: the line ends inside an object (cut short?)");
    parse_err(*state, "{", "invalid JSON at byte 2: the line ends inside an object (cut short?)");
}

static void test_error_number_cjson_refuses(void **state)
{
    char why[HW_ERRMAX];
    struct record rec;
    const char *line = "{\"address\": 1.2.3, \"type\": \"x\"}";
    assert_int_equal(parse_n(*state, line, strlen(line), &rec, why), PARSE_ERROR);
    assert_non_null(strstr(why, "invalid JSON at byte "));
    assert_non_null(strstr(why, ": a number or string cJSON cannot read"));
}

static void test_error_missing_fields(void **state)
{
    parse_err(*state, "{\"type\": \"str\", \"size\": 1, \"refs\": []}", "no \"address\"");
    parse_err(*state, "{}", "no \"address\"");
    parse_err(*state, "{\"Address\": 1, \"type\": \"str\"}", "no \"address\"");
    parse_err(*state, "{\"address\": 1, \"size\": 1, \"refs\": []}", "no \"type\"");
    parse_err(*state, "{\"address\": 1, \"type\": 5}", "\"type\" is not a string");
    parse_err(*state, "{\"address\": 1, \"type\": null}", "\"type\" is not a string");
    parse_err(*state, "{\"address\": 1, \"type\": \"\"}", "\"type\" is empty");
}

static void test_error_address(void **state)
{
    parse_err(*state, "{\"address\": \"140435321315968\", \"type\": \"str\"}", "\"address\" is a string, not a number");
    parse_err(*state, "{\"address\": null, \"type\": \"str\"}", "\"address\" is null, not a number");
    parse_err(*state, "{\"address\": true, \"type\": \"str\"}", "\"address\" is a boolean, not a number");
    parse_err(*state, "{\"address\": [1], \"type\": \"str\"}", "\"address\" is an array, not a number");
    parse_err(*state, "{\"address\": {}, \"type\": \"str\"}", "\"address\" is an object, not a number");
    parse_err(*state, "{\"address\": -16, \"type\": \"str\"}", "\"address\" is negative (-16)");
    parse_err(*state, "{\"address\": 1.5, \"type\": \"str\"}", "\"address\" is not a whole number (1.5)");
    parse_err(*state, "{\"address\": 140435321315968.25, \"type\": \"str\"}",
              "\"address\" is not a whole number (140435321315968.25)");
    /* 2^53 and above cannot be read exactly from a double: refused, not rounded. */
    parse_err(*state, "{\"address\": 9007199254740992, \"type\": \"str\"}",
              "\"address\" is 2^53 or more (9007199254740992): too large to read exactly");
    parse_err(*state, "{\"address\": 18446744073709551615, \"type\": \"str\"}",
              "\"address\" is 2^53 or more (1.8446744073709552e+19): too large to read exactly");
}

static void test_error_size_len(void **state)
{
    parse_err(*state, "{\"address\": 1, \"type\": \"str\", \"size\": -1}", "\"size\" is negative (-1)");
    parse_err(*state, "{\"address\": 1, \"type\": \"str\", \"size\": 2.5}", "\"size\" is not a whole number (2.5)");
    parse_err(*state, "{\"address\": 1, \"type\": \"str\", \"size\": \"54\"}", "\"size\" is a string, not a number");
    parse_err(*state, "{\"address\": 1, \"type\": \"str\", \"size\": 1e20}",
              "\"size\" is 2^53 or more (1e+20): too large to read exactly");
    parse_err(*state, "{\"address\": 1, \"type\": \"str\", \"len\": -3}", "\"len\" is negative (-3)");
    parse_err(*state, "{\"address\": 1, \"type\": \"str\", \"len\": \"3\"}", "\"len\" is a string, not a number");
    parse_err(*state, "{\"address\": 1, \"type\": \"str\", \"len\": 0.5}", "\"len\" is not a whole number (0.5)");
}

static void test_error_refs(void **state)
{
    parse_err(*state, "{\"address\": 1, \"type\": \"list\", \"refs\": 5}", "\"refs\" is not an array");
    parse_err(*state, "{\"address\": 1, \"type\": \"list\", \"refs\": {\"a\": 1}}", "\"refs\" is not an array");
    parse_err(*state, "{\"address\": 1, \"type\": \"list\", \"refs\": \"[1]\"}", "\"refs\" is not an array");
    parse_err(*state, "{\"address\": 1, \"type\": \"list\", \"refs\": [1, \"2\"]}",
              "\"refs\" is a string, not a number (item 1)");
    parse_err(*state, "{\"address\": 1, \"type\": \"list\", \"refs\": [-8]}", "\"refs\" is negative (-8) (item 0)");
    parse_err(*state, "{\"address\": 1, \"type\": \"list\", \"refs\": [1, 2, 3.5]}",
              "\"refs\" is not a whole number (3.5) (item 2)");
    parse_err(*state, "{\"address\": 1, \"type\": \"list\", \"refs\": [9007199254740992]}",
              "\"refs\" is 2^53 or more (9007199254740992): too large to read exactly (item 0)");
    parse_err(*state, "{\"address\": 1, \"type\": \"list\", \"refs\": [null]}", "\"refs\" is null, not a number (item 0)");
    parse_err(*state, "{\"address\": 1, \"type\": \"list\", \"refs\": [[1]]}", "\"refs\" is an array, not a number (item 0)");
}

static void test_error_value_and_name(void **state)
{
    parse_err(*state, "{\"address\": 1, \"type\": \"str\", \"value\": [1, 2]}", "\"value\" is an array");
    parse_err(*state, "{\"address\": 1, \"type\": \"str\", \"value\": {\"a\": 1}}", "\"value\" is an object");
    parse_err(*state, "{\"address\": 1, \"type\": \"module\", \"name\": 5}", "\"name\" is not a string");
    parse_err(*state, "{\"address\": 1, \"type\": \"module\", \"name\": [\"os\"]}", "\"name\" is not a string");
}

/* Regression, was a bug: a writer that escapes a plain letter of the "value" key (valid JSON:
 * "valu\u0065") gives a number cJSON finds under "value" but whose text
 * raw_value_number cannot find, so the line is refused with "cannot find the
 * text of \"value\"" instead of read as the int 42. */
static void test_value_key_escaped(void **state)
{
    struct record rec;
    parse_ok(*state, "{\"address\": 1, \"type\": \"int\", \"size\": 28, \"valu\\u0065\": 42, \"refs\": []}", &rec);
    assert_int_equal(rec.flags, OF_VALUE_NUM);
    ASSERT_STR(&rec, "42");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_parser, teardown_parser)
#define TC(f) {"cjson:" #f, f, setup_cjson, teardown_parser, NULL}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_canonical_dict),
        T(test_canonical_str),
        T(test_canonical_module_name),
        T(test_dotted_type_and_escapes),
        T(test_any_key_order),
        T(test_extra_keys),
        T(test_int_value_text_found_past_decoys),
        T(test_spacing),
        T(test_crlf_and_array_form),
        T(test_skipped_lines),
        T(test_value_null_and_bool),
        T(test_int_values_exact_text),
        T(test_name_vs_value),
        T(test_len_and_optional_fields),
        T(test_parser_reuse_and_many_refs),
        T(test_duplicate_keys_first_wins),
        T(test_unicode_escapes),
        T(test_lone_surrogates),
        T(test_value_with_nul_escape),
        T(test_error_not_an_object),
        T(test_error_invalid_json_with_position),
        T(test_error_bad_u_escape),
        T(test_error_text_after_object),
        T(test_error_position_counts_leading_blanks),
        T(test_error_cut_short),
        T(test_error_number_cjson_refuses),
        T(test_error_missing_fields),
        T(test_error_address),
        T(test_error_size_len),
        T(test_error_refs),
        T(test_error_value_and_name),
        T(test_value_key_escaped),
        TC(test_canonical_dict),
        TC(test_canonical_str),
        TC(test_canonical_module_name),
        TC(test_dotted_type_and_escapes),
        TC(test_any_key_order),
        TC(test_extra_keys),
        TC(test_int_value_text_found_past_decoys),
        TC(test_spacing),
        TC(test_crlf_and_array_form),
        TC(test_skipped_lines),
        TC(test_value_null_and_bool),
        TC(test_int_values_exact_text),
        TC(test_name_vs_value),
        TC(test_len_and_optional_fields),
        TC(test_parser_reuse_and_many_refs),
        TC(test_duplicate_keys_first_wins),
        TC(test_unicode_escapes),
        TC(test_lone_surrogates),
        TC(test_value_with_nul_escape),
        TC(test_error_not_an_object),
        TC(test_error_invalid_json_with_position),
        TC(test_error_bad_u_escape),
        TC(test_error_text_after_object),
        TC(test_error_position_counts_leading_blanks),
        TC(test_error_cut_short),
        TC(test_error_number_cjson_refuses),
        TC(test_error_missing_fields),
        TC(test_error_address),
        TC(test_error_size_len),
        TC(test_error_refs),
        TC(test_error_value_and_name),
        TC(test_value_key_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
