#include "draw.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* One role: colours when the terminal has them, and the attributes used
 * without colour (NO_COLOR, --color=never, vt100): reverse and bold must say
 * everything the colours say. */
struct style {
    short fg, bg;            /* -1: the terminal's default */
    attr_t color_attr;
    attr_t mono_attr;
};

static const struct style styles[ROLE_COUNT] = {
    [ROLE_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [ROLE_TITLE] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_BOLD},
    [ROLE_HEADER] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [ROLE_SORTED] = {COLOR_GREEN, -1, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE},
    [ROLE_CURSOR] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ROLE_CURSOR_IDLE] = {-1, -1, A_UNDERLINE, A_UNDERLINE},
    [ROLE_PANE] = {COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
    [ROLE_PANE_ACTIVE] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [ROLE_STATUS] = {COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE},
    [ROLE_MESSAGE] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [ROLE_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [ROLE_NOTE] = {COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
};

struct glyph_text {
    const char *utf8, *ascii;
};

static const struct glyph_text glyphs[GLYPH_COUNT] = {
    [GLYPH_DOWN] = {"\u25bc", "*"}, /* "v" would read as a letter of the title */
    [GLYPH_UP] = {"\u25b2", "^"},
    [GLYPH_HLINE] = {"\u2500", "-"},
    [GLYPH_MORE] = {"\u2026", "~"},
    [GLYPH_SEP] = {"\u203a", ">"},
    [GLYPH_COLLAPSED] = {"\u25b8", ">"},
    [GLYPH_EXPANDED] = {"\u25be", "v"},
    [GLYPH_NEW] = {"+", "+"},
};

/* The choices draw_init made; only this file reads or writes them. */
static attr_t role_attr[ROLE_COUNT];
static int use_utf8;

/* Colours only when asked for, not refused by NO_COLOR (https://no-color.org:
 * set and not empty), and the terminal has them. */
static int colors_wanted(int want_color)
{
    const char *no_color = getenv("NO_COLOR");
    if (!want_color || (no_color && *no_color) || !has_colors())
        return 0;
    return start_color() == OK;
}

void draw_init(int want_color)
{
    use_utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    int use_color = colors_wanted(want_color);
    /* Roles without a colour keep the terminal's own foreground or background. */
    int defaults = use_color && use_default_colors() == OK;
    for (int r = 0; r < ROLE_COUNT; r++) {
        const struct style *s = &styles[r];
        if (!use_color) {
            role_attr[r] = s->mono_attr;
            continue;
        }
        short fg = s->fg, bg = s->bg;
        if (!defaults) {
            fg = fg < 0 ? COLOR_WHITE : fg;
            bg = bg < 0 ? COLOR_BLACK : bg;
        }
        init_pair((short)(r + 1), fg, bg);
        role_attr[r] = COLOR_PAIR(r + 1) | s->color_attr;
    }
}

int draw_utf8(void) { return use_utf8; }

const char *draw_glyph(enum glyph g) { return use_utf8 ? glyphs[g].utf8 : glyphs[g].ascii; }

/* The next character of s[0..len): its byte count (at least 1), its display
 * width, and whether it can be shown as it is (else it is drawn as '?'). */
static size_t next_char(const char *s, size_t len, int *width, int *ok)
{
    unsigned char c = (unsigned char)s[0];
    *width = 1;
    *ok = c >= 0x20 && c != 0x7f;
    if (c < 0x80 || !use_utf8) {
        *ok = *ok && c < 0x80;
        return 1;
    }
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t wc;
    size_t n = mbrtowc(&wc, s, len, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        *ok = 0;
        return 1;
    }
    int w = wcwidth(wc);
    if (w < 0) {
        *ok = 0;
        return n;
    }
    *width = w;
    return n;
}

int draw_width(const char *s, size_t len)
{
    int cols = 0, w, ok;
    for (size_t i = 0; i < len;) {
        i += next_char(s + i, len - i, &w, &ok);
        cols += ok ? w : 1;
    }
    return cols;
}

/* Bytes of s that fit in width columns, and the columns they take. */
static size_t fit(const char *s, size_t len, int width, int *cols)
{
    size_t i = 0;
    int used = 0, w, ok;
    while (i < len) {
        size_t n = next_char(s + i, len - i, &w, &ok);
        if (!ok)
            w = 1;
        if (used + w > width)
            break;
        used += w;
        i += n;
    }
    *cols = used;
    return i;
}

/* Draw the first len bytes of s, replacing what cannot be shown with '?'. */
static void put_clean(const char *s, size_t len)
{
    size_t start = 0, i = 0;
    int w, ok;
    while (i < len) {
        size_t n = next_char(s + i, len - i, &w, &ok);
        if (!ok) {
            if (i > start)
                addnstr(s + start, (int)(i - start));
            addch('?');
            start = i + n;
        }
        i += n;
    }
    if (i > start)
        addnstr(s + start, (int)(i - start));
}

int draw_text(int y, int x, int width, const char *s, size_t len, enum role r)
{
    if (width <= 0)
        return 0;
    int cols;
    size_t n = fit(s, len, width, &cols);
    int cut = n < len;
    if (cut) /* make room for the glyph that says so */
        n = fit(s, len, width - 1, &cols);
    attrset(role_attr[r]);
    move(y, x);
    put_clean(s, n);
    if (cut) {
        addstr(draw_glyph(GLYPH_MORE));
        cols++;
    }
    attrset(A_NORMAL);
    return cols;
}

int draw_str(int y, int x, int width, const char *s, enum role r)
{
    return draw_text(y, x, width, s, strlen(s), r);
}

void draw_fill(int y, int x, int width, enum role r)
{
    if (width <= 0)
        return;
    attrset(role_attr[r]);
    mvhline(y, x, ' ', width);
    attrset(A_NORMAL);
}

void draw_row(int y, int width, const char *s, enum role r)
{
    int used = draw_str(y, 0, width, s, r);
    draw_fill(y, used, width - used, r);
}

void draw_rule(int y, int width, const char *title, enum role r)
{
    const char *line = draw_glyph(GLYPH_HLINE);
    int x = 0;
    attrset(role_attr[r]);
    for (; x < 2 && x < width; x++)
        mvaddstr(y, x, line);
    if (x < width) {
        mvaddch(y, x++, ' ');
        x += draw_str(y, x, width - x, title, r);
    }
    attrset(role_attr[r]);
    if (x < width)
        mvaddch(y, x++, ' ');
    for (; x < width; x++)
        mvaddstr(y, x, line);
    attrset(A_NORMAL);
}

/* --- wrapping --- */

/* Bytes of s that go on one row of width columns (at least one character);
 * a '\n' ends the row and is part of it.  With words, a row that does not
 * end the text ends after its last blank, if it has one. */
static size_t wrap_row(const char *s, size_t len, int width, int words)
{
    int cols;
    const char *nl = memchr(s, '\n', len);
    size_t line = nl ? (size_t)(nl - s) : len;
    size_t n = fit(s, line, width, &cols);
    if (nl && n == line)
        return n + 1;
    if (n == 0 && len > 0) { /* a character wider than the row */
        int w, ok;
        n = next_char(s, len, &w, &ok);
    }
    if (words && n < line && s[n] != ' ') {
        size_t blank = n;
        while (blank > 0 && s[blank - 1] != ' ')
            blank--;
        if (blank > 0)
            n = blank;
    }
    return n;
}

static int wrap_rows(const char *s, size_t len, int width, int words)
{
    int rows = 0;
    size_t i = 0;
    if (width < 1)
        width = 1;
    do {
        size_t n = wrap_row(s + i, len - i, width, words);
        i += n;
        if (words && i < len && s[i] == ' ' && s[i - 1] != ' ')
            i++; /* the blank a row ends at */
        rows++;
    } while (i < len);
    return rows;
}

int draw_wrap_rows(const char *s, size_t len, int width) { return wrap_rows(s, len, width, 0); }
int draw_wrap_words_rows(const char *s, size_t len, int width) { return wrap_rows(s, len, width, 1); }

static int wrapped(int y, int width, int max_rows, const char *s, size_t len, enum role r, int words)
{
    int rows = 0;
    size_t i = 0;
    while (rows < max_rows && (i < len || rows == 0)) {
        size_t n = wrap_row(s + i, len - i, width, words);
        size_t line = n && s[i + n - 1] == '\n' ? n - 1 : n;
        if (rows == max_rows - 1 && i + n < len) {
            /* More text than rows: this row ends with the glyph that says so. */
            const char *nl = memchr(s + i, '\n', len - i);
            line = nl ? (size_t)(nl - (s + i)) : len - i;
            int used = draw_text(y + rows, 0, width - 1, s + i, line, r);
            if (draw_width(s + i, line) <= width - 1)
                draw_str(y + rows, used, 1, draw_glyph(GLYPH_MORE), r);
            return rows + 1;
        }
        draw_text(y + rows, 0, width, s + i, line, r);
        i += n;
        if (words && i < len && s[i] == ' ' && s[i - 1] != ' ')
            i++;
        rows++;
    }
    return rows;
}

int draw_wrapped(int y, int width, int max_rows, const char *s, size_t len, enum role r)
{
    return wrapped(y, width, max_rows, s, len, r, 0);
}

int draw_wrapped_words(int y, int width, int max_rows, const char *s, size_t len, enum role r)
{
    return wrapped(y, width, max_rows, s, len, r, 1);
}

/* --- columns --- */

static int columns_width(const struct column *cols, int n, const unsigned char *shown, int last_min)
{
    int w = 0, first = 1;
    for (int i = 0; i < n; i++) {
        if (!shown[i])
            continue;
        w += (first ? 0 : cols[i].gap) + (i == n - 1 ? last_min : cols[i].width);
        first = 0;
    }
    return w;
}

void columns_fit(const struct column *cols, int n, int width, int last_min, unsigned char *shown)
{
    for (int i = 0; i < n; i++)
        shown[i] = 1;
    columns_fit_some(cols, n, width, last_min, shown);
}

void columns_fit_sorted(const struct column *cols, int n, int width, int last_min, unsigned char *shown,
                        int sorted)
{
    shown[n - 1] = 1;
    while (columns_width(cols, n, shown, last_min) > width) {
        int drop = -1;
        for (int i = 0; i < n - 1; i++)
            if (shown[i] && i != sorted && (drop < 0 || cols[i].keep < cols[drop].keep))
                drop = i;
        if (drop < 0 && sorted >= 0 && sorted < n - 1 && shown[sorted])
            drop = sorted; /* nothing else is left to drop */
        if (drop < 0)
            return;
        shown[drop] = 0;
    }
}

void columns_fit_some(const struct column *cols, int n, int width, int last_min, unsigned char *shown)
{
    columns_fit_sorted(cols, n, width, last_min, shown, -1);
}

void columns_grow(struct column *cols, int n, const char *const *cells)
{
    for (int i = 0; i < n; i++) {
        if (cols[i].left || !cells[i])
            continue;
        int w = draw_width(cells[i], strlen(cells[i])) + (cols[i].gap == 0); /* a blank apart */
        if (w > cols[i].width)
            cols[i].width = w;
    }
}

/* Where the character before byte i of s starts. */
static size_t char_before(const char *s, size_t i)
{
    if (i == 0)
        return 0;
    i--;
    while (i > 0 && use_utf8 && ((unsigned char)s[i] & 0xc0) == 0x80)
        i--;
    return i;
}

int draw_name(int y, int x, int width, const char *s, size_t len, enum role r)
{
    const char *dot = len ? memrchr(s, '.', len) : NULL;
    if (width <= 1 || !dot || draw_width(s, len) <= width)
        return draw_text(y, x, width, s, len, r);
    size_t start = len;      /* the longest tail that fits beside the glyph */
    while (start > 0) {
        size_t prev = char_before(s, start);
        if (draw_width(s + prev, len - prev) > width - 1)
            break;
        start = prev;
    }
    int used = draw_str(y, x, 1, draw_glyph(GLYPH_MORE), r);
    return used + draw_text(y, x + used, width - used, s + start, len - start, r);
}

/* Draw one cell at x; returns the x after it. */
static int draw_cell(int y, int x, int width, const struct column *c, int last, const char *text,
                     enum role r)
{
    size_t len = strlen(text);
    int w = draw_width(text, len);
    int pad = c->width > w ? c->width - w : 0;
    if (last && c->left) {
        int used = c->left == COLUMN_NAME ? draw_name(y, x, width - x, text, len, r)
                                          : draw_text(y, x, width - x, text, len, r);
        draw_fill(y, x + used, width - x - used, r);
        return width;
    }
    if (!c->left) {
        draw_fill(y, x, pad < width - x ? pad : width - x, r);
        x += pad;
    }
    if (x < width)
        x += draw_text(y, x, width - x, text, len, r);
    if (c->left) {
        draw_fill(y, x, pad < width - x ? pad : width - x, r);
        x += pad;
    }
    return x < width ? x : width;
}

void draw_cells(int y, int width, const struct column *cols, int n, const unsigned char *shown,
                const char *const *cells, enum role r, int mark, enum role mark_role)
{
    int x = 0, first = 1;
    for (int i = 0; i < n && x < width; i++) {
        if (!shown[i])
            continue;
        if (!first) {
            int gap = cols[i].gap < width - x ? cols[i].gap : width - x;
            draw_fill(y, x, gap, r);
            x += gap;
        }
        first = 0;
        x = draw_cell(y, x, width, &cols[i], i == n - 1, cells[i], i == mark ? mark_role : r);
    }
    draw_fill(y, x, width - x, r);
}

void draw_header(int y, int width, const struct column *cols, int n, const unsigned char *shown, int sorted,
                 int descending)
{
    char marked[64];
    const char *titles[DRAW_MAX_COLUMNS];
    const char *glyph = draw_glyph(descending ? GLYPH_DOWN : GLYPH_UP);
    if (n > DRAW_MAX_COLUMNS)
        n = DRAW_MAX_COLUMNS;
    for (int i = 0; i < n; i++)
        titles[i] = cols[i].title;
    if (sorted >= 0 && sorted < n) {
        if (cols[sorted].left)
            snprintf(marked, sizeof marked, "%s%s", cols[sorted].title, glyph);
        else
            snprintf(marked, sizeof marked, "%s%s", glyph, cols[sorted].title);
        titles[sorted] = marked;
    }
    draw_cells(y, width, cols, n, shown, titles, ROLE_HEADER, sorted, ROLE_SORTED);
}
