/* why.c: the why-alive pane, and the path text it shares with the path
 * screen and the object inspector (see why.h). */
#include "why.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/paths.h"
#include "../src/refs.h"

/* The repr's value is cut where `heapwalk path` cuts it. */
#define HOP_VALUE_MAX 60
/* Below this many rows the list above keeps the whole area. */
#define WHY_MIN_AREA 12
/* The pane's rows besides the hops: its title and the expression. */
#define WHY_EXTRA_ROWS 2
/* The hops the pane makes room for until the longest path is known. */
#define WHY_GUESS_HOPS 6

void why_init(struct why_pane *w)
{
    memset(w, 0, sizeof *w);
    w->target = OBJ_NONE;
}

void why_free(struct why_pane *w)
{
    free(w->path);
    why_init(w);
}

int why_rows(const struct why_pane *w, const struct view_ctx *ctx, int height)
{
    if (!w->shown || height < WHY_MIN_AREA)
        return 0;
    /* As tall as the longest path needs, so that the pane keeps its size
     * while the selection moves; until that is known, a guess. */
    int want = WHY_GUESS_HOPS + WHY_EXTRA_ROWS;
    if (analysis_ready(ctx->analysis, ANALYSIS_PATHS)) {
        uint32_t longest = ctx->analysis->paths.max_dist;
        want = longest < (uint32_t)height ? (int)longest + 1 + WHY_EXTRA_ROWS : height;
    }
    if (want < 1 + WHY_EXTRA_ROWS)
        want = 1 + WHY_EXTRA_ROWS;
    return want < height / 2 ? want : height / 2;
}

void why_refresh(struct why_pane *w, int restarted)
{
    if (restarted || !w->ready)
        w->stale = 1;
}

void why_update(struct why_pane *w, const struct view_ctx *ctx, obj_t target, int rows)
{
    const struct analysis *a = ctx->analysis;
    if (target != w->target || w->stale) {
        int ready = analysis_ready(a, ANALYSIS_PATHS);
        free(w->path);
        w->path = NULL;
        w->len = 0;
        w->target = target;
        w->ready = ready;
        w->stale = 0;
        if (ready && target != OBJ_NONE)
            w->path = paths_get(&a->paths, target, &w->len);
        list_reset(&w->list, w->len);
    }
    list_layout(&w->list, rows - WHY_EXTRA_ROWS > 1 ? rows - WHY_EXTRA_ROWS : 1);
}

void why_draw(const struct why_pane *w, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct heap *h = ctx->heap;
    const struct analysis *a = ctx->analysis;
    int y = area->y, end = area->y + area->height;
    struct strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, "Why alive");
    if (w->target != OBJ_NONE) /* whose path: the pane follows the selected row */
        sb_printf(&sb, ": %s at 0x%llx", heap_type_name(h, w->target), (unsigned long long)h->addr[w->target]);
    if (w->path) {
        sb_adds(&sb, w->target != OBJ_NONE ? ", " : ": ");
        why_path_summary(h, &a->roots, w->len, w->path[0], &sb);
    }
    if (w->focus && w->path)
        sb_printf(&sb, " (hop %zu/%zu; W: keys back to the list)", w->list.cursor + 1, w->len);
    else
        sb_adds(&sb, w->focus ? " (W: keys back to the list)" : " (W: walk it)");
    draw_rule(y++, area->width, sb_cstr(&sb), w->focus ? ROLE_PANE_ACTIVE : ROLE_PANE);
    const char *note = NULL;
    if (!w->ready)
        note = analysis_status(a);
    else if (w->target == OBJ_NONE)
        note = "no object on this row";
    else if (!w->path)
        note = "no path from a root avoids what F and T skip";
    if (note) {
        draw_row(y, area->width, note, ROLE_NOTE);
        sb_free(&sb);
        return;
    }
    const struct list *l = &w->list;
    for (size_t k = l->top; k < w->len && k < l->top + (size_t)l->height && y < end; k++, y++)
        why_draw_hop(y, area->width, h, w->path, w->len, k, w->focus && k == l->cursor ? ROLE_CURSOR : ROLE_NORMAL);
    if (y < end) {
        sb_reset(&sb);
        sb_adds(&sb, "  ");
        why_expression(h, &a->roots, w->path, w->len, (size_t)area->width * 4, &sb);
        draw_row(y++, area->width, sb_cstr(&sb), ROLE_NORMAL);
    }
    const char *root_note = why_root_note(h, &a->roots, w->path[0]);
    if (y < end && root_note && a->roots.kind[w->path[0]] == ROOT_STRUCTURAL)
        draw_row(y, area->width, root_note, ROLE_NOTE);
    sb_free(&sb);
}

