/* sets.h: sets of objects in the explorer: a query's answer arriving on the
 * job thread (job.h), the objects of any list on the screen, and the sets the
 * user named to come back to.
 *
 * A query's objects are streamed into an array with room for every object of
 * the heap (the pages are touched only as rows arrive), so the job never
 * moves what the screen reads: it writes objs[n], then publishes n with a
 * release store; the screen reads n with an acquire load and the rows before
 * it.  Nothing here needs a terminal. */
#ifndef HW_TUI_SETS_H
#define HW_TUI_SETS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../src/heap.h"
#include "../src/util.h"

struct sql;
struct sql_stream;
struct analysis;

enum set_stream_state { SET_RUNNING, SET_DONE, SET_STOPPED, SET_FAILED };

struct set_stream {
    const struct heap *heap;
    struct sql *sql;             /* owned; closed when the stream ends */
    struct sql_stream *stream;   /* owned; likewise */
    obj_t *objs;                 /* room for heap->n: the objects so far, distinct, in the query's order */
    uint8_t *seen;               /* per object: already in objs */
    atomic_size_t n;             /* objects published */
    atomic_int state;            /* enum set_stream_state */
    struct hw_error err;         /* SET_FAILED: SQLite's message (read once state says so) */
    uint64_t skipped;            /* rows that named no object (read once ended) */
};

/* Compile query over h, with the analyses of a that are ready lent to it,
 * and in compare mode is_new (sql_lend_new; else NULL).  NULL with err
 * filled (SQLite's message) when it does not compile. */
struct set_stream *set_stream_open(const struct heap *h, const struct analysis *a, const uint8_t *is_new,
                                   const char *query, struct hw_error *err);
/* The job's work (job_fn): the rows until the end, an error or *cancel. */
void set_stream_run(void *stream, const atomic_int *cancel);
/* The objects published so far. */
size_t set_stream_count(const struct set_stream *s);
enum set_stream_state set_stream_state(const struct set_stream *s);
/* Close SQLite's side once the job has ended (the array stays). */
void set_stream_finish(struct set_stream *s);
void set_stream_free(struct set_stream *s);

/* The sets the user named (n NAME), newest last. */
#define SET_NAME_MAX 64
struct named_set {
    char name[SET_NAME_MAX];
    char *what;                  /* the query, or what the list was */
    obj_t *objs;
    size_t n;
};
struct named_sets {
    struct named_set *sets;
    size_t n;
};
/* Keep a copy of objs under name (replacing a set of that name). */
void named_sets_add(struct named_sets *ns, const char *name, const char *what, const obj_t *objs, size_t n);
void named_sets_free(struct named_sets *ns);

#endif
