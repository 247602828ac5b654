/* test_intern.c: the type table and the string pool. */
#include "testutil.h"

#include "intern.h"

/* --- types --- */

static void test_types_ids_stable(void **state)
{
    struct types t;
    types_init(&t);
    assert_int_equal(t.n, 0);
    assert_int_equal(types_lookup(&t, "dict"), UINT32_MAX);

    assert_int_equal(types_intern(&t, "dict", 4), 0);
    assert_int_equal(types_intern(&t, "str", 3), 1);
    assert_int_equal(types_intern(&t, "weakref.ReferenceType", 21), 2);
    /* Again: the same ids, nothing added. */
    assert_int_equal(types_intern(&t, "str", 3), 1);
    assert_int_equal(types_intern(&t, "dict", 4), 0);
    assert_int_equal(t.n, 3);

    assert_string_equal(types_name(&t, 0), "dict");
    assert_string_equal(types_name(&t, 1), "str");
    assert_string_equal(types_name(&t, 2), "weakref.ReferenceType");
    assert_int_equal(types_lookup(&t, "dict"), 0);
    assert_int_equal(types_lookup(&t, "str"), 1);
    assert_int_equal(types_lookup(&t, "weakref.ReferenceType"), 2);
    assert_int_equal(types_lookup(&t, "weakref"), UINT32_MAX);
    assert_int_equal(types_lookup(&t, "Dict"), UINT32_MAX);
    assert_int_equal(types_lookup(&t, ""), UINT32_MAX);
    types_free(&t);
    assert_int_equal(t.n, 0);
}

static void test_types_name_by_length(void **state)
{
    struct types t;
    types_init(&t);
    /* The name is the first len bytes: the rest of the buffer is not part of it. */
    const char *line = "dictionary\", \"size\": 5";
    assert_int_equal(types_intern(&t, line, 4), 0);
    assert_string_equal(types_name(&t, 0), "dict");
    assert_int_equal(types_intern(&t, line, 10), 1);
    assert_string_equal(types_name(&t, 1), "dictionary");
    assert_int_equal(types_intern(&t, "dict", 4), 0);
    /* A prefix is another name. */
    assert_int_equal(types_intern(&t, "dic", 3), 2);
    types_free(&t);
}

static void test_types_many(void **state)
{
    struct types t;
    types_init(&t);
    char name[64];
    /* Past the first 64-entry allocation of the id -> name array, several times. */
    for (uint32_t k = 0; k < 1000; k++) {
        int n = snprintf(name, sizeof name, "Class%u", k);
        assert_int_equal(types_intern(&t, name, (size_t)n), k);
    }
    assert_int_equal(t.n, 1000);
    for (uint32_t k = 0; k < 1000; k++) {
        int n = snprintf(name, sizeof name, "Class%u", k);
        assert_string_equal(types_name(&t, k), name);
        assert_int_equal(types_lookup(&t, name), k);
        assert_int_equal(types_intern(&t, name, (size_t)n), k);
    }
    assert_int_equal(t.n, 1000);
    types_free(&t);
}

/* --- strpool --- */

static void test_strpool_ids(void **state)
{
    struct strpool p;
    strpool_init(&p);
    uint32_t a = strpool_intern(&p, "abc", 3);
    uint32_t b = strpool_intern(&p, "abd", 3);
    uint32_t c = strpool_intern(&p, "ab", 2);
    /* Ids start at 1 (0 means "no string") and count up. */
    assert_int_equal(a, 1);
    assert_int_equal(b, 2);
    assert_int_equal(c, 3);
    assert_int_equal(strpool_intern(&p, "abc", 3), 1);
    assert_int_equal(strpool_intern(&p, "abd", 3), 2);
    assert_int_equal(strpool_intern(&p, "abcdef", 2), 3); /* only the first 2 bytes: "ab" */
    assert_int_equal(p.n, 4);

    size_t len = 99;
    const char *s = strpool_get(&p, a, &len);
    assert_int_equal(len, 3);
    assert_string_equal(s, "abc");
    s = strpool_get(&p, c, &len);
    assert_int_equal(len, 2);
    assert_string_equal(s, "ab");
    /* len may be NULL. */
    assert_string_equal(strpool_get(&p, b, NULL), "abd");
    assert_true(strpool_memory(&p) > 0);
    strpool_free(&p);
}

