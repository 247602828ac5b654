/* view_path.c: the path screen: the shortest paths from a root to one
 * object, one at a time, in the order `heapwalk path --all N` lists them
 * (paths_find_k: paths from anchors first, then shortest first), with the
 * same hops, labels, expression and root kind.  Each hop is a row: Enter
 * opens its object, ] and [ go through the paths, X finds paths that avoid
 * the selected object and e paths that avoid the ref into it, u forgets
 * both.  What F and T skip and the pinned roots belong to the analysis
 * (app.c restarts it), so they hold here as in the why-alive pane.
 *
 * The paths are looked for once the analysis has the roots, and again when
 * it restarts (the loop calls analysis_changed).  Yen's method is not incremental, so the
 * screen asks for one path more than it shows (to know whether there is a
 * next one) and asks again, from the start, when the user goes past it.
 * The cost grows with the paths asked for: on 4.2M objects a few
 * milliseconds for the first two, up to 50 ms for PATHS_MAX; on a chain of
 * 2M objects, seconds.  So the search runs as a job (job.h), in the
 * background: the screen shows the paths it has meanwhile, the status line
 * says "finding paths...", Esc stops the search, and the keys that need the
 * new paths wait for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/paths.h"
#include "../src/refs.h"
#include "draw.h"
#include "job.h"
#include "view.h"
#include "why.h"

/* The most paths the screen finds; `heapwalk path --all N` goes further. */
#define PATHS_MAX 8
/* Rows above the hops: the target, the path's summary, its expression, what
 * its root is, and the hops' title. */
#define HEADER_ROWS 5

/* One search: what the job reads (set before it starts, then left alone)
 * and what it writes (read once it is over). */
struct path_search {
    const struct heap *heap;
    const struct roots *roots;
    obj_t target;
    struct path_filter filter;
    size_t k;
    obj_t **paths;           /* out: owned until the screen takes them */
    size_t *lens;
    size_t n;
    int stopped;             /* out: over its budget, or stopped (Esc, or another job) */
    int cancelled;           /* out: stopped from outside rather than by its budget */
};

struct path_state {
    obj_t target;
    obj_t *avoid;            /* X: objects no path may go through (owned) */
    size_t n_avoid;
    struct path_edge *edges; /* e: refs no path may use (owned) */
    size_t n_edges;
    obj_t **paths;           /* the paths found: paths[i] has lens[i] hops (owned) */
    size_t *lens;
    size_t n;
    size_t asked;            /* how many were asked for: n < asked means there are no more */
    size_t index;            /* the path shown */
    size_t want;             /* the path to show once the search running has ended */
    int found;               /* paths were looked for with the analysis' roots */
    int cut;                 /* the search stopped at its budget: more may exist */
    int cancelled;           /* ... or was stopped (Esc) */
    int searching;           /* search is the job's, or has results not taken yet */
    struct path_search search;
    struct job *job;         /* the explorer's job slot (ctx->job) */
    struct list list;        /* the hops of the path shown */
};

/* Steps of one path search: about 30 s at 10 million steps a second
 * (paths.h); it runs in the background, and Esc stops it before that. */
#define PATH_STEPS_MAX 300000000u

static void free_paths(obj_t **paths, size_t *lens, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    free(lens);
}

static void forget_paths(struct path_state *st)
{
    free_paths(st->paths, st->lens, st->n);
    st->paths = NULL;
    st->lens = NULL;
    st->n = 0;
}

/* On the job's thread. */
static void run_search(void *arg, const atomic_int *cancel)
{
    struct path_search *s = arg;
    struct path_budget b = {.cancel = cancel, .max_steps = PATH_STEPS_MAX};
    s->n = paths_find_k_budget(s->heap, s->roots, s->target, &s->filter, s->k, &b, &s->paths, &s->lens);
    s->stopped = b.stopped;
    s->cancelled = b.stopped && atomic_load(cancel);
}

static size_t hops(const struct path_state *st)
{
    return st->n ? st->lens[st->index] : 0;
}

/* The search has ended: show its paths, from path st->want. */
static void take_paths(struct path_state *st)
{
    if (!st->searching || job_busy(st->job, st))
        return;
    struct path_search *s = &st->search;
    st->searching = 0;
    forget_paths(st);
    st->paths = s->paths;
    st->lens = s->lens;
    st->n = s->n;
    s->paths = NULL;
    s->lens = NULL;
    s->n = 0;
    st->cut = s->stopped;
    st->cancelled = s->cancelled;
    st->asked = st->cut ? st->n : s->k;
    st->found = 1;
    size_t row = st->list.cursor;
    st->index = st->want < st->n ? st->want : 0;
    list_set_count(&st->list, hops(st));
    if (row < hops(st))
        st->list.cursor = row; /* the paths tend to share their ends */
}

