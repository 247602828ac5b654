/* cli_suspects.c: heapwalk suspects: MAT-style leak suspects on retained sizes;
 * text, --json, --md. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diff.h"
#include "dominators.h"
#include "paths.h"
#include "refs.h"
#include "report.h"
#include "roots.h"
#include "suspects.h"

static void suspects_usage(FILE *to)
{
    fputs("usage: heapwalk suspects [--share PCT] [--top N] [--json | --md] [--raw] [--strict] [-q] DUMP [OLD]\n"
          "Leak suspects, as Eclipse MAT finds them, on retained sizes: single objects\n"
          "(roots of the dominator tree) and groups of objects of one type under one\n"
          "dominator that retain at least PCT percent of the heap; for each, its\n"
          "accumulation point (where the objects pile up), the path to it from a root,\n"
          "and what it holds by type. With OLD, an older dump of the same process: how\n"
          "much of what each suspect holds is new since OLD.\n"
          "  --share PCT   the share of the heap a suspect retains at least (default 10)\n"
          "  --top N       rows of each suspect's table by type (default 10; 0 for all)\n"
          "  --md          a Markdown report to paste into a ticket\n",
          to);
}

enum { OPT_SHARE = 1200, OPT_MD };

struct suspects_args {
    double share;
    size_t top;
    int md;
};

static int suspects_option(int c, const char *arg, void *ctx)
{
    struct suspects_args *a = ctx;
    char *end;
    switch (c) {
    case OPT_SHARE:
        a->share = strtod(arg, &end);
        if (end == arg || *end || !(a->share > 0 && a->share <= 100)) {
            fprintf(stderr, "heapwalk suspects: --share wants a percentage above 0 and at most 100, not '%s'\n", arg);
            return -1;
        }
        a->share /= 100;
        return 0;
    case OPT_TOP: return cli_parse_count("suspects", "--top", arg, &a->top);
    case OPT_MD: a->md = 1; return 0;
    default: suspects_usage(stderr); return -1;
    }
}

/* A one-line, escaped description of an object (meliae's repr). */
static void object_text(const struct heap *h, obj_t o, struct strbuf *out)
{
    struct strbuf r;
    sb_init(&r);
    refs_repr(h, o, 40, &r);
    report_escape_quoted(sb_cstr(&r), out);
    sb_free(&r);
}

static void title_text(const struct heap *h, const struct suspects *ss, const struct suspect *s, struct strbuf *out)
{
    if (s->is_group) {
        sb_printf(out, "%llu ", (unsigned long long)s->n_objects);
        report_escape_str(types_name(&h->types, s->type), out);
        sb_adds(out, " objects ");
        if (s->accumulation == OBJ_NONE)
            sb_adds(out, "with no holder but the roots");
        else {
            sb_adds(out, "held by ");
            object_text(h, s->accumulation, out);
        }
    } else {
        object_text(h, s->object, out);
    }
    sb_printf(out, " retain%s %llu bytes (%lld%% of the heap)", s->is_group ? "" : "s",
              (unsigned long long)s->retained, (long long)(s->retained * 100 / (ss->total ? ss->total : 1)));
}

/* The suspect's path from a root, escaped, or "(none)". */
static void path_text(const struct heap *h, const struct roots *r, const struct paths *p, const struct suspect *s,
                      struct strbuf *out)
{
    struct strbuf e;
    sb_init(&e);
    if (suspects_path(h, r, p, s, &e))
        report_escape_quoted(sb_cstr(&e), out);
    else
        sb_adds(out, "(none)");
    sb_free(&e);
}

static size_t holds_shown(const struct suspect *s, size_t top)
{
    return (top && top < s->n_holds) ? top : s->n_holds;
}

