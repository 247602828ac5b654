/* sql.c: the obj and ref virtual tables over the heap, memsee's shorthands,
 * and object sets streamed from a query. See sql.h. */
#include "sql.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dominators.h"
#include "paths.h"
#include "query.h"
#include "refs.h"
#include "roots.h"

struct sql {
    sqlite3 *db;
    const struct heap *h;
    /* Analyses, computed on first use (own_*) or lent by the caller. */
    const struct roots *roots;
    const struct paths *paths;
    const struct dominators *dom;
    struct roots own_roots;
    struct paths own_paths;
    struct dominators own_dom;
    int have_own_roots, have_own_paths, have_own_dom;
    const uint8_t *is_new;   /* compare mode: per object, not in the old dump (sql_lend_new) */
    struct query_index qi;   /* the per-type object lists, built on the first `type =` */
    int have_qi;
};

/* --- analyses on demand --- */

static const struct roots *need_roots(struct sql *s)
{
    if (!s->roots) {
        roots_compute(s->h, NULL, 0, &s->own_roots);
        s->have_own_roots = 1;
        s->roots = &s->own_roots;
    }
    return s->roots;
}

static const struct paths *need_paths(struct sql *s)
{
    if (!s->paths) {
        paths_compute(s->h, need_roots(s), 0, &s->own_paths);
        s->have_own_paths = 1;
        s->paths = &s->own_paths;
    }
    return s->paths;
}

static const struct dominators *need_dom(struct sql *s)
{
    if (!s->dom) {
        dominators_compute(s->h, need_roots(s), &s->own_dom);
        s->have_own_dom = 1;
        s->dom = &s->own_dom;
    }
    return s->dom;
}

static const struct query_index *need_qi(struct sql *s)
{
    if (!s->have_qi) {
        query_index_build(s->h, &s->qi);
        s->have_qi = 1;
    }
    return &s->qi;
}

void sql_lend(struct sql *s, const struct roots *r, const struct paths *p, const struct dominators *d)
{
    if (r && !s->have_own_roots)
        s->roots = r;
    if (p && !s->have_own_paths)
        s->paths = p;
    if (d && !s->have_own_dom)
        s->dom = d;
}

void sql_lend_new(struct sql *s, const uint8_t *is_new) { s->is_new = is_new; }

/* --- obj --- */

enum obj_col {
    OBJ_ADDRESS, OBJ_TYPE, OBJ_NAME, OBJ_VALUE, OBJ_SIZE, OBJ_LEN, OBJ_MARK, OBJ_REPR,
    OBJ_PARENTS, OBJ_RETAINED, OBJ_IDOM, OBJ_DISTANCE, OBJ_COLLAPSED, OBJ_NEW,
};

/* How a scan finds its rows (idxNum's low bits) and what it needs (high bits). */
enum { PLAN_ALL = 0, PLAN_ADDRESS = 1, PLAN_ROWID = 2, PLAN_TYPE = 3, PLAN_MASK = 0xf };
enum { NEED_DOM = 1 << 4, NEED_PATHS = 1 << 5 };

struct sql_vtab {
    sqlite3_vtab base;
    struct sql *s;
};

struct obj_cursor {
    sqlite3_vtab_cursor base;
    struct sql *s;
    const obj_t *list;       /* the rows: list[0..n), or 0..n when list is NULL */
    size_t n, pos;
    obj_t one;               /* the row of a single-object plan */
    struct strbuf sb;        /* repr */
};

static int vtab_connect(sqlite3 *db, void *aux, const char *schema, sqlite3_vtab **out, char **errp)
{
    int rc = sqlite3_declare_vtab(db, schema);
    if (rc != SQLITE_OK)
        return rc;
    struct sql_vtab *t = sqlite3_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    t->s = aux;
    *out = &t->base;
    return SQLITE_OK;
}

