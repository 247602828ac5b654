/* view_instances.c: every instance of one type, in meliae's get_all() order
 * (size, refs, parents, descending) or sorted by a column: address, size,
 * retained size, len, refs, parents, value.  The list is collected and sorted
 * once when the screen opens, and once per sort key; only the visible rows
 * are drawn.  In compare mode new objects are marked, and + keeps only them.
 *
 * A sort of millions of rows takes a few tenths of a second (0.1-0.3 s for
 * 2M on the reference machine), so beyond INLINE_ROWS_MAX rows it runs as a
 * job (job.h): the screen keeps showing the rows in the order they had, the
 * title says the order asked for, the status line "sorting... (Esc stops)";
 * Esc keeps the order shown.
 *
 * A set screen (VIEW_SET: a query's answer, or a set taken from another
 * list) is the same list over other objects, first in the query's order.  A
 * query's objects arrive on the job thread too (sets.h): rows are added as
 * they come.  The job slot is the stream's until the query ends, so a sort,
 * + or a class asked for meanwhile waits for that end (the title says the
 * order asked for); Esc ends the query, and the sort then runs.  A set may
 * say what holds each object (set_source.show_holder: the copies of a
 * duplicated value, from the waste screen). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/dominators.h"
#include "../src/escape.h"
#include "../src/refs.h"
#include "compare.h"
#include "draw.h"
#include "job.h"
#include "sets.h"
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
/* Lists longer than this are sorted in the background (a job). */
#define INLINE_ROWS_MAX 100000

/* Which rows, in which order. */
struct order {
    enum query_key key;
    int by_retained;         /* sorted by retained size (key is then unused) */
    int new_only;            /* compare mode: only the new instances */
    int class_pick;          /* C: only the instances of classes[class_pick]; -1: of every class */
    int reverse;
};

/* One collection of the rows: what the job reads (set before it starts,
 * then left alone) and what it writes (read once it is over). */
struct refill {
    const struct heap *heap;
    const struct query_index *index;
    const struct compare *compare;
    const uint64_t *retained;     /* with order.by_retained */
    obj_t *base;                  /* sorted into get_all order first unless base_sorted */
    size_t nbase;
    int *base_sorted;
    struct order order;
    obj_t cls;                    /* only the instances of this class; OBJ_NONE: all */
    obj_t *rows;                  /* out: nbase room, owned until the screen takes it */
    size_t n;
    uint64_t bytes;               /* out: the rows' sizes summed (the picked class's bytes) */
    int cancelled;                /* out: stopped (Esc, another job): the rows mean nothing */
};

struct instances_state {
    obj_t *base;             /* get_all order, kept so that a sort's ties stay in it */
    int base_sorted;         /* base is in get_all order (dump order until the first sort ends) */
    obj_t *rows;             /* the order shown */
    size_t n;                /* rows */
    size_t nbase;            /* instances: n, or more when only the new ones are shown */
    uint64_t total_size;
    uint64_t class_size;     /* C: the size of the picked class's instances */
    uint64_t n_new;          /* compare mode: instances not in the old dump */
    size_t same_name;        /* class objects with the type's name: 2 or more, each row names its class */
    obj_t classes[CLASSES_MAX]; /* the first of them, for C */
    struct order asked;      /* what the keys asked for (the title says it) */
    struct order shown;      /* what the rows are: asked, once the sort has ended */
    int sorted;              /* 0: the rows are still in dump order */
    int refilling;           /* refill is the job's, or has rows not taken yet */
    struct refill refill;
    struct job *job;
    int show_holder;         /* each row's value says which object holds it (set_source) */
    struct list list;
    struct column fit[NCOLS]; /* columns, widened to the rows on the screen (layout) */
    int dom_ready, paths_ready; /* the analysis as layout saw it (draw shows the same) */
    unsigned char cols[NCOLS];
    /* VIEW_SET only: */
    char *what;              /* the query, or what the list was; NULL: an instances screen */
    struct set_stream *stream; /* a query's objects (owned; base points into it), or NULL */
    enum set_stream_state ended; /* SET_RUNNING until the stream has ended */
};

/* --- collecting and sorting the rows (on the job's thread for long lists) --- */

/* Is o one of the rows when only the new ones (new_only) of class cls
 * (OBJ_NONE: any) are? */
