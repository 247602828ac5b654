/* dispatch.c: a key -> an action -> whoever handles it (see app.h): while
 * the prompt is open or a mark waits for its letter, they take the key;
 * otherwise the keymap names the action, and the why-alive pane (while it has
 * the focus), the program's own actions (history, prompts, marks, pins,
 * help) and the current screen get it, in that order.  A screen may answer
 * with another action (view_translate: Left on a list means Backspace), which
 * goes round again; the program itself knows no screen's special cases. */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "keymap.h"

void app_say(struct app *a, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->message, sizeof a->message, fmt, ap);
    va_end(ap);
    a->message_error = error;
}

/* --- prompts: search, filter, jump --- */

/* A search gives the keys their turn after this long (seconds): a search of
 * millions of rows goes on between keys, a slice at a time.  It looks at
 * the clock after each step of rows; a step looks at as many rows as take
 * about STEP_S, from SEARCH_STEP_ROWS (a row costs nanoseconds on most
 * screens, a millisecond where its text is built from a long list). */
#define SEARCH_SLICE_S 0.025
#define STEP_S 0.001
#define SEARCH_STEP_ROWS 64
#define SEARCH_STEP_ROWS_MAX 65536
/* With HEAPWALK_JOB_DELAY_MS (job.h), a search waits that long before its
 * first row, then goes this many rows a slice: the tests see it under way. */
#define DELAYED_STEP_ROWS 1000

static const char SEARCHING[] = "searching... (Esc stops)";

const char *app_search_status(const struct app *a)
{
    return a->finding_view ? SEARCHING : NULL;
}

static void search_done(struct app *a, enum list_found found)
{
    a->finding_view = NULL;
    switch (found) {
    case LIST_NOT_FOUND: app_say(a, 1, "no match for '%s' here", a->search.needle); break;
    case LIST_WRAPPED: app_say(a, 0, "search went round the end of the list: '%s'", a->search.needle); break;
    case LIST_FOUND: app_say(a, 0, "/%s", a->search.needle); break;
    case LIST_SEARCHING: break;
    }
}

/* The next step's rows, from how long this one took. */
static void fit_step(struct list_search *s, double took)
{
    if (took < STEP_S / 2 && s->budget < SEARCH_STEP_ROWS_MAX)
        s->budget *= 2;
    else if (took > STEP_S * 2 && s->budget > 1)
        s->budget /= 2;
}

int app_search_step(struct app *a)
{
    struct view *v = a->finding_view;
    if (!v)
        return 0;
    if (v != app_view(a)) { /* keys stop a search before they change screens: never */
        a->finding_view = NULL;
        return 0;
    }
    app_catch_up(a); /* the screen takes what came in the background first */
    if (a->finding_news != a->news) {
        a->finding.begun = 0; /* its rows may have changed: from the cursor again */
        a->finding_news = a->news;
    }
    double now = hw_now(), until = now + SEARCH_SLICE_S;
    if (now < a->finding_from)
        return 1; /* the tests' delay */
    enum list_found found;
    do {
        double t = hw_now();
        found = v->ops->search(v, &a->ctx, &a->search, &a->finding);
        if (!a->job.delay_ms)
            fit_step(&a->finding, hw_now() - t);
    } while (found == LIST_SEARCHING && !a->job.delay_ms && hw_now() < until);
    if (found == LIST_SEARCHING)
        return 1;
    search_done(a, found);
    return 0;
}

static void search_again(struct app *a, int dir)
{
    struct view *v = app_view(a);
    if (!a->have_search) {
        app_say(a, 1, "no search yet: / starts one");
        return;
    }
    if (!v->ops->search) {
        app_say(a, 1, "nothing to search on this screen");
        return;
    }
    a->finding = (struct list_search){.dir = dir, .budget = a->job.delay_ms ? DELAYED_STEP_ROWS : SEARCH_STEP_ROWS};
    a->finding_view = v;
    a->finding_news = a->news;
    a->finding_from = hw_now() + a->job.delay_ms / 1000.0;
    app_search_step(a); /* a short list is searched at once */
}

static void new_search(struct app *a, const char *text)
{
    if (!*text)
        return;
    if (a->have_search)
        query_match_free(&a->search);
    query_match_init(&a->heap, text, strlen(text), &a->search);
    a->have_search = 1;
    search_again(a, 1);
}

