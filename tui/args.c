/* args.c: the explorer's command line (see app.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../src/escape.h"
#include "app.h"
#include "tui.h"

/* getopt_long codes of the explorer's options. */
enum { OPT_RAW = 1000, OPT_STRICT, OPT_THREADS, OPT_HELP, OPT_COLOR, OPT_NO_CACHE, OPT_FORCE };

static void tui_usage(void (*usage)(FILE *to), FILE *to)
{
    usage(to);
    fputs("Explorer options:\n"
          "  --color=WHEN   auto (default) or never; NO_COLOR in the environment means never\n",
          to);
}

/* Returns -1 to go on, or the exit status. */
static int tui_option(int c, const char *arg, void (*usage)(FILE *to), struct tui_options *o)
{
    switch (c) {
    case OPT_RAW: o->open.load.collapse = 0; return -1;
    case OPT_STRICT: o->open.load.strict = 1; return -1;
    case 'q': o->open.quiet = 1; return -1;
    case OPT_NO_CACHE: o->open.load.cache = 0; return -1;
    case OPT_FORCE: o->open.load.force = 1; return -1;
    case OPT_THREADS: return open_parse_threads("explorer", arg, &o->open.load.threads) < 0 ? TUI_EXIT_USAGE : -1;
    case OPT_COLOR:
        if (strcmp(arg, "never") == 0 || strcmp(arg, "auto") == 0) {
            o->color = strcmp(arg, "auto") == 0;
            return -1;
        }
        hw_eprintf("heapwalk: --color wants never or auto, not '%s'\n", arg);
        return TUI_EXIT_USAGE;
    case OPT_HELP: tui_usage(usage, stdout); return TUI_EXIT_OK;
    default: return TUI_EXIT_USAGE; /* args_parse said what was wrong */
    }
}

int args_parse(int argc, char **argv, void (*usage)(FILE *to), struct tui_options *o)
{
    static const struct option longopts[] = {
        {"raw", no_argument, NULL, OPT_RAW},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"quiet", no_argument, NULL, 'q'},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"no-cache", no_argument, NULL, OPT_NO_CACHE},
        {"force", no_argument, NULL, OPT_FORCE},
        {"color", required_argument, NULL, OPT_COLOR},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    open_options_init(&o->open);
    o->color = 1;
    optind = 1;
    opterr = 0; /* getopt would echo the argument raw */
    int c, status;
    while ((c = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
        if (c == '?' || c == ':') {
            open_bad_option(NULL, c, argv[optind - 1]);
            return TUI_EXIT_USAGE;
        }
        if ((status = tui_option(c, optarg, usage, o)) >= 0)
            return status;
    }
    if (optind >= argc) {
        hw_eprintf("heapwalk: which dump? give a file\n");
        tui_usage(usage, stderr);
        return TUI_EXIT_USAGE;
    }
    /* D1 D2 ... OLD NEW: the last two compared, all of them for the trend. */
    if (argc - optind >= 3) {
        o->earlier = argv + optind;
        o->n_earlier = (size_t)(argc - optind - 2);
        optind += (int)o->n_earlier;
    }
    if (argc - optind == 2)
        o->old_path = argv[optind++];
    o->path = argv[optind];
    return -1;
}
