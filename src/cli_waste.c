/* cli_waste.c: heapwalk waste: duplicate strings, empty and over-allocated
 * containers, instances that __slots__ would shrink; text and --json. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "refs.h"
#include "report.h"
#include "waste.h"
#include "waste_text.h"

static void waste_usage(FILE *to)
{
    fputs("usage: heapwalk waste [--top N] [--json] [--strict] [-q] DUMP\n"
          "Memory the program could get back without changing what it stores:\n"
          "duplicate strings and bytes (the bytes one copy of each value would save;\n"
          "values the scanner cut at 100 characters are never counted as equal), empty\n"
          "containers, containers bigger than CPython makes them for their len, and\n"
          "per class, what __slots__ would save on instances with a __dict__. The dump\n"
          "is read with instance __dict__s kept as objects (as --raw), to size them.\n"
          "  --top N   values and objects listed (default 20; 0 for all)\n",
          to);
}

struct waste_args {
    size_t top;
};

static int waste_option(int c, const char *arg, void *ctx)
{
    struct waste_args *a = ctx;
    switch (c) {
    case OPT_TOP: return cli_parse_count("waste", "--top", arg, &a->top);
    default: waste_usage(stderr); return -1;
    }
}

static void print_text(const struct heap *h, const struct waste *w, const char *dump, size_t top)
{
    struct strbuf sb;
    sb_init(&sb);
    report_escape_str(dump, &sb);
    printf("%s: waste\n\n", sb_cstr(&sb));
    sb_free(&sb);
    struct waste_lines lines;
    waste_text(h, w, top, &lines);
    for (size_t k = 0; k < lines.n; k++)
        printf("%s\n", lines.list[k].text);
    waste_lines_free(&lines);
}

static void print_json(const struct heap *h, const struct waste *w, size_t top)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *dup = cJSON_AddObjectToObject(root, "duplicates");
    cli_json_u64(dup, "saving", w->dup_saving);
    cJSON *arr = cJSON_AddArrayToObject(dup, "types");
    for (size_t k = 0; k < w->n_strings; k++) {
        const struct waste_strings *s = &w->strings[k];
        cJSON *it = cJSON_CreateObject();
        cJSON_AddStringToObject(it, "type", types_name(&h->types, s->type));
        cli_json_u64(it, "objects", s->objects);
        cli_json_u64(it, "bytes", s->bytes);
        cli_json_u64(it, "values", s->dup_values);
        cli_json_u64(it, "copies", s->dup_copies);
        cli_json_u64(it, "saving", s->saving);
        cli_json_u64(it, "cut", s->cut);
        cli_json_u64(it, "cut_bytes", s->cut_bytes);
        cJSON_AddItemToArray(arr, it);
    }
    arr = cJSON_AddArrayToObject(dup, "values");
    for (size_t k = 0; k < w->n_dups; k++) {
        const struct waste_dup *d = &w->dups[k];
        cJSON *it = cJSON_CreateObject();
        size_t len;
        const char *s = heap_str(h, d->example, &len);
        cJSON_AddStringToObject(it, "type", types_name(&h->types, d->type));
        if (memchr(s, '\0', len)) { /* JSON text from cJSON stops at a NUL: write it escaped */
            struct strbuf e;
            sb_init(&e);
            report_escape(s, len, &e);
            cJSON_AddStringToObject(it, "value", sb_cstr(&e));
            cJSON_AddTrueToObject(it, "escaped");
            sb_free(&e);
        } else {
            cJSON_AddStringToObject(it, "value", s);
        }
        cli_json_u64(it, "copies", d->copies);
        cli_json_u64(it, "bytes", d->bytes);
        cli_json_u64(it, "saving", d->saving);
        cli_json_u64(it, "example", h->addr[d->example]);
        cJSON *hs = cJSON_AddArrayToObject(it, "holders");
        for (size_t j = 0; j < d->n_holders; j++) {
            cJSON *hd = cJSON_CreateObject();
            cJSON_AddStringToObject(hd, "type", d->holders[j].name);
            cJSON_AddBoolToObject(hd, "instance_dict", d->holders[j].instance_dict);
            cli_json_u64(hd, "copies", d->holders[j].copies);
            cJSON_AddItemToArray(hs, hd);
        }
        cJSON_AddItemToArray(arr, it);
    }
    arr = cJSON_AddArrayToObject(root, "containers");
    for (size_t k = 0; k < w->n_containers; k++) {
        const struct waste_container *c = &w->containers[k];
        cJSON *it = cJSON_CreateObject();
        cJSON_AddStringToObject(it, "type", types_name(&h->types, c->type));
        cli_json_u64(it, "objects", c->objects);
        cli_json_u64(it, "bytes", c->bytes);
        cli_json_u64(it, "empty", c->empty);
        cli_json_u64(it, "empty_bytes", c->empty_bytes);
        cJSON_AddBoolToObject(it, "assessed", c->assessed);
        cli_json_u64(it, "over", c->over);
        cli_json_u64(it, "over_bytes", c->over_bytes);
        cli_json_u64(it, "excess", c->excess);
        cJSON_AddItemToArray(arr, it);
    }
    arr = cJSON_AddArrayToObject(root, "over_allocated");
    for (size_t k = 0; k < w->n_over; k++) {
        cJSON *it = cJSON_CreateObject();
        obj_t o = w->over[k].object;
        cli_json_u64(it, "address", h->addr[o]);
        cJSON_AddStringToObject(it, "type", heap_type_name(h, o));
        cli_json_u64(it, "size", heap_size(h, o));
        cli_json_u64(it, "len", heap_len(h, o));
        cli_json_u64(it, "excess", w->over[k].excess);
        cJSON_AddItemToArray(arr, it);
    }
    cJSON *sl = cJSON_AddObjectToObject(root, "slots");
    cli_json_u64(sl, "saving", w->slots_saving);
    arr = cJSON_AddArrayToObject(sl, "classes");
    for (size_t k = 0; k < w->n_classes && (!top || k < top); k++) {
        const struct waste_class *c = &w->classes[k];
        cJSON *it = cJSON_CreateObject();
        cJSON_AddStringToObject(it, "class", c->name);
        cli_json_u64(it, "instances", c->instances);
        cli_json_u64(it, "dict_bytes", c->dict_bytes);
        cli_json_u64(it, "attributes", c->attributes);
        cli_json_u64(it, "saving", c->saving);
        cJSON_AddItemToArray(arr, it);
    }
    cli_json_print(root);
}

int cli_waste(int argc, char **argv)
{
    static const struct option options[] = {
        {"top", required_argument, NULL, OPT_TOP},
        {NULL, 0, NULL, 0},
    };
    static const struct cli_spec spec = {"waste", waste_usage, options, waste_option, 1, 1, "wants one dump"};
    struct cli_common co;
    struct waste_args a = {20};
    int first, status = cli_parse(&spec, argc, argv, &co, &a, &first);
    if (status >= 0)
        return status;
    co.load.collapse = 0; /* the instance dicts stay objects: their sizes are the __slots__ saving */
    struct heap h;
    if (cli_open(argv[first], &co, &h) < 0)
        return EXIT_FAIL;
    struct waste w;
    waste_compute(&h, a.top, &w);
    if (co.json)
        print_json(&h, &w, a.top);
    else
        print_text(&h, &w, argv[first], a.top);
    waste_free(&w);
    heap_free(&h);
    return EXIT_OK;
}
