/* cli.h: the batch subcommands (summary, show), their options and output, text and --json. */
#ifndef HW_CLI_H
#define HW_CLI_H

#include <stdio.h>

#include "load.h"

#define HW_VERSION "0.1.0"

/* Exit statuses: 0 success, 1 a failure (bad dump, unknown address), 2 usage. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cli_summary(int argc, char **argv);
int cli_show(int argc, char **argv);

/* Load a dump for a subcommand: progress on stderr when it is a terminal, then
 * the notes about bad lines, duplicates and dangling refs (unless quiet).
 * Prints the error and returns -1 on failure. */
int cli_load(const char *path, const struct load_options *opt, int quiet, struct heap *h);

void cli_usage(FILE *to);

#endif
