/* prompt.h: the one-line input on the bottom row, for / (search or filter),
 * g (an address), : (a query), E (a file) and B (a set's name).  It is modal inside the main loop: while it is open the
 * loop gives it every key, and it says when it is done; it never reads keys
 * itself. */
#ifndef HW_TUI_PROMPT_H
#define HW_TUI_PROMPT_H

#include <stddef.h>

enum prompt_kind { PROMPT_SEARCH, PROMPT_FILTER, PROMPT_JUMP, PROMPT_QUERY, PROMPT_EXPORT, PROMPT_NAME };

#define PROMPT_MAX 256

struct prompt {
    int open;
    enum prompt_kind kind;
    char text[PROMPT_MAX];   /* UTF-8, NUL-terminated */
    size_t len;
};

enum prompt_status {
    PROMPT_UNCHANGED,        /* a key that does nothing here */
    PROMPT_CHANGED,          /* the text changed */
    PROMPT_DONE,             /* Enter: the text is the answer; the prompt is closed */
    PROMPT_CANCELLED,        /* Esc or ^G; the prompt is closed */
};

/* Open the prompt with initial text (may be NULL). */
void prompt_open(struct prompt *p, enum prompt_kind kind, const char *initial);
/* Feed a key as get_wch() returned it (is_code: a KEY_* code). */
enum prompt_status prompt_key(struct prompt *p, int is_code, unsigned key);
/* Draw the prompt on row y and leave the terminal's cursor after the text. */
void prompt_draw(const struct prompt *p, int y, int width);

#endif
