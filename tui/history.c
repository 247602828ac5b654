/* history.c: the screens opened so far, as a browser keeps its pages: back
 * and forward move through them, and opening a screen drops the ones ahead
 * (see app.h). */
#include <stdlib.h>
#include <string.h>

#include "app.h"

static void view_free(struct view *v)
{
    if (!v)
        return;
    v->ops->close(v);
    free(v);
}

struct view *app_view(const struct app *a)
{
    return a->history[a->current];
}

void app_open_view(struct app *a, struct view_spec spec)
{
    struct view *v = xcalloc(1, sizeof *v, "a screen");
    v->ops = view_ops_of(spec.kind);
    v->spec = spec;
    v->ops->open(v, &a->ctx);
    v->news = a->news; /* it was built from the results as they are */
    v->restarts = a->restarts;
    for (int i = a->current + 1; i < a->nhistory; i++)
        view_free(a->history[i]);
    a->nhistory = a->current + 1;
    if (a->nhistory == HISTORY_MAX) {
        view_free(a->history[0]);
        memmove(a->history, a->history + 1, (HISTORY_MAX - 1) * sizeof *a->history);
        a->nhistory--;
    }
    a->history[a->nhistory++] = v;
    a->current = a->nhistory - 1;
}

void app_go(struct app *a, int dir)
{
    int to = a->current + dir;
    if (to < 0)
        app_say(a, 0, "this is the first screen");
    else if (to >= a->nhistory)
        app_say(a, 0, "nothing ahead: f goes forward again after going back");
    else
        a->current = to;
}

void app_history_free(struct app *a)
{
    for (int i = 0; i < a->nhistory; i++)
        view_free(a->history[i]);
    a->nhistory = 0;
    a->current = -1;
}
