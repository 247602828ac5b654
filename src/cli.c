#include "cli.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dominators.h"
#include "refs.h"
#include "roots.h"
#include "summary.h"

void cli_usage(FILE *to)
{
    fputs("usage: heapwalk [OPTIONS] DUMP            explore a dump interactively\n"
          "       heapwalk summary [OPTIONS] DUMP    the type table (meliae's summarize())\n"
          "       heapwalk show [OPTIONS] ADDR... DUMP  objects: repr, children, parents, refs as dict\n"
          "       heapwalk path [OPTIONS] ADDR DUMP  the shortest paths from a root to an object\n"
          "       heapwalk roots [OPTIONS] DUMP      the roots paths start from, orphan candidates\n"
          "       heapwalk dot [OPTIONS] ADDR DUMP   Graphviz graph of an object's neighbourhood\n"
          "       heapwalk retained [OPTIONS] DUMP   what holds the most memory (dominator tree)\n"
          "       heapwalk diff [OPTIONS] OLD NEW [NEWER]  what grew, and who holds the new objects\n"
          "       heapwalk export [OPTIONS] DUMP     the graph as JSON lines, with distances to roots\n"
          "       heapwalk scanner --print           the Python module that makes dumps (3.8 to 3.13)\n"
          "       heapwalk --help | --version | SUBCOMMAND --help\n"
          "\n"
          "DUMP is a meliae dump (one JSON object per line), plain or gzip, or - for stdin.\n"
          "Options for every command:\n"
          "  --raw          keep instance __dict__s as objects (meliae's collapse=False)\n"
          "  --strict       stop at the first bad line instead of skipping it\n"
          "  -q, --quiet    no progress and no notes on stderr\n"
          "  --threads N    parser threads (default: one per core)\n"
          "See heapwalk(1) for the keys of the interactive explorer.\n",
          to);
}

int cli_parse_count(const char *cmd, const char *opt, const char *s, size_t *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        goto bad;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end)
        goto bad;
    *out = (size_t)v;
    return 0;
bad:
    fprintf(stderr, "heapwalk %s: %s wants a whole number, not '%s'\n", cmd, opt, s ? s : "");
    return -1;
}

/* Handle an option shared by all subcommands: 1 handled, 0 not common, -1 usage error. */
int cli_common_option(const char *cmd, int c, struct cli_common *co)
{
    size_t n;
    switch (c) {
    case OPT_RAW: co->load.collapse = 0; return 1;
    case OPT_STRICT: co->load.strict = 1; return 1;
    case 'q': co->quiet = 1; return 1;
    case OPT_JSON: co->json = 1; return 1;
    case OPT_THREADS:
        if (cli_parse_count(cmd, "--threads", optarg, &n) < 0 || n > 64)
            return -1;
        co->load.threads = (int)n;
        return 1;
    default: return 0;
    }
}

void cli_common_init(struct cli_common *co)
{
    memset(co, 0, sizeof *co);
    load_options_default(&co->load);
}

/* --- loading with progress --- */

static void progress_draw(const struct load_progress *p, void *ctx)
{
    const char *name = ctx;
    if (p->done) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        return;
    }
    if (strcmp(p->phase, "reading") == 0 && p->total)
        fprintf(stderr, "\r\033[Kloading %s: %.1f of %.1f MB (%d%%), %llu objects, %.1fs", name,
                (double)p->pos / 1e6, (double)p->total / 1e6, (int)(p->pos * 100 / p->total),
                (unsigned long long)p->objects, p->elapsed);
    else if (strcmp(p->phase, "reading") == 0)
        fprintf(stderr, "\r\033[Kloading %s: %.1f MB, %llu objects, %.1fs", name, (double)p->pos / 1e6,
                (unsigned long long)p->objects, p->elapsed);
    else
        fprintf(stderr, "\r\033[Kloading %s: %s, %llu objects, %.1fs", name, p->phase,
                (unsigned long long)p->objects, p->elapsed);
    fflush(stderr);
}

