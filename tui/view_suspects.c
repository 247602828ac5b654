/* view_suspects.c: the leak suspects, as `heapwalk suspects DUMP` finds them
 * (suspects.h): for each suspect a row with what it retains and its share of
 * the heap, then its accumulation point, its path from a root, and what it
 * holds by type (the batch command's ten largest types).  In compare mode
 * (`heapwalk OLD NEW`) what each holds that is new, as `heapwalk suspects NEW
 * OLD` says.  Enter opens the suspect's object (a group: its members, as a set
 * screen), its accumulation point (on that row and the path's), what it holds
 * (the holds row) or what it holds of one type (a set screen each).
 *
 * The suspects need the dominator tree: "computing..." until the background
 * analysis has it, then suspects_compute runs as the screen's job (job.h), so
 * no key waits for it; again after the analysis restarts (pins change the tree). */
#include <stdio.h>
#include <stdlib.h>

#include "../src/refs.h"
#include "../src/suspects.h"
#include "compare.h"
#include "draw.h"
#include "job.h"
#include "view.h"

#define HOLDS_SHOWN 10       /* as `heapwalk suspects` (--top 10) */
#define REPR_MAX 40          /* the batch command's reprs */

enum row_kind { ROW_SUSPECT, ROW_ACCUMULATION, ROW_PATH, ROW_HOLDS, ROW_TYPE, ROW_BLANK };

struct suspect_row {
    enum row_kind kind;
    size_t suspect, type;    /* index into the suspects; ROW_TYPE: into its holds */
};

/* What the job computes, on its thread; read once it is over. */
struct suspects_work {
    const struct view_ctx *ctx;
    struct suspects result;
};

struct suspects_state {
    struct suspects_work work;
    struct job *job;         /* the explorer's job slot */
    int computing;           /* the job runs (or ran, not yet taken) */
    int built;               /* result and rows are there */
    struct suspect_row *rows; /* owned */
    size_t n;
    struct list list;
    obj_t *objs;             /* the list Enter last opened (given points here) */
    char label[160];
    struct set_source given; /* a set screen over objs */
};

/* On the job's thread: reads the analysis' dominator tree (ready before it starts). */
static void run_suspects(void *arg, const atomic_int *cancel)
{
    (void)cancel; /* one pass over the tree: not worth stopping half-way */
    struct suspects_work *w = arg;
    const struct analysis *a = w->ctx->analysis;
    const uint8_t *is_new = w->ctx->compare ? w->ctx->compare->diff.is_new : NULL;
    suspects_compute_sets(w->ctx->heap, &a->roots, &a->dom, is_new, SUSPECTS_DEFAULT_SHARE, &w->result);
}

static void add_row(struct suspects_state *st, size_t *cap, enum row_kind kind, size_t s, size_t t)
{
    if (st->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        st->rows = xrealloc(st->rows, *cap * sizeof *st->rows, "the suspects screen");
    }
    st->rows[st->n++] = (struct suspect_row){kind, s, t};
}

static void build_rows(struct suspects_state *st)
{
    const struct suspects *ss = &st->work.result;
    size_t cap = 0;
    for (size_t s = 0; s < ss->n; s++) {
        const struct suspect *sp = &ss->list[s];
        if (s)
            add_row(st, &cap, ROW_BLANK, s, 0);
        add_row(st, &cap, ROW_SUSPECT, s, 0);
        add_row(st, &cap, ROW_ACCUMULATION, s, 0);
        add_row(st, &cap, ROW_PATH, s, 0);
        add_row(st, &cap, ROW_HOLDS, s, 0);
        for (size_t t = 0; t < sp->n_holds && t < HOLDS_SHOWN; t++)
            add_row(st, &cap, ROW_TYPE, s, t);
    }
    st->built = 1;
    list_reset(&st->list, st->n);
}

/* Stop the job if it runs and forget the suspects. */
static void drop(struct suspects_state *st, const struct view_ctx *ctx)
{
    job_stop(st->job, st);
    if (st->built || st->computing)
        suspects_free(&st->work.result);
    st->computing = st->built = 0;
    free(st->rows);
    st->rows = NULL;
    st->n = 0;
    list_reset(&st->list, 0);
}

/* Start the job once the dominators are there; take its result once it is over. */
static void catch_up(struct suspects_state *st, const struct view_ctx *ctx)
{
    if (st->computing && !job_busy(ctx->job, st)) {
        st->computing = 0;
        build_rows(st);
    }
    if (!st->built && !st->computing && analysis_ready(ctx->analysis, ANALYSIS_DOMINATORS)) {
        st->work = (struct suspects_work){.ctx = ctx};
        st->computing = 1;
        job_start(ctx->job, st, "finding leak suspects", run_suspects, &st->work);
        if (!job_busy(ctx->job, st)) { /* ran at once: no thread to be had */
            st->computing = 0;
            build_rows(st);
        }
    }
}

