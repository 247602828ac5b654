#include "trend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uthash.h>

#include "report.h"
#include "summary.h"

struct trend_name {
    size_t index;
    UT_hash_handle hh;       /* keyed by types[index].name */
};

void trend_init(struct trend *t)
{
    memset(t, 0, sizeof *t);
}

void trend_free(struct trend *t)
{
    struct trend_name *e, *tmp;
    HASH_ITER(hh, t->by_name, e, tmp) {
        HASH_DEL(t->by_name, e);
        free(e);
    }
    for (size_t k = 0; k < t->n_types; k++) {
        free(t->types[k].name);
        free(t->types[k].count);
        free(t->types[k].size);
    }
    for (size_t d = 0; d < t->n_dumps; d++)
        free(t->labels[d]);
    free(t->types);
    free(t->labels);
    free(t->times);
    memset(t, 0, sizeof *t);
}

/* The row of a type name, added (zero in every dump so far) when new. */
static struct trend_type *row_for(struct trend *t, const char *name)
{
    struct trend_name *e;
    size_t len = strlen(name);
    HASH_FIND(hh, t->by_name, name, len, e);
    if (e)
        return &t->types[e->index];
    if (t->n_types == t->cap_types) {
        t->cap_types = t->cap_types ? 2 * t->cap_types : 64;
        t->types = xreallocarray(t->types, t->cap_types, sizeof *t->types, "the trend table");
    }
    struct trend_type *r = &t->types[t->n_types];
    memset(r, 0, sizeof *r);
    r->name = xstrdup(name, "the trend table");
    /* One spare column: trend_add fills the dump being added. */
    r->count = xcalloc(t->n_dumps + 1, sizeof *r->count, "the trend table");
    r->size = xcalloc(t->n_dumps + 1, sizeof *r->size, "the trend table");
    e = xmalloc(sizeof *e, "the trend table");
    e->index = t->n_types++;
    HASH_ADD_KEYPTR(hh, t->by_name, r->name, len, e);
    return r;
}

void trend_add(struct trend *t, const struct heap *h, const char *label, int64_t time)
{
    size_t d = t->n_dumps;
    for (size_t k = 0; k < t->n_types; k++) { /* a column for every known type */
        struct trend_type *r = &t->types[k];
        r->count = xreallocarray(r->count, d + 1, sizeof *r->count, "the trend table");
        r->size = xreallocarray(r->size, d + 1, sizeof *r->size, "the trend table");
        r->count[d] = r->size[d] = 0;
    }
    struct summary s;
    summary_compute(h, &s);
    for (size_t k = 0; k < s.n; k++) {
        struct trend_type *r = row_for(t, types_name(&h->types, s.rows[k].type));
        r->count[d] = s.rows[k].count;
        r->size[d] = s.rows[k].size;
    }
    summary_free(&s);
    t->labels = xreallocarray(t->labels, d + 1, sizeof *t->labels, "the trend table");
    t->times = xreallocarray(t->times, d + 1, sizeof *t->times, "the trend table");
    t->labels[d] = xstrdup(label, "the trend table");
    t->times[d] = time;
    t->n_dumps = d + 1;
}

static int cmp_rows(const void *a, const void *b)
{
    const struct trend_type *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->size_change != y->size_change)
        return x->size_change < y->size_change ? 1 : -1;
    return strcmp(x->name, y->name);
}

