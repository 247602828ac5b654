/* keymap.h: keys -> actions, and the text the help screen shows for each action. */
#ifndef HW_TUI_KEYMAP_H
#define HW_TUI_KEYMAP_H

#include "actions.h"

/* The Esc character: it cancels prompts and pending keys, and is bound to no
 * action (over a slow link it can arrive alone, split from an arrow key). */
#define KEYMAP_ESC 27

/* Bind the default keys of every action (from HW_ACTIONS). Call once, before
 * the first keymap_action(). */
void keymap_init(void);

/* The action bound to a key as get_wch() returned it: a curses KEY_* code when
 * is_code, else a character. ACT_NONE when the key is not bound. */
enum action keymap_action(int is_code, unsigned key);

/* Static text for the help screen: the keys as written in actions.h, the
 * help line, the group, and the group's title. */
const char *action_keys(enum action a);
const char *action_help(enum action a);
enum action_group action_group(enum action a);
const char *action_group_title(enum action_group g);

#endif
