/* cli_path.c: the batch subcommands about what keeps objects alive:
 * path (shortest paths to roots) and roots (the roots and orphan candidates). */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "paths.h"
#include "refs.h"
#include "roots.h"

/* Options naming objects and edge kinds, shared by path and dot. */
struct addr_list {
    uint64_t *a;
    size_t n;
};

static int addr_list_add(const char *cmd, const char *opt, struct addr_list *l, const char *s)
{
    uint64_t v;
    if (hw_parse_addr(s, &v) < 0) {
        hw_eprintf("heapwalk %s: %s wants an address (decimal, or hex with 0x), not '%s'\n", cmd, opt, s);
        return -1;
    }
    l->a = xreallocarray(l->a, l->n + 1, sizeof *l->a, "the option list");
    l->a[l->n++] = v;
    return 0;
}

/* Resolve addresses to objects; prints and returns -1 for an unknown one. */
static obj_t *resolve_all(const struct heap *h, const char *path, const struct addr_list *l)
{
    obj_t *o = xmalloc((l->n ? l->n : 1) * sizeof *o, "the option list");
    for (size_t k = 0; k < l->n; k++) {
        o[k] = cli_find(h, path, l->a[k]);
        if (o[k] == OBJ_NONE) {
            free(o);
            return NULL;
        }
    }
    return o;
}

int cli_parse_kinds(const char *s, unsigned *kinds)
{
    char *copy = xstrdup(s, "an option"), *save = NULL;
    int rc = 0;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, "globals") == 0)
            *kinds |= EDGE_GLOBALS;
        else if (strcmp(t, "builtins") == 0)
            *kinds |= EDGE_BUILTINS;
        else if (strcmp(t, "type") == 0)
            *kinds |= EDGE_TYPE;
        else
            rc = -1;
    }
    free(copy);
    return rc;
}

/* --- path --- */

static void path_usage(FILE *to)
{
    fputs("usage: heapwalk path [--json] [--all N] [--root ADDR]... [--avoid ADDR]...\n"
          "                     [--exclude KIND[,KIND]] [--raw] [--strict] [-q] ADDR DUMP\n"
          "       heapwalk path [--json] [--reverse] --from QUERY --to QUERY DUMP\n"
          "Prints the shortest path from a root to the object at ADDR, one hop per line:\n"
          "distance, repr, and how the hop refers to the next ([3], ['key'], .attr; where\n"
          "the dump lacks the key, [<#K>] or .<#K>: the dict's entry K, from 0; .<ref #K>:\n"
          "its ref K); then the path as a Python-like expression.\n"
          "  --all N        up to N shortest simple paths\n"
          "  --root ADDR    treat ADDR as a root too (pinned)\n"
          "  --avoid ADDR   find paths that do not go through ADDR\n"
          "  --exclude KIND never follow edges of a kind: globals (a function's\n"
          "                 __globals__), builtins, type (refs to classes)\n"
          "Roots: modules, frames no other frame refers to, pinned objects, then one object\n"
          "per group of objects nothing else reaches (see heapwalk roots).\n"
          "--from and --to name two sets by queries (see heapwalk sql): the shortest path\n"
          "from any object of the first to any of the second, along references, or with\n"
          "--reverse against them (each hop is referred to by the next).\n",
          to);
}

/* classes: refs_class_counts, so a hop whose class shares its name reads a.Record. */
static void path_print_text(const struct heap *h, const struct roots *r, const uint32_t *classes, obj_t *path,
                            size_t len, size_t index, size_t total)
{
    struct strbuf sb, lab;
    sb_init(&sb);
    sb_init(&lab);
    printf("path %zu of %zu: %zu hop%s from a %s root\n", index + 1, total, len - 1, len == 2 ? "" : "s",
           roots_kind_name((enum root_kind)r->kind[path[0]]));
    for (size_t k = 0; k < len; k++) {
        sb_reset(&sb);
        sb_reset(&lab);
        refs_repr_class(h, classes, path[k], 60, &sb);
        if (k + 1 < len)
            paths_edge_label(h, path[k], path[k + 1], &lab);
        printf("%4zu  %s%s%s\n", k, sb_cstr(&sb), k + 1 < len ? "  -> " : "", k + 1 < len ? sb_cstr(&lab) : "");
    }
    sb_reset(&sb);
    paths_expression(h, r, path, len, &sb);
    printf("  %s\n", sb_cstr(&sb));
    sb_free(&sb);
    sb_free(&lab);
}

