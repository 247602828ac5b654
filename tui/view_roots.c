/* view_roots.c: the roots paths start from, and the orphan candidates, as
 * `heapwalk roots` tells them apart: first the anchors (pinned objects, then
 * modules and frames no other frame refers to), then the orphan candidates
 * (structural roots with no parent at all: held from C code, or leaked),
 * then the other structural roots (one object for each cycle nothing else
 * holds).  A row per root, its kind and its repr; Enter opens it.  The rows
 * come from the analysis' roots, and again when it restarts (analysis_changed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/refs.h"
#include "../src/roots.h"
#include "draw.h"
#include "view.h"

#define KIND_WIDTH 11

struct roots_state {
    obj_t *rows;             /* anchors (pinned first), orphan candidates, other structural roots (owned) */
    size_t n, n_pinned, n_anchor, n_orphan;
    int built;               /* rows were made from the analysis' roots */
    struct list list;
};

static int is_orphan(const struct heap *h, const struct roots *r, obj_t o)
{
    return r->kind[o] == ROOT_STRUCTURAL && heap_nparents(h, o) == 0;
}

static void build_rows(struct roots_state *st, const struct view_ctx *ctx)
{
    const struct heap *h = ctx->heap;
    const struct roots *r = &ctx->analysis->roots;
    free(st->rows);
    st->rows = xmalloc((r->n ? r->n : 1) * sizeof *st->rows, "the roots screen");
    st->n = 0;
    /* The pinned ones first: the user just chose them. */
    for (size_t k = 0; k < r->n_anchor; k++)
        if (r->kind[r->list[k]] == ROOT_PINNED)
            st->rows[st->n++] = r->list[k];
    st->n_pinned = st->n;
    for (size_t k = 0; k < r->n_anchor; k++)
        if (r->kind[r->list[k]] != ROOT_PINNED)
            st->rows[st->n++] = r->list[k];
    st->n_anchor = st->n;
    for (size_t k = r->n_anchor; k < r->n; k++)
        if (is_orphan(h, r, r->list[k]))
            st->rows[st->n++] = r->list[k];
    st->n_orphan = st->n - st->n_anchor;
    for (size_t k = r->n_anchor; k < r->n; k++)
        if (!is_orphan(h, r, r->list[k]))
            st->rows[st->n++] = r->list[k];
    st->built = 1;
    list_reset(&st->list, st->n);
}

/* Make the rows if the roots have arrived (or been found again) since. */
static void catch_up(struct roots_state *st, const struct view_ctx *ctx)
{
    if (!st->built && analysis_ready(ctx->analysis, ANALYSIS_ROOTS))
        build_rows(st, ctx);
}

static void roots_open(struct view *v, const struct view_ctx *ctx)
{
    struct roots_state *st = xcalloc(1, sizeof *st, "the roots screen");
    v->priv = st;
    catch_up(st, ctx);
}

static void roots_close(struct view *v)
{
    struct roots_state *st = v->priv;
    free(st->rows);
    free(st);
    v->priv = NULL;
}

/* After a restart the rows are not the roots the analysis has now (pins
 * change them): none until the new roots are there. */
static void roots_analysis_changed(struct view *v, const struct view_ctx *ctx, int restarted)
{
    struct roots_state *st = v->priv;
    if (restarted) {
        st->built = 0;
        st->n = 0;
        list_reset(&st->list, 0);
    }
    catch_up(st, ctx);
}

static void roots_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct roots_state *st = v->priv;
    list_layout(&st->list, area->height);
}

static const char *row_kind(const struct roots_state *st, const struct roots *r, size_t i)
{
    if (i >= st->n_anchor && i < st->n_anchor + st->n_orphan)
        return "orphan";
    return roots_kind_name((enum root_kind)r->kind[st->rows[i]]);
}

static void roots_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct roots_state *st = v->priv;
    const struct analysis *a = ctx->analysis;
    if (!st->built) {
        const char *busy = analysis_status(a);
        draw_row(area->y, area->width, busy ? busy : "finding roots...", ROLE_NOTE);
        return;
    }
    const struct list *l = &st->list;
    struct strbuf sb;
    sb_init(&sb);
    for (size_t i = l->top; i < st->n && i < l->top + (size_t)l->height; i++) {
        sb_reset(&sb);
        sb_printf(&sb, "%-*s", KIND_WIDTH, row_kind(st, &a->roots, i));
        refs_repr(ctx->heap, st->rows[i], (size_t)area->width * 4, &sb);
        draw_row(area->y + (int)(i - l->top), area->width, sb_cstr(&sb), i == l->cursor ? ROLE_CURSOR : ROLE_NORMAL);
    }
    sb_free(&sb);
}

static unsigned roots_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct roots_state *st = v->priv;
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    if (a != ACT_OPEN)
        return view_key_default(a, res);
    if (st->n == 0)
        return view_say(res, 1, "no root to open");
    res->open = (struct view_spec){VIEW_OBJECT, 0, st->rows[st->list.cursor], NULL};
    return VIEW_OPEN;
}

static void roots_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct roots_state *st = v->priv;
    if (!st->built) {
        sb_adds(out, "Roots");
        return;
    }
    sb_printf(out, "Roots: %zu anchors", st->n_anchor);
    if (st->n_pinned)
        sb_printf(out, ", %zu pinned", st->n_pinned);
    sb_printf(out, "; %zu structural, %zu orphan candidates", st->n - st->n_anchor, st->n_orphan);
}

static struct list *roots_list(const struct view *v)
{
    struct roots_state *st = v->priv;
    return &st->list;
}

static obj_t roots_row(const struct view *v, const struct view_ctx *ctx, size_t i)
{
    const struct roots_state *st = v->priv;
    return st->rows[i];
}

static const struct action_hint roots_hints[] = {
    HINT(OPEN, "open"), HINT(PATH, "paths"), HINT(WHY, "why"), HINT(HELP, "help"), HINTS_END,
};

const struct view_ops view_roots_ops = {
    .name = "roots",
    .hints = roots_hints,
    .open = roots_open,
    .close = roots_close,
    .analysis_changed = roots_analysis_changed,
    .layout = roots_layout,
    .draw = roots_draw,
    .key = roots_key,
    .title = roots_title,
    .list = roots_list,
    .row = roots_row,
    .why_pane = 1,
    .search = view_search_rows,
};
