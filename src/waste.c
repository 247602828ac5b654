#include "waste.h"

#include <stdlib.h>
#include <string.h>

#include "collapse.h"

/* --- CPython's sizes (64-bit) --- */

static uint64_t pow2_above(uint64_t v, uint64_t start)
{
    uint64_t s = start;
    while (s <= v)
        s <<= 1;
    return s;
}

/* list_resize's new allocation for newsize items: 3.9+ and 3.8 / 2.7. */
static uint64_t list_grow_39(uint64_t n) { return (n + (n >> 3) + 6) & ~(uint64_t)3; }
static uint64_t list_grow_38(uint64_t n) { return n + (n >> 3) + (n < 9 ? 3 : 6); }

static uint64_t list_slots(uint64_t len, uint64_t (*grow)(uint64_t))
{
    uint64_t alloc = 0;
    while (alloc < len)
        alloc = grow(alloc + 1);
    return alloc;
}

/* Python 3.6-3.10 dict: a 64-byte object (GC header included) and a keys
 * table of 2^k slots: a 40-byte header, one index per slot (1, 2, 4 or 8
 * bytes), and 24-byte entries for two thirds of the slots. Full, it grows to
 * the smallest power of two >= 3 x used. */
static uint64_t dict3_usable(uint64_t s) { return (s << 1) / 3; }
static uint64_t dict3_size(uint64_t len)
{
    if (len == 0)
        return 64;
    uint64_t s = 8;
    while (dict3_usable(s) < len)
        s = pow2_above(3 * dict3_usable(s) - 1, 8);
    uint64_t ix = s <= 0xff ? 1 : s <= 0xffff ? 2 : s <= 0xffffffffull ? 4 : 8;
    return 64 + 40 + s * ix + dict3_usable(s) * 24;
}

/* Python 2.7 dict: 280 bytes with an inline table of 8 slots; grows when
 * 2/3 full to the smallest power of two above 4 x used (2 x above 50000),
 * each slot 24 bytes outside the object. */
static uint64_t dict2_size(uint64_t len)
{
    uint64_t s = 8;
    for (;;) {
        uint64_t trigger = (2 * s + 2) / 3; /* fill * 3 >= size * 2 */
        if (trigger > len)
            break;
        s = pow2_above(trigger * (trigger > 50000 ? 2 : 4), 8);
    }
    return s == 8 ? 280 : 280 + 24 * s;
}

/* set: the object with an inline table of 8 entries (216 bytes on Python 3,
 * 232 on 2.7), 16 bytes an entry once outside; after an insertion that fills
 * 3/5 of the slots (Python 3; 2/3 on 2.7) it grows to the smallest power of
 * two above 4 x used (2 x above 50000). */
static uint64_t set_size(uint64_t len, int py2)
{
    uint64_t s = 8;
    for (;;) {
        uint64_t trigger = py2 ? (2 * s + 2) / 3 : (3 * (s - 1) + 4) / 5;
        if (trigger > len)
            break;
        s = pow2_above(trigger * (trigger > 50000 ? 2 : 4), 8);
    }
    uint64_t base = py2 ? 232 : 216;
    return s == 8 ? base : base + 16 * s;
}

uint64_t waste_natural_size(enum heap_flavour f, enum waste_kind kind, uint64_t len)
{
    int py2 = f == FLAVOUR_PY2;
    switch (kind) {
    case WASTE_LIST: {
        /* Python 3 dumps do not say 3.8 or 3.9+: the larger of the two growths. */
        uint64_t a = list_slots(len, list_grow_38), b = py2 ? 0 : list_slots(len, list_grow_39);
        return (py2 ? 72 : 56) + 8 * (a > b ? a : b);
    }
    case WASTE_DICT: return py2 ? dict2_size(len) : dict3_size(len);
    case WASTE_SET: return set_size(len, py2);
    }
    return 0;
}

/* --- strings --- */

int waste_value_cut(const struct heap *h, obj_t o)
{
    if (!(h->flags[o] & OF_VALUE) || !(h->flags[o] & OF_HAS_LEN))
        return 1;
    size_t n;
    const char *s = heap_str(h, o, &n);
    uint64_t chars = 0;
    for (size_t k = 0; k < n; k++)
        chars += ((unsigned char)s[k] & 0xc0) != 0x80;
    return heap_len(h, o) > chars;
}