static cJSON *path_json(const struct heap *h, const struct roots *r, const uint32_t *classes, obj_t *path,
                        size_t len)
{
    cJSON *o = cJSON_CreateObject();
    struct strbuf sb;
    sb_init(&sb);
    cJSON_AddStringToObject(o, "root_kind", roots_kind_name((enum root_kind)r->kind[path[0]]));
    cli_json_u64(o, "length", len - 1);
    paths_expression(h, r, path, len, &sb);
    cJSON_AddStringToObject(o, "expression", sb_cstr(&sb));
    cJSON *hops = cJSON_AddArrayToObject(o, "hops");
    for (size_t k = 0; k < len; k++) {
        cJSON *hop = cJSON_CreateObject();
        cli_json_u64(hop, "distance", k);
        cli_json_u64(hop, "address", h->addr[path[k]]);
        cJSON_AddStringToObject(hop, "type", heap_type_name(h, path[k]));
        sb_reset(&sb);
        if (refs_qualified_class_counted(h, classes, path[k], &sb))
            cJSON_AddStringToObject(hop, "class", sb_cstr(&sb));
        sb_reset(&sb);
        refs_repr_class(h, classes, path[k], 0, &sb);
        cJSON_AddStringToObject(hop, "repr", sb_cstr(&sb));
        if (k + 1 < len) {
            sb_reset(&sb);
            paths_edge_label(h, path[k], path[k + 1], &sb);
            cJSON_AddStringToObject(hop, "edge", sb_cstr(&sb));
        }
        cJSON_AddItemToArray(hops, hop);
    }
    sb_free(&sb);
    return o;
}

struct path_args {
    struct addr_list pins, avoid;
    unsigned kinds;
    size_t all;
    const char *from, *to;   /* queries naming two sets */
    int reverse;
};

enum { OPT_FROM = 2100, OPT_TO, OPT_REVERSE };

static int path_option(int c, const char *arg, void *ctx)
{
    struct path_args *a = ctx;
    switch (c) {
    case OPT_ALL:
        if (open_count_value(arg, &a->all) < 0 || a->all == 0 || a->all > 100) {
            hw_eprintf("heapwalk path: --all takes 1 to 100, not '%s'\n", arg);
            return -1;
        }
        return 0;
    case OPT_ROOT: return addr_list_add("path", "--root", &a->pins, arg);
    case OPT_AVOID: return addr_list_add("path", "--avoid", &a->avoid, arg);
    case OPT_FROM: a->from = arg; return 0;
    case OPT_TO: a->to = arg; return 0;
    case OPT_REVERSE: a->reverse = 1; return 0;
    case OPT_EXCLUDE:
        if (cli_parse_kinds(arg, &a->kinds) < 0) {
            hw_eprintf("heapwalk path: --exclude takes globals, builtins or type, not '%s'\n", arg);
            return -1;
        }
        return 0;
    default: path_usage(stderr); return -1;
    }
}

