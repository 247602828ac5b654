/* app.c: the explorer: arguments, loading, the main loop, the history of
 * screens, the prompt, marks, search, and the title and status lines.
 *
 * The loop draws only after something changed, then waits for a key with a
 * finite timeout (terminal.c), so a resize or a signal is never missed and a
 * lost terminal ends the program instead of spinning.  Actions that concern
 * the whole program (history, prompts, marks, search, help) are handled here;
 * the rest go to the current screen through its view_ops. */
#include "tui.h"

#include <curses.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/cli.h"
#include "compare.h"
#include "draw.h"
#include "keymap.h"
#include "prompt.h"
#include "terminal.h"
#include "view.h"
#include "why.h"

#define HISTORY_MAX 64
#define MIN_COLS 40
#define MIN_ROWS 8
#define NAME_MIN 12          /* the status line's dump name, when a message is long */

struct tui_options {
    struct cli_common common; /* --raw, --strict, -q, --threads: as the subcommands take them */
    int color;               /* 0: --color=never */
    const char *path;
    const char *old_path;    /* heapwalk OLD NEW: OLD, compared with path; else NULL */
};

struct app {
    struct heap heap;
    struct summary summary;
    struct query_index index;
    struct marks marks;
    struct analysis analysis; /* roots, paths, dominators: computed in the background */
    struct compare compare;  /* heapwalk OLD NEW; ctx.compare points here then */
    struct view_ctx ctx;     /* points into the fields above */
    struct why_pane why;     /* the why-alive pane, under the screens that have one */
    obj_t *pins;             /* the roots the user pinned (P), owned ... */
    size_t npins;
    unsigned kinds;          /* ... and the kinds of refs paths skip (F, T): the analysis */
    int restart_due;         /* is restarted with them once its run has finished */
    const char *dump_name;

    struct view *history[HISTORY_MAX];
    int nhistory;
    int current;             /* the screen shown: an index into history */

    struct prompt prompt;
    char filter_before[PROMPT_MAX]; /* the filter when / opened, put back by Esc */
    enum action pending;     /* ACT_MARK or ACT_GOTO_MARK waiting for its letter */
    struct query_match search;
    int have_search;

    char message[VIEW_MESSAGE_MAX];
    int message_error;
    int quit, lost;
    FILE *timing;            /* HEAPWALK_KEYTIMES: one line per key, for measurements */
};

/* --- arguments --- */

static void tui_usage(FILE *to)
{
    cli_usage(to);
    fputs("       heapwalk [OPTIONS] OLD NEW      explore NEW compared with OLD, an older dump\n"
          "Explorer options:\n"
          "  --color=WHEN   auto (default) or never; NO_COLOR in the environment means never\n",
          to);
}

/* Past the codes cli.h uses for the options every subcommand shares. */
enum { OPT_COLOR = 2000 };

/* Returns -1 to go on, or the exit status. */
static int tui_option(int c, struct tui_options *o)
{
    int r = c == OPT_JSON ? 0 : cli_common_option("explorer", c, &o->common);
    if (r > 0)
        return -1;
    if (r < 0)
        return EXIT_USAGE;
    switch (c) {
    case OPT_COLOR:
        if (strcmp(optarg, "never") == 0 || strcmp(optarg, "auto") == 0) {
            o->color = strcmp(optarg, "auto") == 0;
            return -1;
        }
        fprintf(stderr, "heapwalk: --color wants never or auto, not '%s'\n", optarg);
        return EXIT_USAGE;
    case OPT_HELP: tui_usage(stdout); return EXIT_OK;
    default: tui_usage(stderr); return EXIT_USAGE;
    }
}

