/* refs.h: how objects read: meliae-style reprs, Python literals, and the
 * refs-as-dict view of dicts, modules and instances for each dump flavour. */
#ifndef HW_REFS_H
#define HW_REFS_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "util.h"

/* meliae's repr: type(address sizeB[ Nrefs][ Npar][ value-or-name]).
 * Strings and names are Python-quoted, ints and bools bare.  Parent counts are
 * exact (meliae caps them at 100).  max_value bytes of the value at most
 * (0: all of it), cut at a character boundary and marked with "...". */
void refs_repr(const struct heap *h, obj_t i, size_t max_value, struct strbuf *out);
/* The repr of a child entry: an object's, or "<missing ADDRESS>" for a dangling ref. */
void refs_child_repr(const struct heap *h, uint32_t child, size_t max_value, struct strbuf *out);
/* A Python literal for the object when it has one (str -> 'text', int -> 42,
 * bool -> True, NoneType -> None), else its repr. */
void refs_literal(const struct heap *h, uint32_t child, size_t max_value, struct strbuf *out);
/* Python's repr() of a UTF-8 string: quotes chosen as Python does, \n \t \\
 * and control bytes escaped, other characters kept. */
void refs_py_quote(const char *s, size_t len, struct strbuf *out);

enum dict_layout {
    DICT_NONE = 0,           /* not a dict-like object */
    DICT_KEY_VALUE,          /* Python 2: [k1, v1, k2, v2, ...] */
    DICT_VALUE_KEY,          /* Python 3, other keys: [v1, k1, v2, k2, ...] */
    DICT_VALUES_ONLY,        /* Python 3, str keys: [v1, v2, ...]; the keys are not in the dump */
    DICT_KEYS_THEN_VALUES,   /* Python 3 OrderedDict (tp_traverse): [k1, ..., kn, v1, ..., vn] */
};

struct dict_item {
    uint32_t key;            /* a child entry, or UINT32_MAX when the dump holds no key */
    uint32_t value;          /* a child entry */
    uint32_t key_pos;        /* the key's index among the object's refs, or UINT32_MAX */
    uint32_t value_pos;      /* the value's index among the object's refs */
};

struct dict_view {
    enum dict_layout layout;
    struct dict_item *items; /* owned; free with refs_dict_free */
    size_t n;
    uint32_t type_ref;       /* a collapsed instance's trailing type ref, or UINT32_MAX */
    size_t head;             /* a dict subclass: refs before the items (its class,
                              * default_factory, __dict__, ...), see positions.h */
    const char *note;        /* a caveat to show (static text), or NULL */
};

/* ref (a child entry) is object i's own class: a class object named as i's type. */
int refs_is_class_of(const struct heap *h, uint32_t ref, obj_t i);
/* True for a dict subclass heapwalk can read as a dict: OrderedDict,
 * defaultdict, Counter, or an object with a len whose refs before its items
 * hold its own class (a heap-type subclass). */
int refs_is_dict_subclass(const struct heap *h, obj_t i);
/* The refs of a dict, a dict subclass, a collapsed module or instance as key/value pairs.
 * Returns 0, or -1 (layout DICT_NONE) for other objects. */
int refs_as_dict(const struct heap *h, obj_t i, struct dict_view *v);
void refs_dict_free(struct dict_view *v);
const char *refs_flavour_name(enum heap_flavour f);

/* Classes told apart by their class object, not their name. */
/* Object i's class object: the ref that refs_is_class_of says is its own class
 * (an instance's last ref), or OBJ_NONE when the dump does not link them. */
obj_t refs_class(const struct heap *h, obj_t i);
/* The class objects named name (len bytes): how many there are; the first max
 * of them go to out (may be NULL with max 0). One pass over the heap. */
size_t refs_classes_named(const struct heap *h, const char *name, size_t len, obj_t *out, size_t max);
/* The name of a module that holds class cls (one of its parents), or NULL. */
const char *refs_class_module(const struct heap *h, obj_t cls, size_t *len);
/* Class object cls's module-qualified name: "a.Record" (control bytes as
 * \xNN; "Record@0x1e", the class's address, when no module holds it).  One
 * class's parents: cheap. */
void refs_class_qualified_name(const struct heap *h, obj_t cls, struct strbuf *out);
/* When object i's class shares its name with other classes: appends the
 * module-qualified name ("a.Record", control bytes as \xNN; "Record@0x1e"
 * when no module holds it) and returns how many classes have that name.  Returns
 * 0 (nothing appended) when the name is unique or i's class is not linked.
 * One pass over the heap when i's class is linked: for one object. */
size_t refs_qualified_class(const struct heap *h, obj_t i, struct strbuf *out);
/* For places that name many objects (paths, the types split by class): how
 * many class objects bear each type's name, indexed by type id, counted in
 * one pass.  Owned by the caller (free()). */
uint32_t *refs_class_counts(const struct heap *h);
/* refs_qualified_class with the counts from refs_class_counts (NULL: count by
 * a pass over the heap, as refs_qualified_class does).  The same rule. */
size_t refs_qualified_class_counted(const struct heap *h, const uint32_t *counts, obj_t i, struct strbuf *out);
/* Object i's type name (escaped for a terminal), or its module-qualified
 * class name when its class shares its name (refs_qualified_class_counted;
 * counts may be NULL).  Appends to out. */
void refs_type_or_class(const struct heap *h, const uint32_t *counts, obj_t i, struct strbuf *out);
/* refs_repr, with the module-qualified class name in place of the type
 * ("a.Record(1234 56B 2refs)") when i's class shares its name
 * (refs_qualified_class_counted; counts may be NULL). */
void refs_repr_class(const struct heap *h, const uint32_t *counts, obj_t i, size_t max_value, struct strbuf *out);

#endif
