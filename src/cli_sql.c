/* cli_sql.c: `heapwalk sql`: memsee's SQL over the loaded graph (sql.h), as an
 * aligned table, JSON lines or CSV; and the set questions of objset.h
 * (--by-type, --holders, --retained) about a query's objects. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diff.h"
#include "escape.h"
#include "export.h"
#include "objset.h"
#include "paths.h"
#include "refs.h"
#include "roots.h"
#include "sql.h"

enum sql_format { FMT_TABLE, FMT_JSON, FMT_CSV };
enum sql_mode { MODE_ROWS, MODE_BY_TYPE, MODE_HOLDERS, MODE_RETAINED, MODE_DOT, MODE_EXPORT };
enum { OPT_CSV = 2000, OPT_HOLDERS, OPT_RETAINED_SET, OPT_DOT, OPT_EXPORT, OPT_OLD };

struct sql_args {
    enum sql_format format;
    enum sql_mode mode;
    size_t limit;            /* rows of the holder lists, objects in --dot (0: all; SIZE_MAX: the default) */
    const char *old;         /* --old OLD: compare mode, the column new */
};

static void sql_usage(FILE *to)
{
    fputs("usage: heapwalk sql [--json | --csv] [--by-type | --holders | --retained | --dot | --export]\n"
          "                    [--limit N] [--old OLD]\n"
          "                    [--raw] [--strict] [-q] QUERY DUMP\n"
          "Runs an SQL query (SQLite) over the dump, memsee's way: nothing is copied.\n"
          "  obj(address, type, name, value, size, len, mark, repr)  one row per object;\n"
          "      also, when named: parents, retained, idom, distance, collapsed, and\n"
          "      with --old OLD: new (1 when the object is not in the dump OLD)\n"
          "  ref(parent, child)                                      one row per reference\n"
          "QUERY is a whole statement (select ...) or a condition on obj\n"
          "(type = 'dict' and len > 1000). ADDR& is the addresses ADDR refers to, ADDR^\n"
          "those referring to it; repeat them (ADDR&&) to go further.\n"
          "  --json         one JSON object per row      --csv   comma-separated values\n"
          "The set of objects the query names (a condition, or a select whose first column\n"
          "is an address):\n"
          "  --by-type      its objects by type: count and bytes\n"
          "  --holders      who refers to it from outside, by type and by object (--limit N\n"
          "                 rows each, default 20, 0 for all)\n"
          "  --retained     what freeing all of it at once would free\n"
          "  --dot          a Graphviz graph: the objects (--limit N, default 100), the refs\n"
          "                 among them and who refers to them from outside\n"
          "  --export       the objects as JSON lines, as heapwalk export writes them\n"
          "--raw keeps instance __dict__s as objects (memsee's view).\n",
          to);
}

static int sql_option(int c, const char *arg, void *ctx)
{
    struct sql_args *a = ctx;
    switch (c) {
    case OPT_CSV: a->format = FMT_CSV; return 0;
    case OPT_BY_TYPE: a->mode = MODE_BY_TYPE; return 0;
    case OPT_HOLDERS: a->mode = MODE_HOLDERS; return 0;
    case OPT_RETAINED_SET: a->mode = MODE_RETAINED; return 0;
    case OPT_DOT: a->mode = MODE_DOT; return 0;
    case OPT_EXPORT: a->mode = MODE_EXPORT; return 0;
    case OPT_OLD: a->old = arg; return 0;
    case OPT_LIMIT: return cli_parse_count("sql", "--limit", arg, &a->limit);
    default: sql_usage(stderr); return -1;
    }
}

/* A column's value as text for the table and CSV: escaped, empty for NULL. */
static void cell_text(sqlite3_stmt *st, int col, struct strbuf *out)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    if (s)
        hw_sb_escaped(out, s, (size_t)sqlite3_column_bytes(st, col)); /* escape.h: the one rule */
}