static int parse_args(int argc, char **argv, struct tui_options *o)
{
    static const struct option longopts[] = {
        {"raw", no_argument, NULL, OPT_RAW},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"quiet", no_argument, NULL, 'q'},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"color", required_argument, NULL, OPT_COLOR},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    cli_common_init(&o->common);
    o->color = 1;
    optind = 1;
    int c, status;
    while ((c = getopt_long(argc, argv, "q", longopts, NULL)) != -1)
        if ((status = tui_option(c, o)) >= 0)
            return status;
    if (optind >= argc || argc - optind > 2) {
        fprintf(stderr, "heapwalk: %s\n",
                optind >= argc ? "which dump? give a file" : "one dump, or two to compare (OLD NEW)");
        tui_usage(stderr);
        return EXIT_USAGE;
    }
    if (argc - optind == 2)
        o->old_path = argv[optind++];
    o->path = argv[optind];
    return -1;
}

/* --- loading --- */

static int app_load(struct app *a, const struct tui_options *o)
{
    double start = hw_now();
    heap_init(&a->heap);
    if (cli_load(o->path, &o->common.load, o->common.quiet, &a->heap) < 0)
        return -1;
    summary_compute(&a->heap, &a->summary);
    query_index_build(&a->heap, &a->index);
    for (int s = 0; s < MARKS_MAX; s++)
        a->marks.obj[s] = OBJ_NONE;
    const char *slash = strrchr(o->path, '/');
    a->dump_name = slash ? slash + 1 : o->path;
    if (o->old_path) {
        if (compare_load(&a->compare, o->old_path, o->path, &o->common.load, o->common.quiet, &a->heap) < 0)
            return -1;
        a->dump_name = a->compare.label;
    }
    a->ctx = (struct view_ctx){&a->heap, &a->summary, &a->index, &a->marks, a->dump_name, &a->analysis,
                               o->old_path ? &a->compare : NULL};
    analysis_start(&a->analysis, &a->heap, NULL, 0, 0);
    why_init(&a->why);
    a->current = -1;
    snprintf(a->message, sizeof a->message, "loaded in %.1f s; ? shows the keys", hw_now() - start);
    const char *timing = getenv("HEAPWALK_KEYTIMES");
    if (timing && *timing)
        a->timing = fopen(timing, "a");
    return 0;
}

static void view_free(struct view *v)
{
    if (!v)
        return;
    v->ops->close(v);
    free(v);
}

static void app_free(struct app *a)
{
    for (int i = 0; i < a->nhistory; i++)
        view_free(a->history[i]);
    if (a->have_search)
        query_match_free(&a->search);
    if (a->timing)
        fclose(a->timing);
    analysis_stop(&a->analysis); /* before the heap it reads */
    compare_free(&a->compare);   /* likewise */
    why_free(&a->why);
    free(a->pins);
    query_index_free(&a->index);
    summary_free(&a->summary);
    heap_free(&a->heap);
    free(a);
}

/* --- messages and history --- */

static void say(struct app *a, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(struct app *a, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->message, sizeof a->message, fmt, ap);
    va_end(ap);
    a->message_error = error;
}

static struct view *current_view(const struct app *a)
{
    return a->history[a->current];
}

/* Open a screen after the current one; the screens ahead of it (left by
 * going back) are dropped, as a browser does. */
static void open_view(struct app *a, struct view_spec spec)
{
    struct view *v = xcalloc(1, sizeof *v, "a screen");
    v->ops = view_ops_of(spec.kind);
    v->spec = spec;
    v->ops->open(v, &a->ctx);
    for (int i = a->current + 1; i < a->nhistory; i++)
        view_free(a->history[i]);
    a->nhistory = a->current + 1;
    if (a->nhistory == HISTORY_MAX) {
        view_free(a->history[0]);
        memmove(a->history, a->history + 1, (HISTORY_MAX - 1) * sizeof *a->history);
        a->nhistory--;
    }
    a->history[a->nhistory++] = v;
    a->current = a->nhistory - 1;
}

static void go(struct app *a, int dir)
{
    int to = a->current + dir;
    if (to < 0)
        say(a, 0, "this is the first screen");
    else if (to >= a->nhistory)
        say(a, 0, "nothing ahead: f goes forward again after going back");
    else
        a->current = to;
}

/* --- prompts: search, filter, jump --- */

