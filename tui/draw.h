/* draw.h: putting text on the screen: colour roles with a monochrome
 * column, a glyph table with UTF-8 and ASCII columns, text cut to a width
 * (by display columns, never splitting a character), wrapped text, and rows
 * laid out in columns that are dropped, least useful first, when the
 * terminal is narrow.  Everything draws on stdscr; nothing here keeps state
 * besides the choices draw_init() makes. */
#ifndef HW_TUI_DRAW_H
#define HW_TUI_DRAW_H

#include <curses.h>
#include <stddef.h>

enum role {
    ROLE_NORMAL,
    ROLE_TITLE,              /* the top line */
    ROLE_HEADER,             /* column headers */
    ROLE_SORTED,             /* the header of the column the list is sorted by */
    ROLE_CURSOR,             /* the selected row */
    ROLE_CURSOR_IDLE,        /* the selected row of a pane that does not have the focus */
    ROLE_PANE,               /* a pane's title line */
    ROLE_PANE_ACTIVE,        /* ... of the pane with the focus */
    ROLE_STATUS,             /* the bottom line */
    ROLE_MESSAGE,
    ROLE_ERROR,
    ROLE_NOTE,               /* caveats and explanations */
    ROLE_COUNT
};

enum glyph {
    GLYPH_DOWN,              /* sorted descending */
    GLYPH_UP,                /* sorted ascending */
    GLYPH_HLINE,             /* pane title rules */
    GLYPH_MORE,              /* text cut here */
    GLYPH_SEP,               /* between parts of a title */
    GLYPH_COLLAPSED,         /* a tree row whose children are hidden */
    GLYPH_EXPANDED,          /* a tree row whose children are listed below it */
    GLYPH_NEW,               /* compare mode: an object that is not in the old dump */
    GLYPH_COUNT
};

/* Choose colours (when want_color, the terminal has them and NO_COLOR is not
 * set) and glyphs (UTF-8 when the locale's codeset is UTF-8). Call after
 * curses has started. */
void draw_init(int want_color);
/* Whether the glyphs are UTF-8 (else ASCII): for text drawn elsewhere that
 * must follow the same choice (sparklines). */
int draw_utf8(void);
/* The glyph's text for the chosen set: one display column. */
const char *draw_glyph(enum glyph g);

/* Display columns the first len bytes of s take (bad bytes count one each). */
int draw_width(const char *s, size_t len);
/* Draw s at (y, x) in at most width columns; text that does not fit is cut
 * and ends with GLYPH_MORE. Control characters and bytes the locale cannot
 * show appear as '?'. Returns the columns drawn. */
int draw_text(int y, int x, int width, const char *s, size_t len, enum role r);
/* draw_text for a C string. */
int draw_str(int y, int x, int width, const char *s, enum role r);
/* Blank width columns from (y, x) in the role's attributes. */
void draw_fill(int y, int x, int width, enum role r);
/* A whole row: s, then blanks to width. */
void draw_row(int y, int width, const char *s, enum role r);
/* A pane title: a short rule, the title, and a rule to the end of the row. */
void draw_rule(int y, int width, const char *title, enum role r);

/* Rows of s wrapped at width columns (at least 1). */
int draw_wrap_rows(const char *s, size_t len, int width);
/* Draw s wrapped at width columns in at most max_rows rows from y; the last
 * row is cut with GLYPH_MORE if more text remains. Returns the rows used. */
int draw_wrapped(int y, int width, int max_rows, const char *s, size_t len, enum role r);
/* The same two, breaking rows at blanks (a word wider than the row is cut
 * as above): for sentences. */
int draw_wrap_words_rows(const char *s, size_t len, int width);
int draw_wrapped_words(int y, int width, int max_rows, const char *s, size_t len, enum role r);

#define DRAW_MAX_COLUMNS 16

/* A column of a table.  Cells are padded like printf's "%*s": a cell wider
 * than its column pushes the rest of the row right. */
struct column {
    const char *title;
    int width;               /* at least this many columns, padding included */
    int gap;                 /* blanks before the column (not before the first shown) */
    int keep;                /* when the row is too narrow, lower keep values go first */
    int left;                /* left-aligned (else right-aligned); COLUMN_NAME: also, a
                                dotted name too long for it keeps its end */
};
#define COLUMN_NAME 2
/* Decide which of the n columns fit in width; the last column takes what is
 * left and needs at least last_min.  shown[i] gets 1 or 0; the last column is
 * always shown. */
void columns_fit(const struct column *cols, int n, int width, int last_min, unsigned char *shown);
/* columns_fit for a table some of whose columns do not apply (compare-mode
 * columns outside compare mode): only the columns with shown[i] set on entry
 * are candidates. */
void columns_fit_some(const struct column *cols, int n, int width, int last_min, unsigned char *shown);
/* columns_fit_some that keeps column `sorted` (or -1) as long as anything
 * but the last column is shown: a narrow screen still shows the column its
 * rows are sorted by. */
void columns_fit_sorted(const struct column *cols, int n, int width, int last_min, unsigned char *shown,
                        int sorted);
/* Column widths from the data: widen each right-aligned column (numbers)
 * of cols to hold cells[i] and a blank before it (unless the column's gap
 * gives one), so that a number is never
 * cut nor runs into the column before it.  Call it with every row on the
 * screen, then fit the columns (columns_fit_*) and draw with cols. */
void columns_grow(struct column *cols, int n, const char *const *cells);
/* Draw a type name in width columns from (y, x): a dotted name that does not
 * fit is cut on the left, since its end tells it apart ("…OrderedDict",
 * "…ns.OrderedDict": the last part stays whole when it fits); a name
 * without a dot is cut on the right as draw_text does.  Returns the columns
 * drawn. */
int draw_name(int y, int x, int width, const char *s, size_t len, enum role r);
/* Draw one row of cells (cells[i] for column i; hidden ones are skipped) in
 * role r; the column `mark` (or -1) is drawn in role mark_role instead. */
void draw_cells(int y, int width, const struct column *cols, int n, const unsigned char *shown,
                const char *const *cells, enum role r, int mark, enum role mark_role);
/* The header row: the titles, with the sorted column (or -1) marked by the
 * GLYPH_DOWN or GLYPH_UP glyph and drawn in ROLE_SORTED. At most
 * DRAW_MAX_COLUMNS columns. */
void draw_header(int y, int width, const struct column *cols, int n, const unsigned char *shown, int sorted,
                 int descending);

#endif
