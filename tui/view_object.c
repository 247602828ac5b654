/* view_object.c: one object: its repr, the facts behind it, its retained
 * size and immediate dominator (as `heapwalk show`), and its full
 * stored value or name, then two panes, its refs (children) and its parents,
 * each a list of reprs; Tab moves the focus between them.  For dicts,
 * modules and instances with a collapsed __dict__, the first pane shows the
 * refs as `key: value` lines (d toggles), with the caveat of the dump's
 * Python version when the keys are not in the dump. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/positions.h"
#include "../src/refs.h"
#include "compare.h"
#include "draw.h"
#include "view.h"
#include "why.h"

enum { PANE_REFS, PANE_PARENTS, PANES };

/* The value or name shown under the repr takes at most this many rows. */
#define DETAIL_MAX_ROWS 4

struct object_state {
    obj_t obj;
    struct dict_view dict;
    int has_dict;            /* refs_as_dict() applies to this object */
    char qualified[160];     /* "a.Record" when its class shares its name with others, else "" */
    size_t same_name;        /* ... and how many classes have that name */
    int as_dict;             /* the refs pane shows the dict, not the plain refs */
    int pane;                /* the pane with the focus */
    struct list list[PANES];
    /* From layout, in rows from the top of the area: */
    int retained_rows;       /* the retained size (1), unless the terminal is tiny */
    int detail_rows;         /* the value or name */
    int note_rows;           /* the dict's caveat */
    int pane_y[PANES];       /* each pane's title row */
};

static size_t refs_rows(const struct object_state *st, const struct heap *h)
{
    if (st->as_dict)
        return st->dict.n + (st->dict.type_ref != UINT32_MAX);
    return heap_nchildren(h, st->obj);
}

/* Classes told apart by their class object: one pass over the heap, so once
 * when the screen opens, not at every draw. */
static void qualify(struct object_state *st, const struct heap *h)
{
    struct strbuf sb;
    sb_init(&sb);
    st->same_name = refs_qualified_class(h, st->obj, &sb);
    snprintf(st->qualified, sizeof st->qualified, "%s", st->same_name ? sb_cstr(&sb) : "");
    sb_free(&sb);
}

static void object_open(struct view *v, const struct view_ctx *ctx)
{
    const struct heap *h = ctx->heap;
    struct object_state *st = xcalloc(1, sizeof *st, "the object screen");
    st->obj = v->spec.obj;
    st->has_dict = refs_as_dict(h, st->obj, &st->dict) == 0;
    st->as_dict = st->has_dict;
    qualify(st, h);
    list_reset(&st->list[PANE_REFS], refs_rows(st, h));
    list_reset(&st->list[PANE_PARENTS], heap_nparents(h, st->obj));
    v->priv = st;
}

static void object_close(struct view *v)
{
    struct object_state *st = v->priv;
    refs_dict_free(&st->dict);
    free(st);
    v->priv = NULL;
}

/* Characters in UTF-8 text (continuation bytes do not count). */
static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* What the repr does not say: a collapsed __dict__, and the value or name as
 * a Python literal with what the dump left out, cut at what DETAIL_MAX_ROWS
 * rows of width columns can show (a 64 MB value must not be quoted and
 * wrapped whole at every key).  Lines end in '\n'. */
static void detail_text(const struct heap *h, obj_t o, int width, struct strbuf *out)
{
    size_t max_chars = (size_t)DETAIL_MAX_ROWS * (size_t)(width > 0 ? width : 1) + 1;
    uint8_t f = h->flags[o];
    size_t len;
    const char *s = heap_str(h, o, &len);
    if (f & OF_COLLAPSED)
        sb_adds(out, "__dict__ collapsed into it: size, len and refs include the dict's\n");
    if (f & OF_VALUE_NULL) {
        sb_adds(out, "value: null in the dump");
    } else if (f & OF_NAME) {
        sb_adds(out, "name: ");
        if (len > max_chars)
            len = hw_utf8_cut(s, len, max_chars * 4);
        refs_py_quote(s, len, out);
    } else if (f & (OF_VALUE | OF_VALUE_NUM)) {
        sb_adds(out, "value: ");
        refs_literal(h, o, max_chars, out);
        size_t chars = utf8_chars(s, len);
        if ((f & OF_VALUE) && (f & OF_HAS_LEN) && heap_len(h, o) > chars)
            sb_printf(out, " (the dump keeps the first %zu of %llu characters)", chars,
                      (unsigned long long)heap_len(h, o));
    }
    if (out->len && out->buf[out->len - 1] == '\n')
        out->len--;
}