int cli_path(int argc, char **argv)
{
    static const struct option options[] = {
        {"all", required_argument, NULL, OPT_ALL},
        {"root", required_argument, NULL, OPT_ROOT},
        {"avoid", required_argument, NULL, OPT_AVOID},
        {"exclude", required_argument, NULL, OPT_EXCLUDE},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"reverse", no_argument, NULL, OPT_REVERSE},
        {NULL, 0, NULL, 0},
    };
    static const struct cli_spec spec = {"path", path_usage, options, path_option, 1, 2,
                                         "wants an address and a dump, or --from and --to and a dump"};
    struct cli_common co;
    struct path_args a = {{NULL, 0}, {NULL, 0}, 0, 1, NULL, NULL, 0};
    int first, status = cli_parse(&spec, argc, argv, &co, &a, &first);
    if (status >= 0)
        goto out;
    status = EXIT_USAGE;
    if ((a.from || a.to || a.reverse) != (argc - first == 1) || !a.from != !a.to) {
        fprintf(stderr, "heapwalk path: wants an address and a dump, or --from QUERY --to QUERY and a dump\n");
        path_usage(stderr);
        goto out;
    }
    if (a.from) {
        status = cli_path_sets(a.from, a.to, a.reverse, &co, argv[first]);
        goto out;
    }
    uint64_t addr;
    if (cli_parse_addr("path", argv[first], &addr) < 0)
        goto out;
    const char *dump = argv[first + 1];
    struct heap h;
    status = EXIT_FAIL;
    if (cli_open(dump, &co, &h) < 0)
        goto out;
    obj_t target = cli_find(&h, dump, addr);
    if (target == OBJ_NONE)
        goto out_heap;
    obj_t *pinned = resolve_all(&h, dump, &a.pins), *avoided = resolve_all(&h, dump, &a.avoid);
    if (!pinned || !avoided) {
        free(pinned);
        free(avoided);
        goto out_heap;
    }
    struct roots roots;
    cli_analyse(&h, pinned, a.pins.n, a.kinds, &roots, NULL, NULL);
    struct path_filter f = {a.kinds, avoided, a.avoid.n, NULL, 0};
    obj_t **paths;
    size_t *lens;
    double t0 = hw_now();
    size_t np = paths_find_k(&h, &roots, target, &f, a.all, &paths, &lens);
    cli_timing("path search", t0);
    uint32_t *classes = refs_class_counts(&h);
    if (np == 0) {
        hw_eprintf("heapwalk: %s: no path from a root to %llu avoids what was excluded\n", dump,
                (unsigned long long)addr);
    } else if (co.json) {
        cJSON *root = cJSON_CreateObject();
        cli_json_u64(root, "target", addr);
        cJSON *arr = cJSON_AddArrayToObject(root, "paths");
        for (size_t k = 0; k < np; k++)
            cJSON_AddItemToArray(arr, path_json(&h, &roots, classes, paths[k], lens[k]));
        cli_json_print(root);
        status = EXIT_OK;
    } else {
        for (size_t k = 0; k < np; k++) {
            if (k)
                putchar('\n');
            path_print_text(&h, &roots, classes, paths[k], lens[k], k, np);
        }
        status = EXIT_OK;
    }
    free(classes);
    for (size_t k = 0; k < np; k++)
        free(paths[k]);
    free(paths);
    free(lens);
    free(pinned);
    free(avoided);
    roots_free(&roots);
out_heap:
    heap_free(&h);
out:
    free(a.pins.a);
    free(a.avoid.a);
    return status;
}

/* --- roots --- */

static void roots_usage(FILE *to)
{
    fputs("usage: heapwalk roots [--json] [--limit N] [--raw] [--strict] [-q] DUMP\n"
          "Lists the roots heapwalk uses for paths: anchors (modules, frames that no\n"
          "other frame refers to), then structural roots (one object for each group that\n"
          "nothing else reaches), and the orphan candidates: objects with no parent that\n"
          "are not anchors (held by C code, or leaked references). --limit N: the first N\n"
          "of each list (default 20; 0 for all).\n",
          to);
}

static void roots_list_text(const struct heap *h, const char *title, const obj_t *o, size_t n, size_t limit)
{
    struct strbuf sb;
    sb_init(&sb);
    printf("%s (%zu):\n", title, n);
    for (size_t k = 0; k < n && (!limit || k < limit); k++) {
        sb_reset(&sb);
        refs_repr(h, o[k], 60, &sb);
        printf("  %s\n", sb_cstr(&sb));
    }
    if (limit && n > limit)
        printf("  ... %zu more (--limit)\n", n - limit);
    sb_free(&sb);
}