static int obj_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **errp)
{
    return vtab_connect(db, aux,
                        "CREATE TABLE x(address INTEGER, type TEXT, name TEXT, value TEXT, size INTEGER, "
                        "len INTEGER, mark INTEGER, repr TEXT, parents INTEGER HIDDEN, retained INTEGER HIDDEN, "
                        "idom INTEGER HIDDEN, distance INTEGER HIDDEN, collapsed INTEGER HIDDEN, new INTEGER HIDDEN)",
                        out, errp);
}

static int vtab_disconnect(sqlite3_vtab *t)
{
    sqlite3_free(t);
    return SQLITE_OK;
}

static int col_used(sqlite3_uint64 used, int col)
{
    return (used & ((sqlite3_uint64)1 << col)) != 0;
}

static int obj_best_index(sqlite3_vtab *tab, sqlite3_index_info *info)
{
    const struct heap *h = ((struct sql_vtab *)tab)->s->h;
    int best = -1, plan = PLAN_ALL;
    double rows = (double)h->n;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ)
            continue;
        if ((c->iColumn == OBJ_ADDRESS || c->iColumn == -1) && plan != PLAN_ADDRESS) {
            best = i;
            plan = c->iColumn == -1 ? PLAN_ROWID : PLAN_ADDRESS;
            rows = 1;
        } else if (c->iColumn == OBJ_TYPE && plan == PLAN_ALL) {
            best = i;
            plan = PLAN_TYPE;
            rows = (double)h->n / (h->types.n ? h->types.n : 1) + 1;
        }
    }
    if (best >= 0) {
        info->aConstraintUsage[best].argvIndex = 1;
        info->aConstraintUsage[best].omit = 1;
        if (plan != PLAN_TYPE)
            info->idxFlags |= SQLITE_INDEX_SCAN_UNIQUE;
    }
    int need = 0;
    if (col_used(info->colUsed, OBJ_RETAINED) || col_used(info->colUsed, OBJ_IDOM))
        need |= NEED_DOM;
    if (col_used(info->colUsed, OBJ_DISTANCE))
        need |= NEED_PATHS;
    info->idxNum = plan | need;
    info->estimatedRows = (sqlite3_int64)rows;
    info->estimatedCost = rows * 4;
    return SQLITE_OK;
}

static int obj_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **out)
{
    struct obj_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    c->s = ((struct sql_vtab *)tab)->s;
    sb_init(&c->sb);
    *out = &c->base;
    return SQLITE_OK;
}

static int obj_close(sqlite3_vtab_cursor *cur)
{
    struct obj_cursor *c = (struct obj_cursor *)cur;
    sb_free(&c->sb);
    sqlite3_free(c);
    return SQLITE_OK;
}

static void cursor_single(struct obj_cursor *c, obj_t o)
{
    c->one = o;
    c->list = &c->one;
    c->n = o == OBJ_NONE ? 0 : 1;
}

static int obj_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc, sqlite3_value **argv)
{
    struct obj_cursor *c = (struct obj_cursor *)cur;
    const struct heap *h = c->s->h;
    if (idx & NEED_DOM)
        need_dom(c->s);
    if (idx & NEED_PATHS)
        need_paths(c->s);
    c->pos = 0;
    c->list = NULL;
    c->n = h->n;
    switch (idx & PLAN_MASK) {
    case PLAN_ADDRESS:
        if (sqlite3_value_numeric_type(argv[0]) != SQLITE_INTEGER)
            cursor_single(c, OBJ_NONE);
        else
            cursor_single(c, heap_find(h, (uint64_t)sqlite3_value_int64(argv[0])));
        break;
    case PLAN_ROWID: {
        sqlite3_int64 r = sqlite3_value_int64(argv[0]);
        int ok = sqlite3_value_numeric_type(argv[0]) == SQLITE_INTEGER && r >= 0 && (uint64_t)r < h->n;
        cursor_single(c, ok ? (obj_t)r : OBJ_NONE);
        break;
    }
    case PLAN_TYPE: {
        const char *name = (const char *)sqlite3_value_text(argv[0]);
        uint32_t t = name && sqlite3_value_type(argv[0]) == SQLITE_TEXT ? types_lookup(&h->types, name) : UINT32_MAX;
        c->n = 0;
        c->list = &c->one;
        if (t != UINT32_MAX)
            c->list = query_index_objects(need_qi(c->s), t, &c->n);
        break;
    }
    default: break;
    }
    return SQLITE_OK;
}

