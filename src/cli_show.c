/* cli_show.c: heapwalk show: objects with their children, parents, refs as
 * dict, retained size and immediate dominator. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dominators.h"
#include "escape.h"
#include "positions.h"
#include "refs.h"
#include "roots.h"
#include "summary.h"

/* cJSON strings are C strings: a value with a NUL byte is cut there. */
static void json_str(cJSON *obj, const char *key, const struct heap *h, obj_t i)
{
    size_t len;
    const char *s = heap_str(h, i, &len);
    if (!s)
        return;
    if (!memchr(s, '\0', len)) {
        cJSON_AddStringToObject(obj, key, s);
        return;
    }
    /* cJSON strings end at a NUL: write this one whole, NUL as \u0000. */
    struct strbuf sb;
    sb_init(&sb);
    hw_sb_json(&sb, s, len);
    cJSON_AddRawToObject(obj, key, sb_cstr(&sb));
    sb_free(&sb);
}

static void show_usage(FILE *to)
{
    fputs("usage: heapwalk show [--json] [--limit N] [--full] [--raw] [--strict] [-q] ADDR... DUMP\n"
          "Prints each object at ADDR (decimal or 0x-hex): its repr, every child and\n"
          "parent (each as a repr; --limit N shows the first N of each), and for dicts,\n"
          "modules and instances the refs as key: value pairs. With --json, one JSON\n"
          "object per address, one per line. An unknown address is an error (exit 1).\n"
          "The values of children, parents and dict items are cut at 1024 bytes (\"...\");\n"
          "--full shows them whole.\n",
          to);
}

static cJSON *json_ref(const struct heap *h, uint32_t child, size_t cut)
{
    cJSON *o = cJSON_CreateObject();
    struct strbuf sb;
    sb_init(&sb);
    cli_json_u64(o, "address", heap_child_addr(h, child));
    if (heap_is_dangling(child)) {
        cJSON_AddBoolToObject(o, "missing", 1);
    } else {
        cJSON_AddStringToObject(o, "type", heap_type_name(h, child));
        refs_repr(h, child, cut, &sb);
        cJSON_AddStringToObject(o, "repr", sb_cstr(&sb));
    }
    sb_free(&sb);
    return o;
}

static const char *layout_name(enum dict_layout l)
{
    switch (l) {
    case DICT_KEY_VALUE: return "key-value";
    case DICT_VALUE_KEY: return "value-key";
    case DICT_VALUES_ONLY: return "values-only";
    case DICT_KEYS_THEN_VALUES: return "keys-then-values";
    default: return "none";
    }
}

