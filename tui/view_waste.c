/* view_waste.c: memory the program could get back, as `heapwalk waste`
 * reports it (waste.h), line for line (waste_text.h writes the lines for
 * both): duplicate values with the bytes one copy of each would save, empty
 * and over-allocated containers by type, the most over-allocated objects,
 * and per class what __slots__ would save.  Enter on a value lists its
 * copies and what holds each; on a container type, its empty and
 * over-allocated objects; on a class, its instances with a __dict__; on an
 * object, opens it.
 *
 * `waste` sizes instance dicts, which the explorer's store has folded into
 * their owners (meliae's collapse): unless the explorer was started with
 * --raw, the screen reads the dump again without collapsing, as the screen's
 * job (job.h: Esc stops it), and keeps that second store while it lives
 * (a dump that is not a regular file cannot be read twice: the screen says
 * to use --raw).
 * Objects of it are shown as the explorer's objects at the same address; an
 * instance dict, which has none, as its owner. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../src/query.h"
#include "../src/waste.h"
#include "../src/waste_text.h"
#include "draw.h"
#include "job.h"
#include "view.h"

#define WASTE_TOP 20         /* values, objects and classes listed: `heapwalk waste`'s default */
#define LABEL_MAX 160

/* What the job computes, on its thread; read once it is over. */
struct waste_work {
    const char *path;
    struct load_options load;
    const struct heap *heap; /* what waste was computed on: the explorer's own store, or &raw */
    struct heap raw;
    int have_raw;
    struct waste waste;
    struct waste_lines lines;
    int failed, cancelled;
    struct hw_error err;
};

struct waste_state {
    struct waste_work work;
    struct job *job;         /* the explorer's job slot */
    int computing, built;
    struct list list;
    obj_t *objs;             /* the list Enter last opened (given points here) */
    char label[LABEL_MAX];
    struct set_source given; /* a set screen over objs */
};

/* On the job's thread. */
static void run_waste(void *arg, const atomic_int *cancel)
{
    struct waste_work *w = arg;
    if (!w->heap) {
        struct load_report rep;
        w->load.collapse = 0; /* the instance dicts stay objects: their sizes are the __slots__ saving */
        w->load.progress = NULL;
        w->load.cancel = cancel;
        heap_init(&w->raw);
        w->have_raw = 1;
        if (load_dump(w->path, &w->load, &w->raw, &rep, &w->err) < 0) {
            w->failed = 1;
            w->cancelled = atomic_load(cancel) != 0;
            return;
        }
        w->heap = &w->raw;
    }
    if (atomic_load(cancel)) {
        w->failed = w->cancelled = 1;
        return;
    }
    waste_compute(w->heap, WASTE_TOP, &w->waste);
    waste_text(w->heap, &w->waste, WASTE_TOP, &w->lines);
}

static void work_free(struct waste_work *w)
{
    if (!w->failed && w->heap) {
        waste_lines_free(&w->lines);
        waste_free(&w->waste);
    }
    if (w->have_raw)
        heap_free(&w->raw);
    memset(w, 0, sizeof *w);
}

static void take_result(struct waste_state *st)
{
    st->computing = 0;
    st->built = 1;
    list_reset(&st->list, st->work.failed ? 0 : st->work.lines.n);
    /* The cursor starts on the first row Enter opens, not on a title. */
    for (size_t i = 0; !st->work.failed && i < st->work.lines.n; i++)
        if (st->work.lines.list[i].kind != WASTE_LINE_TEXT && st->work.lines.list[i].kind != WASTE_LINE_STRINGS) {
            list_select(&st->list, i);
            break;
        }
}

/* Whether path can be read a second time: a regular file (a named pipe
 * would block the second open until someone writes to it again). */
static int readable_again(const char *path, struct hw_error *err)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
        return 1;
    hw_fail(err, "the dump is not a regular file, so it cannot be read a second time with its instance dicts: "
                 "heapwalk --raw shows the waste at once");
    return 0;
}

