/* test_trend.c: per-type columns over dumps added one at a time (types that
 * appear late or go away), the score and the order, the x axis, and the
 * --fail-if gates. */
#include "testutil.h"

#include <math.h>

#include "trend.h"

#define O(addr, type, size) "{\"address\": " #addr ", \"type\": \"" type "\", \"size\": " #size ", \"refs\": []}\n"

/* Add a dump written inline, freeing its heap at once (as the CLI does). */
static void add(struct trend *t, const char *text, int64_t time)
{
    struct heap h;
    tu_load(text, 0, &h);
    trend_add(t, &h, "d", time);
    heap_free(&h);
}

static const struct trend_type *row(const struct trend *t, const char *name)
{
    const struct trend_type *r = trend_find(t, name);
    assert_non_null(r);
    return r;
}

static void build(struct trend *t, int64_t t0, int64_t t1, int64_t t2)
{
    trend_init(t);
    /* Leak grows every step; Wave goes up and down; Gone leaves; Late arrives. */
    add(t, O(1, "Leak", 10) O(2, "Wave", 100) O(3, "Gone", 7), t0);
    add(t, O(1, "Leak", 10) O(4, "Leak", 10) O(2, "Wave", 100) O(5, "Wave", 100) O(6, "Late", 5), t1);
    add(t, O(1, "Leak", 10) O(4, "Leak", 10) O(7, "Leak", 30) O(2, "Wave", 100) O(6, "Late", 5), t2);
    trend_finish(t);
}

static void test_columns_and_scores(void **state)
{
    (void)state;
    struct trend t;
    build(&t, 100, 200, 300);
    assert_int_equal(t.n_dumps, 3);
    assert_int_equal(t.n_types, 4);
    const struct trend_type *leak = row(&t, "Leak"), *wave = row(&t, "Wave"), *gone = row(&t, "Gone"),
                            *late = row(&t, "Late");
    const uint64_t leak_size[] = {10, 20, 50}, gone_count[] = {1, 0, 0}, late_count[] = {0, 1, 1};
    assert_memory_equal(leak->size, leak_size, sizeof leak_size);
    assert_memory_equal(gone->count, gone_count, sizeof gone_count);
    assert_memory_equal(late->count, late_count, sizeof late_count);
    /* score = (last - first) x |rises - falls| / steps */
    assert_true(leak->score == 40.0);         /* 40 x (2 - 0) / 2 */
    assert_true(wave->score == 0.0);          /* 0 x (1 - 1) / 2 */
    assert_true(late->score == 2.5);          /* 5 x (1 - 0) / 2 */
    assert_true(gone->score == -3.5);         /* -7 x |0 - 1| / 2: shrinking scores below 0 */
    assert_int_equal(leak->count_change, 2);
    assert_int_equal(gone->size_change, -7);
    assert_string_equal(t.types[0].name, "Leak"); /* by score */
    assert_string_equal(t.types[1].name, "Late");
    assert_string_equal(t.types[2].name, "Wave");
    assert_string_equal(t.types[3].name, "Gone");
    assert_null(trend_find(&t, "Nope"));
    assert_true(trend_has_times(&t));
    trend_free(&t);
}

static void test_times(void **state)
{
    (void)state;
    struct trend t;
    build(&t, 100, 100, 300); /* not strictly increasing */
    assert_false(trend_has_times(&t));
    trend_free(&t);
    build(&t, 100, -1, 300); /* one unknown */
    assert_false(trend_has_times(&t));
    trend_free(&t);
}

static void test_gates(void **state)
{
    (void)state;
    struct trend_gate g;
    struct hw_error err = {{0}};
    assert_int_equal(trend_gate_parse("Leak:+1", &g, &err), 0);
    assert_string_equal(g.type, "Leak");
    assert_false(g.percent);
    struct trend t;
    build(&t, 1, 2, 3);
    int64_t growth;
    double pct;
    assert_true(trend_gate_check(&t, &g, &growth, &pct)); /* 1 -> 3: +2 > 1 */
    assert_int_equal(growth, 2);
    assert_true(pct == 200.0);
    trend_gate_free(&g);
    assert_int_equal(trend_gate_parse("Leak:+2", &g, &err), 0);
    assert_false(trend_gate_check(&t, &g, &growth, &pct)); /* not more than 2 */
    trend_gate_free(&g);
    assert_int_equal(trend_gate_parse("Leak:+199.5%", &g, &err), 0);
    assert_true(g.percent);
    assert_true(trend_gate_check(&t, &g, &growth, &pct));
    trend_gate_free(&g);
    assert_int_equal(trend_gate_parse("Leak:+200%", &g, &err), 0);
    assert_false(trend_gate_check(&t, &g, &growth, &pct));
    trend_gate_free(&g);
    assert_int_equal(trend_gate_parse("Late:+1000%", &g, &err), 0); /* from 0: infinitely more */
    assert_true(trend_gate_check(&t, &g, &growth, &pct));
    assert_true(isinf(pct));
    trend_gate_free(&g);
    assert_int_equal(trend_gate_parse("mod:Cls:+0", &g, &err), 0); /* the last ':' splits */
    assert_string_equal(g.type, "mod:Cls");
    assert_false(trend_gate_check(&t, &g, &growth, &pct)); /* in no dump: never grows */
    trend_gate_free(&g);
    const char *bad[] = {"Leak", ":+1", "Leak:1", "Leak:+", "Leak:+x", "Leak:+1.5", "Leak:+1%%", "Leak:+-1"};
    for (size_t k = 0; k < TU_N(bad); k++) {
        err.msg[0] = '\0';
        assert_int_equal(trend_gate_parse(bad[k], &g, &err), -1);
        assert_true(err.msg[0] != '\0');
        assert_null(g.type);
    }
    trend_free(&t);
}

static void test_svg(void **state)
{
    (void)state;
    struct trend t;
    build(&t, 100, 200, 300);
    struct strbuf sb;
    sb_init(&sb);
    trend_svg(&t, 2, &sb);
    const char *s = sb_cstr(&sb);
    assert_non_null(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
    size_t lines = 0;
    for (const char *p = s; (p = strstr(p, "<polyline")); p++)
        lines++;
    assert_int_equal(lines, 2);
    assert_non_null(strstr(s, "<title>Leak</title>"));
    assert_null(strstr(s, "<title>Wave</title>"));
    assert_non_null(strstr(s, "1970-01-01 00:05:00")); /* time 300 on the x axis */
    sb_free(&sb);
    trend_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_and_scores),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_gates),
        cmocka_unit_test(test_svg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
