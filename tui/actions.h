/* actions.h: every action of the explorer, in one list.
 *
 * X(NAME, GROUP, KEYS, HELP): the action enum, the keymap (keymap.c parses
 * KEYS once), the help screen and the man page's key table all come from
 * this list, so a key cannot be bound without being documented.
 *
 * KEYS is a space-separated list of key names: one printable character, ^X
 * for a control character, or Up Down Left Right PgUp PgDn Home End Enter
 * Tab S-Tab Backspace Space F1.  Where an action means something only on some
 * screens, HELP says which. */
#ifndef HW_TUI_ACTIONS_H
#define HW_TUI_ACTIONS_H

#define HW_ACTIONS(X)                                                                           \
    X(UP, GROUP_MOVE, "k Up ^P", "up one row")                                                  \
    X(DOWN, GROUP_MOVE, "j Down ^N", "down one row")                                            \
    X(PAGE_UP, GROUP_MOVE, "PgUp ^B", "up one page")                                            \
    X(PAGE_DOWN, GROUP_MOVE, "PgDn ^F Space", "down one page")                                  \
    X(FIRST, GROUP_MOVE, "Home <", "first row")                                                 \
    X(LAST, GROUP_MOVE, "End G >", "last row")                                                  \
    X(PANE, GROUP_MOVE, "Tab S-Tab", "object: switch between the children and parents panes")  \
    X(OPEN, GROUP_GO, "Enter Right l", "open the selected type or object")                     \
    X(BACK, GROUP_GO, "Backspace Left h", "back to the previous screen and row")               \
    X(FORWARD, GROUP_GO, "f", "forward again, after going back")                                \
    X(JUMP, GROUP_GO, "g", "go to the object at an address (decimal, or hex with 0x)")         \
    X(DICT, GROUP_GO, "d", "object: refs as a dict (key: value), or plain refs")   \
    X(SORT_SIZE, GROUP_SORT, "s", "sort by size")                                               \
    X(SORT_COUNT, GROUP_SORT, "c", "types: sort by count")                                      \
    X(SORT_MAX, GROUP_SORT, "x", "types: sort by largest object")                               \
    X(SORT_NAME, GROUP_SORT, "t", "types: sort by name")                                        \
    X(SORT_ADDRESS, GROUP_SORT, "a", "instances: sort by address")                              \
    X(SORT_LEN, GROUP_SORT, "L", "instances: sort by len")                                      \
    X(SORT_REFS, GROUP_SORT, "r", "instances: sort by number of refs (children)")               \
    X(SORT_PARENTS, GROUP_SORT, "p", "instances: sort by number of parents")                    \
    X(SORT_VALUE, GROUP_SORT, "v", "instances: sort by value or name")                          \
    X(SORT_DEFAULT, GROUP_SORT, "o", "the first order: types by size, instances as get_all()") \
    X(SEARCH, GROUP_FIND, "/", "filter types (summary), or search types, values, names") \
    X(NEXT, GROUP_FIND, "n", "next match of the last search")                                   \
    X(PREV, GROUP_FIND, "N", "previous match of the last search")                               \
    X(MARK, GROUP_FIND, "m", "then a letter: mark the current object")                          \
    X(GOTO_MARK, GROUP_FIND, "'", "then a letter: go to the object marked with it")             \
    X(MARKS, GROUP_FIND, "M", "the list of marks")                                              \
    X(HELP, GROUP_OTHER, "? F1", "this help")                                                   \
    X(REDRAW, GROUP_OTHER, "^L", "redraw the whole screen")                                     \
    X(QUIT, GROUP_OTHER, "q", "quit")

enum action {
    ACT_NONE,
#define HW_ACTION_ENUM(name, group, keys, help) ACT_##name,
    HW_ACTIONS(HW_ACTION_ENUM)
#undef HW_ACTION_ENUM
    ACT_COUNT
};

/* Sections of the help screen, in order. */
enum action_group { GROUP_MOVE, GROUP_GO, GROUP_SORT, GROUP_FIND, GROUP_OTHER, GROUP_COUNT };

#endif