/* Stop the search (if it is still running) and drop what it found. */
static void drop_search(struct path_state *st)
{
    job_stop(st->job, st);
    free_paths(st->search.paths, st->search.lens, st->search.n);
    st->search.paths = NULL;
    st->search.lens = NULL;
    st->search.n = 0;
    st->searching = 0;
}

/* Ask for the first k paths that avoid what the user and the analysis
 * exclude, and show path `want` of them once they are there. */
static void find_paths(struct path_state *st, const struct view_ctx *ctx, size_t k, size_t want)
{
    const struct analysis *a = ctx->analysis;
    drop_search(st);
    st->search = (struct path_search){
        .heap = ctx->heap, .roots = &a->roots, .target = st->target,
        .filter = {a->kinds, st->avoid, st->n_avoid, st->edges, st->n_edges}, .k = k,
    };
    st->want = want;
    st->searching = 1;
    job_start(st->job, st, "finding paths", run_search, &st->search);
    take_paths(st); /* at once when there was no thread for it */
}

/* Show path i, and find the one after it if that was not asked for yet. */
static void show_path(struct path_state *st, const struct view_ctx *ctx, size_t i)
{
    size_t want = i + 2 < PATHS_MAX ? i + 2 : PATHS_MAX;
    if (i < st->n) {
        st->index = i;
        list_set_count(&st->list, hops(st));
    }
    if (st->n == st->asked && st->asked < want)
        find_paths(st, ctx, want, i);
}

/* The exclusions changed, or the roots: from the first path again.  The
 * paths shown so far were found without them, so they go at once: until the
 * new ones are there the screen says it is finding them. */
static void search_again(struct path_state *st, const struct view_ctx *ctx)
{
    drop_search(st);
    forget_paths(st);
    st->found = 0;
    st->index = 0; /* the cursor stays on its row: the paths tend to share their ends */
    find_paths(st, ctx, 2, 0);
}

/* Find the paths if the roots have arrived (or been found again) since. */
static void catch_up(struct path_state *st, const struct view_ctx *ctx)
{
    take_paths(st);
    if (!st->found && !st->searching && analysis_ready(ctx->analysis, ANALYSIS_ROOTS))
        search_again(st, ctx);
}

static void path_open(struct view *v, const struct view_ctx *ctx)
{
    struct path_state *st = xcalloc(1, sizeof *st, "the path screen");
    st->target = v->spec.obj;
    st->job = ctx->job;
    v->priv = st;
    catch_up(st, ctx);
}

static void path_close(struct view *v)
{
    struct path_state *st = v->priv;
    drop_search(st);
    forget_paths(st);
    free(st->avoid);
    free(st->edges);
    free(st);
    v->priv = NULL;
}

/* After a restart the paths found were not found with the roots the
 * analysis has now: none until the new roots are there. */
static void path_analysis_changed(struct view *v, const struct view_ctx *ctx, int restarted)
{
    struct path_state *st = v->priv;
    if (restarted) {
        drop_search(st); /* the app stopped it: it was reading the old roots */
        forget_paths(st);
        st->found = 0;
        st->index = 0;
        list_reset(&st->list, 0);
    }
    catch_up(st, ctx);
}

static void path_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct path_state *st = v->priv;
    list_layout(&st->list, area->height - HEADER_ROWS);
}

static int more_paths(const struct path_state *st)
{
    return st->n == st->asked;
}

/* "path 1 of 2: 2 hops from a structural root", as `heapwalk path` says it
 * ("of 2 or more" while the screen has not looked further). */
static void summary_text(const struct path_state *st, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct analysis *a = ctx->analysis;
    const obj_t *p = st->paths[st->index];
    sb_printf(out, "path %zu of %zu%s: ", st->index + 1, st->n, more_paths(st) ? " or more" : "");
    why_path_summary(ctx->heap, &a->roots, st->lens[st->index], p[0], out);
}

/* What the paths avoid, X and e here and F and T everywhere, after a
 * colon, or nothing when they avoid nothing. */