static void facts_text(const struct view_ctx *ctx, const struct object_state *st, struct strbuf *out)
{
    const struct heap *h = ctx->heap;
    obj_t o = st->obj;
    sb_printf(out, "address %llu (0x%llx), type %s, size %llu", (unsigned long long)h->addr[o],
              (unsigned long long)h->addr[o], heap_type_name(h, o), (unsigned long long)heap_size(h, o));
    if (h->flags[o] & OF_HAS_LEN)
        sb_printf(out, ", len %llu", (unsigned long long)heap_len(h, o));
    if (st->same_name) /* as `heapwalk show` says it */
        sb_printf(out, ", class %s (%zu classes are named %s)", st->qualified, st->same_name, heap_type_name(h, o));
    if (compare_is_new(ctx->compare, o))
        sb_adds(out, ", new (not in the old dump)");
}

/* The retained size and the immediate dominator, in `heapwalk show`'s words. */
static void retained_text(const struct view_ctx *ctx, obj_t o, size_t max, struct strbuf *out)
{
    const struct analysis *an = ctx->analysis;
    if (!analysis_ready(an, ANALYSIS_DOMINATORS)) {
        sb_adds(out, "retained ... bytes (the dominator tree is being computed)");
        return;
    }
    const struct dominators *d = &an->dom;
    sb_printf(out, "retained %llu bytes (%lld%% of the heap); immediate dominator: ",
              (unsigned long long)d->retained[o], summary_percent(d->retained[o], d->total));
    if (d->idom[o] == OBJ_NONE)
        sb_adds(out, "nothing: it is a root, or only roots hold it");
    else
        refs_repr(ctx->heap, d->idom[o], max, out);
}

/* Share avail rows between the panes: a short pane takes only what it
 * needs, the other one the rest; two long panes split evenly. */
static void split_rows(size_t n0, size_t n1, int avail, int *h0, int *h1)
{
    int need0 = n0 == 0 ? 1 : n0 < (size_t)avail ? (int)n0 : avail;
    int need1 = n1 == 0 ? 1 : n1 < (size_t)avail ? (int)n1 : avail;
    int half = (avail + 1) / 2;
    if (need0 + need1 <= avail || need0 < half)
        *h0 = need0;
    else if (need1 < avail - half)
        *h0 = avail - need1;
    else
        *h0 = half;
    if (*h0 > avail - 1)
        *h0 = avail - 1;
    if (*h0 < 1)
        *h0 = 1;
    *h1 = avail - *h0;
}

static void object_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct object_state *st = v->priv;
    const struct heap *h = ctx->heap;
    struct strbuf sb;
    sb_init(&sb);
    detail_text(h, st->obj, area->width, &sb);
    /* Keep at least a row for each pane: repr, facts, retained size and two
     * titles take 5 (4 on a tiny terminal, without the retained size). */
    st->retained_rows = area->height >= 10;
    int room = (area->height - 6 - st->retained_rows) / 3;
    int want = sb.len ? draw_wrap_rows(sb.buf, sb.len, area->width) : 0;
    sb_free(&sb);
    st->detail_rows = want < room ? want : room;
    if (st->detail_rows > DETAIL_MAX_ROWS)
        st->detail_rows = DETAIL_MAX_ROWS;
    if (st->detail_rows < 0)
        st->detail_rows = 0;
    st->note_rows = st->as_dict && st->dict.note && area->height >= 10;
    int header = 2 + st->retained_rows + st->detail_rows;
    int avail = area->height - header - 2 - st->note_rows;
    if (avail < 2)
        avail = 2;
    int h0, h1;
    list_set_count(&st->list[PANE_REFS], refs_rows(st, h));
    split_rows(st->list[PANE_REFS].n, st->list[PANE_PARENTS].n, avail, &h0, &h1);
    st->pane_y[PANE_REFS] = header;
    st->pane_y[PANE_PARENTS] = header + 1 + st->note_rows + h0;
    list_layout(&st->list[PANE_REFS], h0);
    list_layout(&st->list[PANE_PARENTS], h1);
}

