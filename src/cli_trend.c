/* cli_trend.c: heapwalk trend: per-type counts and sizes over many dumps, the
 * types that grow steadily first; text, --json, --csv, --svg, --fail-if. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "report.h"
#include "trend.h"

/* A gate that tripped: the exit status. */
enum { EXIT_GATE = 3 };

static void trend_usage(FILE *to)
{
    fputs("usage: heapwalk trend [--top N] [--json | --csv] [--svg FILE] [--fail-if TYPE:+N[%]]...\n"
          "                      [--raw] [--strict] [-q] DUMP1 DUMP2 [DUMP3...]\n"
          "Per type, the count and total size in each dump (in the order given), the types\n"
          "that grow steadily first. score = (last size - first size) * |rises - falls| / steps,\n"
          "in bytes: steps = dumps - 1; a rise (fall) is a step where the type's size went\n"
          "up (down). One dump is in memory at a time.\n"
          "  --top N          rows (default 20; 0 for all)\n"
          "  --csv            the table as CSV: type, score, then count_1..N, size_1..N\n"
          "  --svg FILE       a self-contained SVG plot of the 8 (or --top) types that grow most;\n"
          "                   x is the dumps' file modification times when they increase\n"
          "                   strictly in the order given, else the dumps' order\n"
          "  --fail-if SPEC   exit 3 when TYPE grew by more than N objects (TYPE:+N) or P percent\n"
          "                   of its first count (TYPE:+P%) from the first dump to the last;\n"
          "                   may be repeated\n",
          to);
}

enum { OPT_CSV = 1100, OPT_SVG, OPT_FAIL_IF };

struct trend_args {
    size_t top;
    int top_given, csv;
    const char *svg;
    struct trend_gate *gates;
    size_t n_gates;
};

static int trend_option(int c, const char *arg, void *ctx)
{
    struct trend_args *a = ctx;
    struct hw_error err = {{0}};
    switch (c) {
    case OPT_TOP: a->top_given = 1; return cli_parse_count("trend", "--top", arg, &a->top);
    case OPT_CSV: a->csv = 1; return 0;
    case OPT_SVG: a->svg = arg; return 0;
    case OPT_FAIL_IF:
        a->gates = xreallocarray(a->gates, a->n_gates + 1, sizeof *a->gates, "--fail-if");
        if (trend_gate_parse(arg, &a->gates[a->n_gates], &err) < 0) {
            fprintf(stderr, "heapwalk trend: %s\n", err.msg);
            return -1;
        }
        a->n_gates++;
        return 0;
    default: trend_usage(stderr); return -1;
    }
}

/* A dump's time: its file's modification time, -1 for stdin or when stat fails. */
static int64_t dump_time(const char *path)
{
    struct stat st;
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return -1;
    return (int64_t)st.st_mtime;
}

static void time_text(int64_t when, char *buf, size_t cap)
{
    time_t tt = (time_t)when;
    struct tm tm;
    if (when < 0 || !gmtime_r(&tt, &tm) || !strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, cap, "-");
}

static size_t rows_shown(const struct trend *t, size_t top)
{
    return (top && top < t->n_types) ? top : t->n_types;
}

static void print_text(const struct trend *t, size_t top, int utf8)
{
    struct strbuf sb;
    sb_init(&sb);
    printf("%zu dumps; x: %s\n", t->n_dumps, trend_has_times(t) ? "time (file modification)" : "order");
    for (size_t d = 0; d < t->n_dumps; d++) {
        char when[32];
        time_text(t->times[d], when, sizeof when);
        sb_reset(&sb);
        report_escape_str(t->labels[d], &sb);
        printf("%4zu %-20s %s\n", d + 1, when, sb_cstr(&sb));
    }
    printf("\n       Score      Count   +/-Count       Size    +/-Size Trend Kind\n");
    for (size_t k = 0, n = rows_shown(t, top); k < n; k++) {
        const struct trend_type *r = &t->types[k];
        sb_reset(&sb);
        report_sparkline(r->size, t->n_dumps, utf8, &sb);
        sb_addc(&sb, ' ');
        report_escape_str(r->name, &sb);
        printf("%12.0f %10llu %+10lld %10llu %+10lld %s\n", r->score,
               (unsigned long long)r->count[t->n_dumps - 1], (long long)r->count_change,
               (unsigned long long)r->size[t->n_dumps - 1], (long long)r->size_change, sb_cstr(&sb));
    }
    sb_free(&sb);
}

