/* view_threads.c: the threads of the dump, as `heapwalk threads` lists them
 * (threads.h): a row per thread, then a row per frame of its stack (innermost
 * first, "handle():88"), then a row per local of that frame by name, each with
 * what it retains (the dominator tree, once the background analysis has it;
 * "..." until then).  A dump without threads (meliae's, where frames are
 * objects) shows one "thread unknown" stack per frame root.  Enter opens the
 * thread, frame or local's object.  The stacks come from the analysis' roots,
 * and again when it restarts (analysis_changed). */
#include <stdio.h>
#include <stdlib.h>

#include "../src/escape.h"
#include "../src/positions.h"
#include "../src/refs.h"
#include "../src/threads.h"
#include "draw.h"
#include "view.h"

#define RETAINED_WIDTH 12

enum row_kind { ROW_THREAD, ROW_FRAME, ROW_LOCAL };

struct thread_row {
    enum row_kind kind;
    size_t stack, frame, local; /* indexes into the threads, the stack, the frame's locals */
};

struct threads_state {
    struct threads threads;
    struct thread_row *rows; /* owned */
    size_t n;
    int built;               /* threads and rows were made from the analysis' roots */
    struct list list;
};

static void add_row(struct threads_state *st, size_t *cap, enum row_kind kind, size_t stack, size_t frame,
                    size_t local)
{
    if (st->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        st->rows = xrealloc(st->rows, *cap * sizeof *st->rows, "the threads screen");
    }
    st->rows[st->n++] = (struct thread_row){kind, stack, frame, local};
}

static void drop_rows(struct threads_state *st)
{
    if (st->built)
        threads_free(&st->threads);
    free(st->rows);
    st->rows = NULL;
    st->n = 0;
    st->built = 0;
    list_reset(&st->list, 0);
}

static void build_rows(struct threads_state *st, const struct view_ctx *ctx)
{
    const struct heap *h = ctx->heap;
    size_t cap = 0;
    threads_compute(h, &ctx->analysis->roots, &st->threads);
    st->built = 1;
    for (size_t s = 0; s < st->threads.n; s++) {
        const struct thread_stack *t = &st->threads.list[s];
        add_row(st, &cap, ROW_THREAD, s, 0, 0);
        for (size_t f = 0; f < t->nframes; f++) {
            add_row(st, &cap, ROW_FRAME, s, f, 0);
            size_t nloc = positions_frame_locals(h, t->frames[f]);
            for (size_t q = 0; q < nloc; q++)
                add_row(st, &cap, ROW_LOCAL, s, f, q);
        }
    }
    list_reset(&st->list, st->n);
}

static void catch_up(struct threads_state *st, const struct view_ctx *ctx)
{
    if (!st->built && analysis_ready(ctx->analysis, ANALYSIS_ROOTS))
        build_rows(st, ctx);
}

static void threads_open(struct view *v, const struct view_ctx *ctx)
{
    struct threads_state *st = xcalloc(1, sizeof *st, "the threads screen");
    v->priv = st;
    catch_up(st, ctx);
}

static void threads_close(struct view *v)
{
    struct threads_state *st = v->priv;
    drop_rows(st);
    free(st);
    v->priv = NULL;
}

/* Pins change the roots, and with them the frame roots of a dump without
 * threads: the stacks are made again once the new roots are there. */
static void threads_analysis_changed(struct view *v, const struct view_ctx *ctx, int restarted)
{
    struct threads_state *st = v->priv;
    if (restarted)
        drop_rows(st);
    catch_up(st, ctx);
}

static void threads_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct threads_state *st = v->priv;
    list_layout(&st->list, area->height - 1);
}

/* The object a row stands for: the thread, the frame, the local's value
 * (a dangling ref for a local whose value is not in the dump). */
static uint32_t row_entry(const struct threads_state *st, const struct heap *h, size_t i)
{
    const struct thread_row *r = &st->rows[i];
    const struct thread_stack *t = &st->threads.list[r->stack];
    if (r->kind == ROW_THREAD)
        return t->thread;
    if (r->kind == ROW_FRAME)
        return t->frames[r->frame];
    uint32_t value, name;
    threads_local(h, t->frames[r->frame], r->local, &value, &name);
    return value;
}

static void thread_text(const struct heap *h, const struct thread_stack *t, struct strbuf *out)
{
    threads_title(h, t, out);
    if (t->thread == OBJ_NONE)
        sb_printf(out, " (%zu frame%s from a frame root)", t->nframes, t->nframes == 1 ? "" : "s");
    else
        sb_printf(out, "  ident %llu, %zu frame%s", (unsigned long long)h->addr[t->thread], t->nframes,
                  t->nframes == 1 ? "" : "s");
}