static void search_again(struct app *a, int dir)
{
    struct view *v = current_view(a);
    if (!a->have_search) {
        say(a, 1, "no search yet: / starts one");
        return;
    }
    if (!v->ops->search) {
        say(a, 1, "nothing to search on this screen");
        return;
    }
    switch (v->ops->search(v, &a->ctx, &a->search, dir)) {
    case LIST_NOT_FOUND: say(a, 1, "no match for '%s' here", a->search.needle); break;
    case LIST_WRAPPED: say(a, 0, "search went round the end of the list: '%s'", a->search.needle); break;
    case LIST_FOUND: say(a, 0, "/%s", a->search.needle); break;
    }
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
    struct view *v = current_view(a);
    if (v->ops->filter) {
        snprintf(a->filter_before, sizeof a->filter_before, "%s", v->ops->filter_text(v));
        prompt_open(&a->prompt, PROMPT_FILTER, a->filter_before);
    } else if (v->ops->search) {
        prompt_open(&a->prompt, PROMPT_SEARCH, NULL);
    } else {
        say(a, 1, "nothing to search on this screen");
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
        say(a, 1, "'%s' is not an address (decimal, or hex with 0x)", text);
        return;
    }
    obj_t o = heap_find(&a->heap, addr);
    if (o == OBJ_NONE) {
        say(a, 1, "no object at address %llu (0x%llx)%s", (unsigned long long)addr, (unsigned long long)addr,
            a->heap.collapsed ? "; an instance's __dict__ is collapsed into its owner (--raw keeps it)" : "");
        return;
    }
    open_view(a, (struct view_spec){VIEW_OBJECT, 0, o});
}

static void prompt_input(struct app *a, int is_code, unsigned key)
{
    enum prompt_status s = prompt_key(&a->prompt, is_code, key);
    struct view *v = current_view(a);
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
        say(a, 1, "a mark is a letter, a-z or A-Z");
        return;
    }
    char letter = marks_letter(slot);
    if (what == ACT_GOTO_MARK) {
        if (a->marks.obj[slot] == OBJ_NONE)
            say(a, 1, "mark '%c' is not set (m%c sets it)", letter, letter);
        else
            open_view(a, (struct view_spec){VIEW_OBJECT, 0, a->marks.obj[slot]});
        return;
    }
    struct view *v = current_view(a);
    obj_t o = v->ops->current(v);
    if (o == OBJ_NONE) {
        say(a, 1, "no object here to mark: select one in a list, or open one");
        return;
    }
    a->marks.obj[slot] = o;
    struct strbuf sb;
    sb_init(&sb);
    query_preview(&a->heap, o, 24, &sb);
    say(a, 0, "mark %c: %s %s", letter, heap_type_name(&a->heap, o), sb.len ? sb_cstr(&sb) : "");
    sb_free(&sb);
}

/* --- actions --- */

/* Help and marks: one of each in a row is enough. */
static void open_screen(struct app *a, enum view_kind kind)
{
    if (current_view(a)->spec.kind != kind)
        open_view(a, (struct view_spec){kind, 0, OBJ_NONE});
}

/* Actions about the whole program; returns 0 for the ones the screen handles. */
static int app_action(struct app *a, enum action act)
{
    switch (act) {
    case ACT_NONE: say(a, 0, "that key does nothing: ? lists the keys"); return 1;
    case ACT_QUIT: a->quit = 1; return 1;
    case ACT_BACK: go(a, -1); return 1;
    case ACT_FORWARD: go(a, 1); return 1;
    case ACT_HELP: open_screen(a, VIEW_HELP); return 1;
    case ACT_MARKS: open_screen(a, VIEW_MARKS); return 1;
    case ACT_HOLDERS:
        if (a->ctx.compare)
            open_screen(a, VIEW_HOLDERS);
        else
            say(a, 1, "not comparing: heapwalk OLD NEW compares two dumps of one process");
        return 1;
    case ACT_JUMP: prompt_open(&a->prompt, PROMPT_JUMP, NULL); return 1;
    case ACT_SEARCH: start_search(a); return 1;
    case ACT_NEXT: search_again(a, 1); return 1;
    case ACT_PREV: search_again(a, -1); return 1;
    case ACT_MARK:
    case ACT_GOTO_MARK: a->pending = act; return 1;
    case ACT_REDRAW: clearok(curscr, TRUE); return 1;
    default: return 0;
    }
}