obj_t *waste_copies(const struct heap *h, const struct waste_dup *d, size_t *n)
{
    size_t cap = d->copies ? (size_t)d->copies : 1, count = 0;
    obj_t *out = xmalloc(cap * sizeof *out, "the copies of a value");
    for (size_t i = 0; i < h->n; i++) {
        obj_t o = (obj_t)i;
        if (h->type[o] != d->type || h->str[o] != d->str || waste_value_cut(h, o))
            continue;
        if (count == cap)
            out = xreallocarray(out, cap *= 2, sizeof *out, "the copies of a value");
        out[count++] = o;
    }
    *n = count;
    return out;
}

static int is_string_type(const char *name)
{
    return strcmp(name, "str") == 0 || strcmp(name, "bytes") == 0 || strcmp(name, "unicode") == 0;
}

struct dup_slot {
    uint64_t key;            /* (type << 32 | str) + 1; 0 empty */
    uint64_t copies, bytes, min_size;
    obj_t example;
    uint32_t rank;           /* index in w->dups + 1 once chosen, else 0 */
};

static size_t dup_find(struct dup_slot *t, size_t cap, uint64_t key)
{
    size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 17) & (cap - 1);
    while (t[i].key && t[i].key != key)
        i = (i + 1) & (cap - 1);
    return i;
}

static int cmp_dups(const void *a, const void *b)
{
    const struct waste_dup *x = a, *y = b;
    if (x->saving != y->saving)
        return x->saving < y->saving ? 1 : -1;
    return x->example < y->example ? -1 : x->example > y->example;
}

/* Who holds an object as a child: its type, or for an instance's __dict__ its owner's class. */
static struct waste_holder holder_of(const struct heap *h, const obj_t *dict_owner, const char *const *class_name,
                                     obj_t p)
{
    if (dict_owner[p] != OBJ_NONE)
        return (struct waste_holder){class_name[dict_owner[p]], 1, 0};
    return (struct waste_holder){heap_type_name(h, p), 0, 0};
}

struct holder_tally {
    struct waste_holder *rows;
    size_t n, cap;
};

static void tally_add(struct holder_tally *t, struct waste_holder hd)
{
    for (size_t k = 0; k < t->n; k++)
        if (t->rows[k].name == hd.name && t->rows[k].instance_dict == hd.instance_dict) {
            t->rows[k].copies++;
            return;
        }
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 4;
        t->rows = xreallocarray(t->rows, t->cap, sizeof *t->rows, "the waste report");
    }
    hd.copies = 1;
    t->rows[t->n++] = hd;
}

static int cmp_holders(const void *a, const void *b)
{
    const struct waste_holder *x = a, *y = b;
    if (x->copies != y->copies)
        return x->copies < y->copies ? 1 : -1;
    int c = strcmp(x->name, y->name);
    return c ? c : x->instance_dict - y->instance_dict;
}

