/* test_util.c: the string buffer, error values, allocation wrappers and
 * hw_parse_addr. */
#include "testutil.h"

#include <limits.h>

#include "util.h"

/* --- strbuf --- */

static void test_sb_init_empty(void **state)
{
    struct strbuf sb;
    sb_init(&sb);
    assert_null(sb.buf);
    assert_int_equal(sb.len, 0);
    assert_int_equal(sb.cap, 0);
    /* sb_cstr works on a buffer that never held anything. */
    const char *s = sb_cstr(&sb);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(sb.len, 0);
    sb_free(&sb);
    assert_null(sb.buf);
    assert_int_equal(sb.len, 0);
    assert_int_equal(sb.cap, 0);
    /* Freeing twice is harmless: sb_free re-initialises. */
    sb_free(&sb);
}

static void test_sb_add_addc_adds(void **state)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, "dict");
    sb_addc(&sb, '(');
    sb_add(&sb, "12345", 3);
    sb_addc(&sb, ')');
    assert_int_equal(sb.len, 9);
    assert_string_equal(sb.buf, "dict(123)");
    /* Always NUL-terminated when len > 0, without sb_cstr. */
    assert_int_equal(sb.buf[sb.len], '\0');
    /* Adding nothing keeps the content. */
    sb_add(&sb, "xyz", 0);
    sb_adds(&sb, "");
    assert_int_equal(sb.len, 9);
    assert_string_equal(sb_cstr(&sb), "dict(123)");
    sb_free(&sb);
}

static void test_sb_binary_bytes(void **state)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_add(&sb, "a\0b\0c", 5);
    sb_addc(&sb, '\0');
    sb_addc(&sb, 'd');
    assert_int_equal(sb.len, 7);
    assert_memory_equal(sb.buf, "a\0b\0c\0d", 7);
    assert_int_equal(sb.buf[7], '\0');
    sb_free(&sb);
}

static void test_sb_growth(void **state)
{
    struct strbuf sb;
    sb_init(&sb);
    /* Well past the first 64-byte allocation, one byte at a time and in chunks. */
    for (int i = 0; i < 10000; i++)
        sb_addc(&sb, (char)('a' + i % 26));
    assert_int_equal(sb.len, 10000);
    assert_true(sb.cap > sb.len);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(sb.buf[i], 'a' + i % 26);
    assert_int_equal(sb.buf[10000], '\0');

    char big[70000];
    memset(big, 'Z', sizeof big);
    sb_add(&sb, big, sizeof big);
    assert_int_equal(sb.len, 80000);
    assert_int_equal(sb.buf[9999], 'a' + 9999 % 26);
    assert_int_equal(sb.buf[10000], 'Z');
    assert_int_equal(sb.buf[79999], 'Z');
    assert_int_equal(sb.buf[80000], '\0');
    sb_free(&sb);
}

static void test_sb_reset_keeps_capacity(void **state)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, "some text that is there");
    size_t cap = sb.cap;
    char *buf = sb.buf;
    sb_reset(&sb);
    assert_int_equal(sb.len, 0);
    assert_int_equal(sb.cap, cap);
    assert_ptr_equal(sb.buf, buf);
    assert_string_equal(sb.buf, "");
    assert_string_equal(sb_cstr(&sb), "");
    sb_adds(&sb, "new");
    assert_string_equal(sb_cstr(&sb), "new");
    sb_free(&sb);

    /* Resetting a never-used buffer is fine too. */
    sb_init(&sb);
    sb_reset(&sb);
    assert_int_equal(sb.len, 0);
    assert_string_equal(sb_cstr(&sb), "");
    sb_free(&sb);
}

