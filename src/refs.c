#include "refs.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"


void refs_py_quote(const char *s, size_t len, struct strbuf *out) { hw_sb_repr(out, s, len); }

static int is_bare_value(const struct heap *h, obj_t i)
{
    if (h->flags[i] & OF_VALUE_NUM)
        return 1;
    return (h->flags[i] & OF_VALUE) && strcmp(heap_type_name(h, i), "bool") == 0;
}

static void add_value(const struct heap *h, obj_t i, size_t max_value, struct strbuf *out)
{
    size_t len;
    const char *s = heap_str(h, i, &len);
    if (!s)
        return;
    size_t cut = hw_utf8_cut(s, len, max_value);
    if (is_bare_value(h, i)) {
        hw_sb_escaped(out, s, cut);
    } else {
        refs_py_quote(s, cut, out);
    }
    if (cut < len)
        sb_adds(out, "...");
}

void refs_repr(const struct heap *h, obj_t i, size_t max_value, struct strbuf *out)
{
    hw_sb_escaped_str(out, heap_type_name(h, i));
    sb_printf(out, "(%llu %lluB", (unsigned long long)h->addr[i],
              (unsigned long long)heap_size(h, i));
    size_t nc = heap_nchildren(h, i), np = heap_nparents(h, i);
    if (nc)
        sb_printf(out, " %zurefs", nc);
    if (np)
        sb_printf(out, " %zupar", np);
    if (h->str[i]) {
        sb_addc(out, ' ');
        add_value(h, i, max_value, out);
    }
    sb_addc(out, ')');
}

void refs_child_repr(const struct heap *h, uint32_t child, size_t max_value, struct strbuf *out)
{
    if (heap_is_dangling(child))
        sb_printf(out, "<missing %llu>", (unsigned long long)heap_child_addr(h, child));
    else
        refs_repr(h, child, max_value, out);
}

void refs_literal(const struct heap *h, uint32_t child, size_t max_value, struct strbuf *out)
{
    if (heap_is_dangling(child)) {
        refs_child_repr(h, child, max_value, out);
        return;
    }
    const char *t = heap_type_name(h, child);
    if (h->flags[child] & (OF_VALUE | OF_VALUE_NUM)) {
        add_value(h, child, max_value, out);
    } else if (strcmp(t, "NoneType") == 0) {
        sb_adds(out, "None");
    } else {
        refs_repr(h, child, max_value, out);
    }
}

const char *refs_flavour_name(enum heap_flavour f)
{
    switch (f) {
    case FLAVOUR_PY2: return "Python 2";
    case FLAVOUR_PY3: return "Python 3";
    default: return "unknown";
    }
}

static int all_str(const struct heap *h, const uint32_t *c, size_t n, size_t start)
{
    uint32_t t_str = types_lookup(&h->types, "str");
    uint32_t t_uni = types_lookup(&h->types, "unicode");
    for (size_t k = start; k < n; k += 2)
        if (heap_is_dangling(c[k]) || (h->type[c[k]] != t_str && h->type[c[k]] != t_uni))
            return 0;
    return 1;
}

/* An instance written by heapwalk's scanner on Python 3.11+, where attributes
 * live inline (no __dict__ object): "len" is the number of named attributes
 * and the refs are [slot values..., v1, name1, ..., vL, nameL, type]. meliae
 * never writes a len for an instance, and containers (which have one) are
 * told apart by their names: every name must be a str. */
static int inline_attributes(const struct heap *h, obj_t i, struct dict_view *v)
{
    static const char *const containers[] = {"str", "bytes", "unicode", "tuple", "list", "set",
                                             "frozenset", "bytearray"};
    const char *t = heap_type_name(h, i);
    for (size_t k = 0; k < sizeof containers / sizeof *containers; k++)
        if (strcmp(t, containers[k]) == 0)
            return -1;
    const uint32_t *c = heap_children(h, i);
    size_t n = heap_nchildren(h, i);
    uint64_t len = heap_len(h, i);
    if (!(h->flags[i] & OF_HAS_LEN) || len == 0 || n < 2 * len + 1)
        return -1;
    size_t first = n - 1 - 2 * len;
    if (!all_str(h, c + first, 2 * len, 1))
        return -1;
    v->layout = DICT_VALUE_KEY;
    v->type_ref = c[n - 1];
    v->note = first ? "Python 3.11+ instance (heapwalk's scanner): attributes after its __slots__ values"
                    : "Python 3.11+ instance (heapwalk's scanner): attributes stored inline";
    v->items = xmalloc(len * sizeof *v->items, "a dict view");
    for (size_t k = 0; k < len; k++) {
        v->items[k].value = c[first + 2 * k];
        v->items[k].key = c[first + 2 * k + 1];
    }
    v->n = len;
    return 0;
}

int refs_as_dict(const struct heap *h, obj_t i, struct dict_view *v)
{
    memset(v, 0, sizeof *v);
    v->type_ref = UINT32_MAX;
    const char *t = heap_type_name(h, i);
    const uint32_t *c = heap_children(h, i);
    size_t n = heap_nchildren(h, i);
    if (h->flags[i] & OF_COLLAPSED) {
        if (strcmp(t, "module") != 0 && n > 0) {
            v->type_ref = c[n - 1];
            n--;
        }
    } else if (strcmp(t, "dict") != 0) {
        return inline_attributes(h, i, v);
    }
    int has_len = (h->flags[i] & OF_HAS_LEN) != 0;
    uint64_t len = heap_len(h, i);

    enum dict_layout layout;
    if (has_len && n == len && n > 0 && h->flavour != FLAVOUR_PY2) {
        layout = DICT_VALUES_ONLY;
        v->note = "Python 3 dict with str keys: the dump holds only the values, in order";
    } else if (n % 2 == 0 && h->flavour == FLAVOUR_PY2) {
        layout = DICT_KEY_VALUE;
    } else if (n % 2 == 0 && h->flavour == FLAVOUR_PY3) {
        layout = DICT_VALUE_KEY;
    } else if (n % 2 == 0) {
        /* Unknown writer: the side that is all strings is the keys. */
        int even_str = all_str(h, c, n, 0), odd_str = all_str(h, c, n, 1);
        layout = (odd_str && !even_str) ? DICT_VALUE_KEY : DICT_KEY_VALUE;
        v->note = "dump flavour unknown: key/value order guessed from which side holds strings";
    } else {
        layout = DICT_VALUES_ONLY;
        v->note = "refs do not pair up: shown by position";
    }
    if (has_len && layout != DICT_VALUES_ONLY && n != 2 * len)
        v->note = "refs do not match len: some pairs may be missing";

    v->layout = layout;
    size_t items = layout == DICT_VALUES_ONLY ? n : n / 2;
    v->items = xmalloc((items ? items : 1) * sizeof *v->items, "a dict view");
    for (size_t k = 0; k < items; k++) {
        switch (layout) {
        case DICT_KEY_VALUE:
            v->items[k].key = c[2 * k];
            v->items[k].value = c[2 * k + 1];
            break;
        case DICT_VALUE_KEY:
            v->items[k].key = c[2 * k + 1];
            v->items[k].value = c[2 * k];
            break;
        default:
            v->items[k].key = UINT32_MAX;
            v->items[k].value = c[k];
        }
    }
    v->n = items;
    return 0;
}

void refs_dict_free(struct dict_view *v)
{
    free(v->items);
    memset(v, 0, sizeof *v);
}
