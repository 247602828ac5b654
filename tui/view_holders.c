/* view_holders.c: compare mode: who holds the new objects.
 *
 * Two groupings of the same objects, H switching between them:
 *  - by holder object (first): each holder (the nearest object up a new
 *    object's shortest path from a root that is not itself new) with the new
 *    objects and bytes it holds in all, its address and its name ("deque
 *    .history of LimitedHistoryLogObserver"), then a row per type it holds;
 *    `heapwalk diff --by-holder` prints the same;
 *  - by type, the second table of `heapwalk diff`, row for row: the new
 *    objects of one type held by objects of one type, with the count, their
 *    bytes, how many distinct holders and an example holder's address.
 * Enter opens the holder (a type row's example holder).  Addresses have a
 * column of their own, never cut.  The rows come from the background
 * analysis' first run (compare.h); until then the screen says so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "draw.h"
#include "view.h"

enum { COL_NEW, COL_BYTES, COL_HOLDERS, COL_ADDRESS, COL_KIND, NCOLS };

/* The widths of `heapwalk diff`'s "%8llu %10llu %8llu %s <- %s". */
static const struct column columns[NCOLS] = {
    [COL_NEW] = {"New", 8, 0, 7, 0},
    [COL_BYTES] = {"Bytes", 10, 1, 9, 0},
    [COL_HOLDERS] = {"Holders", 8, 1, 6, 0}, /* by type only */
    [COL_ADDRESS] = {"Address", 14, 1, 8, 1}, /* never cut: shown whole or not at all;
                                                 by type: an example holder */
    [COL_KIND] = {"", 0, 1, 10, 1}, /* the title depends on the grouping */
};
#define KIND_MIN_WIDTH 12
#define ADDRESS_WIDTH 14     /* 0x and 12 hex digits: a 48-bit address */

/* A row of the by-holder grouping: a holder's total, or one of its types. */
struct held_row {
    size_t held;             /* its entry of diff.held */
    int total;               /* the holder's row (else a type under it) */
};

struct holders_state {
    const struct compare *compare; /* the context's, for row() */
    int by_type;             /* `heapwalk diff`'s rows instead of holder objects */
    struct held_row *rows;   /* the by-holder rows, once the holders are found */
    size_t nrows;
    struct list list;
    unsigned char cols[NCOLS];
};

/* The by-holder rows: each holder's total, then its types. */
static void build_rows(struct holders_state *st)
{
    const struct diff *d = &st->compare->diff;
    free(st->rows);
    st->rows = NULL;
    st->nrows = 0;
    if (!compare_holders_ready(st->compare))
        return;
    st->rows = xmalloc((2 * d->n_held + 1) * sizeof *st->rows, "the holders screen");
    for (size_t k = 0; k < d->n_held; k++) {
        if (k == 0 || d->held[k].holder != d->held[k - 1].holder)
            st->rows[st->nrows++] = (struct held_row){k, 1};
        st->rows[st->nrows++] = (struct held_row){k, 0};
    }
}

/* The rows of the grouping shown, or none until the holders are found. */
static size_t row_count(const struct holders_state *st)
{
    if (!compare_holders_ready(st->compare))
        return 0;
    return st->by_type ? st->compare->diff.n_holders : st->nrows;
}

static void holders_open(struct view *v, const struct view_ctx *ctx)
{
    struct holders_state *st = xcalloc(1, sizeof *st, "the holders screen");
    st->compare = ctx->compare;
    build_rows(st);
    list_reset(&st->list, row_count(st));
    v->priv = st;
}

static void holders_close(struct view *v)
{
    struct holders_state *st = v->priv;
    free(st->rows);
    free(st);
    v->priv = NULL;
}

/* The holders may have come. */
static void holders_analysis_changed(struct view *v, const struct view_ctx *ctx, int restarted)
{
    struct holders_state *st = v->priv;
    if (!st->rows)
        build_rows(st);
    list_set_count(&st->list, row_count(st));
}

