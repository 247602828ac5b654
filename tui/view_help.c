/* view_help.c: every key, grouped, straight from the action table the keymap
 * is built from (actions.h), plus the keys of the prompt and of marks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/version.h"
#include "draw.h"
#include "keymap.h"
#include "view.h"

#define KEYS_WIDTH 20

/* Lines that are not actions: how the prompt and the mark letters work. */
static const char *const extra_lines[] = {
    "",
    "In the prompt (after /, g, :, E or S)",
    "  Enter              accept",
    "  Esc ^G             cancel (a filter goes back to what it was)",
    "  Backspace ^W ^U    delete a character, a word, the whole line",
    "",
    "Searching matches type names, values and names; a search with no capital",
    "letter ignores case. Marks are letters a-z and A-Z; Esc cancels m and '.",
};

struct help_state {
    char **lines;            /* owned */
    size_t n;
    size_t top;              /* the first line shown */
    int height;
};

static void add_line(struct help_state *st, const char *s)
{
    st->lines = xreallocarray(st->lines, st->n + 1, sizeof *st->lines, "the help screen");
    st->lines[st->n++] = xstrdup(s, "the help screen");
}

static void help_open(struct view *v, const struct view_ctx *ctx)
{
    struct help_state *st = xcalloc(1, sizeof *st, "the help screen");
    char line[256];
    snprintf(line, sizeof line, "heapwalk %s: the keys of the explorer", HW_VERSION);
    add_line(st, line);
    for (int g = 0; g < GROUP_COUNT; g++) {
        add_line(st, "");
        add_line(st, action_group_title((enum action_group)g));
        for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
            if (action_group((enum action)a) != (enum action_group)g)
                continue;
            snprintf(line, sizeof line, "  %-*s %s", KEYS_WIDTH - 2, action_keys((enum action)a),
                     action_help((enum action)a));
            add_line(st, line);
        }
    }
    for (size_t i = 0; i < sizeof extra_lines / sizeof *extra_lines; i++)
        add_line(st, extra_lines[i]);
    v->priv = st;
}

static void help_close(struct view *v)
{
    struct help_state *st = v->priv;
    for (size_t i = 0; i < st->n; i++)
        free(st->lines[i]);
    free(st->lines);
    free(st);
    v->priv = NULL;
}

static size_t last_top(const struct help_state *st)
{
    return st->n > (size_t)st->height ? st->n - (size_t)st->height : 0;
}

static void help_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct help_state *st = v->priv;
    st->height = area->height > 1 ? area->height : 1;
    if (st->top > last_top(st))
        st->top = last_top(st);
}

static void help_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct help_state *st = v->priv;
    for (int r = 0; r < area->height && st->top + (size_t)r < st->n; r++) {
        const char *s = st->lines[st->top + (size_t)r];
        /* Group titles stand out; they are the lines that do not start with a blank. */
        enum role role = (r + st->top > 0 && s[0] && s[0] != ' ') ? ROLE_HEADER : ROLE_NORMAL;
        draw_row(area->y + r, area->width, s, role);
    }
}

/* The help is text, not a list: the keys scroll it. */
static unsigned help_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct help_state *st = v->priv;
    size_t page = (size_t)st->height, last = last_top(st);
    switch (a) {
    case ACT_UP: st->top = st->top ? st->top - 1 : 0; break;
    case ACT_DOWN: st->top = st->top < last ? st->top + 1 : last; break;
    case ACT_PAGE_UP: st->top = st->top > page ? st->top - page : 0; break;
    case ACT_PAGE_DOWN: st->top = st->top + page < last ? st->top + page : last; break;
    case ACT_FIRST: st->top = 0; break;
    case ACT_LAST: st->top = last; break;
    default: return view_key_default(a, res);
    }
    return VIEW_HANDLED;
}

static void help_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    sb_adds(out, "Help: Backspace goes back to where you were");
}

/* The last line shown, of all the lines (as a pager counts): the end of
 * the help reads n/n. */
static void help_position(const struct view *v, size_t *pos, size_t *total)
{
    const struct help_state *st = v->priv;
    size_t last = st->top + (size_t)(st->height > 0 ? st->height : 1);
    *pos = last < st->n ? last : st->n;
    *total = st->n;
}

static const struct action_hint help_hints[] = {
    {ACT_DOWN, "scroll", ACT_UP}, HINT(BACK, "back"), HINT(QUIT, "quit"), HINTS_END,
};

const struct view_ops view_help_ops = {
    .name = "help",
    .hints = help_hints,
    .open = help_open,
    .close = help_close,
    .layout = help_layout,
    .draw = help_draw,
    .key = help_key,
    .title = help_title,
    .position = help_position,
};