static int row_kept(const struct heap *h, const struct compare *c, int new_only, obj_t cls, obj_t o)
{
    return (!new_only || compare_is_new(c, o)) && (cls == OBJ_NONE || refs_class(h, o) == cls);
}

static void collect_rows(struct refill *r)
{
    const struct order *o = &r->order;
    if (!*r->base_sorted)
        query_sort(r->heap, r->index, r->base, r->nbase, QUERY_GETALL, 0);
    *r->base_sorted = 1;
    r->n = 0;
    r->bytes = 0;
    for (size_t i = 0; i < r->nbase; i++)
        if (row_kept(r->heap, r->compare, o->new_only, r->cls, r->base[i])) {
            r->bytes += heap_size(r->heap, r->base[i]);
            r->rows[r->n++] = r->base[i];
        }
    if (o->by_retained)
        dominators_sort(r->rows, r->n, r->retained, o->reverse);
    else if (o->key != QUERY_GETALL || o->reverse)
        query_sort(r->heap, r->index, r->rows, r->n, o->key, o->reverse);
}

static void run_refill(void *arg, const atomic_int *cancel)
{
    struct refill *r = arg;
    if (!atomic_load(cancel))
        collect_rows(r); /* a sort cannot stop halfway; 5M rows take under a second */
    r->cancelled = atomic_load(cancel) != 0;
}

/* The refill has ended: show its rows, or (stopped) keep those shown. */
static void take_rows(struct instances_state *st)
{
    if (!st->refilling || job_busy(st->job, st))
        return;
    st->refilling = 0;
    if (st->refill.cancelled) {
        free(st->refill.rows);
        st->asked = st->shown;
    } else {
        free(st->rows);
        st->rows = st->refill.rows;
        st->n = st->refill.n;
        st->class_size = st->refill.bytes;
        st->shown = st->asked;
        st->sorted = 1;
        list_reset(&st->list, st->n);
    }
    st->refill.rows = NULL;
}

/* Stop the refill (if it is still running) and drop what it found. */
static void drop_refill(struct instances_state *st)
{
    job_stop(st->job, st);
    free(st->refill.rows);
    st->refill.rows = NULL;
    st->refilling = 0;
}

/* A set screen whose query is still running: the job slot is the stream's. */
static int streaming(const struct instances_state *st)
{
    return st->stream && st->ended == SET_RUNNING;
}

/* The rows again from get_all order (only the new instances with new_only),
 * sorted as st->asked says: at once for a short list, else in the background.
 * While a set's query runs, later: set_sync refills once it has ended. */
static void refill(struct instances_state *st, const struct view_ctx *ctx)
{
    if (streaming(st))
        return;
    drop_refill(st);
    if (!analysis_ready(ctx->analysis, ANALYSIS_DOMINATORS))
        st->asked.by_retained = 0; /* the analysis restarted: its sizes are gone for now */
    st->refill = (struct refill){
        .heap = ctx->heap, .index = ctx->index, .compare = ctx->compare,
        .retained = st->asked.by_retained ? ctx->analysis->dom.retained : NULL,
        .base = st->base, .nbase = st->nbase, .base_sorted = &st->base_sorted, .order = st->asked,
        .cls = st->asked.class_pick < 0 ? OBJ_NONE : st->classes[st->asked.class_pick],
        .rows = xmalloc((st->nbase ? st->nbase : 1) * sizeof *st->rows, "the instances screen"),
    };
    st->refilling = 1;
    if (st->nbase <= INLINE_ROWS_MAX) {
        collect_rows(&st->refill);
        take_rows(st);
        return;
    }
    job_start(st->job, st, "sorting", run_refill, &st->refill);
    take_rows(st); /* at once when there was no thread for it */
}

