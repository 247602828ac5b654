/* waste.h: memory a program could get back without changing what it stores.
 *
 * - Duplicate strings and bytes: equal values held in separate objects. The
 *   saving is what keeping one copy of each value would free: the sizes of
 *   all copies but the smallest. The scanner cuts values at 100 characters,
 *   so a value whose length (len) is more than the characters the dump holds
 *   is "cut" and never compared: two cut values with equal beginnings may
 *   differ after them.
 * - Empty containers (dict, list, set of len 0), by type, with their bytes.
 * - Over-allocated containers: bigger than CPython would make a container of
 *   that len by adding its items one at a time (waste_natural_size, the rules
 *   are in docs/guide.md). Dicts and sets never shrink when items go, so a
 *   dict that once held many keys keeps their room: that room is the excess.
 * - Instances with a __dict__: per class, the dicts' bytes and what
 *   __slots__ would save (the dict's size less one 8-byte slot pointer per
 *   attribute). Needs the dicts as objects: compute on a heap loaded without
 *   collapse (load_options.collapse = 0).
 * Everything is per type; the lists (top values, top over-allocated objects)
 * are sorted largest first, ready for a screen to draw. */
#ifndef HW_WASTE_H
#define HW_WASTE_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "util.h"

/* A holder of copies: its type, or, for an instance's __dict__, its owner's class. */
struct waste_holder {
    const char *name;        /* the holder's type name, or its owner's class (owned by the heap) */
    int instance_dict;       /* 1: the copies sit in the __dict__ of instances of that class */
    uint64_t copies;
};

#define WASTE_HOLDERS 3

struct waste_dup {
    uint32_t type;           /* str, bytes or unicode */
    uint32_t str;            /* the interned value (heap_str of example) */
    obj_t example;           /* the first copy, in dump order */
    uint64_t copies, bytes, saving;
    struct waste_holder holders[WASTE_HOLDERS]; /* the most frequent holders of copies */
    size_t n_holders;
};

/* Per string type: the totals. */
struct waste_strings {
    uint32_t type;
    uint64_t objects, bytes;     /* all objects of the type */
    uint64_t dup_values, dup_copies, saving; /* values held more than once, their copies, the saving */
    uint64_t cut, cut_bytes;     /* values cut short by the scanner: not compared */
};

struct waste_container {
    uint32_t type;
    int assessed;                /* the dump's sizes follow the model (see waste_natural_size) */
    uint64_t objects, bytes;
    uint64_t empty, empty_bytes;
    uint64_t over, over_bytes, excess; /* over-allocated: objects, their bytes, bytes beyond the natural size */
};

struct waste_over {              /* one over-allocated object */
    obj_t object;
    uint64_t excess;
};

struct waste_class {             /* instances with a __dict__ */
    const char *name;            /* the class: its type name, the classobj's name for Python 2
                                    instances (owned by the heap) */
    uint64_t instances, dict_bytes, attributes, saving;
};

struct waste {
    struct waste_strings *strings; size_t n_strings;
    struct waste_dup *dups; size_t n_dups;       /* the top values by saving */
    uint64_t dup_saving;                         /* all string types */
    struct waste_container *containers; size_t n_containers;
    struct waste_over *over; size_t n_over;      /* the top over-allocated objects by excess */
    struct waste_class *classes; size_t n_classes; /* by saving */
    uint64_t slots_saving;
};

enum waste_kind { WASTE_LIST, WASTE_DICT, WASTE_SET };

/* The size in bytes CPython gives a container of len items built by adding
 * them one at a time, for a dump of flavour f (64-bit builds). */
uint64_t waste_natural_size(enum heap_flavour f, enum waste_kind kind, uint64_t len);

/* Compute everything on h; top: how many values and objects to keep in the
 * lists (0: all). Free with waste_free. */
void waste_compute(const struct heap *h, size_t top, struct waste *w);
void waste_free(struct waste *w);

/* The copies of a duplicated value, in dump order: a new array (caller
 * frees) of *n objects; for a screen that lists them and their holders. */
obj_t *waste_copies(const struct heap *h, const struct waste_dup *d, size_t *n);

/* The empty and over-allocated objects of container row c, in dump order:
 * a new array (caller frees, NULL when *n is 0). */
obj_t *waste_container_objects(const struct heap *h, const struct waste_container *c, size_t *n);
/* The instances with a __dict__ of class row c, in dump order: a new array
 * (caller frees, NULL when *n is 0). */
obj_t *waste_class_instances(const struct heap *h, const struct waste_class *c, size_t *n);

/* Whether a str/bytes value was cut short by the scanner: its len is more
 * than the characters the dump holds. */
int waste_value_cut(const struct heap *h, obj_t o);

#endif