static void start_search(struct app *a)
{
    struct view *v = app_view(a);
    if (v->ops->filter) {
        snprintf(a->filter_before, sizeof a->filter_before, "%s", v->ops->filter_text(v));
        prompt_open(&a->prompt, PROMPT_FILTER, a->filter_before);
    } else if (v->ops->search) {
        prompt_open(&a->prompt, PROMPT_SEARCH, NULL);
    } else {
        app_say(a, 1, "nothing to search on this screen");
    }
}

static void jump(struct app *a, char *text)
{
    uint64_t addr;
    size_t len = strlen(text);
    while (len && text[len - 1] == ' ')
        text[--len] = '\0';
    text += strspn(text, " ");
    if (!*text)
        return;
    if (hw_parse_addr(text, &addr) < 0) {
        app_say(a, 1, "'%s' is not an address (decimal, or hex with 0x)", text);
        return;
    }
    obj_t o = heap_find(&a->heap, addr);
    if (o == OBJ_NONE) {
        app_say(a, 1, "no object at address %llu (0x%llx)%s", (unsigned long long)addr, (unsigned long long)addr,
            a->heap.collapsed ? "; an instance's __dict__ is collapsed into its owner (--raw keeps it)" : "");
        return;
    }
    app_open_view(a, (struct view_spec){VIEW_OBJECT, 0, o, NULL});
}

static void prompt_input(struct app *a, int is_code, unsigned key)
{
    enum prompt_status s = prompt_key(&a->prompt, is_code, key);
    struct view *v = app_view(a);
    switch (a->prompt.kind) {
    case PROMPT_FILTER: /* the list follows the typing; Esc puts the old filter back */
        if (s == PROMPT_CHANGED || s == PROMPT_DONE)
            v->ops->filter(v, &a->ctx, a->prompt.text);
        else if (s == PROMPT_CANCELLED)
            v->ops->filter(v, &a->ctx, a->filter_before);
        break;
    case PROMPT_SEARCH:
        if (s == PROMPT_DONE)
            new_search(a, a->prompt.text);
        break;
    case PROMPT_JUMP:
        if (s == PROMPT_DONE)
            jump(a, a->prompt.text);
        break;
    case PROMPT_QUERY:
    case PROMPT_EXPORT:
    case PROMPT_NAME:
        if (s == PROMPT_DONE)
            sets_prompt_done(a, a->prompt.kind, a->prompt.text);
        break;
    }
}

/* --- marks --- */

static void mark_input(struct app *a, int is_code, unsigned key)
{
    enum action what = a->pending;
    a->pending = ACT_NONE;
    if (!is_code && key == KEYMAP_ESC)
        return;
    int slot = is_code ? -1 : marks_slot(key);
    if (slot < 0) {
        app_say(a, 1, "a mark is a letter, a-z or A-Z");
        return;
    }
    char letter = marks_letter(slot);
    if (what == ACT_GOTO_MARK) {
        if (a->marks.obj[slot] == OBJ_NONE)
            app_say(a, 1, "mark '%c' is not set (m%c sets it)", letter, letter);
        else
            app_open_view(a, (struct view_spec){VIEW_OBJECT, 0, a->marks.obj[slot], NULL});
        return;
    }
    struct view *v = app_view(a);
    obj_t o = view_current(v, &a->ctx);
    if (o == OBJ_NONE) {
        app_say(a, 1, "no object here to mark: select one in a list, or open one");
        return;
    }
    a->marks.obj[slot] = o;
    struct strbuf sb;
    sb_init(&sb);
    query_preview(&a->heap, o, 24, &sb);
    app_say(a, 0, "mark %c: %s %s", letter, heap_type_name(&a->heap, o), sb.len ? sb_cstr(&sb) : "");
    sb_free(&sb);
}

/* --- actions --- */

/* Help and marks: one of each in a row is enough. */
static void open_screen(struct app *a, enum view_kind kind)
{
    if (app_view(a)->spec.kind != kind)
        app_open_view(a, (struct view_spec){kind, 0, OBJ_NONE, NULL});
}

/* A screen of compare mode (holders, gone objects). */
static void compare_screen(struct app *a, enum view_kind kind)
{
    if (a->ctx.compare)
        open_screen(a, kind);
    else
        app_say(a, 1, "not comparing: heapwalk OLD NEW compares two dumps of one process");
}

