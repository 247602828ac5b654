/* retained.h: object lists ordered by retained size (dominators.h), for the
 * screens that sort by it.  query_sort() knows only what the heap holds; the
 * retained sizes come from the background analysis, so this sort lives here. */
#ifndef HW_TUI_RETAINED_H
#define HW_TUI_RETAINED_H

#include <stddef.h>
#include <stdint.h>

#include "../src/heap.h"

/* Sort objs by retained[o], largest first (smallest first when reverse).
 * Stable: objects that tie keep the order they had, as query_sort() does, so
 * a get_all list sorted by retained size keeps its ties in get_all order.
 * A radix sort: a million-row list sorts in tens of milliseconds. */
void retained_sort(obj_t *objs, size_t n, const uint64_t *retained, int reverse);

#endif
