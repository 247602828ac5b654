/* sql.h: SQL over the loaded graph, memsee's way, with nothing copied.
 *
 * An in-memory SQLite database whose two tables are virtual tables that read
 * the heap (heap.h) directly:
 *   obj(address, type, name, value, size, len, mark, repr)  memsee's columns
 *      + hidden columns (named, not in `select *`): parents, retained, idom,
 *        distance, collapsed, new (compare mode: sql_lend_new).  The rowid is heapwalk's object number.
 *   ref(parent, child)                                       one row per ref
 * `address =` / `IN`, `type =`, `rowid =`, `ref.parent =` and `ref.child =`
 * are answered from heapwalk's indexes (the address table, a per-type object
 * list built on first use, the child and parent lists) in time proportional to
 * the answer.  retained and idom need the dominator tree, distance the shortest
 * paths: they are computed on the first query that names them (xBestIndex's
 * colUsed), or lent by the caller with sql_lend.
 *
 * memsee's shorthands are rewritten before SQLite sees the text: a number
 * (decimal or 0x) directly followed by & is its children's addresses, by ^ its
 * parents'; repeatable and mixable (ADDR&&, ADDR&^).
 *
 * The heap must outlive the sql handle and not change under it. */
#ifndef HW_SQL_H
#define HW_SQL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "util.h"

struct sql;
struct sql_stream;
struct roots;
struct paths;
struct dominators;

/* Open a database over h. Returns NULL with err filled when SQLite fails. */
struct sql *sql_open(const struct heap *h, struct hw_error *err);
void sql_close(struct sql *s);

/* Lend analyses the caller already has (any may be NULL): the tables use them
 * instead of computing their own. They must outlive s. */
void sql_lend(struct sql *s, const struct roots *r, const struct paths *p, const struct dominators *d);

/* Compare mode: is_new[o] is 1 for each object o of the heap that is not in
 * the old dump (same address and type); the hidden column new answers from
 * it (NULL when nothing was lent).  It must outlive s. */
void sql_lend_new(struct sql *s, const uint8_t *is_new);

/* Have every statement of s stop (SQLite's "interrupted" error) soon after
 * *cancel becomes non-zero; NULL: never.  For a caller that runs a query on
 * one thread and may want it stopped from another (the explorer's Esc). */
void sql_set_cancel(struct sql *s, const atomic_int *cancel);

/* Rewrite memsee's ADDR& / ADDR^ shorthands (outside string literals,
 * quoted identifiers and comments) into subqueries over ref. Appends to out. */
void sql_rewrite(const char *query, struct strbuf *out);

/* Whether a query is a whole statement (it starts with SELECT, WITH, VALUES,
 * EXPLAIN, PRAGMA or another statement's keyword) rather than a condition on obj. */
int sql_is_statement(const char *query);

/* A one-line hint for one of SQLite's error messages (never NULL). */
const char *sql_hint(const char *sqlite_message);

/* Prepare one statement: the query rewritten (sql_rewrite); a condition alone
 * becomes `select * from obj where CONDITION`. Returns an sqlite3_stmt *
 * (as void *, so that callers need not include sqlite3.h), or NULL with err
 * holding SQLite's message. */
void *sql_prepare(struct sql *s, const char *query, struct hw_error *err);

/* A set of objects, streamed: query is a condition on obj (a WHERE clause) or
 * a statement whose first column is an address. Rows come out as SQLite
 * produces them, so the first ones are there before the last are computed.
 * Returns NULL with err filled when the query does not compile. */
struct sql_stream *sql_stream_open(struct sql *s, const char *query, struct hw_error *err);
/* Up to max next objects into out: how many (0 at the end), or -1 with err
 * filled. Addresses that are no object of the heap (NULL, text, a missing
 * address) are skipped and counted in sql_stream_skipped. */
long sql_stream_next(struct sql_stream *st, obj_t *out, size_t max, struct hw_error *err);
uint64_t sql_stream_skipped(const struct sql_stream *st);
void sql_stream_close(struct sql_stream *st);

/* The whole set of a query: a new array (caller frees; never NULL on success)
 * and *n, in the query's order, duplicates kept out. NULL with err on failure. */
obj_t *sql_set(struct sql *s, const char *query, size_t *n, struct hw_error *err);

#endif
