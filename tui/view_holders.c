/* view_holders.c: compare mode: the holders of new objects, the second table
 * of `heapwalk diff`, row for row: the new objects of one type held by
 * objects of one type (the nearest object up their shortest path from a root
 * that is not itself new), with the count, their bytes and how many distinct
 * holders.  Enter opens the row's example holder.  The rows come from the
 * background analysis' first run (compare.h); until then the screen says so. */
#include <stdio.h>
#include <stdlib.h>

#include "compare.h"
#include "draw.h"
#include "view.h"

enum { COL_NEW, COL_BYTES, COL_HOLDERS, COL_KIND, NCOLS };

/* The widths of `heapwalk diff`'s "%8llu %10llu %8llu %s <- %s%s". */
static const struct column columns[NCOLS] = {
    [COL_NEW] = {"New", 8, 0, 9, 0},
    [COL_BYTES] = {"Bytes", 10, 1, 8, 0},
    [COL_HOLDERS] = {"Holders", 8, 1, 7, 0},
    [COL_KIND] = {"Kind <- held by", 0, 1, 10, 1},
};
#define KIND_MIN_WIDTH 20

struct holders_state {
    const struct compare *compare; /* the context's, for row() */
    struct list list;
    unsigned char cols[NCOLS];
};

/* The rows, or none until the holders are found. */
static size_t holder_rows(const struct compare *c)
{
    return compare_holders_ready(c) ? c->diff.n_holders : 0;
}

static void holders_open(struct view *v, const struct view_ctx *ctx)
{
    struct holders_state *st = xcalloc(1, sizeof *st, "the holders screen");
    st->compare = ctx->compare;
    list_reset(&st->list, holder_rows(st->compare));
    v->priv = st;
}

static void holders_close(struct view *v)
{
    free(v->priv);
    v->priv = NULL;
}

/* The holders may have come. */
static void holders_analysis_changed(struct view *v, const struct view_ctx *ctx, int restarted)
{
    struct holders_state *st = v->priv;
    list_set_count(&st->list, holder_rows(st->compare));
}

static void holders_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct holders_state *st = v->priv;
    columns_fit(columns, NCOLS, area->width, KIND_MIN_WIDTH, st->cols);
    list_layout(&st->list, area->height - 1);
}

static void draw_holder(const struct holders_state *st, const struct heap *h, size_t i, int y, int width,
                        struct strbuf *kind)
{
    const struct diff_holder *r = &st->compare->diff.holders[i];
    char num[COL_KIND][24];
    const char *cells[NCOLS];
    snprintf(num[COL_NEW], sizeof num[0], "%llu", (unsigned long long)r->objects);
    snprintf(num[COL_BYTES], sizeof num[0], "%llu", (unsigned long long)r->bytes);
    snprintf(num[COL_HOLDERS], sizeof num[0], "%llu", (unsigned long long)r->holders);
    for (int c = 0; c < COL_KIND; c++)
        cells[c] = num[c];
    sb_reset(kind);
    sb_printf(kind, "%s <- %s", types_name(&h->types, r->type),
              r->holder_type == UINT32_MAX ? "(a root)" : types_name(&h->types, r->holder_type));
    if (r->example != OBJ_NONE)
        sb_printf(kind, " (e.g. 0x%llx)", (unsigned long long)h->addr[r->example]);
    cells[COL_KIND] = sb_cstr(kind);
    draw_cells(y, width, columns, NCOLS, st->cols, cells, i == st->list.cursor ? ROLE_CURSOR : ROLE_NORMAL, -1,
               ROLE_NORMAL);
}

static void holders_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct holders_state *st = v->priv;
    if (!compare_holders_ready(st->compare)) {
        draw_row(area->y, area->width,
                 "Finding the holders of new objects (their paths from the roots); this screen fills in then.",
                 ROLE_NOTE);
        return;
    }
    draw_header(area->y, area->width, columns, NCOLS, st->cols, COL_BYTES, 1);
    if (st->list.n == 0) {
        draw_row(area->y + 1, area->width, "No new objects: every object is in the old dump too.", ROLE_NOTE);
        return;
    }
    struct strbuf kind;
    sb_init(&kind);
    int y = area->y + 1;
    for (size_t i = st->list.top; i < st->list.n && y < area->y + area->height; i++, y++)
        draw_holder(st, ctx->heap, i, y, area->width, &kind);
    sb_free(&kind);
}

static unsigned holders_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct holders_state *st = v->priv;
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    if (a != ACT_OPEN)
        return view_key_default(a, res);
    if (st->list.n == 0)
        return view_say(res, 1, compare_holders_ready(st->compare) ? "no holders to open"
                                                                   : "the holders are still being found");
    const struct diff_holder *r = &st->compare->diff.holders[st->list.cursor];
    if (r->example == OBJ_NONE)
        return view_say(res, 1, "roots hold these directly: no one holder to open");
    res->open = (struct view_spec){VIEW_OBJECT, 0, r->example};
    return VIEW_OPEN;
}

static void holders_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct holders_state *st = v->priv;
    const struct diff *d = &st->compare->diff;
    sb_printf(out, "Holders of new objects: %llu new objects, %llu bytes", (unsigned long long)d->n_new,
              (unsigned long long)d->new_bytes);
}

static struct list *holders_list(const struct view *v)
{
    struct holders_state *st = v->priv;
    return &st->list;
}

/* A row's example holder: what Enter opens and the why-alive pane follows. */
static obj_t holders_row(const struct view *v, const struct view_ctx *ctx, size_t i)
{
    const struct holders_state *st = v->priv;
    return st->compare->diff.holders[i].example;
}

static const struct action_hint holders_hints[] = {
    HINT(OPEN, "open the holder"), HINT(HELP, "help"), HINT(QUIT, "quit"), HINTS_END,
};

const struct view_ops view_holders_ops = {
    .name = "holders",
    .hints = holders_hints,
    .open = holders_open,
    .close = holders_close,
    .analysis_changed = holders_analysis_changed,
    .layout = holders_layout,
    .draw = holders_draw,
    .key = holders_key,
    .title = holders_title,
    .list = holders_list,
    .row = holders_row,
    .why_pane = 1,
};
