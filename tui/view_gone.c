/* view_gone.c: compare mode: the gone objects, those of the old dump that
 * the new one does not have (matched on address and type, as diff.h says),
 * the types with the most gone bytes first, each type's largest first: the
 * rows `heapwalk diff --gone` prints.  They live in the old dump only, so
 * no row stands for an object of the explorer's (new) dump: Enter and the
 * why-alive pane have nothing to show, and / searches their reprs.
 *
 * Listing them sorts every gone object (a tenth of a second for 2M, more
 * on a busy machine), so it runs as a job (job.h): the screen says it is
 * listing them, the status line "listing gone objects... (Esc stops)". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/refs.h"
#include "compare.h"
#include "draw.h"
#include "job.h"
#include "view.h"

enum { COL_SIZE, COL_ADDRESS, COL_OBJECT, NCOLS };

static const struct column columns[NCOLS] = {
    [COL_SIZE] = {"Size", 10, 0, 2, 0},
    [COL_ADDRESS] = {"Address", 14, 1, 1, 1}, /* never cut: shown whole or not at all */
    [COL_OBJECT] = {"Object (in the old dump)", 0, 2, 10, 1},
};
#define OBJECT_MIN_WIDTH 20

/* The listing: what the job reads (set before it starts) and writes (read
 * once it is over). */
struct gone_listing {
    const struct heap *old;
    const struct diff *diff;
    obj_t *rows;             /* out: owned until the screen takes them */
    size_t n;
    int cancelled;           /* out: stopped before it began: no rows */
};

struct gone_state {
    obj_t *rows;             /* objects of the old dump (diff_gone_objects); NULL until listed */
    size_t n;
    int listing;             /* listing is the job's, or has rows not taken yet */
    int stopped;             /* Esc stopped the listing: no rows */
    struct gone_listing listed;
    struct job *job;
    struct list list;
    unsigned char cols[NCOLS];
};

static void run_listing(void *arg, const atomic_int *cancel)
{
    struct gone_listing *g = arg;
    g->cancelled = atomic_load(cancel) != 0; /* the sort cannot stop halfway; it is short */
    if (!g->cancelled)
        g->rows = diff_gone_objects(g->old, g->diff, &g->n);
}

/* The listing has ended: show its rows. */
static void take_rows(struct gone_state *st)
{
    if (!st->listing || job_busy(st->job, st))
        return;
    st->listing = 0;
    st->stopped = st->listed.cancelled;
    st->rows = st->listed.rows;
    st->n = st->listed.n;
    st->listed.rows = NULL;
    list_reset(&st->list, st->n);
}

static void gone_open(struct view *v, const struct view_ctx *ctx)
{
    struct gone_state *st = xcalloc(1, sizeof *st, "the gone objects screen");
    st->job = ctx->job;
    st->listed = (struct gone_listing){.old = &ctx->compare->old, .diff = &ctx->compare->diff};
    st->listing = 1;
    list_reset(&st->list, 0);
    v->priv = st;
    job_start(st->job, st, "listing gone objects", run_listing, &st->listed);
    take_rows(st); /* at once when there was no thread for it */
}

static void gone_close(struct view *v)
{
    struct gone_state *st = v->priv;
    job_stop(st->job, st);
    free(st->listed.rows);
    free(st->rows);
    free(st);
    v->priv = NULL;
}

/* A job ended (this screen's listing among them). */
static void gone_analysis_changed(struct view *v, const struct view_ctx *ctx, int restarted)
{
    take_rows(v->priv);
}

static void gone_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct gone_state *st = v->priv;
    columns_fit(columns, NCOLS, area->width, OBJECT_MIN_WIDTH, st->cols);
    list_layout(&st->list, area->height - 1);
}

static void gone_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct gone_state *st = v->priv;
    const struct heap *old = &ctx->compare->old;
    draw_header(area->y, area->width, columns, NCOLS, st->cols, -1, 1);
    if (st->listing || st->stopped) {
        draw_row(area->y + 1, area->width,
                 st->listing ? "Listing the gone objects, by type, the largest first..."
                             : "Esc stopped the listing: Backspace, then - lists the gone objects again.",
                 ROLE_NOTE);
        return;
    }
    if (st->n == 0) {
        draw_row(area->y + 1, area->width, "Nothing is gone: the new dump has every object of the old one.",
                 ROLE_NOTE);
        return;
    }
    struct strbuf repr;
    sb_init(&repr);
    int y = area->y + 1;
    for (size_t i = st->list.top; i < st->n && y < area->y + area->height; i++, y++) {
        obj_t o = st->rows[i];
        char num[COL_OBJECT][VIEW_BYTES_MAX];
        view_bytes(ctx, heap_size(old, o), num[COL_SIZE]);
        snprintf(num[COL_ADDRESS], sizeof num[0], "0x%llx", (unsigned long long)old->addr[o]);
        sb_reset(&repr);
        refs_repr(old, o, (size_t)area->width * 4, &repr);
        const char *cells[NCOLS] = {num[COL_SIZE], num[COL_ADDRESS], sb_cstr(&repr)};
        draw_cells(y, area->width, columns, NCOLS, st->cols, cells,
                   i == st->list.cursor ? ROLE_CURSOR : ROLE_NORMAL, -1, ROLE_NORMAL);
    }
    sb_free(&repr);
}

static unsigned gone_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct gone_state *st = v->priv;
    take_rows(st);
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    if (a == ACT_OPEN || a == ACT_RIGHT)
        return view_say(res, 1, "gone: it is in the old dump only, and the explorer shows the new one");
    return view_key_default(a, res);
}

static void gone_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct diff *d = &ctx->compare->diff;
    sb_printf(out, "Gone objects (in the old dump, not the new): %llu, ", (unsigned long long)d->n_gone);
    view_add_bytes(ctx, d->gone_bytes, out);
}

static struct list *gone_list(const struct view *v)
{
    struct gone_state *st = v->priv;
    return &st->list;
}

struct gone_search {
    const struct gone_state *st;
    const struct heap *old;
    const struct query_match *m;
    struct strbuf *repr;     /* one buffer for every row a step looks at */
};

/* The needle in the row's repr (type, address, value or name). */
static int gone_matches(const void *arg, size_t i)
{
    const struct gone_search *gs = arg;
    sb_reset(gs->repr);
    refs_repr(gs->old, gs->st->rows[i], 0, gs->repr);
    return query_match_text(gs->m, sb_cstr(gs->repr), gs->repr->len);
}

static enum list_found gone_search(struct view *v, const struct view_ctx *ctx, const struct query_match *m,
                                   struct list_search *s)
{
    struct gone_state *st = v->priv;
    struct strbuf repr;
    sb_init(&repr);
    struct gone_search gs = {st, &ctx->compare->old, m, &repr};
    enum list_found found = list_search_step(&st->list, s, gone_matches, &gs);
    sb_free(&repr);
    return found;
}

static const struct action_hint gone_hints[] = {
    HINT(SEARCH, "search"), HINT(BACK, "back"), HINT(HELP, "help"), HINTS_END,
};

const struct view_ops view_gone_ops = {
    .name = "gone",
    .hints = gone_hints,
    .open = gone_open,
    .close = gone_close,
    .analysis_changed = gone_analysis_changed,
    .layout = gone_layout,
    .draw = gone_draw,
    .key = gone_key,
    .title = gone_title,
    .list = gone_list,
    .search = gone_search,
};