void trend_finish(struct trend *t)
{
    size_t last = t->n_dumps ? t->n_dumps - 1 : 0;
    for (size_t k = 0; k < t->n_types; k++) {
        struct trend_type *r = &t->types[k];
        r->rises = r->falls = 0;
        for (size_t d = 1; d < t->n_dumps; d++) {
            r->rises += r->size[d] > r->size[d - 1];
            r->falls += r->size[d] < r->size[d - 1];
        }
        r->count_change = t->n_dumps ? (int64_t)(r->count[last] - r->count[0]) : 0;
        r->size_change = t->n_dumps ? (int64_t)(r->size[last] - r->size[0]) : 0;
        r->score = last ? (double)r->size_change * fabs((double)r->rises - (double)r->falls) / (double)last : 0;
    }
    if (t->n_types > 1)
        qsort(t->types, t->n_types, sizeof *t->types, cmp_rows);
    /* The hash's indexes moved with the sort. */
    struct trend_name *e, *tmp;
    HASH_ITER(hh, t->by_name, e, tmp) {
        HASH_DEL(t->by_name, e);
        free(e);
    }
    for (size_t k = 0; k < t->n_types; k++) {
        e = xmalloc(sizeof *e, "the trend table");
        e->index = k;
        HASH_ADD_KEYPTR(hh, t->by_name, t->types[k].name, strlen(t->types[k].name), e);
    }
}

const struct trend_type *trend_find(const struct trend *t, const char *name)
{
    struct trend_name *e;
    HASH_FIND(hh, t->by_name, name, strlen(name), e);
    return e ? &t->types[e->index] : NULL;
}

int trend_has_times(const struct trend *t)
{
    for (size_t d = 0; d < t->n_dumps; d++)
        if (t->times[d] < 0 || (d > 0 && t->times[d] <= t->times[d - 1]))
            return 0;
    return t->n_dumps > 0;
}

/* --- --fail-if --- */

int trend_gate_parse(const char *spec, struct trend_gate *g, struct hw_error *err)
{
    memset(g, 0, sizeof *g);
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec)
        return hw_fail(err, "--fail-if '%s': wants TYPE:+N or TYPE:+P%%", spec);
    const char *num = colon + 1;
    if (*num != '+')
        return hw_fail(err, "--fail-if '%s': the growth after ':' starts with '+' (TYPE:+N or TYPE:+P%%)", spec);
    num++;
    if (*num < '0' || *num > '9')
        return hw_fail(err, "--fail-if '%s': '%s' is not a number", spec, num);
    char *end;
    double v = strtod(num, &end);
    int percent = *end == '%';
    if (percent)
        end++;
    if (*end || !isfinite(v) || (!percent && v != floor(v)))
        return hw_fail(err, "--fail-if '%s': '%s' is not a whole number or a percentage", spec, num);
    g->type = xmalloc((size_t)(colon - spec) + 1, "--fail-if");
    memcpy(g->type, spec, (size_t)(colon - spec));
    g->type[colon - spec] = '\0';
    g->limit = v;
    g->percent = percent;
    return 0;
}

void trend_gate_free(struct trend_gate *g)
{
    free(g->type);
    g->type = NULL;
}

int trend_gate_check(const struct trend *t, const struct trend_gate *g, int64_t *growth, double *pct)
{
    const struct trend_type *r = trend_find(t, g->type);
    *growth = 0;
    *pct = 0;
    if (!r || t->n_dumps == 0)
        return 0;
    uint64_t first = r->count[0], last = r->count[t->n_dumps - 1];
    *growth = (int64_t)(last - first);
    if (first)
        *pct = (double)*growth * 100.0 / (double)first;
    else
        *pct = *growth > 0 ? INFINITY : 0;
    return g->percent ? *pct > g->limit : (double)*growth > g->limit;
}

/* --- SVG --- */

static const char *const svg_colors[] = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
};

enum { SVG_W = 800, SVG_H = 420, SVG_LEFT = 90, SVG_RIGHT = 230, SVG_TOP = 40, SVG_BOTTOM = 60 };

static void svg_time_label(int64_t when, struct strbuf *out)
{
    time_t tt = (time_t)when;
    struct tm tm;
    char buf[32];
    if (gmtime_r(&tt, &tm) && strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm))
        sb_adds(out, buf);
}