int cli_load(const char *path, const struct load_options *opt_in, int quiet, struct heap *h)
{
    struct load_options opt = *opt_in;
    struct load_report rep;
    struct hw_error err = {{0}};
    if (!quiet && isatty(STDERR_FILENO)) {
        opt.progress = progress_draw;
        opt.progress_ctx = (void *)path;
    }
    hw_set_oom_context("loading the dump");
    int rc = load_dump(path, &opt, h, &rep, &err);
    if (opt.progress)
        fputs("\r\033[K", stderr);
    if (rc < 0) {
        fprintf(stderr, "heapwalk: %s\n", err.msg);
        return -1;
    }
    hw_set_oom_context("working on the dump");
    if (getenv("HEAPWALK_TIMINGS")) {
        const struct load_timings *t = &rep.timings;
        fprintf(stderr,
                "heapwalk: timings: read %.3f s, parse %.3f s, merge %.3f s, resolve %.3f s, collapse %.3f s, "
                "parents %.3f s; total %.3f s; %llu lines by the fast path, %llu by cJSON; store %zu bytes\n",
                t->read, t->parse, t->merge, t->resolve, t->collapse, t->parents, rep.seconds,
                (unsigned long long)t->fast_lines, (unsigned long long)t->cjson_lines, heap_memory(h));
    }
    if (quiet)
        return 0;
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (rep.bad_lines) {
        fprintf(stderr, "heapwalk: %s: skipped %llu bad line%s (--strict stops at the first)%s\n", name,
                (unsigned long long)rep.bad_lines, rep.bad_lines == 1 ? "" : "s",
                rep.n_messages < rep.bad_lines ? "; the first:" : ":");
        for (size_t i = 0; i < rep.n_messages && i < 5; i++)
            fprintf(stderr, "  %s\n", rep.messages[i]);
    }
    if (h->stats.duplicates)
        fprintf(stderr, "heapwalk: %s: %llu repeated addresses ignored (the first occurrence wins; %llu with another type)\n",
                name, (unsigned long long)h->stats.duplicates, (unsigned long long)h->stats.dup_type_mismatch);
    if (h->stats.dangling_refs)
        fprintf(stderr, "heapwalk: %s: %llu refs point to %zu addresses that are not in the dump\n", name,
                (unsigned long long)h->stats.dangling_refs, h->n_dangling);
    return 0;
}

void cli_timing(const char *what, double t0)
{
    if (getenv("HEAPWALK_TIMINGS"))
        fprintf(stderr, "heapwalk: timings: %s %.3f s\n", what, hw_now() - t0);
}

/* --- JSON helpers: integers go out as exact text, never through a double --- */

void cli_json_u64(cJSON *obj, const char *key, uint64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    cJSON_AddRawToObject(obj, key, buf);
}

void cli_json_print(cJSON *root)
{
    char *s = cJSON_PrintUnformatted(root);
    if (!s)
        die(EXIT_FAIL, "out of memory while writing JSON");
    fputs(s, stdout);
    fputc('\n', stdout);
    free(s);
    cJSON_Delete(root);
}

/* cJSON strings are C strings: a value with a NUL byte is cut there. */
static void json_str(cJSON *obj, const char *key, const struct heap *h, obj_t i)
{
    size_t len;
    const char *s = heap_str(h, i, &len);
    if (s)
        cJSON_AddStringToObject(obj, key, s);
}

/* --- summary --- */

static void summary_usage(FILE *to)
{
    fputs("usage: heapwalk summary [--by-count] [--raw] [--top N] [--json] [--strict] [-q] DUMP\n"
          "Prints meliae's summarize() table: the Total line, the header and the top N\n"
          "types (default 20; 0 for all) by total size, or by count with --by-count.\n"
          "--json prints every type: count, size, max size and the largest object's address.\n",
          to);
}

