/* cli.c: what every batch subcommand shares: usage, common options, opening
 * a dump (open.h), JSON helpers; and `heapwalk scanner`. */
#include "cli.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dominators.h"
#include "escape.h"
#include "paths.h"
#include "roots.h"



void cli_usage(FILE *to)
{
    fputs("usage: heapwalk [OPTIONS] DUMP            explore a dump interactively\n"
          "       heapwalk [OPTIONS] OLD NEW        explore NEW compared with OLD (what grew)\n"
          "       heapwalk [OPTIONS] D1 ... OLD NEW  the same, with each type's trend over every dump\n"
          "       heapwalk summary [OPTIONS] DUMP    the type table (meliae's summarize())\n"
          "       heapwalk show [OPTIONS] ADDR... DUMP  objects: repr, children, parents, refs as dict\n"
          "       heapwalk path [OPTIONS] ADDR DUMP  the shortest paths from a root to an object\n"
          "       heapwalk roots [OPTIONS] DUMP      the roots paths start from, orphan candidates\n"
          "       heapwalk dot [OPTIONS] ADDR DUMP   Graphviz graph of an object's neighbourhood\n"
          "       heapwalk retained [OPTIONS] DUMP   what holds the most memory (dominator tree)\n"
          "       heapwalk diff [OPTIONS] OLD NEW [NEWER]  what grew, and who holds the new objects\n"
          "       heapwalk export [OPTIONS] DUMP     the graph as JSON lines, with distances to roots\n"
          "       heapwalk threads [OPTIONS] DUMP    threads, their stacks, what each frame and local retains\n"
          "       heapwalk dump [-o FILE] [--open] PID  make a running Python process write a dump\n"
          "       heapwalk trend [OPTIONS] D1 D2 ... per-type growth over many dumps, steadiest first\n"
          "       heapwalk suspects [OPTIONS] DUMP [OLD]  leak suspects: what retains a large share\n"
          "       heapwalk waste [OPTIONS] DUMP      duplicate strings, empty and oversized containers\n"
          "       heapwalk sql [OPTIONS] QUERY DUMP  SQL over the objects and refs (memsee's tables)\n"
          "       heapwalk scanner --print           the Python module that makes dumps (3.8 to 3.13)\n"
          "       heapwalk --help | --version | SUBCOMMAND --help\n"
          "\n"
          "DUMP is a meliae dump (one JSON object per line), plain or gzip, or - for stdin.\n"
          "Options for every command:\n"
          "  --raw          keep instance __dict__s as objects (meliae's collapse=False)\n"
          "  --strict       stop at the first bad line instead of skipping it\n"
          "  -q, --quiet    no progress and no notes on stderr\n"
          "  --threads N    parser threads (default: one per core)\n"
          "  --force        load even when the dump looks too big for the memory available\n"
          "  --no-cache     neither read nor write the index cache (HEAPWALK_NO_CACHE=1: the same)\n"
          "The explorer also takes --color=never|auto (NO_COLOR in the environment: never).\n"
          "See heapwalk(1) for the keys of the interactive explorer.\n",
          to);
}

int cli_parse_count(const char *cmd, const char *opt, const char *s, size_t *out)
{
    return open_parse_count(cmd, opt, s, out);
}

/* Handle an option shared by all subcommands: 1 handled, 0 not common, -1 usage error. */
int cli_common_option(const char *cmd, int c, struct cli_common *co)
{
    switch (c) {
    case OPT_RAW: co->load.collapse = 0; return 1;
    case OPT_STRICT: co->load.strict = 1; return 1;
    case OPT_FORCE: co->load.force = 1; return 1;
    case OPT_NO_CACHE: co->load.cache = 0; return 1;
    case 'q': co->quiet = 1; return 1;
    case OPT_JSON: co->json = 1; return 1;
    case OPT_THREADS: return open_parse_threads(cmd, optarg, &co->load.threads) < 0 ? -1 : 1;
    default: return 0;
    }
}

void cli_common_init(struct cli_common *co)
{
    memset(co, 0, sizeof *co);
    load_options_default(&co->load);
    open_load_env(&co->load);
}