static void show_json(const struct heap *h, const struct dominators *d, obj_t i, size_t limit, size_t cut)
{
    cJSON *root = cJSON_CreateObject();
    struct strbuf sb;
    sb_init(&sb);
    cli_json_u64(root, "address", h->addr[i]);
    cJSON_AddStringToObject(root, "type", heap_type_name(h, i));
    cli_json_u64(root, "size", heap_size(h, i));
    if (h->flags[i] & OF_HAS_LEN)
        cli_json_u64(root, "len", heap_len(h, i));
    if (h->flags[i] & OF_NAME)
        json_str(root, "name", h, i);
    if (h->flags[i] & OF_VALUE)
        json_str(root, "value", h, i);
    if (h->flags[i] & OF_VALUE_NUM) {
        size_t len;
        const char *s = heap_str(h, i, &len);
        cJSON_AddRawToObject(root, "value", s);
    }
    if (h->flags[i] & OF_VALUE_NULL)
        cJSON_AddNullToObject(root, "value");
    cJSON_AddBoolToObject(root, "collapsed", (h->flags[i] & OF_COLLAPSED) != 0);
    if (refs_qualified_class(h, i, &sb))
        cJSON_AddStringToObject(root, "class", sb_cstr(&sb));
    sb_reset(&sb);
    refs_repr(h, i, 0, &sb);
    cJSON_AddStringToObject(root, "repr", sb_cstr(&sb));
    cli_json_u64(root, "retained", d->retained[i]);
    if (d->idom[i] == OBJ_NONE) {
        cJSON_AddNullToObject(root, "idom");
    } else {
        cli_json_u64(root, "idom", h->addr[d->idom[i]]);
        sb_reset(&sb);
        refs_repr(h, d->idom[i], 0, &sb);
        cJSON_AddStringToObject(root, "idom_repr", sb_cstr(&sb));
    }
    cli_json_u64(root, "num_children", heap_nchildren(h, i));
    cli_json_u64(root, "num_parents", heap_nparents(h, i));
    cJSON *arr = cJSON_AddArrayToObject(root, "children");
    /* All positions at once: one by one, each would read the dict again. */
    size_t nc = heap_nchildren(h, i);
    struct position *pos = xmalloc((nc ? nc : 1) * sizeof *pos, "the positions of refs");
    positions_of_all(h, i, pos);
    for (size_t k = 0; k < nc && (!limit || k < limit); k++) {
        cJSON *ref = json_ref(h, heap_children(h, i)[k], cut);
        sb_reset(&sb);
        positions_label(h, &pos[k], &sb);
        cJSON_AddStringToObject(ref, "label", sb_cstr(&sb));
        cJSON_AddItemToArray(arr, ref);
    }
    free(pos);
    arr = cJSON_AddArrayToObject(root, "parents");
    for (size_t k = 0; k < heap_nparents(h, i) && (!limit || k < limit); k++)
        cJSON_AddItemToArray(arr, json_ref(h, heap_parents(h, i)[k], cut));
    struct dict_view dv;
    if (refs_as_dict(h, i, &dv) == 0) {
        cJSON *dj = cJSON_AddObjectToObject(root, "dict");
        cJSON_AddStringToObject(dj, "layout", layout_name(dv.layout));
        if (dv.note)
            cJSON_AddStringToObject(dj, "note", dv.note);
        cJSON *items = cJSON_AddArrayToObject(dj, "items");
        for (size_t k = 0; k < dv.n && (!limit || k < limit); k++) {
            cJSON *it = cJSON_CreateObject();
            if (dv.items[k].key != UINT32_MAX) {
                sb_reset(&sb);
                refs_literal(h, dv.items[k].key, cut, &sb);
                cJSON_AddStringToObject(it, "key", sb_cstr(&sb));
                cli_json_u64(it, "key_address", heap_child_addr(h, dv.items[k].key));
            } else {
                cJSON_AddNullToObject(it, "key");
            }
            cli_json_u64(it, "position", k);
            sb_reset(&sb);
            refs_literal(h, dv.items[k].value, cut, &sb);
            cJSON_AddStringToObject(it, "value", sb_cstr(&sb));
            cli_json_u64(it, "value_address", heap_child_addr(h, dv.items[k].value));
            cJSON_AddItemToArray(items, it);
        }
        refs_dict_free(&dv);
    }
    sb_free(&sb);
    cli_json_print(root);
}

static void show_list(const char *title, const struct heap *h, const uint32_t *refs, size_t n, size_t limit,
                      size_t cut, struct strbuf *sb)
{
    printf("%s (%zu):\n", title, n);
    for (size_t k = 0; k < n && (!limit || k < limit); k++) {
        sb_reset(sb);
        refs_child_repr(h, refs[k], cut, sb);
        printf("  %s\n", sb_cstr(sb));
    }
    if (limit && n > limit)
        printf("  ... %zu more (--limit)\n", n - limit);
}

