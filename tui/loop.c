/* loop.c: the main loop and what it draws around the screens (see app.h).
 *
 * The loop draws only after something changed, then waits for a key with a
 * finite timeout (terminal.c), so a resize or a signal is never missed and a
 * lost terminal ends the program instead of spinning.  When the wait times
 * out it looks at the background work (analysis.h, compare.h). */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "draw.h"
#include "keymap.h"
#include "terminal.h"

#define MIN_COLS 40
#define MIN_ROWS 8
#define NAME_MIN 12          /* the status line's dump name, when a message is long */
#define MESSAGE_ROWS_MAX 3   /* a message too long for the status line wraps above it */

/* --- drawing --- */

static void draw_title(const struct app *a, int width)
{
    const struct view *v = app_view(a);
    struct strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, " heapwalk %s ", draw_glyph(GLYPH_SEP));
    v->ops->title(v, &a->ctx, &sb);
    draw_row(0, width, sb_cstr(&sb), ROLE_TITLE);
    sb_free(&sb);
}

static const char *pending_text(enum action pending)
{
    return pending == ACT_MARK ? "m: press a letter to mark this object (Esc cancels)"
                               : "': press the letter of a mark (Esc cancels)";
}

/* " > types 3/222 ": the screen's name and the position in it. */
/* The screen's name and position, and "!notes" when loading skipped lines or
 * left refs dangling (! lists them). */
static void status_where(const struct app *a, char *where, size_t size)
{
    const struct view *v = app_view(a);
    size_t pos, total;
    view_position(v, &pos, &total);
    snprintf(where, size, " %s %s %zu/%zu %s", draw_glyph(GLYPH_SEP), v->ops->name, pos, total,
             a->notes.n ? "!notes " : "");
}

/* The rows above the status line that the message takes: 0 when it fits on
 * the status line beside the screen's position and a short dump name. */
static int message_rows(const struct app *a, int width)
{
    if (!a->message[0] || a->prompt.open || a->pending != ACT_NONE)
        return 0;
    char where[128];
    status_where(a, where, sizeof where);
    int room = width - 2 - NAME_MIN - draw_width(where, strlen(where));
    size_t len = strlen(a->message);
    if (draw_width(a->message, len) <= room)
        return 0;
    int rows = draw_wrap_words_rows(a->message, len, width);
    return rows < MESSAGE_ROWS_MAX ? rows : MESSAGE_ROWS_MAX;
}

static void draw_status(const struct app *a, int y, int width, int message_above)
{
    const struct view *v = app_view(a);
    if (a->prompt.open) {
        prompt_draw(&a->prompt, y, width);
        return;
    }
    char where[128];
    status_where(a, where, sizeof where);
    struct strbuf hints;
    sb_init(&hints);
    action_hints(v->ops->hints, &hints);
    const char *right = sb_cstr(&hints);
    enum role role = ROLE_STATUS;
    /* While the background work runs, what it is doing replaces the hints. */
    const char *busy = app_search_status(a);
    if (!busy)
        busy = job_status(&a->job);
    if (!busy)
        busy = analysis_status(&a->analysis);
    if (!busy && a->ctx.compare)
        busy = compare_status(a->ctx.compare);
    if (busy)
        right = busy;
    if (a->pending != ACT_NONE) {
        right = pending_text(a->pending);
        role = ROLE_MESSAGE;
    } else if (a->message[0] && !message_above) {
        right = a->message;
        role = a->message_error ? ROLE_ERROR : ROLE_MESSAGE;
    }
    int w = draw_width(right, strlen(right));
    /* The dump's name (two in compare mode) gives way to anything but the
     * hints, down to NAME_MIN columns; the screen and position stay. */
    int name_room = width - 1 - draw_width(where, strlen(where));
    if (right != sb_cstr(&hints) && name_room - w - 1 < draw_width(a->dump_name, strlen(a->dump_name)))
        name_room = name_room - w - 1 > NAME_MIN ? name_room - w - 1 : NAME_MIN;
    int x = draw_str(y, 0, width, " ", ROLE_STATUS);
    x += draw_str(y, x, name_room > 0 ? name_room : 0, a->dump_name, ROLE_STATUS);
    x += draw_str(y, x, width - x, where, ROLE_STATUS);
    /* Hints sit at the right end; messages follow the position. */
    int at = role == ROLE_STATUS && x + 1 + w < width ? width - w - 1 : x + 1;
    draw_fill(y, x, at - x, ROLE_STATUS);
    if (at < width)
        at += draw_str(y, at, width - at, right, role);
    draw_fill(y, at, width - at, ROLE_STATUS);
    sb_free(&hints);
}

/* Count what finished in the background since the last look; 1 if anything did. */
static int poll_background(struct app *a)
{
    int changed = analysis_poll(&a->analysis);
    if (job_poll(&a->job)) {
        changed = 1;
        sets_job_ended(a);
    }
    if (a->ctx.compare)
        changed |= compare_poll(&a->compare);
    if (changed)
        a->news++;
    return changed;
}

