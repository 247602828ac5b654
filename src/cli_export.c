/* cli_export.c: the graph for other tools: heapwalk dot (Graphviz of an
 * object's neighbourhood) and heapwalk export (every object as JSON lines). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "paths.h"
#include "roots.h"

static void dot_usage(FILE *to)
{
    fputs("usage: heapwalk dot [--depth N] [--parents|--children] [--fanout N] [--raw] [-q] ADDR DUMP\n"
          "Writes a Graphviz graph of the object's neighbourhood to stdout: what refers to\n"
          "it (--parents, the default, like objgraph's show_backrefs) or what it refers to\n"
          "(--children, like show_refs), N levels deep (default 3). Roots are filled;\n"
          "an object with more than --fanout edges (default 10) shows that many and an\n"
          "'N more' node. Render with: heapwalk dot ADDR DUMP | dot -Tsvg > out.svg\n",
          to);
}

struct dot_args {
    size_t depth, fanout;
    int children;
};

static int dot_option(int c, const char *arg, void *ctx)
{
    struct dot_args *a = ctx;
    switch (c) {
    case OPT_DEPTH: return cli_parse_count("dot", "--depth", arg, &a->depth);
    case OPT_FANOUT:
        if (cli_parse_count("dot", "--fanout", arg, &a->fanout) < 0 || a->fanout == 0) {
            hw_eprintf("heapwalk dot: --fanout takes 1 or more\n");
            return -1;
        }
        return 0;
    case OPT_PARENTS: a->children = 0; return 0;
    case OPT_CHILDREN: a->children = 1; return 0;
    default: dot_usage(stderr); return -1;
    }
}

int cli_dot(int argc, char **argv)
{
    static const struct option options[] = {
        {"depth", required_argument, NULL, OPT_DEPTH},
        {"parents", no_argument, NULL, OPT_PARENTS},
        {"children", no_argument, NULL, OPT_CHILDREN},
        {"fanout", required_argument, NULL, OPT_FANOUT},
        {NULL, 0, NULL, 0},
    };
    static const struct cli_spec spec = {"dot", dot_usage, options, dot_option, 2, 2,
                                         "wants an address (decimal, or hex with 0x) and a dump"};
    struct cli_common co;
    struct dot_args a = {3, 10, 0};
    int first, status = cli_parse(&spec, argc, argv, &co, &a, &first);
    if (status >= 0)
        return status;
    size_t depth = a.depth, fanout = a.fanout;
    int children = a.children;
    uint64_t addr;
    if (cli_parse_addr("dot", argv[first], &addr) < 0)
        return EXIT_USAGE;
    const char *dump = argv[first + 1];
    struct heap h;
    if (cli_open(dump, &co, &h) < 0)
        return EXIT_FAIL;
    obj_t start = cli_find(&h, dump, addr);
    if (start == OBJ_NONE) {
        heap_free(&h);
        return EXIT_FAIL;
    }
    struct roots roots;
    cli_analyse(&h, NULL, 0, 0, &roots, NULL, NULL);
    struct strbuf out;
    sb_init(&out);
    export_dot(&h, &roots, start, (unsigned)depth, children, fanout, &out);
    fwrite(out.buf, 1, out.len, stdout);
    sb_free(&out);
    roots_free(&roots);
    heap_free(&h);
    return EXIT_OK;
}

static void export_usage(FILE *to)
{
    fputs("usage: heapwalk export [--labels] [--exclude KIND[,KIND]] [--raw] [--strict] [-q] DUMP\n"
          "Writes the loaded graph as JSON lines, one object per line in dump order, in\n"
          "meliae's key order (address, type, size, name, len, value, refs) after heapwalk's\n"
          "collapse and redirection, plus: collapsed (absorbed its __dict__), distance\n"
          "(hops from the nearest root), pred (the previous hop on a shortest path) and\n"
          "root (the root kind, for roots). heapwalk reads its own export back as it is:\n"
          "the collapsed owners are marked, so it is not collapsed a second time.\n"
          "--labels adds labels, parallel to refs: what each ref is to the object, as\n"
          "heapwalk path prints a hop ([2], .name, ['key'], .<#4>).\n",
          to);
}

struct export_args {
    unsigned kinds, flags;
};

enum { OPT_LABELS = 2400 };

static int export_option(int c, const char *arg, void *ctx)
{
    struct export_args *a = ctx;
    if (c == OPT_LABELS) {
        a->flags |= EXPORT_LABELS;
        return 0;
    }
    if (c != OPT_EXCLUDE) {
        export_usage(stderr);
        return -1;
    }
    if (cli_parse_kinds(arg, &a->kinds) < 0) {
        hw_eprintf("heapwalk export: --exclude takes globals, builtins or type, not '%s'\n", arg);
        return -1;
    }
    return 0;
}

int cli_export(int argc, char **argv)
{
    static const struct option options[] = {
        {"exclude", required_argument, NULL, OPT_EXCLUDE},
        {"labels", no_argument, NULL, OPT_LABELS},
        {NULL, 0, NULL, 0},
    };
    static const struct cli_spec spec = {"export", export_usage, options, export_option, 1, 1, "wants one dump"};
    struct cli_common co;
    struct export_args a = {0, 0};
    int first, status = cli_parse(&spec, argc, argv, &co, &a, &first);
    if (status >= 0)
        return status;
    struct heap h;
    if (cli_open(argv[first], &co, &h) < 0)
        return EXIT_FAIL;
    struct roots roots;
    struct paths paths;
    cli_analyse(&h, NULL, 0, a.kinds, &roots, &paths, NULL);
    int rc = export_jsonl(&h, &roots, &paths, a.flags, stdout);
    if (fflush(stdout) != 0)
        rc = -1;
    /* A write error (rc < 0) is reported by main(), which checks stdout. */
    paths_free(&paths);
    roots_free(&roots);
    heap_free(&h);
    return rc < 0 ? EXIT_FAIL : EXIT_OK;
}
