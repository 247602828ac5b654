/* test_report.c: escaping of hostile dump strings for text, CSV, XML and
 * Markdown, and sparklines. */
#include "testutil.h"

#include "report.h"

static void check_escape(const char *in, size_t len, const char *want)
{
    struct strbuf sb;
    sb_init(&sb);
    report_escape(in, len, &sb);
    assert_string_equal(sb_cstr(&sb), want);
    sb_free(&sb);
}

static void test_escape(void **state)
{
    (void)state;
    check_escape("plain", 5, "plain");
    check_escape("a\033[31mb", 7, "a\\x1b[31mb");
    check_escape("a\nb\tc\r", 6, "a\\nb\\tc\\r");
    check_escape("back\\slash", 10, "back\\\\slash");
    check_escape("nul\0x", 5, "nul\\x00x");
    check_escape("del\x7f", 4, "del\\x7f");
    check_escape("caf\xc3\xa9 \xe2\x96\x81 \xf0\x9f\x98\x80", 14, "caf\xc3\xa9 \xe2\x96\x81 \xf0\x9f\x98\x80");
    check_escape("c1 \xc2\x9b", 5, "c1 \\x9b");            /* CSI as a C1 control, as Python writes it */
    check_escape("bad \xff\xc3", 6, "bad \\xff\\xc3");       /* not UTF-8, and cut short */
    check_escape("over\xc0\xaf", 6, "over\\xc0\\xaf");      /* overlong '/' */
    check_escape("surr\xed\xa0\x80", 7, "surr\\xed\\xa0\\x80"); /* a surrogate in UTF-8 */
    struct strbuf sb;
    sb_init(&sb);
    report_escape_quoted("'a\\n'\033", &sb);
    assert_string_equal(sb_cstr(&sb), "'a\\n'\\x1b");
    sb_free(&sb);
}

static void test_formats(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb);
    report_csv_field("dict", &sb);
    sb_addc(&sb, '|');
    report_csv_field("a,\"b\" c\n", &sb);
    assert_string_equal(sb_cstr(&sb), "dict|\"a,\"\"b\"\" c\\n\"");
    sb_reset(&sb);
    report_xml_text("<a href='x'>&\033", &sb);
    assert_string_equal(sb_cstr(&sb), "&lt;a href=&#39;x&#39;&gt;&amp;\\x1b");
    sb_reset(&sb);
    report_md_text("a|b`c_*[x]#\n", &sb);
    assert_string_equal(sb_cstr(&sb), "a\\|b\\`c\\_\\*\\[x\\]\\#\\n");
    sb_free(&sb);
}

static void test_sparkline(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb);
    const uint64_t v[] = {10, 80, 45, 10, 80};
    report_sparkline(v, 5, 0, &sb);
    assert_string_equal(sb_cstr(&sb), "_#=_#"); /* 45 is half way: level 3.5 rounds to 4 */
    sb_reset(&sb);
    report_sparkline(v, 5, 1, &sb);
    assert_string_equal(sb_cstr(&sb), "\xe2\x96\x81\xe2\x96\x88\xe2\x96\x85\xe2\x96\x81\xe2\x96\x88");
    sb_reset(&sb);
    const uint64_t flat[] = {7, 7, 7};
    report_sparkline(flat, 3, 0, &sb);
    assert_string_equal(sb_cstr(&sb), "___");
    sb_reset(&sb);
    const uint64_t ramp[] = {0, 1, 2, 3, 4, 5, 6, 7};
    report_sparkline(ramp, 8, 0, &sb);
    assert_string_equal(sb_cstr(&sb), "_.,-=+*#");
    sb_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_sparkline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