static void holders_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct holders_state *st = v->priv;
    for (int c = 0; c < NCOLS; c++)
        st->cols[c] = st->by_type || c != COL_HOLDERS;
    columns_fit_sorted(columns, NCOLS, area->width, KIND_MIN_WIDTH, st->cols, COL_BYTES);
    list_layout(&st->list, area->height - 1);
}

/* The object a row stands for: its holder (a type row's example one). */
static obj_t row_holder(const struct holders_state *st, size_t i)
{
    const struct diff *d = &st->compare->diff;
    return st->by_type ? d->holders[i].example : d->held[st->rows[i].held].holder;
}

/* A by-type row: `heapwalk diff`'s, the example holder in its own column. */
static void type_row_cells(const struct holders_state *st, const struct heap *h, size_t i,
                           char num[][VIEW_BYTES_MAX], const struct view_ctx *ctx, struct strbuf *kind)
{
    const struct diff_holder *r = &st->compare->diff.holders[i];
    snprintf(num[COL_NEW], VIEW_BYTES_MAX, "%llu", (unsigned long long)r->objects);
    view_bytes(ctx, r->bytes, num[COL_BYTES]);
    snprintf(num[COL_HOLDERS], VIEW_BYTES_MAX, "%llu", (unsigned long long)r->holders);
    if (r->example != OBJ_NONE)
        snprintf(num[COL_ADDRESS], VIEW_BYTES_MAX, "0x%llx", (unsigned long long)h->addr[r->example]);
    sb_printf(kind, "%s <- %s", types_name(&h->types, r->type),
              r->holder_type == UINT32_MAX ? "(a root)" : types_name(&h->types, r->holder_type));
}

/* A by-holder row: the holder's total and name, or one of its types. */
static void held_row_cells(const struct holders_state *st, const struct view_ctx *ctx, size_t i,
                           char num[][VIEW_BYTES_MAX], struct strbuf *kind)
{
    const struct heap *h = ctx->heap;
    const struct held_row *row = &st->rows[i];
    const struct diff_held *r = &st->compare->diff.held[row->held];
    snprintf(num[COL_NEW], VIEW_BYTES_MAX, "%llu", (unsigned long long)(row->total ? r->holder_objects : r->objects));
    view_bytes(ctx, row->total ? r->holder_bytes : r->bytes, num[COL_BYTES]);
    if (!row->total) {
        sb_printf(kind, "  %s", types_name(&h->types, r->type));
        return;
    }
    if (r->holder != OBJ_NONE)
        snprintf(num[COL_ADDRESS], VIEW_BYTES_MAX, "0x%llx", (unsigned long long)h->addr[r->holder]);
    const struct paths *p = analysis_ready(ctx->analysis, ANALYSIS_PATHS) ? &ctx->analysis->paths : NULL;
    diff_holder_name(h, p, r->holder, kind);
}

static void draw_holder(const struct holders_state *st, const struct view_ctx *ctx, size_t i, int y, int width,
                        struct strbuf *kind)
{
    char num[COL_KIND][VIEW_BYTES_MAX] = {{0}};
    const char *cells[NCOLS];
    sb_reset(kind);
    if (st->by_type)
        type_row_cells(st, ctx->heap, i, num, ctx, kind);
    else
        held_row_cells(st, ctx, i, num, kind);
    for (int c = 0; c < COL_KIND; c++)
        cells[c] = num[c];
    cells[COL_KIND] = sb_cstr(kind);
    enum role role = i == st->list.cursor ? ROLE_CURSOR : ROLE_NORMAL;
    draw_cells(y, width, columns, NCOLS, st->cols, cells, role, -1, ROLE_NORMAL);
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
    struct column cols[NCOLS];
    memcpy(cols, columns, sizeof cols);
    cols[COL_KIND].title = st->by_type ? "Kind <- held by" : "Holder, and the types it holds";
    draw_header(area->y, area->width, cols, NCOLS, st->cols, COL_BYTES, 1);
    if (st->list.n == 0) {
        draw_row(area->y + 1, area->width, "No new objects: every object is in the old dump too.", ROLE_NOTE);
        return;
    }
    struct strbuf kind;
    sb_init(&kind);
    int y = area->y + 1;
    for (size_t i = st->list.top; i < st->list.n && y < area->y + area->height; i++, y++)
        draw_holder(st, ctx, i, y, area->width, &kind);
    sb_free(&kind);
}

