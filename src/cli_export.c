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

int cli_dot(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONG_OPTIONS,
        {"depth", required_argument, NULL, OPT_DEPTH},
        {"parents", no_argument, NULL, OPT_PARENTS},
        {"children", no_argument, NULL, OPT_CHILDREN},
        {"fanout", required_argument, NULL, OPT_FANOUT},
        {NULL, 0, NULL, 0},
    };
    struct cli_common co;
    cli_common_init(&co);
    size_t depth = 3, fanout = 10;
    int children = 0, c, r;
    optind = 1;
    while ((c = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
        if ((r = cli_common_option("dot", c, &co)) == 1)
            continue;
        if (r < 0)
            return EXIT_USAGE;
        switch (c) {
        case OPT_DEPTH:
            if (cli_parse_count("dot", "--depth", optarg, &depth) < 0)
                return EXIT_USAGE;
            break;
        case OPT_FANOUT:
            if (cli_parse_count("dot", "--fanout", optarg, &fanout) < 0 || fanout == 0) {
                fprintf(stderr, "heapwalk dot: --fanout takes 1 or more\n");
                return EXIT_USAGE;
            }
            break;
        case OPT_PARENTS: children = 0; break;
        case OPT_CHILDREN: children = 1; break;
        case OPT_HELP: dot_usage(stdout); return EXIT_OK;
        default: dot_usage(stderr); return EXIT_USAGE;
        }
    }
    uint64_t addr;
    if (optind != argc - 2 || hw_parse_addr(argv[optind], &addr) < 0) {
        fprintf(stderr, "heapwalk dot: wants an address (decimal, or hex with 0x) and a dump\n");
        dot_usage(stderr);
        return EXIT_USAGE;
    }
    const char *dump = argv[optind + 1];
    struct heap h;
    heap_init(&h);
    if (cli_load(dump, &co.load, co.quiet, &h) < 0) {
        heap_free(&h);
        return EXIT_FAIL;
    }
    obj_t start = heap_find(&h, addr);
    if (start == OBJ_NONE) {
        fprintf(stderr, "heapwalk: %s: no object at address %llu (0x%llx)\n", dump, (unsigned long long)addr,
                (unsigned long long)addr);
        heap_free(&h);
        return EXIT_FAIL;
    }
    struct roots roots;
    roots_compute(&h, NULL, 0, &roots);
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
    fputs("usage: heapwalk export [--exclude KIND[,KIND]] [--raw] [--strict] [-q] DUMP\n"
          "Writes the loaded graph as JSON lines, one object per line in dump order, in\n"
          "meliae's key order (address, type, size, name, len, value, refs) after heapwalk's\n"
          "collapse and redirection, plus: collapsed (absorbed its __dict__), distance\n"
          "(hops from the nearest root), pred (the previous hop on a shortest path) and\n"
          "root (the root kind, for roots). heapwalk reads its own export back as it is:\n"
          "the collapsed owners are marked, so it is not collapsed a second time.\n",
          to);
}

int cli_export(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONG_OPTIONS,
        {"exclude", required_argument, NULL, OPT_EXCLUDE},
        {NULL, 0, NULL, 0},
    };
    struct cli_common co;
    cli_common_init(&co);
    unsigned kinds = 0;
    int c, r;
    optind = 1;
    while ((c = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
        if ((r = cli_common_option("export", c, &co)) == 1)
            continue;
        if (r < 0)
            return EXIT_USAGE;
        switch (c) {
        case OPT_EXCLUDE:
            if (cli_parse_kinds(optarg, &kinds) < 0) {
                fprintf(stderr, "heapwalk export: --exclude takes globals, builtins or type, not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_HELP: export_usage(stdout); return EXIT_OK;
        default: export_usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "heapwalk export: wants one dump\n");
        export_usage(stderr);
        return EXIT_USAGE;
    }
    struct heap h;
    heap_init(&h);
    if (cli_load(argv[optind], &co.load, co.quiet, &h) < 0) {
        heap_free(&h);
        return EXIT_FAIL;
    }
    struct roots roots;
    struct paths paths;
    double t0 = hw_now();
    roots_compute(&h, NULL, 0, &roots);
    cli_timing("roots", t0);
    t0 = hw_now();
    paths_compute(&h, &roots, kinds, &paths);
    cli_timing("paths (BFS)", t0);
    int rc = export_jsonl(&h, &roots, &paths, stdout);
    if (fflush(stdout) != 0)
        rc = -1;
    /* A write error (rc < 0) is reported by main(), which checks stdout. */
    paths_free(&paths);
    roots_free(&roots);
    heap_free(&h);
    return rc < 0 ? EXIT_FAIL : EXIT_OK;
}