static int obj_next(sqlite3_vtab_cursor *cur)
{
    ((struct obj_cursor *)cur)->pos++;
    return SQLITE_OK;
}

static int obj_eof(sqlite3_vtab_cursor *cur)
{
    struct obj_cursor *c = (struct obj_cursor *)cur;
    return c->pos >= c->n;
}

static obj_t cursor_obj(const struct obj_cursor *c)
{
    return c->list ? c->list[c->pos] : (obj_t)c->pos;
}

static void result_value(sqlite3_context *ctx, const struct heap *h, obj_t o)
{
    size_t len;
    const char *s = heap_str(h, o, &len);
    if (s && (h->flags[o] & (OF_VALUE | OF_VALUE_NUM)))
        sqlite3_result_text(ctx, s, (int)len, SQLITE_STATIC);
    else
        sqlite3_result_null(ctx);
}

static int obj_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    struct obj_cursor *c = (struct obj_cursor *)cur;
    const struct heap *h = c->s->h;
    obj_t o = cursor_obj(c);
    size_t len;
    switch ((enum obj_col)col) {
    case OBJ_ADDRESS: sqlite3_result_int64(ctx, (sqlite3_int64)h->addr[o]); break;
    case OBJ_TYPE: sqlite3_result_text(ctx, heap_type_name(h, o), -1, SQLITE_STATIC); break;
    case OBJ_NAME: {
        const char *s = heap_str(h, o, &len);
        if (s && (h->flags[o] & OF_NAME))
            sqlite3_result_text(ctx, s, (int)len, SQLITE_STATIC);
        else
            sqlite3_result_null(ctx);
        break;
    }
    case OBJ_VALUE: result_value(ctx, h, o); break;
    case OBJ_SIZE: sqlite3_result_int64(ctx, (sqlite3_int64)heap_size(h, o)); break;
    case OBJ_LEN:
        if (h->flags[o] & OF_HAS_LEN)
            sqlite3_result_int64(ctx, (sqlite3_int64)heap_len(h, o));
        else
            sqlite3_result_null(ctx);
        break;
    case OBJ_MARK: sqlite3_result_null(ctx); break;
    case OBJ_REPR:
        sb_reset(&c->sb);
        refs_repr(h, o, 100, &c->sb);
        sqlite3_result_text(ctx, sb_cstr(&c->sb), (int)c->sb.len, SQLITE_TRANSIENT);
        break;
    case OBJ_PARENTS: sqlite3_result_int64(ctx, (sqlite3_int64)heap_nparents(h, o)); break;
    case OBJ_RETAINED: sqlite3_result_int64(ctx, (sqlite3_int64)need_dom(c->s)->retained[o]); break;
    case OBJ_IDOM: {
        obj_t d = need_dom(c->s)->idom[o];
        if (d == OBJ_NONE)
            sqlite3_result_null(ctx);
        else
            sqlite3_result_int64(ctx, (sqlite3_int64)h->addr[d]);
        break;
    }
    case OBJ_DISTANCE: {
        uint32_t d = need_paths(c->s)->dist[o];
        if (d == PATH_UNREACHED)
            sqlite3_result_null(ctx);
        else
            sqlite3_result_int64(ctx, d);
        break;
    }
    case OBJ_COLLAPSED: sqlite3_result_int(ctx, (h->flags[o] & OF_COLLAPSED) != 0); break;
    case OBJ_NEW:
        if (c->s->is_new)
            sqlite3_result_int(ctx, c->s->is_new[o]);
        else
            sqlite3_result_null(ctx);
        break;
    }
    return SQLITE_OK;
}

static int obj_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    *rowid = cursor_obj((struct obj_cursor *)cur);
    return SQLITE_OK;
}

