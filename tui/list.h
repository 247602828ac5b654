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

enum list_found { LIST_NOT_FOUND, LIST_FOUND, LIST_WRAPPED, LIST_SEARCHING };

/* A search through the rows that can pause, so that a list of millions
 * is searched a slice at a time between keys: each list_search_step looks
 * at up to budget rows and says LIST_SEARCHING until it has found a row or
 * gone once round the list.  Whenever the list's cursor or row count is not
 * what it was when the search began (the list changed under it), or begun
 * is 0, it begins again from the cursor.  The rows it finds are those a
 * search in one go (list_find) finds. */
struct list_search {
    int dir;                 /* > 0: the rows after the cursor; < 0: those before */
    size_t budget;           /* rows a step looks at; 0: as many as it takes */
    int begun;
    size_t start, n;         /* the cursor and the row count when it began */
    size_t row;              /* the row looked at last */
    size_t left;             /* rows still to look at */
};

/* Look at the next rows for one for which match(ctx, row) is true: select
 * it and return LIST_FOUND (LIST_WRAPPED: at or before the cursor going
 * down, at or after it going up: the search went round the end), or
 * LIST_NOT_FOUND once every row was looked at, or LIST_SEARCHING. */
enum list_found list_search_step(struct list *l, struct list_search *s, int (*match)(const void *ctx, size_t row),
                                 const void *ctx);
/* Select the next row (dir > 0) or previous one (dir < 0) after the cursor,
 * wrapping around once, for which match(ctx, row) is true: a whole search
 * in one step. */
enum list_found list_find(struct list *l, int dir, int (*match)(const void *ctx, size_t row), const void *ctx);

#endif
