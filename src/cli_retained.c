/* cli_retained.c: heapwalk retained: the objects (or types) that hold the most memory. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dominators.h"
#include "escape.h"
#include "refs.h"
#include "roots.h"
#include "summary.h"

static void retained_usage(FILE *to)
{
    fputs("usage: heapwalk retained [--top N] [--by-type] [--json] [--raw] [--strict] [-q] DUMP\n"
          "Lists the objects that retain the most memory: an object's retained size is\n"
          "its size plus the sizes of every object it dominates (that only it keeps\n"
          "alive), from the dominator tree over the roots of `heapwalk roots`.\n"
          "  --top N     how many rows (default 20; 0 for all)\n"
          "  --by-type   per type: count, shallow size, and retained size with each\n"
          "              dominated subtree counted once\n",
          to);
}

/* Objects ordered by retained size, largest first (ties in dump order). */
static const struct dominators *order_dom;
static int cmp_objects(const void *a, const void *b)
{
    obj_t x = *(const obj_t *)a, y = *(const obj_t *)b;
    uint64_t rx = order_dom->retained[x], ry = order_dom->retained[y];
    if (rx != ry)
        return rx < ry ? 1 : -1;
    return x < y ? -1 : x > y;
}

struct type_retained {
    const struct type_row *row;
    uint64_t retained;
};
static int cmp_types(const void *a, const void *b)
{
    const struct type_retained *x = a, *y = b;
    if (x->retained != y->retained)
        return x->retained < y->retained ? 1 : -1;
    return x->row->size < y->row->size ? 1 : x->row->size > y->row->size ? -1 : 0;
}

static void print_by_type(const struct heap *h, const struct dominators *d, size_t top, int json)
{
    struct summary s;
    summary_compute(h, &s);
    uint64_t *by_type = xmalloc((h->types.n ? h->types.n : 1) * sizeof *by_type, "retained sizes by type");
    dominators_by_type(h, d, by_type);
    struct type_retained *rows = xmalloc((s.n ? s.n : 1) * sizeof *rows, "retained sizes by type");
    for (size_t k = 0; k < s.n; k++)
        rows[k] = (struct type_retained){&s.rows[k], by_type[s.rows[k].type]};
    if (s.n > 1)
        qsort(rows, s.n, sizeof *rows, cmp_types);
    size_t n = (top && top < s.n) ? top : s.n;
    if (json) {
        cJSON *root = cJSON_CreateObject();
        cli_json_u64(root, "total_bytes", d->total);
        cJSON *arr = cJSON_AddArrayToObject(root, "types");
        for (size_t k = 0; k < n; k++) {
            cJSON *it = cJSON_CreateObject();
            cJSON_AddStringToObject(it, "type", types_name(&h->types, rows[k].row->type));
            cli_json_u64(it, "count", rows[k].row->count);
            cli_json_u64(it, "size", rows[k].row->size);
            cli_json_u64(it, "retained", rows[k].retained);
            cJSON_AddItemToArray(arr, it);
        }
        cli_json_print(root);
    } else {
        struct strbuf name;
        sb_init(&name);
        printf("Total %llu bytes retained by the roots\n", (unsigned long long)d->total);
        printf("   Count       Size   Retained   %% Kind\n");
        for (size_t k = 0; k < n; k++) {
            sb_reset(&name);
            hw_sb_escaped_str(&name, types_name(&h->types, rows[k].row->type));
            printf("%8llu %10llu %10llu %3lld %s\n", (unsigned long long)rows[k].row->count,
                   (unsigned long long)rows[k].row->size, (unsigned long long)rows[k].retained,
                   summary_percent(rows[k].retained, d->total), sb_cstr(&name));
        }
        sb_free(&name);
    }
    free(rows);
    free(by_type);
    summary_free(&s);
}

static void print_objects(const struct heap *h, const struct dominators *d, size_t top, int json)
{
    obj_t *objs = xmalloc((h->n ? h->n : 1) * sizeof *objs, "the retained list");
    for (size_t i = 0; i < h->n; i++)
        objs[i] = (obj_t)i;
    order_dom = d;
    if (h->n > 1)
        qsort(objs, h->n, sizeof *objs, cmp_objects);
    size_t n = (top && top < h->n) ? top : h->n;
    struct strbuf sb;
    sb_init(&sb);
    if (json) {
        cJSON *root = cJSON_CreateObject();
        cli_json_u64(root, "total_bytes", d->total);
        cJSON *arr = cJSON_AddArrayToObject(root, "objects");
        for (size_t k = 0; k < n; k++) {
            obj_t o = objs[k];
            cJSON *it = cJSON_CreateObject();
            cli_json_u64(it, "address", h->addr[o]);
            cJSON_AddStringToObject(it, "type", heap_type_name(h, o));
            cli_json_u64(it, "size", heap_size(h, o));
            cli_json_u64(it, "retained", d->retained[o]);
            if (d->idom[o] == OBJ_NONE)
                cJSON_AddNullToObject(it, "idom");
            else
                cli_json_u64(it, "idom", h->addr[d->idom[o]]);
            sb_reset(&sb);
            refs_repr(h, o, 0, &sb);
            cJSON_AddStringToObject(it, "repr", sb_cstr(&sb));
            cJSON_AddItemToArray(arr, it);
        }
        cli_json_print(root);
    } else {
        printf("Total %llu bytes retained by the roots\n", (unsigned long long)d->total);
        printf("  Retained   %%       Size Object\n");
        for (size_t k = 0; k < n; k++) {
            obj_t o = objs[k];
            sb_reset(&sb);
            refs_repr(h, o, 60, &sb);
            printf("%10llu %3lld %10llu %s\n", (unsigned long long)d->retained[o],
                   summary_percent(d->retained[o], d->total), (unsigned long long)heap_size(h, o), sb_cstr(&sb));
        }
    }
    sb_free(&sb);
    free(objs);
}

struct retained_args {
    size_t top;
    int by_type;
};

static int retained_option(int c, const char *arg, void *ctx)
{
    struct retained_args *a = ctx;
    switch (c) {
    case OPT_TOP: return cli_parse_count("retained", "--top", arg, &a->top);
    case OPT_BY_TYPE: a->by_type = 1; return 0;
    default: retained_usage(stderr); return -1;
    }
}

int cli_retained(int argc, char **argv)
{
    static const struct option options[] = {
        {"top", required_argument, NULL, OPT_TOP},
        {"by-type", no_argument, NULL, OPT_BY_TYPE},
        {NULL, 0, NULL, 0},
    };
    static const struct cli_spec spec = {"retained", retained_usage, options, retained_option, 1, 1,
                                         "wants one dump"};
    struct cli_common co;
    struct retained_args a = {20, 0};
    int first, status = cli_parse(&spec, argc, argv, &co, &a, &first);
    if (status >= 0)
        return status;
    size_t top = a.top;
    int by_type = a.by_type;
    struct heap h;
    if (cli_open(argv[first], &co, &h) < 0)
        return EXIT_FAIL;
    struct roots roots;
    struct dominators dom;
    cli_analyse(&h, NULL, 0, 0, &roots, NULL, &dom);
    if (by_type)
        print_by_type(&h, &dom, top, co.json);
    else
        print_objects(&h, &dom, top, co.json);
    dominators_free(&dom);
    roots_free(&roots);
    heap_free(&h);
    return EXIT_OK;
}