/* Actions about the whole program; returns 0 for the ones the screen handles. */
static int app_action(struct app *a, enum action act)
{
    switch (act) {
    case ACT_NONE: app_say(a, 0, "that key does nothing: ? lists the keys"); return 1;
    case ACT_QUIT: a->quit = 1; return 1;
    case ACT_BACK: app_go(a, -1); return 1;
    case ACT_FORWARD: app_go(a, 1); return 1;
    case ACT_HELP: open_screen(a, VIEW_HELP); return 1;
    case ACT_MARKS: open_screen(a, VIEW_MARKS); return 1;
    case ACT_NOTES: open_screen(a, VIEW_NOTES); return 1;
    case ACT_HOLDERS:
        if (app_view(a)->spec.kind == VIEW_HOLDERS)
            return 0; /* the screen switches its grouping */
        compare_screen(a, VIEW_HOLDERS);
        return 1;
    case ACT_GONE: compare_screen(a, VIEW_GONE); return 1;
    case ACT_JUMP: prompt_open(&a->prompt, PROMPT_JUMP, NULL); return 1;
    case ACT_SEARCH: start_search(a); return 1;
    case ACT_NEXT: search_again(a, 1); return 1;
    case ACT_PREV: search_again(a, -1); return 1;
    case ACT_MARK:
    case ACT_GOTO_MARK: a->pending = act; return 1;
    case ACT_HUMAN_SIZES:
        a->ctx.human_sizes = !a->ctx.human_sizes;
        app_say(a, 0, a->ctx.human_sizes ? "sizes human-readable (b: exact bytes)"
                                         : "sizes in exact bytes (b: human-readable)");
        return 1;
    case ACT_REDRAW: clearok(curscr, TRUE); return 1;
    default: return 0;
    }
}

/* --- why is it alive: the pane, the path screen, pins and skipped refs --- */

/* The rows the why-alive pane takes under the current screen, of height. */
int app_why_rows(const struct app *a, int height)
{
    const struct view *v = app_view(a);
    return v->ops->why_pane ? why_rows(&a->why, &a->ctx, height) : 0;
}

/* The object y and P act on: the pane's hop while it has the keys, else
 * what m would mark, else the selected row. */
static obj_t why_subject(const struct app *a)
{
    const struct view *v = app_view(a);
    obj_t o = a->why.focus ? why_focused(&a->why) : OBJ_NONE;
    if (o == OBJ_NONE)
        o = view_current(v, &a->ctx);
    if (o == OBJ_NONE && v->ops->why_pane)
        o = view_selected(v, &a->ctx);
    return o;
}

/* Find the roots and paths again with the pins and skipped kinds of refs
 * the user chose, once the analysis' current run has finished: stopping it
 * midway would make the key wait for the stage it is in (a tenth of a
 * second on millions of objects).  Returns 1 when it restarted. */
int app_restart_analysis(struct app *a)
{
    a->restart_due = 1;
    if (!analysis_ready(&a->analysis, ANALYSIS_DOMINATORS))
        return 0; /* the main loop calls again when the keys pause */
    job_stop(&a->job, NULL); /* a search reads the roots the restart frees */
    analysis_start(&a->analysis, &a->heap, a->pins, a->npins, a->kinds, NULL, NULL);
    a->restart_due = 0;
    a->news++;
    a->restarts++;
    return 1;
}

/* P: pin the subject as a root, or unpin it. */
static void pin(struct app *a)
{
    obj_t o = why_subject(a);
    if (o == OBJ_NONE) {
        app_say(a, 1, "no object here to pin: select one in a list, or open one");
        return;
    }
    size_t n = 0;
    for (size_t k = 0; k < a->npins; k++)
        if (a->pins[k] != o)
            a->pins[n++] = a->pins[k];
    int unpin = n < a->npins;
    if (!unpin) {
        a->pins = xreallocarray(a->pins, n + 1, sizeof *a->pins, "the pinned roots");
        a->pins[n++] = o;
    }
    a->npins = n;
    app_restart_analysis(a);
    struct strbuf sb;
    sb_init(&sb);
    query_preview(&a->heap, o, 24, &sb);
    app_say(a, 0, "%s %s %s", unpin ? "unpinned" : "pinned as a root:", heap_type_name(&a->heap, o),
        sb.len ? sb_cstr(&sb) : "");
    sb_free(&sb);
}

/* F and T: skip a kind of ref in every path, or follow it again. */
static void skip_kind(struct app *a, unsigned kind, const char *what)
{
    a->kinds ^= kind;
    app_restart_analysis(a);
    app_say(a, 0, a->kinds & kind ? "paths now skip %s" : "paths follow %s again", what);
}