static const sqlite3_module obj_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous-only: the table exists without CREATE */
    .xConnect = obj_connect,
    .xBestIndex = obj_best_index,
    .xDisconnect = vtab_disconnect,
    .xDestroy = vtab_disconnect,
    .xOpen = obj_open,
    .xClose = obj_close,
    .xFilter = obj_filter,
    .xNext = obj_next,
    .xEof = obj_eof,
    .xColumn = obj_column,
    .xRowid = obj_rowid,
};

/* --- ref --- */

enum { REF_PARENT, REF_CHILD };
enum { RPLAN_ALL = 0, RPLAN_PARENT = 1, RPLAN_CHILD = 2, RPLAN_BOTH = 3 };

/* Rows are (parent, k-th child) for parents taken from a range or a list,
 * keeping only children equal to `want` when want_any is 0. */
struct ref_cursor {
    sqlite3_vtab_cursor base;
    const struct heap *h;
    const obj_t *parents;    /* the parents to visit, or NULL for 0..n_parents */
    size_t n_parents, pi;    /* pi: the current parent's place */
    obj_t one;
    size_t k;                /* the current child's place in the parent's children */
    int want_any;
    uint32_t want;           /* a child entry (object or dangling) */
    sqlite3_int64 rowid;
};

static int ref_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **errp)
{
    return vtab_connect(db, aux, "CREATE TABLE x(parent INTEGER, child INTEGER)", out, errp);
}

static int ref_best_index(sqlite3_vtab *tab, sqlite3_index_info *info)
{
    const struct heap *h = ((struct sql_vtab *)tab)->s->h;
    int pcon = -1, ccon = -1;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ)
            continue;
        if (c->iColumn == REF_PARENT && pcon < 0)
            pcon = i;
        else if (c->iColumn == REF_CHILD && ccon < 0)
            ccon = i;
    }
    int plan = RPLAN_ALL, arg = 1;
    if (pcon >= 0) {
        info->aConstraintUsage[pcon].argvIndex = arg++;
        info->aConstraintUsage[pcon].omit = 1;
        plan |= RPLAN_PARENT;
    }
    if (ccon >= 0) {
        info->aConstraintUsage[ccon].argvIndex = arg++;
        info->aConstraintUsage[ccon].omit = 1;
        plan |= RPLAN_CHILD;
    }
    double rows = plan ? 10 : (double)h->n_edges + 1;
    info->idxNum = plan;
    info->estimatedRows = (sqlite3_int64)rows;
    info->estimatedCost = rows * 2;
    return SQLITE_OK;
}

static int ref_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **out)
{
    struct ref_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    c->h = ((struct sql_vtab *)tab)->s->h;
    *out = &c->base;
    return SQLITE_OK;
}

static int ref_close(sqlite3_vtab_cursor *cur)
{
    sqlite3_free(cur);
    return SQLITE_OK;
}

static obj_t ref_parent(const struct ref_cursor *c)
{
    return c->parents ? c->parents[c->pi] : (obj_t)c->pi;
}

/* Move to the first row at or after (pi, k) that passes the child filter. */
static void ref_settle(struct ref_cursor *c)
{
    for (; c->pi < c->n_parents; c->pi++, c->k = 0) {
        obj_t p = ref_parent(c);
        const uint32_t *kids = heap_children(c->h, p);
        size_t nk = heap_nchildren(c->h, p);
        if (c->want_any) {
            if (c->k < nk)
                return;
            continue;
        }
        for (; c->k < nk; c->k++)
            if (kids[c->k] == c->want)
                return;
    }
}

/* The child entry for an address: an object, a dangling ref, or none. */
static int child_entry(const struct heap *h, sqlite3_value *v, uint32_t *out)
{
    if (sqlite3_value_numeric_type(v) != SQLITE_INTEGER)
        return -1;
    uint64_t a = (uint64_t)sqlite3_value_int64(v);
    obj_t o = heap_find(h, a);
    if (o != OBJ_NONE) {
        *out = o;
        return 0;
    }
    for (size_t k = 0; k < h->n_dangling; k++)
        if (h->dangling[k] == a) {
            *out = (uint32_t)k | HEAP_DANGLING;
            return 0;
        }
    return -1;
}

