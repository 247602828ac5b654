/* testutil.h: helpers shared by the cmocka unit tests.
 *
 * Every helper asserts what it needs, so a test reads as a list of facts:
 * load a dump written inline, find an object by address, compare its
 * children or parents with a list of addresses. */
#ifndef HW_TESTUTIL_H
#define HW_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "load.h"
#include "util.h"

/* Load dump text into h (heap_init'ed here); the load must succeed. */
static inline void tu_load_opts(const char *text, const struct load_options *opt, struct heap *h)
{
    struct load_report rep;
    struct hw_error err = {{0}};
    heap_init(h);
    int rc = load_buffer("t.json", text, strlen(text), opt, h, &rep, &err);
    if (rc != 0)
        print_error("load_buffer failed: %s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(rep.bad_lines, 0);
}

/* Load with meliae's default (collapse) or raw (collapse = 0), one thread. */
static inline void tu_load(const char *text, int collapse, struct heap *h)
{
    struct load_options opt;
    load_options_default(&opt);
    opt.collapse = collapse;
    opt.threads = 1;
    tu_load_opts(text, &opt, h);
}

/* The object at addr, which must exist. */
static inline obj_t tu_obj(const struct heap *h, uint64_t addr)
{
    obj_t i = heap_find(h, addr);
    if (i == OBJ_NONE)
        print_error("no object at address %llu\n", (unsigned long long)addr);
    assert_int_not_equal(i, OBJ_NONE);
    assert_int_equal(h->addr[i], addr);
    return i;
}

/* The children of i, as addresses, must be exactly want[0..n). */
static inline void tu_children(const struct heap *h, obj_t i, const uint64_t *want, size_t n)
{
    assert_int_equal(heap_nchildren(h, i), n);
    const uint32_t *c = heap_children(h, i);
    for (size_t k = 0; k < n; k++) {
        if (heap_child_addr(h, c[k]) != want[k])
            print_error("child %zu of %llu: got %llu, want %llu\n", k, (unsigned long long)h->addr[i],
                        (unsigned long long)heap_child_addr(h, c[k]), (unsigned long long)want[k]);
        assert_int_equal(heap_child_addr(h, c[k]), want[k]);
    }
}

/* The parents of i, as addresses, must be exactly want[0..n). */
static inline void tu_parents(const struct heap *h, obj_t i, const uint64_t *want, size_t n)
{
    assert_int_equal(heap_nparents(h, i), n);
    const uint32_t *p = heap_parents(h, i);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(h->addr[p[k]], want[k]);
}

#define TU_N(a) (sizeof(a) / sizeof *(a))
#define TU_CHILDREN(h, i, ...)                                          \
    do {                                                                \
        const uint64_t tu_want_[] = {__VA_ARGS__};                      \
        tu_children((h), (i), tu_want_, TU_N(tu_want_));                \
    } while (0)
#define TU_PARENTS(h, i, ...)                                           \
    do {                                                                \
        const uint64_t tu_want_[] = {__VA_ARGS__};                      \
        tu_parents((h), (i), tu_want_, TU_N(tu_want_));                 \
    } while (0)

/* The object's value or name must be exactly the n bytes of want. */
static inline void tu_str(const struct heap *h, obj_t i, const char *want, size_t n)
{
    size_t len = 0;
    const char *s = heap_str(h, i, &len);
    assert_non_null(s);
    assert_int_equal(len, n);
    assert_memory_equal(s, want, n);
}
#define TU_STR(h, i, lit) tu_str((h), (i), (lit), sizeof(lit) - 1)

/* The type name of the object at addr. */
static inline const char *tu_type(const struct heap *h, uint64_t addr)
{
    return heap_type_name(h, tu_obj(h, addr));
}

/* A malloc'd dump of n lines made by line(k, buf) for k = 0..n-1 (each line
 * written without its '\n'); *len gets the byte count. */
static inline char *tu_make_dump(size_t n, size_t (*line)(size_t k, char *buf, size_t cap), size_t *len)
{
    size_t cap = 1 << 20, used = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    char tmp[4096];
    for (size_t k = 0; k < n; k++) {
        size_t m = line(k, tmp, sizeof tmp);
        assert_true(m < sizeof tmp);
        if (used + m + 2 > cap) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
        memcpy(out + used, tmp, m);
        used += m;
        out[used++] = '\n';
    }
    out[used] = '\0';
    *len = used;
    return out;
}

#endif
