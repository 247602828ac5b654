/* view_summary.c: the type summary: meliae's table (Index, Count, %, Size, %,
 * Cum, Max, Kind) for every type, under the totals line, with the bytes each
 * type retains (dominators_by_type, from the background analysis); in compare
 * mode also +/-Count, +/-Size and New, as `heapwalk diff` prints them.  Sorted
 * by size, count, max, name, retained size or (compare mode, the default
 * there) growth; / keeps the types whose name contains a substring; C splits
 * the names several classes share into a row per class (summary --by-class).
 * With three dumps or more (compare mode for the last two), a Trend column:
 * the type's total size in each dump as a sparkline, as `heapwalk trend`
 * draws it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/refs.h"
#include "../src/report.h"
#include "compare.h"
#include "draw.h"
#include "view.h"

/* This screen's columns come before meliae's, which stay exactly as
 * `heapwalk summary` prints them. */
enum {
    COL_RETAINED, COL_DCOUNT, COL_DSIZE, COL_DRETAINED, COL_NEW, /* COL_D* and COL_NEW: compare mode only */
    COL_TREND,               /* three dumps or more: a sparkline of the type's size in each */
    COL_INDEX, COL_COUNT, COL_COUNT_PCT, COL_SIZE, COL_SIZE_PCT, COL_CUM, COL_MAX, COL_KIND, NCOLS
};

/* The widths of meliae's '%6d%8d%4d%10d%4d%4d%8d %s', so a full-width row
 * reads exactly as `heapwalk summary` prints it. */
static const struct column columns[NCOLS] = {
    [COL_RETAINED] = {"Retained", 10, 0, 7, 0},
    [COL_DCOUNT] = {"+/-Count", 9, 1, 5, 0},
    [COL_DSIZE] = {"+/-Size", 10, 1, 7, 0},
    [COL_DRETAINED] = {"+/-Retained", 12, 1, 6, 0},
    [COL_NEW] = {"New", 8, 1, 5, 0},
    [COL_TREND] = {"Trend", 5, 1, 6, 1}, /* as wide as the dumps are many, when more than 5 */
    [COL_INDEX] = {"Index", 6, 0, 4, 0},
    [COL_COUNT] = {"Count", 8, 0, 8, 0},
    [COL_COUNT_PCT] = {"%", 4, 0, 1, 0},
    [COL_SIZE] = {"Size", 10, 0, 9, 0},
    [COL_SIZE_PCT] = {"%", 4, 0, 3, 0},
    [COL_CUM] = {"Cum", 4, 0, 2, 0},
    [COL_MAX] = {"Max", 8, 0, 6, 0},
    [COL_KIND] = {"Kind", 0, 1, 10, COLUMN_NAME},
};
#define KIND_MIN_WIDTH 12
#define KIND_MIN_WIDTH_COMPARE 16 /* compare mode has more columns: names need room */
#define FILTER_MAX 256

/* Orders this screen adds to summary.h's. */
enum extra_order {
    ORDER_ENGINE,            /* summary_sort() by st->order */
    ORDER_RETAINED,          /* retained bytes, then size, descending */
    ORDER_GROWTH,            /* compare mode: `heapwalk diff`'s order (|+/-Size|, size, name) */
};

struct summary_state {
    struct summary s;        /* a copy of the rows, in this screen's order */
    enum summary_order order;
    enum extra_order extra;
    int reverse;
    int by_class;            /* C: names that classes share split by class */
    uint32_t *shown;         /* indices into s.rows of the types that pass the filter */
    uint64_t *cum;           /* running total of the shown rows' sizes */
    size_t nshown;
    uint64_t shown_count, shown_size;
    char filter[FILTER_MAX];
    struct list list;
    struct column colspec[NCOLS]; /* columns, with the Trend column as wide as the dumps are many */
    unsigned char cols[NCOLS]; /* the columns that fit, from layout */
    struct column fit[NCOLS];  /* columns, widened to the rows on the screen (layout) */
    int dom_ready;             /* the retained sizes, as layout saw them (draw shows the same) */
};

static const struct type_row *shown_row(const struct summary_state *st, size_t i)
{
    return &st->s.rows[st->shown[i]];
}

