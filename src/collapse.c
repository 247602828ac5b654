#include "collapse.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* meliae never collapses objects of these types. */
static const char *const not_candidates[] = {
    "str", "dict", "tuple", "list", "type", "function", "wrapper_descriptor",
    "code", "classobj", "int", "weakref",
};

int collapse_candidate_type(const char *name)
{
    for (size_t k = 0; k < sizeof not_candidates / sizeof *not_candidates; k++)
        if (strcmp(name, not_candidates[k]) == 0)
            return 0;
    return 1;
}

int collapse_instance_dicts(struct heap *h)
{
    size_t n = h->n;
    uint32_t ntypes = h->types.n;
    uint8_t *skip = xcalloc(ntypes ? ntypes : 1, 1, "collapsing instance dicts");
    for (size_t k = 0; k < sizeof not_candidates / sizeof *not_candidates; k++) {
        uint32_t t = types_lookup(&h->types, not_candidates[k]);
        if (t != UINT32_MAX)
            skip[t] = 1;
    }
    uint32_t t_dict = types_lookup(&h->types, "dict");
    uint32_t t_type = types_lookup(&h->types, "type");
    uint32_t t_module = types_lookup(&h->types, "module");
    uint32_t t_instance = types_lookup(&h->types, "instance");
    uint32_t t_classobj = types_lookup(&h->types, "classobj");
    if (t_dict == UINT32_MAX) { /* no dicts: nothing to absorb */
        free(skip);
        if (heap_compact(h, 0) < 0)
            return -1;
        h->collapsed = 1;
        return 0;
    }

    for (size_t i = 0; i < n; i++) {
        uint32_t t = h->type[i];
        if ((h->flags[i] & OF_DROP) || skip[t])
            continue;
        const uint32_t *c = heap_children(h, (obj_t)i);
        size_t nc = heap_nchildren(h, (obj_t)i);
        obj_t dict = OBJ_NONE, cls = OBJ_NONE;
        if (t == t_module && nc == 1) {
            if (heap_is_dangling(c[0]) || h->type[c[0]] != t_dict)
                continue;
            dict = c[0];
        } else {
            if (nc != 2 || heap_is_dangling(c[0]) || heap_is_dangling(c[1]))
                continue;
            if (h->type[c[0]] == t_dict && h->type[c[1]] == t_type) {
                dict = c[0];
            } else if (t == t_instance && h->type[c[0]] == t_classobj && h->type[c[1]] == t_dict) {
                cls = c[0];
                dict = c[1];
            } else {
                continue;
            }
        }
        if (dict == (obj_t)i)
            continue;
        /* Absorb: the dict goes first among the owner's children (where
         * heap_compact looks for it; the others keep their order). */
        if (c[0] != dict) {
            uint32_t *cw = h->children + h->child_off[i];
            cw[1] = cw[0];
            cw[0] = dict;
        }
        if (!(h->flags[dict] & OF_DROP)) {
            h->flags[dict] |= OF_DROP | OF_COLLAPSED; /* absorbed */
            h->stats.dicts_removed++;
        }
        h->flags[i] |= OF_COLLAPSED;
        h->stats.collapsed++;
        heap_set_size(h, (obj_t)i, heap_size(h, (obj_t)i) + heap_size(h, dict));
        h->flags[i] &= (uint8_t)~OF_HAS_LEN;
        if (h->flags[dict] & OF_HAS_LEN) {
            h->flags[i] |= OF_HAS_LEN;
            heap_set_len(h, (obj_t)i, heap_len(h, dict));
        }
        if (cls != OBJ_NONE && (h->flags[cls] & OF_NAME)) {
            size_t len;
            const char *name = heap_str(h, cls, &len);
            h->type[i] = types_intern(&h->types, name, len);
        }
    }
    free(skip);
    /* Refs to an absorbed dict go to its first owner: its number goes where
     * the dict's size was (now its owners'), the last written the first. */
    for (size_t i = n; i-- > 0;)
        if ((h->flags[i] & (OF_COLLAPSED | OF_DROP)) == OF_COLLAPSED)
            h->size32[heap_children(h, (obj_t)i)[0]] = (uint32_t)i;
    if (heap_compact(h, 1) < 0)
        return -1;
    h->collapsed = 1;
    return 0;
}