static void print_text(const struct heap *h, const struct roots *r, const struct paths *p, const struct suspects *ss,
                       const char *dump, const char *old, size_t top)
{
    struct strbuf sb;
    sb_init(&sb);
    report_escape_str(dump, &sb);
    printf("%s: %llu bytes; a suspect retains at least %llu bytes\n", sb_cstr(&sb), (unsigned long long)ss->total,
           (unsigned long long)ss->threshold);
    if (old) {
        sb_reset(&sb);
        report_escape_str(old, &sb);
        printf("new objects: not in %s\n", sb_cstr(&sb));
    }
    if (ss->n == 0)
        printf("no suspects\n");
    for (size_t j = 0; j < ss->n; j++) {
        const struct suspect *s = &ss->list[j];
        sb_reset(&sb);
        title_text(h, ss, s, &sb);
        printf("\nSuspect %zu: %s\n", j + 1, sb_cstr(&sb));
        if (!s->is_group) {
            sb_reset(&sb);
            object_text(h, s->accumulation, &sb);
            printf("  accumulation point: %s retains %llu bytes\n", sb_cstr(&sb), (unsigned long long)s->acc_retained);
        }
        sb_reset(&sb);
        path_text(h, r, p, s, &sb);
        printf("  path: %s\n", sb_cstr(&sb));
        printf("  holds %llu objects, %llu bytes", (unsigned long long)s->held_objects,
               (unsigned long long)s->held_bytes);
        if (ss->have_old)
            printf("; new since OLD: %llu objects, %llu bytes", (unsigned long long)s->new_objects,
                   (unsigned long long)s->new_bytes);
        printf("\n    Objects      Bytes%s Kind\n", ss->have_old ? "        New  New bytes" : "");
        for (size_t k = 0, n = holds_shown(s, top); k < n; k++) {
            const struct suspect_type *t = &s->holds[k];
            sb_reset(&sb);
            report_escape_str(types_name(&h->types, t->type), &sb);
            printf("  %9llu %10llu", (unsigned long long)t->count, (unsigned long long)t->bytes);
            if (ss->have_old)
                printf(" %10llu %10llu", (unsigned long long)t->new_count, (unsigned long long)t->new_bytes);
            printf(" %s\n", sb_cstr(&sb));
        }
    }
    sb_free(&sb);
}

static void print_md(const struct heap *h, const struct roots *r, const struct paths *p, const struct suspects *ss,
                     const char *dump, const char *old, size_t top)
{
    struct strbuf sb;
    sb_init(&sb);
    report_md_text(dump, &sb);
    printf("# Leak suspects in %s\n\n", sb_cstr(&sb));
    printf("Heap: %llu bytes. A suspect retains at least %llu bytes.", (unsigned long long)ss->total,
           (unsigned long long)ss->threshold);
    if (old) {
        sb_reset(&sb);
        report_md_text(old, &sb);
        printf(" New objects: not in %s.", sb_cstr(&sb));
    }
    printf("\n");
    if (ss->n == 0)
        printf("\nNo suspects.\n");
    for (size_t j = 0; j < ss->n; j++) {
        const struct suspect *s = &ss->list[j];
        struct strbuf t;
        sb_init(&t);
        title_text(h, ss, s, &t);
        sb_reset(&sb);
        report_md_text(sb_cstr(&t), &sb);
        printf("\n## Suspect %zu\n\n%s\n\n", j + 1, sb_cstr(&sb));
        if (!s->is_group) {
            sb_reset(&t);
            object_text(h, s->accumulation, &t);
            sb_reset(&sb);
            report_md_text(sb_cstr(&t), &sb);
            printf("- **Accumulation point:** %s, retains %llu bytes\n", sb_cstr(&sb),
                   (unsigned long long)s->acc_retained);
        }
        sb_reset(&t);
        path_text(h, r, p, s, &t);
        sb_reset(&sb);
        report_md_text(sb_cstr(&t), &sb);
        printf("- **Path from a root:** %s\n", sb_cstr(&sb));
        printf("- **Holds:** %llu objects, %llu bytes\n", (unsigned long long)s->held_objects,
               (unsigned long long)s->held_bytes);
        if (ss->have_old)
            printf("- **New since the older dump:** %llu objects, %llu bytes\n", (unsigned long long)s->new_objects,
                   (unsigned long long)s->new_bytes);
        printf("\n| Kind | Objects | Bytes |%s\n|---|---:|---:|%s\n", ss->have_old ? " New | New bytes |" : "",
               ss->have_old ? "---:|---:|" : "");
        for (size_t k = 0, n = holds_shown(s, top); k < n; k++) {
            const struct suspect_type *ty = &s->holds[k];
            sb_reset(&sb);
            report_md_text(types_name(&h->types, ty->type), &sb);
            printf("| %s | %llu | %llu |", sb_cstr(&sb), (unsigned long long)ty->count,
                   (unsigned long long)ty->bytes);
            if (ss->have_old)
                printf(" %llu | %llu |", (unsigned long long)ty->new_count, (unsigned long long)ty->new_bytes);
            printf("\n");
        }
        sb_free(&t);
    }
    sb_free(&sb);
}

