#include "positions.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "refs.h"

static int type_is(const struct heap *h, obj_t o, const char *name)
{
    return strcmp(heap_type_name(h, o), name) == 0;
}

static int child_type_is(const struct heap *h, uint32_t child, const char *name)
{
    return !heap_is_dangling(child) && type_is(h, child, name);
}

static void named(struct position *p, const char *name)
{
    p->kind = POS_NAMED;
    p->name = name;
}

/* list_traverse and tupletraverse visit the last item first. */
static int sequence(const struct heap *h, obj_t parent, size_t k, struct position *p)
{
    if (!type_is(h, parent, "list") && !type_is(h, parent, "tuple"))
        return 0;
    p->kind = POS_INDEX;
    p->index = heap_nchildren(h, parent) - 1 - k;
    return 1;
}

/* deque_traverse visits left to right; from 3.12 (a heap type) its class first. */
static int deque(const struct heap *h, obj_t parent, size_t k, struct position *p)
{
    if (!type_is(h, parent, "collections.deque") && !type_is(h, parent, "deque"))
        return 0;
    size_t head = refs_is_class_of(h, heap_children(h, parent)[0], parent) ? 1 : 0;
    if (k < head) {
        named(p, ".__class__");
    } else {
        p->kind = POS_INDEX;
        p->index = k - head;
    }
    return 1;
}

/* func_traverse: __code__, __globals__, then (3.10+) __builtins__; the rest
 * shift as NULL fields are skipped, so they keep their ref number. */
static int function(const struct heap *h, obj_t parent, size_t k, struct position *p)
{
    if (!type_is(h, parent, "function"))
        return 0;
    uint32_t child = heap_children(h, parent)[k];
    if (k == 0)
        named(p, ".__code__");
    else if (k == 1)
        named(p, ".__globals__");
    else if (k == 2 && h->flavour != FLAVOUR_PY2 && child_type_is(h, child, "dict"))
        named(p, ".__builtins__");
    return p->kind != POS_REF;
}

/* A ref before a dict subclass's items: its class, default_factory, __dict__. */
static void dict_head(const struct heap *h, obj_t parent, size_t k, struct position *p)
{
    uint32_t child = heap_children(h, parent)[k];
    if (refs_is_class_of(h, child, parent))
        named(p, ".__class__");
    else if (strstr(heap_type_name(h, parent), "defaultdict"))
        named(p, ".default_factory");
    else if (child_type_is(h, child, "dict"))
        named(p, ".__dict__");
}

/* Ref k of a dict-like object from its dict view: it (NULL: none) is the
 * first item whose key (is_key) or value is ref k. */
static void dict_ref(const struct heap *h, obj_t parent, const struct dict_view *dv, size_t k,
                     const struct dict_item *it, int is_key, struct position *p)
{
    if (dv->type_ref != UINT32_MAX && k == heap_nchildren(h, parent) - 1) {
        named(p, ".__class__");
    } else if (k < dv->head) {
        dict_head(h, parent, k, p);
    } else if (it) {
        p->kind = is_key ? POS_IS_KEY : it->key != UINT32_MAX ? POS_KEY : POS_ENTRY;
        p->key = is_key ? 0 : it->key;
        p->index = (size_t)(it - dv->items);
        p->attr = !type_is(h, parent, "dict") && !refs_is_dict_subclass(h, parent);
    }
}

static int dict_like(const struct heap *h, obj_t parent, size_t k, struct position *p)
{
    struct dict_view dv;
    if (refs_as_dict(h, parent, &dv) != 0)
        return 0;
    const struct dict_item *it = NULL;
    for (size_t q = 0; q < dv.n && !it; q++)
        if (dv.items[q].key_pos == k || dv.items[q].value_pos == k)
            it = &dv.items[q];
    dict_ref(h, parent, &dv, k, it, it && it->key_pos == k, p);
    refs_dict_free(&dv);
    return 1;
}

/* Any other object: subtype_traverse ends with the class, after __dict__. */
static void instance(const struct heap *h, obj_t parent, size_t k, struct position *p)
{
    const uint32_t *c = heap_children(h, parent);
    size_t n = heap_nchildren(h, parent);
    int ends_with_class = refs_is_class_of(h, c[n - 1], parent);
    if (k == n - 1 && ends_with_class)
        named(p, ".__class__");
    else if (k == n - 2 && ends_with_class && child_type_is(h, c[k], "dict"))
        named(p, ".__dict__");
    else if (k == 0 && type_is(h, parent, "type") && child_type_is(h, c[k], "dict"))
        named(p, ".__dict__");
}

void positions_frame_label(const struct heap *h, obj_t frame, struct strbuf *out)
{
    size_t len;
    const char *s = heap_str(h, frame, &len);
    if (s && (h->flags[frame] & OF_VALUE))
        hw_sb_escaped(out, s, len);
    else
        sb_adds(out, "?");
    sb_adds(out, "()");
    uint32_t line = heap_line(h, frame);
    if (line)
        sb_printf(out, ":%u", line);
}

size_t positions_frame_locals(const struct heap *h, obj_t frame)
{
    size_t n = (h->flags[frame] & OF_HAS_LEN) ? (size_t)heap_len(h, frame) : 0;
    return 2 * n <= heap_nchildren(h, frame) ? n : 0;
}

/* A thread's refs are its stack's frames; a frame's refs start with its
 * locals as [value, name] pairs (heapwalk's scanner, with "len"), then f_back
 * (the first frame among the rest), then what CPython's frame_traverse
 * visits (nothing fixes their names: .<ref #k>). */