static void strings_compute(const struct heap *h, size_t top, const obj_t *dict_owner, const char *const *class_name,
                            struct waste *w)
{
    uint32_t nt = h->types.n;
    int32_t *row_of = xmalloc((nt ? nt : 1) * sizeof *row_of, "the waste report");
    w->strings = xcalloc(3, sizeof *w->strings, "the waste report");
    for (uint32_t t = 0; t < nt; t++) {
        row_of[t] = -1;
        if (is_string_type(types_name(&h->types, t))) {
            row_of[t] = (int32_t)w->n_strings;
            w->strings[w->n_strings++].type = t;
        }
    }
    size_t cap = 16;
    while (cap < 2 * h->n + 2)
        cap *= 2;
    struct dup_slot *tab = xcalloc(cap, sizeof *tab, "the waste report");
    for (size_t i = 0; i < h->n; i++) {
        obj_t o = (obj_t)i;
        if (row_of[h->type[o]] < 0)
            continue;
        struct waste_strings *ws = &w->strings[row_of[h->type[o]]];
        uint64_t size = heap_size(h, o);
        ws->objects++;
        ws->bytes += size;
        if (waste_value_cut(h, o)) {
            ws->cut++;
            ws->cut_bytes += size;
            continue;
        }
        struct dup_slot *d = &tab[dup_find(tab, cap, ((uint64_t)h->type[o] << 32 | h->str[o]) + 1)];
        if (!d->key) {
            d->key = ((uint64_t)h->type[o] << 32 | h->str[o]) + 1;
            d->example = o;
            d->min_size = size;
        }
        d->copies++;
        d->bytes += size;
        d->min_size = size < d->min_size ? size : d->min_size;
    }
    size_t ndup = 0;
    for (size_t k = 0; k < cap; k++)
        ndup += tab[k].copies > 1;
    struct waste_dup *all = xmalloc((ndup ? ndup : 1) * sizeof *all, "the waste report");
    size_t j = 0;
    for (size_t k = 0; k < cap; k++) {
        struct dup_slot *d = &tab[k];
        if (d->copies < 2)
            continue;
        uint32_t type = h->type[d->example];
        struct waste_strings *ws = &w->strings[row_of[type]];
        uint64_t saving = d->bytes - d->min_size;
        ws->dup_values++;
        ws->dup_copies += d->copies;
        ws->saving += saving;
        w->dup_saving += saving;
        all[j++] = (struct waste_dup){type, h->str[d->example], d->example, d->copies, d->bytes, saving, {{0}}, 0};
    }
    if (ndup > 1)
        qsort(all, ndup, sizeof *all, cmp_dups);
    w->n_dups = (top && top < ndup) ? top : ndup;
    w->dups = all;
    /* The holders of the kept values' copies. */
    for (size_t k = 0; k < w->n_dups; k++) {
        const struct waste_dup *d = &all[k];
        tab[dup_find(tab, cap, ((uint64_t)d->type << 32 | d->str) + 1)].rank = (uint32_t)k + 1;
    }
    struct holder_tally *tally = xcalloc(w->n_dups ? w->n_dups : 1, sizeof *tally, "the waste report");
    for (size_t i = 0; i < h->n && w->n_dups; i++) {
        obj_t o = (obj_t)i;
        if (row_of[h->type[o]] < 0 || waste_value_cut(h, o))
            continue;
        uint32_t rank = tab[dup_find(tab, cap, ((uint64_t)h->type[o] << 32 | h->str[o]) + 1)].rank;
        if (!rank)
            continue;
        const uint32_t *ps = heap_parents(h, o);
        for (size_t q = 0; q < heap_nparents(h, o); q++)
            tally_add(&tally[rank - 1], holder_of(h, dict_owner, class_name, ps[q]));
    }
    for (size_t k = 0; k < w->n_dups; k++) {
        struct holder_tally *t = &tally[k];
        if (t->n > 1)
            qsort(t->rows, t->n, sizeof *t->rows, cmp_holders);
        all[k].n_holders = t->n < WASTE_HOLDERS ? t->n : WASTE_HOLDERS;
        memcpy(all[k].holders, t->rows, all[k].n_holders * sizeof *t->rows);
        free(t->rows);
    }
    free(tally);
    free(tab);
    free(row_of);
}

/* --- containers --- */

static int cmp_over(const void *a, const void *b)
{
    const struct waste_over *x = a, *y = b;
    if (x->excess != y->excess)
        return x->excess < y->excess ? 1 : -1;
    return x->object < y->object ? -1 : x->object > y->object;
}

