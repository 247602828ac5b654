/* cli.h: the batch subcommands (summary, show), their options and output, text and --json. */
#ifndef HW_CLI_H
#define HW_CLI_H

#include <stdio.h>

#include "escape.h"
#include "load.h"
#include "open.h"
#include "version.h"

/* Exit statuses: 0 success, 1 a failure (bad dump, unknown address), 2 usage. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* The subcommands: argv[0] is the subcommand's name. */
int cli_summary(int argc, char **argv);
int cli_show(int argc, char **argv);
int cli_path(int argc, char **argv);
int cli_roots(int argc, char **argv);
int cli_dot(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_retained(int argc, char **argv);
int cli_diff(int argc, char **argv);
int cli_scanner(int argc, char **argv);
int cli_dump(int argc, char **argv);
int cli_threads(int argc, char **argv);
int cli_trend(int argc, char **argv);
int cli_suspects(int argc, char **argv);
int cli_waste(int argc, char **argv);
int cli_sql(int argc, char **argv);

/* scanner/heapwalk_scanner.py, built into the binary by the Makefile. */
extern const unsigned char scanner_py[];
extern const size_t scanner_py_len;

/* Options every subcommand takes (getopt_long codes and table entries). */
enum {
    OPT_RAW = 1000, OPT_STRICT, OPT_THREADS, OPT_JSON, OPT_TOP, OPT_BY_COUNT, OPT_LIMIT, OPT_HELP,
    OPT_FORCE, OPT_NO_CACHE, OPT_ALL, OPT_ROOT, OPT_AVOID, OPT_EXCLUDE, OPT_DEPTH, OPT_PARENTS, OPT_CHILDREN, OPT_FANOUT, OPT_BY_TYPE, OPT_FULL,
    OPT_BY_HOLDER, OPT_GONE,
};
#define CLI_COMMON_LONG_OPTIONS                                                             \
    {"raw", no_argument, NULL, OPT_RAW}, {"strict", no_argument, NULL, OPT_STRICT},           \
    {"quiet", no_argument, NULL, 'q'}, {"threads", required_argument, NULL, OPT_THREADS},     \
    {"json", no_argument, NULL, OPT_JSON}, {"help", no_argument, NULL, OPT_HELP},                 \
    {"force", no_argument, NULL, OPT_FORCE}, {"no-cache", no_argument, NULL, OPT_NO_CACHE}

struct cli_common {
    struct load_options load;
    int quiet, json;
};

/* `heapwalk path --from QUERY --to QUERY [--reverse] DUMP`: the shortest path
 * between two sets of objects (cli_sql.c). Returns the exit status. */
int cli_path_sets(const char *from, const char *to, int reverse, const struct cli_common *co, const char *dump);

/* What a subcommand takes beyond the common options. */
struct cli_spec {
    const char *name;                 /* "summary" */
    void (*usage)(FILE *to);
    const struct option *options;     /* its own long options, {NULL} at the end; or NULL */
    /* One of its own options (getopt's code and argument): 0, or -1 after
     * printing what is wrong. */
    int (*option)(int c, const char *arg, void *ctx);
    int min_args, max_args;           /* how many positional arguments */
    const char *args_error;           /* what to say when that number is wrong */
};

/* Parse argv for a subcommand: the common options into co, its own through
 * spec->option(ctx). Returns -1 when the subcommand goes on, its positional
 * arguments being argv[*first .. argc); otherwise the exit status to return
 * (0 after --help, 2 after a usage error, already printed). */
int cli_parse(const struct cli_spec *spec, int argc, char **argv, struct cli_common *co, void *ctx, int *first);
/* An address argument of cmd, decimal or 0x-hex: 0, or -1 after saying it is not one. */
int cli_parse_addr(const char *cmd, const char *s, uint64_t *out);
/* The object at addr in the dump loaded into h, or OBJ_NONE after saying there is none
 * (with a hint about collapsed __dict__s when collapse ran). */
obj_t cli_find(const struct heap *h, const char *dump, uint64_t addr);
/* open_dump with the common options: 0, or -1 with the error printed and the heap freed. */
int cli_open(const char *path, const struct cli_common *co, struct heap *h);

struct roots;
struct paths;
struct dominators;
/* The roots of h (pinned ones too), then, for each of p and d that is not
 * NULL, the shortest paths (edge kinds excluded) and the dominator tree, each
 * timed for HEAPWALK_TIMINGS. */
void cli_analyse(const struct heap *h, const obj_t *pinned, size_t npinned, unsigned kinds, struct roots *r,
                 struct paths *p, struct dominators *d);
void cli_common_init(struct cli_common *co);
/* An option every subcommand takes: 1 handled, 0 not a common one, -1 a usage error (printed). */
int cli_common_option(const char *cmd, int c, struct cli_common *co);
/* Edge kinds for --exclude: "globals,builtins,type" -> enum edge_kind bits; -1 for an unknown name. */
int cli_parse_kinds(const char *s, unsigned *kinds);
/* A whole number for option opt of cmd: 0, or -1 with the usage error printed. */
int cli_parse_count(const char *cmd, const char *opt, const char *s, size_t *out);

struct cJSON;
/* An integer as exact JSON text (never through a double). */
void cli_json_u64(struct cJSON *obj, const char *key, uint64_t v);
/* Print a JSON document on one line to stdout and delete it. */
void cli_json_print(struct cJSON *root);

void cli_usage(FILE *to);

/* open_timing(): with HEAPWALK_TIMINGS, how long WHAT took since t0. */
void cli_timing(const char *what, double t0);

#endif