static void start(struct waste_state *st, const struct view_ctx *ctx)
{
    work_free(&st->work);
    st->work.path = ctx->dump_path;
    st->work.load = *ctx->load;
    st->work.heap = ctx->heap->collapsed ? NULL : ctx->heap; /* --raw: the dicts are there already */
    if (!st->work.heap && !readable_again(ctx->dump_path, &st->work.err)) {
        st->work.failed = 1;
        st->built = 1;
        list_reset(&st->list, 0);
        return;
    }
    st->built = 0;
    st->computing = 1;
    job_start(st->job, st, ctx->heap->collapsed ? "reading the dump again with its instance dicts" : "finding waste",
              run_waste, &st->work);
    if (!job_busy(st->job, st))
        take_result(st);
}

static void catch_up(struct waste_state *st)
{
    if (st->computing && !job_busy(st->job, st))
        take_result(st);
}

static void waste_open(struct view *v, const struct view_ctx *ctx)
{
    struct waste_state *st = xcalloc(1, sizeof *st, "the waste screen");
    st->job = ctx->job;
    v->priv = st;
    start(st, ctx);
}

static void waste_close(struct view *v)
{
    struct waste_state *st = v->priv;
    job_stop(st->job, st); /* it writes into st */
    work_free(&st->work);
    free(st->objs);
    free(st);
    v->priv = NULL;
}

static void waste_analysis_changed(struct view *v, const struct view_ctx *ctx, int restarted)
{
    catch_up(v->priv);
}

static void waste_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct waste_state *st = v->priv;
    list_layout(&st->list, area->height);
}

static void waste_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct waste_state *st = v->priv;
    const struct waste_work *w = &st->work;
    if (!st->built) {
        const char *busy = job_status(st->job);
        draw_row(area->y, area->width, busy ? busy : "computing...", ROLE_NOTE);
        return;
    }
    if (w->failed) {
        draw_row(area->y, area->width, w->cancelled ? "stopped: Enter starts again" : w->err.msg,
                 w->cancelled ? ROLE_NOTE : ROLE_ERROR);
        return;
    }
    const struct list *l = &st->list;
    for (size_t i = l->top; i < w->lines.n && i < l->top + (size_t)l->height; i++) {
        const struct waste_line *line = &w->lines.list[i];
        enum role r = i == l->cursor ? ROLE_CURSOR : line->kind == WASTE_LINE_TEXT ? ROLE_HEADER : ROLE_NORMAL;
        draw_row(area->y + (int)(i - l->top), area->width, line->text, r);
    }
}

/* The explorer's object for object o of the store waste was computed on: the
 * same address, or for an instance dict its owner; OBJ_NONE when neither. */
static obj_t to_explorer(const struct view_ctx *ctx, const struct waste_work *w, obj_t o)
{
    if (w->heap == ctx->heap)
        return o;
    obj_t x = heap_find(ctx->heap, w->heap->addr[o]);
    if (x != OBJ_NONE)
        return x;
    const uint32_t *par = heap_parents(w->heap, o);
    for (size_t k = 0, n = heap_nparents(w->heap, o); k < n; k++)
        if ((x = heap_find(ctx->heap, w->heap->addr[par[k]])) != OBJ_NONE)
            return x;
    return OBJ_NONE;
}

/* Open a set screen on objs[0..n) of w's store (takes objs): the instances
 * list, with %, ^, =, E and B, each row saying what holds it with holders. */
static unsigned open_list(struct waste_state *st, const struct view_ctx *ctx, obj_t *objs, size_t n, int holders,
                          struct view_result *res)
{
    size_t kept = 0;
    for (size_t k = 0; k < n; k++) {
        obj_t x = to_explorer(ctx, &st->work, objs[k]);
        if (x != OBJ_NONE)
            objs[kept++] = x;
    }
    free(st->objs);
    st->objs = objs;
    if (kept == 0)
        return view_say(res, 1, "none of them is in the explorer's store");
    st->given = (struct set_source){st->label, NULL, objs, kept, holders};
    res->open = (struct view_spec){VIEW_SET, 0, OBJ_NONE, &st->given};
    return VIEW_OPEN;
}