static void row_json(sqlite3_stmt *st, struct strbuf *out)
{
    sb_addc(out, '{');
    for (int c = 0, nc = sqlite3_column_count(st); c < nc; c++) {
        const char *name = sqlite3_column_name(st, c);
        if (c)
            sb_adds(out, ", ");
        hw_sb_json(out, name, strlen(name));
        sb_adds(out, ": ");
        switch (sqlite3_column_type(st, c)) {
        case SQLITE_NULL: sb_adds(out, "null"); break;
        case SQLITE_INTEGER: sb_printf(out, "%lld", (long long)sqlite3_column_int64(st, c)); break;
        case SQLITE_FLOAT: sb_printf(out, "%.17g", sqlite3_column_double(st, c)); break;
        default:
            hw_sb_json(out, (const char *)sqlite3_column_text(st, c), (size_t)sqlite3_column_bytes(st, c));
        }
    }
    sb_adds(out, "}\n");
}

static void csv_field(const char *s, size_t len, struct strbuf *out)
{
    if (!memchr(s, ',', len) && !memchr(s, '"', len)) {
        sb_add(out, s, len);
        return;
    }
    sb_addc(out, '"');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            sb_addc(out, '"');
        sb_addc(out, s[i]);
    }
    sb_addc(out, '"');
}

static void row_csv(sqlite3_stmt *st, struct strbuf *cell, struct strbuf *out)
{
    for (int c = 0, nc = sqlite3_column_count(st); c < nc; c++) {
        sb_reset(cell);
        cell_text(st, c, cell);
        if (c)
            sb_addc(out, ',');
        csv_field(cell->buf ? cell->buf : "", cell->len, out);
    }
    sb_addc(out, '\n');
}

/* --- the aligned table: widths from the first rows, the rest streamed --- */

#define TABLE_SAMPLE 1000

struct table {
    int ncols;
    size_t *width;
    int *right;              /* numbers are right-aligned */
    size_t nrows;            /* rows sampled and not printed yet */
};

static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

static void table_line(const struct table *t, char *const *cells, struct strbuf *out)
{
    for (int c = 0; c < t->ncols; c++) {
        size_t w = display_width(cells[c]), pad = w < t->width[c] ? t->width[c] - w : 0;
        if (c)
            sb_adds(out, "  ");
        if (t->right[c])
            sb_printf(out, "%*s", (int)pad, "");
        sb_adds(out, cells[c]);
        if (!t->right[c] && c + 1 < t->ncols)
            sb_printf(out, "%*s", (int)pad, "");
    }
    sb_addc(out, '\n');
}

static char **row_cells(sqlite3_stmt *st, int ncols, struct strbuf *cell)
{
    char **cells = xmalloc((size_t)ncols * sizeof *cells, "a row");
    for (int c = 0; c < ncols; c++) {
        sb_reset(cell);
        cell_text(st, c, cell);
        cells[c] = xstrdup(sb_cstr(cell), "a row");
    }
    return cells;
}

static void free_cells(char **cells, int ncols)
{
    for (int c = 0; c < ncols; c++)
        free(cells[c]);
    free(cells);
}

/* Write out and empty it; -1 when writing failed. */
static int flush_out(struct strbuf *out)
{
    int rc = out->len && fwrite(out->buf, 1, out->len, stdout) != out->len ? -1 : 0;
    sb_reset(out);
    return rc;
}

/* The header and the sampled rows, once the widths are known. */
static void table_flush_sample(sqlite3_stmt *st, struct table *t, char ***sample, struct strbuf *out)
{
    char **names = xmalloc(((size_t)t->ncols + 1) * sizeof *names, "a row");
    for (int c = 0; c < t->ncols; c++)
        names[c] = (char *)sqlite3_column_name(st, c);
    if (t->ncols)
        table_line(t, names, out);
    free(names);
    for (size_t r = 0; r < t->nrows; r++) {
        table_line(t, sample[r], out);
        free_cells(sample[r], t->ncols);
    }
    t->nrows = 0;
}

/* Take a row into the table: sampled for the widths until TABLE_SAMPLE rows,
 * then printed with those widths (a longer cell pushes its line out). */
static void table_row(sqlite3_stmt *st, struct table *t, char ***sample, int *flushed, struct strbuf *cell,
                      struct strbuf *out)
{
    char **cells = row_cells(st, t->ncols, cell);
    if (*flushed) {
        table_line(t, cells, out);
        free_cells(cells, t->ncols);
        return;
    }
    for (int c = 0; c < t->ncols; c++) {
        size_t w = display_width(cells[c]);
        t->width[c] = w > t->width[c] ? w : t->width[c];
        int type = sqlite3_column_type(st, c);
        if (type != SQLITE_INTEGER && type != SQLITE_FLOAT && type != SQLITE_NULL)
            t->right[c] = 0;
    }
    sample[t->nrows++] = cells;
    if (t->nrows == TABLE_SAMPLE) {
        table_flush_sample(st, t, sample, out);
        *flushed = 1;
    }
}

