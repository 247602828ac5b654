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

/* refs_repr after its type name. */
static void repr_body(const struct heap *h, obj_t i, size_t max_value, struct strbuf *out)
{
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

void refs_repr(const struct heap *h, obj_t i, size_t max_value, struct strbuf *out)
{
    hw_sb_escaped_str(out, heap_type_name(h, i));
    repr_body(h, i, max_value, out);
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

/* A class object: a named object that is not a module, function or code. */
static int is_class_object(const struct heap *h, obj_t o)
{
    static const char *const named[] = {"module", "function", "builtin_function_or_method", "code"};
    if (!(h->flags[o] & OF_NAME))
        return 0;
    const char *t = heap_type_name(h, o);
    for (size_t k = 0; k < sizeof named / sizeof *named; k++)
        if (strcmp(t, named[k]) == 0)
            return 0;
    return 1;
}

/* ref is a class object named as object i's type: i's own class. */
int refs_is_class_of(const struct heap *h, uint32_t ref, obj_t i)
{
    if (heap_is_dangling(ref) || !is_class_object(h, ref))
        return 0;
    size_t len;
    const char *s = heap_str(h, ref, &len);
    const char *t = heap_type_name(h, i);
    return s && strlen(t) == len && memcmp(s, t, len) == 0;
}

static const char *const dict_subclasses[] = {"collections.OrderedDict", "collections.defaultdict", "OrderedDict",
                                              "defaultdict", "Counter", "collections.Counter"};

static int known_dict_subclass(const char *t)
{
    for (size_t k = 0; k < sizeof dict_subclasses / sizeof *dict_subclasses; k++)
        if (strcmp(t, dict_subclasses[k]) == 0)
            return 1;
    return 0;
}

int refs_is_dict_subclass(const struct heap *h, obj_t i)
{
    const char *t = heap_type_name(h, i);
    if (strcmp(t, "dict") == 0 || !(h->flags[i] & OF_HAS_LEN) || (h->flags[i] & (OF_VALUE | OF_NAME)))
        return 0;
    if (known_dict_subclass(t))
        return 1;
    size_t n = heap_nchildren(h, i);
    uint64_t len = heap_len(h, i);
    if (len == 0 || n < 2 * len)
        return 0;
    /* subtype_traverse visits the class last among a heap-type instance's own
     * refs, right before the base dict's items. */
    return refs_is_class_of(h, heap_children(h, i)[n - 2 * len - 1], i) ||
           refs_is_class_of(h, heap_children(h, i)[n - len - 1], i);
}

/* How many refs a dict subclass has before its items, and their layout. */
static enum dict_layout subclass_layout(const struct heap *h, obj_t i, size_t *head, const char **note)
{
    size_t n = heap_nchildren(h, i);
    uint64_t len = heap_len(h, i);
    const uint32_t *c = heap_children(h, i);
    const char *t = heap_type_name(h, i);
    *note = NULL;
    if (n < len) {
        *head = 0;
        *note = "refs fewer than len: shown by position";
        return DICT_VALUES_ONLY;
    }
    if (h->flavour == FLAVOUR_PY2 && n >= 2 * len) {
        *head = n - 2 * len;
        return DICT_KEY_VALUE;
    }
    int pairs = n >= 2 * len, values = 1;
    if (strstr(t, "OrderedDict")) {
        /* odict_traverse visits every key, then dict_traverse the items:
         * [keys..., values...] (str keys) or [keys..., v1, k1, ...]; heapwalk's
         * scanner ends with the [value, key] pairs either way. */
        if (len && n >= 3 * len) {
            *head = n - 2 * len;
            return DICT_VALUE_KEY;
        }
        if (pairs) {
            *head = n - 2 * len;
            return DICT_KEYS_THEN_VALUES;
        }
    }
    if (pairs && len && !known_dict_subclass(t)) {
        pairs = refs_is_class_of(h, c[n - 2 * len - 1], i);
        values = !pairs;
    }
    if (pairs) {
        *head = n - 2 * len;
        if (values && len && n - len <= 2)
            *note = "read as [value, key] pairs (heapwalk's scanner); a meliae dump may hold only values";
        return DICT_VALUE_KEY;
    }
    *head = n - len;
    *note = "Python 3 dict with str keys: the dump holds only the values, in order";
    return DICT_VALUES_ONLY;
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
    if (!refs_is_class_of(h, c[n - 1], i) || !all_str(h, c + first, 2 * len, 1))
        return -1;
    v->layout = DICT_VALUE_KEY;
    v->type_ref = c[n - 1];
    v->note = first ? "Python 3.11+ instance (heapwalk's scanner): attributes after its __slots__ values"
                    : "Python 3.11+ instance (heapwalk's scanner): attributes stored inline";
    v->items = xmalloc(len * sizeof *v->items, "a dict view");
    for (size_t k = 0; k < len; k++) {
        v->items[k].value = c[first + 2 * k];
        v->items[k].key = c[first + 2 * k + 1];
        v->items[k].value_pos = (uint32_t)(first + 2 * k);
        v->items[k].key_pos = (uint32_t)(first + 2 * k + 1);
    }
    v->head = first;
    v->n = len;
    return 0;
}

/* The layout of a plain dict's (or a collapsed owner's) n refs. */
static enum dict_layout plain_layout(const struct heap *h, obj_t i, size_t n, const char **note)
{
    const uint32_t *c = heap_children(h, i);
    int has_len = (h->flags[i] & OF_HAS_LEN) != 0;
    uint64_t len = heap_len(h, i);
    enum dict_layout layout;
    *note = NULL;
    if (has_len && n == len && n > 0 && h->flavour != FLAVOUR_PY2) {
        layout = DICT_VALUES_ONLY;
        *note = "Python 3 dict with str keys: the dump holds only the values, in order";
    } else if (n % 2 == 0 && h->flavour == FLAVOUR_PY2) {
        layout = DICT_KEY_VALUE;
    } else if (n % 2 == 0 && h->flavour == FLAVOUR_PY3) {
        layout = DICT_VALUE_KEY;
    } else if (n % 2 == 0) {
        /* Unknown writer: the side that is all strings is the keys. */
        int even_str = all_str(h, c, n, 0), odd_str = all_str(h, c, n, 1);
        layout = (odd_str && !even_str) ? DICT_VALUE_KEY : DICT_KEY_VALUE;
        *note = "dump flavour unknown: key/value order guessed from which side holds strings";
    } else {
        layout = DICT_VALUES_ONLY;
        *note = "refs do not pair up: shown by position";
    }
    if (has_len && layout != DICT_VALUES_ONLY && n != 2 * len)
        *note = "refs do not match len: some pairs may be missing";
    return layout;
}

static void fill_items(const uint32_t *c, size_t head, size_t n, struct dict_view *v)
{
    size_t m = n - head;
    size_t items = v->layout == DICT_VALUES_ONLY ? m : m / 2;
    v->items = xmalloc((items ? items : 1) * sizeof *v->items, "a dict view");
    for (size_t k = 0; k < items; k++) {
        size_t kp, vp;
        switch (v->layout) {
        case DICT_KEY_VALUE: kp = head + 2 * k; vp = kp + 1; break;
        case DICT_VALUE_KEY: vp = head + 2 * k; kp = vp + 1; break;
        case DICT_KEYS_THEN_VALUES: kp = head + k; vp = head + items + k; break;
        default: kp = SIZE_MAX; vp = head + k;
        }
        v->items[k].key = kp == SIZE_MAX ? UINT32_MAX : c[kp];
        v->items[k].key_pos = kp == SIZE_MAX ? UINT32_MAX : (uint32_t)kp;
        v->items[k].value = c[vp];
        v->items[k].value_pos = (uint32_t)vp;
    }
    v->n = items;
    v->head = head;
}

int refs_as_dict(const struct heap *h, obj_t i, struct dict_view *v)
{
    memset(v, 0, sizeof *v);
    v->type_ref = UINT32_MAX;
    const char *t = heap_type_name(h, i);
    const uint32_t *c = heap_children(h, i);
    size_t n = heap_nchildren(h, i), head = 0;
    if (h->flags[i] & OF_COLLAPSED) {
        if (strcmp(t, "module") != 0 && n > 0) {
            v->type_ref = c[n - 1];
            n--;
        }
        v->layout = plain_layout(h, i, n, &v->note);
    } else if (strcmp(t, "dict") == 0) {
        v->layout = plain_layout(h, i, n, &v->note);
    } else if (refs_is_dict_subclass(h, i)) {
        v->layout = subclass_layout(h, i, &head, &v->note);
    } else {
        return inline_attributes(h, i, v);
    }
    fill_items(c, head, n, v);
    return 0;
}

void refs_dict_free(struct dict_view *v)
{
    free(v->items);
    memset(v, 0, sizeof *v);
}

obj_t refs_class(const struct heap *h, obj_t i)
{
    const uint32_t *c = heap_children(h, i);
    for (size_t k = heap_nchildren(h, i); k-- > 0;)
        if (refs_is_class_of(h, c[k], i))
            return c[k];
    return OBJ_NONE;
}

size_t refs_classes_named(const struct heap *h, const char *name, size_t len, obj_t *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++) {
        size_t sl;
        const char *s = heap_str(h, (obj_t)i, &sl);
        if (!s || sl != len || memcmp(s, name, len) != 0 || !is_class_object(h, (obj_t)i))
            continue;
        if (n < max)
            out[n] = (obj_t)i;
        n++;
    }
    return n;
}

const char *refs_class_module(const struct heap *h, obj_t cls, size_t *len)
{
    const uint32_t *p = heap_parents(h, cls);
    for (size_t k = 0; k < heap_nparents(h, cls); k++)
        if (strcmp(heap_type_name(h, p[k]), "module") == 0 && (h->flags[p[k]] & OF_NAME))
            return heap_str(h, p[k], len);
    return NULL;
}

/* Bytes as they are, control bytes as \\xNN. */
static void add_escaped(const char *s, size_t len, struct strbuf *out)
{
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c < 0x20 || c == 0x7f)
            sb_printf(out, "\\x%02x", c);
        else
            sb_addc(out, (char)c);
    }
}