static void containers_compute(const struct heap *h, size_t top, struct waste *w)
{
    static const char *const names[] = {"list", "dict", "set"};
    static const enum waste_kind kinds[] = {WASTE_LIST, WASTE_DICT, WASTE_SET};
    uint32_t ids[3];
    w->containers = xcalloc(3, sizeof *w->containers, "the waste report");
    for (size_t k = 0; k < 3; k++) {
        ids[k] = types_lookup(&h->types, names[k]);
        if (ids[k] != UINT32_MAX)
            w->containers[w->n_containers++].type = ids[k];
    }
    /* The model holds when some container's size is exactly its natural size. */
    for (size_t i = 0; i < h->n; i++) {
        for (size_t k = 0; k < w->n_containers; k++) {
            struct waste_container *c = &w->containers[k];
            if (h->type[i] != c->type || !(h->flags[i] & OF_HAS_LEN))
                continue;
            size_t kind = 0;
            while (ids[kind] != c->type)
                kind++;
            if (heap_size(h, (obj_t)i) == waste_natural_size(h->flavour, kinds[kind], heap_len(h, (obj_t)i)))
                c->assessed = 1;
        }
    }
    size_t n_over = 0, cap_over = 0;
    struct waste_over *over = NULL;
    for (size_t i = 0; i < h->n; i++) {
        obj_t o = (obj_t)i;
        for (size_t k = 0; k < w->n_containers; k++) {
            struct waste_container *c = &w->containers[k];
            if (h->type[o] != c->type)
                continue;
            size_t kind = 0;
            while (ids[kind] != c->type)
                kind++;
            uint64_t size = heap_size(h, o), len = heap_len(h, o);
            c->objects++;
            c->bytes += size;
            if (!(h->flags[o] & OF_HAS_LEN))
                continue;
            if (len == 0) {
                c->empty++;
                c->empty_bytes += size;
            }
            uint64_t natural = waste_natural_size(h->flavour, kinds[kind], len);
            if (!c->assessed || size <= natural)
                continue;
            c->over++;
            c->over_bytes += size;
            c->excess += size - natural;
            if (n_over == cap_over) {
                cap_over = cap_over ? 2 * cap_over : 64;
                over = xreallocarray(over, cap_over, sizeof *over, "the waste report");
            }
            over[n_over++] = (struct waste_over){o, size - natural};
        }
    }
    if (n_over > 1)
        qsort(over, n_over, sizeof *over, cmp_over);
    w->over = over;
    w->n_over = (top && top < n_over) ? top : n_over;
}

/* --- instances with a __dict__ --- */

