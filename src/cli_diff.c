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
          "  --top N       rows of each table (default 20; 0 for all)\n"
          "  --by-holder   then the new objects by the object that holds them: a total per\n"
          "                holder, its name (\"deque .history of Observer\"), its types\n"
          "  --gone        then the gone objects (in OLD, not in NEW), by type\n",
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

/* Does entry k of d->held start a holder's rows? */
static int starts_holder(const struct diff *d, size_t k)
{
    return k == 0 || d->held[k].holder != d->held[k - 1].holder;
}

/* The entries of d->held that the first top holders (0: all) take. */
static size_t held_entries(const struct diff *d, size_t top)
{
    size_t holders = 0, k;
    for (k = 0; k < d->n_held; k++)
        if (starts_holder(d, k) && top && holders++ == top)
            break;
    return k;
}

/* The tables --by-holder and --gone ask for. */
static void print_by_holder(const struct heap *nw, const struct paths *p, const struct diff *d, size_t top)
{
    struct strbuf name, shown;
    sb_init(&name);
    sb_init(&shown);
    printf("\nholders of new objects, by holder:\n     New      Bytes Holder\n");
    size_t n = held_entries(d, top);
    for (size_t k = 0; k < n; k++) {
        const struct diff_held *r = &d->held[k];
        if (starts_holder(d, k)) {
            sb_reset(&name);
            sb_reset(&shown);
            diff_holder_name(nw, p, r->holder, &name);
            hw_sb_escaped_str(&shown, sb_cstr(&name));
            if (r->holder != OBJ_NONE)
                printf("%8llu %10llu 0x%llx %s\n", (unsigned long long)r->holder_objects,
                       (unsigned long long)r->holder_bytes, (unsigned long long)nw->addr[r->holder], sb_cstr(&shown));
            else
                printf("%8llu %10llu %s\n", (unsigned long long)r->holder_objects,
                       (unsigned long long)r->holder_bytes, sb_cstr(&shown));
        }
        sb_reset(&shown);
        hw_sb_escaped_str(&shown, types_name(&nw->types, r->type));
        printf("%8llu %10llu   %s\n", (unsigned long long)r->objects, (unsigned long long)r->bytes, sb_cstr(&shown));
    }
    sb_free(&name);
    sb_free(&shown);
}

static void print_gone(const struct heap *old, const struct diff *d, size_t top)
{
    size_t n;
    obj_t *gone = diff_gone_objects(old, d, &n);
    struct strbuf sb;
    sb_init(&sb);
    printf("\ngone objects (in OLD, not in NEW):\n      Size Address        Object\n");
    for (size_t k = 0; k < n && (!top || k < top); k++) {
        sb_reset(&sb);
        refs_repr(old, gone[k], 200, &sb);
        printf("%10llu 0x%-12llx %s\n", (unsigned long long)heap_size(old, gone[k]),
               (unsigned long long)old->addr[gone[k]], sb_cstr(&sb));
    }
    sb_free(&sb);
    free(gone);
}

/* --by-holder and --gone in JSON: "by_holder": [{holder, name, objects,
 * bytes, types: [{type, objects, bytes}]}], "gone_objects": [{address,
 * type, size}]. */
static void json_by_holder(cJSON *root, const struct heap *nw, const struct paths *p, const struct diff *d,
                           size_t top)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "by_holder"), *it = NULL, *types = NULL;
    struct strbuf name;
    sb_init(&name);
    size_t n = held_entries(d, top);
    for (size_t k = 0; k < n; k++) {
        const struct diff_held *r = &d->held[k];
        if (starts_holder(d, k)) {
            it = cJSON_CreateObject();
            if (r->holder == OBJ_NONE)
                cJSON_AddNullToObject(it, "holder");
            else
                cli_json_u64(it, "holder", nw->addr[r->holder]);
            sb_reset(&name);
            diff_holder_name(nw, p, r->holder, &name);
            cJSON_AddStringToObject(it, "name", sb_cstr(&name));
            cli_json_u64(it, "objects", r->holder_objects);
            cli_json_u64(it, "bytes", r->holder_bytes);
            types = cJSON_AddArrayToObject(it, "types");
            cJSON_AddItemToArray(arr, it);
        }
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "type", types_name(&nw->types, r->type));
        cli_json_u64(t, "objects", r->objects);
        cli_json_u64(t, "bytes", r->bytes);
        cJSON_AddItemToArray(types, t);
    }
    sb_free(&name);
}

static void json_gone(cJSON *root, const struct heap *old, const struct diff *d, size_t top)
{
    size_t n;
    obj_t *gone = diff_gone_objects(old, d, &n);
    cJSON *arr = cJSON_AddArrayToObject(root, "gone_objects");
    for (size_t k = 0; k < n && (!top || k < top); k++) {
        cJSON *it = cJSON_CreateObject();
        cli_json_u64(it, "address", old->addr[gone[k]]);
        cJSON_AddStringToObject(it, "type", heap_type_name(old, gone[k]));
        cli_json_u64(it, "size", heap_size(old, gone[k]));
        cJSON_AddItemToArray(arr, it);
    }
    free(gone);
}

static cJSON *json_diff(const struct heap *nw, const struct diff *d, size_t top, int have_newer)
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
    return root;
}

struct diff_args {
    size_t top;
    int by_count, by_holder, gone;
};

static int diff_option(int c, const char *arg, void *ctx)
{
    struct diff_args *a = ctx;
    switch (c) {
    case OPT_TOP: return cli_parse_count("diff", "--top", arg, &a->top);
    case OPT_BY_COUNT: a->by_count = 1; return 0;
    case OPT_BY_HOLDER: a->by_holder = 1; return 0;
    case OPT_GONE: a->gone = 1; return 0;
    default: diff_usage(stderr); return -1;
    }
}

int cli_diff(int argc, char **argv)
{
    static const struct option options[] = {
        {"top", required_argument, NULL, OPT_TOP},
        {"by-count", no_argument, NULL, OPT_BY_COUNT},
        {"by-holder", no_argument, NULL, OPT_BY_HOLDER},
        {"gone", no_argument, NULL, OPT_GONE},
        {NULL, 0, NULL, 0},
    };
    static const struct cli_spec spec = {"diff", diff_usage, options, diff_option, 2, 3,
                                         "wants two dumps (OLD NEW) or three (OLD NEW NEWER)"};
    struct cli_common co;
    struct diff_args a = {20, 0, 0, 0};
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
    if (co.json) {
        cJSON *root = json_diff(&heaps[1], &d, top, ndumps == 3);
        if (a.by_holder)
            json_by_holder(root, &heaps[1], &paths, &d, top);
        if (a.gone)
            json_gone(root, &heaps[0], &d, top);
        cli_json_print(root);
    } else {
        print_text(&heaps[1], &d, argv[first], argv[first + 1], top, ndumps == 3);
        if (a.by_holder)
            print_by_holder(&heaps[1], &paths, &d, top);
        if (a.gone)
            print_gone(&heaps[0], &d, top);
    }
    diff_free(&d);
    paths_free(&paths);
    roots_free(&roots);
    status = EXIT_OK;
out:
    for (int k = 0; k < loaded; k++)
        heap_free(&heaps[k]);
    return status;
}