static void refilter(struct summary_state *st, const struct heap *h)
{
    struct query_match m;
    query_match_init(h, st->filter, strlen(st->filter), &m);
    uint64_t cum = 0;
    st->nshown = 0;
    st->shown_count = 0;
    for (size_t i = 0; i < st->s.n; i++) {
        const struct type_row *r = &st->s.rows[i];
        if (!m.type_hit[r->type])
            continue;
        cum += r->size;
        st->shown[st->nshown] = (uint32_t)i;
        st->cum[st->nshown++] = cum;
        st->shown_count += r->count;
    }
    st->shown_size = cum;
    query_match_free(&m);
    list_reset(&st->list, st->nshown);
}

/* A row with the keys of an extra order, for qsort. */
struct keyed_row {
    struct type_row row;
    uint64_t key;            /* retained bytes, or |+/-Size| */
    const char *name;        /* the last tie-break, as `heapwalk diff` has it */
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed_row *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? 1 : -1;
    if (x->row.size != y->row.size)
        return x->row.size < y->row.size ? 1 : -1;
    return strcmp(x->name, y->name);
}

static uint64_t abs_delta(uint64_t a, uint64_t b)
{
    return a > b ? a - b : b - a;
}

/* Sort the rows by st->extra, largest first (last when reversed).  The
 * caller checks that the retained sizes or the comparison are there. */
static void sort_extra(struct summary_state *st, const struct view_ctx *ctx)
{
    size_t n = st->s.n;
    struct keyed_row *k = xmalloc((n ? n : 1) * sizeof *k, "a sort of the types");
    for (size_t i = 0; i < n; i++) {
        const struct type_row *r = &st->s.rows[i];
        uint64_t key = 0;
        if (st->extra == ORDER_RETAINED) {
            key = ctx->analysis->dom_by_type[r->type];
        } else {
            const struct diff_type *d = compare_type(ctx->compare, r->type);
            key = d ? abs_delta(d->new_size, d->old_size) : 0;
        }
        k[i] = (struct keyed_row){*r, key, types_name(&ctx->heap->types, r->type)};
    }
    if (n > 1)
        qsort(k, n, sizeof *k, cmp_keyed);
    for (size_t i = 0; i < n; i++)
        st->s.rows[st->reverse ? n - 1 - i : i] = k[i].row;
    free(k);
}

/* The rows again from the dump's summary (split by class with by_class),
 * in the order the state says. */
static void rebuild_rows(struct summary_state *st, const struct view_ctx *ctx)
{
    const struct summary *all = ctx->summary;
    summary_free(&st->s);
    free(st->shown);
    free(st->cum);
    st->s = *all;
    st->s.rows = xmalloc((all->n ? all->n : 1) * sizeof *st->s.rows, "the type summary screen");
    if (all->n)
        memcpy(st->s.rows, all->rows, all->n * sizeof *st->s.rows);
    if (st->by_class)
        summary_split_classes(ctx->heap, ctx->classes, &st->s);
    st->shown = xmalloc((st->s.n ? st->s.n : 1) * sizeof *st->shown, "the type summary screen");
    st->cum = xmalloc((st->s.n ? st->s.n : 1) * sizeof *st->cum, "the type summary screen");
    if (st->extra != ORDER_ENGINE)
        sort_extra(st, ctx);
    else
        summary_sort(ctx->heap, &st->s, st->order, st->reverse);
    refilter(st, ctx->heap);
}

static void summary_open(struct view *v, const struct view_ctx *ctx)
{
    struct summary_state *st = xcalloc(1, sizeof *st, "the type summary screen");
    st->order = SUMMARY_BY_SIZE;
    st->extra = ctx->compare ? ORDER_GROWTH : ORDER_ENGINE;
    memcpy(st->colspec, columns, sizeof st->colspec);
    size_t dumps = ctx->compare && ctx->compare->have_trend ? ctx->compare->trend.n_dumps : 0;
    if (dumps + 1 > (size_t)columns[COL_TREND].width)
        st->colspec[COL_TREND].width = (int)dumps + 1;
    rebuild_rows(st, ctx);
    v->priv = st;
}

static void summary_close(struct view *v)
{
    struct summary_state *st = v->priv;
    summary_free(&st->s);
    free(st->shown);
    free(st->cum);
    free(st);
    v->priv = NULL;
}

/* C: a row per class for the names classes share, or meliae's rows again;
 * the cursor stays on its type. */
