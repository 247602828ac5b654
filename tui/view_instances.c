/* view_instances.c: every instance of one type, in meliae's get_all() order
 * (size, refs, parents, descending) or sorted by a column: address, size,
 * retained size, len, refs, parents, value.  The list is collected and sorted
 * once when the screen opens, and once per sort key; only the visible rows
 * are drawn.  In compare mode new objects are marked, and + keeps only them.
 * The same screen lists a given set of objects (view_spec.objects: the copies
 * of a duplicated value, wasteful containers), in dump order, optionally
 * with what holds each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/refs.h"
#include "compare.h"
#include "draw.h"
#include "retained.h"
#include "view.h"

enum { COL_NEW, COL_RETAINED, COL_ADDRESS, COL_SIZE, COL_LEN, COL_REFS, COL_PARENTS, COL_DIST, COL_VALUE, NCOLS };

static const struct column columns[NCOLS] = {
    [COL_NEW] = {"+", 2, 0, 6, 1}, /* compare mode only */
    [COL_RETAINED] = {"Retained", 10, 0, 7, 0},
    [COL_ADDRESS] = {"Address", 15, 1, 9, 0},
    [COL_SIZE] = {"Size", 8, 1, 8, 0},
    [COL_LEN] = {"Len", 7, 1, 3, 0},
    [COL_REFS] = {"Refs", 7, 1, 5, 0},
    [COL_PARENTS] = {"Par", 7, 1, 4, 0},
    [COL_DIST] = {"Dist", 5, 1, 6, 0}, /* hops from the nearest root */
    [COL_VALUE] = {"Value", 0, 2, 10, 1},
};
#define VALUE_MIN_WIDTH 12
#define CLASSES_MAX 64       /* classes sharing a name that C goes through */

struct instances_state {
    obj_t *base;             /* get_all order, kept so that a sort's ties stay in it */
    obj_t *rows;             /* the order shown */
    size_t n;                /* rows */
    size_t nbase;            /* instances: n, or more when only the new ones are shown */
    uint64_t total_size;
    uint64_t n_new;          /* compare mode: instances not in the old dump */
    size_t same_name;        /* class objects with the type's name: 2 or more, each row names its class */
    obj_t classes[CLASSES_MAX]; /* the first of them, for C */
    int class_pick;          /* C: only the instances of classes[class_pick]; -1: of every class */
    enum query_key key;
    int by_retained;         /* sorted by retained size (key is then unused) */
    int new_only;            /* compare mode: only the new instances */
    int reverse;
    char *label;             /* a given list's title (view_spec.objects); NULL: the type's instances */
    int show_holder;
    struct list list;
    unsigned char cols[NCOLS];
};

static void instances_open(struct view *v, const struct view_ctx *ctx)
{
    struct instances_state *st = xcalloc(1, sizeof *st, "the instances screen");
    const struct view_objects *given = v->spec.objects;
    if (given) {
        st->n = given->n;
        st->base = xmalloc((st->n ? st->n : 1) * sizeof *st->base, "the instances screen");
        memcpy(st->base, given->objs, st->n * sizeof *st->base);
        st->label = xstrdup(given->label ? given->label : "Objects", "the instances screen");
        st->show_holder = given->show_holder;
        for (size_t i = 0; i < st->n; i++)
            st->total_size += heap_size(ctx->heap, st->base[i]);
    } else {
        st->base = query_instances(ctx->heap, ctx->index, v->spec.type, &st->n);
        for (size_t i = 0; i < ctx->summary->n; i++)
            if (ctx->summary->rows[i].type == v->spec.type)
                st->total_size = ctx->summary->rows[i].size;
    }
    st->rows = xmalloc((st->n ? st->n : 1) * sizeof *st->rows, "the instances screen");
    memcpy(st->rows, st->base, st->n * sizeof *st->rows);
    st->nbase = st->n;
    for (size_t i = 0; i < st->n; i++)
        st->n_new += (uint64_t)compare_is_new(ctx->compare, st->base[i]);
    const char *name = types_name(&ctx->heap->types, v->spec.type);
    st->same_name = refs_classes_named(ctx->heap, name, strlen(name), st->classes, CLASSES_MAX);
    st->class_pick = -1;
    st->key = QUERY_GETALL;
    list_reset(&st->list, st->n);
    v->priv = st;
}

