/* keymap.h: keys -> actions, and the text the help screen shows for each action. */
#ifndef HW_TUI_KEYMAP_H
#define HW_TUI_KEYMAP_H

#include <stddef.h>

#include "../src/util.h"
#include "actions.h"

/* The Esc character: it cancels prompts and pending keys, and is bound to no
 * action (over a slow link it can arrive alone, split from an arrow key). */
#define KEYMAP_ESC 27

/* Bind the default keys of every action (from HW_ACTIONS). Call once, before
 * the first keymap_action() and before the terminal is set up: -1 with err
 * set when actions.h names an unknown key or binds a key to two actions (a
 * bug, which every run and the unit tests catch). */
int keymap_init(struct hw_error *err);
/* The same from keys[a] for each action a < n (keys[ACT_NONE] unused): the
 * table keymap_init binds, or a test's own. */
int keymap_bind(const char *const *keys, size_t n, struct hw_error *err);

/* The action bound to a key as get_wch() returned it: a curses KEY_* code when
 * is_code, else a character. ACT_NONE when the key is not bound. */
enum action keymap_action(int is_code, unsigned key);

/* Static text for the help screen: the keys as written in actions.h, the
 * help line, the group, and the group's title. */
const char *action_keys(enum action a);
/* The action's name in actions.h ("OPEN"). */
const char *action_name(enum action a);
/* The action's first key, as the status line's hints spell it ("Bksp"). */
void action_key_hint(enum action a, struct strbuf *out);
/* "Enter:open ?:help": each hint's first key (also's after a slash) and
 * what it does, up to the one whose act is ACT_NONE. */
void action_hints(const struct action_hint *hints, struct strbuf *out);
const char *action_help(enum action a);
enum action_group action_group(enum action a);
const char *action_group_title(enum action_group g);

#endif