void app_catch_up(struct app *a)
{
    poll_background(a);
    struct view *v = app_view(a);
    if (v->news != a->news) {
        if (v->ops->analysis_changed)
            v->ops->analysis_changed(v, &a->ctx, v->restarts != a->restarts);
        v->news = a->news;
        v->restarts = a->restarts;
    }
    if (a->why.news != a->news) {
        why_refresh(&a->why, a->why.restarts != a->restarts);
        a->why.news = a->news;
        a->why.restarts = a->restarts;
    }
}

void app_draw(struct app *a)
{
    erase();
    if (COLS < MIN_COLS || LINES < MIN_ROWS) {
        char msg[128];
        snprintf(msg, sizeof msg, "terminal too small: %dx%d < %dx%d", COLS, LINES, MIN_COLS, MIN_ROWS);
        draw_row(0, COLS, msg, ROLE_ERROR);
        curs_set(0);
        refresh();
        return;
    }
    app_catch_up(a);
    struct view *v = app_view(a);
    struct view_area area = {1, LINES - 2, COLS};
    int mrows = message_rows(a, COLS);
    area.height -= mrows;
    struct view_area pane = {0, app_why_rows(a, area.height), COLS};
    area.height -= pane.height;
    pane.y = area.y + area.height;
    v->ops->layout(v, &a->ctx, &area);
    if (pane.height)
        why_update(&a->why, &a->ctx, view_selected(v, &a->ctx), pane.height);
    draw_title(a, COLS);
    v->ops->draw(v, &a->ctx, &area);
    if (pane.height)
        why_draw(&a->why, &a->ctx, &pane);
    if (mrows)
        draw_wrapped_words(LINES - 1 - mrows, COLS, mrows, a->message, strlen(a->message),
                     a->message_error ? ROLE_ERROR : ROLE_MESSAGE);
    draw_status(a, LINES - 1, COLS, mrows > 0);
    curs_set(a->prompt.open ? 1 : 0);
    refresh();
}

/* --- the loop --- */

/* The CPU time of the main thread, in seconds: on a machine that other
 * work keeps busy it tells the explorer's own cost from the wait for a core. */
static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One line per key ("key 47 ...") or slice of a search ("search slice ..."):
 * the wall-clock times of handling and drawing, and the CPU time of both
 * since cpu0. */
static void log_timing(const struct app *a, const char *what, unsigned key, double t0, double t1, double t2,
                       double cpu0)
{
    if (!a->timing)
        return;
    if (what)
        fprintf(a->timing, "%s slice", what);
    else
        fprintf(a->timing, "key %u", key);
    fprintf(a->timing, " screen %s handle_ms %.3f draw_ms %.3f cpu_ms %.3f\n", app_view(a)->ops->name,
            (t1 - t0) * 1e3, (t2 - t1) * 1e3, (thread_cpu() - cpu0) * 1e3);
    fflush(a->timing);
}

/* The wait for a key: none while a search is under way (it goes on at
 * once), short while a job runs (its result shows as soon as it is there). */
static int key_wait(const struct app *a)
{
    if (a->finding_view)
        return 0;
    return job_busy(&a->job, NULL) ? TERM_BUSY_WAIT_MS : TERM_TIMEOUT_MS;
}

/* A slice of the search under way: 1 when it ended (redraw). */
static int search_slice(struct app *a)
{
    double t0 = hw_now(), cpu0 = a->timing ? thread_cpu() : 0;
    int ended = !app_search_step(a);
    double t1 = hw_now();
    if (ended && a->timing)
        app_draw(a); /* the row found, drawn: its time logged with the slice's */
    log_timing(a, "search", 0, t0, t1, hw_now(), cpu0);
    return ended;
}

void app_run(struct app *a)
{
    int dirty = 1;
    while (!a->quit && !term_signal()) {
        if (dirty)
            app_draw(a);
        dirty = 0;
        unsigned key = 0;
        term_set_wait(key_wait(a));
        enum term_input in = term_read(&key);
        if (in == TERM_GONE) {
            a->lost = 1;
            break;
        }
        if (in == TERM_TIMEOUT) {
            dirty = poll_background(a); /* a stage finished: show it */
            dirty |= job_busy(&a->job, NULL); /* a query's rows arriving */
            if (a->finding_view)
                dirty |= search_slice(a);
            if (a->restart_due)
                dirty |= app_restart_analysis(a);
            continue;
        }
        dirty = 1;
        if (in == TERM_CODE && key == KEY_RESIZE)
            continue;
        double t0 = hw_now(), cpu0 = a->timing ? thread_cpu() : 0;
        app_catch_up(a); /* the screen answers from the results as they are now */
        app_key(a, in == TERM_CODE, key);
        if (a->timing && !a->quit) {
            double t1 = hw_now();
            app_draw(a);
            dirty = 0;
            log_timing(a, NULL, key, t0, t1, hw_now(), cpu0);
        }
    }
}
