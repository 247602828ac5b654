/* setkeys.c: the program's set actions (see app.h): the query prompt (:),
 * and, on any list of objects, its types (%), its holders (^), what freeing
 * it all would free (=, on the job thread), export (E) and names (B, *).
 * A list's objects are its rows' (view_objects), taken when the key is
 * pressed (or when its prompt is answered: the prompt is modal). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/export.h"
#include "../src/objset.h"
#include "../src/sql.h"
#include "app.h"
#include "sets.h"

static const char NO_LIST[] =
    "no list of objects on this screen: a set, instances, or an object's children or parents";

/* What the screen's list is: a set screen's query, else its title up to the
 * counts ("Instances of module"). */
static void list_what(const struct app *a, struct strbuf *out)
{
    const struct view *v = app_view(a);
    if (v->ops->set_what) {
        sb_adds(out, v->ops->set_what(v));
        return;
    }
    struct strbuf title;
    sb_init(&title);
    v->ops->title(v, &a->ctx, &title);
    const char *t = sb_cstr(&title), *colon = strstr(t, ": ");
    sb_add(out, t, colon ? (size_t)(colon - t) : title.len);
    sb_free(&title);
}

/* The objects of the screen's list, or NULL (said why) when it has none. */
static obj_t *list_objects(struct app *a, size_t *n)
{
    const struct view *v = app_view(a);
    obj_t *objs = view_objects(v, &a->ctx, n);
    if (!objs) {
        app_say(a, 1, NO_LIST);
        return NULL;
    }
    return objs;
}

/* list_objects for a key that needs the roots: NULL (said why) before the
 * background analysis has found them. */
static obj_t *rooted_list_objects(struct app *a, char key, size_t *n)
{
    if (!analysis_ready(&a->analysis, ANALYSIS_ROOTS)) {
        app_say(a, 1, "the roots are still being found: %c works once they are there", key);
        return NULL;
    }
    return list_objects(a, n);
}

/* The list's objects and what they are, taken from the screen. */
struct taken {
    obj_t *objs;
    size_t n;
    struct strbuf what;
};

/* 0, or -1 (said why) when the screen has no list of objects. */
static int take_list(struct app *a, struct taken *t)
{
    if (!(t->objs = list_objects(a, &t->n)))
        return -1;
    sb_init(&t->what);
    list_what(a, &t->what);
    return 0;
}

static void taken_free(struct taken *t)
{
    free(t->objs);
    sb_free(&t->what);
}

/* %, ^: a screen about the list's objects as a set. */
static void open_set_screen(struct app *a, enum view_kind kind)
{
    struct taken t;
    if (take_list(a, &t) < 0)
        return;
    struct set_source src = {sb_cstr(&t.what), NULL, t.objs, t.n, 0};
    app_open_view(a, (struct view_spec){kind, 0, OBJ_NONE, &src});
    taken_free(&t);
}

/* A column the query names (by its text: a mention anywhere counts) whose
 * analysis has not finished, or NULL.  SQLite would compute it again on the
 * job thread, for seconds on millions of objects, where Esc cannot stop it. */
static const char *analysis_missing(const struct app *a, const char *query)
{
    static const struct {
        const char *column;
        enum analysis_stage stage;
    } needs[] = {{"retained", ANALYSIS_DOMINATORS}, {"idom", ANALYSIS_DOMINATORS}, {"distance", ANALYSIS_PATHS}};
    for (size_t k = 0; k < sizeof needs / sizeof *needs; k++)
        if (strcasestr(query, needs[k].column) && !analysis_ready(&a->analysis, needs[k].stage))
            return needs[k].column;
    return NULL;
}

/* :  the answer to a query, as a set screen; SQLite's complaint stays on the
 * status line, with the hint. */
static void run_query(struct app *a, const char *query)
{
    query += strspn(query, " ");
    if (!*query)
        return;
    const char *column = analysis_missing(a, query);
    if (column) {
        app_say(a, 1, "%s is still being computed in the background: ask again once it is there", column);
        return;
    }
    struct hw_error err = {{0}};
    const uint8_t *is_new = a->ctx.compare ? a->compare.diff.is_new : NULL; /* the column new */
    struct set_stream *s = set_stream_open(&a->heap, &a->analysis, is_new, query, &err);
    if (!s) {
        app_say(a, 1, "%s; hint: %s (: brings the query back)", err.msg, sql_hint(err.msg));
        snprintf(a->query_retry, sizeof a->query_retry, "%s", query);
        return;
    }
    a->query_retry[0] = '\0';
    struct set_source src = {query, s, NULL, 0, 0};
    app_open_view(a, (struct view_spec){VIEW_SET, 0, OBJ_NONE, &src});
}

/* --- =: what freeing the whole list would free --- */

static void run_retained(void *arg, const atomic_int *cancel)
{
    struct set_retained *r = arg;
    (void)cancel; /* one search over the heap: it ends soon enough */
    objset_retained(r->heap, r->roots, r->objs, r->n, &r->out, NULL);
}