static unsigned holders_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct holders_state *st = v->priv;
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    if (a == ACT_HOLDERS) { /* H again: the other grouping */
        st->by_type = !st->by_type;
        list_reset(&st->list, row_count(st));
        return view_say(res, 0, st->by_type ? "by type, as heapwalk diff lists them (H: by holder object)"
                                            : "by holder object (H: by type)");
    }
    if (a != ACT_OPEN)
        return view_key_default(a, res);
    if (st->list.n == 0)
        return view_say(res, 1, compare_holders_ready(st->compare) ? "no holders to open"
                                                                   : "the holders are still being found");
    obj_t o = row_holder(st, st->list.cursor);
    if (o == OBJ_NONE)
        return view_say(res, 1, "roots hold these directly: no one holder to open");
    res->open = (struct view_spec){VIEW_OBJECT, 0, o, NULL};
    return VIEW_OPEN;
}

static void holders_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct holders_state *st = v->priv;
    const struct diff *d = &st->compare->diff;
    sb_printf(out, "Holders of %llu new objects, ", (unsigned long long)d->n_new);
    view_add_bytes(ctx, d->new_bytes, out);
    sb_adds(out, st->by_type ? ", by type" : ", by holder");
}

static struct list *holders_list(const struct view *v)
{
    struct holders_state *st = v->priv;
    return &st->list;
}

/* A row's holder: what Enter opens and the why-alive pane follows. */
static obj_t holders_row(const struct view *v, const struct view_ctx *ctx, size_t i)
{
    return row_holder(v->priv, i);
}

struct holder_search {
    const struct holders_state *st;
    const struct view_ctx *ctx;
    const struct query_match *m;
};

/* A row matches by the types it names and by its holder (type, value, name,
 * and its name on the screen). */
static int holder_matches(const void *arg, size_t i)
{
    const struct holder_search *hs = arg;
    const struct holders_state *st = hs->st;
    const struct heap *h = hs->ctx->heap;
    const struct diff *d = &st->compare->diff;
    uint32_t type = st->by_type ? d->holders[i].type : d->held[st->rows[i].held].type;
    if (!st->by_type && !st->rows[i].total)
        return hs->m->type_hit[type];
    if (st->by_type && (hs->m->type_hit[type] ||
                        (d->holders[i].holder_type != UINT32_MAX && hs->m->type_hit[d->holders[i].holder_type])))
        return 1;
    obj_t o = row_holder(st, i);
    if (o == OBJ_NONE || st->by_type)
        return 0;
    if (query_match_object(h, hs->m, o))
        return 1;
    struct strbuf name;
    sb_init(&name);
    const struct paths *p = analysis_ready(hs->ctx->analysis, ANALYSIS_PATHS) ? &hs->ctx->analysis->paths : NULL;
    diff_holder_name(h, p, o, &name);
    int hit = query_match_text(hs->m, sb_cstr(&name), name.len);
    sb_free(&name);
    return hit;
}

static enum list_found holders_search(struct view *v, const struct view_ctx *ctx, const struct query_match *m,
                                      int dir)
{
    struct holders_state *st = v->priv;
    struct holder_search hs = {st, ctx, m};
    return list_find(&st->list, dir, holder_matches, &hs);
}

static const struct action_hint holders_hints[] = {
    HINT(OPEN, "open"), HINT(HOLDERS, "group"), HINT(HELP, "help"), HINTS_END,
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
    .search = holders_search,
};