static unsigned toggle_by_class(struct summary_state *st, const struct view_ctx *ctx, struct view_result *res)
{
    size_t shared = 0;
    for (size_t i = 0; i < ctx->summary->n; i++)
        shared += ctx->classes[ctx->summary->rows[i].type] > 1;
    if (shared == 0)
        return view_say(res, 1, "no two classes share a name here: nothing to split");
    uint32_t type = st->nshown ? shown_row(st, st->list.cursor)->type : UINT32_MAX;
    st->by_class = !st->by_class;
    rebuild_rows(st, ctx);
    for (size_t i = 0; i < st->nshown; i++)
        if (shown_row(st, i)->type == type) {
            list_select(&st->list, i);
            break;
        }
    if (st->by_class)
        return view_say(res, 0, "%zu name%s shared by classes: a row per class (C: one row per name)", shared,
                        shared == 1 ? "" : "s");
    return view_say(res, 0, "one row per name, as meliae has them");
}

static int sorted_column(const struct summary_state *st)
{
    if (st->extra != ORDER_ENGINE)
        return st->extra == ORDER_RETAINED ? COL_RETAINED : COL_DSIZE;
    switch (st->order) {
    case SUMMARY_BY_COUNT: return COL_COUNT;
    case SUMMARY_BY_MAX: return COL_MAX;
    case SUMMARY_BY_NAME: return COL_KIND;
    default: return COL_SIZE;
    }
}

static void type_cells(const struct summary_state *st, const struct view_ctx *ctx, size_t i,
                       char num[][VIEW_BYTES_MAX], const char **cells, struct strbuf *kind, struct strbuf *spark);

static void summary_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct summary_state *st = v->priv;
    struct column *fit = st->fit;
    memcpy(fit, st->colspec, sizeof st->fit);
    st->dom_ready = analysis_ready(ctx->analysis, ANALYSIS_DOMINATORS);
    list_layout(&st->list, area->height - 2);
    for (size_t i = st->list.top; i < st->nshown && i < st->list.top + (size_t)st->list.height; i++) {
        char num[NCOLS][VIEW_BYTES_MAX];
        const char *cells[NCOLS];
        struct strbuf kind, spark;
        sb_init(&kind);
        sb_init(&spark);
        type_cells(st, ctx, i, num, cells, &kind, &spark);
        columns_grow(fit, COL_KIND, cells);
        sb_free(&kind);
        sb_free(&spark);
    }
    for (int c = 0; c < NCOLS; c++)
        st->cols[c] = ctx->compare || (c != COL_DCOUNT && c != COL_DSIZE && c != COL_DRETAINED && c != COL_NEW);
    st->cols[COL_TREND] = ctx->compare && ctx->compare->have_trend;
    if (ctx->compare) { /* the changes matter more than the largest object and what is retained */
        fit[COL_INDEX].keep = 0;
        fit[COL_MAX].keep = 1;
        fit[COL_RETAINED].keep = 2;
    }
    columns_fit_sorted(fit, NCOLS, area->width, ctx->compare ? KIND_MIN_WIDTH_COMPARE : KIND_MIN_WIDTH, st->cols,
                       sorted_column(st));
}

/* Row i's cells; the numbers are written in num, a split row's class name
 * (a.Record) in kind, the trend's sparkline in spark. */
