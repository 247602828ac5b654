/* test_sql.c: the SQL tables over a hand-made heap: memsee's columns, the
 * hidden ones, every indexed plan (address =, IN, rowid =, type =,
 * ref.parent =, ref.child =, dangling refs, repeated refs) agreeing with a
 * full scan, memsee's ADDR& / ADDR^ rewrite, streamed sets, errors. */
#include "testutil.h"

#include <sqlite3.h>
#include <unistd.h>

#include "dominators.h"
#include "roots.h"
#include "sql.h"

/*   1 module 'm' -> 2 dict -> 3 list -> 4 str 'a', 4 again, 5 int 7, 999 (missing)
 *   6 list -> 3;  7 tuple (no parent) -> 4 */
static const char *const DUMP =
    "{\"address\": 1, \"type\": \"module\", \"size\": 56, \"name\": \"m\", \"refs\": [2]}\n"
    "{\"address\": 2, \"type\": \"dict\", \"size\": 232, \"len\": 1, \"refs\": [3]}\n"
    "{\"address\": 3, \"type\": \"list\", \"size\": 88, \"len\": 4, \"refs\": [4, 4, 5, 999]}\n"
    "{\"address\": 4, \"type\": \"str\", \"size\": 50, \"len\": 1, \"value\": \"a\", \"refs\": []}\n"
    "{\"address\": 5, \"type\": \"int\", \"size\": 28, \"value\": 7, \"refs\": []}\n"
    "{\"address\": 6, \"type\": \"list\", \"size\": 64, \"len\": 1, \"refs\": [3]}\n"
    "{\"address\": 7, \"type\": \"tuple\", \"size\": 48, \"len\": 1, \"refs\": [4]}\n";

struct fx {
    struct heap h;
    struct sql *s;
};

static void fx_open(struct fx *f)
{
    tu_load(DUMP, 0, &f->h);
    struct hw_error err = {{0}};
    f->s = sql_open(&f->h, &err);
    assert_non_null(f->s);
}

static void fx_close(struct fx *f)
{
    sql_close(f->s);
    heap_free(&f->h);
}

/* The rows of a query as "a|b|c" lines joined by ';' (NULL as "-"). */
static void rows(struct fx *f, const char *q, char *out, size_t cap)
{
    struct hw_error err = {{0}};
    sqlite3_stmt *st = sql_prepare(f->s, q, &err);
    if (!st)
        print_error("%s: %s\n", q, err.msg);
    assert_non_null(st);
    size_t n = 0;
    out[0] = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const char *v = (const char *)sqlite3_column_text(st, c);
            n += (size_t)snprintf(out + n, cap - n, "%s%s", c ? "|" : (n ? ";" : ""), v ? v : "-");
            assert_true(n < cap);
        }
    }
    assert_int_equal(rc, SQLITE_DONE);
    sqlite3_finalize(st);
}

static void expect(struct fx *f, const char *q, const char *want)
{
    char got[2048];
    rows(f, q, got, sizeof got);
    if (strcmp(got, want) != 0)
        print_error("%s\n  got:  %s\n  want: %s\n", q, got, want);
    assert_string_equal(got, want);
}

static void test_memsee_columns(void **state)
{
    struct fx f;
    fx_open(&f);
    expect(&f, "select * from obj where address = 1", "1|module|m|-|56|-|-|module(1 56B 1refs 'm')");
    expect(&f, "select address, type, name, value, size, len from obj where address in (4, 5)",
           "4|str|-|a|50|1;5|int|-|7|28|-");
    /* value is text, as in memsee: a number compares through TEXT affinity */
    expect(&f, "select address from obj where value = 7", "5");
    expect(&f, "select address from obj where value = 'a'", "4");
    /* the hidden columns are not in select * but answer when named */
    expect(&f, "select count(*) from pragma_table_xinfo('obj') where hidden = 0", "8");
    expect(&f, "select parents, collapsed from obj where address = 4", "2|0");
    expect(&f, "select address, distance from obj where distance is not null order by address",
           "1|0;2|1;3|2;4|3;5|3;6|0;7|0");
    expect(&f, "select retained, idom from obj where address = 3", "116|-");
    expect(&f, "select retained, idom from obj where address = 5", "28|3");
    fx_close(&f);
}