/* --- why is it alive: the pane, the path screen, pins and skipped refs --- */

/* The rows the why-alive pane takes under the current screen, of height. */
static int why_pane_rows(const struct app *a, int height)
{
    const struct view *v = current_view(a);
    return v->ops->selected ? why_rows(&a->why, &a->ctx, height) : 0;
}

/* The object y and P act on: the pane's hop while it has the keys, else
 * what m would mark, else the selected row. */
static obj_t why_subject(const struct app *a)
{
    const struct view *v = current_view(a);
    obj_t o = a->why.focus ? why_focused(&a->why) : OBJ_NONE;
    if (o == OBJ_NONE)
        o = v->ops->current(v);
    if (o == OBJ_NONE && v->ops->selected)
        o = v->ops->selected(v, &a->ctx);
    return o;
}

/* Find the roots and paths again with the pins and skipped kinds of refs
 * the user chose, once the analysis' current run has finished: stopping it
 * midway would make the key wait for the stage it is in (a tenth of a
 * second on millions of objects).  Returns 1 when it restarted. */
static int restart_analysis(struct app *a)
{
    a->restart_due = 1;
    if (!analysis_ready(&a->analysis, ANALYSIS_DOMINATORS))
        return 0; /* the main loop calls again when the keys pause */
    analysis_start(&a->analysis, &a->heap, a->pins, a->npins, a->kinds);
    a->restart_due = 0;
    return 1;
}