static void instances_close(struct view *v)
{
    struct instances_state *st = v->priv;
    free(st->base);
    free(st->rows);
    free(st->label);
    free(st);
    v->priv = NULL;
}

static void instances_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct instances_state *st = v->priv;
    for (int c = 0; c < NCOLS; c++)
        st->cols[c] = c != COL_NEW || ctx->compare;
    columns_fit_some(columns, NCOLS, area->width, VALUE_MIN_WIDTH, st->cols);
    list_layout(&st->list, area->height - 1);
}

static int sorted_column(enum query_key key)
{
    switch (key) {
    case QUERY_ADDRESS: return COL_ADDRESS;
    case QUERY_LEN: return COL_LEN;
    case QUERY_REFS: return COL_REFS;
    case QUERY_PARENTS: return COL_PARENTS;
    case QUERY_VALUE: return COL_VALUE;
    default: return COL_SIZE; /* get_all: size first */
    }
}

/* Hops from the nearest root; "..." while the paths are being found, "-"
 * when no path avoids what F and T skip. */
static void dist_cell(const struct analysis *a, obj_t o, char *cell, size_t size)
{
    if (!analysis_ready(a, ANALYSIS_PATHS))
        snprintf(cell, size, "...");
    else if (a->paths.dist[o] == PATH_UNREACHED)
        snprintf(cell, size, "-");
    else
        snprintf(cell, size, "%u", (unsigned)a->paths.dist[o]);
}

/* "  <- list(...)": the object's first parent, and how many more. */
static void add_holder(const struct heap *h, obj_t o, struct strbuf *out)
{
    size_t n = heap_nparents(h, o);
    if (n == 0) {
        sb_adds(out, "  <- (no parent)");
        return;
    }
    sb_adds(out, "  <- ");
    refs_repr(h, heap_parents(h, o)[0], 40, out);
    if (n > 1)
        sb_printf(out, " and %zu more", n - 1);
}

static void draw_instance(const struct instances_state *st, const struct view_ctx *ctx, size_t i, int y,
                          int width, struct strbuf *value)
{
    const struct heap *h = ctx->heap;
    obj_t o = st->rows[i];
    char num[COL_VALUE][VIEW_BYTES_MAX];
    const char *cells[NCOLS];
    snprintf(num[COL_ADDRESS], sizeof num[0], "%llu", (unsigned long long)h->addr[o]);
    view_bytes(ctx, heap_size(h, o), num[COL_SIZE]);
    if (analysis_ready(ctx->analysis, ANALYSIS_DOMINATORS))
        view_bytes(ctx, ctx->analysis->dom.retained[o], num[COL_RETAINED]);
    else
        snprintf(num[COL_RETAINED], sizeof num[0], "...");
    snprintf(num[COL_NEW], sizeof num[0], "%s", compare_is_new(ctx->compare, o) ? draw_glyph(GLYPH_NEW) : "");
    num[COL_LEN][0] = '\0';
    if (h->flags[o] & OF_HAS_LEN)
        snprintf(num[COL_LEN], sizeof num[0], "%llu", (unsigned long long)heap_len(h, o));
    snprintf(num[COL_REFS], sizeof num[0], "%zu", heap_nchildren(h, o));
    snprintf(num[COL_PARENTS], sizeof num[0], "%zu", heap_nparents(h, o));
    dist_cell(ctx->analysis, o, num[COL_DIST], sizeof num[0]);
    for (int c = 0; c < COL_VALUE; c++)
        cells[c] = num[c];
    sb_reset(value);
    query_preview(h, o, (size_t)width * 4, value);
    obj_t cls = st->same_name > 1 && value->len == 0 ? refs_class(h, o) : OBJ_NONE;
    if (cls != OBJ_NONE) { /* classes that share a name told apart by their module */
        sb_adds(value, "class ");
        refs_class_qualified_name(h, cls, value);
    }
    if (st->show_holder)
        add_holder(h, o, value);
    cells[COL_VALUE] = sb_cstr(value);
    draw_cells(y, width, columns, NCOLS, st->cols, cells, i == st->list.cursor ? ROLE_CURSOR : ROLE_NORMAL, -1,
               ROLE_NORMAL);
}

