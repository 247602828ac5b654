#include "terminal.h"

#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "draw.h"

/* Curses' escape delay when the user has not set ESCDELAY: short enough that
 * Esc feels immediate, long enough for arrow keys over a slow ssh link. */
#define ESC_DELAY_MS 50
/* get_wch failing this often in a row without waiting means input is gone. */
#define FAST_ERRORS_MAX 20

static SCREEN *screen;       /* NULL when curses is not running */
static int curses_on;
static volatile sig_atomic_t stop_signal;
static atomic_int cancel_work;   /* set by a stop signal: long searches poll it */
static struct termios saved_tty; /* the terminal as it was, for a second signal */
static int saved_tty_ok;
static char leave_seq[128];      /* rmcup and cnorm, written by a second signal */
static size_t leave_len;
static int fast_errors;
static int wait_ms = TERM_TIMEOUT_MS; /* term_read's timeout */

/* The portable archive (make dist) ships common terminfo entries in
 * <exe dir>/../share/terminfo for hosts that lack the user's TERM: add that
 * directory to TERMINFO_DIRS. Returns 1 when it did. */
static int use_shipped_terminfo(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return 0;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    char dir[PATH_MAX + 32];
    snprintf(dir, sizeof dir, "%s/../share/terminfo", exe);
    if (access(dir, X_OK) != 0)
        return 0;
    const char *old = getenv("TERMINFO_DIRS");
    char *dirs = NULL;
    if (asprintf(&dirs, "%s%s%s", dir, old ? ":" : "", old ? old : "") < 0)
        return 0;
    setenv("TERMINFO_DIRS", dirs, 1);
    free(dirs);
    return 1;
}

int term_check(struct hw_error *err)
{
    const char *term = getenv("TERM");
    int status = 0;
    if (!term || !*term)
        return hw_fail(err, "TERM is not set, so the explorer cannot drive this terminal; "
                            "set it (e.g. TERM=xterm-256color) or use the batch commands (heapwalk --help)");
    if (setupterm(NULL, STDOUT_FILENO, &status) != OK &&
        !(use_shipped_terminfo() && setupterm(NULL, STDOUT_FILENO, &status) == OK)) {
        if (status == -1)
            return hw_fail(err, "no terminfo database found, so TERM=%s cannot be looked up", term);
        return hw_fail(err, "unknown terminal type TERM=%s (no terminfo entry for it on this host); "
                            "try TERM=xterm-256color, TERM=screen or TERM=vt100, or install ncurses-term",
                       term);
    }
    const char *cup = tigetstr("cup");
    int can_move = cup != NULL && cup != (char *)-1;
    del_curterm(cur_term);
    if (!can_move)
        return hw_fail(err, "TERM=%s cannot move the cursor, and the explorer needs that; "
                            "try TERM=vt100, or use the batch commands (heapwalk --help)", term);
    return 0;
}

/* The first stop signal asks the loop to stop (and any long search to give
 * up); a second one, when the first was not answered, puts the terminal back
 * with async-signal-safe calls only and exits at once. */
static void on_stop_signal(int sig)
{
    if (stop_signal) {
        if (saved_tty_ok)
            tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
        if (leave_len && write(STDOUT_FILENO, leave_seq, leave_len) < 0)
            leave_len = 0;
        _exit(128 + sig);
    }
    stop_signal = sig;
    atomic_store(&cancel_work, 1);
}

const atomic_int *term_cancel_flag(void) { return &cancel_work; }

/* What a second signal writes: leave the alternate screen, show the cursor,
 * a new line (read from terminfo now: not from the handler). */
static void remember_leave_sequence(void)
{
    leave_len = 0;
    const char *caps[] = {"rmcup", "cnorm", "sgr0"};
    for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
        const char *c = tigetstr(caps[i]);
        if (c && c != (char *)-1 && leave_len + strlen(c) < sizeof leave_seq - 3) {
            memcpy(leave_seq + leave_len, c, strlen(c));
            leave_len += strlen(c);
        }
    }
    memcpy(leave_seq + leave_len, "\r\n", 2);
    leave_len += 2;
}

/* Our handlers are installed before newterm(), so curses leaves these signals
 * to us; without SA_RESTART a signal also cuts get_wch's wait short. */
static void catch_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
}

/* What terminals send for Home, End, PgUp and PgDn, whatever TERM's entry
 * says: xterm's normal and application modes, the VT220 and tmux/screen/PuTTY
 * forms, rxvt's.  Under TERM=vt100 (no such keys in its entry) and in tmux
 * with an xterm entry they would otherwise arrive as bare Esc sequences. */
static const struct {
    const char *seq;
    int code;
} common_keys[] = {
    {"\033[1~", KEY_HOME}, {"\033[7~", KEY_HOME}, {"\033[H", KEY_HOME}, {"\033OH", KEY_HOME},
    {"\033[4~", KEY_END},  {"\033[8~", KEY_END},  {"\033[F", KEY_END},  {"\033OF", KEY_END},
    {"\033[5~", KEY_PPAGE}, {"\033[6~", KEY_NPAGE},
};

static void define_common_keys(void)
{
    for (size_t i = 0; i < sizeof common_keys / sizeof *common_keys; i++)
        if (key_defined(common_keys[i].seq) == 0) /* not bound to a key, nor a prefix of one */
            define_key(common_keys[i].seq, common_keys[i].code);
}

int term_start(int want_color, struct hw_error *err)
{
    saved_tty_ok = tcgetattr(STDIN_FILENO, &saved_tty) == 0;
    catch_signals();
    screen = newterm(NULL, stdout, stdin);
    if (!screen)
        return hw_fail(err, "curses could not start on TERM=%s", getenv("TERM") ? getenv("TERM") : "");
    set_term(screen);
    curses_on = 1;
    hw_set_die_hook(term_stop);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    define_common_keys();
    remember_leave_sequence();
    wtimeout(stdscr, TERM_TIMEOUT_MS);
    if (!getenv("ESCDELAY"))
        set_escdelay(ESC_DELAY_MS);
    curs_set(0);
    draw_init(want_color);
    return 0;
}

void term_stop(void)
{
    if (!curses_on)
        return;
    curses_on = 0;
    /* A terminal without an alternate screen (vt100, linux) keeps what was
     * drawn: leave it blank, so the shell's prompt does not land on the
     * status line. */
    wclear(stdscr);
    wrefresh(stdscr);
    curs_set(1);
    endwin();
}

void term_free(void)
{
    if (screen && !curses_on) {
        delscreen(screen);
        screen = NULL;
    }
}

int term_signal(void) { return stop_signal; }

/* get_wch came back at once with nothing: was that the terminal going away? */
static int input_gone(void)
{
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
    if (poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
        return 1;
    return ++fast_errors >= FAST_ERRORS_MAX;
}

void term_set_wait(int ms)
{
    if (ms == wait_ms)
        return;
    wait_ms = ms;
    wtimeout(stdscr, ms);
}

enum term_input term_read(unsigned *key)
{
    wint_t wc = 0;
    double start = hw_now();
    errno = 0;
    int rc = wget_wch(stdscr, &wc);
    if (rc == ERR) {
        int waited = hw_now() - start >= wait_ms / 2000.0;
        if (waited || stop_signal || errno == EINTR) {
            fast_errors = 0;
            return TERM_TIMEOUT;
        }
        return input_gone() ? TERM_GONE : TERM_TIMEOUT;
    }
    fast_errors = 0;
    *key = (unsigned)wc;
    return rc == KEY_CODE_YES ? TERM_CODE : TERM_CHAR;
}
