/* view_marks.c: the marks that are set, one row each: the letter and the
 * object's repr.  The rows come from the marks themselves each time, so the
 * list is right even when marks change while this screen is in the history. */
#include <stdio.h>
#include <stdlib.h>

#include "../src/refs.h"
#include "draw.h"
#include "view.h"

struct marks_state {
    struct list list;
};

/* The slot of the row-th mark that is set, or -1. */
static int slot_of_row(const struct marks *m, size_t row)
{
    for (int s = 0; s < MARKS_MAX; s++)
        if (m->obj[s] != OBJ_NONE && row-- == 0)
            return s;
    return -1;
}

static size_t marks_set(const struct marks *m)
{
    size_t n = 0;
    for (int s = 0; s < MARKS_MAX; s++)
        n += m->obj[s] != OBJ_NONE;
    return n;
}

static void marks_open(struct view *v, const struct view_ctx *ctx)
{
    struct marks_state *st = xcalloc(1, sizeof *st, "the marks screen");
    list_reset(&st->list, marks_set(ctx->marks));
    v->priv = st;
}

static void marks_close(struct view *v)
{
    free(v->priv);
    v->priv = NULL;
}

static void marks_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct marks_state *st = v->priv;
    list_set_count(&st->list, marks_set(ctx->marks));
    list_layout(&st->list, area->height);
}

static void marks_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct marks_state *st = v->priv;
    const struct list *l = &st->list;
    if (l->n == 0) {
        draw_row(area->y, area->width, "No marks yet: on an object, press m and a letter.", ROLE_NOTE);
        return;
    }
    struct strbuf sb;
    sb_init(&sb);
    for (size_t i = l->top; i < l->n && i < l->top + (size_t)l->height; i++) {
        int s = slot_of_row(ctx->marks, i);
        sb_reset(&sb);
        sb_printf(&sb, "%c  ", marks_letter(s));
        refs_repr(ctx->heap, ctx->marks->obj[s], (size_t)area->width * 4, &sb);
        draw_row(area->y + (int)(i - l->top), area->width, sb_cstr(&sb), i == l->cursor ? ROLE_CURSOR : ROLE_NORMAL);
    }
    sb_free(&sb);
}

static unsigned marks_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct marks_state *st = v->priv;
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    if (a != ACT_OPEN)
        return view_key_default(a, res);
    int s = slot_of_row(ctx->marks, st->list.cursor);
    if (s < 0)
        return view_say(res, 1, "no mark to open");
    res->open = (struct view_spec){VIEW_OBJECT, 0, ctx->marks->obj[s], NULL};
    return VIEW_OPEN;
}

static void marks_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    sb_printf(out, "Marks: %zu set ('letter goes straight to one)", marks_set(ctx->marks));
}

static struct list *marks_list(const struct view *v)
{
    struct marks_state *st = v->priv;
    return &st->list;
}

static obj_t marks_row(const struct view *v, const struct view_ctx *ctx, size_t i)
{
    int s = slot_of_row(ctx->marks, i);
    return s < 0 ? OBJ_NONE : ctx->marks->obj[s];
}

/* m marks nothing here: the rows are marks already. */
static obj_t marks_current(const struct view *v, const struct view_ctx *ctx)
{
    return OBJ_NONE;
}

static const struct action_hint marks_hints[] = {
    HINT(OPEN, "open"), HINT(BACK, "back"), HINT(HELP, "help"), HINTS_END,
};

const struct view_ops view_marks_ops = {
    .name = "marks",
    .hints = marks_hints,
    .open = marks_open,
    .close = marks_close,
    .layout = marks_layout,
    .draw = marks_draw,
    .key = marks_key,
    .title = marks_title,
    .list = marks_list,
    .row = marks_row,
    .current = marks_current,
    .selected = view_cursor_object,
    .why_pane = 1,
};