/* The keys of why.h's pane and of the paths that concern every screen. */
static int why_action(struct app *a, enum action act)
{
    const struct view *v = app_view(a);
    switch (act) {
    case ACT_WHY:
        a->why.shown = !a->why.shown;
        a->why.focus = 0;
        if (a->why.shown && !app_why_rows(a, LINES - 2))
            app_say(a, 0, "the why-alive pane shows under lists of objects");
        return 1;
    case ACT_WHY_FOCUS:
        if (!v->ops->why_pane) {
            app_say(a, 1, "no why-alive pane here: it shows under lists of objects");
            return 1;
        }
        if (!a->why.shown) {
            a->why.shown = 1;
            a->why.focus = 1;
        } else {
            a->why.focus = !a->why.focus;
        }
        if (!app_why_rows(a, LINES - 2)) {
            a->why.focus = 0;
            app_say(a, 1, "the terminal is too small for the why-alive pane");
        }
        return 1;
    case ACT_PATH: {
        obj_t o = why_subject(a);
        if (o == OBJ_NONE)
            app_say(a, 1, "no object here: select one in a list, or open one");
        else
            app_open_view(a, (struct view_spec){VIEW_PATH, 0, o, NULL});
        return 1;
    }
    case ACT_PIN: pin(a); return 1;
    case ACT_SKIP_GLOBALS: skip_kind(a, EDGE_GLOBALS | EDGE_BUILTINS, "__globals__ and __builtins__"); return 1;
    case ACT_SKIP_TYPES: skip_kind(a, EDGE_TYPE, "refs to classes"); return 1;
    case ACT_ROOTS: open_screen(a, VIEW_ROOTS); return 1;
    case ACT_THREADS: open_screen(a, VIEW_THREADS); return 1;
    case ACT_SUSPECTS: open_screen(a, VIEW_SUSPECTS); return 1;
    case ACT_WASTE: open_screen(a, VIEW_WASTE); return 1;
    default: return 0;
    }
}

/* While the why-alive pane has the keys, it takes the moves and Enter. */
static int why_pane_action(struct app *a, enum action act)
{
    if (!a->why.focus || !app_why_rows(a, LINES - 2))
        return 0;
    struct view_result res;
    memset(&res, 0, sizeof res);
    unsigned flags = why_key(&a->why, act, &res);
    if (flags & VIEW_SAY)
        app_say(a, res.error, "%s", res.message);
    if (flags & VIEW_OPEN)
        app_open_view(a, res.open);
    return flags != VIEW_IGNORED;
}

/* The current screen's answer to an action: 1 when it translated it into
 * another one (*act, then), 0 when that was all. */
static int view_action(struct app *a, enum action *act, enum action asked)
{
    struct view *v = app_view(a);
    struct view_result res;
    memset(&res, 0, sizeof res);
    unsigned flags = v->ops->key(v, &a->ctx, *act, &res);
    if (flags & VIEW_ACTION) {
        *act = res.action;
        return 1;
    }
    if (flags == VIEW_IGNORED)
        app_say(a, 1, "not on this screen: %s", action_help(asked));
    if (flags & VIEW_SAY)
        app_say(a, res.error, "%s", res.message);
    if (flags & VIEW_OPEN)
        app_open_view(a, res.open);
    return 0;
}

/* A screen translates an action at most this many times in a row. */
#define TRANSLATIONS_MAX 4

static void dispatch(struct app *a, enum action act)
{
    enum action asked = act;
    for (int k = 0; k <= TRANSLATIONS_MAX; k++)
        if (why_pane_action(a, act) || why_action(a, act) || app_action(a, act) || sets_action(a, act) ||
            !view_action(a, &act, asked))
            return;
}

void app_key(struct app *a, int is_code, unsigned key)
{
    a->message[0] = '\0';
    if (a->finding_view) { /* any key stops the search under way; Esc only that */
        a->finding_view = NULL;
        if (!is_code && key == KEYMAP_ESC) {
            app_say(a, 0, "search stopped: the cursor stays where it was");
            return;
        }
    }
    if (a->prompt.open) {
        prompt_input(a, is_code, key);
        return;
    }
    if (a->pending != ACT_NONE) {
        mark_input(a, is_code, key);
        return;
    }
    if (!is_code && key == KEYMAP_ESC && job_busy(&a->job, NULL)) {
        job_cancel(&a->job); /* the screen shows what it found so far */
        app_say(a, 0, "stopping: %s", a->job.what);
        return;
    }
    const struct view *before = app_view(a);
    dispatch(a, keymap_action(is_code, key));
    if (app_view(a) != before)
        a->why.focus = 0; /* the keys go to the new screen's list */
}
