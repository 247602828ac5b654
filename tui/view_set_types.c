/* view_set_types.c: a set's objects by type (%, on a set screen or any list
 * of objects): count and bytes per type, largest first, as
 * `heapwalk sql --by-type` prints them (objset_histogram).  Enter opens a set
 * screen of the objects of the selected type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/escape.h"
#include "../src/objset.h"
#include "draw.h"
#include "view.h"

enum { COL_COUNT, COL_BYTES, COL_SHARE, COL_TYPE, NCOLS };

static const struct column columns[NCOLS] = {
    [COL_COUNT] = {"Count", 10, 0, 8, 0},
    [COL_BYTES] = {"Bytes", 14, 1, 9, 0},
    [COL_SHARE] = {"%Bytes", 7, 1, 5, 0},
    [COL_TYPE] = {"Type", 0, 2, 10, COLUMN_NAME},
};

struct set_types_state {
    char *what;              /* what the set is */
    obj_t *objs;
    size_t n;
    uint64_t bytes;
    struct objset_type *rows;
    size_t nrows;
    struct list list;
    struct column fit[NCOLS]; /* columns, widened to the rows on the screen (layout) */
    unsigned char cols[NCOLS];
    obj_t *pick;             /* Enter: the objects of one type, until the next key */
    struct set_source src;   /* ... and what opens them */
    struct strbuf pick_what;
};

static void set_types_open(struct view *v, const struct view_ctx *ctx)
{
    const struct set_source *src = v->spec.set;
    struct set_types_state *st = xcalloc(1, sizeof *st, "the types of a set");
    st->what = xstrdup(src->what, "the types of a set");
    st->objs = xmalloc((src->n ? src->n : 1) * sizeof *st->objs, "the types of a set");
    memcpy(st->objs, src->objs, src->n * sizeof *st->objs);
    st->n = src->n;
    st->rows = objset_histogram(ctx->heap, st->objs, st->n, &st->nrows);
    for (size_t k = 0; k < st->nrows; k++)
        st->bytes += st->rows[k].bytes;
    sb_init(&st->pick_what);
    list_reset(&st->list, st->nrows);
    v->priv = st;
}

static void set_types_close(struct view *v)
{
    struct set_types_state *st = v->priv;
    free(st->what);
    free(st->objs);
    free(st->rows);
    free(st->pick);
    sb_free(&st->pick_what);
    free(st);
    v->priv = NULL;
}

/* Row i's cells: the numbers in num, cells pointing at them and the type's name. */
static void type_cells(const struct set_types_state *st, const struct view_ctx *ctx, size_t i,
                       char num[][VIEW_BYTES_MAX], const char **cells)
{
    const struct objset_type *r = &st->rows[i];
    snprintf(num[COL_COUNT], VIEW_BYTES_MAX, "%llu", (unsigned long long)r->count);
    view_bytes(ctx, r->bytes, num[COL_BYTES]);
    snprintf(num[COL_SHARE], VIEW_BYTES_MAX, "%.1f", st->bytes ? 100.0 * (double)r->bytes / (double)st->bytes : 0.0);
    for (int c = 0; c < COL_TYPE; c++)
        cells[c] = num[c];
    cells[COL_TYPE] = types_name(&ctx->heap->types, r->type);
}

static void set_types_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct set_types_state *st = v->priv;
    list_layout(&st->list, area->height - 1);
    memcpy(st->fit, columns, sizeof st->fit);
    for (size_t i = st->list.top; i < st->nrows && i < st->list.top + (size_t)st->list.height; i++) {
        char num[COL_TYPE][VIEW_BYTES_MAX];
        const char *cells[NCOLS];
        type_cells(st, ctx, i, num, cells);
        columns_grow(st->fit, COL_TYPE, cells);
    }
    columns_fit(st->fit, NCOLS, area->width, 12, st->cols);
}

static void set_types_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct set_types_state *st = v->priv;
    draw_header(area->y, area->width, st->fit, NCOLS, st->cols, COL_BYTES, 1);
    if (st->nrows == 0) {
        draw_row(area->y + 1, area->width, "The set is empty.", ROLE_NOTE);
        return;
    }
    int y = area->y + 1;
    for (size_t i = st->list.top; i < st->nrows && y < area->y + area->height; i++, y++) {
        char num[COL_TYPE][VIEW_BYTES_MAX];
        const char *cells[NCOLS];
        type_cells(st, ctx, i, num, cells);
        draw_cells(y, area->width, st->fit, NCOLS, st->cols, cells, i == st->list.cursor ? ROLE_CURSOR : ROLE_NORMAL,
                   -1, ROLE_NORMAL);
    }
}

/* Enter: a set screen of the objects of the selected type, in the set's order. */
static unsigned open_type(struct set_types_state *st, const struct view_ctx *ctx, struct view_result *res)
{
    if (st->nrows == 0)
        return view_say(res, 1, "the set is empty");
    const struct objset_type *r = &st->rows[st->list.cursor];
    free(st->pick);
    st->pick = xmalloc(r->count * sizeof *st->pick, "the types of a set");
    size_t n = 0;
    for (size_t k = 0; k < st->n; k++)
        if (ctx->heap->type[st->objs[k]] == r->type)
            st->pick[n++] = st->objs[k];
    sb_reset(&st->pick_what);
    sb_printf(&st->pick_what, "%s, of type %s", st->what, types_name(&ctx->heap->types, r->type));
    st->src = (struct set_source){sb_cstr(&st->pick_what), NULL, st->pick, n, 0};
    res->open = (struct view_spec){VIEW_SET, 0, OBJ_NONE, &st->src};
    return VIEW_OPEN;
}

static unsigned set_types_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct set_types_state *st = v->priv;
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    if (a == ACT_OPEN)
        return open_type(st, ctx, res);
    return view_key_default(a, res);
}

static void set_types_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct set_types_state *st = v->priv;
    sb_printf(out, "Types of %zu objects, ", st->n);
    view_add_bytes(ctx, st->bytes, out);
    sb_printf(out, ", %zu types: ", st->nrows);
    hw_sb_escaped(out, st->what, strlen(st->what));
}

static struct list *set_types_list(const struct view *v)
{
    struct set_types_state *st = v->priv;
    return &st->list;
}

static const struct action_hint set_types_hints[] = {
    HINT(OPEN, "objects of the type"), HINT(BACK, "back"), HINT(HELP, "help"), HINTS_END,
};

const struct view_ops view_set_types_ops = {
    .name = "set types",
    .hints = set_types_hints,
    .open = set_types_open,
    .close = set_types_close,
    .layout = set_types_layout,
    .draw = set_types_draw,
    .key = set_types_key,
    .title = set_types_title,
    .list = set_types_list,
};