static int frame_or_thread(const struct heap *h, obj_t parent, size_t k, struct position *p)
{
    const uint32_t *c = heap_children(h, parent);
    if (type_is(h, parent, "thread")) {
        if (child_type_is(h, c[k], "frame")) {
            p->kind = POS_FRAME;
            p->key = c[k];
        }
        return 1;
    }
    if (!type_is(h, parent, "frame"))
        return 0;
    size_t nloc = positions_frame_locals(h, parent);
    if (k < 2 * nloc && k % 2 == 0 && !heap_is_dangling(c[k + 1]) && (h->flags[c[k + 1]] & OF_VALUE)) {
        p->kind = POS_LOCAL;
        p->key = c[k + 1];
        return 1;
    }
    if (child_type_is(h, c[k], "frame")) {
        size_t q;
        for (q = 2 * nloc; q < k && !child_type_is(h, c[q], "frame"); q++)
            ;
        if (q == k)
            named(p, ".f_back");
    }
    return 1;
}

/* What positions_of decides before it needs the dict view: 1 when p is final. */
static int before_dict(const struct heap *h, obj_t parent, size_t k, struct position *p)
{
    memset(p, 0, sizeof *p);
    p->kind = POS_REF;
    p->index = k;
    if (sequence(h, parent, k, p) || deque(h, parent, k, p) || function(h, parent, k, p) ||
        frame_or_thread(h, parent, k, p))
        return 1;
    if (type_is(h, parent, "set") || type_is(h, parent, "frozenset")) {
        p->kind = POS_MEMBER;
        return 1;
    }
    if (type_is(h, parent, "cell")) {
        named(p, ".cell_contents");
        return 1;
    }
    return 0;
}

void positions_of(const struct heap *h, obj_t parent, size_t k, struct position *p)
{
    if (!before_dict(h, parent, k, p) && !dict_like(h, parent, k, p))
        instance(h, parent, k, p);
}

void positions_of_all(const struct heap *h, obj_t parent, struct position *p)
{
    size_t n = heap_nchildren(h, parent), rest = 0;
    for (size_t k = 0; k < n; k++)
        rest += !before_dict(h, parent, k, &p[k]);
    if (rest == 0)
        return;
    struct dict_view dv;
    if (refs_as_dict(h, parent, &dv) != 0) {
        for (size_t k = 0; k < n; k++)
            if (!before_dict(h, parent, k, &p[k]))
                instance(h, parent, k, &p[k]);
        return;
    }
    /* The item of each ref, as dict_like's search finds it: the first item
     * whose key or value it is, the key first. */
    const struct dict_item **at = xcalloc(n, sizeof *at, "the positions of refs");
    unsigned char *is_key = xcalloc(n, 1, "the positions of refs");
    for (size_t q = 0; q < dv.n; q++) {
        const struct dict_item *it = &dv.items[q];
        if (it->key_pos < n && !at[it->key_pos]) {
            at[it->key_pos] = it;
            is_key[it->key_pos] = 1;
        }
        if (it->value_pos < n && !at[it->value_pos])
            at[it->value_pos] = it;
    }
    for (size_t k = 0; k < n; k++)
        if (!before_dict(h, parent, k, &p[k]))
            dict_ref(h, parent, &dv, k, at[k], is_key[k], &p[k]);
    free(at);
    free(is_key);
    refs_dict_free(&dv);
}

/* A Python identifier, as far as ASCII goes (other characters accepted). */
static int is_identifier(const char *s, size_t len)
{
    if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(c >= 0x80 || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return 0;
    }
    return 1;
}

static void key_label(const struct heap *h, uint32_t key, int attr, struct strbuf *out)
{
    size_t len = 0;
    const char *s = heap_is_dangling(key) ? NULL : heap_str(h, key, &len);
    int is_str = s && (h->flags[key] & OF_VALUE) && (type_is(h, key, "str") || type_is(h, key, "unicode"));
    if (attr && is_str && is_identifier(s, len) && hw_is_safe_text(s, len)) {
        sb_addc(out, '.');
        hw_sb_escaped(out, s, len);
        return;
    }
    if (attr)
        sb_adds(out, ".__dict__");
    sb_addc(out, '[');
    refs_literal(h, key, 40, out);
    sb_addc(out, ']');
}

void positions_entry_label(size_t index, int attr, struct strbuf *out)
{
    sb_printf(out, attr ? ".<#%zu>" : "[<#%zu>]", index);
}

void positions_label(const struct heap *h, const struct position *p, struct strbuf *out)
{
    switch (p->kind) {
    case POS_INDEX: sb_printf(out, "[%zu]", p->index); break;
    case POS_MEMBER: sb_adds(out, "{?}"); break;
    case POS_KEY: key_label(h, p->key, p->attr, out); break;
    case POS_ENTRY: positions_entry_label(p->index, p->attr, out); break;
    case POS_IS_KEY: sb_printf(out, p->attr ? ".<key #%zu>" : "[<key #%zu>]", p->index); break;
    case POS_NAMED: sb_adds(out, p->name); break;
    case POS_FRAME:
        sb_adds(out, POSITIONS_STEP);
        positions_frame_label(h, p->key, out);
        break;
    case POS_LOCAL: {
        size_t len;
        const char *s = heap_str(h, p->key, &len);
        sb_adds(out, POSITIONS_STEP);
        hw_sb_escaped(out, s ? s : "?", s ? len : 1);
        break;
    }
    default: sb_printf(out, ".<ref #%zu>", p->index);
    }
}

void positions_ref_label(const struct heap *h, obj_t parent, size_t k, struct strbuf *out)
{
    struct position p;
    positions_of(h, parent, k, &p);
    positions_label(h, &p, out);
}