/* P: pin the subject as a root, or unpin it. */
static void pin(struct app *a)
{
    obj_t o = why_subject(a);
    if (o == OBJ_NONE) {
        say(a, 1, "no object here to pin: select one in a list, or open one");
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
    restart_analysis(a);
    struct strbuf sb;
    sb_init(&sb);
    query_preview(&a->heap, o, 24, &sb);
    say(a, 0, "%s %s %s", unpin ? "unpinned" : "pinned as a root:", heap_type_name(&a->heap, o),
        sb.len ? sb_cstr(&sb) : "");
    sb_free(&sb);
}

/* F and T: skip a kind of ref in every path, or follow it again. */
static void skip_kind(struct app *a, unsigned kind, const char *what)
{
    a->kinds ^= kind;
    restart_analysis(a);
    say(a, 0, a->kinds & kind ? "paths now skip %s" : "paths follow %s again", what);
}

/* The keys of why.h's pane and of the paths that concern every screen. */
static int why_action(struct app *a, enum action act)
{
    const struct view *v = current_view(a);
    switch (act) {
    case ACT_WHY:
        a->why.shown = !a->why.shown;
        a->why.focus = 0;
        if (a->why.shown && !why_pane_rows(a, LINES - 2))
            say(a, 0, "the why-alive pane shows under lists of objects");
        return 1;
    case ACT_WHY_FOCUS:
        if (!v->ops->selected) {
            say(a, 1, "no why-alive pane here: it shows under lists of objects");
            return 1;
        }
        if (!a->why.shown) {
            a->why.shown = 1;
            a->why.focus = 1;
        } else {
            a->why.focus = !a->why.focus;
        }
        if (!why_pane_rows(a, LINES - 2)) {
            a->why.focus = 0;
            say(a, 1, "the terminal is too small for the why-alive pane");
        }
        return 1;
    case ACT_PATH: {
        obj_t o = why_subject(a);
        if (o == OBJ_NONE)
            say(a, 1, "no object here: select one in a list, or open one");
        else
            open_view(a, (struct view_spec){VIEW_PATH, 0, o});
        return 1;
    }
    case ACT_PIN: pin(a); return 1;
    case ACT_SKIP_GLOBALS: skip_kind(a, EDGE_GLOBALS | EDGE_BUILTINS, "__globals__ and __builtins__"); return 1;
    case ACT_SKIP_TYPES: skip_kind(a, EDGE_TYPE, "refs to classes"); return 1;
    case ACT_ROOTS: open_screen(a, VIEW_ROOTS); return 1;
    default: return 0;
    }
}

/* While the why-alive pane has the keys, it takes the moves and Enter. */
static int why_pane_action(struct app *a, enum action act)
{
    if (!a->why.focus || !why_pane_rows(a, LINES - 2))
        return 0;
    struct view_result res;
    memset(&res, 0, sizeof res);
    unsigned flags = why_key(&a->why, act, &res);
    if (flags & VIEW_SAY)
        say(a, res.error, "%s", res.message);
    if (flags & VIEW_OPEN)
        open_view(a, res.open);
    return flags != VIEW_IGNORED;
}

static void view_action(struct app *a, enum action act)
{
    struct view *v = current_view(a);
    struct view_result res;
    memset(&res, 0, sizeof res);
    unsigned flags = v->ops->key(v, &a->ctx, act, &res);
    /* What Right, Left and D mean where a screen gives them nothing more
     * precise (the dominator tree moves with Right and Left; an object opens
     * its own subtree with D). */
    if (flags == VIEW_IGNORED && act == ACT_RIGHT)
        flags = v->ops->key(v, &a->ctx, ACT_OPEN, &res);
    if (flags == VIEW_IGNORED && act == ACT_LEFT) {
        go(a, -1);
        return;
    }
    if (flags == VIEW_IGNORED && act == ACT_DOMTREE) {
        res.open = (struct view_spec){VIEW_DOMTREE, 0, OBJ_NONE};
        flags = VIEW_OPEN;
    }
    if (flags == VIEW_IGNORED)
        say(a, 1, "not on this screen: %s", action_help(act));
    if (flags & VIEW_SAY)
        say(a, res.error, "%s", res.message);
    if (flags & VIEW_OPEN)
        open_view(a, res.open);
}

static void app_key(struct app *a, int is_code, unsigned key)
{
    a->message[0] = '\0';
    if (a->prompt.open) {
        prompt_input(a, is_code, key);
        return;
    }
    if (a->pending != ACT_NONE) {
        mark_input(a, is_code, key);
        return;
    }
    enum action act = keymap_action(is_code, key);
    const struct view *before = current_view(a);
    if (!why_pane_action(a, act) && !why_action(a, act) && !app_action(a, act))
        view_action(a, act);
    if (current_view(a) != before)
        a->why.focus = 0; /* the keys go to the new screen's list */
}

/* --- drawing --- */

static void draw_title(const struct app *a, int width)
{
    const struct view *v = current_view(a);
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

static void draw_status(const struct app *a, int y, int width)
{
    const struct view *v = current_view(a);
    if (a->prompt.open) {
        prompt_draw(&a->prompt, y, width);
        return;
    }
    size_t pos, total;
    v->ops->position(v, &pos, &total);
    char where[128];
    snprintf(where, sizeof where, " %s %s %zu/%zu ", draw_glyph(GLYPH_SEP), v->ops->name, pos, total);
    const char *right = v->ops->hints;
    enum role role = ROLE_STATUS;
    /* While the background work runs, what it is doing replaces the hints. */
    const char *busy = analysis_status(&a->analysis);
    if (!busy && a->ctx.compare)
        busy = compare_status(a->ctx.compare);
    if (busy)
        right = busy;
    if (a->pending != ACT_NONE) {
        right = pending_text(a->pending);
        role = ROLE_MESSAGE;
    } else if (a->message[0]) {
        right = a->message;
        role = a->message_error ? ROLE_ERROR : ROLE_MESSAGE;
    }
    int w = draw_width(right, strlen(right));
    /* The dump's name (two in compare mode) gives way to anything but the
     * hints, down to NAME_MIN columns; the screen and position stay. */
    int name_room = width - 1 - draw_width(where, strlen(where));
    if (right != v->ops->hints && name_room - w - 1 < draw_width(a->dump_name, strlen(a->dump_name)))
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
}

static void app_draw(struct app *a)
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
    struct view *v = current_view(a);
    struct view_area area = {1, LINES - 2, COLS};
    struct view_area pane = {0, why_pane_rows(a, area.height), COLS};
    area.height -= pane.height;
    pane.y = area.y + area.height;
    v->ops->layout(v, &a->ctx, &area);
    if (pane.height)
        why_update(&a->why, &a->ctx, v->ops->selected(v, &a->ctx), pane.height);
    draw_title(a, COLS);
    v->ops->draw(v, &a->ctx, &area);
    if (pane.height)
        why_draw(&a->why, &a->ctx, &pane);
    draw_status(a, LINES - 1, COLS);
    curs_set(a->prompt.open ? 1 : 0);
    refresh();
}

/* --- the loop --- */

static void log_timing(const struct app *a, unsigned key, double t0, double t1, double t2)
{
    if (!a->timing)
        return;
    fprintf(a->timing, "key %u screen %s handle_ms %.3f draw_ms %.3f\n", key, current_view(a)->ops->name,
            (t1 - t0) * 1e3, (t2 - t1) * 1e3);
    fflush(a->timing);
}

static void app_run(struct app *a)
{
    int dirty = 1;
    while (!a->quit && !term_signal()) {
        if (dirty)
            app_draw(a);
        dirty = 0;
        unsigned key = 0;
        enum term_input in = term_read(&key);
        if (in == TERM_GONE) {
            a->lost = 1;
            break;
        }
        if (in == TERM_TIMEOUT) {
            dirty = analysis_poll(&a->analysis); /* a stage finished: show it */
            if (a->restart_due)
                dirty |= restart_analysis(a);
            if (a->ctx.compare)
                dirty |= compare_poll(&a->compare);
            continue;
        }
        dirty = 1;
        if (in == TERM_CODE && key == KEY_RESIZE)
            continue;
        double t0 = hw_now();
        app_key(a, in == TERM_CODE, key);
        if (a->timing && !a->quit) {
            double t1 = hw_now();
            app_draw(a);
            dirty = 0;
            log_timing(a, key, t0, t1, hw_now());
        }
    }
}

static const char NOT_A_TERMINAL[] =
    "heapwalk: the explorer needs a terminal; for scripts use: heapwalk summary|show ...\n"
    "  heapwalk summary DUMP        the type table\n"
    "  heapwalk show ADDRESS DUMP   one object, its children, parents and refs as a dict\n";

/* Everything that can stop the explorer before the (possibly long) load:
 * returns -1 to go on, or the exit status. */
static int preflight(const struct tui_options *opt)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fputs(NOT_A_TERMINAL, stderr);
        return EXIT_FAIL;
    }
    if (strcmp(opt->path, "-") == 0 || (opt->old_path && strcmp(opt->old_path, "-") == 0)) {
        fputs("heapwalk: the explorer reads keys from the terminal, so the dump cannot come from stdin;\n"
              "  give a file name, or use heapwalk summary -\n",
              stderr);
        return EXIT_USAGE;
    }
    struct hw_error err = {{0}};
    if (term_check(&err) < 0) {
        fprintf(stderr, "heapwalk: %s\n", err.msg);
        return EXIT_FAIL;
    }
    return -1;
}

int tui_main(int argc, char **argv)
{
    struct tui_options opt;
    int status = parse_args(argc, argv, &opt);
    if (status < 0) {
        setlocale(LC_CTYPE, "");
        status = preflight(&opt);
    }
    if (status >= 0)
        return status;
    struct hw_error err = {{0}};
    struct app *a = xcalloc(1, sizeof *a, "the explorer");
    if (app_load(a, &opt) < 0) {
        app_free(a);
        return EXIT_FAIL;
    }
    if (term_start(opt.color, &err) < 0) {
        fprintf(stderr, "heapwalk: %s\n", err.msg);
        app_free(a);
        return EXIT_FAIL;
    }
    keymap_init();
    open_view(a, (struct view_spec){VIEW_SUMMARY, 0, OBJ_NONE});
    app_run(a);
    term_stop();
    term_free();
    int sig = term_signal(), lost = a->lost;
    app_free(a);
    if (lost)
        fputs("heapwalk: the terminal went away; stopped\n", stderr);
    if (sig) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
    return lost ? EXIT_FAIL : EXIT_OK;
}
