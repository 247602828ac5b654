/* test_tui_keymap.c: the keymap built from tui/actions.h: which key runs
 * which action, that no key is bound twice and no key name is unknown (the
 * errors keymap_init reports before the terminal is set up), and the
 * status-line hints spelled from the action table. */
#include "testutil.h"

#include <curses.h>

#include "keymap.h"

static void test_actions_h_binds_each_key_once(void **state)
{
    struct hw_error err = {{0}};
    int rc = keymap_init(&err);
    if (rc != 0)
        print_error("keymap_init: %s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_string_equal(err.msg, "");
}

static void test_keys_run_their_actions(void **state)
{
    struct hw_error err = {{0}};
    assert_int_equal(keymap_init(&err), 0);
    assert_int_equal(keymap_action(0, 'j'), ACT_DOWN);
    assert_int_equal(keymap_action(1, KEY_DOWN), ACT_DOWN);
    assert_int_equal(keymap_action(0, 'N' & 0x1f), ACT_DOWN);   /* ^N */
    assert_int_equal(keymap_action(0, '\r'), ACT_OPEN);
    assert_int_equal(keymap_action(0, '\n'), ACT_OPEN);
    assert_int_equal(keymap_action(1, KEY_ENTER), ACT_OPEN);
    assert_int_equal(keymap_action(0, 127), ACT_BACK);          /* DEL from Backspace */
    assert_int_equal(keymap_action(1, KEY_BACKSPACE), ACT_BACK);
    assert_int_equal(keymap_action(0, '?'), ACT_HELP);
    assert_int_equal(keymap_action(1, KEY_F(1)), ACT_HELP);
    assert_int_equal(keymap_action(0, ' '), ACT_PAGE_DOWN);
    assert_int_equal(keymap_action(0, '\''), ACT_GOTO_MARK);
    /* Esc, a character past the table and a code past KEY_MAX run nothing. */
    assert_int_equal(keymap_action(0, KEYMAP_ESC), ACT_NONE);
    assert_int_equal(keymap_action(0, 0x263a), ACT_NONE);
    assert_int_equal(keymap_action(1, KEY_MAX + 1), ACT_NONE);
}

/* A table of keys per action, as keymap_bind takes it. */
static int bind(const char *down, const char *up, struct hw_error *err)
{
    const char *keys[ACT_COUNT];
    for (int a = 0; a < ACT_COUNT; a++)
        keys[a] = "";
    keys[ACT_DOWN] = down;
    keys[ACT_UP] = up;
    return keymap_bind(keys, ACT_COUNT, err);
}

static void test_a_key_bound_twice_is_an_error(void **state)
{
    struct hw_error err = {{0}};
    assert_int_equal(bind("j Down", "k j", &err), -1);
    assert_non_null(strstr(err.msg, "key 'j' is bound to two actions"));
    assert_non_null(strstr(err.msg, "DOWN"));
    assert_non_null(strstr(err.msg, "UP"));
    /* Named keys share slots too: ^M is Enter's '\r' (UP binds first). */
    memset(&err, 0, sizeof err);
    assert_int_equal(bind("Enter", "^M", &err), -1);
    assert_string_equal(err.msg, "key 'Enter' is bound to two actions, UP and DOWN");
    /* The same key twice for one action is no conflict. */
    memset(&err, 0, sizeof err);
    assert_int_equal(bind("j j", "k", &err), 0);
    assert_int_equal(keymap_action(0, 'j'), ACT_DOWN);
    assert_int_equal(keymap_action(0, 'k'), ACT_UP);
}

static void test_an_unknown_key_name_is_an_error(void **state)
{
    struct hw_error err = {{0}};
    assert_int_equal(bind("j PageDown", "k", &err), -1);
    assert_string_equal(err.msg, "action DOWN names an unknown key 'PageDown'");
}

static void test_hints_take_keys_from_the_action_table(void **state)
{
    static const struct action_hint hints[] = {
        {ACT_DOWN, "scroll", ACT_UP}, HINT(BACK, "back"), HINT(OPEN, "open"), HINT(HELP, "help"),
        HINT(NEXT_PATH, "next path"), HINT(REDRAW, "redraw"), HINTS_END,
    };
    struct strbuf sb;
    sb_init(&sb);
    action_hints(hints, &sb);
    assert_string_equal(sb_cstr(&sb), "j/k:scroll Bksp:back Enter:open ?:help ]:next path ^L:redraw");
    sb_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_actions_h_binds_each_key_once),
        cmocka_unit_test(test_keys_run_their_actions),
        cmocka_unit_test(test_a_key_bound_twice_is_an_error),
        cmocka_unit_test(test_an_unknown_key_name_is_an_error),
        cmocka_unit_test(test_hints_take_keys_from_the_action_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