/* Each indexed plan gives what a full scan gives (the scan is forced by an
 * expression SQLite cannot hand to xBestIndex). */
static void test_indexed_plans_agree_with_scans(void **state)
{
    static const char *const pairs[][2] = {
        {"select rowid from obj where address = 3", "select rowid from obj where address + 0 = 3"},
        {"select address from obj where address in (2, 7, 42)", "select address from obj where address + 0 in (2, 7, 42)"},
        {"select address from obj where rowid = 2", "select address from obj where rowid + 0 = 2"},
        {"select address from obj where type = 'list'", "select address from obj where type || '' = 'list'"},
        {"select address from obj where type = 'nosuch'", "select address from obj where type || '' = 'nosuch'"},
        {"select parent, child from ref where parent = 3", "select parent, child from ref where parent + 0 = 3"},
        {"select parent, child from ref where child = 4", "select parent, child from ref where child + 0 = 4"},
        {"select parent, child from ref where child = 999", "select parent, child from ref where child + 0 = 999"},
        {"select parent, child from ref where child = 3 and parent = 6",
         "select parent, child from ref where child + 0 = 3 and parent + 0 = 6"},
        {"select parent from ref where child = 12345", "select parent from ref where child + 0 = 12345"},
        {"select parent from ref where child = 'x'", "select parent from ref where child || '' = 'x'"},
    };
    struct fx f;
    fx_open(&f);
    for (size_t k = 0; k < TU_N(pairs); k++) {
        char a[1024], b[1024];
        rows(&f, pairs[k][0], a, sizeof a);
        rows(&f, pairs[k][1], b, sizeof b);
        if (strcmp(a, b) != 0)
            print_error("%s: %s\n%s: %s\n", pairs[k][0], a, pairs[k][1], b);
        assert_string_equal(a, b);
    }
    /* and the answers themselves */
    expect(&f, "select parent, child from ref where child = 4", "3|4;3|4;7|4");
    expect(&f, "select parent, child from ref where parent = 3", "3|4;3|4;3|5;3|999");
    expect(&f, "select parent from ref where child = 999", "3");
    expect(&f, "select count(*) from ref", "8");
    expect(&f, "select address from obj where type = 'list'", "3;6");
    fx_close(&f);
}

static void test_plans_chosen(void **state)
{
    struct fx f;
    fx_open(&f);
    /* the plan SQLite picks names the index: idxNum in EXPLAIN QUERY PLAN's detail */
    static const char *const plans[][2] = {
        {"explain query plan select * from obj where address = 3", "SCAN obj VIRTUAL TABLE INDEX 1:"},
        {"explain query plan select * from obj where rowid = 3", "SCAN obj VIRTUAL TABLE INDEX 2:"},
        {"explain query plan select * from obj where type = 'list'", "SCAN obj VIRTUAL TABLE INDEX 3:"},
        {"explain query plan select * from obj", "SCAN obj VIRTUAL TABLE INDEX 0:"},
        {"explain query plan select retained from obj", "SCAN obj VIRTUAL TABLE INDEX 16:"},
        {"explain query plan select distance from obj where type = 'str'", "SCAN obj VIRTUAL TABLE INDEX 35:"},
        {"explain query plan select * from ref where parent = 3", "SCAN ref VIRTUAL TABLE INDEX 1:"},
        {"explain query plan select * from ref where child = 3", "SCAN ref VIRTUAL TABLE INDEX 2:"},
    };
    for (size_t k = 0; k < TU_N(plans); k++) {
        char got[1024];
        rows(&f, plans[k][0], got, sizeof got);
        if (!strstr(got, plans[k][1]))
            print_error("%s\n  got:  %s\n  want: %s\n", plans[k][0], got, plans[k][1]);
        assert_non_null(strstr(got, plans[k][1]));
    }
    fx_close(&f);
}