static void suspects_open(struct view *v, const struct view_ctx *ctx)
{
    struct suspects_state *st = xcalloc(1, sizeof *st, "the suspects screen");
    st->job = ctx->job;
    v->priv = st;
    catch_up(st, ctx);
}

static void suspects_close(struct view *v)
{
    struct suspects_state *st = v->priv;
    job_stop(st->job, st); /* it writes into st */
    if (st->built || st->computing)
        suspects_free(&st->work.result);
    free(st->rows);
    free(st->objs);
    free(st);
    v->priv = NULL;
}

static void suspects_analysis_changed(struct view *v, const struct view_ctx *ctx, int restarted)
{
    struct suspects_state *st = v->priv;
    if (restarted)
        drop(st, ctx);
    catch_up(st, ctx);
}

static void suspects_layout(struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    struct suspects_state *st = v->priv;
    list_layout(&st->list, area->height - 1);
}

static void add_repr(const struct heap *h, obj_t o, struct strbuf *out)
{
    refs_repr(h, o, REPR_MAX, out);
}

/* The suspect's name: its object, or "N TYPE objects held by HOLDER". */
static void suspect_name(const struct view_ctx *ctx, const struct suspect *s, struct strbuf *out)
{
    const struct heap *h = ctx->heap;
    if (!s->is_group) {
        add_repr(h, s->object, out);
        return;
    }
    sb_printf(out, "%llu %s objects ", (unsigned long long)s->n_objects, types_name(&h->types, s->type));
    if (s->accumulation == OBJ_NONE)
        sb_adds(out, "with no holder but the roots");
    else {
        sb_adds(out, "held by ");
        add_repr(h, s->accumulation, out);
    }
}

static void row_text(const struct suspects_state *st, const struct view_ctx *ctx, const struct suspect_row *r,
                     struct strbuf *out)
{
    const struct suspects *ss = &st->work.result;
    const struct suspect *s = &ss->list[r->suspect];
    const struct heap *h = ctx->heap;
    char num[VIEW_BYTES_MAX], num2[VIEW_BYTES_MAX];
    switch (r->kind) {
    case ROW_SUSPECT:
        sb_printf(out, "%10s %3lld%%  Suspect %zu: ", view_bytes(ctx, s->retained, num),
                  (long long)(s->retained * 100 / (ss->total ? ss->total : 1)), r->suspect + 1);
        suspect_name(ctx, s, out);
        break;
    case ROW_ACCUMULATION:
        sb_adds(out, "                  accumulation point: ");
        if (s->accumulation == OBJ_NONE) {
            sb_adds(out, "the roots (Enter: the biggest member)");
            break;
        }
        add_repr(h, s->accumulation, out);
        sb_adds(out, " retains ");
        view_add_bytes(ctx, s->acc_retained, out);
        break;
    case ROW_PATH:
        sb_adds(out, "                  path: ");
        if (!analysis_ready(ctx->analysis, ANALYSIS_PATHS) ||
            !suspects_path(h, &ctx->analysis->roots, &ctx->analysis->paths, s, out))
            sb_adds(out, "(none)");
        break;
    case ROW_HOLDS:
        sb_printf(out, "                  holds %llu objects, %s bytes", (unsigned long long)s->held_objects,
                  view_bytes(ctx, s->held_bytes, num));
        if (ss->have_old)
            sb_printf(out, "; new since OLD: %llu objects, %s bytes", (unsigned long long)s->new_objects,
                      view_bytes(ctx, s->new_bytes, num2));
        break;
    case ROW_TYPE: {
        const struct suspect_type *t = &s->holds[r->type];
        sb_printf(out, "                  %9llu %10s", (unsigned long long)t->count, view_bytes(ctx, t->bytes, num));
        if (ss->have_old)
            sb_printf(out, " %10llu %10s", (unsigned long long)t->new_count, view_bytes(ctx, t->new_bytes, num2));
        sb_printf(out, " %s", types_name(&h->types, t->type));
        break;
    }
    case ROW_BLANK: break;
    }
}

static void suspects_draw(const struct view *v, const struct view_ctx *ctx, const struct view_area *area)
{
    const struct suspects_state *st = v->priv;
    if (!st->built) {
        const char *busy = analysis_status(ctx->analysis);
        draw_row(area->y, area->width, busy ? busy : "computing...", ROLE_NOTE);
        return;
    }
    const struct suspects *ss = &st->work.result;
    struct strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "  Retained Share  Suspect%s", ss->have_old ? "; held by type: Objects Bytes New NewBytes Kind"
                                                                 : "; held by type: Objects Bytes Kind");
    draw_row(area->y, area->width, sb_cstr(&sb), ROLE_HEADER);
    if (ss->n == 0)
        draw_row(area->y + 1, area->width, "no suspects: nothing retains 10% of the heap", ROLE_NOTE);
    const struct list *l = &st->list;
    for (size_t i = l->top; i < st->n && i < l->top + (size_t)l->height; i++) {
        sb_reset(&sb);
        row_text(st, ctx, &st->rows[i], &sb);
        draw_row(area->y + 1 + (int)(i - l->top), area->width, sb_cstr(&sb),
                 i == l->cursor ? ROLE_CURSOR : ROLE_NORMAL);
    }
    sb_free(&sb);
}