static int descending(const struct instances_state *st)
{
    int natural = st->by_retained || (st->key != QUERY_ADDRESS && st->key != QUERY_VALUE);
    return natural != (st->reverse != 0);
}

static void instances_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct instances_state *st = v->priv;
    struct strbuf value;
    sb_init(&value);
    draw_header(area->y, area->width, columns, NCOLS, st->cols,
                st->by_retained ? COL_RETAINED : sorted_column(st->key), descending(st));
    int y = area->y + 1;
    for (size_t i = st->list.top; i < st->n && y < area->y + area->height; i++, y++)
        draw_instance(st, ctx, i, y, area->width, &value);
    sb_free(&value);
}

/* The rows again from get_all order (only the new instances with new_only),
 * sorted as the state says. */
static void refill(struct instances_state *st, const struct view_ctx *ctx)
{
    if (!analysis_ready(ctx->analysis, ANALYSIS_DOMINATORS))
        st->by_retained = 0; /* the analysis restarted: its sizes are gone for now */
    st->n = 0;
    for (size_t i = 0; i < st->nbase; i++)
        if ((!st->new_only || compare_is_new(ctx->compare, st->base[i])) &&
            (st->class_pick < 0 || refs_class(ctx->heap, st->base[i]) == st->classes[st->class_pick]))
            st->rows[st->n++] = st->base[i];
    if (st->by_retained)
        retained_sort(st->rows, st->n, ctx->analysis->dom.retained, st->reverse);
    else if (st->key != QUERY_GETALL || st->reverse)
        query_sort(ctx->heap, ctx->index, st->rows, st->n, st->key, st->reverse);
    list_reset(&st->list, st->n);
}

/* Sort by key from get_all order; asking again for the key in force reverses it. */
static unsigned resort(struct instances_state *st, const struct view_ctx *ctx, enum query_key key, int again)
{
    st->reverse = (!st->by_retained && key == st->key && again) ? !st->reverse : 0;
    st->key = key;
    st->by_retained = 0;
    refill(st, ctx);
    return VIEW_HANDLED;
}

/* resort() by retained size, once the analysis has it. */
static unsigned resort_retained(struct instances_state *st, const struct view_ctx *ctx, struct view_result *res)
{
    if (!analysis_ready(ctx->analysis, ANALYSIS_DOMINATORS))
        return view_say(res, 0, "retained sizes are still being computed; R sorts once they are there");
    st->reverse = st->by_retained ? !st->reverse : 0;
    st->by_retained = 1;
    refill(st, ctx);
    return VIEW_HANDLED;
}

static unsigned toggle_new_only(struct instances_state *st, const struct view_ctx *ctx, struct view_result *res)
{
    if (!ctx->compare)
        return view_say(res, 1, "not comparing: heapwalk OLD NEW compares two dumps of one process");
    st->new_only = !st->new_only;
    refill(st, ctx);
    if (st->new_only)
        return view_say(res, 0, "the %llu new instances (+: all)", (unsigned long long)st->n_new);
    return view_say(res, 0, "all instances, new ones marked %s", draw_glyph(GLYPH_NEW));
}

/* C: the instances of each class that has the type's name in turn, then all. */
static unsigned next_class(struct instances_state *st, const struct view_ctx *ctx, struct view_result *res)
{
    if (st->same_name < 2)
        return view_say(res, 1, "one class has this name: nothing to split");
    size_t known = st->same_name < CLASSES_MAX ? st->same_name : CLASSES_MAX;
    st->class_pick = st->class_pick + 1 < (int)known ? st->class_pick + 1 : -1;
    refill(st, ctx);
    if (st->class_pick < 0)
        return view_say(res, 0, "the instances of all %zu classes with this name", st->same_name);
    struct strbuf sb;
    sb_init(&sb);
    refs_class_qualified_name(ctx->heap, st->classes[st->class_pick], &sb);
    view_say(res, 0, "only class %s: %zu instances (C: the next class)", sb_cstr(&sb), st->n);
    sb_free(&sb);
    return VIEW_HANDLED | VIEW_SAY;
}