static void test_sb_printf(void **state)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "%s(%llu %lluB", "dict", 140435321315968ULL, 147552ULL);
    sb_printf(&sb, " %zurefs", (size_t)5000);
    sb_addc(&sb, ')');
    assert_string_equal(sb_cstr(&sb), "dict(140435321315968 147552B 5000refs)");
    assert_int_equal(sb.len, strlen("dict(140435321315968 147552B 5000refs)"));

    /* An empty expansion appends nothing. */
    sb_reset(&sb);
    sb_printf(&sb, "%s", "");
    assert_int_equal(sb.len, 0);
    assert_string_equal(sb_cstr(&sb), "");

    /* Padding as the summary uses it. */
    sb_printf(&sb, "%6d%8d|", 3, 42);
    assert_string_equal(sb_cstr(&sb), "     3      42|");
    sb_free(&sb);
}

static void test_sb_printf_long(void **state)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, "start:");
    char chunk[5001];
    memset(chunk, 'q', 5000);
    chunk[5000] = '\0';
    /* Longer than what the buffer holds: it must grow before formatting. */
    sb_printf(&sb, "%s|%d", chunk, 7);
    assert_int_equal(sb.len, 6 + 5000 + 2);
    assert_memory_equal(sb.buf, "start:", 6);
    assert_int_equal(sb.buf[6], 'q');
    assert_int_equal(sb.buf[5005], 'q');
    assert_string_equal(sb.buf + 5006, "|7");
    sb_free(&sb);
}