static void test_rewrite(void **state)
{
    static const char *const cases[][2] = {
        {"3&", "(select child from ref where parent in (3))"},
        {"0x3^", "(select parent from ref where child in (0x3))"},
        {"3&&", "(select child from ref where parent in (select child from ref where parent in (3)))"},
        {"3&^", "(select parent from ref where child in (select child from ref where parent in (3)))"},
        {"address in 3& and x", "address in (select child from ref where parent in (3)) and x"},
        {"'3&' 3&", "'3&' (select child from ref where parent in (3))"},
        {"'it''s 3&'", "'it''s 3&'"},
        {"\"a3&\" [3^] `3&`", "\"a3&\" [3^] `3&`"},
        {"-- 3&\n3^", "-- 3&\n(select parent from ref where child in (3))"},
        {"/* 3& */ x", "/* 3& */ x"},
        {"size&4", "size&4"},
        {"4&size", "4&size"},
        {"4 & size", "4 & size"},
        {"t3& 1.5& x.3&", "t3& 1.5& x.3&"},
        {"(3&)", "((select child from ref where parent in (3)))"},
    };
    for (size_t k = 0; k < TU_N(cases); k++) {
        struct strbuf sb;
        sb_init(&sb);
        sql_rewrite(cases[k][0], &sb);
        if (strcmp(sb_cstr(&sb), cases[k][1]) != 0)
            print_error("%s\n  got:  %s\n  want: %s\n", cases[k][0], sb_cstr(&sb), cases[k][1]);
        assert_string_equal(sb_cstr(&sb), cases[k][1]);
        sb_free(&sb);
    }
    assert_true(sql_is_statement("  SELECT 1"));
    assert_true(sql_is_statement("/* c */ with x as (select 1) select * from x"));
    assert_false(sql_is_statement("selection = 1"));
    assert_false(sql_is_statement("type = 'dict'"));
}

static void test_shorthands_run(void **state)
{
    struct fx f;
    fx_open(&f);
    expect(&f, "select address from obj where address in 3& order by 1", "4;5");
    expect(&f, "select address from obj where address in 4^ order by 1", "3;7");
    expect(&f, "select address from obj where address in 0x2&& order by 1", "4;5");
    expect(&f, "select address from obj where address in 4^^ order by 1", "2;6");
    expect(&f, "address in 3&", "4|str|-|a|50|1|-|str(4 50B 2par 'a');5|int|-|7|28|-|-|int(5 28B 1par 7)");
    fx_close(&f);
}

static void test_stream(void **state)
{
    struct fx f;
    fx_open(&f);
    struct hw_error err = {{0}};
    struct sql_stream *ss = sql_stream_open(f.s, "size > 40", &err);
    assert_non_null(ss);
    obj_t buf[3];
    /* the first objects come before the rest are read */
    assert_int_equal(sql_stream_next(ss, buf, 2, &err), 2);
    assert_int_equal(f.h.addr[buf[0]], 1);
    assert_int_equal(f.h.addr[buf[1]], 2);
    assert_int_equal(sql_stream_next(ss, buf, 3, &err), 3);
    assert_int_equal(sql_stream_next(ss, buf, 3, &err), 1);
    assert_int_equal(f.h.addr[buf[0]], 7);
    assert_int_equal(sql_stream_next(ss, buf, 3, &err), 0);
    sql_stream_close(ss);

    /* a select's first column is an address; what is no object is skipped */
    ss = sql_stream_open(f.s, "select child from ref where parent = 3", &err);
    assert_non_null(ss);
    assert_int_equal(sql_stream_next(ss, buf, 3, &err), 3);
    assert_int_equal(sql_stream_next(ss, buf, 3, &err), 0);
    assert_int_equal(sql_stream_skipped(ss), 1); /* 999 */
    sql_stream_close(ss);

    size_t n;
    obj_t *set = sql_set(f.s, "select child from ref where parent = 3", &n, &err);
    assert_non_null(set);
    assert_int_equal(n, 2); /* 4 once */
    assert_int_equal(f.h.addr[set[0]], 4);
    assert_int_equal(f.h.addr[set[1]], 5);
    free(set);
    fx_close(&f);
}

/* A shorthand alone is a condition naming its objects (not one true of every
 * object); with anything else around it, it stays a plain operand. */
