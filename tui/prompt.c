#include "prompt.h"

#include <curses.h>
#include <limits.h>
#include <string.h>
#include <wchar.h>

#include "draw.h"
#include "keymap.h"

static const char *const labels[] = {
    [PROMPT_SEARCH] = "/",
    [PROMPT_FILTER] = "filter types: ",
    [PROMPT_JUMP] = "go to address: ",
    [PROMPT_QUERY] = ":",
    [PROMPT_EXPORT] = "write the list to (FILE.dot: a graph; else JSON lines): ",
    [PROMPT_NAME] = "name the set: ",
};

void prompt_open(struct prompt *p, enum prompt_kind kind, const char *initial)
{
    p->open = 1;
    p->kind = kind;
    p->len = 0;
    p->text[0] = '\0';
    if (initial) {
        size_t n = strlen(initial);
        if (n >= PROMPT_MAX)
            n = PROMPT_MAX - 1;
        memcpy(p->text, initial, n);
        p->text[n] = '\0';
        p->len = n;
    }
}

/* Remove the last character (UTF-8: its continuation bytes too). */
static void delete_char(struct prompt *p)
{
    while (p->len > 0 && ((unsigned char)p->text[p->len - 1] & 0xC0) == 0x80)
        p->len--;
    if (p->len > 0)
        p->len--;
    p->text[p->len] = '\0';
}

/* Remove the last word and the blanks after it. */
static void delete_word(struct prompt *p)
{
    while (p->len > 0 && p->text[p->len - 1] == ' ')
        p->len--;
    while (p->len > 0 && p->text[p->len - 1] != ' ')
        p->len--;
    p->text[p->len] = '\0';
}

static int insert_char(struct prompt *p, wchar_t wc)
{
    char buf[MB_LEN_MAX];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = wcrtomb(buf, wc, &st);
    if (n == (size_t)-1 || p->len + n >= PROMPT_MAX)
        return 0;
    memcpy(p->text + p->len, buf, n);
    p->len += n;
    p->text[p->len] = '\0';
    return 1;
}

enum prompt_status prompt_key(struct prompt *p, int is_code, unsigned key)
{
    if (is_code) {
        switch (key) {
        case KEY_ENTER: p->open = 0; return PROMPT_DONE;
        case KEY_BACKSPACE: delete_char(p); return PROMPT_CHANGED;
        default: return PROMPT_UNCHANGED;
        }
    }
    switch (key) {
    case '\r':
    case '\n': p->open = 0; return PROMPT_DONE;
    case KEYMAP_ESC:
    case 'G' & 0x1f: p->open = 0; return PROMPT_CANCELLED;
    case 127:
    case '\b': delete_char(p); return PROMPT_CHANGED;
    case 'W' & 0x1f: delete_word(p); return PROMPT_CHANGED;
    case 'U' & 0x1f:
        p->len = 0;
        p->text[0] = '\0';
        return PROMPT_CHANGED;
    default:
        if (key < 0x20 || key == 0x7f)
            return PROMPT_UNCHANGED;
        return insert_char(p, (wchar_t)key) ? PROMPT_CHANGED : PROMPT_UNCHANGED;
    }
}

void prompt_draw(const struct prompt *p, int y, int width)
{
    int x = draw_str(y, 0, width, labels[p->kind], ROLE_NORMAL);
    /* Keep the end of a long answer in view: it is where the typing happens. */
    size_t start = 0;
    while (x + draw_width(p->text + start, p->len - start) >= width && start < p->len) {
        start++;
        while (start < p->len && ((unsigned char)p->text[start] & 0xC0) == 0x80)
            start++;
    }
    x += draw_text(y, x, width - x, p->text + start, p->len - start, ROLE_NORMAL);
    draw_fill(y, x, width - x, ROLE_NORMAL);
    move(y, x < width ? x : width - 1);
}