static int cmp_classes(const void *a, const void *b)
{
    const struct waste_class *x = a, *y = b;
    if (x->saving != y->saving)
        return x->saving < y->saving ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* dict_owner[d]: the instance whose __dict__ d is (OBJ_NONE for other
 * objects); class_name[o]: an instance's class name. */
static void find_instance_dicts(const struct heap *h, obj_t *dict_owner, const char **class_name)
{
    uint32_t t_dict = types_lookup(&h->types, "dict"), t_type = types_lookup(&h->types, "type");
    uint32_t t_instance = types_lookup(&h->types, "instance"), t_classobj = types_lookup(&h->types, "classobj");
    uint32_t t_module = types_lookup(&h->types, "module");
    uint32_t nt = h->types.n;
    uint8_t *candidate = xmalloc(nt ? nt : 1, "the waste report");
    for (uint32_t t = 0; t < nt; t++)
        candidate[t] = t != t_module && collapse_candidate_type(types_name(&h->types, t));
    for (size_t i = 0; i < h->n; i++) {
        dict_owner[i] = OBJ_NONE;
        class_name[i] = NULL;
    }
    for (size_t i = 0; i < h->n && t_dict != UINT32_MAX; i++) {
        obj_t o = (obj_t)i;
        if (!candidate[h->type[o]] || heap_nchildren(h, o) != 2)
            continue;
        const uint32_t *c = heap_children(h, o);
        if (heap_is_dangling(c[0]) || heap_is_dangling(c[1]))
            continue;
        obj_t dict = OBJ_NONE;
        const char *name = heap_type_name(h, o);
        if (h->type[c[0]] == t_dict && h->type[c[1]] == t_type) {
            dict = c[0];
        } else if (h->type[o] == t_instance && h->type[c[0]] == t_classobj && h->type[c[1]] == t_dict) {
            dict = c[1];
            if (h->flags[c[0]] & OF_NAME)
                name = heap_str(h, c[0], NULL);
        }
        if (dict == OBJ_NONE || dict == o || dict_owner[dict] != OBJ_NONE)
            continue; /* a dict shared by two owners counts for the first */
        dict_owner[dict] = o;
        class_name[o] = name;
    }
    free(candidate);
}

static void classes_compute(const struct heap *h, const obj_t *dict_owner, const char *const *class_name,
                            struct waste *w)
{
    size_t cap = 0;
    for (size_t i = 0; i < h->n; i++) {
        obj_t d = (obj_t)i, o = dict_owner[i];
        if (o == OBJ_NONE)
            continue;
        struct waste_class *c = NULL;
        for (size_t k = 0; k < w->n_classes; k++) /* a few hundred classes at most */
            if (strcmp(w->classes[k].name, class_name[o]) == 0) {
                c = &w->classes[k];
                break;
            }
        if (!c) {
            if (w->n_classes == cap) {
                cap = cap ? 2 * cap : 16;
                w->classes = xreallocarray(w->classes, cap, sizeof *w->classes, "the waste report");
            }
            c = &w->classes[w->n_classes++];
            *c = (struct waste_class){class_name[o], 0, 0, 0, 0};
        }
        uint64_t size = heap_size(h, d), attrs = heap_len(h, d);
        c->instances++;
        c->dict_bytes += size;
        c->attributes += attrs;
        uint64_t save = size > 8 * attrs ? size - 8 * attrs : 0;
        c->saving += save;
        w->slots_saving += save;
    }
    if (w->n_classes > 1)
        qsort(w->classes, w->n_classes, sizeof *w->classes, cmp_classes);
}

void waste_compute(const struct heap *h, size_t top, struct waste *w)
{
    memset(w, 0, sizeof *w);
    obj_t *dict_owner = xmalloc((h->n ? h->n : 1) * sizeof *dict_owner, "the waste report");
    const char **class_name = xmalloc((h->n ? h->n : 1) * sizeof *class_name, "the waste report");
    find_instance_dicts(h, dict_owner, class_name);
    strings_compute(h, top, dict_owner, class_name, w);
    containers_compute(h, top, w);
    classes_compute(h, dict_owner, class_name, w);
    free(class_name);
    free(dict_owner);
}

void waste_free(struct waste *w)
{
    free(w->strings);
    free(w->dups);
    free(w->containers);
    free(w->over);
    free(w->classes);
    memset(w, 0, sizeof *w);
}

/* --- the objects behind a row, for a screen that lists them --- */

static void objs_push(obj_t **out, size_t *n, size_t *cap, obj_t o, const char *what)
{
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        *out = xreallocarray(*out, *cap, sizeof **out, what);
    }
    (*out)[(*n)++] = o;
}

obj_t *waste_container_objects(const struct heap *h, const struct waste_container *c, size_t *n)
{
    static const char *const names[] = {"list", "dict", "set"};
    static const enum waste_kind kinds[] = {WASTE_LIST, WASTE_DICT, WASTE_SET};
    const char *name = types_name(&h->types, c->type);
    size_t kind = 0;
    while (kind < 2 && strcmp(names[kind], name) != 0)
        kind++;
    obj_t *out = NULL;
    size_t cap = 0;
    *n = 0;
    for (size_t i = 0; i < h->n; i++) {
        obj_t o = (obj_t)i;
        if (h->type[o] != c->type || !(h->flags[o] & OF_HAS_LEN))
            continue;
        uint64_t len = heap_len(h, o);
        if (len == 0 || (c->assessed && heap_size(h, o) > waste_natural_size(h->flavour, kinds[kind], len)))
            objs_push(&out, n, &cap, o, "the wasteful containers");
    }
    return out;
}

obj_t *waste_class_instances(const struct heap *h, const struct waste_class *c, size_t *n)
{
    obj_t *dict_owner = xmalloc((h->n ? h->n : 1) * sizeof *dict_owner, "the instances of a class");
    const char **class_name = xmalloc((h->n ? h->n : 1) * sizeof *class_name, "the instances of a class");
    find_instance_dicts(h, dict_owner, class_name);
    obj_t *out = NULL;
    size_t cap = 0;
    *n = 0;
    for (size_t i = 0; i < h->n; i++)
        if (class_name[i] && strcmp(class_name[i], c->name) == 0)
            objs_push(&out, n, &cap, (obj_t)i, "the instances of a class");
    free(class_name);
    free(dict_owner);
    return out;
}
