/* test_escape.c: the one escaping rule (src/escape.c): what each kind of
 * character becomes as a field, a Python literal, JSON and a message, and
 * that every output is safe for a terminal and reads back to its input. */
#include "testutil.h"

#include <cjson/cJSON.h>

#include "escape.h"

static const char *esc(const char *s, size_t len)
{
    static char buf[1024];
    struct strbuf sb;
    sb_init(&sb);
    hw_sb_escaped(&sb, s, len);
    snprintf(buf, sizeof buf, "%s", sb_cstr(&sb));
    sb_free(&sb);
    return buf;
}
#define ESC(lit) esc(lit, sizeof lit - 1)

static const char *json(const char *s, size_t len)
{
    static char buf[1024];
    struct strbuf sb;
    sb_init(&sb);
    hw_sb_json(&sb, s, len);
    snprintf(buf, sizeof buf, "%s", sb_cstr(&sb));
    sb_free(&sb);
    return buf;
}
#define JSON(lit) json(lit, sizeof lit - 1)

static void test_fields(void **state)
{
    assert_string_equal(ESC("plain Node"), "plain Node");
    /* The attacks of issue 13: OSC 52 (clipboard), a title, clear screen, a forged row. */
    assert_string_equal(ESC("a\x1b]52;c;aGk=\x07" "b"), "a\\x1b]52;c;aGk=\\x07b");
    assert_string_equal(ESC("\x1b[2J"), "\\x1b[2J");
    assert_string_equal(ESC("x\ny\rz\t"), "x\\ny\\rz\\t");
    assert_string_equal(ESC("nul\0byte"), "nul\\x00byte");
    assert_string_equal(ESC("del\x7f"), "del\\x7f");
    assert_string_equal(ESC("back\\slash"), "back\\\\slash");
    /* C1 (U+0085, U+009B CSI) and U+00A0 as \x, as Python's repr. */
    assert_string_equal(ESC("\xc2\x85\xc2\x9b\xc2\xa0"), "\\x85\\x9b\\xa0");
    /* Format characters: bidi override and isolate, zero width, BOM, line separator, tag. */
    assert_string_equal(ESC("\xe2\x80\xae\xe2\x81\xa6\xe2\x80\x8b\xef\xbb\xbf\xe2\x80\xa8"),
                        "\\u202e\\u2066\\u200b\\ufeff\\u2028");
    assert_string_equal(ESC("\xf3\xa0\x80\x81"), "\\U000e0001");
    /* Printable non-ASCII stays as it is. */
    assert_string_equal(ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    /* Invalid UTF-8: each bad byte as \x: a lone continuation, an overlong,
     * a surrogate, a cut sequence, a byte above F4. */
    assert_string_equal(ESC("\x80\xc0\xaf\xed\xa0\x80\xe2\x82\xff"), "\\x80\\xc0\\xaf\\xed\\xa0\\x80\\xe2\\x82\\xff");
}

static void test_repr_and_message(void **state)
{
    struct strbuf sb;
    sb_init(&sb);
    hw_sb_repr(&sb, "it's", 4);
    assert_string_equal(sb_cstr(&sb), "\"it's\"");
    sb_reset(&sb);
    hw_sb_repr(&sb, "'\"\n", 3);
    assert_string_equal(sb_cstr(&sb), "'\\'\"\\n'");
    sb_reset(&sb);
    /* A message keeps its backslashes (it may quote escaped text) but not its controls. */
    hw_sb_message(&sb, "a \\u escape\x1b]2;t\x07\n", 18);
    assert_string_equal(sb_cstr(&sb), "a \\u escape\\x1b]2;t\\x07\\n");
    sb_free(&sb);
}

static void test_json(void **state)
{
    assert_string_equal(JSON("a\"b\\c\n\x01\x7f"), "\"a\\\"b\\\\c\\n\\u0001\\u007f\"");
    assert_string_equal(JSON("\xc2\x85\xe2\x80\xae\xf3\xa0\x80\x81"), "\"\\u0085\\u202e\\udb40\\udc01\"");
    assert_string_equal(JSON("bad\xff"), "\"bad\\ufffd\"");
    assert_string_equal(JSON("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
    /* cJSON's output: only what it leaves raw changes. */
    struct strbuf sb;
    sb_init(&sb);
    const char raw[] = "{\"k\":\"\\u001b\xc2\x9b\xe2\x80\x8f\",\"n\":1}";
    hw_json_sanitize(&sb, raw, sizeof raw - 1);
    assert_string_equal(sb_cstr(&sb), "{\"k\":\"\\u001b\\u009b\\u200f\",\"n\":1}");
    sb_free(&sb);
}

/* Every output is safe and reads back: random strings over a hostile alphabet. */
static void test_round_trip(void **state)
{
    static const char *const pieces[] = {"a", "\\", "'", "\"", "\n", "\x1b", "\x7f", "\xc2\x85", "\xc2\xa0",
                                         "\xe2\x80\xae", "\xef\xbb\xbf", "\xf0\x9f\x98\x80", "\xf3\xa0\x80\x81",
                                         "\xc3\xa9", "x", "\t", " "};
    unsigned seed = 12345;
    for (int round = 0; round < 2000; round++) {
        struct strbuf in, out, back;
        sb_init(&in);
        sb_init(&out);
        sb_init(&back);
        int n = round % 12;
        for (int k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            sb_adds(&in, pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)]);
        }
        sb_cstr(&in);
        hw_sb_escaped(&out, in.buf, in.len);
        assert_true(hw_is_safe_text(sb_cstr(&out), out.len));
        assert_int_equal(hw_unescape(&back, out.buf, out.len), 0);
        assert_int_equal(back.len, in.len);
        assert_memory_equal(sb_cstr(&back), in.buf, in.len);
        sb_reset(&out);
        hw_sb_json(&out, in.buf, in.len);
        assert_true(hw_is_safe_text(sb_cstr(&out), out.len));
        cJSON *j = cJSON_Parse(out.buf);
        assert_non_null(j);
        assert_true(cJSON_IsString(j));
        assert_string_equal(j->valuestring, sb_cstr(&in));
        cJSON_Delete(j);
        sb_free(&in);
        sb_free(&out);
        sb_free(&back);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_repr_and_message),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