static void instances_open(struct view *v, const struct view_ctx *ctx)
{
    struct instances_state *st = xcalloc(1, sizeof *st, "the instances screen");
    const obj_t *objs = query_index_objects(ctx->index, v->spec.type, &st->n);
    st->base = xmalloc((st->n ? st->n : 1) * sizeof *st->base, "the instances screen");
    memcpy(st->base, objs, st->n * sizeof *st->base);
    for (size_t i = 0; i < ctx->summary->n; i++)
        if (ctx->summary->rows[i].type == v->spec.type)
            st->total_size = ctx->summary->rows[i].size;
    st->rows = xmalloc((st->n ? st->n : 1) * sizeof *st->rows, "the instances screen");
    memcpy(st->rows, st->base, st->n * sizeof *st->rows);
    st->nbase = st->n;
    for (size_t i = 0; i < st->n; i++)
        st->n_new += (uint64_t)compare_is_new(ctx->compare, st->base[i]);
    const char *name = types_name(&ctx->heap->types, v->spec.type);
    st->same_name = refs_classes_named(ctx->heap, name, strlen(name), st->classes, CLASSES_MAX);
    st->asked = (struct order){.key = QUERY_GETALL, .class_pick = -1};
    for (size_t k = 0; k < st->same_name && k < CLASSES_MAX; k++)
        if (st->classes[k] == v->spec.obj) /* a types screen row split by class: that class only */
            st->asked.class_pick = (int)k;
    st->shown = st->asked;
    st->job = ctx->job;
    list_reset(&st->list, st->n);
    v->priv = st;
    refill(st, ctx); /* get_all order */
}

static void instances_close(struct view *v)
{
    struct instances_state *st = v->priv;
    drop_refill(st); /* stops the stream too: the job is st's either way */
    if (st->stream)
        set_stream_free(st->stream); /* base with it */
    else
        free(st->base);
    free(st->rows);
    free(st->what);
    free(st);
    v->priv = NULL;
}

/* A job ended (this screen's sort among them). */
static void instances_analysis_changed(struct view *v, const struct view_ctx *ctx, int restarted)
{
    (void)ctx;
    (void)restarted;
    take_rows(v->priv);
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

/* The column the rows are sorted by, or -1 (dump order, a query's order). */
static int sorted_by(const struct instances_state *st)
{
    const struct order *o = &st->shown;
    if (!st->sorted || (st->what && !o->by_retained && o->key == QUERY_GETALL))
        return -1;
    return o->by_retained ? COL_RETAINED : sorted_column(o->key);
}

static void instance_cells(const struct instances_state *st, const struct view_ctx *ctx, size_t i,
                           char num[][VIEW_BYTES_MAX], const char **cells);

static void instances_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct instances_state *st = v->priv;
    list_layout(&st->list, area->height - 1);
    memcpy(st->fit, columns, sizeof st->fit);
    st->dom_ready = analysis_ready(ctx->analysis, ANALYSIS_DOMINATORS);
    st->paths_ready = analysis_ready(ctx->analysis, ANALYSIS_PATHS);
    for (size_t i = st->list.top; i < st->n && i < st->list.top + (size_t)st->list.height; i++) {
        char num[COL_VALUE][VIEW_BYTES_MAX];
        const char *cells[NCOLS];
        instance_cells(st, ctx, i, num, cells);
        columns_grow(st->fit, COL_VALUE, cells);
    }
    for (int c = 0; c < NCOLS; c++)
        st->cols[c] = c != COL_NEW || ctx->compare;
    /* A narrow screen keeps the column the rows are sorted by. */
    columns_fit_sorted(st->fit, NCOLS, area->width, VALUE_MIN_WIDTH, st->cols, sorted_by(st));
}


/* Hops from the nearest root; "..." while the paths are being found, "-"
 * when no path avoids what F and T skip. */