static void exclusions_text(const struct path_state *st, const struct view_ctx *ctx, struct strbuf *out)
{
    unsigned kinds = ctx->analysis->kinds;
    const char *sep = ": avoiding ";
    if (st->n_avoid) {
        sb_printf(out, "%s%zu object%s", sep, st->n_avoid, st->n_avoid == 1 ? "" : "s");
        sep = ", ";
    }
    if (st->n_edges) {
        sb_printf(out, "%s%zu ref%s", sep, st->n_edges, st->n_edges == 1 ? "" : "s");
        sep = ", ";
    }
    if (kinds & EDGE_GLOBALS) {
        sb_printf(out, "%s__globals__ (F)", sep);
        sep = ", ";
    }
    if (kinds & EDGE_TYPE)
        sb_printf(out, "%sclasses (T)", sep);
    if (st->n_avoid || st->n_edges)
        sb_adds(out, "; u forgets X and e");
}

static void path_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct path_state *st = v->priv;
    const struct heap *h = ctx->heap;
    const struct analysis *a = ctx->analysis;
    int y = area->y, w = area->width;
    struct strbuf sb;
    sb_init(&sb);
    refs_repr_class(h, ctx->classes, st->target, (size_t)w * 4, &sb);
    draw_row(y++, w, sb_cstr(&sb), ROLE_HEADER);
    sb_reset(&sb);
    if (!st->found) {
        const char *busy = st->searching ? job_status(st->job) : analysis_status(a);
        draw_row(y, w, busy ? busy : "finding roots...", ROLE_NOTE);
        sb_free(&sb);
        return;
    }
    if (st->n == 0 && st->cut) {
        draw_row(y, w, st->cancelled ? "The search was stopped before it found a path: ] looks again"
                                     : "The search gave up at its budget before it found a path: ] looks again",
                 ROLE_NOTE);
        sb_free(&sb);
        return;
    }
    if (st->n == 0) {
        sb_adds(&sb, "No path from a root");
        exclusions_text(st, ctx, &sb);
        draw_row(y, w, sb_cstr(&sb), ROLE_ERROR);
        sb_free(&sb);
        return;
    }
    const obj_t *p = st->paths[st->index];
    size_t len = st->lens[st->index];
    summary_text(st, ctx, &sb);
    draw_row(y++, w, sb_cstr(&sb), ROLE_NORMAL);
    sb_reset(&sb);
    sb_adds(&sb, "  ");
    why_expression(ctx, p, len, (size_t)w * 4, &sb);
    draw_row(y++, w, sb_cstr(&sb), ROLE_NORMAL);
    const char *note = why_root_note(h, &a->roots, p[0]);
    draw_row(y++, w, note ? note : "", ROLE_NOTE);
    sb_reset(&sb);
    sb_adds(&sb, "Hops");
    exclusions_text(st, ctx, &sb);
    if (sb.len == strlen("Hops")) /* nothing avoided: the keys instead */
        sb_adds(&sb, " (Enter: open; X: avoid one, e: the ref into it; ] [: other paths)");
    draw_rule(y++, w, sb_cstr(&sb), ROLE_PANE_ACTIVE);
    const struct list *l = &st->list;
    for (size_t k = l->top; k < len && y < area->y + area->height; k++, y++)
        why_draw_hop(y, w, ctx, p, len, k, k == l->cursor ? ROLE_CURSOR : ROLE_NORMAL);
    sb_free(&sb);
}

/* ] after a search that stopped short (Esc, or its budget): look again. */
static unsigned look_again(struct path_state *st, const struct view_ctx *ctx, struct view_result *res)
{
    size_t k = st->n ? st->index + 2 : 2;
    find_paths(st, ctx, k < PATHS_MAX ? k : PATHS_MAX, st->n ? st->index + 1 : 0);
    return view_say(res, 0, "the search stopped short: looking again");
}

static unsigned next_path(struct path_state *st, const struct view_ctx *ctx, int dir, struct view_result *res)
{
    if (dir > 0 && st->cut && st->index + 1 >= st->n && st->n < PATHS_MAX)
        return look_again(st, ctx, res);
    if (st->n == 0)
        return view_say(res, 1, "no path to go to");
    if (dir < 0) {
        if (st->index == 0)
            return view_say(res, 1, "this is the first path");
        show_path(st, ctx, st->index - 1);
        return VIEW_HANDLED;
    }
    if (st->index + 1 >= st->n) {
        if (st->n == PATHS_MAX)
            return view_say(res, 1, "at most %d paths here; heapwalk path --all N", PATHS_MAX);
        return view_say(res, 1, "no other path: that is all %zu", st->n);
    }
    show_path(st, ctx, st->index + 1);
    return VIEW_HANDLED;
}

