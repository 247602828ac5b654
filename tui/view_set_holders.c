/* view_set_holders.c: who holds a set's objects from outside the set (^, on
 * a set screen or any list of objects), as `heapwalk sql --holders` counts
 * them (objset_holders).  Two groupings, ^ switching between them as H does
 * on compare mode's holders screen:
 *  - by holder object (first): each object outside the set that refers to
 *    members, with how many and their bytes; Enter opens the holder;
 *  - by holder type: how many holders of each type, the members they hold
 *    and those members' bytes; Enter opens a set screen of those holders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/escape.h"
#include "../src/objset.h"
#include "../src/refs.h"
#include "draw.h"
#include "view.h"

enum { COL_HOLDERS, COL_MEMBERS, COL_BYTES, COL_ADDRESS, COL_KIND, NCOLS };

static const struct column columns[NCOLS] = {
    [COL_HOLDERS] = {"Holders", 8, 0, 6, 0}, /* by type only */
    [COL_MEMBERS] = {"Members", 8, 1, 8, 0},
    [COL_BYTES] = {"Bytes", 10, 1, 9, 0},
    [COL_ADDRESS] = {"Address", 15, 1, 7, 0}, /* by holder only */
    [COL_KIND] = {"", 0, 2, 10, 1},
};
#define KIND_MIN_WIDTH 12

struct set_holders_state {
    char *what;              /* what the set is */
    size_t n;                /* its objects */
    struct objset_holders hs;
    int by_type;
    struct list list;
    struct column fit[NCOLS]; /* columns, widened to the rows on the screen (layout) */
    unsigned char cols[NCOLS];
    obj_t *pick;             /* Enter on a type: its holders, until the next key */
    struct set_source src;
    struct strbuf pick_what;
};

static size_t row_count(const struct set_holders_state *st)
{
    return st->by_type ? st->hs.n_types : st->hs.n_objects;
}

static void set_holders_open(struct view *v, const struct view_ctx *ctx)
{
    const struct set_source *src = v->spec.set;
    struct set_holders_state *st = xcalloc(1, sizeof *st, "the holders of a set");
    st->what = xstrdup(src->what, "the holders of a set");
    st->n = src->n;
    objset_holders(ctx->heap, src->objs, src->n, &st->hs);
    sb_init(&st->pick_what);
    list_reset(&st->list, row_count(st));
    v->priv = st;
}

static void set_holders_close(struct view *v)
{
    struct set_holders_state *st = v->priv;
    objset_holders_free(&st->hs);
    free(st->what);
    free(st->pick);
    sb_free(&st->pick_what);
    free(st);
    v->priv = NULL;
}

/* Row i's cells: the numbers in num, the holder (width columns of it) or
 * its type in kind; cells points at them. */
static void holder_cells(const struct set_holders_state *st, const struct view_ctx *ctx, size_t i, int width,
                         char num[][VIEW_BYTES_MAX], const char **cells, struct strbuf *kind)
{
    const struct heap *h = ctx->heap;
    sb_reset(kind);
    if (st->by_type) {
        const struct objset_holder_type *r = &st->hs.by_type[i];
        snprintf(num[COL_HOLDERS], VIEW_BYTES_MAX, "%llu", (unsigned long long)r->holders);
        snprintf(num[COL_MEMBERS], VIEW_BYTES_MAX, "%llu", (unsigned long long)r->members);
        view_bytes(ctx, r->bytes, num[COL_BYTES]);
        hw_sb_escaped_str(kind, types_name(&h->types, r->type));
    } else {
        const struct objset_holder *r = &st->hs.by_object[i];
        snprintf(num[COL_MEMBERS], VIEW_BYTES_MAX, "%llu", (unsigned long long)r->members);
        view_bytes(ctx, r->bytes, num[COL_BYTES]);
        snprintf(num[COL_ADDRESS], VIEW_BYTES_MAX, "%llu", (unsigned long long)h->addr[r->holder]);
        refs_repr(h, r->holder, (size_t)width * 4, kind);
    }
    for (int c = 0; c < COL_KIND; c++)
        cells[c] = num[c];
    cells[COL_KIND] = sb_cstr(kind);
}

static void set_holders_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct set_holders_state *st = v->priv;
    list_layout(&st->list, area->height - 1);
    for (int c = 0; c < NCOLS; c++)
        st->cols[c] = st->by_type ? c != COL_ADDRESS : c != COL_HOLDERS;
    memcpy(st->fit, columns, sizeof st->fit);
    struct strbuf kind;
    sb_init(&kind);
    for (size_t i = st->list.top; i < st->list.n && i < st->list.top + (size_t)st->list.height; i++) {
        char num[COL_KIND][VIEW_BYTES_MAX] = {{0}};
        const char *cells[NCOLS];
        holder_cells(st, ctx, i, area->width, num, cells, &kind);
        columns_grow(st->fit, COL_KIND, cells);
    }
    sb_free(&kind);
    columns_fit_sorted(st->fit, NCOLS, area->width, KIND_MIN_WIDTH, st->cols, COL_MEMBERS);
}