static void print_csv(const struct trend *t, size_t top)
{
    struct strbuf sb;
    sb_init(&sb);
    fputs("type,score", stdout);
    for (size_t d = 0; d < t->n_dumps; d++)
        printf(",count_%zu", d + 1);
    for (size_t d = 0; d < t->n_dumps; d++)
        printf(",size_%zu", d + 1);
    fputc('\n', stdout);
    for (size_t k = 0, n = rows_shown(t, top); k < n; k++) {
        const struct trend_type *r = &t->types[k];
        sb_reset(&sb);
        report_csv_field(r->name, &sb);
        printf("%s,%.0f", sb_cstr(&sb), r->score);
        for (size_t d = 0; d < t->n_dumps; d++)
            printf(",%llu", (unsigned long long)r->count[d]);
        for (size_t d = 0; d < t->n_dumps; d++)
            printf(",%llu", (unsigned long long)r->size[d]);
        fputc('\n', stdout);
    }
    sb_free(&sb);
}

static cJSON *u64_array(const uint64_t *v, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t k = 0; k < n; k++) {
        char buf[32];
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)v[k]);
        cJSON_AddItemToArray(arr, cJSON_CreateRaw(buf));
    }
    return arr;
}

static void print_json(const struct trend *t, size_t top, cJSON *gates)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "x", trend_has_times(t) ? "time" : "order");
    cJSON *dumps = cJSON_AddArrayToObject(root, "dumps");
    for (size_t d = 0; d < t->n_dumps; d++) {
        cJSON *it = cJSON_CreateObject();
        cJSON_AddStringToObject(it, "path", t->labels[d]);
        if (t->times[d] < 0)
            cJSON_AddNullToObject(it, "time");
        else
            cli_json_u64(it, "time", (uint64_t)t->times[d]);
        cJSON_AddItemToArray(dumps, it);
    }
    cJSON *arr = cJSON_AddArrayToObject(root, "types");
    for (size_t k = 0, n = rows_shown(t, top); k < n; k++) {
        const struct trend_type *r = &t->types[k];
        cJSON *it = cJSON_CreateObject();
        cJSON_AddStringToObject(it, "type", r->name);
        cJSON_AddNumberToObject(it, "score", round(r->score));
        cJSON_AddItemToObject(it, "counts", u64_array(r->count, t->n_dumps));
        cJSON_AddItemToObject(it, "sizes", u64_array(r->size, t->n_dumps));
        cJSON_AddNumberToObject(it, "count_change", (double)r->count_change);
        cJSON_AddNumberToObject(it, "size_change", (double)r->size_change);
        cJSON_AddNumberToObject(it, "rises", r->rises);
        cJSON_AddNumberToObject(it, "falls", r->falls);
        cJSON_AddItemToArray(arr, it);
    }
    if (gates)
        cJSON_AddItemToObject(root, "gates", gates);
    cli_json_print(root);
}

static int write_svg(const struct trend *t, const char *path, size_t top)
{
    struct strbuf sb;
    sb_init(&sb);
    trend_svg(t, top, &sb);
    FILE *f = fopen(path, "w");
    int ok = f && fwrite(sb.buf, 1, sb.len, f) == sb.len;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        fprintf(stderr, "heapwalk trend: cannot write %s\n", path);
    sb_free(&sb);
    return ok ? 0 : -1;
}

/* Check every gate; say on stderr which tripped. Returns how many did; the
 * results go into *json (an array) when json is not NULL. */