static unsigned avoid(struct path_state *st, const struct view_ctx *ctx, int edge, struct view_result *res)
{
    if (st->n == 0)
        return view_say(res, 1, "no path: u forgets X and e");
    const obj_t *p = st->paths[st->index];
    size_t k = st->list.cursor;
    if (edge) {
        if (k == 0)
            return view_say(res, 1, "no ref leads into the root: X avoids it");
        st->edges = xreallocarray(st->edges, st->n_edges + 1, sizeof *st->edges, "the path screen");
        st->edges[st->n_edges++] = (struct path_edge){p[k - 1], p[k]};
    } else {
        if (p[k] == st->target)
            return view_say(res, 1, "this is the target: it cannot be avoided");
        st->avoid = xreallocarray(st->avoid, st->n_avoid + 1, sizeof *st->avoid, "the path screen");
        st->avoid[st->n_avoid++] = p[k];
    }
    search_again(st, ctx);
    if (!st->searching && st->n == 0)
        return view_say(res, 1, "no path avoids that: u forgets X and e");
    return VIEW_HANDLED;
}

/* The actions of this screen besides the moves: they need the paths. */
static int path_action(enum action a)
{
    return a == ACT_OPEN || a == ACT_NEXT_PATH || a == ACT_PREV_PATH || a == ACT_AVOID || a == ACT_AVOID_EDGE ||
           a == ACT_FORGET_AVOIDED;
}

static unsigned path_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct path_state *st = v->priv;
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    if (!path_action(a))
        return view_key_default(a, res);
    take_paths(st);
    if (st->searching && a != ACT_OPEN) /* X and e would change what the search reads */
        return view_say(res, 0, "%s", job_status(st->job) ? job_status(st->job) : "finding paths...");
    if (!st->found) { /* only until the roots are there */
        const char *busy = analysis_status(ctx->analysis);
        return view_say(res, 0, "%s", busy ? busy : "finding roots...");
    }
    switch (a) {
    case ACT_OPEN:
        if (st->n == 0)
            return view_say(res, 1, "no hop to open");
        res->open = (struct view_spec){VIEW_OBJECT, 0, st->paths[st->index][st->list.cursor], NULL};
        return VIEW_OPEN;
    case ACT_NEXT_PATH: return next_path(st, ctx, 1, res);
    case ACT_PREV_PATH: return next_path(st, ctx, -1, res);
    case ACT_AVOID: return avoid(st, ctx, 0, res);
    case ACT_AVOID_EDGE: return avoid(st, ctx, 1, res);
    case ACT_FORGET_AVOIDED:
        if (!st->n_avoid && !st->n_edges)
            return view_say(res, 0, "the paths avoid nothing: X and e make them avoid a hop or a ref");
        st->n_avoid = st->n_edges = 0;
        search_again(st, ctx);
        return view_say(res, 0, "the paths avoid nothing again");
    default: return view_key_default(a, res);
    }
}

static void path_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct path_state *st = v->priv;
    const struct heap *h = ctx->heap;
    sb_adds(out, "Why is ");
    refs_type_or_class(h, ctx->classes, st->target, out);
    sb_printf(out, " at 0x%llx alive: its paths from the roots", (unsigned long long)h->addr[st->target]);
    if (st->cancelled)
        sb_adds(out, " (search stopped: ] looks again)");
    else if (st->cut)
        sb_adds(out, " (search cut at its time budget)");
}

static struct list *path_list(const struct view *v)
{
    struct path_state *st = v->priv;
    return &st->list;
}

static obj_t path_row(const struct view *v, const struct view_ctx *ctx, size_t i)
{
    const struct path_state *st = v->priv;
    return st->paths[st->index][i];
}

/* The selected hop, or the target while there is no path: what m marks
 * and P pins here. */
static obj_t path_current(const struct view *v, const struct view_ctx *ctx)
{
    const struct path_state *st = v->priv;
    return st->n ? st->paths[st->index][st->list.cursor] : st->target;
}

static const struct action_hint path_hints[] = {
    HINT(NEXT_PATH, "next path"), HINT(AVOID, "avoid"), HINT(AVOID_EDGE, "avoid ref"), HINT(HELP, "help"), HINTS_END,
};

const struct view_ops view_path_ops = {
    .name = "hops", /* the status counts the hops of the path shown: "hops 2/5" */
    .hints = path_hints,
    .open = path_open,
    .close = path_close,
    .analysis_changed = path_analysis_changed,
    .layout = path_layout,
    .draw = path_draw,
    .key = path_key,
    .title = path_title,
    .list = path_list,
    .row = path_row,
    .current = path_current,
    .search = view_search_rows,
};