static void test_strpool_empty_string(void **state)
{
    struct strpool p;
    strpool_init(&p);
    uint32_t e = strpool_intern(&p, "", 0);
    assert_int_not_equal(e, 0);
    assert_int_equal(strpool_intern(&p, "", 0), e);
    assert_int_equal(strpool_intern(&p, "x", 0), e);
    size_t len = 99;
    assert_string_equal(strpool_get(&p, e, &len), "");
    assert_int_equal(len, 0);
    assert_int_not_equal(strpool_intern(&p, "x", 1), e);
    strpool_free(&p);
}

static void test_strpool_nul_bytes(void **state)
{
    struct strpool p;
    strpool_init(&p);
    uint32_t a = strpool_intern(&p, "a\0b", 3);
    uint32_t b = strpool_intern(&p, "a\0c", 3);
    uint32_t c = strpool_intern(&p, "a", 1);
    uint32_t d = strpool_intern(&p, "a\0", 2);
    uint32_t z = strpool_intern(&p, "\0\0\0\0", 4);
    /* All different: the length and every byte count, NULs included. */
    assert_int_not_equal(a, b);
    assert_int_not_equal(a, c);
    assert_int_not_equal(a, d);
    assert_int_not_equal(c, d);
    assert_int_not_equal(z, a);
    assert_int_equal(p.n, 6);
    assert_int_equal(strpool_intern(&p, "a\0b", 3), a);
    assert_int_equal(strpool_intern(&p, "a\0c", 3), b);
    assert_int_equal(strpool_intern(&p, "a\0", 2), d);
    assert_int_equal(strpool_intern(&p, "\0\0\0\0", 4), z);

    size_t len;
    const char *s = strpool_get(&p, a, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(s, "a\0b", 4); /* and NUL-terminated after the bytes */
    s = strpool_get(&p, z, &len);
    assert_int_equal(len, 4);
    assert_memory_equal(s, "\0\0\0\0\0", 5);
    s = strpool_get(&p, d, &len);
    assert_int_equal(len, 2);
    assert_memory_equal(s, "a\0\0", 3);
    strpool_free(&p);
}

/* 100k distinct strings: the index rehashes many times (the first at 1536
 * ids), the id array and the arena grow; every id stays what it was. */
static void test_strpool_growth_100k(void **state)
{
    enum { N = 100000 };
    struct strpool p;
    strpool_init(&p);
    char buf[64];
    for (uint32_t k = 0; k < N; k++) {
        int n = snprintf(buf, sizeof buf, "value-%u", k * 7919u);
        assert_int_equal(strpool_intern(&p, buf, (size_t)n), k + 1);
        /* The most recent ones are still found right after a rehash. */
        if (k >= 1 && k % 1000 == 0) {
            n = snprintf(buf, sizeof buf, "value-%u", (k - 1) * 7919u);
            assert_int_equal(strpool_intern(&p, buf, (size_t)n), k);
        }
    }
    assert_int_equal(p.n, N + 1);
    for (uint32_t k = 0; k < N; k++) {
        int n = snprintf(buf, sizeof buf, "value-%u", k * 7919u);
        assert_int_equal(strpool_intern(&p, buf, (size_t)n), k + 1);
        size_t len;
        const char *s = strpool_get(&p, k + 1, &len);
        assert_int_equal(len, (size_t)n);
        assert_memory_equal(s, buf, (size_t)n + 1);
    }
    assert_int_equal(p.n, N + 1);
    /* The index keeps a load factor of at most 3/4. */
    assert_true((uint64_t)p.n * 4 <= ((uint64_t)p.mask + 1) * 3);
    strpool_free(&p);
}

/* The hash computed ahead (by the loader's parsers) gives the ids strpool_intern
 * gives; strings whose hashes are equal stay apart (the hash is only a tag,
 * the bytes decide); after strpool_freeze the index is rebuilt from the
 * strings and every id is found again. */
static void test_strpool_hashed(void **state)
{
    struct strpool p;
    strpool_init(&p);
    char buf[32];
    for (uint32_t k = 0; k < 5000; k++) {
        int n = snprintf(buf, sizeof buf, "s%u", k);
        assert_int_equal(strpool_intern_hashed(&p, buf, (size_t)n, strpool_hash(buf, (size_t)n)), k + 1);
    }
    for (uint32_t k = 0; k < 5000; k += 7) {
        int n = snprintf(buf, sizeof buf, "s%u", k);
        assert_int_equal(strpool_intern(&p, buf, (size_t)n), k + 1);
    }
    uint32_t x = strpool_intern_hashed(&p, "same-x", 6, 42);
    uint32_t y = strpool_intern_hashed(&p, "same-y", 6, 42);
    assert_int_not_equal(x, y);
    assert_int_equal(strpool_intern_hashed(&p, "same-y", 6, 42), y);
    assert_int_equal(strpool_intern_hashed(&p, "same-x", 6, 42), x);
    /* Prefetching is only a hint: any hash, found or not, is harmless. */
    strpool_prefetch_slot(&p, 42);
    strpool_prefetch_entry(&p, 42);
    strpool_prefetch_bytes(&p, 42);
    strpool_prefetch_bytes(&p, 7);
    strpool_freeze(&p);
    strpool_prefetch_bytes(&p, 42); /* no index: nothing to do */
    for (uint32_t k = 0; k < 5000; k++) {
        int n = snprintf(buf, sizeof buf, "s%u", k);
        assert_int_equal(strpool_intern(&p, buf, (size_t)n), k + 1);
    }
    assert_int_equal(p.n, 5003);
    strpool_free(&p);
}

static void test_strpool_long_strings(void **state)
{
    struct strpool p;
    strpool_init(&p);
    /* Longer than the arena's first 64 KiB. */
    size_t n = 200000;
    char *big = malloc(n);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('A' + i % 23);
    uint32_t small = strpool_intern(&p, "before", 6);
    uint32_t id = strpool_intern(&p, big, n);
    big[n - 1] ^= 1;
    uint32_t id2 = strpool_intern(&p, big, n);
    assert_int_not_equal(id, id2);
    big[n - 1] ^= 1;
    assert_int_equal(strpool_intern(&p, big, n), id);
    size_t len;
    const char *s = strpool_get(&p, id, &len);
    assert_int_equal(len, n);
    assert_memory_equal(s, big, n);
    assert_int_equal(s[n], '\0');
    /* Earlier entries survive the arena's move. */
    assert_string_equal(strpool_get(&p, small, NULL), "before");
    assert_int_equal(strpool_intern(&p, "before", 6), small);
    free(big);
    strpool_free(&p);
}

static void test_strpool_same_hash_bucket(void **state)
{
    /* Many strings that differ only in the last byte, plus every one-byte string:
     * probing must compare bytes, not just lengths. */
    struct strpool p;
    strpool_init(&p);
    uint32_t ids[256];
    for (int c = 0; c < 256; c++) {
        char ch = (char)c;
        ids[c] = strpool_intern(&p, &ch, 1);
        assert_int_equal(ids[c], (uint32_t)c + 1);
    }
    for (int c = 0; c < 256; c++) {
        char ch = (char)c;
        assert_int_equal(strpool_intern(&p, &ch, 1), ids[c]);
        size_t len;
        const char *s = strpool_get(&p, ids[c], &len);
        assert_int_equal(len, 1);
        assert_int_equal((unsigned char)s[0], c);
    }
    strpool_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types_ids_stable),
        cmocka_unit_test(test_types_name_by_length),
        cmocka_unit_test(test_types_many),
        cmocka_unit_test(test_strpool_ids),
        cmocka_unit_test(test_strpool_empty_string),
        cmocka_unit_test(test_strpool_nul_bytes),
        cmocka_unit_test(test_strpool_growth_100k),
        cmocka_unit_test(test_strpool_hashed),
        cmocka_unit_test(test_strpool_long_strings),
        cmocka_unit_test(test_strpool_same_hash_bucket),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