static void csv_header(sqlite3_stmt *st, struct strbuf *out)
{
    for (int c = 0, nc = sqlite3_column_count(st); c < nc; c++) {
        const char *name = sqlite3_column_name(st, c);
        if (c)
            sb_addc(out, ',');
        csv_field(name, strlen(name), out);
    }
    sb_addc(out, '\n');
}

/* Step through st and print its rows; SQLite's last code (SQLITE_DONE when
 * all went well), or SQLITE_IOERR when writing failed. */
static int print_rows(sqlite3_stmt *st, enum sql_format format)
{
    int ncols = sqlite3_column_count(st), rc, flushed = 0;
    struct strbuf out, cell;
    sb_init(&out);
    sb_init(&cell);
    struct table t = {ncols, xcalloc((size_t)ncols + 1, sizeof(size_t), "a table"),
                      xcalloc((size_t)ncols + 1, sizeof(int), "a table"), 0};
    char ***sample = xmalloc(TABLE_SAMPLE * sizeof *sample, "a table");
    for (int c = 0; c < ncols; c++) {
        t.width[c] = display_width(sqlite3_column_name(st, c));
        t.right[c] = 1;
    }
    if (format == FMT_CSV)
        csv_header(st, &out);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (format == FMT_JSON)
            row_json(st, &out);
        else if (format == FMT_CSV)
            row_csv(st, &cell, &out);
        else
            table_row(st, &t, sample, &flushed, &cell, &out);
        if (out.len > 1 << 16 && flush_out(&out) < 0) {
            rc = SQLITE_IOERR;
            break;
        }
    }
    if (format == FMT_TABLE && !flushed)
        table_flush_sample(st, &t, sample, &out);
    for (size_t r = 0; r < t.nrows; r++)
        free_cells(sample[r], ncols);
    if (flush_out(&out) < 0)
        rc = SQLITE_IOERR;
    free(sample);
    free(t.width);
    free(t.right);
    sb_free(&out);
    sb_free(&cell);
    return rc;
}

static void show_error(const char *query, const char *msg)
{
    hw_eprintf("heapwalk sql: %s\n", msg);
    hw_eprintf("  query: %s\n", query);
    hw_eprintf("  hint: %s\n", sql_hint(msg));
}

/* --- the set questions --- */

static void print_by_type(const struct heap *h, const obj_t *set, size_t n, int json)
{
    size_t nrows;
    struct objset_type *rows = objset_histogram(h, set, n, &nrows);
    uint64_t bytes = 0;
    for (size_t k = 0; k < nrows; k++)
        bytes += rows[k].bytes;
    if (json) {
        cJSON *root = cJSON_CreateObject();
        cli_json_u64(root, "objects", n);
        cli_json_u64(root, "bytes", bytes);
        cJSON *arr = cJSON_AddArrayToObject(root, "types");
        for (size_t k = 0; k < nrows; k++) {
            cJSON *it = cJSON_CreateObject();
            cJSON_AddStringToObject(it, "type", types_name(&h->types, rows[k].type));
            cli_json_u64(it, "count", rows[k].count);
            cli_json_u64(it, "bytes", rows[k].bytes);
            cJSON_AddItemToArray(arr, it);
        }
        cli_json_print(root);
    } else {
        printf("%zu objects, %llu bytes, %zu types\n%10s %14s  %s\n", n, (unsigned long long)bytes, nrows, "Count",
               "Bytes", "Type");
        for (size_t k = 0; k < nrows; k++)
            printf("%10llu %14llu  %s\n", (unsigned long long)rows[k].count, (unsigned long long)rows[k].bytes,
                   types_name(&h->types, rows[k].type));
    }
    free(rows);
}