static void test_shorthand_alone(void **state)
{
    struct fx f;
    fx_open(&f);
    struct hw_error err = {{0}};
    size_t n;
    obj_t *set = sql_set(f.s, " 3& ", &n, &err);
    assert_non_null(set);
    assert_int_equal(n, 2);
    assert_int_equal(f.h.addr[set[0]], 4);
    assert_int_equal(f.h.addr[set[1]], 5);
    free(set);
    set = sql_set(f.s, "0x4^^;", &n, &err);
    assert_non_null(set);
    assert_int_equal(n, 2); /* 2 and 6 */
    free(set);
    expect(&f, "3&", "4|str|-|a|50|1|-|str(4 50B 2par 'a');5|int|-|7|28|-|-|int(5 28B 1par 7)");
    set = sql_set(f.s, "3& and type = 'str'", &n, &err); /* a subquery, true for every str */
    assert_non_null(set);
    assert_int_equal(n, 1);
    free(set);
    fx_close(&f);
}

/* sql_set_cancel: a statement that would run for seconds (its numbers name no
 * object, so no row comes out) stops once the flag is set (here before it
 * starts), with SQLite's "interrupted". */
static void test_cancel(void **state)
{
    struct fx f;
    fx_open(&f);
    atomic_int cancel = 1;
    struct hw_error err = {{0}};
    sql_set_cancel(f.s, &cancel);
    const char *q = "with recursive c(x) as (select 1000 union all select x + 1 from c where x < 20000000) "
                    "select x from c";
    struct sql_stream *ss = sql_stream_open(f.s, q, &err);
    assert_non_null(ss);
    obj_t buf[4];
    assert_int_equal(sql_stream_next(ss, buf, 4, &err), -1);
    assert_non_null(strstr(err.msg, "interrupt"));
    sql_stream_close(ss);
    /* without the flag, queries run again */
    sql_set_cancel(f.s, NULL);
    size_t n;
    obj_t *set = sql_set(f.s, "type = 'list'", &n, &err);
    assert_non_null(set);
    assert_int_equal(n, 2);
    free(set);
    fx_close(&f);
}

static void test_errors(void **state)
{
    struct fx f;
    fx_open(&f);
    struct hw_error err = {{0}};
    assert_null(sql_prepare(f.s, "select nosuch from obj", &err));
    assert_non_null(strstr(err.msg, "no such column: nosuch"));
    assert_non_null(strstr(sql_hint(err.msg), "parents, retained"));
    assert_null(sql_prepare(f.s, "select 1; select 2", &err));
    assert_non_null(strstr(err.msg, "one statement"));
    /* Nothing but reading: no file attached or written, no table made, no pragma set. */
    static const char *const refused[] = {
        "attach '/tmp/heapwalk-test.db' as x", "delete from obj", "update sqlite_master set type = 'x'",
        "create table t(x)", "create temp table t as select * from obj", "pragma writable_schema = 1",
        "insert into obj(address) values (1)",
    };
    for (size_t k = 0; k < sizeof refused / sizeof *refused; k++) {
        void *st = sql_prepare(f.s, refused[k], &err);
        if (st)
            fail_msg("%s: prepared", refused[k]);
        assert_non_null(strstr(sql_hint(err.msg), "only read"));
    }
    assert_false(access("/tmp/heapwalk-test.db", F_OK) == 0);
    assert_null(sql_stream_open(f.s, "type = ", &err));
    assert_non_null(strstr(err.msg, "incomplete input"));
    assert_null(sql_set(f.s, "select abs(-9223372036854775807 - 1) from obj", &(size_t){0}, &err));
    assert_non_null(strstr(err.msg, "overflow"));
    fx_close(&f);
}

/* Lent analyses are used instead of computed ones. */
static void test_lend(void **state)
{
    struct fx f;
    fx_open(&f);
    struct roots r;
    struct dominators d;
    roots_compute(&f.h, NULL, 0, &r);
    dominators_compute(&f.h, &r, &d);
    d.retained[tu_obj(&f.h, 5)] = 12345;
    sql_lend(f.s, &r, NULL, &d);
    expect(&f, "select retained from obj where address = 5", "12345");
    fx_close(&f);
    dominators_free(&d);
    roots_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memsee_columns),
        cmocka_unit_test(test_indexed_plans_agree_with_scans),
        cmocka_unit_test(test_plans_chosen),
        cmocka_unit_test(test_rewrite),
        cmocka_unit_test(test_shorthands_run),
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_shorthand_alone),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_lend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
