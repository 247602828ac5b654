/* cli_diff.c: heapwalk diff: what grew between two dumps, and who holds the new objects. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diff.h"
#include "escape.h"
#include "paths.h"
#include "refs.h"
#include "roots.h"

static void diff_usage(FILE *to)
{
    fputs("usage: heapwalk diff [--json] [--top N] [--by-count] [--raw] [--strict] [-q] OLD NEW [NEWER]\n"
          "Compares two dumps of one process: per type, count and size in each and the\n"
          "change (largest change in size first, or in count with --by-count); then the\n"
          "objects only in NEW (\"new\", matched on address and type) grouped by who holds\n"
          "them: the nearest object on their path from a root that is not new.\n"
          "With NEWER, a third dump: how many of the new objects are still alive in it.\n"
          "  --top N   rows of each table (default 20; 0 for all)\n",
          to);
}

static const char *holder_name(const struct heap *h, uint32_t t)
{
    return t == UINT32_MAX ? "(a root)" : types_name(&h->types, t);
}

static void print_text(const struct heap *nw, const struct diff *d, const char *old_path, const char *new_path,
                       size_t top, int have_newer)
{
    struct strbuf sb, name, held;
    sb_init(&sb);
    sb_init(&name);
    sb_init(&held);
    hw_sb_escaped_str(&sb, old_path);
    printf("old: %s\n", sb_cstr(&sb));
    sb_reset(&sb);
    hw_sb_escaped_str(&sb, new_path);
    printf("new: %s\n", sb_cstr(&sb));
    printf("new objects: %llu (%llu bytes); gone: %llu (%llu bytes); in both: %llu\n",
           (unsigned long long)d->n_new, (unsigned long long)d->new_bytes, (unsigned long long)d->n_gone,
           (unsigned long long)d->gone_bytes, (unsigned long long)d->n_both);
    if (have_newer)
        printf("new objects still alive in the third dump: %llu (%llu bytes)\n",
               (unsigned long long)d->n_survivors, (unsigned long long)d->survivor_bytes);
    printf("\n     Count    +/-Count       Size     +/-Size      New Kind\n");
    size_t n = (top && top < d->n_types) ? top : d->n_types;
    for (size_t k = 0; k < n; k++) {
        const struct diff_type *t = &d->types[k];
        sb_reset(&name);
        hw_sb_escaped_str(&name, t->name);
        printf("%10llu %+11lld %10llu %+11lld %8llu %s\n", (unsigned long long)t->new_count,
               (long long)(t->new_count - t->old_count), (unsigned long long)t->new_size,
               (long long)(t->new_size - t->old_size), (unsigned long long)t->added, sb_cstr(&name));
    }
    printf("\nholders of new objects:\n     New      Bytes  Holders Kind <- held by\n");
    n = (top && top < d->n_holders) ? top : d->n_holders;
    for (size_t k = 0; k < n; k++) {
        const struct diff_holder *r = &d->holders[k];
        sb_reset(&sb);
        sb_reset(&name);
        sb_reset(&held);
        hw_sb_escaped_str(&name, types_name(&nw->types, r->type));
        hw_sb_escaped_str(&held, holder_name(nw, r->holder_type));
        if (r->example != OBJ_NONE)
            sb_printf(&sb, " (e.g. 0x%llx)", (unsigned long long)nw->addr[r->example]);
        printf("%8llu %10llu %8llu %s <- %s%s\n", (unsigned long long)r->objects, (unsigned long long)r->bytes,
               (unsigned long long)r->holders, sb_cstr(&name), sb_cstr(&held), sb_cstr(&sb));
    }
    sb_free(&sb);
    sb_free(&name);
    sb_free(&held);
}

static void print_json(const struct heap *nw, const struct diff *d, size_t top, int have_newer)
{
    cJSON *root = cJSON_CreateObject();
    cli_json_u64(root, "new", d->n_new);
    cli_json_u64(root, "new_bytes", d->new_bytes);
    cli_json_u64(root, "gone", d->n_gone);
    cli_json_u64(root, "gone_bytes", d->gone_bytes);
    cli_json_u64(root, "both", d->n_both);
    if (have_newer) {
        cli_json_u64(root, "survivors", d->n_survivors);
        cli_json_u64(root, "survivor_bytes", d->survivor_bytes);
    }
    cJSON *arr = cJSON_AddArrayToObject(root, "types");
    size_t n = (top && top < d->n_types) ? top : d->n_types;
    for (size_t k = 0; k < n; k++) {
        const struct diff_type *t = &d->types[k];
        cJSON *it = cJSON_CreateObject();
        cJSON_AddStringToObject(it, "type", t->name);
        cli_json_u64(it, "old_count", t->old_count);
        cli_json_u64(it, "old_size", t->old_size);
        cli_json_u64(it, "new_count", t->new_count);
        cli_json_u64(it, "new_size", t->new_size);
        cli_json_u64(it, "new_objects", t->added);
        cli_json_u64(it, "new_objects_size", t->added_size);
        cli_json_u64(it, "gone", t->gone);
        cJSON_AddItemToArray(arr, it);
    }
    arr = cJSON_AddArrayToObject(root, "holders");
    n = (top && top < d->n_holders) ? top : d->n_holders;
    for (size_t k = 0; k < n; k++) {
        const struct diff_holder *r = &d->holders[k];
        cJSON *it = cJSON_CreateObject();
        cJSON_AddStringToObject(it, "type", types_name(&nw->types, r->type));
        if (r->holder_type == UINT32_MAX)
            cJSON_AddNullToObject(it, "holder_type");
        else
            cJSON_AddStringToObject(it, "holder_type", types_name(&nw->types, r->holder_type));
        cli_json_u64(it, "objects", r->objects);
        cli_json_u64(it, "bytes", r->bytes);
        cli_json_u64(it, "holders", r->holders);
        if (r->example != OBJ_NONE)
            cli_json_u64(it, "example_holder", nw->addr[r->example]);
        cJSON_AddItemToArray(arr, it);
    }
    cli_json_print(root);
}

struct diff_args {
    size_t top;
    int by_count;
};

static int diff_option(int c, const char *arg, void *ctx)
{
    struct diff_args *a = ctx;
    switch (c) {
    case OPT_TOP: return cli_parse_count("diff", "--top", arg, &a->top);
    case OPT_BY_COUNT: a->by_count = 1; return 0;
    default: diff_usage(stderr); return -1;
    }
}

int cli_diff(int argc, char **argv)
{
    static const struct option options[] = {
        {"top", required_argument, NULL, OPT_TOP},
        {"by-count", no_argument, NULL, OPT_BY_COUNT},
        {NULL, 0, NULL, 0},
    };
    static const struct cli_spec spec = {"diff", diff_usage, options, diff_option, 2, 3,
                                         "wants two dumps (OLD NEW) or three (OLD NEW NEWER)"};
    struct cli_common co;
    struct diff_args a = {20, 0};
    int first, status = cli_parse(&spec, argc, argv, &co, &a, &first);
    if (status >= 0)
        return status;
    size_t top = a.top;
    int by_count = a.by_count, ndumps = argc - first;
    struct heap heaps[3];
    int loaded = 0;
    status = EXIT_FAIL;
    for (; loaded < ndumps; loaded++)
        if (cli_open(argv[first + loaded], &co, &heaps[loaded]) < 0)
            goto out;
    struct roots roots;
    struct paths paths;
    cli_analyse(&heaps[1], NULL, 0, 0, &roots, &paths, NULL);
    struct diff d;
    diff_compute(&heaps[0], &heaps[1], ndumps == 3 ? &heaps[2] : NULL, &paths, &d);
    if (by_count)
        diff_sort(&d, DIFF_BY_COUNT);
    if (co.json)
        print_json(&heaps[1], &d, top, ndumps == 3);
    else
        print_text(&heaps[1], &d, argv[first], argv[first + 1], top, ndumps == 3);
    diff_free(&d);
    paths_free(&paths);
    roots_free(&roots);
    status = EXIT_OK;
out:
    for (int k = 0; k < loaded; k++)
        heap_free(&heaps[k]);
    return status;
}
