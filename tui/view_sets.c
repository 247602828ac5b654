/* view_sets.c: the sets the user named (B), one row each: the name, how many
 * objects, and what the set was (a query, or the list it came from).  Enter
 * opens the set again.  The rows come from the named sets each time, as the
 * marks screen's come from the marks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/escape.h"
#include "draw.h"
#include "sets.h"
#include "view.h"

enum { COL_NAME, COL_COUNT, COL_WHAT, NCOLS };

static const struct column columns[NCOLS] = {
    [COL_NAME] = {"Name", 16, 0, 9, 1},
    [COL_COUNT] = {"Objects", 10, 1, 8, 0},
    [COL_WHAT] = {"What", 0, 2, 10, 1},
};

struct sets_state {
    struct list list;
    unsigned char cols[NCOLS];
    struct set_source src;   /* Enter: what opens the set */
};

static void sets_open(struct view *v, const struct view_ctx *ctx)
{
    struct sets_state *st = xcalloc(1, sizeof *st, "the named sets");
    list_reset(&st->list, ctx->sets->n);
    v->priv = st;
}

static void sets_close(struct view *v)
{
    free(v->priv);
    v->priv = NULL;
}

static void sets_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct sets_state *st = v->priv;
    list_set_count(&st->list, ctx->sets->n);
    columns_fit(columns, NCOLS, area->width, 12, st->cols);
    list_layout(&st->list, area->height - 1);
}

static void sets_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct sets_state *st = v->priv;
    if (st->list.n == 0) {
        draw_row(area->y, area->width, "No named sets yet: on a set or any list of objects, press B and a name.",
                 ROLE_NOTE);
        return;
    }
    draw_header(area->y, area->width, columns, NCOLS, st->cols, -1, 1);
    struct strbuf name, what;
    sb_init(&name);
    sb_init(&what);
    int y = area->y + 1;
    for (size_t i = st->list.top; i < st->list.n && y < area->y + area->height; i++, y++) {
        const struct named_set *s = &ctx->sets->sets[i];
        char count[VIEW_BYTES_MAX];
        snprintf(count, sizeof count, "%zu", s->n);
        sb_reset(&name);
        sb_reset(&what);
        hw_sb_escaped_str(&name, s->name);
        hw_sb_escaped_str(&what, s->what);
        const char *cells[NCOLS] = {sb_cstr(&name), count, sb_cstr(&what)};
        draw_cells(y, area->width, columns, NCOLS, st->cols, cells, i == st->list.cursor ? ROLE_CURSOR : ROLE_NORMAL,
                   -1, ROLE_NORMAL);
    }
    sb_free(&name);
    sb_free(&what);
}

static unsigned sets_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct sets_state *st = v->priv;
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    if (a != ACT_OPEN)
        return view_key_default(a, res);
    if (st->list.n == 0)
        return view_say(res, 1, "no named set to open");
    const struct named_set *s = &ctx->sets->sets[st->list.cursor];
    st->src = (struct set_source){s->what, NULL, s->objs, s->n, 0};
    res->open = (struct view_spec){VIEW_SET, 0, OBJ_NONE, &st->src};
    return VIEW_OPEN;
}

static void sets_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    sb_printf(out, "Named sets: %zu (B names the list on the screen)", ctx->sets->n);
}

static struct list *sets_list(const struct view *v)
{
    struct sets_state *st = v->priv;
    return &st->list;
}

static const struct action_hint sets_hints[] = {
    HINT(OPEN, "open"), HINT(BACK, "back"), HINT(HELP, "help"), HINTS_END,
};

const struct view_ops view_sets_ops = {
    .name = "sets",
    .hints = sets_hints,
    .open = sets_open,
    .close = sets_close,
    .layout = sets_layout,
    .draw = sets_draw,
    .key = sets_key,
    .title = sets_title,
    .list = sets_list,
};
