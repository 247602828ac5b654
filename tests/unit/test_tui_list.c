/* test_tui_list.c: the explorer's virtual list (tui/list.c): moving the
 * cursor, scrolling as little as possible, pages, the ends, a row count that
 * shrinks, and searching with wrap-around, in one go or a few rows a step. */
#include "testutil.h"

#include "list.h"

/* A list of n rows showing height of them. */
static struct list make(size_t n, int height)
{
    struct list l;
    list_reset(&l, n);
    list_layout(&l, height);
    return l;
}

static void test_moves_scroll_only_as_needed(void **state)
{
    struct list l = make(100, 10);
    assert_int_equal(list_move(&l, ACT_UP), 1); /* at the top: still a move */
    assert_int_equal(l.cursor, 0);
    for (int k = 0; k < 9; k++)
        list_move(&l, ACT_DOWN);
    assert_int_equal(l.cursor, 9);
    assert_int_equal(l.top, 0);  /* the last visible row: no scroll yet */
    list_move(&l, ACT_DOWN);
    assert_int_equal(l.cursor, 10);
    assert_int_equal(l.top, 1);  /* one row, not a page */
    list_move(&l, ACT_UP);
    assert_int_equal(l.top, 1);  /* back up inside the page: no scroll */
    assert_int_equal(list_move(&l, ACT_SORT_SIZE), 0); /* not a movement */
}

static void test_pages_and_ends(void **state)
{
    struct list l = make(25, 10);
    list_move(&l, ACT_DOWN);
    list_move(&l, ACT_PAGE_DOWN);
    assert_int_equal(l.cursor, 11); /* the cursor keeps its screen row */
    assert_int_equal(l.top, 10);
    list_move(&l, ACT_PAGE_DOWN);
    assert_int_equal(l.cursor, 21);
    assert_int_equal(l.top, 15);    /* no empty rows below the last one */
    list_move(&l, ACT_PAGE_DOWN);
    assert_int_equal(l.cursor, 24);
    list_move(&l, ACT_FIRST);
    assert_int_equal(l.cursor, 0);
    assert_int_equal(l.top, 0);
    list_move(&l, ACT_LAST);
    assert_int_equal(l.cursor, 24);
    assert_int_equal(l.top, 15);
    list_move(&l, ACT_PAGE_UP);
    assert_int_equal(l.cursor, 14);
    assert_int_equal(l.top, 5);
}

static void test_an_empty_list_stays_at_zero(void **state)
{
    struct list l = make(0, 10);
    list_move(&l, ACT_DOWN);
    list_move(&l, ACT_LAST);
    list_move(&l, ACT_PAGE_DOWN);
    assert_int_equal(l.cursor, 0);
    assert_int_equal(l.top, 0);
}

static void test_fewer_rows_keep_the_cursor_on_one(void **state)
{
    struct list l = make(50, 10);
    list_move(&l, ACT_LAST);
    list_set_count(&l, 20);
    assert_int_equal(l.cursor, 19);
    assert_int_equal(l.top, 10);
    list_set_count(&l, 5);
    assert_int_equal(l.cursor, 4);
    assert_int_equal(l.top, 0);
    /* A taller terminal shows everything from the top. */
    list_set_count(&l, 50);
    list_select(&l, 30);
    list_layout(&l, 60);
    assert_int_equal(l.top, 0);
    assert_int_equal(l.cursor, 30);
}

static int is_multiple_of_ten(const void *ctx, size_t row)
{
    (void)ctx;
    return row % 10 == 0;
}