static unsigned instances_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct instances_state *st = v->priv;
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    switch (a) {
    case ACT_OPEN:
        if (st->n == 0)
            return view_say(res, 1, "no object to open");
        res->open = (struct view_spec){VIEW_OBJECT, 0, st->rows[st->list.cursor], NULL};
        return VIEW_OPEN;
    case ACT_SORT_ADDRESS: return resort(st, ctx, QUERY_ADDRESS, 1);
    case ACT_SORT_SIZE: return resort(st, ctx, QUERY_SIZE, 1);
    case ACT_SORT_LEN: return resort(st, ctx, QUERY_LEN, 1);
    case ACT_SORT_REFS: return resort(st, ctx, QUERY_REFS, 1);
    case ACT_SORT_PARENTS: return resort(st, ctx, QUERY_PARENTS, 1);
    case ACT_SORT_VALUE: return resort(st, ctx, QUERY_VALUE, 1);
    case ACT_SORT_DEFAULT: return resort(st, ctx, QUERY_GETALL, 0);
    case ACT_SORT_RETAINED: return resort_retained(st, ctx, res);
    case ACT_NEW_ONLY: return toggle_new_only(st, ctx, res);
    case ACT_SPLIT_CLASS: return next_class(st, ctx, res);
    default: return view_key_default(a, res);
    }
}

static void instances_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct instances_state *st = v->priv;
    static const char *const by[] = {
        [QUERY_GETALL] = "get_all order (size, refs, parents)",
        [QUERY_ADDRESS] = "address",
        [QUERY_SIZE] = "size",
        [QUERY_LEN] = "len",
        [QUERY_REFS] = "refs",
        [QUERY_PARENTS] = "parents",
        [QUERY_VALUE] = "value",
    };
    const char *name = types_name(&ctx->heap->types, v->spec.type);
    if (st->label)
        sb_printf(out, "%s: %zu, ", st->label, st->n);
    else if (st->new_only)
        sb_printf(out, "New instances of %s: %zu of %zu, ", name, st->n, st->nbase);
    else if (ctx->compare)
        sb_printf(out, "Instances of %s: %zu (%llu new), ", name, st->n, (unsigned long long)st->n_new);
    else if (st->class_pick >= 0) {
        sb_adds(out, "Instances of ");
        refs_class_qualified_name(ctx->heap, st->classes[st->class_pick], out);
        sb_printf(out, ": %zu of the %zu named %s, ", st->n, st->nbase, name);
    } else
        sb_printf(out, "Instances of %s: %zu, ", name, st->n);
    if (!st->new_only) {
        view_add_bytes(ctx, st->total_size, out);
        sb_adds(out, ", ");
    }
    if (st->by_retained)
        sb_adds(out, "by retained size");
    else
        sb_printf(out, "%s%s", st->key == QUERY_GETALL ? "in " : "by ",
                  st->label && st->key == QUERY_GETALL ? "dump order" : by[st->key]);
    sb_adds(out, st->reverse ? " (reversed)" : "");
}

static struct list *instances_list(const struct view *v)
{
    struct instances_state *st = v->priv;
    return &st->list;
}

static obj_t instances_row(const struct view *v, const struct view_ctx *ctx, size_t i)
{
    const struct instances_state *st = v->priv;
    return st->rows[i];
}

static const struct action_hint instances_hints[] = {
    HINT(OPEN, "open"), HINT(SEARCH, "search"), HINT(HELP, "help"), HINT(QUIT, "quit"), HINTS_END,
};

const struct view_ops view_instances_ops = {
    .name = "instances",
    .hints = instances_hints,
    .open = instances_open,
    .close = instances_close,
    .layout = instances_layout,
    .draw = instances_draw,
    .key = instances_key,
    .title = instances_title,
    .list = instances_list,
    .row = instances_row,
    .why_pane = 1,
    .search = view_search_rows,
};