static cJSON *roots_list_json(const struct heap *h, const struct roots *r, const obj_t *o, size_t n, size_t limit)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t k = 0; k < n && (!limit || k < limit); k++) {
        cJSON *it = cJSON_CreateObject();
        cli_json_u64(it, "address", h->addr[o[k]]);
        cJSON_AddStringToObject(it, "type", heap_type_name(h, o[k]));
        if (r->kind[o[k]])
            cJSON_AddStringToObject(it, "kind", roots_kind_name((enum root_kind)r->kind[o[k]]));
        cJSON_AddItemToArray(arr, it);
    }
    return arr;
}

static int roots_option(int c, const char *arg, void *ctx)
{
    if (c != OPT_LIMIT) {
        roots_usage(stderr);
        return -1;
    }
    return cli_parse_count("roots", "--limit", arg, ctx);
}

int cli_roots(int argc, char **argv)
{
    static const struct option options[] = {
        {"limit", required_argument, NULL, OPT_LIMIT},
        {NULL, 0, NULL, 0},
    };
    static const struct cli_spec spec = {"roots", roots_usage, options, roots_option, 1, 1, "wants one dump"};
    struct cli_common co;
    size_t limit = 20;
    int first, status = cli_parse(&spec, argc, argv, &co, &limit, &first);
    if (status >= 0)
        return status;
    struct heap h;
    if (cli_open(argv[first], &co, &h) < 0)
        return EXIT_FAIL;
    struct roots roots;
    cli_analyse(&h, NULL, 0, 0, &roots, NULL, NULL);
    size_t nmod = 0, nframe = 0, nthread = 0;
    for (size_t k = 0; k < roots.n_anchor; k++) {
        nthread += roots.kind[roots.list[k]] == ROOT_THREAD;
        nmod += roots.kind[roots.list[k]] == ROOT_MODULE;
        nframe += roots.kind[roots.list[k]] == ROOT_FRAME;
    }
    if (co.json) {
        cJSON *root = cJSON_CreateObject();
        cli_json_u64(root, "threads", nthread);
        cli_json_u64(root, "modules", nmod);
        cli_json_u64(root, "frames", nframe);
        cli_json_u64(root, "structural", roots.n - roots.n_anchor);
        cli_json_u64(root, "orphans", roots.n_orphans);
        cJSON_AddItemToObject(root, "anchor_roots", roots_list_json(&h, &roots, roots.list, roots.n_anchor, limit));
        cJSON_AddItemToObject(root, "structural_roots",
                              roots_list_json(&h, &roots, roots.list + roots.n_anchor, roots.n - roots.n_anchor, limit));
        cJSON_AddItemToObject(root, "orphan_candidates",
                              roots_list_json(&h, &roots, roots.orphans, roots.n_orphans, limit));
        cli_json_print(root);
    } else {
        printf("%zu anchor roots (", roots.n_anchor);
        if (nthread) /* only dumps with threads (heapwalk's scanner) say so */
            printf("%zu thread%s, ", nthread, nthread == 1 ? "" : "s");
        printf("%zu modules, %zu frames), %zu structural roots, %zu orphan candidates\n", nmod, nframe,
               roots.n - roots.n_anchor, roots.n_orphans);
        roots_list_text(&h, "anchor roots", roots.list, roots.n_anchor, limit);
        roots_list_text(&h, "structural roots", roots.list + roots.n_anchor, roots.n - roots.n_anchor, limit);
        roots_list_text(&h, "orphan candidates (no parent, not an anchor)", roots.orphans, roots.n_orphans, limit);
    }
    roots_free(&roots);
    heap_free(&h);
    return EXIT_OK;
}
