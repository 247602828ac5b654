/* app.h: the explorer's program state, and how its parts share it.
 *
 * The explorer is split by job, each file with one:
 *   args.c      the command line: options, the dump (or two), --help
 *   app.c       tui_main: preflight, loading, the terminal, and freeing
 *   history.c   the screens opened so far, back and forward
 *   dispatch.c  a key -> an action -> whoever handles it: the why-alive
 *               pane, the program (prompts, marks, pins, help), the screen
 *   loop.c      the main loop: waiting for keys, telling screens when the
 *               background work changed, drawing the title and status lines
 * Only these files see struct app; the screens (view_*.c) see a view_ctx. */
#ifndef HW_TUI_APP_H
#define HW_TUI_APP_H

#include <stdio.h>

#include "../src/objset.h"
#include "../src/open.h"
#include "compare.h"
#include "job.h"
#include "prompt.h"
#include "sets.h"
#include "view.h"
#include "why.h"

#define HISTORY_MAX 64

struct tui_options {
    struct open_options open; /* --raw, --strict, -q, --threads: as the subcommands take them */
    int color;               /* 0: --color=never */
    const char *path;
    const char *old_path;    /* heapwalk OLD NEW: OLD, compared with path; else NULL */
    char *const *earlier;    /* heapwalk D1 D2 ... OLD NEW: the dumps before OLD, for the trend */
    size_t n_earlier;
};

/* =: what freeing a list's objects would free, on the job thread. */
struct set_retained {
    const struct heap *heap;
    const struct roots *roots;
    obj_t *objs;             /* owned */
    size_t n;
    uint64_t bytes;          /* their own sizes */
    struct objset_retained out;
    int reported;            /* the status line has said it */
};

struct app {
    struct heap heap;
    struct summary summary;
    struct query_index index;
    struct marks marks;
    struct analysis analysis; /* roots, paths, dominators: computed in the background */
    struct job job;          /* a screen's long computation (k paths): in the background too */
    struct compare compare;  /* heapwalk OLD NEW; ctx.compare points here then */
    struct load_notes notes; /* what loading skipped or could not resolve (the ! screen) */
    uint32_t *classes;       /* refs_class_counts: names several classes share (ctx.classes) */
    struct named_sets sets;  /* B names a list, * lists them */
    struct set_retained retained; /* the last = */
    struct load_options load; /* how the dump was loaded (a screen may read it again) */
    struct view_ctx ctx;     /* points into the fields above */
    struct why_pane why;     /* the why-alive pane, under the screens that have one */
    obj_t *pins;             /* the roots the user pinned (P), owned ... */
    size_t npins;
    unsigned kinds;          /* ... and the kinds of refs paths skip (F, T): the analysis */
    int restart_due;         /* is restarted with them once its run has finished */
    unsigned news;           /* counts changes in the background results ... */
    unsigned restarts;       /* ... and restarts of the analysis (loop.c tells the screens) */
    const char *dump_name;

    struct view *history[HISTORY_MAX];
    int nhistory;
    int current;             /* the screen shown: an index into history */

    struct prompt prompt;
    char query_retry[PROMPT_MAX]; /* a query SQLite refused: `:` opens with it, to be fixed */
    char filter_before[PROMPT_MAX]; /* the filter when / opened, put back by Esc */
    enum action pending;     /* ACT_MARK or ACT_GOTO_MARK waiting for its letter */
    struct query_match search;
    int have_search;
    struct list_search finding; /* the search under way (/, n, N) over a long list ... */
    struct view *finding_view; /* ... on this screen; NULL: none.  A key stops it */
    unsigned finding_news;   /* the news it has seen: newer ones, and it begins again */
    double finding_from;     /* when it may begin (HEAPWALK_JOB_DELAY_MS, for tests) */

    char message[VIEW_MESSAGE_MAX];
    int message_error;
    int quit, lost;
    FILE *timing;            /* HEAPWALK_KEYTIMES: one line per key, for measurements */
};

/* args.c: parse argv into o.  Returns -1 to go on, or the exit status (after
 * --help, or a usage error said on stderr).  usage prints the whole
 * program's usage (main.c's). */
int args_parse(int argc, char **argv, void (*usage)(FILE *to), struct tui_options *o);

/* history.c */
struct view *app_view(const struct app *a);
/* Open a screen after the current one; the screens ahead of it (left by
 * going back) are dropped, as a browser does. */
void app_open_view(struct app *a, struct view_spec spec);
/* Back (dir < 0) or forward (dir > 0) one screen. */
void app_go(struct app *a, int dir);
/* Close every screen. */
void app_history_free(struct app *a);

/* dispatch.c */
/* A message on the status line until the next key. */
void app_say(struct app *a, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A key as the terminal gave it (is_code: a KEY_* code). */
void app_key(struct app *a, int is_code, unsigned key);
/* Find the roots and paths again with the pins and skipped kinds the user
 * chose, once the analysis' current run has finished; 1 when it restarted. */
int app_restart_analysis(struct app *a);
/* The rows the why-alive pane takes under the current screen, of height. */
int app_why_rows(const struct app *a, int height);
/* Go on with the search under way for a slice of time; 1 while it goes on
 * (the loop calls again as soon as no key is waiting). */
int app_search_step(struct app *a);
/* The status line's "searching... (Esc stops)" while a search is under way. */
const char *app_search_status(const struct app *a);

/* setkeys.c */
/* The set actions (: % ^ = E B *); 0 for the ones the screen handles. */
int sets_action(struct app *a, enum action act);
/* The answer to a set action's prompt (PROMPT_QUERY, _EXPORT, _NAME). */
void sets_prompt_done(struct app *a, enum prompt_kind kind, const char *text);
/* The job ended: say what = found, if it was that. */
void sets_job_ended(struct app *a);

/* loop.c */
/* Tell the current screen and the why-alive pane about changes in the
 * background results they have not heard of. */
void app_catch_up(struct app *a);
void app_draw(struct app *a);
/* Until q, a lost terminal or a signal. */
void app_run(struct app *a);

#endif
