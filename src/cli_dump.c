/* cli_dump.c: heapwalk dump PID: make a running CPython process write a dump
 * (attach.c does the work), print where it is, optionally open it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "cli.h"
#include "../tui/tui.h"

static void dump_usage(FILE *to)
{
    fputs("usage: heapwalk dump [-o FILE] [--open] [--timeout S] [-q] PID\n"
          "Makes the running CPython process PID (3.8 to 3.13; no heapwalk code in it) write a\n"
          "dump of its heap, with gdb: at a safe point it starts a thread that runs heapwalk's\n"
          "scanner. Prints the dump's path (unless FILE is a device or a pipe).\n"
          "  -o, --output FILE  where to write it (default /tmp/heapwalk-PID-TIME.json.gz)\n"
          "  --open             then open the explorer on it\n"
          "  --timeout S        give up after S seconds (default 600): the process is told to stop\n"
          "  -q, --quiet        no progress on stderr\n"
          "Needs gdb (Debian package gdb) and the right to trace PID (its user, or root).\n",
          to);
}

struct progress_state {
    int shown;
};

static void dump_progress(enum attach_stage stage, uint64_t bytes, double elapsed, void *ctx)
{
    struct progress_state *ps = ctx;
    if (stage == ATTACH_ENTERING)
        fprintf(stderr, "\r\033[Kdump: waiting for a safe point in the process, %.1fs", elapsed);
    else
        fprintf(stderr, "\r\033[Kdump: the process is writing: %.1f MB so far, %.1fs", (double)bytes / 1e6,
                elapsed);
    fflush(stderr);
    ps->shown = 1;
}

enum { OPT_OPEN = 2000, OPT_TIMEOUT };

static int parse_timeout(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v > 0) || v > 1e7) {
        hw_eprintf("heapwalk dump: --timeout wants a number of seconds, not '%s'\n", s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_pid(const char *s, pid_t *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v <= 0 || v > 0x3fffffff) {
        hw_eprintf("heapwalk dump: '%s' is not a process id\n", s);
        return -1;
    }
    *out = (pid_t)v;
    return 0;
}

int cli_dump(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'}, {"open", no_argument, NULL, OPT_OPEN},
        {"timeout", required_argument, NULL, OPT_TIMEOUT}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int open_it = 0, quiet = 0, c;
    double timeout = 600;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qh", options, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_OPEN: open_it = 1; break;
        case OPT_TIMEOUT:
            if (parse_timeout(optarg, &timeout) < 0)
                return EXIT_USAGE;
            break;
        case 'q': quiet = 1; break;
        case 'h': dump_usage(stdout); return EXIT_OK;
        default: dump_usage(stderr); return EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        hw_eprintf("heapwalk dump: wants one process id\n");
        dump_usage(stderr);
        return EXIT_USAGE;
    }
    pid_t pid;
    if (parse_pid(argv[optind], &pid) < 0)
        return EXIT_USAGE;
    char def[96];
    if (!out) {
        snprintf(def, sizeof def, "/tmp/heapwalk-%d-%lld.json.gz", (int)pid, (long long)time(NULL));
        out = def;
    }
    struct progress_state ps = {0};
    struct attach_options o = {
        .pid = pid, .out = out, .timeout = timeout, .gdb = "gdb", .scanner = scanner_py,
        .scanner_len = scanner_py_len,
        .progress = !quiet && isatty(STDERR_FILENO) ? dump_progress : NULL, .progress_ctx = &ps,
    };
    struct attach_result res;
    struct hw_error err = {{0}};
    int rc = attach_dump(&o, &res, &err);
    if (ps.shown)
        fputs("\r\033[K", stderr);
    if (rc < 0) {
        hw_eprintf("heapwalk dump: %s\n", err.msg);
        return EXIT_FAIL;
    }
    if (!quiet)
        hw_eprintf("heapwalk dump: %llu objects, %llu bytes, %.1f s\n", (unsigned long long)res.objects,
                (unsigned long long)res.bytes, res.seconds);
    struct stat st;
    if (lstat(out, &st) == 0 && S_ISREG(st.st_mode))
        printf("%s\n", out); /* not into a pipe or device that holds the dump itself */
    if (!open_it)
        return EXIT_OK;
    fflush(stdout);
    char *tui_argv[] = {"heapwalk", (char *)out, NULL};
    return tui_main(2, tui_argv, cli_usage);
}
