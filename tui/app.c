/* app.c: placeholder until the explorer lands: prints the summary. */
#include "tui.h"

#include <stdio.h>

#include "../src/cli.h"

int tui_main(int argc, char **argv)
{
    char *args[3] = {"summary", NULL, NULL};
    if (argc != 2) {
        cli_usage(stderr);
        return EXIT_USAGE;
    }
    args[1] = argv[1];
    return cli_summary(2, args);
}
