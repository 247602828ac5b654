#include "list.h"

void list_reset(struct list *l, size_t n)
{
    l->n = n;
    l->cursor = 0;
    l->top = 0;
}

static size_t page(const struct list *l)
{
    return l->height > 1 ? (size_t)l->height : 1;
}

/* Scroll as little as possible so that the cursor is visible. */
static void scroll_to_cursor(struct list *l)
{
    size_t h = page(l);
    if (l->cursor < l->top)
        l->top = l->cursor;
    else if (l->cursor >= l->top + h)
        l->top = l->cursor - h + 1;
    /* No empty rows below the last one while there are rows above. */
    if (l->n <= h)
        l->top = 0;
    else if (l->top > l->n - h)
        l->top = l->n - h;
}

void list_set_count(struct list *l, size_t n)
{
    l->n = n;
    if (l->cursor >= n)
        l->cursor = n ? n - 1 : 0;
    scroll_to_cursor(l);
}

void list_layout(struct list *l, int height)
{
    l->height = height;
    scroll_to_cursor(l);
}

void list_select(struct list *l, size_t row)
{
    l->cursor = row < l->n ? row : (l->n ? l->n - 1 : 0);
    scroll_to_cursor(l);
}

int list_move(struct list *l, enum action a)
{
    size_t h = page(l), last = l->n ? l->n - 1 : 0;
    switch (a) {
    case ACT_UP:
        if (l->cursor > 0)
            l->cursor--;
        break;
    case ACT_DOWN:
        if (l->cursor < last)
            l->cursor++;
        break;
    case ACT_PAGE_UP:
        /* The page moves by its height and the cursor keeps its screen row. */
        l->cursor = l->cursor > h ? l->cursor - h : 0;
        l->top = l->top > h ? l->top - h : 0;
        break;
    case ACT_PAGE_DOWN:
        l->cursor = l->cursor + h < last ? l->cursor + h : last;
        l->top += h;
        break;
    case ACT_FIRST: l->cursor = 0; break;
    case ACT_LAST: l->cursor = last; break;
    default: return 0;
    }
    scroll_to_cursor(l);
    return 1;
}

static void search_begin(const struct list *l, struct list_search *s)
{
    s->begun = 1;
    s->start = l->cursor;
    s->n = l->n;
    s->row = l->cursor;
    s->left = l->n;
}

enum list_found list_search_step(struct list *l, struct list_search *s, int (*match)(const void *ctx, size_t row),
                                 const void *ctx)
{
    if (!s->begun || s->start != l->cursor || s->n != l->n)
        search_begin(l, s);
    size_t row = s->row;
    for (size_t k = 0; s->left > 0 && (s->budget == 0 || k < s->budget); k++) {
        s->left--;
        if (s->dir > 0)
            row = row + 1 < l->n ? row + 1 : 0;
        else
            row = row > 0 ? row - 1 : l->n - 1;
        if (match(ctx, row)) {
            int wrapped = s->dir > 0 ? row <= l->cursor : row >= l->cursor;
            s->begun = 0; /* the cursor moves: a step after this one searches from it */
            list_select(l, row);
            return wrapped ? LIST_WRAPPED : LIST_FOUND;
        }
    }
    s->row = row;
    return s->left > 0 ? LIST_SEARCHING : LIST_NOT_FOUND;
}

enum list_found list_find(struct list *l, int dir, int (*match)(const void *ctx, size_t row), const void *ctx)
{
    struct list_search s = {.dir = dir};
    return list_search_step(l, &s, match, ctx);
}