static void print_json(const struct heap *h, const struct roots *r, const struct paths *p, const struct suspects *ss,
                       size_t top)
{
    cJSON *root = cJSON_CreateObject();
    cli_json_u64(root, "total_bytes", ss->total);
    cli_json_u64(root, "threshold_bytes", ss->threshold);
    cJSON *arr = cJSON_AddArrayToObject(root, "suspects");
    struct strbuf sb;
    sb_init(&sb);
    for (size_t j = 0; j < ss->n; j++) {
        const struct suspect *s = &ss->list[j];
        cJSON *it = cJSON_CreateObject();
        cJSON_AddStringToObject(it, "kind", s->is_group ? "group" : "object");
        cJSON_AddStringToObject(it, "type", types_name(&h->types, s->type));
        cli_json_u64(it, "objects", s->n_objects);
        cli_json_u64(it, "address", h->addr[s->object]);
        cli_json_u64(it, "retained", s->retained);
        if (s->accumulation == OBJ_NONE) {
            cJSON_AddNullToObject(it, "accumulation_point");
        } else {
            cJSON *acc = cJSON_AddObjectToObject(it, "accumulation_point");
            cli_json_u64(acc, "address", h->addr[s->accumulation]);
            cJSON_AddStringToObject(acc, "type", heap_type_name(h, s->accumulation));
            cli_json_u64(acc, "retained", s->acc_retained);
        }
        sb_reset(&sb);
        if (suspects_path(h, r, p, s, &sb))
            cJSON_AddStringToObject(it, "path", sb_cstr(&sb));
        else
            cJSON_AddNullToObject(it, "path");
        cli_json_u64(it, "held_objects", s->held_objects);
        cli_json_u64(it, "held_bytes", s->held_bytes);
        if (ss->have_old) {
            cli_json_u64(it, "new_objects", s->new_objects);
            cli_json_u64(it, "new_bytes", s->new_bytes);
        }
        cJSON *holds = cJSON_AddArrayToObject(it, "holds");
        for (size_t k = 0, n = holds_shown(s, top); k < n; k++) {
            const struct suspect_type *t = &s->holds[k];
            cJSON *row = cJSON_CreateObject();
            cJSON_AddStringToObject(row, "type", types_name(&h->types, t->type));
            cli_json_u64(row, "objects", t->count);
            cli_json_u64(row, "bytes", t->bytes);
            if (ss->have_old) {
                cli_json_u64(row, "new_objects", t->new_count);
                cli_json_u64(row, "new_bytes", t->new_bytes);
            }
            cJSON_AddItemToArray(holds, row);
        }
        cJSON_AddItemToArray(arr, it);
    }
    sb_free(&sb);
    cli_json_print(root);
}

int cli_suspects(int argc, char **argv)
{
    static const struct option options[] = {
        {"share", required_argument, NULL, OPT_SHARE},
        {"top", required_argument, NULL, OPT_TOP},
        {"md", no_argument, NULL, OPT_MD},
        {NULL, 0, NULL, 0},
    };
    static const struct cli_spec spec = {"suspects", suspects_usage, options, suspects_option, 1, 2,
                                         "wants a dump, and optionally an older dump of the same process"};
    struct cli_common co;
    struct suspects_args a = {SUSPECTS_DEFAULT_SHARE, 10, 0};
    int first, status = cli_parse(&spec, argc, argv, &co, &a, &first);
    if (status < 0 && co.json && a.md) {
        fputs("heapwalk suspects: --json and --md: pick one\n", stderr);
        status = EXIT_USAGE;
    }
    if (status >= 0)
        return status;
    const char *dump = argv[first], *old_path = argc - first == 2 ? argv[first + 1] : NULL;
    struct heap h;
    if (cli_open(dump, &co, &h) < 0)
        return EXIT_FAIL;
    struct roots roots;
    struct paths paths;
    struct dominators dom;
    cli_analyse(&h, NULL, 0, 0, &roots, &paths, &dom);
    struct diff diff;
    int have_diff = 0;
    if (old_path) {
        struct heap old;
        if (cli_open(old_path, &co, &old) < 0) {
            status = EXIT_FAIL;
            goto out;
        }
        diff_compute(&old, &h, NULL, &paths, &diff);
        heap_free(&old);
        have_diff = 1;
    }
    struct suspects ss;
    suspects_compute(&h, &roots, &dom, have_diff ? diff.is_new : NULL, a.share, &ss);
    if (co.json)
        print_json(&h, &roots, &paths, &ss, a.top);
    else if (a.md)
        print_md(&h, &roots, &paths, &ss, dump, old_path, a.top);
    else
        print_text(&h, &roots, &paths, &ss, dump, old_path, a.top);
    suspects_free(&ss);
    status = EXIT_OK;
out:
    if (have_diff)
        diff_free(&diff);
    dominators_free(&dom);
    paths_free(&paths);
    roots_free(&roots);
    heap_free(&h);
    return status;
}