static void vprintf_helper(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vprintf_helper(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

static void test_sb_vprintf(void **state)
{
    struct strbuf sb;
    sb_init(&sb);
    vprintf_helper(&sb, "%s:%llu: %s", "dump.json", 12ULL, "no \"address\"");
    vprintf_helper(&sb, "%c", '!');
    assert_string_equal(sb_cstr(&sb), "dump.json:12: no \"address\"!");
    sb_free(&sb);
}

/* --- errors and allocation --- */

static void test_hw_fail(void **state)
{
    struct hw_error err = {{0}};
    assert_int_equal(hw_fail(&err, "%s:%d: %s", "x.json", 3, "bad"), -1);
    assert_string_equal(err.msg, "x.json:3: bad");
    /* A NULL error is allowed. */
    assert_int_equal(hw_fail(NULL, "ignored %d", 1), -1);
    /* A long message is cut to fit, still NUL-terminated. */
    char longmsg[HW_ERRMAX * 2];
    memset(longmsg, 'm', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = '\0';
    assert_int_equal(hw_fail(&err, "%s", longmsg), -1);
    assert_int_equal(strlen(err.msg), HW_ERRMAX - 1);
}

static void test_alloc_wrappers(void **state)
{
    char *s = xstrdup("heapwalk", "test");
    assert_string_equal(s, "heapwalk");
    free(s);

    unsigned char *z = xcalloc(100, 3, "test");
    for (int i = 0; i < 300; i++)
        assert_int_equal(z[i], 0);
    free(z);

    /* Zero-size requests still give a pointer that can be freed. */
    void *p = xmalloc(0, "test");
    assert_non_null(p);
    free(p);
    p = xcalloc(0, 0, "test");
    assert_non_null(p);
    free(p);

    uint64_t *a = xreallocarray(NULL, 10, sizeof *a, "test");
    for (int i = 0; i < 10; i++)
        a[i] = (uint64_t)i * 1000000007ULL;
    a = xreallocarray(a, 100000, sizeof *a, "test");
    for (int i = 0; i < 10; i++)
        assert_int_equal(a[i], (uint64_t)i * 1000000007ULL);
    a[99999] = 1;
    free(a);

    char *r = xrealloc(NULL, 16, "test");
    memcpy(r, "abc", 4);
    r = xrealloc(r, 4096, "test");
    assert_string_equal(r, "abc");
    free(r);
}

static void test_hw_now_monotonic(void **state)
{
    double a = hw_now();
    double b = hw_now();
    assert_true(a > 0);
    assert_true(b >= a);
}

/* --- hw_parse_addr --- */

static void test_parse_addr_decimal(void **state)
{
    uint64_t v = 1;
    assert_int_equal(hw_parse_addr("140435321315968", &v), 0);
    assert_int_equal(v, 140435321315968ULL);
    assert_int_equal(hw_parse_addr("0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(hw_parse_addr("11409312", &v), 0);
    assert_int_equal(v, 11409312);
    /* Leading zeros are decimal, not octal. */
    assert_int_equal(hw_parse_addr("0010", &v), 0);
    assert_int_equal(v, 10);
    assert_int_equal(hw_parse_addr("18446744073709551615", &v), 0);
    assert_int_equal(v, UINT64_MAX);
}

static void test_parse_addr_hex(void **state)
{
    uint64_t v = 1;
    assert_int_equal(hw_parse_addr("0x7fb9c8a1b2c0", &v), 0);
    assert_int_equal(v, 0x7fb9c8a1b2c0ULL);
    assert_int_equal(hw_parse_addr("0X7FB9C8A1B2C0", &v), 0);
    assert_int_equal(v, 0x7fb9c8a1b2c0ULL);
    assert_int_equal(hw_parse_addr("0x0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(hw_parse_addr("0xffffffffffffffff", &v), 0);
    assert_int_equal(v, UINT64_MAX);
    assert_int_equal(hw_parse_addr("0xAbC", &v), 0);
    assert_int_equal(v, 0xabc);
}

static void test_parse_addr_garbage(void **state)
{
    static const char *const bad[] = {
        "", "-1", "+1", " 1", "1 ", "12abc", "abc", "0x", "0xg", "0x12z", "1.5", "1e3",
        "18446744073709551616",      /* 2^64: out of range */
        "99999999999999999999999",
        "0x10000000000000000",       /* 2^64 in hex */
        "5\n", "0b101", "x10",
    };
    for (size_t k = 0; k < TU_N(bad); k++) {
        uint64_t v = 424242;
        int rc = hw_parse_addr(bad[k], &v);
        if (rc != -1)
            print_error("hw_parse_addr(\"%s\") accepted it as %llu\n", bad[k], (unsigned long long)v);
        assert_int_equal(rc, -1);
        /* The output is untouched on failure. */
        assert_int_equal(v, 424242);
    }
    uint64_t v = 7;
    assert_int_equal(hw_parse_addr(NULL, &v), -1);
    assert_int_equal(v, 7);
}

/* Regression, was a bug: hw_parse_addr rejects only a leading ' ', '-' and '+', then hands the
 * text (after "0x" for hex) to strtoull, which itself skips any leading white
 * space and accepts a sign and, in base 16, a second "0x" prefix.  So
 * "\t5" and "\n5" parse as 5, "0x-1" as 18446744073709551615, "0x 10",
 * "0x+10" and "0x0x10" as 16, "0x\t1" as 1, instead of -1 ("not a number"). */
static void test_parse_addr_strtoull_leaks(void **state)
{
    static const char *const bad[] = {"\t5", "\n5", "0x-1", "0x 10", "0x+10", "0x0x10", "0x\t1"};
    int accepted = 0;
    for (size_t k = 0; k < TU_N(bad); k++) {
        uint64_t v = 424242;
        int rc = hw_parse_addr(bad[k], &v);
        if (rc != -1) {
            print_error("hw_parse_addr(\"%s\") accepted it as %llu\n", bad[k], (unsigned long long)v);
            accepted++;
        }
    }
    assert_int_equal(accepted, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sb_init_empty),
        cmocka_unit_test(test_sb_add_addc_adds),
        cmocka_unit_test(test_sb_binary_bytes),
        cmocka_unit_test(test_sb_growth),
        cmocka_unit_test(test_sb_reset_keeps_capacity),
        cmocka_unit_test(test_sb_printf),
        cmocka_unit_test(test_sb_printf_long),
        cmocka_unit_test(test_sb_vprintf),
        cmocka_unit_test(test_hw_fail),
        cmocka_unit_test(test_alloc_wrappers),
        cmocka_unit_test(test_hw_now_monotonic),
        cmocka_unit_test(test_parse_addr_decimal),
        cmocka_unit_test(test_parse_addr_hex),
        cmocka_unit_test(test_parse_addr_garbage),
        cmocka_unit_test(test_parse_addr_strtoull_leaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
