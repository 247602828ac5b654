/* heapwalk: explore Python heap dumps written by meliae's scanner.
 * Arguments pick a batch subcommand (cli.c) or the interactive explorer (tui/). */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../tui/tui.h"

static int run(int argc, char **argv);

/* The batch subcommands; anything else is the explorer's arguments. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"summary", cli_summary}, {"show", cli_show},         {"path", cli_path},         {"roots", cli_roots},
    {"dot", cli_dot},         {"export", cli_export},     {"retained", cli_retained}, {"diff", cli_diff},
    {"threads", cli_threads}, {"dump", cli_dump},         {"scanner", cli_scanner},   {"trend", cli_trend},
    {"suspects", cli_suspects}, {"waste", cli_waste},   {"sql", cli_sql},
};

/* Edit distance of a and b (both short), with transpositions. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 32 || lb > 32)
        return SIZE_MAX;
    size_t d[33][33];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

/* The subcommand word looks like a misspelling of (at most 2 edits, and not
 * a file that exists), or NULL. */
static const char *nearest_command(const char *word)
{
    if (word[0] == '-' || access(word, F_OK) == 0)
        return NULL;
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++) {
        size_t d = distance(word, commands[k].name);
        if (d < best_d) {
            best_d = d;
            best = commands[k].name;
        }
    }
    return best;
}

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
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        if (strcmp(cmd, commands[k].name) == 0)
            return commands[k].run(argc - 1, argv + 1);
    const char *near = nearest_command(cmd);
    if (near) {
        hw_eprintf("heapwalk: '%s' is not a subcommand (nor a file); did you mean 'heapwalk %s'?\n", cmd, near);
        return EXIT_USAGE;
    }
    return tui_main(argc, argv, cli_usage);
}