static int ref_filter(sqlite3_vtab_cursor *cur, int plan, const char *idx_str, int argc, sqlite3_value **argv)
{
    struct ref_cursor *c = (struct ref_cursor *)cur;
    const struct heap *h = c->h;
    c->pi = c->k = 0;
    c->rowid = 0;
    c->parents = NULL;
    c->n_parents = h->n;
    c->want_any = 1;
    int arg = 0;
    if (plan & RPLAN_PARENT) {
        sqlite3_value *v = argv[arg++];
        c->one = sqlite3_value_numeric_type(v) == SQLITE_INTEGER ? heap_find(h, (uint64_t)sqlite3_value_int64(v))
                                                                  : OBJ_NONE;
        c->parents = &c->one;
        c->n_parents = c->one == OBJ_NONE ? 0 : 1;
    }
    if (plan & RPLAN_CHILD) {
        c->want_any = 0;
        if (child_entry(h, argv[arg], &c->want) < 0) {
            c->n_parents = 0;
        } else if (!(plan & RPLAN_PARENT) && !heap_is_dangling(c->want)) {
            /* Only its parents can refer to it: the parent lists are the index. */
            c->parents = heap_parents(h, c->want);
            c->n_parents = heap_nparents(h, c->want);
        }
    }
    ref_settle(c);
    return SQLITE_OK;
}

static int ref_next(sqlite3_vtab_cursor *cur)
{
    struct ref_cursor *c = (struct ref_cursor *)cur;
    c->k++;
    c->rowid++;
    ref_settle(c);
    return SQLITE_OK;
}

static int ref_eof(sqlite3_vtab_cursor *cur)
{
    struct ref_cursor *c = (struct ref_cursor *)cur;
    return c->pi >= c->n_parents;
}

static int ref_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    struct ref_cursor *c = (struct ref_cursor *)cur;
    obj_t p = ref_parent(c);
    if (col == REF_PARENT)
        sqlite3_result_int64(ctx, (sqlite3_int64)c->h->addr[p]);
    else
        sqlite3_result_int64(ctx, (sqlite3_int64)heap_child_addr(c->h, heap_children(c->h, p)[c->k]));
    return SQLITE_OK;
}

static int ref_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    *rowid = ((struct ref_cursor *)cur)->rowid;
    return SQLITE_OK;
}

static const sqlite3_module ref_module = {
    .iVersion = 0,
    .xCreate = NULL,
    .xConnect = ref_connect,
    .xBestIndex = ref_best_index,
    .xDisconnect = vtab_disconnect,
    .xDestroy = vtab_disconnect,
    .xOpen = ref_open,
    .xClose = ref_close,
    .xFilter = ref_filter,
    .xNext = ref_next,
    .xEof = ref_eof,
    .xColumn = ref_column,
    .xRowid = ref_rowid,
};

/* --- the database --- */

/* A query reads the dump and computes: nothing is written, attached (no other
 * file is opened, VACUUM INTO included), no pragma is set.  The checks run
 * when a statement is prepared (VACUUM INTO: when it starts), so a refused
 * one does nothing. */
