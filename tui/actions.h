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
    X(OPEN, GROUP_GO, "Enter", "open the selected type or object")                               \
    X(RIGHT, GROUP_GO, "Right l", "as Enter; dominator tree: expand the selected row")           \
    X(BACK, GROUP_GO, "Backspace", "back to the previous screen and row")                        \
    X(LEFT, GROUP_GO, "Left h", "as Backspace; dominator tree: collapse, or go up a level")      \
    X(FORWARD, GROUP_GO, "f", "forward again, after going back")                                \
    X(JUMP, GROUP_GO, "g", "go to the object at an address (decimal, or hex with 0x)")         \
    X(DICT, GROUP_GO, "d", "object: refs as a dict (key: value), or plain refs")   \
    X(DOMTREE, GROUP_GO, "D", "dominator tree (on an object or a tree row: its subtree)")        \
    X(GONE, GROUP_GO, "-", "compare mode: the gone objects (only in the old dump)")               \
    X(HOLDERS, GROUP_GO, "H", "compare mode: the holders of new objects (again: by type)")      \
    X(SORT_SIZE, GROUP_SORT, "s", "sort by size")                                               \
    X(SORT_COUNT, GROUP_SORT, "c", "types: sort by count")                                      \
    X(SORT_MAX, GROUP_SORT, "x", "types: sort by largest object")                               \
    X(SORT_NAME, GROUP_SORT, "t", "types: sort by name")                                        \
    X(SORT_ADDRESS, GROUP_SORT, "a", "instances: sort by address")                              \
    X(SORT_LEN, GROUP_SORT, "L", "instances: sort by len")                                      \
    X(SORT_REFS, GROUP_SORT, "r", "instances: sort by number of refs (children)")               \
    X(SORT_PARENTS, GROUP_SORT, "p", "instances: sort by number of parents")                    \
    X(SORT_VALUE, GROUP_SORT, "v", "instances: sort by value or name")                          \
    X(SORT_RETAINED, GROUP_SORT, "R", "sort by retained size (what freeing them would free)")    \
    X(SORT_DEFAULT, GROUP_SORT, "o", "the first order: types by size, instances as get_all()") \
    X(SEARCH, GROUP_FIND, "/", "filter types (summary), or search types, values, names") \
    X(NEXT, GROUP_FIND, "n", "next match of the last search")                                   \
    X(PREV, GROUP_FIND, "N", "previous match of the last search")                               \
    X(MARK, GROUP_FIND, "m", "then a letter: mark the current object")                          \
    X(GOTO_MARK, GROUP_FIND, "'", "then a letter: go to the object marked with it")             \
    X(MARKS, GROUP_FIND, "M", "the list of marks")                                              \
    X(NEW_ONLY, GROUP_FIND, "+", "compare mode, instances: only the new objects, or all")        \
    X(SPLIT_CLASS, GROUP_FIND, "C", "types: a row per class (a.Record); instances: each class in turn") \
    X(QUERY, GROUP_SETS, ":", "a query: a set of the objects a condition on obj or a SELECT of addresses names") \
    X(SET_TYPES, GROUP_SETS, "%", "lists of objects: the list's objects by type (Enter: those of one type)")   \
    X(SET_HOLDERS, GROUP_SETS, "^", "lists of objects: who holds them from outside, by holder (again: by type)") \
    X(SET_RETAINED, GROUP_SETS, "=", "lists of objects: what freeing all of them at once would free")          \
    X(EXPORT_SET, GROUP_SETS, "E", "lists of objects: write them to a file (FILE.dot: a graph; else JSON lines)") \
    X(NAME_SET, GROUP_SETS, "B", "lists of objects: name them, as a set to come back to")                      \
    X(SETS, GROUP_SETS, "*", "the named sets (Enter opens one)")                                               \
    X(WHY, GROUP_WHY, "w", "lists: show or hide the why-alive pane (path to a root)")            \
    X(WHY_FOCUS, GROUP_WHY, "W", "keys into the why-alive pane (Enter opens a hop), and back")   \
    X(PATH, GROUP_WHY, "y", "the path screen: the current object's paths from roots")            \
    X(NEXT_PATH, GROUP_WHY, "]", "path screen: the next path")                                    \
    X(PREV_PATH, GROUP_WHY, "[", "path screen: the previous path")                                \
    X(AVOID, GROUP_WHY, "X", "path screen: find paths that avoid the selected hop")               \
    X(AVOID_EDGE, GROUP_WHY, "e", "path screen: find paths avoiding the ref into it")             \
    X(FORGET_AVOIDED, GROUP_WHY, "u", "path screen: forget what X and e avoid")                  \
    X(SKIP_GLOBALS, GROUP_WHY, "F", "paths skip __globals__ and __builtins__ (again: follow)")    \
    X(SKIP_TYPES, GROUP_WHY, "T", "paths skip refs to classes (again: follow them)")             \
    X(PIN, GROUP_WHY, "P", "pin the current object as a root (again: unpin it)")                  \
    X(ROOTS, GROUP_WHY, "O", "the roots, and the orphan candidates")                              \
    X(THREADS, GROUP_WHY, "K", "the threads, their stacks and locals, and what each retains")     \
    X(SUSPECTS, GROUP_WHY, "S", "leak suspects: what retains 10% of the heap (compare mode: what grew)") \
    X(WASTE, GROUP_WHY, "U", "unneeded memory: duplicate strings, empty and over-allocated containers, __slots__") \
    X(NOTES, GROUP_OTHER, "!", "what loading skipped or left dangling (status line: !notes)") \
    X(HELP, GROUP_OTHER, "? F1", "this help")                                                   \
    X(HUMAN_SIZES, GROUP_OTHER, "b", "sizes human-readable (38.3M), or in exact bytes again")    \
    X(REDRAW, GROUP_OTHER, "^L", "redraw the whole screen")                                     \
    X(QUIT, GROUP_OTHER, "q", "quit")

enum action {
    ACT_NONE,
#define HW_ACTION_ENUM(name, group, keys, help) ACT_##name,
    HW_ACTIONS(HW_ACTION_ENUM)
#undef HW_ACTION_ENUM
    ACT_COUNT
};

/* A status-line hint: an action's key and what it does on a screen
 * ("Enter:open"); also, when not ACT_NONE, a second action's key shown with
 * the first ("j/k:scroll"). */
struct action_hint {
    enum action act;
    const char *what;
    enum action also;
};
#define HINT(name, what) {ACT_##name, what, ACT_NONE}
#define HINTS_END {ACT_NONE, NULL, ACT_NONE}

/* Sections of the help screen, in order. */
enum action_group { GROUP_MOVE, GROUP_GO, GROUP_SORT, GROUP_FIND, GROUP_SETS, GROUP_WHY, GROUP_OTHER, GROUP_COUNT };

#endif