static void local_text(const struct heap *h, obj_t frame, size_t q, size_t max, struct strbuf *out)
{
    uint32_t value, name;
    threads_local(h, frame, q, &value, &name);
    size_t len;
    const char *s = heap_is_dangling(name) ? NULL : heap_str(h, name, &len);
    sb_adds(out, "      ");
    if (s)
        hw_sb_escaped(out, s, len);
    else
        sb_adds(out, "?");
    sb_adds(out, " = ");
    refs_child_repr(h, value, max, out);
}

static void row_text(const struct threads_state *st, const struct heap *h, size_t i, size_t max,
                     struct strbuf *out)
{
    const struct thread_row *r = &st->rows[i];
    const struct thread_stack *t = &st->threads.list[r->stack];
    switch (r->kind) {
    case ROW_THREAD: thread_text(h, t, out); break;
    case ROW_FRAME:
        sb_printf(out, "  #%zu ", r->frame);
        positions_frame_label(h, t->frames[r->frame], out);
        break;
    case ROW_LOCAL: local_text(h, t->frames[r->frame], r->local, max, out); break;
    }
}

static void retained_cell(const struct view_ctx *ctx, uint32_t e, struct strbuf *out)
{
    const struct analysis *an = ctx->analysis;
    if (e == OBJ_NONE || heap_is_dangling(e))
        sb_printf(out, "%*s  ", RETAINED_WIDTH, "");
    else if (!analysis_ready(an, ANALYSIS_DOMINATORS))
        sb_printf(out, "%*s  ", RETAINED_WIDTH, "...");
    else
        sb_printf(out, "%*llu  ", RETAINED_WIDTH, (unsigned long long)an->dom.retained[e]);
}

static void threads_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct threads_state *st = v->priv;
    if (!st->built) {
        const char *busy = analysis_status(ctx->analysis);
        draw_row(area->y, area->width, busy ? busy : "finding roots...", ROLE_NOTE);
        return;
    }
    struct strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "%*s  %s", RETAINED_WIDTH, "Retained", "Thread, frame (innermost first), local = value");
    draw_row(area->y, area->width, sb_cstr(&sb), ROLE_HEADER);
    if (st->n == 0)
        draw_row(area->y + 1, area->width, "no threads and no frames in this dump", ROLE_NOTE);
    const struct list *l = &st->list;
    for (size_t i = l->top; i < st->n && i < l->top + (size_t)l->height; i++) {
        sb_reset(&sb);
        retained_cell(ctx, row_entry(st, ctx->heap, i), &sb);
        row_text(st, ctx->heap, i, (size_t)area->width * 4, &sb);
        enum role role = i == l->cursor ? ROLE_CURSOR : st->rows[i].kind == ROW_THREAD ? ROLE_HEADER : ROLE_NORMAL;
        draw_row(area->y + 1 + (int)(i - l->top), area->width, sb_cstr(&sb), role);
    }
    sb_free(&sb);
}

static unsigned threads_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct threads_state *st = v->priv;
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    if (a != ACT_OPEN)
        return view_key_default(a, res);
    if (st->n == 0)
        return view_say(res, 1, "no thread or frame to open");
    uint32_t e = row_entry(st, ctx->heap, st->list.cursor);
    if (e == OBJ_NONE)
        return view_say(res, 1, "the thread is unknown: open one of its frames");
    if (heap_is_dangling(e))
        return view_say(res, 1, "address %llu is not in the dump (a dangling ref)",
                        (unsigned long long)heap_child_addr(ctx->heap, e));
    res->open = (struct view_spec){VIEW_OBJECT, 0, e, NULL};
    return VIEW_OPEN;
}

static void threads_view_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct threads_state *st = v->priv;
    if (!st->built) {
        sb_adds(out, "Threads");
        return;
    }
    size_t unknown = st->threads.n - st->threads.n_known;
    sb_printf(out, "Threads: %zu, and %zu stack%s with the thread unknown", st->threads.n_known, unknown,
              unknown == 1 ? "" : "s");
}

static struct list *threads_list(const struct view *v)
{
    struct threads_state *st = v->priv;
    return &st->list;
}

static obj_t threads_row(const struct view *v, const struct view_ctx *ctx, size_t i)
{
    const struct threads_state *st = v->priv;
    uint32_t e = row_entry(st, ctx->heap, i);
    return heap_is_dangling(e) ? OBJ_NONE : e;
}

static const struct action_hint threads_hints[] = {
    HINT(OPEN, "open"), HINT(WHY, "why"), HINT(HELP, "help"), HINTS_END,
};

const struct view_ops view_threads_ops = {
    .name = "threads",
    .hints = threads_hints,
    .open = threads_open,
    .close = threads_close,
    .analysis_changed = threads_analysis_changed,
    .layout = threads_layout,
    .draw = threads_draw,
    .key = threads_key,
    .title = threads_view_title,
    .list = threads_list,
    .row = threads_row,
    .why_pane = 1,
    .search = view_search_rows,
};