static void type_cells(const struct summary_state *st, const struct view_ctx *ctx, size_t i,
                       char num[][VIEW_BYTES_MAX], const char **cells, struct strbuf *kind, struct strbuf *spark)
{
    const struct type_row *r = shown_row(st, i);
    const struct summary *all = ctx->summary;
    snprintf(num[COL_INDEX], sizeof num[0], "%zu", i);
    snprintf(num[COL_COUNT], sizeof num[0], "%llu", (unsigned long long)r->count);
    snprintf(num[COL_COUNT_PCT], sizeof num[0], "%lld", summary_percent(r->count, all->total_count));
    view_bytes(ctx, r->size, num[COL_SIZE]);
    snprintf(num[COL_SIZE_PCT], sizeof num[0], "%lld", summary_percent(r->size, all->total_size));
    snprintf(num[COL_CUM], sizeof num[0], "%lld", summary_percent(st->cum[i], all->total_size));
    view_bytes(ctx, r->max_size, num[COL_MAX]);
    if (r->split) /* what a type retains is not known per class */
        num[COL_RETAINED][0] = '\0';
    else if (st->dom_ready)
        view_bytes(ctx, ctx->analysis->dom_by_type[r->type], num[COL_RETAINED]);
    else
        snprintf(num[COL_RETAINED], sizeof num[0], "...");
    const struct diff_type *d = ctx->compare && !r->split ? compare_type(ctx->compare, r->type) : NULL;
    num[COL_DCOUNT][0] = num[COL_DSIZE][0] = num[COL_DRETAINED][0] = num[COL_NEW][0] = num[COL_TREND][0] = '\0';
    if (d) { /* the differences as `heapwalk diff` prints them */
        snprintf(num[COL_DCOUNT], sizeof num[0], "%+lld", (long long)(d->new_count - d->old_count));
        view_bytes_delta(ctx, (int64_t)(d->new_size - d->old_size), num[COL_DSIZE]);
        snprintf(num[COL_NEW], sizeof num[0], "%llu", (unsigned long long)d->added);
        if (st->dom_ready && compare_old_retained_ready(ctx->compare))
            view_bytes_delta(ctx, compare_type_retained_delta(ctx->compare, ctx->analysis->dom_by_type, r->type),
                             num[COL_DRETAINED]);
        else
            snprintf(num[COL_DRETAINED], sizeof num[0], "...");
    }
    for (int c = 0; c < COL_KIND; c++)
        cells[c] = num[c];
    if (ctx->compare && ctx->compare->have_trend) {
        const struct trend_type *tr = ctx->compare->trend_of[r->type];
        report_sparkline(tr->size, ctx->compare->trend.n_dumps, draw_utf8(), spark);
        cells[COL_TREND] = sb_cstr(spark);
    }
    if (r->cls != OBJ_NONE) /* a split row: a.Record */
        refs_class_qualified_name(ctx->heap, r->cls, kind);
    cells[COL_KIND] = r->cls != OBJ_NONE ? sb_cstr(kind) : types_name(&ctx->heap->types, r->type);
}

static void draw_type_row(const struct summary_state *st, const struct view_ctx *ctx, size_t i, int y, int width)
{
    char num[NCOLS][VIEW_BYTES_MAX];
    const char *cells[NCOLS];
    struct strbuf kind, spark;
    sb_init(&kind);
    sb_init(&spark);
    type_cells(st, ctx, i, num, cells, &kind, &spark);
    draw_cells(y, width, st->fit, NCOLS, st->cols, cells, i == st->list.cursor ? ROLE_CURSOR : ROLE_NORMAL, -1,
               ROLE_NORMAL);
    sb_free(&kind);
    sb_free(&spark);
}

static void summary_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct summary_state *st = v->priv;
    struct strbuf sb;
    sb_init(&sb);
    summary_format_total(ctx->summary, &sb);
    draw_row(area->y, area->width, sb_cstr(&sb), ROLE_NORMAL);
    sb_free(&sb);
    int descending = (st->extra != ORDER_ENGINE || st->order != SUMMARY_BY_NAME) != (st->reverse != 0);
    draw_header(area->y + 1, area->width, st->fit, NCOLS, st->cols, sorted_column(st), descending);
    int y = area->y + 2;
    if (st->nshown == 0) {
        char msg[FILTER_MAX + 80];
        snprintf(msg, sizeof msg, "No type name contains '%s'. Press / and Enter on an empty line to see all.",
                 st->filter);
        draw_row(y, area->width, msg, ROLE_NOTE);
        return;
    }
    for (size_t i = st->list.top; i < st->nshown && y < area->y + area->height; i++, y++)
        draw_type_row(st, ctx, i, y, area->width);
}

/* Sort by order; asking again for the order in force reverses it. */
static unsigned resort(struct summary_state *st, const struct view_ctx *ctx, enum summary_order order, int again)
{
    st->reverse = (st->extra == ORDER_ENGINE && order == st->order && again) ? !st->reverse : 0;
    st->order = order;
    st->extra = ORDER_ENGINE;
    summary_sort(ctx->heap, &st->s, order, st->reverse);
    refilter(st, ctx->heap);
    return VIEW_HANDLED;
}

/* resort() for this screen's own orders. */
static unsigned resort_extra(struct summary_state *st, const struct view_ctx *ctx, enum extra_order extra,
                             int again, struct view_result *res)
{
    if (extra == ORDER_RETAINED && !analysis_ready(ctx->analysis, ANALYSIS_DOMINATORS))
        return view_say(res, 0, "retained sizes are still being computed; R sorts once they are there");
    st->reverse = (extra == st->extra && again) ? !st->reverse : 0;
    st->extra = extra;
    sort_extra(st, ctx);
    refilter(st, ctx->heap);
    return VIEW_HANDLED;
}

