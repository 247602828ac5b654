/* cli_summary.c: heapwalk summary: meliae's summarize(), or every type as JSON. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "refs.h"
#include "summary.h"

static void summary_usage(FILE *to)
{
    fputs("usage: heapwalk summary [--by-count] [--by-class] [--raw] [--top N] [--json] [--strict] [-q] DUMP\n"
          "Prints meliae's summarize() table: the Total line, the header and the top N\n"
          "types (default 20; 0 for all) by total size, or by count with --by-count.\n"
          "--by-class splits a name that several classes share into one row per class,\n"
          "named with its module (a.Record, b.Record); then the table is no longer meliae's.\n"
          "--json prints every type: count, size, max size and the largest object's address.\n",
          to);
}

struct summary_args {
    size_t top;
    int by_count, by_class;
};

enum { OPT_BY_CLASS = 2300 };

static int summary_option(int c, const char *arg, void *ctx)
{
    struct summary_args *a = ctx;
    switch (c) {
    case OPT_TOP: return cli_parse_count("summary", "--top", arg, &a->top);
    case OPT_BY_COUNT: a->by_count = 1; return 0;
    case OPT_BY_CLASS: a->by_class = 1; return 0;
    default: summary_usage(stderr); return -1;
    }
}

int cli_summary(int argc, char **argv)
{
    static const struct option options[] = {
        {"top", required_argument, NULL, OPT_TOP},
        {"by-count", no_argument, NULL, OPT_BY_COUNT},
        {"by-class", no_argument, NULL, OPT_BY_CLASS},
        {NULL, 0, NULL, 0},
    };
    static const struct cli_spec spec = {"summary", summary_usage, options, summary_option, 1, 1,
                                         "wants one dump (a file, or - for stdin)"};
    struct cli_common co;
    struct summary_args a = {20, 0, 0};
    int first, status = cli_parse(&spec, argc, argv, &co, &a, &first);
    if (status >= 0)
        return status;
    size_t top = a.top;
    int by_count = a.by_count;
    struct heap h;
    if (cli_open(argv[first], &co, &h) < 0)
        return EXIT_FAIL;
    struct summary s;
    summary_compute(&h, &s);
    if (a.by_class) {
        uint32_t *classes = refs_class_counts(&h);
        summary_split_classes(&h, classes, &s);
        free(classes);
    }
    if (by_count)
        summary_sort(&h, &s, SUMMARY_BY_COUNT, 0);
    if (co.json) {
        cJSON *root = cJSON_CreateObject();
        cli_json_u64(root, "objects", s.total_count);
        cli_json_u64(root, "types", s.ntypes);
        cli_json_u64(root, "bytes", s.total_size);
        cJSON_AddBoolToObject(root, "collapsed", h.collapsed);
        cJSON_AddStringToObject(root, "order", by_count ? "count" : "size");
        cJSON_AddBoolToObject(root, "by_class", a.by_class);
        cJSON_AddStringToObject(root, "flavour", refs_flavour_name(h.flavour));
        cJSON *ld = cJSON_AddObjectToObject(root, "load");
        cli_json_u64(ld, "records", h.stats.records);
        cli_json_u64(ld, "bad_lines", h.stats.bad_lines);
        cli_json_u64(ld, "duplicates", h.stats.duplicates);
        cli_json_u64(ld, "dangling_refs", h.stats.dangling_refs);
        cli_json_u64(ld, "dangling_addresses", h.n_dangling);
        cli_json_u64(ld, "collapsed", h.stats.collapsed);
        cli_json_u64(ld, "dicts_removed", h.stats.dicts_removed);
        cli_json_u64(ld, "redirected_refs", h.stats.redirected);
        cli_json_u64(ld, "edges", h.n_edges);
        cli_json_u64(ld, "parent_edges", h.n_parent_edges);
        cli_json_u64(ld, "store_bytes", heap_memory(&h));
        cJSON *rows = cJSON_AddArrayToObject(root, "rows");
        uint64_t cum = 0;
        for (size_t i = 0; i < s.n; i++) {
            const struct type_row *tr = &s.rows[i];
            cum += tr->size;
            cJSON *row = cJSON_CreateObject();
            cli_json_u64(row, "index", i);
            cJSON_AddStringToObject(row, "type", types_name(&h.types, tr->type));
            if (tr->cls != OBJ_NONE) {
                struct strbuf name;
                sb_init(&name);
                refs_class_qualified_name(&h, tr->cls, &name);
                cJSON_AddStringToObject(row, "class", sb_cstr(&name));
                cli_json_u64(row, "class_address", h.addr[tr->cls]);
                sb_free(&name);
            } else if (tr->split) {
                cJSON_AddNullToObject(row, "class"); /* a shared name's instances with no class linked */
            }
            cli_json_u64(row, "count", tr->count);
            cli_json_u64(row, "size", tr->size);
            cli_json_u64(row, "max_size", tr->max_size);
            cli_json_u64(row, "max_address", h.addr[tr->max_obj]);
            cli_json_u64(row, "count_percent", (uint64_t)summary_percent(tr->count, s.total_count));
            cli_json_u64(row, "size_percent", (uint64_t)summary_percent(tr->size, s.total_size));
            cli_json_u64(row, "cumulative_percent", (uint64_t)summary_percent(cum, s.total_size));
            cJSON_AddItemToArray(rows, row);
        }
        cli_json_print(root);
    } else {
        struct strbuf out;
        sb_init(&out);
        summary_format(&h, &s, top, &out);
        fwrite(out.buf, 1, out.len, stdout);
        sb_free(&out);
    }
    summary_free(&s);
    heap_free(&h);
    return EXIT_OK;
}

