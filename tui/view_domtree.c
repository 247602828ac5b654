/* view_domtree.c: the dominator tree (dominators.h) as an indented list: the
 * children of the virtual root (the whole heap), or one object and its
 * children, largest retained size first.  Each row shows the object's
 * retained size (in compare mode, and how much more than the same object
 * retained in the old dump), its share of the heap and its repr.  Right expands a row,
 * Left collapses it or goes up to its parent row, Enter opens the object and
 * D opens the selected row's subtree as a screen of its own.
 *
 * A row's children are fetched only when it is expanded, so a tree of
 * millions of objects costs what is shown.  The rows are one flat array in
 * display order, each with its depth: a row's children follow it, and its
 * subtree ends at the first row that is not deeper. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/refs.h"
#include "compare.h"
#include "draw.h"
#include "view.h"

enum { COL_NEW, COL_RETAINED, COL_DRETAINED, COL_PCT, COL_OBJECT, NCOLS };

static const struct column columns[NCOLS] = {
    [COL_NEW] = {"+", 2, 0, 1, 1}, /* compare mode only */
    [COL_RETAINED] = {"Retained", 10, 0, 4, 0},
    [COL_DRETAINED] = {"+/-Retained", 12, 1, 3, 0}, /* compare mode only: since the old dump */
    [COL_PCT] = {"%", 4, 0, 2, 0},
    [COL_OBJECT] = {"Object", 0, 2, 10, 1},
};
#define OBJECT_MIN_WIDTH 24
/* Indentation stops growing when less than this is left for the repr. */
#define REPR_MIN_WIDTH 24

struct tree_row {
    obj_t obj;
    uint32_t depth;          /* 0 for the top rows */
    uint32_t expanded;       /* its children are the rows after it */
};

struct domtree_state {
    obj_t top;               /* the subtree's top object; OBJ_NONE for the whole tree */
    struct tree_row *rows;
    size_t n, cap;
    int filled;              /* the top rows are in (the dominators were ready) */
    int repr_width;          /* from layout: the Object column's width */
    struct list list;
    unsigned char cols[NCOLS];
};

/* Make room for k rows after row `at` (at == n: at the end). */
static void open_gap(struct domtree_state *st, size_t at, size_t k)
{
    if (k == 0)
        return;
    if (st->n + k > st->cap) {
        while (st->n + k > st->cap)
            st->cap = st->cap ? st->cap * 2 : 64;
        st->rows = xreallocarray(st->rows, st->cap, sizeof *st->rows, "the dominator tree screen");
    }
    memmove(st->rows + at + k, st->rows + at, (st->n - at) * sizeof *st->rows);
    st->n += k;
}

/* List the children of o (OBJ_NONE: the virtual root) after row `at` at
 * depth `depth`; returns how many. */
static size_t insert_children(struct domtree_state *st, const struct view_ctx *ctx, obj_t o, size_t at,
                              uint32_t depth)
{
    size_t k;
    obj_t *kids = dominators_children(ctx->heap, &ctx->analysis->dom, o, &k);
    open_gap(st, at, k);
    for (size_t i = 0; i < k; i++)
        st->rows[at + i] = (struct tree_row){kids[i], depth, 0};
    free(kids);
    return k;
}

/* The first rows, once the dominators are there. */
static void fill(struct domtree_state *st, const struct view_ctx *ctx)
{
    if (st->filled || !analysis_ready(ctx->analysis, ANALYSIS_DOMINATORS))
        return;
    st->filled = 1;
    st->n = 0;
    if (st->top == OBJ_NONE) {
        insert_children(st, ctx, OBJ_NONE, 0, 0);
    } else {
        open_gap(st, 0, 1);
        st->rows[0] = (struct tree_row){st->top, 0, 1};
        insert_children(st, ctx, st->top, 1, 1);
    }
    list_reset(&st->list, st->n);
}

static void domtree_open(struct view *v, const struct view_ctx *ctx)
{
    struct domtree_state *st = xcalloc(1, sizeof *st, "the dominator tree screen");
    st->top = v->spec.obj;
    v->priv = st;
    fill(st, ctx);
}

static void domtree_close(struct view *v)
{
    struct domtree_state *st = v->priv;
    free(st->rows);
    free(st);
    v->priv = NULL;
}

/* A restarted analysis (new pinned roots) has another tree: none while it
 * computes it, then the new tree's first rows. */
