/* terminal.h: the terminal: checking TERM before a long load, starting curses
 * with newterm(), restoring the terminal on every way out (quit, SIGINT,
 * SIGTERM, SIGHUP, die()), and reading keys with a finite timeout so that
 * resizes and signals are never missed. */
#ifndef HW_TUI_TERM_H
#define HW_TUI_TERM_H

#include <stdatomic.h>

#include "../src/util.h"

/* Whether TERM names a terminal this host can drive (a terminfo entry that
 * can move the cursor). Returns 0, or -1 with the reason in err. */
int term_check(struct hw_error *err);

/* Start curses on stdin/stdout and catch SIGINT, SIGTERM and SIGHUP.
 * want_color: 0 for --color=never. Returns 0, or -1 with err filled. */
int term_start(int want_color, struct hw_error *err);

/* Leave curses and put the terminal back as it was. Safe to call twice, and
 * from the die hook (util.h). */
void term_stop(void);

/* Free what curses keeps (after term_stop). */
void term_free(void);

/* The signal that asked the explorer to stop (SIGINT, SIGTERM, SIGHUP), or 0.
 * A second one before the loop answered the first restores the terminal and
 * exits at once. */
int term_signal(void);
/* Non-zero once a stop signal arrived: long computations on the main thread
 * poll it (struct path_budget's cancel) and give up. */
const atomic_int *term_cancel_flag(void);

enum term_input {
    TERM_CHAR,               /* *key is a character */
    TERM_CODE,               /* *key is a curses KEY_* code (KEY_RESIZE included) */
    TERM_TIMEOUT,            /* nothing within the timeout, or a signal arrived */
    TERM_GONE,               /* the terminal hung up or closed: stop, do not spin */
};
/* Wait up to TERM_TIMEOUT_MS (or what term_set_wait set) for a key. */
enum term_input term_read(unsigned *key);
#define TERM_TIMEOUT_MS 200
/* How long term_read waits: shorter while work runs in the background, so
 * that its result shows as soon as it is there. */
void term_set_wait(int ms);
#define TERM_BUSY_WAIT_MS 20

#endif