static void print_holders(const struct heap *h, const obj_t *set, size_t n, size_t limit, int json)
{
    struct objset_holders hs;
    objset_holders(h, set, n, &hs);
    size_t nt = limit && hs.n_types > limit ? limit : hs.n_types;
    size_t no = limit && hs.n_objects > limit ? limit : hs.n_objects;
    struct strbuf sb;
    sb_init(&sb);
    if (json) {
        cJSON *root = cJSON_CreateObject();
        cli_json_u64(root, "objects", n);
        cli_json_u64(root, "held_inside", hs.held_inside);
        cli_json_u64(root, "no_parent", hs.no_parent);
        cJSON *arr = cJSON_AddArrayToObject(root, "by_type");
        for (size_t k = 0; k < nt; k++) {
            cJSON *it = cJSON_CreateObject();
            cJSON_AddStringToObject(it, "type", types_name(&h->types, hs.by_type[k].type));
            cli_json_u64(it, "holders", hs.by_type[k].holders);
            cli_json_u64(it, "members", hs.by_type[k].members);
            cli_json_u64(it, "bytes", hs.by_type[k].bytes);
            cJSON_AddItemToArray(arr, it);
        }
        arr = cJSON_AddArrayToObject(root, "by_object");
        for (size_t k = 0; k < no; k++) {
            cJSON *it = cJSON_CreateObject();
            obj_t o = hs.by_object[k].holder;
            cli_json_u64(it, "address", h->addr[o]);
            cJSON_AddStringToObject(it, "type", heap_type_name(h, o));
            cli_json_u64(it, "members", hs.by_object[k].members);
            cli_json_u64(it, "bytes", hs.by_object[k].bytes);
            cJSON_AddItemToArray(arr, it);
        }
        cli_json_print(root);
    } else {
        printf("%zu objects: held from outside the set by %zu objects of %zu types; %llu held only from inside, "
               "%llu with no parent\n",
               n, hs.n_objects, hs.n_types, (unsigned long long)hs.held_inside, (unsigned long long)hs.no_parent);
        printf("by holder type:\n%10s %10s %14s  %s\n", "Holders", "Members", "Bytes", "Type");
        for (size_t k = 0; k < nt; k++)
            printf("%10llu %10llu %14llu  %s\n", (unsigned long long)hs.by_type[k].holders,
                   (unsigned long long)hs.by_type[k].members, (unsigned long long)hs.by_type[k].bytes,
                   types_name(&h->types, hs.by_type[k].type));
        printf("by holder:\n%10s %14s  %s\n", "Members", "Bytes", "Holder");
        for (size_t k = 0; k < no; k++) {
            sb_reset(&sb);
            refs_repr(h, hs.by_object[k].holder, 60, &sb);
            printf("%10llu %14llu  %s\n", (unsigned long long)hs.by_object[k].members,
                   (unsigned long long)hs.by_object[k].bytes, sb_cstr(&sb));
        }
        if (no < hs.n_objects || nt < hs.n_types)
            printf("(--limit %zu: the first rows of each; --limit 0 for all)\n", limit);
    }
    sb_free(&sb);
    objset_holders_free(&hs);
}

static void print_retained(const struct heap *h, const obj_t *set, size_t n, int json)
{
    struct roots r;
    cli_analyse(h, NULL, 0, 0, &r, NULL, NULL);
    struct objset_retained ret;
    double t0 = hw_now();
    objset_retained(h, &r, set, n, &ret, NULL);
    cli_timing("retained size of the set", t0);
    uint64_t own = 0;
    for (size_t k = 0; k < n; k++)
        own += heap_size(h, set[k]);
    if (json) {
        cJSON *root = cJSON_CreateObject();
        cli_json_u64(root, "objects", n);
        cli_json_u64(root, "bytes", own);
        cli_json_u64(root, "freed_objects", ret.objects);
        cli_json_u64(root, "freed_bytes", ret.bytes);
        cli_json_print(root);
    } else {
        printf("%zu objects of %llu bytes; freeing them all frees %llu objects, %llu bytes\n", n,
               (unsigned long long)own, (unsigned long long)ret.objects, (unsigned long long)ret.bytes);
    }
    roots_free(&r);
}