static void draw_holder(const struct set_holders_state *st, const struct view_ctx *ctx, size_t i, int y, int width,
                        struct strbuf *kind)
{
    char num[COL_KIND][VIEW_BYTES_MAX] = {{0}};
    const char *cells[NCOLS];
    holder_cells(st, ctx, i, width, num, cells, kind);
    draw_cells(y, width, st->fit, NCOLS, st->cols, cells, i == st->list.cursor ? ROLE_CURSOR : ROLE_NORMAL, -1,
               ROLE_NORMAL);
}

static void set_holders_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct set_holders_state *st = v->priv;
    struct column cols[NCOLS];
    memcpy(cols, st->fit, sizeof cols);
    cols[COL_KIND].title = st->by_type ? "Holder type" : "Holder";
    draw_header(area->y, area->width, cols, NCOLS, st->cols, COL_MEMBERS, 1);
    if (st->list.n == 0) {
        draw_row(area->y + 1, area->width, "Nothing outside the set refers to its objects.", ROLE_NOTE);
        return;
    }
    struct strbuf kind;
    sb_init(&kind);
    int y = area->y + 1;
    for (size_t i = st->list.top; i < st->list.n && y < area->y + area->height; i++, y++)
        draw_holder(st, ctx, i, y, area->width, &kind);
    sb_free(&kind);
}

/* Enter on a holder type: a set screen of the holders of that type. */
static unsigned open_holder_type(struct set_holders_state *st, const struct view_ctx *ctx, struct view_result *res)
{
    uint32_t type = st->hs.by_type[st->list.cursor].type;
    free(st->pick);
    st->pick = xmalloc((st->hs.n_objects ? st->hs.n_objects : 1) * sizeof *st->pick, "the holders of a set");
    size_t n = 0;
    for (size_t k = 0; k < st->hs.n_objects; k++)
        if (ctx->heap->type[st->hs.by_object[k].holder] == type)
            st->pick[n++] = st->hs.by_object[k].holder;
    sb_reset(&st->pick_what);
    sb_printf(&st->pick_what, "%s holders of %s", types_name(&ctx->heap->types, type), st->what);
    st->src = (struct set_source){sb_cstr(&st->pick_what), NULL, st->pick, n, 0};
    res->open = (struct view_spec){VIEW_SET, 0, OBJ_NONE, &st->src};
    return VIEW_OPEN;
}

static unsigned set_holders_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct set_holders_state *st = v->priv;
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    if (a == ACT_SET_HOLDERS) { /* ^ again: the other grouping */
        st->by_type = !st->by_type;
        list_reset(&st->list, row_count(st));
        return view_say(res, 0, st->by_type ? "by holder type (^: by holder object)" : "by holder object (^: by type)");
    }
    if (a != ACT_OPEN)
        return view_key_default(a, res);
    if (st->list.n == 0)
        return view_say(res, 1, "no holders to open");
    if (st->by_type)
        return open_holder_type(st, ctx, res);
    res->open = (struct view_spec){VIEW_OBJECT, 0, st->hs.by_object[st->list.cursor].holder, NULL};
    return VIEW_OPEN;
}

static void set_holders_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct set_holders_state *st = v->priv;
    sb_adds(out, "Holders of ");
    hw_sb_escaped(out, st->what, strlen(st->what));
    sb_printf(out, " (%zu objects) by %s: %zu holders of %zu types, %llu held only from inside, %llu with no parent",
              st->n, st->by_type ? "type" : "holder", st->hs.n_objects, st->hs.n_types,
              (unsigned long long)st->hs.held_inside, (unsigned long long)st->hs.no_parent);
}

static struct list *set_holders_list(const struct view *v)
{
    struct set_holders_state *st = v->priv;
    return &st->list;
}

/* A by-holder row's holder: what the why-alive pane follows. */
static obj_t set_holders_row(const struct view *v, const struct view_ctx *ctx, size_t i)
{
    const struct set_holders_state *st = v->priv;
    return st->by_type ? OBJ_NONE : st->hs.by_object[i].holder;
}

static const struct action_hint set_holders_hints[] = {
    HINT(OPEN, "open"), HINT(SET_HOLDERS, "group"), HINT(HELP, "help"), HINTS_END,
};

const struct view_ops view_set_holders_ops = {
    .name = "set holders",
    .hints = set_holders_hints,
    .open = set_holders_open,
    .close = set_holders_close,
    .layout = set_holders_layout,
    .draw = set_holders_draw,
    .key = set_holders_key,
    .title = set_holders_title,
    .list = set_holders_list,
    .row = set_holders_row,
    .why_pane = 1,
    .search = view_search_rows,
};