static void dist_cell(const struct analysis *a, int ready, obj_t o, char *cell, size_t size)
{
    if (!ready)
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

/* Row i's numbers, in num (cells points at them); the value is the caller's. */
static void instance_cells(const struct instances_state *st, const struct view_ctx *ctx, size_t i,
                           char num[][VIEW_BYTES_MAX], const char **cells)
{
    const struct heap *h = ctx->heap;
    obj_t o = st->rows[i];
    snprintf(num[COL_ADDRESS], sizeof num[0], "%llu", (unsigned long long)h->addr[o]);
    view_bytes(ctx, heap_size(h, o), num[COL_SIZE]);
    if (st->dom_ready)
        view_bytes(ctx, ctx->analysis->dom.retained[o], num[COL_RETAINED]);
    else
        snprintf(num[COL_RETAINED], sizeof num[0], "...");
    snprintf(num[COL_NEW], sizeof num[0], "%s", compare_is_new(ctx->compare, o) ? draw_glyph(GLYPH_NEW) : "");
    num[COL_LEN][0] = '\0';
    if (h->flags[o] & OF_HAS_LEN)
        snprintf(num[COL_LEN], sizeof num[0], "%llu", (unsigned long long)heap_len(h, o));
    snprintf(num[COL_REFS], sizeof num[0], "%zu", heap_nchildren(h, o));
    snprintf(num[COL_PARENTS], sizeof num[0], "%zu", heap_nparents(h, o));
    dist_cell(ctx->analysis, st->paths_ready, o, num[COL_DIST], sizeof num[0]);
    for (int c = 0; c < COL_VALUE; c++)
        cells[c] = num[c];
}

static void draw_instance(const struct instances_state *st, const struct view_ctx *ctx, size_t i, int y,
                          int width, struct strbuf *value)
{
    const struct heap *h = ctx->heap;
    obj_t o = st->rows[i];
    char num[COL_VALUE][VIEW_BYTES_MAX];
    const char *cells[NCOLS];
    instance_cells(st, ctx, i, num, cells);
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
    draw_cells(y, width, st->fit, NCOLS, st->cols, cells, i == st->list.cursor ? ROLE_CURSOR : ROLE_NORMAL, -1,
               ROLE_NORMAL);
}

static int descending(const struct order *o)
{
    int natural = o->by_retained || (o->key != QUERY_ADDRESS && o->key != QUERY_VALUE);
    return natural != (o->reverse != 0);
}

static void instances_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct instances_state *st = v->priv;
    struct strbuf value;
    sb_init(&value);
    draw_header(area->y, area->width, st->fit, NCOLS, st->cols, sorted_by(st), descending(&st->shown));
    int y = area->y + 1;
    for (size_t i = st->list.top; i < st->n && y < area->y + area->height; i++, y++)
        draw_instance(st, ctx, i, y, area->width, &value);
    sb_free(&value);
}

/* Sort by key from get_all order; asking again for the key in force reverses it. */
static unsigned resort(struct instances_state *st, const struct view_ctx *ctx, enum query_key key, int again)
{
    struct order *o = &st->asked;
    o->reverse = (!o->by_retained && key == o->key && again) ? !o->reverse : 0;
    o->key = key;
    o->by_retained = 0;
    refill(st, ctx);
    return VIEW_HANDLED;
}

/* resort() by retained size, once the analysis has it. */
static unsigned resort_retained(struct instances_state *st, const struct view_ctx *ctx, struct view_result *res)
{
    if (!analysis_ready(ctx->analysis, ANALYSIS_DOMINATORS))
        return view_say(res, 0, "retained sizes are still being computed; R sorts once they are there");
    st->asked.reverse = st->asked.by_retained ? !st->asked.reverse : 0;
    st->asked.by_retained = 1;
    refill(st, ctx);
    return VIEW_HANDLED;
}

static unsigned toggle_new_only(struct instances_state *st, const struct view_ctx *ctx, struct view_result *res)
{
    if (!ctx->compare)
        return view_say(res, 1, "not comparing: heapwalk OLD NEW compares two dumps of one process");
    st->asked.new_only = !st->asked.new_only;
    refill(st, ctx);
    if (st->asked.new_only)
        return view_say(res, 0, "the %llu new instances (+: all)", (unsigned long long)st->n_new);
    return view_say(res, 0, "all instances, new ones marked %s", draw_glyph(GLYPH_NEW));
}

/* C: the instances of each class that has the type's name in turn, then all. */
static unsigned next_class(struct instances_state *st, const struct view_ctx *ctx, struct view_result *res)
{
    if (st->same_name < 2)
        return view_say(res, 1, "one class has this name: nothing to split");
    size_t known = st->same_name < CLASSES_MAX ? st->same_name : CLASSES_MAX;
    int pick = st->asked.class_pick + 1 < (int)known ? st->asked.class_pick + 1 : -1;
    st->asked.class_pick = pick;
    refill(st, ctx);
    if (pick < 0)
        return view_say(res, 0, "the instances of all %zu classes with this name", st->same_name);
    struct strbuf sb;
    sb_init(&sb);
    refs_class_qualified_name(ctx->heap, st->classes[pick], &sb);
    if (st->refilling)
        view_say(res, 0, "only class %s (C: the next class)", sb_cstr(&sb));
    else
        view_say(res, 0, "only class %s: %zu instances (C: the next class)", sb_cstr(&sb), st->n);
    sb_free(&sb);
    return VIEW_HANDLED | VIEW_SAY;
}

static unsigned instances_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct instances_state *st = v->priv;
    take_rows(st);
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