int cli_parse(const struct cli_spec *spec, int argc, char **argv, struct cli_common *co, void *ctx, int *first)
{
    static const struct option common[] = {CLI_COMMON_LONG_OPTIONS};
    struct option all[48];
    size_t n = 0;
    for (size_t k = 0; k < sizeof common / sizeof *common; k++)
        all[n++] = common[k];
    for (const struct option *o = spec->options; o && o->name && n + 1 < sizeof all / sizeof *all; o++)
        all[n++] = *o;
    all[n] = (struct option){NULL, 0, NULL, 0};

    cli_common_init(co);
    optind = 1;
    opterr = 0; /* getopt would echo a bad option raw: ours is escaped */
    int c;
    while ((c = getopt_long(argc, argv, ":q", all, NULL)) != -1) {
        int r = cli_common_option(spec->name, c, co);
        if (r == 1)
            continue;
        if (r < 0)
            return EXIT_USAGE;
        if (c == OPT_HELP) {
            spec->usage(stdout);
            return EXIT_OK;
        }
        if (c == '?' || c == ':' || !spec->option) {
            open_bad_option(spec->name, c, argv[optind - 1]);
            return EXIT_USAGE;
        }
        if (spec->option(c, optarg, ctx) < 0)
            return EXIT_USAGE;
    }
    int nargs = argc - optind;
    if (nargs < spec->min_args || nargs > spec->max_args) {
        hw_eprintf("heapwalk %s: %s\n", spec->name, spec->args_error);
        spec->usage(stderr);
        return EXIT_USAGE;
    }
    int stdin_uses = 0;
    for (int k = optind; k < argc; k++)
        stdin_uses += strcmp(argv[k], "-") == 0;
    if (stdin_uses > 1) {
        hw_eprintf("heapwalk %s: standard input (-) can be read only once: give at most one dump as -\n",
                    spec->name);
        return EXIT_USAGE;
    }
    *first = optind;
    return -1;
}

int cli_parse_addr(const char *cmd, const char *s, uint64_t *out)
{
    if (hw_parse_addr(s, out) == 0)
        return 0;
    hw_eprintf("heapwalk %s: '%s' is not an address (decimal, or hex with 0x)\n", cmd, s);
    return -1;
}

obj_t cli_find(const struct heap *h, const char *dump, uint64_t addr)
{
    obj_t o = heap_find(h, addr);
    if (o == OBJ_NONE)
        hw_eprintf("heapwalk: %s: no object at address %llu (0x%llx)%s\n", dump, (unsigned long long)addr,
                (unsigned long long)addr,
                h->collapsed ? "; if it was an instance's __dict__, it is collapsed into its owner (--raw keeps it)"
                             : "");
    return o;
}

int cli_open(const char *path, const struct cli_common *co, struct heap *h)
{
    struct open_options o = {co->load, co->quiet};
    return open_dump(path, &o, h);
}

void cli_analyse(const struct heap *h, const obj_t *pinned, size_t npinned, unsigned kinds, struct roots *r,
                 struct paths *p, struct dominators *d)
{
    double t0 = hw_now();
    roots_compute(h, pinned, npinned, r);
    cli_timing("roots", t0);
    if (p) {
        t0 = hw_now();
        paths_compute(h, r, kinds, p);
        cli_timing("paths (BFS)", t0);
    }
    if (d) {
        t0 = hw_now();
        dominators_compute(h, r, d);
        cli_timing("dominators", t0);
    }
}

void cli_timing(const char *what, double t0)
{
    open_timing(what, t0);
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
    /* cJSON escapes C0 only: DEL, C1 and format characters go out as \u too. */
    struct strbuf safe;
    sb_init(&safe);
    hw_json_sanitize(&safe, s, strlen(s));
    sb_addc(&safe, '\n');
    fwrite(safe.buf, 1, safe.len, stdout);
    sb_free(&safe);
    free(s);
    cJSON_Delete(root);
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
        hw_eprintf("heapwalk scanner: writing failed\n");
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
