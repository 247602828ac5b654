/* view.h: one screen of the explorer.
 *
 * A view is a screen's own state plus a const table of callbacks (as tig's
 * struct view_ops).  The main loop (app.c) knows screens only through that
 * table: it opens a view from a view_spec, lays it out, draws it, hands it
 * the actions it does not handle itself, and closes it when it drops out of
 * the history.  Key handlers change the view's state and return flags; draw
 * only reads. */
#ifndef HW_TUI_VIEW_H
#define HW_TUI_VIEW_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../src/heap.h"
#include "../src/notes.h"
#include "../src/query.h"
#include "../src/summary.h"
#include "../src/util.h"
#include "actions.h"
#include "analysis.h"
#include "list.h"

enum view_kind {
    VIEW_SUMMARY, VIEW_INSTANCES, VIEW_OBJECT, VIEW_HELP, VIEW_MARKS, VIEW_DOMTREE, VIEW_HOLDERS,
    VIEW_PATH, VIEW_ROOTS, VIEW_THREADS, VIEW_NOTES, VIEW_GONE, VIEW_SET, VIEW_SET_TYPES, VIEW_SET_HOLDERS,
    VIEW_SETS, VIEW_SUSPECTS, VIEW_WASTE
};

struct set_stream;

/* The objects of a set screen (VIEW_SET, VIEW_SET_TYPES, VIEW_SET_HOLDERS):
 * read only by the screen's open, which copies what and objs and takes the
 * stream. */
struct set_source {
    const char *what;        /* the query, or what the list was */
    struct set_stream *stream; /* a query's objects still arriving (sets.h), or NULL: */
    const obj_t *objs;       /* the objects */
    size_t n;
    int show_holder;         /* each row says which object holds it (the copies of a value) */
};

/* What to open: a kind of screen and its subject. */
struct view_spec {
    enum view_kind kind;
    uint32_t type;           /* VIEW_INSTANCES: a type id */
    obj_t obj;               /* VIEW_OBJECT: the object; VIEW_DOMTREE: the subtree's top
                                (OBJ_NONE: the whole tree); VIEW_PATH: the path's target */
    const struct set_source *set; /* the set screens: their objects, while they open */
};

/* Marks: one object per letter, a-z then A-Z. */
#define MARKS_MAX 52
struct marks {
    obj_t obj[MARKS_MAX];    /* OBJ_NONE when the letter is not set */
};

/* The slot of a mark letter, or -1 for a key that is not a letter. */
static inline int marks_slot(unsigned key)
{
    if (key >= 'a' && key <= 'z')
        return (int)(key - 'a');
    if (key >= 'A' && key <= 'Z')
        return 26 + (int)(key - 'A');
    return -1;
}
static inline char marks_letter(int slot)
{
    return (char)(slot < 26 ? 'a' + slot : 'A' + (slot - 26));
}

/* What every screen reads: the loaded dump and what was computed once from
 * it.  Owned by app.c, read only for the views. */
struct view_ctx {
    const struct heap *heap;
    const struct summary *summary;    /* every type, by size (meliae's order) */
    const struct query_index *index;
    const struct marks *marks;
    const char *dump_name;
    const struct analysis *analysis; /* roots, paths, dominators: check analysis_ready() first */
    const struct compare *compare;   /* heapwalk OLD NEW: the comparison (compare.h); else NULL */
    const atomic_int *cancel;        /* set when the explorer must stop: long searches give up */
    struct job *job;                 /* a screen's own long computation (job.h): one at a time */
    const struct load_notes *notes;  /* what loading the dump skipped or could not resolve */
    int human_sizes;                 /* sizes as 38.3M instead of exact bytes (b toggles) */
    const uint32_t *classes;         /* refs_class_counts: how many classes bear each type's name */
    const struct named_sets *sets;   /* the sets the user named (sets.h) */
    const char *dump_path;           /* the dump's file, and how it was loaded: for a screen */
    const struct load_options *load; /* that reads it again another way (waste: --raw) */
};

/* Room for a size as view_bytes writes it. */
#define VIEW_BYTES_MAX 24
/* bytes as the screens show a size: exact ("40140356"), or with
 * ctx->human_sizes in binary units with one decimal ("38.3M"; under 1024:
 * the bytes).  Writes buf (VIEW_BYTES_MAX) and returns it. */
const char *view_bytes(const struct view_ctx *ctx, uint64_t bytes, char *buf);
/* "40140356 bytes", or "38.3M" with ctx->human_sizes: for titles. */
void view_add_bytes(const struct view_ctx *ctx, uint64_t bytes, struct strbuf *out);
/* The same for a change, always signed ("+9279768", "+8.8M", "-224"). */
const char *view_bytes_delta(const struct view_ctx *ctx, int64_t delta, char *buf);

/* The rows a view draws in: the whole width, from row y, height rows. */
struct view_area {
    int y, height, width;
};

/* Flags a key handler returns. */
enum {
    VIEW_IGNORED = 0,        /* the action means nothing on this screen */
    VIEW_HANDLED = 1 << 0,
    VIEW_OPEN = 1 << 1,      /* open result->open as a new screen */
    VIEW_SAY = 1 << 2,       /* show result->message on the status line */
    VIEW_ACTION = 1 << 3,    /* the screen translated the action: run result->action instead */
};

#define VIEW_MESSAGE_MAX 256

struct view_result {
    struct view_spec open;
    enum action action;      /* with VIEW_ACTION */
    char message[VIEW_MESSAGE_MAX];
    int error;               /* the message reports a problem */
};

struct view_ops;
struct compare;
struct job;