static void test_find_goes_round_the_end(void **state)
{
    struct list l = make(25, 5);
    assert_int_equal(list_find(&l, 1, is_multiple_of_ten, NULL), LIST_FOUND);
    assert_int_equal(l.cursor, 10);
    assert_true(l.top <= 10 && 10 < l.top + 5); /* scrolled into view */
    assert_int_equal(list_find(&l, 1, is_multiple_of_ten, NULL), LIST_FOUND);
    assert_int_equal(l.cursor, 20);
    assert_int_equal(list_find(&l, 1, is_multiple_of_ten, NULL), LIST_WRAPPED);
    assert_int_equal(l.cursor, 0);
    assert_int_equal(list_find(&l, -1, is_multiple_of_ten, NULL), LIST_WRAPPED);
    assert_int_equal(l.cursor, 20);
    assert_int_equal(list_find(&l, -1, is_multiple_of_ten, NULL), LIST_FOUND);
    assert_int_equal(l.cursor, 10);
    /* The only match is the row under the cursor: found again, round the end. */
    struct list one = make(5, 5);
    assert_int_equal(list_find(&one, 1, is_multiple_of_ten, NULL), LIST_WRAPPED);
    assert_int_equal(one.cursor, 0);
    struct list none = make(0, 5);
    assert_int_equal(list_find(&none, 1, is_multiple_of_ten, NULL), LIST_NOT_FOUND);
}

/* Rows whose bit is set in a pattern: a different set of matches per pattern. */
static int in_pattern(const void *ctx, size_t row)
{
    const unsigned *pattern = ctx;
    return (*pattern >> (row % 16)) & 1u;
}

/* A search a few rows a step finds what one in one go finds, from every
 * cursor, both ways, whatever rows match, whatever the step's budget. */
static void test_search_in_steps_finds_what_find_finds(void **state)
{
    static const unsigned patterns[] = {0, 1, 0x8000, 0x0420, 0xffff, 0x1248};
    for (size_t p = 0; p < sizeof patterns / sizeof *patterns; p++)
        for (size_t n = 0; n <= 13; n++)
            for (size_t cur = 0; cur < (n ? n : 1); cur++)
                for (int dir = -1; dir <= 1; dir += 2)
                    for (size_t budget = 1; budget <= 4; budget++) {
                        struct list whole = make(n, 5), steps = make(n, 5);
                        list_select(&whole, cur);
                        list_select(&steps, cur);
                        enum list_found want = list_find(&whole, dir, in_pattern, &patterns[p]);
                        struct list_search s = {.dir = dir, .budget = budget};
                        enum list_found got;
                        size_t calls = 0;
                        while ((got = list_search_step(&steps, &s, in_pattern, &patterns[p])) == LIST_SEARCHING)
                            calls++;
                        assert_int_equal(got, want);
                        assert_int_equal(steps.cursor, whole.cursor);
                        assert_true(calls <= (n + budget - 1) / budget); /* each step looked at budget rows */
                    }
}

/* The list changing under a search (another row count, the cursor moved):
 * it begins again from the cursor, so it never looks past the last row. */
static void test_search_begins_again_when_the_list_changes(void **state)
{
    struct list l = make(100, 10);
    unsigned last_only = 0x8000; /* rows 15, 31, ... */
    list_select(&l, 40);
    struct list_search s = {.dir = 1, .budget = 3};
    assert_int_equal(list_search_step(&l, &s, in_pattern, &last_only), LIST_SEARCHING); /* rows 41-43 */
    list_set_count(&l, 20);  /* the cursor moves to row 19 */
    assert_int_equal(list_search_step(&l, &s, in_pattern, &last_only), LIST_SEARCHING); /* rows 0-2 */
    while (list_search_step(&l, &s, in_pattern, &last_only) == LIST_SEARCHING)
        ;
    assert_int_equal(l.cursor, 15);
    list_select(&l, 3);
    s = (struct list_search){.dir = -1, .budget = 2};
    assert_int_equal(list_search_step(&l, &s, in_pattern, &last_only), LIST_SEARCHING);
    list_select(&l, 12);     /* a key moved it: from row 12 now, upwards */
    enum list_found got;
    while ((got = list_search_step(&l, &s, in_pattern, &last_only)) == LIST_SEARCHING)
        ;
    assert_int_equal(got, LIST_WRAPPED);
    assert_int_equal(l.cursor, 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moves_scroll_only_as_needed),
        cmocka_unit_test(test_pages_and_ends),
        cmocka_unit_test(test_an_empty_list_stays_at_zero),
        cmocka_unit_test(test_fewer_rows_keep_the_cursor_on_one),
        cmocka_unit_test(test_find_goes_round_the_end),
        cmocka_unit_test(test_search_in_steps_finds_what_find_finds),
        cmocka_unit_test(test_search_begins_again_when_the_list_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