static unsigned summary_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct summary_state *st = v->priv;
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    switch (a) {
    case ACT_OPEN:
        if (st->nshown == 0)
            return view_say(res, 1, "no type to open");
        /* a split row: only its class's instances */
        res->open = (struct view_spec){VIEW_INSTANCES, shown_row(st, st->list.cursor)->type,
                                       shown_row(st, st->list.cursor)->cls, NULL};
        return VIEW_OPEN;
    case ACT_SORT_SIZE: return resort(st, ctx, SUMMARY_BY_SIZE, 1);
    case ACT_SORT_COUNT: return resort(st, ctx, SUMMARY_BY_COUNT, 1);
    case ACT_SORT_MAX: return resort(st, ctx, SUMMARY_BY_MAX, 1);
    case ACT_SORT_NAME: return resort(st, ctx, SUMMARY_BY_NAME, 1);
    case ACT_SORT_RETAINED: return resort_extra(st, ctx, ORDER_RETAINED, 1, res);
    case ACT_SPLIT_CLASS: return toggle_by_class(st, ctx, res);
    case ACT_SORT_DEFAULT:
        if (ctx->compare)
            return resort_extra(st, ctx, ORDER_GROWTH, 0, res);
        return resort(st, ctx, SUMMARY_BY_SIZE, 0);
    default: return view_key_default(a, res);
    }
}

static void summary_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct summary_state *st = v->priv;
    static const char *const by[] = {
        [SUMMARY_BY_SIZE] = "total size",
        [SUMMARY_BY_COUNT] = "count",
        [SUMMARY_BY_MAX] = "largest object",
        [SUMMARY_BY_NAME] = "name",
    };
    if (st->filter[0]) {
        sb_printf(out, "Types matching '%s': %zu of %zu, %llu objects, ", st->filter, st->nshown, st->s.n,
                  (unsigned long long)st->shown_count);
        view_add_bytes(ctx, st->shown_size, out);
    } else {
        sb_printf(out, "All %zu types", st->s.ntypes);
    }
    if (st->by_class)
        sb_adds(out, ", split by class");
    const char *order = st->extra == ORDER_RETAINED ? "retained size"
                        : st->extra == ORDER_GROWTH ? "growth (+/-Size)"
                                                    : by[st->order];
    sb_printf(out, ", by %s%s", order, st->reverse ? " (reversed)" : "");
    if (ctx->compare)
        sb_printf(out, "; %llu new objects, %llu gone", (unsigned long long)ctx->compare->diff.n_new,
                  (unsigned long long)ctx->compare->diff.n_gone);
}

struct type_search {
    const struct summary_state *st;
    const struct query_match *m;
};

static int type_matches(const void *ctx, size_t row)
{
    const struct type_search *ts = ctx;
    return ts->m->type_hit[shown_row(ts->st, row)->type];
}

static enum list_found summary_search(struct view *v, const struct view_ctx *ctx, const struct query_match *m,
                                      struct list_search *s)
{
    struct summary_state *st = v->priv;
    struct type_search ts = {st, m};
    return list_search_step(&st->list, s, type_matches, &ts);
}

static void summary_filter(struct view *v, const struct view_ctx *ctx, const char *text)
{
    struct summary_state *st = v->priv;
    snprintf(st->filter, sizeof st->filter, "%s", text);
    refilter(st, ctx->heap);
}

static const char *summary_filter_text(const struct view *v)
{
    const struct summary_state *st = v->priv;
    return st->filter;
}

static struct list *summary_list(const struct view *v)
{
    struct summary_state *st = v->priv;
    return &st->list;
}

static const struct action_hint summary_hints[] = {
    HINT(OPEN, "open"), HINT(SEARCH, "filter"), HINT(HELP, "help"), HINT(QUIT, "quit"), HINTS_END,
};

const struct view_ops view_summary_ops = {
    .name = "types",
    .hints = summary_hints,
    .open = summary_open,
    .close = summary_close,
    .layout = summary_layout,
    .draw = summary_draw,
    .key = summary_key,
    .title = summary_title,
    .list = summary_list,
    .search = summary_search,
    .filter = summary_filter,
    .filter_text = summary_filter_text,
};