static const char *const sort_names[] = {
    [QUERY_GETALL] = "get_all order (size, refs, parents)",
    [QUERY_ADDRESS] = "address",
    [QUERY_SIZE] = "size",
    [QUERY_LEN] = "len",
    [QUERY_REFS] = "refs",
    [QUERY_PARENTS] = "parents",
    [QUERY_VALUE] = "value",
};

static void instances_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct instances_state *st = v->priv;
    const char *name = types_name(&ctx->heap->types, v->spec.type);
    const struct order *o = &st->asked;
    if (o->new_only)
        sb_printf(out, "New instances of %s: %zu of %zu, ", name, st->n, st->nbase);
    else if (ctx->compare)
        sb_printf(out, "Instances of %s: %zu (%llu new), ", name, st->n, (unsigned long long)st->n_new);
    else if (o->class_pick >= 0) {
        sb_adds(out, "Instances of ");
        refs_class_qualified_name(ctx->heap, st->classes[o->class_pick], out);
        sb_printf(out, ": %zu of the %zu named %s, ", st->n, st->nbase, name);
    } else
        sb_printf(out, "Instances of %s: %zu, ", name, st->n);
    if (!o->new_only) {
        view_add_bytes(ctx, o->class_pick >= 0 ? st->class_size : st->total_size, out);
        sb_adds(out, ", ");
    }
    if (!st->sorted && !st->refilling) {
        sb_adds(out, "in dump order (o sorts)"); /* Esc stopped the first sort */
        return;
    }
    if (o->by_retained)
        sb_adds(out, "by retained size");
    else
        sb_printf(out, "%s%s", o->key == QUERY_GETALL ? "in " : "by ", sort_names[o->key]);
    sb_adds(out, o->reverse ? " (reversed)" : "");
    sb_adds(out, st->refilling ? " (sorting...)" : "");
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

/* --- a set screen: the same list, over a set's objects --- */

static int same_order(const struct order *a, const struct order *b)
{
    return a->key == b->key && a->by_retained == b->by_retained && a->new_only == b->new_only &&
           a->class_pick == b->class_pick && a->reverse == b->reverse;
}

/* Take the set's objects base[nbase..upto) into the rows (in the query's
 * order: while the query runs nothing else is shown). */
static void take_arrivals(struct instances_state *st, const struct view_ctx *ctx, size_t upto)
{
    for (size_t i = st->nbase; i < upto; i++) {
        obj_t o = st->base[i];
        st->total_size += heap_size(ctx->heap, o);
        st->n_new += (uint64_t)compare_is_new(ctx->compare, o);
        if (row_kept(ctx->heap, ctx->compare, st->shown.new_only, OBJ_NONE, o))
            st->rows[st->n++] = o;
    }
    st->nbase = upto;
    list_set_count(&st->list, st->n);
}

/* A set's objects in the query's order: a copy, or the stream's array,
 * filled as the job goes (the rows array has room for them all). */
static void set_open(struct view *v, const struct view_ctx *ctx)
{
    const struct set_source *src = v->spec.set;
    const struct heap *h = ctx->heap;
    struct instances_state *st = xcalloc(1, sizeof *st, "the set screen");
    v->priv = st;
    st->what = xstrdup(src->what, "the set screen");
    st->show_holder = src->show_holder;
    st->asked = (struct order){.key = QUERY_GETALL, .class_pick = -1};
    st->shown = st->asked;
    st->sorted = 1;      /* the query's order is the first one */
    st->base_sorted = 1; /* ... and a sort's ties stay in it */
    st->job = ctx->job;
    st->stream = src->stream;
    list_reset(&st->list, 0);
    if (!st->stream) {
        st->ended = SET_DONE;
        st->base = xmalloc((src->n ? src->n : 1) * sizeof *st->base, "the set screen");
        memcpy(st->base, src->objs, src->n * sizeof *st->base);
        st->rows = xmalloc((src->n ? src->n : 1) * sizeof *st->rows, "the set screen");
        take_arrivals(st, ctx, src->n);
        return;
    }
    st->ended = SET_RUNNING;
    st->base = st->stream->objs;
    st->rows = xmalloc((h->n ? h->n : 1) * sizeof *st->rows, "the set screen");
    job_start(st->job, st, "running the query", set_stream_run, st->stream);
    /* The first screenful before the first draw, when it comes quickly. */
    for (int k = 0; k < 100 && set_stream_count(st->stream) < 256 && set_stream_state(st->stream) == SET_RUNNING;
         k++)
        nanosleep(&(struct timespec){0, 1000000}, NULL);
}