void trend_svg(const struct trend *t, size_t top, struct strbuf *out)
{
    size_t nt = top < t->n_types ? top : t->n_types;
    size_t nc = sizeof svg_colors / sizeof *svg_colors;
    nt = nt < nc ? nt : nc;
    int times = trend_has_times(t);
    double x0 = 0, x1 = t->n_dumps > 1 ? (double)(t->n_dumps - 1) : 1;
    if (times && t->n_dumps > 1) {
        x0 = (double)t->times[0];
        x1 = (double)t->times[t->n_dumps - 1];
    }
    uint64_t ymax = 1;
    for (size_t k = 0; k < nt; k++)
        for (size_t d = 0; d < t->n_dumps; d++)
            ymax = t->types[k].size[d] > ymax ? t->types[k].size[d] : ymax;
    double pw = SVG_W - SVG_LEFT - SVG_RIGHT, ph = SVG_H - SVG_TOP - SVG_BOTTOM;
    sb_printf(out,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
              "font-family=\"sans-serif\" font-size=\"12\">\n"
              "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
              "<text x=\"%d\" y=\"24\" font-size=\"15\">Total size of the types that grow most (heapwalk trend)</text>\n",
              SVG_W, SVG_H, SVG_W, SVG_H, SVG_LEFT);
    /* Axes, the y range and the x labels. */
    sb_printf(out, "<path d=\"M%d %d V%d H%d\" stroke=\"black\" fill=\"none\"/>\n", SVG_LEFT, SVG_TOP,
              SVG_H - SVG_BOTTOM, SVG_W - SVG_RIGHT);
    sb_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%llu B</text>\n", SVG_LEFT - 6, SVG_TOP + 4,
              (unsigned long long)ymax);
    sb_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0 B</text>\n", SVG_LEFT - 6, SVG_H - SVG_BOTTOM);
    for (size_t d = 0; d < t->n_dumps; d++) {
        double xv = times ? (double)t->times[d] : (double)d;
        double x = SVG_LEFT + (x1 > x0 ? (xv - x0) / (x1 - x0) : 0) * pw;
        sb_printf(out, "<path d=\"M%.1f %d v5\" stroke=\"black\"/>\n", x, SVG_H - SVG_BOTTOM);
        if (d == 0 || d + 1 == t->n_dumps || t->n_dumps <= 8) {
            sb_printf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x, SVG_H - SVG_BOTTOM + 18);
            if (times)
                svg_time_label(t->times[d], out);
            else
                sb_printf(out, "%zu", d + 1);
            sb_adds(out, "</text>\n");
        }
    }
    sb_printf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", SVG_LEFT + pw / 2,
              SVG_H - 12, times ? "dump time (UTC, file modification time)" : "dump (in the order given)");
    for (size_t k = 0; k < nt; k++) {
        const struct trend_type *r = &t->types[k];
        sb_printf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", svg_colors[k]);
        for (size_t d = 0; d < t->n_dumps; d++) {
            double xv = times ? (double)t->times[d] : (double)d;
            double x = SVG_LEFT + (x1 > x0 ? (xv - x0) / (x1 - x0) : 0) * pw;
            double y = SVG_TOP + ph - (double)r->size[d] / (double)ymax * ph;
            sb_printf(out, "%s%.1f,%.1f", d ? " " : "", x, y);
        }
        sb_adds(out, "\"><title>");
        report_xml_text(r->name, out);
        sb_adds(out, "</title></polyline>\n");
        int ly = SVG_TOP + 10 + (int)k * 20;
        sb_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>\n", SVG_W - SVG_RIGHT + 16,
                  ly - 4, svg_colors[k]);
        sb_printf(out, "<text x=\"%d\" y=\"%d\">", SVG_W - SVG_RIGHT + 36, ly);
        /* Long names would leave the picture: cut at 28 bytes on a character boundary. */
        size_t len = strlen(r->name), keep = hw_utf8_cut(r->name, len, 28);
        char *cut = xmalloc(keep + 1, "the SVG");
        memcpy(cut, r->name, keep);
        cut[keep] = '\0';
        report_xml_text(cut, out);
        free(cut);
        sb_printf(out, "%s (%+lld B)</text>\n", keep < len ? "..." : "", (long long)r->size_change);
    }
    sb_adds(out, "</svg>\n");
}
