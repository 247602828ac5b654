/* view_notes.c: what loading the dump skipped or could not resolve, the
 * notes `heapwalk summary` prints on stderr (notes.h), which the explorer's
 * screen would hide: a row per note, its kind, its line in the dump (for a
 * skipped line) and the sentence, escaped as stderr escapes it.  The status
 * line says "!notes" while there are any. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/escape.h"
#include "draw.h"
#include "view.h"

#define KIND_WIDTH 10
#define LINE_WIDTH 9

struct notes_state {
    struct list list;
};

static const char *kind_name(enum note_kind k)
{
    switch (k) {
    case NOTE_BAD_LINES: return "skipped";
    case NOTE_BAD_LINE: return "bad line";
    case NOTE_DUPLICATES: return "repeated";
    case NOTE_DANGLING: return "dangling";
    }
    return "?";
}

static void notes_open(struct view *v, const struct view_ctx *ctx)
{
    struct notes_state *st = xcalloc(1, sizeof *st, "the notes screen");
    list_reset(&st->list, ctx->notes ? ctx->notes->n : 0);
    v->priv = st;
}

static void notes_close(struct view *v)
{
    free(v->priv);
    v->priv = NULL;
}

static void notes_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct notes_state *st = v->priv;
    list_layout(&st->list, area->height - 1);
}

/* One note's row: kind, line, the sentence. */
static void note_row(const struct load_note *nt, struct strbuf *out)
{
    sb_printf(out, "%-*s ", KIND_WIDTH, kind_name(nt->kind));
    if (nt->line)
        sb_printf(out, "%*llu  ", LINE_WIDTH, (unsigned long long)nt->line);
    else
        sb_printf(out, "%*s  ", LINE_WIDTH, "");
    hw_sb_message(out, nt->text, strlen(nt->text));
}

static void notes_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct notes_state *st = v->priv;
    const struct list *l = &st->list;
    struct strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "%-*s %*s  %s", KIND_WIDTH, "Kind", LINE_WIDTH, "Line", "Note");
    draw_row(area->y, area->width, sb_cstr(&sb), ROLE_HEADER);
    if (l->n == 0)
        draw_row(area->y + 1, area->width, "nothing was skipped, repeated or dangling: the dump loaded whole",
                 ROLE_NOTE);
    for (size_t i = l->top; i < l->n && i < l->top + (size_t)l->height; i++) {
        sb_reset(&sb);
        note_row(&ctx->notes->v[i], &sb);
        draw_row(area->y + 1 + (int)(i - l->top), area->width, sb_cstr(&sb),
                 i == l->cursor ? ROLE_CURSOR : ROLE_NORMAL);
    }
    sb_free(&sb);
}

static unsigned notes_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct notes_state *st = v->priv;
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    if (a == ACT_OPEN || a == ACT_RIGHT)
        return view_say(res, 1, "a note has no object to open");
    return view_key_default(a, res);
}

static void notes_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    size_t n = ctx->notes ? ctx->notes->n : 0;
    sb_printf(out, "Load notes: %zu (as stderr says them; the explorer's screen hides stderr)", n);
}

static struct list *notes_list(const struct view *v)
{
    struct notes_state *st = v->priv;
    return &st->list;
}

static const struct action_hint notes_hints[] = {
    HINT(BACK, "back"), HINT(HELP, "help"), HINT(QUIT, "quit"), HINTS_END,
};

const struct view_ops view_notes_ops = {
    .name = "notes",
    .hints = notes_hints,
    .open = notes_open,
    .close = notes_close,
    .layout = notes_layout,
    .draw = notes_draw,
    .key = notes_key,
    .title = notes_title,
    .list = notes_list,
};