/* --dot and --export: the set drawn, or written as JSON lines. */
static int print_set_graph(const struct heap *h, const obj_t *set, size_t n, const struct sql_args *a)
{
    struct roots r;
    cli_analyse(h, NULL, 0, 0, &r, NULL, NULL);
    int status = EXIT_OK;
    if (a->mode == MODE_DOT) {
        struct strbuf out;
        sb_init(&out);
        export_dot_set(h, &r, set, n, a->limit == SIZE_MAX ? 100 : a->limit, 10, &out);
        if (fwrite(out.buf, 1, out.len, stdout) != out.len)
            status = EXIT_FAIL;
        sb_free(&out);
    } else if (export_jsonl_set(h, &r, NULL, set, n, 0, stdout) < 0) {
        status = EXIT_FAIL;
    }
    roots_free(&r);
    return status;
}

static int run_set(struct sql *s, const struct heap *h, const char *query, const struct sql_args *a, int json)
{
    struct hw_error err = {{0}};
    size_t n;
    double t0 = hw_now();
    obj_t *set = sql_set(s, query, &n, &err);
    cli_timing("query", t0);
    if (!set) {
        show_error(query, err.msg);
        return EXIT_FAIL;
    }
    int status = EXIT_OK;
    if (a->mode == MODE_BY_TYPE)
        print_by_type(h, set, n, json);
    else if (a->mode == MODE_HOLDERS)
        print_holders(h, set, n, a->limit == SIZE_MAX ? 20 : a->limit, json);
    else if (a->mode == MODE_RETAINED)
        print_retained(h, set, n, json);
    else
        status = print_set_graph(h, set, n, a);
    free(set);
    return status;
}

static int run_rows(struct sql *s, const char *query, enum sql_format format)
{
    struct hw_error err = {{0}};
    double t0 = hw_now();
    sqlite3_stmt *st = sql_prepare(s, query, &err);
    if (!st) {
        show_error(query, err.msg);
        return EXIT_FAIL;
    }
    int rc = print_rows(st, format);
    cli_timing("query", t0);
    if (rc == SQLITE_IOERR) {
        sqlite3_finalize(st);
        return EXIT_FAIL; /* main() says that writing failed */
    }
    if (rc != SQLITE_DONE) {
        show_error(query, sqlite3_errmsg(sqlite3_db_handle(st)));
        sqlite3_finalize(st);
        return EXIT_FAIL;
    }
    sqlite3_finalize(st);
    return EXIT_OK;
}

/* --old: per object of h, 1 when the dump old has no object at its address
 * with its type (diff_match, as compare mode counts new objects). Only one
 * byte per object is kept; the old dump is freed. NULL when old cannot be read. */
static uint8_t *new_objects(const char *old, const struct cli_common *co, const struct heap *h)
{
    struct heap o;
    if (cli_open(old, co, &o) < 0)
        return NULL;
    uint8_t *is_new = xmalloc(h->n ? h->n : 1, "the new objects");
    for (size_t i = 0; i < h->n; i++)
        is_new[i] = diff_match(h, (obj_t)i, &o) == OBJ_NONE;
    heap_free(&o);
    return is_new;
}

int cli_sql(int argc, char **argv)
{
    static const struct option options[] = {
        {"csv", no_argument, NULL, OPT_CSV},
        {"by-type", no_argument, NULL, OPT_BY_TYPE},
        {"holders", no_argument, NULL, OPT_HOLDERS},
        {"retained", no_argument, NULL, OPT_RETAINED_SET},
        {"dot", no_argument, NULL, OPT_DOT},
        {"export", no_argument, NULL, OPT_EXPORT},
        {"limit", required_argument, NULL, OPT_LIMIT},
        {"old", required_argument, NULL, OPT_OLD},
        {NULL, 0, NULL, 0},
    };
    static const struct cli_spec spec = {"sql", sql_usage, options, sql_option, 2, 2, "wants a query and a dump"};
    struct cli_common co;
    struct sql_args a = {FMT_TABLE, MODE_ROWS, SIZE_MAX, NULL};
    int first, status = cli_parse(&spec, argc, argv, &co, &a, &first);
    if (status >= 0)
        return status;
    if (co.json)
        a.format = FMT_JSON;
    const char *query = argv[first], *dump = argv[first + 1];
    struct heap h;
    uint8_t *is_new = NULL;
    if (cli_open(dump, &co, &h) < 0)
        return EXIT_FAIL;
    if (a.old && !(is_new = new_objects(a.old, &co, &h))) {
        heap_free(&h);
        return EXIT_FAIL;
    }
    struct hw_error err = {{0}};
    struct sql *s = sql_open(&h, &err);
    if (!s) {
        hw_eprintf("heapwalk sql: %s\n", err.msg);
        free(is_new);
        heap_free(&h);
        return EXIT_FAIL;
    }
    sql_lend_new(s, is_new);
    status = a.mode == MODE_ROWS ? run_rows(s, query, a.format) : run_set(s, &h, query, &a, co.json);
    sql_close(s);
    free(is_new);
    heap_free(&h);
    return status;
}