static void start_retained(struct app *a)
{
    size_t n;
    obj_t *objs = rooted_list_objects(a, '=', &n);
    if (!objs)
        return;
    struct set_retained *r = &a->retained;
    job_stop(&a->job, NULL); /* it may be reading the objects replaced here */
    free(r->objs);
    r->heap = &a->heap;
    r->roots = &a->analysis.roots;
    r->objs = objs;
    r->n = n;
    r->bytes = 0;
    for (size_t k = 0; k < n; k++)
        r->bytes += heap_size(&a->heap, objs[k]);
    r->reported = 0;
    job_start(&a->job, r, "freeing the list's objects", run_retained, r);
    sets_job_ended(a); /* without a thread it has run already */
}

void sets_job_ended(struct app *a)
{
    struct set_retained *r = &a->retained;
    if (a->job.owner != r || r->reported || job_busy(&a->job, r))
        return;
    r->reported = 1;
    struct strbuf own, freed;
    sb_init(&own);
    sb_init(&freed);
    view_add_bytes(&a->ctx, r->bytes, &own);
    view_add_bytes(&a->ctx, r->out.bytes, &freed);
    app_say(a, 0, "freeing these %zu objects (%s) at once frees %llu objects, %s", r->n, sb_cstr(&own),
            (unsigned long long)r->out.objects, sb_cstr(&freed));
    sb_free(&own);
    sb_free(&freed);
}

/* --- E: the list written out, as heapwalk sql --dot or --export writes it --- */

static int ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), m = strlen(end);
    return n >= m && strcmp(s + n - m, end) == 0;
}

static void export_list(struct app *a, const char *file)
{
    file += strspn(file, " ");
    if (!*file)
        return;
    size_t n;
    obj_t *objs = rooted_list_objects(a, 'E', &n);
    if (!objs)
        return;
    int dot = ends_with(file, ".dot") || ends_with(file, ".gv");
    FILE *f = fopen(file, "w");
    int failed = !f;
    if (f && dot) {
        struct strbuf out;
        sb_init(&out);
        export_dot_set(&a->heap, &a->analysis.roots, objs, n, 100, 10, &out);
        failed = fwrite(out.buf, 1, out.len, f) != out.len;
        sb_free(&out);
    } else if (f) {
        failed = export_jsonl_set(&a->heap, &a->analysis.roots, NULL, objs, n, 0, f) < 0;
    }
    if (f && fclose(f) != 0)
        failed = 1;
    if (failed)
        app_say(a, 1, "cannot write %s: %s", file, strerror(errno));
    else if (dot)
        app_say(a, 0, "wrote %s: a graph of %zu of the %zu objects, as heapwalk sql --dot draws it", file,
                n < 100 ? n : 100, n);
    else
        app_say(a, 0, "wrote %s: %zu objects as JSON lines, as heapwalk sql --export writes them", file, n);
    free(objs);
}

/* --- B: a name for the list (a bookmark) --- */

static void name_list(struct app *a, const char *name)
{
    name += strspn(name, " ");
    if (!*name)
        return;
    struct taken t;
    if (take_list(a, &t) < 0)
        return;
    named_sets_add(&a->sets, name, sb_cstr(&t.what), t.objs, t.n);
    app_say(a, 0, "set '%.*s': %zu objects (* lists the named sets)", SET_NAME_MAX - 1, name, t.n);
    taken_free(&t);
}

static void start_naming(struct app *a)
{
    const struct view *v = app_view(a);
    if (!v->ops->list || !v->ops->row) {
        app_say(a, 1, NO_LIST);
        return;
    }
    prompt_open(&a->prompt, PROMPT_NAME, v->ops->set_what ? v->ops->set_what(v) : NULL);
}

void sets_prompt_done(struct app *a, enum prompt_kind kind, const char *text)
{
    switch (kind) {
    case PROMPT_QUERY: run_query(a, text); break;
    case PROMPT_EXPORT: export_list(a, text); break;
    case PROMPT_NAME: name_list(a, text); break;
    default: break;
    }
}

int sets_action(struct app *a, enum action act)
{
    switch (act) {
    case ACT_QUERY: prompt_open(&a->prompt, PROMPT_QUERY, a->query_retry[0] ? a->query_retry : NULL); return 1;
    case ACT_SET_TYPES: open_set_screen(a, VIEW_SET_TYPES); return 1;
    case ACT_SET_HOLDERS:
        if (app_view(a)->spec.kind == VIEW_SET_HOLDERS)
            return 0; /* the screen switches its grouping */
        open_set_screen(a, VIEW_SET_HOLDERS);
        return 1;
    case ACT_SET_RETAINED: start_retained(a); return 1;
    case ACT_EXPORT_SET:
        if (app_view(a)->ops->row)
            prompt_open(&a->prompt, PROMPT_EXPORT, NULL);
        else
            app_say(a, 1, NO_LIST);
        return 1;
    case ACT_NAME_SET: start_naming(a); return 1;
    case ACT_SETS:
        if (app_view(a)->spec.kind != VIEW_SETS)
            app_open_view(a, (struct view_spec){VIEW_SETS, 0, OBJ_NONE, NULL});
        return 1;
    default: return 0;
    }
}