struct view {
    const struct view_ops *ops;
    struct view_spec spec;
    void *priv;              /* the screen's state: allocated by open, freed by close */
    unsigned news, restarts; /* the loop's counts when it last told the screen (analysis_changed) */
};

struct view_ops {
    const char *name;        /* the screen's name on the status line */
    const struct action_hint *hints; /* its main keys, for the status line; ACT_NONE ends */
    /* Build the state for v->spec. */
    void (*open)(struct view *v, const struct view_ctx *ctx);
    void (*close)(struct view *v);
    /* The background results changed since the screen last heard: a stage
     * of the analysis finished, or the holders of new objects came; with
     * restarted, the analysis started again (pins, skipped kinds) and what
     * the screen built from its results is gone.  The loop calls it before
     * the screen draws or gets a key; NULL for screens that only read the
     * results as they draw. */
    void (*analysis_changed)(struct view *v, const struct view_ctx *ctx, int restarted);
    /* Fit the rows to the area (the terminal's size); nothing else.  Called
     * before every draw. */
    void (*layout)(struct view *v, const struct view_ctx *ctx, const struct view_area *area);
    void (*draw)(const struct view *v, const struct view_ctx *ctx, const struct view_area *area);
    /* Handle an action: returns VIEW_* flags and fills res when asked to.
     * What the screen gives no meaning of its own goes to view_key_default
     * (as tig's views pass on a request). */
    unsigned (*key)(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res);
    /* The text of the title line. */
    void (*title)(const struct view *v, const struct view_ctx *ctx, struct strbuf *out);

    /* The shared list behaviour (view.c): a screen of rows says which list
     * its cursor moves in and which object each row stands for; the rest
     * follows from them unless the screen says otherwise. */
    struct list *(*list)(const struct view *v);
    /* The object on row i, or OBJ_NONE (a row without one); NULL when no
     * row stands for an object. */
    obj_t (*row)(const struct view *v, const struct view_ctx *ctx, size_t i);
    /* The selected row (from 1) and the rows, for the status line; NULL:
     * from list(). */
    void (*position)(const struct view *v, size_t *pos, size_t *total);
    /* The object m would mark here, or OBJ_NONE; NULL: the selected row's
     * object (view_cursor_object). */
    obj_t (*current)(const struct view *v, const struct view_ctx *ctx);
    /* The object whose path the why-alive pane shows; NULL: current. */
    obj_t (*selected)(const struct view *v, const struct view_ctx *ctx);
    int why_pane;            /* the why-alive pane shows under this screen */
    /* Go on with search s (list.h: its direction, how many rows a step
     * looks at) for the next row matching m: list_search_step over the
     * screen's list (view_search_rows for rows of objects); NULL when the
     * screen has nothing to search. */
    enum list_found (*search)(struct view *v, const struct view_ctx *ctx, const struct query_match *m,
                              struct list_search *s);
    /* Show only the rows matching text (the empty string: all); NULL unless
     * / filters this screen instead of searching it. */
    void (*filter)(struct view *v, const struct view_ctx *ctx, const char *text);
    /* The filter in force ("" for none); with filter. */
    const char *(*filter_text)(const struct view *v);
    /* What the rows' objects are as a set (a set screen's query), for the
     * set keys (% ^ = E B); NULL: the title says it. */
    const char *(*set_what)(const struct view *v);
};

/* The callbacks of a kind of screen. */
const struct view_ops *view_ops_of(enum view_kind kind);
/* Put a printf-style message in res; returns VIEW_HANDLED | VIEW_SAY. */
unsigned view_say(struct view_result *res, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Have the program run action a instead of the one asked for: returns
 * VIEW_ACTION. */
unsigned view_translate(struct view_result *res, enum action a);
/* What an action means on a screen that gives it nothing more precise:
 * Right is Enter, Left is Backspace, D opens the whole dominator tree;
 * VIEW_IGNORED for anything else.  Key handlers end with it. */
unsigned view_key_default(enum action a, struct view_result *res);

/* What the loop asks of any screen, with the defaults above filled in. */
void view_position(const struct view *v, size_t *pos, size_t *total);
obj_t view_current(const struct view *v, const struct view_ctx *ctx);
obj_t view_selected(const struct view *v, const struct view_ctx *ctx);
/* The object on the selected row of list(), or OBJ_NONE. */
obj_t view_cursor_object(const struct view *v, const struct view_ctx *ctx);
/* The distinct objects of the rows of list() (OBJ_NONE rows left out), in
 * row order: a new array (caller frees), *n of them; NULL when the screen's
 * rows stand for no objects. */
obj_t *view_objects(const struct view *v, const struct view_ctx *ctx, size_t *n);
/* Search the rows' objects (type names, values, names: query_match_object). */
enum list_found view_search_rows(struct view *v, const struct view_ctx *ctx, const struct query_match *m,
                                 struct list_search *s);

extern const struct view_ops view_summary_ops;
extern const struct view_ops view_instances_ops;
extern const struct view_ops view_object_ops;
extern const struct view_ops view_help_ops;
extern const struct view_ops view_marks_ops;
extern const struct view_ops view_domtree_ops;
extern const struct view_ops view_holders_ops;
extern const struct view_ops view_path_ops;
extern const struct view_ops view_roots_ops;
extern const struct view_ops view_threads_ops;
extern const struct view_ops view_notes_ops;
extern const struct view_ops view_gone_ops;
extern const struct view_ops view_set_ops;
extern const struct view_ops view_set_types_ops;
extern const struct view_ops view_set_holders_ops;
extern const struct view_ops view_sets_ops;
extern const struct view_ops view_suspects_ops;
extern const struct view_ops view_waste_ops;

#endif