/* --- path between two sets --- */

static void set_path_text(const struct heap *h, const obj_t *path, size_t len, int reverse)
{
    struct strbuf sb, lab;
    sb_init(&sb);
    sb_init(&lab);
    printf("%zu hop%s, %s\n", len - 1, len == 2 ? "" : "s",
           reverse ? "each object referred to by the next" : "each object referring to the next");
    for (size_t k = 0; k < len; k++) {
        sb_reset(&sb);
        sb_reset(&lab);
        refs_repr(h, path[k], 60, &sb);
        if (k + 1 < len && reverse)
            paths_edge_label(h, path[k + 1], path[k], &lab);
        else if (k + 1 < len)
            paths_edge_label(h, path[k], path[k + 1], &lab);
        printf("%4zu  %s%s%s\n", k, sb_cstr(&sb), k + 1 == len ? "" : reverse ? "  <- " : "  -> ",
               k + 1 < len ? sb_cstr(&lab) : "");
    }
    sb_free(&sb);
    sb_free(&lab);
}

static void set_path_json(const struct heap *h, const obj_t *path, size_t len, int reverse)
{
    cJSON *root = cJSON_CreateObject();
    struct strbuf sb;
    sb_init(&sb);
    cJSON_AddBoolToObject(root, "reverse", reverse);
    cli_json_u64(root, "length", len - 1);
    cJSON *hops = cJSON_AddArrayToObject(root, "hops");
    for (size_t k = 0; k < len; k++) {
        cJSON *hop = cJSON_CreateObject();
        cli_json_u64(hop, "address", h->addr[path[k]]);
        cJSON_AddStringToObject(hop, "type", heap_type_name(h, path[k]));
        sb_reset(&sb);
        refs_repr(h, path[k], 0, &sb);
        cJSON_AddStringToObject(hop, "repr", sb_cstr(&sb));
        if (k + 1 < len) {
            sb_reset(&sb);
            if (reverse)
                paths_edge_label(h, path[k + 1], path[k], &sb);
            else
                paths_edge_label(h, path[k], path[k + 1], &sb);
            cJSON_AddStringToObject(hop, "edge", sb_cstr(&sb));
        }
        cJSON_AddItemToArray(hops, hop);
    }
    sb_free(&sb);
    cli_json_print(root);
}

int cli_path_sets(const char *from, const char *to, int reverse, const struct cli_common *co, const char *dump)
{
    struct heap h;
    if (cli_open(dump, co, &h) < 0)
        return EXIT_FAIL;
    struct hw_error err = {{0}};
    int status = EXIT_FAIL;
    obj_t *a = NULL, *b = NULL, *path = NULL;
    size_t na = 0, nb = 0, len = 0;
    struct sql *s = sql_open(&h, &err);
    if (!s) {
        hw_eprintf("heapwalk path: %s\n", err.msg);
        goto out;
    }
    if (!(a = sql_set(s, from, &na, &err))) {
        show_error(from, err.msg);
        goto out;
    }
    if (!(b = sql_set(s, to, &nb, &err))) {
        show_error(to, err.msg);
        goto out;
    }
    double t0 = hw_now();
    path = objset_path(&h, a, na, b, nb, reverse, &len);
    cli_timing("path between sets", t0);
    if (!path) {
        hw_eprintf("heapwalk path: %s: no path %s from any of the %zu objects of --from to any of the %zu of --to\n",
                dump, reverse ? "against references" : "along references", na, nb);
        goto out;
    }
    if (co->json)
        set_path_json(&h, path, len, reverse);
    else
        set_path_text(&h, path, len, reverse);
    status = EXIT_OK;
out:
    free(path);
    free(a);
    free(b);
    sql_close(s);
    heap_free(&h);
    return status;
}
