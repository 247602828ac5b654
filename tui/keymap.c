/* keymap.c: keys -> actions, built from actions.h (see keymap.h).  Uses
 * curses.h only for the KEY_* codes: no terminal is needed to build it. */
#include "keymap.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct action_info {
    const char *name, *keys, *help;
    enum action_group group;
};

static const struct action_info actions[ACT_COUNT] = {
    [ACT_NONE] = {"NONE", "", "", GROUP_OTHER},
#define HW_ACTION_INFO(name, grp, k, h) [ACT_##name] = {#name, k, h, grp},
    HW_ACTIONS(HW_ACTION_INFO)
#undef HW_ACTION_INFO
};

static const char *const group_titles[GROUP_COUNT] = {
    [GROUP_MOVE] = "Moving",
    [GROUP_GO] = "Going places",
    [GROUP_SORT] = "Sorting (the same key again reverses the order)",
    [GROUP_FIND] = "Finding and marking",
    [GROUP_SETS] = "Sets: queries, and any list of objects as a whole",
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
    const char *hint;        /* as the status line's hints spell it */
    int codes[3];            /* a character (< CHAR_KEYS) or CHAR_KEYS + a KEY_* code; 0 ends */
};

#define CODE(k) (CHAR_KEYS + (k))

static const struct key_name named_keys[] = {
    {"Up", "Up", {CODE(KEY_UP)}},
    {"Down", "Down", {CODE(KEY_DOWN)}},
    {"Left", "Left", {CODE(KEY_LEFT)}},
    {"Right", "Right", {CODE(KEY_RIGHT)}},
    {"PgUp", "PgUp", {CODE(KEY_PPAGE)}},
    {"PgDn", "PgDn", {CODE(KEY_NPAGE)}},
    {"Home", "Home", {CODE(KEY_HOME), CODE(KEY_A1)}},
    {"End", "End", {CODE(KEY_END), CODE(KEY_C1)}},
    {"Enter", "Enter", {'\r', '\n', CODE(KEY_ENTER)}},
    {"Tab", "Tab", {'\t'}},
    {"S-Tab", "S-Tab", {CODE(KEY_BTAB)}},
    /* Terminals send DEL or ^H for Backspace; keypad() turns kbs into KEY_BACKSPACE. */
    {"Backspace", "Bksp", {CODE(KEY_BACKSPACE), 127, '\b'}},
    {"Space", "Space", {' '}},
    {"F1", "F1", {CODE(KEY_F(1))}},
};

static const struct key_name *named_key(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof named_keys / sizeof *named_keys; i++)
        if (strlen(named_keys[i].name) == len && memcmp(named_keys[i].name, name, len) == 0)
            return &named_keys[i];
    return NULL;
}

/* Bind one slot of the table to a; -1 when another action has it. */
static int bind_slot(int slot, enum action a, const char *name, size_t len, struct hw_error *err)
{
    if (bound[slot] != ACT_NONE && bound[slot] != a) {
        return hw_fail(err, "key '%.*s' is bound to two actions, %s and %s", (int)len, name,
                       actions[bound[slot]].name, actions[a].name);
    }
    bound[slot] = (unsigned char)a;
    return 0;
}

static int bind_name(const char *name, size_t len, enum action a, struct hw_error *err)
{
    if (len == 1)
        return bind_slot((unsigned char)name[0], a, name, len, err);
    if (len == 2 && name[0] == '^')
        return bind_slot(name[1] & 0x1f, a, name, len, err);
    const struct key_name *k = named_key(name, len);
    if (!k)
        return hw_fail(err, "action %s names an unknown key '%.*s'", actions[a].name, (int)len, name);
    for (int j = 0; j < 3 && k->codes[j]; j++)
        if (bind_slot(k->codes[j], a, name, len, err) < 0)
            return -1;
    return 0;
}

int keymap_bind(const char *const *keys, size_t n, struct hw_error *err)
{
    memset(bound, 0, sizeof bound);
    for (size_t a = ACT_NONE + 1; a < n && a < ACT_COUNT; a++) {
        const char *s = keys[a];
        while (*s) {
            size_t len = strcspn(s, " ");
            if (len && bind_name(s, len, (enum action)a, err) < 0)
                return -1;
            s += len;
            s += strspn(s, " ");
        }
    }
    return 0;
}

int keymap_init(struct hw_error *err)
{
    const char *keys[ACT_COUNT];
    for (int a = 0; a < ACT_COUNT; a++)
        keys[a] = actions[a].keys;
    if (keymap_bind(keys, ACT_COUNT, err) < 0) {
        char why[HW_ERRMAX];
        snprintf(why, sizeof why, "%s", err->msg);
        return hw_fail(err, "tui/actions.h: %s", why);
    }
    return 0;
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
const char *action_name(enum action a) { return actions[a].name; }

void action_key_hint(enum action a, struct strbuf *out)
{
    const char *s = actions[a].keys;
    size_t len = strcspn(s, " ");
    const struct key_name *k = len > 1 && s[0] != '^' ? named_key(s, len) : NULL;
    if (k)
        sb_adds(out, k->hint);
    else
        sb_add(out, s, len);
}

void action_hints(const struct action_hint *hints, struct strbuf *out)
{
    for (const struct action_hint *h = hints; h->act != ACT_NONE; h++) {
        if (h != hints)
            sb_adds(out, " ");
        action_key_hint(h->act, out);
        if (h->also != ACT_NONE) {
            sb_adds(out, "/");
            action_key_hint(h->also, out);
        }
        sb_printf(out, ":%s", h->what);
    }
}
const char *action_help(enum action a) { return actions[a].help; }
enum action_group action_group(enum action a) { return actions[a].group; }
const char *action_group_title(enum action_group g) { return group_titles[g]; }