/* The text of row i of the refs pane. */
static void refs_row_text(const struct object_state *st, const struct heap *h, size_t i, size_t max,
                          struct strbuf *out)
{
    if (!st->as_dict) { /* the position first, as `heapwalk path` and `show --json` label it */
        positions_ref_label(h, st->obj, i, out);
        sb_addc(out, ' ');
        refs_child_repr(h, heap_children(h, st->obj)[i], max, out);
        return;
    }
    if (i == st->dict.n) {
        sb_adds(out, "(class) ");
        refs_child_repr(h, st->dict.type_ref, max, out);
        return;
    }
    const struct dict_item *it = &st->dict.items[i];
    if (it->key != UINT32_MAX)
        refs_literal(h, it->key, max, out);
    else
        positions_ref_label(h, st->obj, it->value_pos, out); /* [<#i>], or .<#i> for attributes */
    sb_adds(out, ": ");
    refs_literal(h, it->value, max, out);
}

static void pane_title(const struct object_state *st, const struct heap *h, int pane, struct strbuf *out)
{
    if (pane == PANE_PARENTS) {
        sb_printf(out, "Parents (%zu)", heap_nparents(h, st->obj));
    } else if (st->as_dict) {
        sb_printf(out, "As dict: %zu item%s, %s dump (d: plain refs)", st->dict.n, st->dict.n == 1 ? "" : "s",
                  refs_flavour_name(h->flavour));
    } else {
        sb_printf(out, "Children (%zu)%s", heap_nchildren(h, st->obj), st->has_dict ? " (d: as dict)" : "");
    }
}

static uint32_t row_entry(const struct object_state *st, const struct heap *h, int pane, size_t i);

static void draw_pane(const struct object_state *st, const struct view_ctx *ctx, int pane, int y, int width)
{
    const struct heap *h = ctx->heap;
    const struct list *l = &st->list[pane];
    int active = pane == st->pane;
    struct strbuf sb;
    sb_init(&sb);
    pane_title(st, h, pane, &sb);
    draw_rule(y++, width, sb_cstr(&sb), active ? ROLE_PANE_ACTIVE : ROLE_PANE);
    if (pane == PANE_REFS && st->note_rows)
        draw_row(y++, width, st->dict.note, ROLE_NOTE);
    if (l->n == 0)
        draw_row(y, width, "(none)", ROLE_NOTE);
    for (size_t i = l->top; i < l->n && i < l->top + (size_t)l->height; i++, y++) {
        sb_reset(&sb);
        if (ctx->compare) { /* new objects marked, the others indented to match */
            uint32_t e = row_entry(st, h, pane, i);
            int is_new = !heap_is_dangling(e) && compare_is_new(ctx->compare, e);
            sb_printf(&sb, "%s ", is_new ? draw_glyph(GLYPH_NEW) : " ");
        }
        if (pane == PANE_REFS)
            refs_row_text(st, h, i, (size_t)width * 4, &sb);
        else
            refs_repr(h, heap_parents(h, st->obj)[i], (size_t)width * 4, &sb);
        enum role r = i != l->cursor ? ROLE_NORMAL : active ? ROLE_CURSOR : ROLE_CURSOR_IDLE;
        draw_row(y, width, sb_cstr(&sb), r);
    }
    sb_free(&sb);
}

static void object_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct object_state *st = v->priv;
    const struct heap *h = ctx->heap;
    struct strbuf sb;
    sb_init(&sb);
    refs_repr(h, st->obj, (size_t)area->width * 4, &sb);
    draw_row(area->y, area->width, sb_cstr(&sb), ROLE_HEADER);
    sb_reset(&sb);
    facts_text(ctx, st, &sb);
    draw_row(area->y + 1, area->width, sb_cstr(&sb), ROLE_NORMAL);
    if (st->retained_rows) {
        sb_reset(&sb);
        retained_text(ctx, st->obj, (size_t)area->width * 4, &sb);
        draw_row(area->y + 2, area->width, sb_cstr(&sb), ROLE_NORMAL);
    }
    if (st->detail_rows) {
        sb_reset(&sb);
        detail_text(h, st->obj, area->width, &sb);
        draw_wrapped(area->y + 2 + st->retained_rows, area->width, st->detail_rows, sb.buf, sb.len, ROLE_NORMAL);
    }
    sb_free(&sb);
    for (int p = 0; p < PANES; p++)
        draw_pane(st, ctx, p, area->y + st->pane_y[p], area->width);
}