void refs_class_qualified_name(const struct heap *h, obj_t cls, struct strbuf *out)
{
    size_t len = 0, mlen = 0;
    const char *name = heap_str(h, cls, &len);
    const char *mod = refs_class_module(h, cls, &mlen);
    if (mod) {
        add_escaped(mod, mlen, out);
        sb_addc(out, '.');
        add_escaped(name ? name : "?", name ? len : 1, out);
    } else { /* no module holds it (a class made in a function, say): its address tells it apart */
        add_escaped(name ? name : "?", name ? len : 1, out);
        sb_printf(out, "@0x%llx", (unsigned long long)h->addr[cls]);
    }
}

uint32_t *refs_class_counts(const struct heap *h)
{
    uint32_t *counts = xcalloc(h->types.n ? h->types.n : 1, sizeof *counts, "the classes by name");
    for (size_t i = 0; i < h->n; i++) {
        size_t len;
        const char *s = heap_str(h, (obj_t)i, &len);
        if (!s || strlen(s) != len || !is_class_object(h, (obj_t)i))
            continue;
        uint32_t t = types_lookup(&h->types, s);
        if (t != UINT32_MAX)
            counts[t]++;
    }
    return counts;
}

size_t refs_qualified_class_counted(const struct heap *h, const uint32_t *counts, obj_t i, struct strbuf *out)
{
    if (counts && counts[h->type[i]] < 2)
        return 0; /* checked first: most objects' names are unique */
    obj_t cls = refs_class(h, i);
    size_t len;
    const char *name = cls == OBJ_NONE ? NULL : heap_str(h, cls, &len);
    if (!name)
        return 0;
    size_t n = counts ? counts[h->type[i]] : refs_classes_named(h, name, len, NULL, 0);
    if (n < 2)
        return 0;
    refs_class_qualified_name(h, cls, out);
    return n;
}

size_t refs_qualified_class(const struct heap *h, obj_t i, struct strbuf *out)
{
    return refs_qualified_class_counted(h, NULL, i, out);
}

void refs_type_or_class(const struct heap *h, const uint32_t *counts, obj_t i, struct strbuf *out)
{
    if (!refs_qualified_class_counted(h, counts, i, out))
        hw_sb_escaped_str(out, heap_type_name(h, i));
}

void refs_repr_class(const struct heap *h, const uint32_t *counts, obj_t i, size_t max_value, struct strbuf *out)
{
    refs_type_or_class(h, counts, i, out);
    repr_body(h, i, max_value, out);
}
