/* heapwalk: explore Python heap dumps written by meliae's scanner.
 * Arguments pick a batch subcommand (cli.c) or the interactive explorer (tui/). */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../tui/tui.h"

static int run(int argc, char **argv);

int main(int argc, char **argv)
{
    int status = run(argc, argv);
    /* A full disk or a closed pipe must not pass for success: the output is
     * the answer. (A closed pipe usually ends the process by SIGPIPE first.) */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "heapwalk: writing the output failed: %s\n", strerror(errno ? errno : EIO));
        return status == EXIT_OK ? EXIT_FAIL : status;
    }
    return status;
}

static int run(int argc, char **argv)
{
    /* Big arrays straight from mmap: freed ones go back to the system at once,
     * and growing them is a remap, not a copy (glibc would otherwise raise the
     * threshold as it goes and keep freed arrays in its heap). */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    if (argc < 2) {
        cli_usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        cli_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("heapwalk %s\n", HW_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "summary") == 0)
        return cli_summary(argc - 1, argv + 1);
    if (strcmp(cmd, "show") == 0)
        return cli_show(argc - 1, argv + 1);
    if (strcmp(cmd, "path") == 0)
        return cli_path(argc - 1, argv + 1);
    if (strcmp(cmd, "roots") == 0)
        return cli_roots(argc - 1, argv + 1);
    if (strcmp(cmd, "dot") == 0)
        return cli_dot(argc - 1, argv + 1);
    if (strcmp(cmd, "export") == 0)
        return cli_export(argc - 1, argv + 1);
    if (strcmp(cmd, "retained") == 0)
        return cli_retained(argc - 1, argv + 1);
    if (strcmp(cmd, "diff") == 0)
        return cli_diff(argc - 1, argv + 1);
    if (strcmp(cmd, "sql") == 0)
        return cli_sql(argc - 1, argv + 1);
    if (strcmp(cmd, "scanner") == 0)
        return cli_scanner(argc - 1, argv + 1);
    return tui_main(argc, argv);
}
