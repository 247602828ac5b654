/* app.c: the explorer's entry point: what can stop it before the (possibly
 * long) load, the load, the terminal, and freeing it all (see app.h for the
 * other parts). */
#include "tui.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/escape.h"
#include "../src/refs.h"
#include "app.h"
#include "keymap.h"
#include "terminal.h"

static int app_load(struct app *a, const struct tui_options *o)
{
    double start = hw_now();
    if (open_dump_notes(o->path, &o->open, &a->heap, &a->notes) < 0)
        return -1;
    summary_compute(&a->heap, &a->summary);
    query_index_build(&a->heap, &a->index);
    a->classes = refs_class_counts(&a->heap);
    for (int s = 0; s < MARKS_MAX; s++)
        a->marks.obj[s] = OBJ_NONE;
    const char *slash = strrchr(o->path, '/');
    a->dump_name = slash ? slash + 1 : o->path;
    if (o->old_path) {
        if (compare_load(&a->compare, o->old_path, o->path, &o->open, &a->heap) < 0)
            return -1;
        if (o->n_earlier &&
            compare_load_trend(&a->compare, o->earlier, o->n_earlier, &o->open, o->old_path, o->path) < 0)
            return -1;
        a->dump_name = a->compare.label;
    }
    a->ctx = (struct view_ctx){&a->heap, &a->summary, &a->index, &a->marks, a->dump_name, &a->analysis,
                               o->old_path ? &a->compare : NULL, term_cancel_flag(), &a->job, &a->notes, 0,
                               a->classes, &a->sets, o->path, &a->load};
    a->load = o->open.load;
    /* The first run, with no pins and no skipped kinds, finds the holders of
     * new objects too (compare.h). */
    analysis_start(&a->analysis, &a->heap, NULL, 0, 0, o->old_path ? compare_paths_found : NULL,
                   o->old_path ? &a->compare : NULL);
    why_init(&a->why);
    a->current = -1;
    snprintf(a->message, sizeof a->message, "loaded in %.1f s; ? shows the keys", hw_now() - start);
    job_init(&a->job);
    const char *timing = getenv("HEAPWALK_KEYTIMES");
    if (timing && *timing)
        a->timing = fopen(timing, "a");
    return 0;
}

static void app_free(struct app *a)
{
    job_stop(&a->job, NULL); /* it reads what the screens own */
    app_history_free(a);
    named_sets_free(&a->sets);
    free(a->retained.objs);
    if (a->have_search)
        query_match_free(&a->search);
    if (a->timing)
        fclose(a->timing);
    analysis_stop(&a->analysis); /* before the heap it reads */
    compare_free(&a->compare);   /* likewise */
    why_free(&a->why);
    free(a->pins);
    query_index_free(&a->index);
    free(a->classes);
    summary_free(&a->summary);
    heap_free(&a->heap);
    notes_free(&a->notes);
    free(a);
}

static const char NOT_A_TERMINAL[] =
    "heapwalk: the explorer needs a terminal; for scripts use: heapwalk summary|show ...\n"
    "  heapwalk summary DUMP        the type table\n"
    "  heapwalk show ADDRESS DUMP   one object, its children, parents and refs as a dict\n";

/* Everything that can stop the explorer before the (possibly long) load:
 * returns -1 to go on, or the exit status. */
static int preflight(const struct tui_options *opt)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fputs(NOT_A_TERMINAL, stderr);
        return TUI_EXIT_FAIL;
    }
    int stdin_dump = strcmp(opt->path, "-") == 0 || (opt->old_path && strcmp(opt->old_path, "-") == 0);
    for (size_t k = 0; k < opt->n_earlier; k++)
        stdin_dump |= strcmp(opt->earlier[k], "-") == 0;
    if (stdin_dump) {
        fputs("heapwalk: the explorer reads keys from the terminal, so the dump cannot come from stdin;\n"
              "  give a file name, or use heapwalk summary -\n",
              stderr);
        return TUI_EXIT_USAGE;
    }
    struct hw_error err = {{0}};
    if (term_check(&err) < 0) {
        hw_eprintf("heapwalk: %s\n", err.msg);
        return TUI_EXIT_FAIL;
    }
    return -1;
}

int tui_main(int argc, char **argv, void (*usage)(FILE *to))
{
    struct tui_options opt;
    int status = args_parse(argc, argv, usage, &opt);
    if (status < 0) {
        setlocale(LC_CTYPE, "");
        status = preflight(&opt);
    }
    if (status >= 0)
        return status;
    struct hw_error err = {{0}};
    struct app *a = xcalloc(1, sizeof *a, "the explorer");
    if (app_load(a, &opt) < 0) {
        app_free(a);
        return TUI_EXIT_FAIL;
    }
    if (keymap_init(&err) < 0) { /* before the terminal is set up: a bug, said plainly */
        hw_eprintf("heapwalk: %s\n", err.msg);
        app_free(a);
        return TUI_EXIT_FAIL;
    }
    if (term_start(opt.color, &err) < 0) {
        hw_eprintf("heapwalk: %s\n", err.msg);
        app_free(a);
        return TUI_EXIT_FAIL;
    }
    app_open_view(a, (struct view_spec){VIEW_SUMMARY, 0, OBJ_NONE, NULL});
    app_run(a);
    term_stop();
    term_free();
    int sig = term_signal(), lost = a->lost;
    app_free(a);
    if (lost)
        fputs("heapwalk: the terminal went away; stopped\n", stderr);
    if (sig) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
    return lost ? TUI_EXIT_FAIL : TUI_EXIT_OK;
}
