/* tui.h: the interactive explorer's entry point. */
#ifndef HW_TUI_H
#define HW_TUI_H

#include <stdio.h>

/* Exit statuses, as the subcommands' (cli.h): success, a failure, a usage error. */
enum { TUI_EXIT_OK = 0, TUI_EXIT_FAIL = 1, TUI_EXIT_USAGE = 2 };

/* heapwalk [OPTIONS] DUMP: argv as main() got it; usage prints the whole
 * program's usage, which --help and usage errors show before the explorer's
 * own options.  Returns the exit status. */
int tui_main(int argc, char **argv, void (*usage)(FILE *to));

#endif
