/* list.h: a virtual list: a row count, the selected row and the first
 * visible row.  Screens keep one per list and draw only the rows from top to
 * top + height; nothing here knows what a row holds. */
#ifndef HW_TUI_LIST_H
#define HW_TUI_LIST_H

#include <stddef.h>

#include "actions.h"

struct list {
    size_t n;                /* rows */
    size_t cursor;           /* the selected row; 0 when n == 0 */
    size_t top;              /* the first visible row */
    int height;              /* visible rows, from the last list_layout() */
};

/* A list of n rows, the first one selected. */
void list_reset(struct list *l, size_t n);
/* The row count changed: keep the cursor on a row that exists. */
void list_set_count(struct list *l, size_t n);
/* The list now shows height rows: keep the cursor visible. */
void list_layout(struct list *l, int height);
/* Apply a movement action (up, down, pages, first, last).
 * Returns 1 if a was one (even at an end), 0 for any other action. */
int list_move(struct list *l, enum action a);
/* Select row and scroll it into view. */
void list_select(struct list *l, size_t row);

enum list_found { LIST_NOT_FOUND, LIST_FOUND, LIST_WRAPPED };
/* Select the next row (dir > 0) or previous one (dir < 0) after the cursor,
 * wrapping around once, for which match(ctx, row) is true. */
enum list_found list_find(struct list *l, int dir, int (*match)(const void *ctx, size_t row), const void *ctx);

#endif
