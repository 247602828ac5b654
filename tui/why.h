/* why.h: why is it alive: the why-alive pane, and the text it shares with the
 * path screen (view_path.c) and the object inspector.
 *
 * The pane shows, under a list, the shortest path from a root to the object
 * on the selected row: one hop per line as `heapwalk path` prints it
 * (distance, repr, and how the hop refers to the next), then the path as a
 * Python-like expression.  It follows the selection: the path is a walk up
 * the predecessors the background analysis found (analysis.h), so it costs
 * nothing; until the analysis has got that far the pane says what it is
 * doing.  app.c owns the one pane, lays it out under the screens that say
 * which object their selected row is (view_ops.selected), and gives it the
 * keys while it has the focus. */
#ifndef HW_TUI_WHY_H
#define HW_TUI_WHY_H

#include <stddef.h>

#include "draw.h"
#include "view.h"

struct why_pane {
    int shown;               /* w shows and hides it */
    int focus;               /* the keys move among its hops (W) */
    obj_t target;            /* the object the path is for; OBJ_NONE: none */
    int ready;               /* the path was looked for (the analysis had the paths) */
    int stale;               /* the analysis changed since: look again */
    unsigned news, restarts; /* the loop's counts when it last told the pane (why_refresh) */
    obj_t *path;             /* root .. target, len hops (owned); NULL: no path */
    size_t len;
    struct list list;        /* the hops, for the focus */
};

void why_init(struct why_pane *w);
void why_free(struct why_pane *w);

/* The rows the pane takes at the bottom of an area of height rows: enough
 * for the longest path in the dump, at most half the area, 0 when hidden or
 * when the area is too small to share. */
int why_rows(const struct why_pane *w, const struct view_ctx *ctx, int height);
/* The analysis changed: a stage finished, or (restarted) it started again.
 * The next why_update looks for the path again if that can change it.  The
 * loop calls it. */
void why_refresh(struct why_pane *w, int restarted);
/* Show target's path (OBJ_NONE: the row has no object) in a pane of rows
 * rows.  Called before each draw: finds the path again (paths_get, into
 * w->path, which the pane owns) only when the target changed or after
 * why_refresh. */
void why_update(struct why_pane *w, const struct view_ctx *ctx, obj_t target, int rows);
void why_draw(const struct why_pane *w, const struct view_ctx *ctx, const struct view_area *area);
/* An action while the pane has the focus: the moves, Enter or Right (opens
 * the hop's object).  Returns VIEW_* flags; VIEW_IGNORED leaves the action to
 * the screen and the program. */
unsigned why_key(struct why_pane *w, enum action a, struct view_result *res);
/* The hop under the pane's cursor while it has the focus, else OBJ_NONE. */
obj_t why_focused(const struct why_pane *w);

/* --- the text the pane, the path screen and the inspector share --- */

/* Hop k of path as `heapwalk path` prints it, "   2  repr  -> [68]", drawn
 * in width columns on row y; a repr too long for the row is cut so that the
 * label still shows. */
void why_draw_hop(int y, int width, const struct view_ctx *ctx, const obj_t *path, size_t len, size_t k, enum role r);
/* The path as a Python-like expression (paths_expression), but only its
 * first max bytes or so and then "…": a row shows no more, and a path of 2M
 * hops must not be spelled out whole at every redraw. */
void why_expression(const struct view_ctx *ctx, const obj_t *path, size_t len, size_t max, struct strbuf *out);
/* "2 hops from a structural root", as `heapwalk path` says it. */
void why_path_summary(const struct heap *h, const struct roots *r, size_t len, obj_t root, struct strbuf *out);
/* What a root is, for a note under a path (static text), or NULL for an
 * object that is not a root.  Parentless objects that are not anchors are
 * the orphan candidates. */
const char *why_root_note(const struct heap *h, const struct roots *r, obj_t o);
/* For the object inspector's title: ", distance 2 from a module root" once
 * the analysis has the paths, nothing before. */
void why_distance(const struct view_ctx *ctx, obj_t o, struct strbuf *out);

#endif
