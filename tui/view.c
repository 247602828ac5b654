/* view.c: what the screens share: the table of screens, their messages, and
 * the behaviour of a list of rows that stand for objects. */
#include "view.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const struct view_ops *view_ops_of(enum view_kind kind)
{
    switch (kind) {
    case VIEW_SUMMARY: return &view_summary_ops;
    case VIEW_INSTANCES: return &view_instances_ops;
    case VIEW_OBJECT: return &view_object_ops;
    case VIEW_HELP: return &view_help_ops;
    case VIEW_MARKS: return &view_marks_ops;
    case VIEW_DOMTREE: return &view_domtree_ops;
    case VIEW_HOLDERS: return &view_holders_ops;
    case VIEW_PATH: return &view_path_ops;
    case VIEW_ROOTS: return &view_roots_ops;
    case VIEW_THREADS: return &view_threads_ops;
    case VIEW_NOTES: return &view_notes_ops;
    case VIEW_GONE: return &view_gone_ops;
    case VIEW_SET: return &view_set_ops;
    case VIEW_SET_TYPES: return &view_set_types_ops;
    case VIEW_SET_HOLDERS: return &view_set_holders_ops;
    case VIEW_SETS: return &view_sets_ops;
    case VIEW_SUSPECTS: return &view_suspects_ops;
    case VIEW_WASTE: return &view_waste_ops;
    }
    return &view_summary_ops;
}

/* bytes in binary units with one decimal: "952", "1.5K", "38.3M". */
static void human_bytes(uint64_t bytes, char *buf, size_t size)
{
    static const char units[] = "KMGTPE";
    if (bytes < 1024) {
        snprintf(buf, size, "%llu", (unsigned long long)bytes);
        return;
    }
    double v = (double)bytes / 1024;
    int u = 0;
    while (v >= 999.95 && units[u + 1]) { /* "1000.0K" would be wider than "1.0M" */
        v /= 1024;
        u++;
    }
    snprintf(buf, size, "%.1f%c", v, units[u]);
}

const char *view_bytes(const struct view_ctx *ctx, uint64_t bytes, char *buf)
{
    if (ctx->human_sizes)
        human_bytes(bytes, buf, VIEW_BYTES_MAX);
    else
        snprintf(buf, VIEW_BYTES_MAX, "%llu", (unsigned long long)bytes);
    return buf;
}

void view_add_bytes(const struct view_ctx *ctx, uint64_t bytes, struct strbuf *out)
{
    char buf[VIEW_BYTES_MAX];
    sb_adds(out, view_bytes(ctx, bytes, buf));
    if (!ctx->human_sizes)
        sb_adds(out, " bytes");
}

const char *view_bytes_delta(const struct view_ctx *ctx, int64_t delta, char *buf)
{
    uint64_t mag = delta < 0 ? (uint64_t)0 - (uint64_t)delta : (uint64_t)delta;
    buf[0] = delta < 0 ? '-' : '+';
    if (ctx->human_sizes)
        human_bytes(mag, buf + 1, VIEW_BYTES_MAX - 1);
    else
        snprintf(buf + 1, VIEW_BYTES_MAX - 1, "%llu", (unsigned long long)mag);
    return buf;
}

unsigned view_say(struct view_result *res, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->message, sizeof res->message, fmt, ap);
    va_end(ap);
    res->error = error;
    return VIEW_HANDLED | VIEW_SAY;
}

unsigned view_translate(struct view_result *res, enum action a)
{
    res->action = a;
    return VIEW_ACTION;
}

unsigned view_key_default(enum action a, struct view_result *res)
{
    switch (a) {
    case ACT_RIGHT: return view_translate(res, ACT_OPEN);
    case ACT_LEFT: return view_translate(res, ACT_BACK);
    case ACT_DOMTREE:
        res->open = (struct view_spec){VIEW_DOMTREE, 0, OBJ_NONE, NULL};
        return VIEW_OPEN;
    default: return VIEW_IGNORED;
    }
}

void view_position(const struct view *v, size_t *pos, size_t *total)
{
    if (v->ops->position) {
        v->ops->position(v, pos, total);
        return;
    }
    const struct list *l = v->ops->list ? v->ops->list(v) : NULL;
    *total = l ? l->n : 0;
    *pos = *total ? l->cursor + 1 : 0;
}

obj_t view_cursor_object(const struct view *v, const struct view_ctx *ctx)
{
    if (!v->ops->list || !v->ops->row)
        return OBJ_NONE;
    const struct list *l = v->ops->list(v);
    return l->n ? v->ops->row(v, ctx, l->cursor) : OBJ_NONE;
}

obj_t view_current(const struct view *v, const struct view_ctx *ctx)
{
    return v->ops->current ? v->ops->current(v, ctx) : view_cursor_object(v, ctx);
}

obj_t view_selected(const struct view *v, const struct view_ctx *ctx)
{
    return v->ops->selected ? v->ops->selected(v, ctx) : view_current(v, ctx);
}

obj_t *view_objects(const struct view *v, const struct view_ctx *ctx, size_t *n)
{
    if (!v->ops->list || !v->ops->row)
        return NULL;
    const struct heap *h = ctx->heap;
    const struct list *l = v->ops->list(v);
    uint8_t *seen = xcalloc(h->n ? h->n : 1, 1, "a set of objects");
    obj_t *objs = xmalloc((l->n ? l->n : 1) * sizeof *objs, "a set of objects");
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        obj_t o = v->ops->row(v, ctx, i);
        if (o != OBJ_NONE && !seen[o]) {
            seen[o] = 1;
            objs[k++] = o;
        }
    }
    free(seen);
    *n = k;
    return objs;
}

struct row_search {
    const struct view *v;
    const struct view_ctx *ctx;
    const struct query_match *m;
};

static int row_matches(const void *arg, size_t row)
{
    const struct row_search *rs = arg;
    obj_t o = rs->v->ops->row(rs->v, rs->ctx, row);
    return o != OBJ_NONE && query_match_object(rs->ctx->heap, rs->m, o);
}

enum list_found view_search_rows(struct view *v, const struct view_ctx *ctx, const struct query_match *m,
                                 struct list_search *s)
{
    struct row_search rs = {v, ctx, m};
    return list_search_step(v->ops->list(v), s, row_matches, &rs);
}