/* The object a row stands for: the suspect's, or its accumulation point. */
static obj_t row_object(const struct suspects_state *st, size_t i)
{
    if (!st->built || i >= st->n)
        return OBJ_NONE;
    const struct suspect_row *r = &st->rows[i];
    const struct suspect *s = &st->work.result.list[r->suspect];
    switch (r->kind) {
    case ROW_SUSPECT: return s->object;
    case ROW_ACCUMULATION:
    case ROW_PATH: return s->accumulation != OBJ_NONE ? s->accumulation : s->object;
    default: return OBJ_NONE;
    }
}

static unsigned suspects_key(struct view *v, const struct view_ctx *ctx, enum action a, struct view_result *res)
{
    struct suspects_state *st = v->priv;
    if (list_move(&st->list, a))
        return VIEW_HANDLED;
    if (a != ACT_OPEN)
        return view_key_default(a, res);
    if (!st->built)
        return view_say(res, 0, "the suspects are still being computed");
    if (st->n == 0)
        return view_say(res, 1, "no suspect to open");
    const struct suspect_row *r = &st->rows[st->list.cursor];
    const struct suspect *s = &st->work.result.list[r->suspect];
    const struct heap *h = ctx->heap;
    /* A group's members, what a suspect holds, or what it holds of one type:
     * a set screen over those objects (%, ^, =, E and B work on it). */
    if (r->kind == ROW_TYPE || r->kind == ROW_HOLDS || (r->kind == ROW_SUSPECT && s->is_group)) {
        uint32_t type = r->kind == ROW_TYPE ? s->holds[r->type].type : UINT32_MAX;
        obj_t *objs = xmalloc((s->held_objects ? s->held_objects : 1) * sizeof *objs, "the suspect's objects");
        size_t n = 0;
        for (uint64_t k = 0; k < s->held_objects; k++) {
            obj_t o = s->held[k];
            if (r->kind == ROW_SUSPECT ? suspects_is_member(h, &ctx->analysis->dom, s, o)
                                       : type == UINT32_MAX || h->type[o] == type)
                objs[n++] = o;
        }
        free(st->objs);
        st->objs = objs;
        if (r->kind == ROW_SUSPECT)
            snprintf(st->label, sizeof st->label, "Suspect %zu's %s objects", r->suspect + 1,
                     types_name(&h->types, s->type));
        else if (r->kind == ROW_HOLDS)
            snprintf(st->label, sizeof st->label, "What suspect %zu holds", r->suspect + 1);
        else
            snprintf(st->label, sizeof st->label, "The %s objects suspect %zu holds", types_name(&h->types, type),
                     r->suspect + 1);
        if (n == 0)
            return view_say(res, 1, "no object on this row");
        st->given = (struct set_source){st->label, NULL, objs, n, 0};
        res->open = (struct view_spec){VIEW_SET, 0, OBJ_NONE, &st->given};
        return VIEW_OPEN;
    }
    obj_t o = row_object(st, st->list.cursor);
    if (o == OBJ_NONE)
        return view_say(res, 1, "nothing to open on this row: Enter on a suspect, its accumulation point, what it holds or a type");
    res->open = (struct view_spec){VIEW_OBJECT, 0, o, NULL};
    return VIEW_OPEN;
}

static void suspects_title(const struct view *v, const struct view_ctx *ctx, struct strbuf *out)
{
    const struct suspects_state *st = v->priv;
    sb_adds(out, "Leak suspects");
    if (!st->built)
        return;
    const struct suspects *ss = &st->work.result;
    sb_printf(out, ": %zu; heap ", ss->n);
    view_add_bytes(ctx, ss->total, out);
    sb_adds(out, ", a suspect retains at least ");
    view_add_bytes(ctx, ss->threshold, out);
    if (ss->have_old)
        sb_adds(out, "; new: not in OLD");
}

static struct list *suspects_list(const struct view *v)
{
    struct suspects_state *st = v->priv;
    return &st->list;
}

static obj_t suspects_row(const struct view *v, const struct view_ctx *ctx, size_t i)
{
    return row_object(v->priv, i);
}

static const struct action_hint suspects_hints[] = {
    HINT(OPEN, "open"), HINT(WHY, "why"), HINT(HELP, "help"), HINT(QUIT, "quit"), HINTS_END,
};

const struct view_ops view_suspects_ops = {
    .name = "suspects",
    .hints = suspects_hints,
    .open = suspects_open,
    .close = suspects_close,
    .analysis_changed = suspects_analysis_changed,
    .layout = suspects_layout,
    .draw = suspects_draw,
    .key = suspects_key,
    .title = suspects_title,
    .list = suspects_list,
    .row = suspects_row,
    .why_pane = 1,
    .search = view_search_rows,
};