/* The child entry on row i of a pane: for a dict row, the value. */
static uint32_t row_entry(const struct object_state *st, const struct heap *h, int pane, size_t i)
{
    if (pane == PANE_PARENTS)
        return heap_parents(h, st->obj)[i];
    if (!st->as_dict)
        return heap_children(h, st->obj)[i];
    return i == st->dict.n ? st->dict.type_ref : st->dict.items[i].value;
}

static unsigned open_selected(const struct object_state *st, const struct heap *h, struct view_result *res)
{
    const struct list *l = &st->list[st->pane];
    if (l->n == 0)
        return view_say(res, 1, "nothing to open in this pane");
    uint32_t e = row_entry(st, h, st->pane, l->cursor);
    if (heap_is_dangling(e))
        return view_say(res, 1, "address %llu is not in the dump (a dangling ref)",
                        (unsigned long long)heap_child_addr(h, e));
    res->open = (struct view_spec){VIEW_OBJECT, 0, e, NULL};
    return VIEW_OPEN;
}

static unsigned object_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct object_state *st = v->priv;
    if (list_move(&st->list[st->pane], a))
        return VIEW_HANDLED;
    switch (a) {
    case ACT_PANE:
        st->pane = st->pane == PANE_REFS ? PANE_PARENTS : PANE_REFS;
        return VIEW_HANDLED;
    case ACT_OPEN: return open_selected(st, ctx->heap, res);
    case ACT_DICT:
        if (!st->has_dict)
            return view_say(res, 1, "no dict view: only dicts, modules and instances with a __dict__ have one");
        st->as_dict = !st->as_dict;
        list_reset(&st->list[PANE_REFS], refs_rows(st, ctx->heap));
        return VIEW_HANDLED;
    case ACT_DOMTREE: /* this object's part of the dominator tree */
        res->open = (struct view_spec){VIEW_DOMTREE, 0, st->obj, NULL};
        return VIEW_OPEN;
    default: return view_key_default(a, res);
    }
}

static void object_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct object_state *st = v->priv;
    const struct heap *h = ctx->heap;
    sb_printf(out, "Object %s at 0x%llx", st->same_name ? st->qualified : heap_type_name(h, st->obj),
              (unsigned long long)h->addr[st->obj]);
    why_distance(ctx, st->obj, out);
}

static struct list *object_list(const struct view *v)
{
    struct object_state *st = v->priv;
    return &st->list[st->pane];
}

/* A row of the pane with the focus: the child or parent it shows. */
static obj_t object_row(const struct view *v, const struct view_ctx *ctx, size_t i)
{
    const struct object_state *st = v->priv;
    uint32_t e = row_entry(st, ctx->heap, st->pane, i);
    return heap_is_dangling(e) ? OBJ_NONE : e;
}

/* m marks, and P pins, the object shown; the why-alive pane follows the
 * selected child or parent. */
static obj_t object_current(const struct view *v, const struct view_ctx *ctx)
{
    const struct object_state *st = v->priv;
    return st->obj;
}

struct pane_search {
    const struct object_state *st;
    const struct heap *heap;
    const struct query_match *m;
};

static int pane_row_matches(const void *ctx, size_t row)
{
    const struct pane_search *ps = ctx;
    const struct object_state *st = ps->st;
    if (st->pane == PANE_REFS && st->as_dict && row < st->dict.n) {
        uint32_t key = st->dict.items[row].key;
        if (key != UINT32_MAX && query_match_object(ps->heap, ps->m, key))
            return 1;
    }
    return query_match_object(ps->heap, ps->m, row_entry(st, ps->heap, st->pane, row));
}

static enum list_found object_search(struct view *v, const struct view_ctx *ctx, const struct query_match *m,
                                     int dir)
{
    struct object_state *st = v->priv;
    struct pane_search ps = {st, ctx->heap, m};
    return list_find(&st->list[st->pane], dir, pane_row_matches, &ps);
}

static const struct action_hint object_hints[] = {
    HINT(PANE, "pane"), HINT(DICT, "dict"), HINT(HELP, "help"), HINT(QUIT, "quit"), HINTS_END,
};

const struct view_ops view_object_ops = {
    .name = "object",
    .hints = object_hints,
    .open = object_open,
    .close = object_close,
    .layout = object_layout,
    .draw = object_draw,
    .key = object_key,
    .title = object_title,
    .list = object_list,
    .row = object_row,
    .current = object_current,
    .selected = view_cursor_object,
    .why_pane = 1,
    .search = object_search,
};
