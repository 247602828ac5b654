/* sets.c: a query's objects streamed on the job thread, and the named sets
 * (see sets.h). */
#include "sets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/sql.h"
#include "analysis.h"

struct set_stream *set_stream_open(const struct heap *h, const struct analysis *a, const uint8_t *is_new,
                                   const char *query, struct hw_error *err)
{
    struct sql *sql = sql_open(h, err);
    if (!sql)
        return NULL;
    /* What the background analysis has found already, the query need not compute again. */
    sql_lend(sql, analysis_ready(a, ANALYSIS_ROOTS) ? &a->roots : NULL,
             analysis_ready(a, ANALYSIS_PATHS) ? &a->paths : NULL,
             analysis_ready(a, ANALYSIS_DOMINATORS) ? &a->dom : NULL);
    sql_lend_new(sql, is_new);
    struct sql_stream *stream = sql_stream_open(sql, query, err);
    if (!stream) {
        sql_close(sql);
        return NULL;
    }
    struct set_stream *s = xcalloc(1, sizeof *s, "a query's objects");
    s->heap = h;
    s->sql = sql;
    s->stream = stream;
    s->objs = xmalloc((h->n ? h->n : 1) * sizeof *s->objs, "a query's objects");
    s->seen = xcalloc(h->n ? h->n : 1, 1, "a query's objects");
    atomic_init(&s->n, 0);
    atomic_init(&s->state, SET_RUNNING);
    return s;
}

#define STREAM_CHUNK 1024

void set_stream_run(void *arg, const atomic_int *cancel)
{
    struct set_stream *s = arg;
    obj_t buf[STREAM_CHUNK];
    size_t n = atomic_load_explicit(&s->n, memory_order_relaxed);
    long got;
    sql_set_cancel(s->sql, cancel); /* a long scan between two rows stops too */
    while (!atomic_load(cancel) && (got = sql_stream_next(s->stream, buf, STREAM_CHUNK, &s->err)) != 0) {
        if (got < 0)
            break;
        for (long k = 0; k < got; k++)
            if (!s->seen[buf[k]]) {
                s->seen[buf[k]] = 1;
                s->objs[n++] = buf[k];
            }
        atomic_store_explicit(&s->n, n, memory_order_release);
    }
    sql_set_cancel(s->sql, NULL);
    s->skipped = sql_stream_skipped(s->stream);
    enum set_stream_state end = atomic_load(cancel) ? SET_STOPPED : s->err.msg[0] ? SET_FAILED : SET_DONE;
    atomic_store_explicit(&s->state, end, memory_order_release);
}

size_t set_stream_count(const struct set_stream *s)
{
    return atomic_load_explicit(&((struct set_stream *)s)->n, memory_order_acquire);
}

enum set_stream_state set_stream_state(const struct set_stream *s)
{
    return atomic_load_explicit(&((struct set_stream *)s)->state, memory_order_acquire);
}

void set_stream_finish(struct set_stream *s)
{
    sql_stream_close(s->stream);
    s->stream = NULL;
    sql_close(s->sql);
    s->sql = NULL;
    free(s->seen);
    s->seen = NULL;
}

void set_stream_free(struct set_stream *s)
{
    if (!s)
        return;
    set_stream_finish(s);
    free(s->objs);
    free(s);
}

void named_sets_add(struct named_sets *ns, const char *name, const char *what, const obj_t *objs, size_t n)
{
    struct named_set *to = NULL;
    for (size_t k = 0; k < ns->n; k++)
        if (strcmp(ns->sets[k].name, name) == 0)
            to = &ns->sets[k];
    if (to) {
        free(to->what);
        free(to->objs);
    } else {
        ns->sets = xreallocarray(ns->sets, ns->n + 1, sizeof *ns->sets, "the named sets");
        to = &ns->sets[ns->n++];
    }
    memset(to, 0, sizeof *to);
    snprintf(to->name, sizeof to->name, "%s", name);
    to->what = xstrdup(what, "the named sets");
    to->objs = xmalloc((n ? n : 1) * sizeof *objs, "the named sets");
    memcpy(to->objs, objs, n * sizeof *objs);
    to->n = n;
}

void named_sets_free(struct named_sets *ns)
{
    for (size_t k = 0; k < ns->n; k++) {
        free(ns->sets[k].what);
        free(ns->sets[k].objs);
    }
    free(ns->sets);
    ns->sets = NULL;
    ns->n = 0;
}