unsigned why_key(struct why_pane *w, enum action a, struct view_result *res)
{
    if (list_move(&w->list, a))
        return VIEW_HANDLED;
    if (a != ACT_OPEN && a != ACT_RIGHT)
        return VIEW_IGNORED;
    if (!w->path)
        return view_say(res, 1, "no hop to open");
    res->open = (struct view_spec){VIEW_OBJECT, 0, w->path[w->list.cursor], NULL};
    return VIEW_OPEN;
}

obj_t why_focused(const struct why_pane *w)
{
    return w->focus && w->path ? w->path[w->list.cursor] : OBJ_NONE;
}

/* --- shared text --- */

void why_draw_hop(int y, int width, const struct heap *h, const obj_t *path, size_t len, size_t k, enum role r)
{
    struct strbuf head, tail;
    sb_init(&head);
    sb_init(&tail);
    sb_printf(&head, "%4zu  ", k);
    refs_repr(h, path[k], HOP_VALUE_MAX, &head);
    if (k + 1 < len) {
        sb_adds(&tail, "  -> ");
        paths_edge_label(h, path[k], path[k + 1], &tail);
    }
    /* The label says why the hop holds the next one: it keeps its room and
     * the repr gives way, unless the label alone would fill the row. */
    int tail_width = tail.len ? draw_width(tail.buf, tail.len) : 0;
    int head_room = width - tail_width;
    if (head_room < width / 2)
        head_room = width;
    int x = draw_text(y, 0, head_room, head.buf, head.len, r);
    if (tail.len && x < width)
        x += draw_text(y, x, width - x, tail.buf, tail.len, r);
    draw_fill(y, x, width - x, r);
    sb_free(&head);
    sb_free(&tail);
}

void why_expression(const struct heap *h, const struct roots *r, const obj_t *path, size_t len, size_t max,
                    struct strbuf *out)
{
    if (!len)
        return;
    size_t start = out->len;
    paths_root_label(h, r, path[0], out);
    for (size_t k = 1; k < len; k++) {
        if (out->len - start > max) {
            sb_adds(out, "…");
            return;
        }
        paths_edge_label(h, path[k - 1], path[k], out);
    }
}

void why_path_summary(const struct heap *h, const struct roots *r, size_t len, obj_t root, struct strbuf *out)
{
    sb_printf(out, "%zu hop%s from a %s root", len - 1, len == 2 ? "" : "s",
              roots_kind_name((enum root_kind)r->kind[root]));
}

const char *why_root_note(const struct heap *h, const struct roots *r, obj_t o)
{
    switch ((enum root_kind)r->kind[o]) {
    case ROOT_MODULE: return "the root is a module: modules are anchors (sys.modules holds them)";
    case ROOT_FRAME: return "the root is a frame no other frame refers to: a thread's current frame";
    case ROOT_PINNED: return "the root is pinned (P unpins it)";
    case ROOT_STRUCTURAL:
        if (heap_nparents(h, o) == 0)
            return "orphan candidate: no parent, not an anchor (C code holds it, or a leaked ref)";
        return "the root is structural: only objects it reaches refer to it (a cycle nothing else holds)";
    default: return NULL;
    }
}

void why_distance(const struct view_ctx *ctx, obj_t o, struct strbuf *out)
{
    const struct analysis *a = ctx->analysis;
    if (!analysis_ready(a, ANALYSIS_PATHS))
        return;
    const struct paths *p = &a->paths;
    if (p->dist[o] == PATH_UNREACHED) {
        sb_adds(out, ", no path avoids what F and T skip");
        return;
    }
    obj_t root = o;
    while (p->pred[root] != OBJ_NONE)
        root = p->pred[root];
    sb_printf(out, ", distance %u from a %s root", (unsigned)p->dist[o],
              roots_kind_name((enum root_kind)a->roots.kind[root]));
}