static void show_text(const struct heap *h, const struct dominators *d, obj_t i, size_t limit, size_t cut)
{
    struct strbuf sb;
    sb_init(&sb);
    refs_repr(h, i, 0, &sb);
    printf("%s\n", sb_cstr(&sb));
    sb_reset(&sb);
    hw_sb_escaped_str(&sb, heap_type_name(h, i));
    printf("  address %llu (0x%llx), type %s, size %llu", (unsigned long long)h->addr[i],
           (unsigned long long)h->addr[i], sb_cstr(&sb), (unsigned long long)heap_size(h, i));
    if (h->flags[i] & OF_HAS_LEN)
        printf(", len %llu%s", (unsigned long long)heap_len(h, i),
               (h->flags[i] & OF_COLLAPSED) ? " (its __dict__'s)" : "");
    printf("\n");
    sb_reset(&sb);
    size_t same = refs_qualified_class(h, i, &sb);
    if (same)
        printf("  class %s: %zu classes are named %s\n", sb_cstr(&sb), same, heap_type_name(h, i));
    sb_reset(&sb);
    if (d->idom[i] == OBJ_NONE)
        sb_adds(&sb, "nothing: it is a root, or only roots hold it");
    else
        refs_repr(h, d->idom[i], 60, &sb);
    printf("  retained %llu bytes (%lld%% of the heap); immediate dominator: %s\n",
           (unsigned long long)d->retained[i], summary_percent(d->retained[i], d->total), sb_cstr(&sb));
    if (h->flags[i] & OF_COLLAPSED)
        printf("  its __dict__ is collapsed into it (size and refs include the dict's; --raw keeps it apart)\n");
    if (h->flags[i] & OF_VALUE_NULL)
        printf("  value: null in the dump\n");
    show_list("children", h, heap_children(h, i), heap_nchildren(h, i), limit, cut, &sb);
    show_list("parents", h, heap_parents(h, i), heap_nparents(h, i), limit, cut, &sb);
    struct dict_view dv;
    if (refs_as_dict(h, i, &dv) == 0) {
        printf("as dict (%zu item%s, %s dump%s%s):\n", dv.n, dv.n == 1 ? "" : "s", refs_flavour_name(h->flavour),
               dv.note ? "; " : "", dv.note ? dv.note : "");
        for (size_t k = 0; k < dv.n && (!limit || k < limit); k++) {
            sb_reset(&sb);
            if (dv.items[k].key != UINT32_MAX)
                refs_literal(h, dv.items[k].key, cut, &sb);
            else
                positions_entry_label(k, 0, &sb);
            sb_adds(&sb, ": ");
            refs_literal(h, dv.items[k].value, cut, &sb);
            printf("  %s\n", sb_cstr(&sb));
        }
        if (limit && dv.n > limit)
            printf("  ... %zu more (--limit)\n", dv.n - limit);
        if (dv.type_ref != UINT32_MAX) {
            sb_reset(&sb);
            refs_child_repr(h, dv.type_ref, cut, &sb);
            printf("  (class: %s)\n", sb_cstr(&sb));
        }
        refs_dict_free(&dv);
    }
    sb_free(&sb);
}

/* Bytes of a child's, parent's or dict item's value shown (a 200 MB string
 * would otherwise fill the terminal); the object's own value is whole. */
#define SHOW_CUT 1024

struct show_args {
    size_t limit, cut;
};

static int show_option(int c, const char *arg, void *ctx)
{
    struct show_args *a = ctx;
    switch (c) {
    case OPT_LIMIT: return cli_parse_count("show", "--limit", arg, &a->limit);
    case OPT_FULL: a->cut = 0; return 0;
    default: show_usage(stderr); return -1;
    }
}

int cli_show(int argc, char **argv)
{
    static const struct option options[] = {
        {"limit", required_argument, NULL, OPT_LIMIT},
        {"full", no_argument, NULL, OPT_FULL},
        {NULL, 0, NULL, 0},
    };
    static const struct cli_spec spec = {"show", show_usage, options, show_option, 2, INT32_MAX,
                                         "wants one or more addresses and a dump"};
    struct cli_common co;
    struct show_args a = {0, SHOW_CUT};
    int first, status = cli_parse(&spec, argc, argv, &co, &a, &first);
    if (status >= 0)
        return status;
    int naddr = argc - first - 1;
    uint64_t *addrs = xmalloc((size_t)naddr * sizeof *addrs, "the addresses to show");
    for (int k = 0; k < naddr; k++) {
        if (cli_parse_addr("show", argv[first + k], &addrs[k]) < 0) {
            free(addrs);
            return EXIT_USAGE;
        }
    }
    const char *path = argv[argc - 1];
    struct heap h;
    if (cli_open(path, &co, &h) < 0) {
        free(addrs);
        return EXIT_FAIL;
    }
    struct roots roots;
    struct dominators dom;
    cli_analyse(&h, NULL, 0, 0, &roots, NULL, &dom);
    status = EXIT_OK;
    for (int k = 0; k < naddr; k++) {
        obj_t i = cli_find(&h, path, addrs[k]);
        if (i == OBJ_NONE) {
            status = EXIT_FAIL;
            continue;
        }
        if (co.json) {
            show_json(&h, &dom, i, a.limit, a.cut);
        } else {
            if (k > 0)
                putchar('\n');
            show_text(&h, &dom, i, a.limit, a.cut);
        }
    }
    free(addrs);
    dominators_free(&dom);
    roots_free(&roots);
    heap_free(&h);
    return status;
}

