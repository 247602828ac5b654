/* collapse.h: meliae's collapse_instance_dicts, with the dangling refs fixed.
 *
 * An instance whose refs are exactly (dict, type), a module whose one ref is a
 * dict, and a Python 2 instance whose refs are (classobj, dict) absorb the
 * dict: they take its children (then the type), its size and its len, and the
 * dict leaves the graph.  Like meliae, a dict shared by two owners is absorbed
 * into both (the summary numbers must stay meliae's); unlike meliae, refs to
 * an absorbed dict (a function's __globals__, say) are pointed at its owner
 * instead of dangling. */
#ifndef HW_COLLAPSE_H
#define HW_COLLAPSE_H

#include "heap.h"

/* Whether objects of this type can absorb a __dict__ (meliae's rule: any type
 * but str, dict, tuple, list, type, function, wrapper_descriptor, code,
 * classobj, int, weakref). */
int collapse_candidate_type(const char *name);

/* Run on a resolved heap (heap_resolve done, parents not yet built); compacts
 * it.  Returns 0, or -1 (the heap not collapsed) when the copied dict refs
 * would pass HEAP_MAX_EDGES. */
int collapse_instance_dicts(struct heap *h);

#endif