int cli_summary(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONG_OPTIONS,
        {"top", required_argument, NULL, OPT_TOP},
        {"by-count", no_argument, NULL, OPT_BY_COUNT},
        {NULL, 0, NULL, 0},
    };
    struct cli_common co;
    cli_common_init(&co);
    size_t top = 20;
    int by_count = 0, c, r;
    optind = 1;
    while ((c = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
        if ((r = cli_common_option("summary", c, &co)) == 1)
            continue;
        if (r < 0)
            return EXIT_USAGE;
        switch (c) {
        case OPT_TOP:
            if (cli_parse_count("summary", "--top", optarg, &top) < 0)
                return EXIT_USAGE;
            break;
        case OPT_BY_COUNT: by_count = 1; break;
        case OPT_HELP: summary_usage(stdout); return EXIT_OK;
        default: summary_usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "heapwalk summary: %s\n", optind >= argc ? "which dump? (give a file, or - for stdin)"
                                                                 : "one dump at a time");
        summary_usage(stderr);
        return EXIT_USAGE;
    }
    struct heap h;
    heap_init(&h);
    if (cli_load(argv[optind], &co.load, co.quiet, &h) < 0) {
        heap_free(&h);
        return EXIT_FAIL;
    }
    struct summary s;
    summary_compute(&h, &s);
    if (by_count)
        summary_sort(&h, &s, SUMMARY_BY_COUNT, 0);
    if (co.json) {
        cJSON *root = cJSON_CreateObject();
        cli_json_u64(root, "objects", s.total_count);
        cli_json_u64(root, "types", s.n);
        cli_json_u64(root, "bytes", s.total_size);
        cJSON_AddBoolToObject(root, "collapsed", h.collapsed);
        cJSON_AddStringToObject(root, "order", by_count ? "count" : "size");
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

/* --- show --- */

static void show_usage(FILE *to)
{
    fputs("usage: heapwalk show [--json] [--limit N] [--raw] [--strict] [-q] ADDR... DUMP\n"
          "Prints each object at ADDR (decimal or 0x-hex): its repr, every child and\n"
          "parent (each as a repr; --limit N shows the first N of each), and for dicts,\n"
          "modules and instances the refs as key: value pairs. With --json, one JSON\n"
          "object per address, one per line. An unknown address is an error (exit 1).\n",
          to);
}

static cJSON *json_ref(const struct heap *h, uint32_t child)
{
    cJSON *o = cJSON_CreateObject();
    struct strbuf sb;
    sb_init(&sb);
    cli_json_u64(o, "address", heap_child_addr(h, child));
    if (heap_is_dangling(child)) {
        cJSON_AddBoolToObject(o, "missing", 1);
    } else {
        cJSON_AddStringToObject(o, "type", heap_type_name(h, child));
        refs_repr(h, child, 0, &sb);
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
    default: return "none";
    }
}

static void show_json(const struct heap *h, const struct dominators *d, obj_t i, size_t limit)
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
    for (size_t k = 0; k < heap_nchildren(h, i) && (!limit || k < limit); k++)
        cJSON_AddItemToArray(arr, json_ref(h, heap_children(h, i)[k]));
    arr = cJSON_AddArrayToObject(root, "parents");
    for (size_t k = 0; k < heap_nparents(h, i) && (!limit || k < limit); k++)
        cJSON_AddItemToArray(arr, json_ref(h, heap_parents(h, i)[k]));
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
                refs_literal(h, dv.items[k].key, 0, &sb);
                cJSON_AddStringToObject(it, "key", sb_cstr(&sb));
                cli_json_u64(it, "key_address", heap_child_addr(h, dv.items[k].key));
            } else {
                cJSON_AddNullToObject(it, "key");
                cli_json_u64(it, "position", k);
            }
            sb_reset(&sb);
            refs_literal(h, dv.items[k].value, 0, &sb);
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
                      struct strbuf *sb)
{
    printf("%s (%zu):\n", title, n);
    for (size_t k = 0; k < n && (!limit || k < limit); k++) {
        sb_reset(sb);
        refs_child_repr(h, refs[k], 0, sb);
        printf("  %s\n", sb_cstr(sb));
    }
    if (limit && n > limit)
        printf("  ... %zu more (--limit)\n", n - limit);
}

static void show_text(const struct heap *h, const struct dominators *d, obj_t i, size_t limit)
{
    struct strbuf sb;
    sb_init(&sb);
    refs_repr(h, i, 0, &sb);
    printf("%s\n", sb_cstr(&sb));
    printf("  address %llu (0x%llx), type %s, size %llu", (unsigned long long)h->addr[i],
           (unsigned long long)h->addr[i], heap_type_name(h, i), (unsigned long long)heap_size(h, i));
    if (h->flags[i] & OF_HAS_LEN)
        printf(", len %llu%s", (unsigned long long)heap_len(h, i),
               (h->flags[i] & OF_COLLAPSED) ? " (its __dict__'s)" : "");
    printf("\n");
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
    show_list("children", h, heap_children(h, i), heap_nchildren(h, i), limit, &sb);
    show_list("parents", h, heap_parents(h, i), heap_nparents(h, i), limit, &sb);
    struct dict_view dv;
    if (refs_as_dict(h, i, &dv) == 0) {
        printf("as dict (%zu item%s, %s dump%s%s):\n", dv.n, dv.n == 1 ? "" : "s", refs_flavour_name(h->flavour),
               dv.note ? "; " : "", dv.note ? dv.note : "");
        for (size_t k = 0; k < dv.n && (!limit || k < limit); k++) {
            sb_reset(&sb);
            if (dv.items[k].key != UINT32_MAX)
                refs_literal(h, dv.items[k].key, 0, &sb);
            else
                sb_printf(&sb, "[%zu]", k);
            sb_adds(&sb, ": ");
            refs_literal(h, dv.items[k].value, 0, &sb);
            printf("  %s\n", sb_cstr(&sb));
        }
        if (limit && dv.n > limit)
            printf("  ... %zu more (--limit)\n", dv.n - limit);
        if (dv.type_ref != UINT32_MAX) {
            sb_reset(&sb);
            refs_child_repr(h, dv.type_ref, 0, &sb);
            printf("  (class: %s)\n", sb_cstr(&sb));
        }
        refs_dict_free(&dv);
    }
    sb_free(&sb);
}