static void domtree_analysis_changed(struct view *v, const struct view_ctx *ctx, int restarted)
{
    struct domtree_state *st = v->priv;
    if (restarted) {
        st->filled = 0;
        st->n = 0;
        list_reset(&st->list, 0);
    }
    fill(st, ctx);
}

static void domtree_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct domtree_state *st = v->priv;
    for (int c = 0; c < NCOLS; c++)
        st->cols[c] = (c != COL_NEW && c != COL_DRETAINED) || ctx->compare;
    columns_fit_some(columns, NCOLS, area->width, OBJECT_MIN_WIDTH, st->cols);
    int used = 0;
    for (int c = 0; c < COL_OBJECT; c++)
        if (st->cols[c])
            used += columns[c].width + (used ? columns[c].gap : 0);
    st->repr_width = area->width - used - columns[COL_OBJECT].gap;
    list_layout(&st->list, area->height - 1);
}

/* Does o dominate anything?  Its retained size says so, unless everything it
 * dominates has size 0 (then Right still finds out). */
static int may_expand(const struct view_ctx *ctx, obj_t o)
{
    return ctx->analysis->dom.retained[o] > heap_size(ctx->heap, o);
}

static void draw_tree_row(const struct domtree_state *st, const struct view_ctx *ctx, size_t i, int y,
                          int width, struct strbuf *sb)
{
    const struct tree_row *r = &st->rows[i];
    const struct dominators *d = &ctx->analysis->dom;
    char num[COL_OBJECT][VIEW_BYTES_MAX];
    const char *cells[NCOLS];
    snprintf(num[COL_NEW], sizeof num[0], "%s", compare_is_new(ctx->compare, r->obj) ? draw_glyph(GLYPH_NEW) : "");
    view_bytes(ctx, d->retained[r->obj], num[COL_RETAINED]);
    snprintf(num[COL_PCT], sizeof num[0], "%lld", summary_percent(d->retained[r->obj], d->total));
    num[COL_DRETAINED][0] = '\0';
    if (ctx->compare && compare_old_retained_ready(ctx->compare))
        view_bytes_delta(ctx, compare_object_retained_delta(ctx->compare, d->retained, r->obj), num[COL_DRETAINED]);
    else if (ctx->compare)
        snprintf(num[COL_DRETAINED], sizeof num[0], "...");
    for (int c = 0; c < COL_OBJECT; c++)
        cells[c] = num[c];
    size_t indent = 2 * (size_t)r->depth;
    size_t max_indent = st->repr_width > REPR_MIN_WIDTH ? (size_t)(st->repr_width - REPR_MIN_WIDTH) : 0;
    if (indent > max_indent)
        indent = max_indent;
    sb_reset(sb);
    sb_printf(sb, "%*s", (int)indent, "");
    if (r->expanded)
        sb_adds(sb, draw_glyph(GLYPH_EXPANDED));
    else if (may_expand(ctx, r->obj))
        sb_adds(sb, draw_glyph(GLYPH_COLLAPSED));
    else
        sb_adds(sb, " ");
    sb_adds(sb, " ");
    refs_repr(ctx->heap, r->obj, (size_t)width * 4, sb);
    cells[COL_OBJECT] = sb_cstr(sb);
    draw_cells(y, width, columns, NCOLS, st->cols, cells, i == st->list.cursor ? ROLE_CURSOR : ROLE_NORMAL, -1,
               ROLE_NORMAL);
}

static void domtree_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct domtree_state *st = v->priv;
    if (!st->filled) {
        draw_row(area->y, area->width, "The dominator tree is being computed; this screen fills in when it is ready.",
                 ROLE_NOTE);
        return;
    }
    draw_header(area->y, area->width, columns, NCOLS, st->cols, COL_RETAINED, 1); /* siblings by retained size */
    if (st->n == 0) {
        draw_row(area->y + 1, area->width, "(no objects)", ROLE_NOTE);
        return;
    }
    struct strbuf sb;
    sb_init(&sb);
    int y = area->y + 1;
    for (size_t i = st->list.top; i < st->n && y < area->y + area->height; i++, y++)
        draw_tree_row(st, ctx, i, y, area->width, &sb);
    sb_free(&sb);
}

/* The row after row i's subtree. */
static size_t subtree_end(const struct domtree_state *st, size_t i)
{
    size_t j = i + 1;
    while (j < st->n && st->rows[j].depth > st->rows[i].depth)
        j++;
    return j;
}