static int read_only_authorizer(void *arg, int action, const char *a, const char *b, const char *c, const char *d)
{
    (void)arg, (void)a, (void)b, (void)c, (void)d;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_UPDATE: /* a table connecting on its first use writes its schema (nothing else may) */
        return strcmp(a, "sqlite_master") == 0 ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_PRAGMA: /* reading one, or the tables' columns (pragma_table_xinfo('obj')) */
        return !b || strcmp(a, "table_info") == 0 || strcmp(a, "table_xinfo") == 0 ? SQLITE_OK : SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

struct sql *sql_open(const struct heap *h, struct hw_error *err)
{
    struct sql *s = xcalloc(1, sizeof *s, "the SQL tables");
    s->h = h;
    if (sqlite3_open_v2(":memory:", &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY, NULL) !=
            SQLITE_OK ||
        sqlite3_create_module(s->db, "obj", &obj_module, s) != SQLITE_OK ||
        sqlite3_create_module(s->db, "ref", &ref_module, s) != SQLITE_OK) {
        hw_fail(err, "SQLite: %s", s->db ? sqlite3_errmsg(s->db) : "cannot open a database");
        sql_close(s);
        return NULL;
    }
    /* Nothing but the dump: no other database files, no extensions. */
    sqlite3_limit(s->db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_set_authorizer(s->db, read_only_authorizer, NULL);
    return s;
}

void sql_close(struct sql *s)
{
    if (!s)
        return;
    sqlite3_close(s->db);
    if (s->have_own_dom)
        dominators_free(&s->own_dom);
    if (s->have_own_paths)
        paths_free(&s->own_paths);
    if (s->have_own_roots)
        roots_free(&s->own_roots);
    if (s->have_qi)
        query_index_free(&s->qi);
    free(s);
}

/* SQLite's progress handler: a non-zero answer interrupts the statement. */
static int cancel_requested(void *arg)
{
    return atomic_load_explicit((const atomic_int *)arg, memory_order_relaxed) != 0;
}

void sql_set_cancel(struct sql *s, const atomic_int *cancel)
{
    /* Every 1000 virtual machine steps: a few microseconds apart. */
    sqlite3_progress_handler(s->db, cancel ? 1000 : 0, cancel ? cancel_requested : NULL, (void *)cancel);
}

/* --- memsee's shorthands --- */

static int ident_char(int c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* The end of a quoted run starting at q[i] (a quote, [ or `), past the close. */
static size_t skip_quoted(const char *q, size_t i)
{
    char close = q[i] == '[' ? ']' : q[i];
    for (i++; q[i]; i++) {
        if (q[i] == close) {
            if (close != ']' && q[i + 1] == close) {
                i++; /* a doubled quote inside */
                continue;
            }
            return i + 1;
        }
    }
    return i;
}

/* The end of a comment starting at q[i], or i when none starts there. */
static size_t skip_comment(const char *q, size_t i)
{
    if (q[i] == '-' && q[i + 1] == '-') {
        while (q[i] && q[i] != '\n')
            i++;
        return i;
    }
    if (q[i] == '/' && q[i + 1] == '*') {
        const char *e = strstr(q + i + 2, "*/");
        return e ? (size_t)(e - q) + 2 : strlen(q);
    }
    return i;
}

/* The end of a number (decimal digits, or 0x and hex digits) at q[i]. */
static size_t number_end(const char *q, size_t i)
{
    if (q[i] == '0' && (q[i + 1] == 'x' || q[i + 1] == 'X') && isxdigit((unsigned char)q[i + 2])) {
        i += 2;
        while (isxdigit((unsigned char)q[i]))
            i++;
        return i;
    }
    while (isdigit((unsigned char)q[i]))
        i++;
    return i;
}

/* Whether c starts an operand: then a & before it is SQL's bitwise and. */
static int operand_start(int c)
{
    return ident_char(c) || c == '(' || c == '\'' || c == '"' || c == '[' || c == '`' || c == '?' || c == ':' ||
           c == '@' || c == '-' || c == '+' || c == '~';
}

static void add_shorthand(struct strbuf *out, const char *num, size_t nlen, const char *ops, size_t nops)
{
    if (nops == 0) {
        sb_add(out, num, nlen);
        return;
    }
    char op = ops[nops - 1];
    sb_adds(out, op == '&' ? "(select child from ref where parent in " : "(select parent from ref where child in ");
    if (nops == 1) {
        sb_addc(out, '(');
        sb_add(out, num, nlen);
        sb_addc(out, ')');
    } else {
        add_shorthand(out, num, nlen, ops, nops - 1);
    }
    sb_addc(out, ')');
}

void sql_rewrite(const char *q, struct strbuf *out)
{
    size_t i = 0;
    while (q[i]) {
        char c = q[i];
        size_t e = skip_comment(q, i);
        if (e != i) {
            sb_add(out, q + i, e - i);
            i = e;
        } else if (c == '\'' || c == '"' || c == '[' || c == '`') {
            e = skip_quoted(q, i);
            sb_add(out, q + i, e - i);
            i = e;
        } else if (ident_char((unsigned char)c) || c == '.') {
            /* A word or a number; only a whole number can take a shorthand. */
            int starts_number = isdigit((unsigned char)c) && !(i > 0 && q[i - 1] == '.');
            e = starts_number ? number_end(q, i) : i + 1;
            if (!starts_number || ident_char((unsigned char)q[e]) || q[e] == '.') {
                while (ident_char((unsigned char)q[e]) || (starts_number && q[e] == '.'))
                    e++;
                sb_add(out, q + i, e - i);
                i = e;
                continue;
            }
            size_t ops = e;
            while (q[ops] == '&' || q[ops] == '^')
                ops++;
            if (operand_start((unsigned char)q[ops]))
                ops = e; /* 4&size: SQL's bitwise and, no shorthand */
            add_shorthand(out, q + i, e - i, q + e, ops - e);
            i = ops;
        } else {
            sb_addc(out, c);
            i++;
        }
    }
    sb_cstr(out);
}

int sql_is_statement(const char *q)
{
    /* What a statement starts with: a condition over obj never does. */
    static const char *const verbs[] = {"select", "with", "values", "explain", "pragma", "insert", "update",
                                        "delete", "replace", "create", "drop", "alter", "attach", "detach",
                                        "begin", "commit", "end", "rollback", "savepoint", "release", "vacuum",
                                        "analyze", "reindex"};
    for (;;) {
        while (isspace((unsigned char)*q))
            q++;
        size_t e = skip_comment(q, 0);
        if (e == 0)
            break;
        q += e;
    }
    for (size_t k = 0; k < sizeof verbs / sizeof *verbs; k++) {
        size_t n = strlen(verbs[k]);
        if (strncasecmp(q, verbs[k], n) == 0 && !ident_char((unsigned char)q[n]))
            return 1;
    }
    return 0;
}

const char *sql_hint(const char *m)
{
    if (strstr(m, "no such column"))
        return "obj has address, type, name, value, size, len, mark, repr and (named only) parents, retained, idom, "
               "distance, collapsed, new (with --old); ref has parent, child";
    if (strstr(m, "no such table"))
        return "the tables are obj and ref (memsee's)";
    if (strstr(m, "one statement"))
        return "run one query at a time";
    if (strstr(m, "syntax error") || strstr(m, "incomplete input"))
        return "write a condition on obj (type = 'dict' and len > 1000) or a whole SELECT; "
               "ADDR& and ADDR^ need the number right before them";
    if (strstr(m, "read-only") || strstr(m, "may not be modified") || strstr(m, "attach") ||
        strstr(m, "not authorized") || strstr(m, "authorization denied"))
        return "queries only read the dump: SELECT (or a condition on obj); nothing is written, attached or set";
    return "see heapwalk(1), QUERIES";
}

/* A condition that is a shorthand alone (0x7f00&, 1234^^): memsee's way of
 * naming those objects, so the condition is that an object is one of them. */
static int shorthand_only(const char *q)
{
    q += strspn(q, " \t\n");
    size_t e = number_end(q, 0);
    if (e == 0 || (q[e] != '&' && q[e] != '^'))
        return 0;
    e += strspn(q + e, "&^");
    return q[e + strspn(q + e, " \t\n;")] == '\0';
}

/* A condition on obj, with the shorthand alone made one (shorthand_only). */
static void add_condition(const char *query, struct strbuf *out)
{
    if (shorthand_only(query))
        sb_adds(out, "address in ");
    sb_adds(out, query);
}

void *sql_prepare(struct sql *s, const char *query, struct hw_error *err)
{
    struct strbuf sb, cond;
    sb_init(&sb);
    sb_init(&cond);
    if (!sql_is_statement(query)) {
        sb_adds(&sb, "select * from obj where ");
        add_condition(query, &cond);
        query = sb_cstr(&cond);
    }
    sql_rewrite(query, &sb);
    sb_free(&cond);
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v2(s->db, sb_cstr(&sb), (int)sb.len + 1, &st, &tail);
    if (rc != SQLITE_OK) {
        hw_fail(err, "%s", sqlite3_errmsg(s->db));
    } else if (!st) {
        hw_fail(err, "the query is empty");
    } else {
        while (tail && (isspace((unsigned char)*tail) || *tail == ';'))
            tail++;
        if (tail && *tail) {
            hw_fail(err, "one statement at a time: '%.40s' follows the first", tail);
            sqlite3_finalize(st);
            st = NULL;
        }
    }
    sb_free(&sb);
    return st;
}

/* --- sets --- */

struct sql_stream {
    sqlite3_stmt *st;
    const struct heap *h;
    int by_rowid;            /* the first column is an object number, not an address */
    int done;
    uint64_t skipped;
};

struct sql_stream *sql_stream_open(struct sql *s, const char *query, struct hw_error *err)
{
    struct strbuf sb;
    sb_init(&sb);
    int by_rowid = !sql_is_statement(query);
    if (by_rowid) {
        sb_adds(&sb, "select rowid from obj where ");
        add_condition(query, &sb);
    } else {
        sb_adds(&sb, query);
    }
    void *st = sql_prepare(s, sb_cstr(&sb), err);
    sb_free(&sb);
    if (!st)
        return NULL;
    struct sql_stream *ss = xcalloc(1, sizeof *ss, "a query");
    ss->st = st;
    ss->h = s->h;
    ss->by_rowid = by_rowid;
    return ss;
}

long sql_stream_next(struct sql_stream *ss, obj_t *out, size_t max, struct hw_error *err)
{
    size_t n = 0;
    while (n < max && !ss->done) {
        int rc = sqlite3_step(ss->st);
        if (rc == SQLITE_DONE) {
            ss->done = 1;
            break;
        }
        if (rc != SQLITE_ROW) {
            ss->done = 1;
            hw_fail(err, "%s", sqlite3_errmsg(sqlite3_db_handle(ss->st)));
            return -1;
        }
        if (sqlite3_column_type(ss->st, 0) != SQLITE_INTEGER) {
            ss->skipped++;
            continue;
        }
        sqlite3_int64 v = sqlite3_column_int64(ss->st, 0);
        obj_t o = ss->by_rowid ? (v >= 0 && (uint64_t)v < ss->h->n ? (obj_t)v : OBJ_NONE)
                               : heap_find(ss->h, (uint64_t)v);
        if (o == OBJ_NONE)
            ss->skipped++;
        else
            out[n++] = o;
    }
    return (long)n;
}

uint64_t sql_stream_skipped(const struct sql_stream *ss)
{
    return ss->skipped;
}

void sql_stream_close(struct sql_stream *ss)
{
    if (!ss)
        return;
    sqlite3_finalize(ss->st);
    free(ss);
}

obj_t *sql_set(struct sql *s, const char *query, size_t *n, struct hw_error *err)
{
    struct sql_stream *ss = sql_stream_open(s, query, err);
    if (!ss)
        return NULL;
    uint8_t *seen = xcalloc(s->h->n ? s->h->n : 1, 1, "a set of objects");
    size_t cap = 1024, len = 0;
    obj_t *set = xmalloc(cap * sizeof *set, "a set of objects");
    obj_t buf[256];
    long got;
    while ((got = sql_stream_next(ss, buf, sizeof buf / sizeof *buf, err)) > 0) {
        for (long k = 0; k < got; k++) {
            if (seen[buf[k]])
                continue;
            seen[buf[k]] = 1;
            if (len == cap) {
                cap *= 2;
                set = xreallocarray(set, cap, sizeof *set, "a set of objects");
            }
            set[len++] = buf[k];
        }
    }
    free(seen);
    sql_stream_close(ss);
    if (got < 0) {
        free(set);
        return NULL;
    }
    *n = len;
    return set;
}