/* Take what the query found since the last look; once it has ended, close
 * SQLite's side and sort the rows as asked meanwhile -- unless another
 * screen's job has the slot now (it stopped the query): then the order
 * shown stays, as when Esc stops a sort. */
static void set_sync(struct instances_state *st, const struct view_ctx *ctx)
{
    if (!streaming(st))
        return;
    int over = !job_busy(st->job, st); /* ended, or stopped for another job */
    take_arrivals(st, ctx, set_stream_count(st->stream));
    if (!over)
        return;
    st->ended = set_stream_state(st->stream);
    if (st->ended == SET_RUNNING)
        st->ended = SET_STOPPED;
    set_stream_finish(st->stream);
    if (same_order(&st->asked, &st->shown))
        return;
    if (job_busy(st->job, NULL))
        st->asked = st->shown;
    else
        refill(st, ctx);
}

static void set_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    set_sync(v->priv, ctx);
    instances_layout(v, ctx, area);
}

static void set_analysis_changed(struct view *v, const struct view_ctx *ctx, int restarted)
{
    set_sync(v->priv, ctx);
    instances_analysis_changed(v, ctx, restarted);
}

static unsigned set_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct instances_state *st = v->priv;
    set_sync(st, ctx);
    if (a == ACT_SPLIT_CLASS)
        return view_say(res, 1, "C splits one type's instances by class; on a set, %% lists its types");
    unsigned r = instances_key(v, ctx, a, res);
    if (streaming(st) && !same_order(&st->asked, &st->shown) && !(r & VIEW_SAY))
        return view_say(res, 0, "the query is still running: its rows are sorted once it ends (Esc ends it)");
    return r;
}

static const char *set_what(const struct view *v)
{
    const struct instances_state *st = v->priv;
    return st->what;
}

static void set_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct instances_state *st = v->priv;
    const struct order *o = &st->asked;
    sb_adds(out, "Set ");
    hw_sb_escaped(out, st->what, strlen(st->what));
    sb_printf(out, ": %zu%s", st->nbase, st->ended == SET_RUNNING ? " so far" : "");
    if (st->n != st->nbase)
        sb_printf(out, " (%zu shown)", st->n);
    if (ctx->compare)
        sb_printf(out, " (%llu new)", (unsigned long long)st->n_new);
    sb_adds(out, ", ");
    view_add_bytes(ctx, st->total_size, out);
    if (st->ended == SET_STOPPED)
        sb_adds(out, ", stopped");
    else if (st->ended == SET_FAILED)
        sb_printf(out, ", the query failed: %s", st->stream->err.msg);
    if (st->ended != SET_RUNNING && st->stream && st->stream->skipped)
        sb_printf(out, ", %llu rows named no object", (unsigned long long)st->stream->skipped);
    if (o->new_only && !st->shown.new_only)
        sb_adds(out, ", only the new ones");
    if (o->by_retained)
        sb_adds(out, ", by retained size");
    else if (o->key == QUERY_GETALL)
        sb_adds(out, st->stream ? ", in query order" : ", in list order");
    else
        sb_printf(out, ", by %s", sort_names[o->key]);
    sb_adds(out, o->reverse ? " (reversed)" : "");
    if (streaming(st) && !same_order(o, &st->shown))
        sb_adds(out, " (once the query ends)");
    sb_adds(out, st->refilling ? " (sorting...)" : "");
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
    .analysis_changed = instances_analysis_changed,
    .list = instances_list,
    .row = instances_row,
    .why_pane = 1,
    .search = view_search_rows,
};

static const struct action_hint set_hints[] = {
    HINT(OPEN, "open"), HINT(SET_TYPES, "types"), HINT(SET_HOLDERS, "holders"), HINT(NAME_SET, "name"),
    HINT(HELP, "help"), HINTS_END,
};

const struct view_ops view_set_ops = {
    .name = "set",
    .hints = set_hints,
    .open = set_open,
    .close = instances_close,
    .layout = set_layout,
    .draw = instances_draw,
    .key = set_key,
    .title = set_title,
    .analysis_changed = set_analysis_changed,
    .set_what = set_what,
    .list = instances_list,
    .row = instances_row,
    .why_pane = 1,
    .search = view_search_rows,
};