static size_t check_gates(const struct trend *t, const struct trend_args *a, cJSON *json)
{
    size_t tripped = 0;
    struct strbuf name;
    sb_init(&name);
    for (size_t k = 0; k < a->n_gates; k++) {
        const struct trend_gate *g = &a->gates[k];
        int64_t growth;
        double pct;
        int fail = trend_gate_check(t, g, &growth, &pct);
        sb_reset(&name);
        report_escape_str(g->type, &name);
        if (fail) {
            tripped++;
            fprintf(stderr, "heapwalk trend: %s grew by %lld objects (%s%.1f%%), more than %s%g%s allowed\n",
                    sb_cstr(&name), (long long)growth, pct >= 0 ? "+" : "", pct, "+", g->limit,
                    g->percent ? "%" : " objects");
        }
        if (json) {
            cJSON *it = cJSON_CreateObject();
            cJSON_AddStringToObject(it, "type", g->type);
            cJSON_AddNumberToObject(it, "limit", g->limit);
            cJSON_AddBoolToObject(it, "percent", g->percent);
            cJSON_AddNumberToObject(it, "growth", (double)growth);
            if (isfinite(pct))
                cJSON_AddNumberToObject(it, "growth_percent", pct);
            else
                cJSON_AddNullToObject(it, "growth_percent");
            cJSON_AddBoolToObject(it, "failed", fail);
            cJSON_AddItemToArray(json, it);
        }
    }
    sb_free(&name);
    return tripped;
}

int cli_trend(int argc, char **argv)
{
    static const struct option options[] = {
        {"top", required_argument, NULL, OPT_TOP},
        {"csv", no_argument, NULL, OPT_CSV},
        {"svg", required_argument, NULL, OPT_SVG},
        {"fail-if", required_argument, NULL, OPT_FAIL_IF},
        {NULL, 0, NULL, 0},
    };
    static const struct cli_spec spec = {"trend", trend_usage, options, trend_option, 2, 100000,
                                         "wants two dumps or more, in the order they were taken"};
    struct cli_common co;
    struct trend_args a = {20, 0, 0, NULL, NULL, 0};
    int first, status = cli_parse(&spec, argc, argv, &co, &a, &first);
    if (status < 0 && co.json && a.csv) {
        fputs("heapwalk trend: --json and --csv: pick one\n", stderr);
        status = EXIT_USAGE;
    }
    if (status >= 0)
        goto out_gates;
    status = EXIT_FAIL;
    struct trend t;
    trend_init(&t);
    /* One dump at a time: load, count, free. */
    for (int k = first; k < argc; k++) {
        struct heap h;
        if (cli_open(argv[k], &co, &h) < 0)
            goto out;
        trend_add(&t, &h, argv[k], dump_time(argv[k]));
        heap_free(&h);
    }
    trend_finish(&t);
    if (getenv("HEAPWALK_TIMINGS")) {
        struct rusage ru;
        if (getrusage(RUSAGE_SELF, &ru) == 0)
            fprintf(stderr, "heapwalk: timings: peak RSS %ld kB\n", ru.ru_maxrss);
    }
    for (size_t k = 0; k < a.n_gates; k++) {
        if (!trend_find(&t, a.gates[k].type)) {
            struct strbuf name;
            sb_init(&name);
            report_escape_str(a.gates[k].type, &name);
            fprintf(stderr, "heapwalk trend: --fail-if: no dump has objects of type %s\n", sb_cstr(&name));
            sb_free(&name);
        }
    }
    cJSON *gates = co.json && a.n_gates ? cJSON_CreateArray() : NULL;
    size_t tripped = check_gates(&t, &a, gates);
    if (a.svg && write_svg(&t, a.svg, a.top_given && a.top ? a.top : 8) < 0) {
        cJSON_Delete(gates);
        goto out;
    }
    if (co.json) {
        print_json(&t, a.top, gates);
    } else if (a.csv) {
        print_csv(&t, a.top);
    } else {
        setlocale(LC_CTYPE, "");
        print_text(&t, a.top, strcmp(nl_langinfo(CODESET), "UTF-8") == 0);
    }
    status = tripped ? EXIT_GATE : EXIT_OK;
out:
    trend_free(&t);
out_gates:
    for (size_t k = 0; k < a.n_gates; k++)
        trend_gate_free(&a.gates[k]);
    free(a.gates);
    return status;
}