static unsigned expand(struct domtree_state *st, const struct view_ctx *ctx, struct view_result *res)
{
    size_t i = st->list.cursor;
    struct tree_row *r = &st->rows[i];
    if (r->expanded) { /* already open: down to its first child */
        if (i + 1 < st->n && st->rows[i + 1].depth > r->depth)
            list_select(&st->list, i + 1);
        return VIEW_HANDLED;
    }
    if (insert_children(st, ctx, r->obj, i + 1, r->depth + 1) == 0)
        return view_say(res, 0, "it dominates nothing: freeing it would free only itself (Enter opens it)");
    st->rows[i].expanded = 1; /* insert_children moved the rows */
    list_set_count(&st->list, st->n);
    return VIEW_HANDLED;
}

/* Collapse the selected row, or go up to its parent row.  A collapsed top
 * row has nowhere to go: Left stays on the screen (a tree's Left never
 * leaves it; Backspace does). */
static unsigned collapse(struct domtree_state *st, struct view_result *res)
{
    size_t i = st->list.cursor;
    struct tree_row *r = &st->rows[i];
    if (r->expanded) {
        size_t end = subtree_end(st, i);
        memmove(st->rows + i + 1, st->rows + end, (st->n - end) * sizeof *st->rows);
        st->n -= end - (i + 1);
        r->expanded = 0;
        list_set_count(&st->list, st->n);
        return VIEW_HANDLED;
    }
    if (r->depth == 0)
        return view_say(res, 0, "a top row: nothing to fold (Backspace goes back)");
    while (st->rows[i].depth >= r->depth)
        i--;
    list_select(&st->list, i);
    return VIEW_HANDLED;
}

static unsigned domtree_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct domtree_state *st = v->priv;
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    if (st->n == 0) {
        if (a == ACT_RIGHT || a == ACT_LEFT || a == ACT_OPEN || a == ACT_DOMTREE)
            return view_say(res, 0, st->filled ? "no objects here" : "the dominator tree is still being computed");
    }
    obj_t o = st->n ? st->rows[st->list.cursor].obj : OBJ_NONE;
    switch (a) {
    case ACT_RIGHT: return expand(st, ctx, res);
    case ACT_LEFT: return collapse(st, res);
    case ACT_OPEN:
        res->open = (struct view_spec){VIEW_OBJECT, 0, o, NULL};
        return VIEW_OPEN;
    case ACT_DOMTREE:
        if (o == st->top)
            return view_say(res, 0, "this screen is that object's subtree");
        res->open = (struct view_spec){VIEW_DOMTREE, 0, o, NULL};
        return VIEW_OPEN;
    default: return view_key_default(a, res);
    }
}

static void domtree_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct domtree_state *st = v->priv;
    const struct heap *h = ctx->heap;
    if (st->top == OBJ_NONE)
        sb_adds(out, "Dominator tree of the heap");
    else
        sb_printf(out, "Dominator tree under %s at 0x%llx", heap_type_name(h, st->top),
                  (unsigned long long)h->addr[st->top]);
    if (!st->filled)
        return;
    const struct dominators *d = &ctx->analysis->dom;
    uint64_t bytes = st->top == OBJ_NONE ? d->total : d->retained[st->top];
    sb_adds(out, ": ");
    view_add_bytes(ctx, bytes, out);
}

static struct list *domtree_list(const struct view *v)
{
    struct domtree_state *st = v->priv;
    return &st->list;
}

static obj_t domtree_row(const struct view *v, const struct view_ctx *ctx, size_t i)
{
    const struct domtree_state *st = v->priv;
    return st->rows[i].obj;
}

static const struct action_hint domtree_hints[] = {
    HINT(RIGHT, "expand"), HINT(LEFT, "fold"), HINT(OPEN, "open"), HINTS_END,
};

const struct view_ops view_domtree_ops = {
    .name = "dominators",
    .hints = domtree_hints,
    .open = domtree_open,
    .close = domtree_close,
    .analysis_changed = domtree_analysis_changed,
    .layout = domtree_layout,
    .draw = domtree_draw,
    .key = domtree_key,
    .title = domtree_title,
    .list = domtree_list,
    .row = domtree_row,
    .why_pane = 1,
    /* Searches the rows listed, not the whole tree: the rest is not fetched. */
    .search = view_search_rows,
};