int cli_show(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONG_OPTIONS,
        {"limit", required_argument, NULL, OPT_LIMIT},
        {NULL, 0, NULL, 0},
    };
    struct cli_common co;
    cli_common_init(&co);
    size_t limit = 0;
    int c, r;
    optind = 1;
    while ((c = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
        if ((r = cli_common_option("show", c, &co)) == 1)
            continue;
        if (r < 0)
            return EXIT_USAGE;
        switch (c) {
        case OPT_LIMIT:
            if (cli_parse_count("show", "--limit", optarg, &limit) < 0)
                return EXIT_USAGE;
            break;
        case OPT_HELP: show_usage(stdout); return EXIT_OK;
        default: show_usage(stderr); return EXIT_USAGE;
        }
    }
    if (argc - optind < 2) {
        fprintf(stderr, "heapwalk show: wants one or more addresses and a dump\n");
        show_usage(stderr);
        return EXIT_USAGE;
    }
    int naddr = argc - optind - 1;
    uint64_t *addrs = xmalloc((size_t)naddr * sizeof *addrs, "the addresses to show");
    for (int k = 0; k < naddr; k++) {
        if (hw_parse_addr(argv[optind + k], &addrs[k]) < 0) {
            fprintf(stderr, "heapwalk show: '%s' is not an address (decimal, or hex with 0x)\n", argv[optind + k]);
            free(addrs);
            return EXIT_USAGE;
        }
    }
    const char *path = argv[argc - 1];
    struct heap h;
    heap_init(&h);
    if (cli_load(path, &co.load, co.quiet, &h) < 0) {
        heap_free(&h);
        free(addrs);
        return EXIT_FAIL;
    }
    struct roots roots;
    struct dominators dom;
    double t0 = hw_now();
    roots_compute(&h, NULL, 0, &roots);
    cli_timing("roots", t0);
    t0 = hw_now();
    dominators_compute(&h, &roots, &dom);
    cli_timing("dominators", t0);
    int status = EXIT_OK;
    for (int k = 0; k < naddr; k++) {
        obj_t i = heap_find(&h, addrs[k]);
        if (i == OBJ_NONE) {
            fprintf(stderr, "heapwalk: %s: no object at address %llu (0x%llx)%s\n", path,
                    (unsigned long long)addrs[k], (unsigned long long)addrs[k],
                    h.collapsed ? "; if it was an instance's __dict__, it is collapsed into its owner (--raw keeps it)"
                                : "");
            status = EXIT_FAIL;
            continue;
        }
        if (co.json) {
            show_json(&h, &dom, i, limit);
        } else {
            if (k > 0)
                putchar('\n');
            show_text(&h, &dom, i, limit);
        }
    }
    free(addrs);
    dominators_free(&dom);
    roots_free(&roots);
    heap_free(&h);
    return status;
}

/* --- scanner --- */

int cli_scanner(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs("usage: heapwalk scanner --print > heapwalk_scanner.py\n"
              "Writes heapwalk's scanner: one pure-Python module (CPython 3.8 to 3.13, no\n"
              "third-party imports) that dumps a live process in meliae's format. Copy it to\n"
              "the host, then in the process:\n"
              "  import heapwalk_scanner; heapwalk_scanner.dump_all_objects('/tmp/app.json.gz')\n"
              "or install_signal_handler() and send SIGUSR2. See scanner/README.md.\n",
              stdout);
        return EXIT_OK;
    }
    if (argc != 2 || strcmp(argv[1], "--print") != 0) {
        fputs("usage: heapwalk scanner --print > heapwalk_scanner.py\n", stderr);
        return EXIT_USAGE;
    }
    if (fwrite(scanner_py, 1, scanner_py_len, stdout) != scanner_py_len || fflush(stdout) != 0) {
        fprintf(stderr, "heapwalk scanner: writing failed\n");
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