static unsigned open_line(struct waste_state *st, const struct view_ctx *ctx, struct view_result *res)
{
    const struct waste_work *w = &st->work;
    const struct waste_line *line = &w->lines.list[st->list.cursor];
    const struct heap *h = w->heap;
    size_t n = 0;
    obj_t *objs;
    struct strbuf sb;
    switch (line->kind) {
    case WASTE_LINE_DUP: {
        const struct waste_dup *d = &w->waste.dups[line->index];
        sb_init(&sb);
        query_preview(h, d->example, 40, &sb);
        snprintf(st->label, sizeof st->label, "Copies of %s %s", types_name(&h->types, d->type), sb_cstr(&sb));
        sb_free(&sb);
        objs = waste_copies(h, d, &n);
        return open_list(st, ctx, objs, n, 1, res);
    }
    case WASTE_LINE_CONTAINER: {
        const struct waste_container *c = &w->waste.containers[line->index];
        snprintf(st->label, sizeof st->label, "Empty or over-allocated %s", types_name(&h->types, c->type));
        objs = waste_container_objects(h, c, &n);
        return open_list(st, ctx, objs, n, 0, res);
    }
    case WASTE_LINE_CLASS: {
        const struct waste_class *c = &w->waste.classes[line->index];
        snprintf(st->label, sizeof st->label, "Instances of %s with a __dict__", c->name);
        objs = waste_class_instances(h, c, &n);
        return open_list(st, ctx, objs, n, 0, res);
    }
    case WASTE_LINE_OVER: {
        obj_t x = to_explorer(ctx, w, w->waste.over[line->index].object);
        if (x == OBJ_NONE)
            return view_say(res, 1, "that object is not in the explorer's store");
        res->open = (struct view_spec){VIEW_OBJECT, 0, x, NULL};
        return VIEW_OPEN;
    }
    case WASTE_LINE_STRINGS: return view_say(res, 0, "the values held more than once are listed below");
    case WASTE_LINE_TEXT: break;
    }
    return view_say(res, 0, "Enter lists what a value, container type or class row stands for");
}

static unsigned waste_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct waste_state *st = v->priv;
    if (list_move(&st->list, a)) {
        /* Up and Down step over titles and blank lines to the next row Enter opens. */
        if ((a == ACT_UP || a == ACT_DOWN) && st->built && !st->work.failed) {
            size_t i = st->list.cursor;
            while (i > 0 && i + 1 < st->work.lines.n && st->work.lines.list[i].kind == WASTE_LINE_TEXT)
                i = a == ACT_DOWN ? i + 1 : i - 1;
            if (st->work.lines.list[i].kind != WASTE_LINE_TEXT) /* else an end: stay where the move went */
                list_select(&st->list, i);
        }
        return VIEW_HANDLED;
    }
    if (a != ACT_OPEN)
        return view_key_default(a, res);
    if (!st->built)
        return view_say(res, 0, "%s", job_status(st->job) ? job_status(st->job) : "computing...");
    if (st->work.failed) {
        start(st, ctx);
        return VIEW_HANDLED;
    }
    if (st->work.lines.n == 0)
        return VIEW_HANDLED;
    return open_line(st, ctx, res);
}

static void waste_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct waste_state *st = v->priv;
    sb_adds(out, "Waste");
    if (!st->built || st->work.failed)
        return;
    sb_adds(out, ": duplicates ");
    view_add_bytes(ctx, st->work.waste.dup_saving, out);
    sb_adds(out, ", __slots__ ");
    view_add_bytes(ctx, st->work.waste.slots_saving, out);
    sb_adds(out, " to save");
}

static struct list *waste_list(const struct view *v)
{
    struct waste_state *st = v->priv;
    return &st->list;
}

static const struct action_hint waste_hints[] = {
    HINT(OPEN, "list"), HINT(HELP, "help"), HINT(QUIT, "quit"), HINTS_END,
};

const struct view_ops view_waste_ops = {
    .name = "waste",
    .hints = waste_hints,
    .open = waste_open,
    .close = waste_close,
    .analysis_changed = waste_analysis_changed,
    .layout = waste_layout,
    .draw = waste_draw,
    .key = waste_key,
    .title = waste_title,
    .list = waste_list,
};
