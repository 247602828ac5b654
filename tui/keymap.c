#include "keymap.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct action_info {
    const char *keys, *help;
    enum action_group group;
};

static const struct action_info actions[ACT_COUNT] = {
    [ACT_NONE] = {"", "", GROUP_OTHER},
#define HW_ACTION_INFO(name, grp, k, h) [ACT_##name] = {k, h, grp},
    HW_ACTIONS(HW_ACTION_INFO)
#undef HW_ACTION_INFO
};

static const char *const group_titles[GROUP_COUNT] = {
    [GROUP_MOVE] = "Moving",
    [GROUP_GO] = "Going places",
    [GROUP_SORT] = "Sorting (the same key again reverses the order)",
    [GROUP_FIND] = "Finding and marking",
    [GROUP_WHY] = "Why is it alive: paths from the roots",
    [GROUP_OTHER] = "Other",
};

/* Characters index the table directly; curses key codes (KEY_MIN and up,
 * at most KEY_MAX) follow them, so one array holds both. */
#define CHAR_KEYS 256
#define TABLE_SIZE (CHAR_KEYS + KEY_MAX + 1)

static unsigned char bound[TABLE_SIZE]; /* enum action, ACT_NONE when unbound */
_Static_assert(ACT_COUNT <= 256, "an action must fit the keymap's bytes");

struct key_name {
    const char *name;
    int codes[3];            /* a character (< CHAR_KEYS) or CHAR_KEYS + a KEY_* code; 0 ends */
};

#define CODE(k) (CHAR_KEYS + (k))

static const struct key_name named_keys[] = {
    {"Up", {CODE(KEY_UP)}},
    {"Down", {CODE(KEY_DOWN)}},
    {"Left", {CODE(KEY_LEFT)}},
    {"Right", {CODE(KEY_RIGHT)}},
    {"PgUp", {CODE(KEY_PPAGE)}},
    {"PgDn", {CODE(KEY_NPAGE)}},
    {"Home", {CODE(KEY_HOME), CODE(KEY_A1)}},
    {"End", {CODE(KEY_END), CODE(KEY_C1)}},
    {"Enter", {'\r', '\n', CODE(KEY_ENTER)}},
    {"Tab", {'\t'}},
    {"S-Tab", {CODE(KEY_BTAB)}},
    /* Terminals send DEL or ^H for Backspace; keypad() turns kbs into KEY_BACKSPACE. */
    {"Backspace", {CODE(KEY_BACKSPACE), 127, '\b'}},
    {"Space", {' '}},
    {"F1", {CODE(KEY_F(1))}},
};

/* A key name from actions.h is a fixed string: a bad one is a bug, caught by any run. */
static void bind_name(const char *name, size_t len, enum action a)
{
    if (len == 1) {
        bound[(unsigned char)name[0]] = (unsigned char)a;
        return;
    }
    if (len == 2 && name[0] == '^') {
        bound[name[1] & 0x1f] = (unsigned char)a;
        return;
    }
    for (size_t i = 0; i < sizeof named_keys / sizeof *named_keys; i++) {
        const struct key_name *k = &named_keys[i];
        if (strlen(k->name) == len && memcmp(k->name, name, len) == 0) {
            for (int j = 0; j < 3 && k->codes[j]; j++)
                bound[k->codes[j]] = (unsigned char)a;
            return;
        }
    }
    fprintf(stderr, "heapwalk: actions.h names an unknown key '%.*s'\n", (int)len, name);
    abort();
}

void keymap_init(void)
{
    memset(bound, 0, sizeof bound);
    for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
        const char *s = actions[a].keys;
        while (*s) {
            size_t len = strcspn(s, " ");
            if (len)
                bind_name(s, len, (enum action)a);
            s += len;
            s += strspn(s, " ");
        }
    }
}

enum action keymap_action(int is_code, unsigned key)
{
    unsigned slot = is_code ? CHAR_KEYS + key : key;
    if (!is_code && key >= CHAR_KEYS)
        return ACT_NONE;
    if (slot >= TABLE_SIZE)
        return ACT_NONE;
    return (enum action)bound[slot];
}

const char *action_keys(enum action a) { return actions[a].keys; }
const char *action_help(enum action a) { return actions[a].help; }
enum action_group action_group(enum action a) { return actions[a].group; }
const char *action_group_title(enum action_group g) { return group_titles[g]; }
