#include "export.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "positions.h"
#include "refs.h"

/* A DOT string literal of a label whose fields are already escaped
 * (escape.h): quotes and backslashes escaped, the label's own newlines as \n,
 * anything else unsafe escaped again (dot's \x.. reads as text). */
static void dot_quote(const char *s, struct strbuf *out)
{
    struct strbuf safe;
    sb_init(&safe);
    sb_addc(out, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            sb_addc(out, '\\');
        if (*s == '\n') {
            sb_adds(out, "\\n");
        } else {
            size_t run = 1;
            while (s[run] && s[run] != '\n' && s[run] != '"' && s[run] != '\\')
                run++;
            sb_reset(&safe);
            hw_sb_message(&safe, s, run);
            sb_add(out, safe.buf, safe.len);
            s += run - 1;
        }
    }
    sb_addc(out, '"');
    sb_free(&safe);
}

/* A node: its type (its module-qualified class when classes share the name:
 * counts from refs_class_counts), address, size, value and root kind. */
static void dot_node(const struct heap *h, const uint32_t *counts, const struct roots *r, obj_t o, int target,
                     struct strbuf *out)
{
    struct strbuf label;
    sb_init(&label);
    refs_type_or_class(h, counts, o, &label);
    sb_printf(&label, "\n0x%llx\n%lluB", (unsigned long long)h->addr[o],
              (unsigned long long)heap_size(h, o));
    if (h->str[o]) {
        sb_addc(&label, '\n');
        refs_literal(h, o, 30, &label);
    }
    if (r->kind[o])
        sb_printf(&label, "\n(%s root)", roots_kind_name((enum root_kind)r->kind[o]));
    sb_printf(out, "  o%u [label=", o);
    dot_quote(sb_cstr(&label), out);
    if (target)
        sb_adds(out, ", style=\"filled,bold\", fillcolor=\"#ffd27f\"");
    else if (r->kind[o])
        sb_adds(out, ", style=filled, fillcolor=\"#b7d7f7\"");
    sb_adds(out, "];\n");
    sb_free(&label);
}

void export_dot(const struct heap *h, const struct roots *r, obj_t start, unsigned depth, int children,
                size_t fanout, struct strbuf *out)
{

    /* Breadth-first to the given depth; level[] marks the objects drawn. */
    uint32_t *level = xmalloc(h->n * sizeof *level, "the graph");
    for (size_t i = 0; i < h->n; i++)
        level[i] = UINT32_MAX;
    obj_t *queue = xmalloc(h->n * sizeof *queue, "the graph");
    size_t head = 0, tail = 0;
    sb_adds(out, children ? "digraph refs {\n" : "digraph backrefs {\n");
    sb_adds(out, "  node [shape=box, fontname=\"monospace\", fontsize=10];\n");
    uint32_t *counts = refs_class_counts(h);
    level[start] = 0;
    queue[tail++] = start;
    dot_node(h, counts, r, start, 1, out);
    size_t more = 0;
    while (head < tail) {
        obj_t v = queue[head++];
        if (level[v] >= depth)
            continue;
        const uint32_t *e = children ? heap_children(h, v) : heap_parents(h, v);
        size_t ne = children ? heap_nchildren(h, v) : heap_nparents(h, v);
        size_t shown = 0;
        for (size_t k = 0; k < ne; k++) {
            uint32_t w = e[k];
            if (heap_is_dangling(w))
                continue;
            if (shown == fanout) {
                size_t rest = ne - k;
                sb_printf(out, "  more%zu [label=\"%zu more\", shape=plaintext];\n", more, rest);
                if (children)
                    sb_printf(out, "  o%u -> more%zu;\n", v, more);
                else
                    sb_printf(out, "  more%zu -> o%u;\n", more, v);
                more++;
                break;
            }
            shown++;
            if (level[w] == UINT32_MAX) {
                level[w] = level[v] + 1;
                queue[tail++] = w;
                dot_node(h, counts, r, w, 0, out);
            }
            struct strbuf lab;
            sb_init(&lab);
            if (children)
                paths_edge_label(h, v, w, &lab);
            else
                paths_edge_label(h, w, v, &lab);
            if (children)
                sb_printf(out, "  o%u -> o%u [label=", v, w);
            else
                sb_printf(out, "  o%u -> o%u [label=", w, v);
            dot_quote(sb_cstr(&lab), out);
            sb_adds(out, "];\n");
            sb_free(&lab);
        }
    }
    sb_adds(out, "}\n");
    free(counts);
    free(level);
    free(queue);
}


/* Room for the positions of one object's refs, grown as needed. */
struct label_buf {
    struct position *pos;
    size_t cap;
    struct strbuf text;
};

/* , "labels": [...]: each ref's label, parallel to "refs" (positions.c's one rule). */
static void jsonl_labels(const struct heap *h, obj_t o, struct label_buf *lb, struct strbuf *sb)
{
    size_t n = heap_nchildren(h, o);
    if (n > lb->cap) {
        lb->cap = n;
        lb->pos = xreallocarray(lb->pos, n, sizeof *lb->pos, "the labels of refs");
    }
    positions_of_all(h, o, lb->pos);
    sb_adds(sb, ", \"labels\": [");
    for (size_t k = 0; k < n; k++) {
        sb_reset(&lb->text);
        positions_label(h, &lb->pos[k], &lb->text);
        if (k)
            sb_adds(sb, ", ");
        hw_sb_json(sb, lb->text.buf, lb->text.len);
    }
    sb_addc(sb, ']');
}

/* One object as a JSON line, appended to sb; lb (NULL: no labels) for its labels. */
static void jsonl_object(const struct heap *h, const struct roots *r, const struct paths *p, obj_t o,
                         struct label_buf *lb, struct strbuf *sb)
{
    size_t len;
    const char *s = heap_str(h, o, &len);
    sb_printf(sb, "{\"address\": %llu, \"type\": ", (unsigned long long)h->addr[o]);
    hw_sb_json(sb, heap_type_name(h, o), strlen(heap_type_name(h, o)));
    sb_printf(sb, ", \"size\": %llu", (unsigned long long)heap_size(h, o));
    if (h->flags[o] & OF_NAME) {
        sb_adds(sb, ", \"name\": ");
        hw_sb_json(sb, s, len);
    }
    if (h->flags[o] & OF_HAS_LEN)
        sb_printf(sb, ", \"len\": %llu", (unsigned long long)heap_len(h, o));
    if (h->flags[o] & OF_VALUE) {
        sb_adds(sb, ", \"value\": ");
        hw_sb_json(sb, s, len);
    } else if (h->flags[o] & OF_VALUE_NUM) {
        sb_adds(sb, ", \"value\": ");
        sb_add(sb, s, len);
    } else if (h->flags[o] & OF_VALUE_NULL) {
        sb_adds(sb, ", \"value\": null");
    }
    sb_adds(sb, ", \"refs\": [");
    const uint32_t *c = heap_children(h, o);
    for (size_t k = 0; k < heap_nchildren(h, o); k++)
        sb_printf(sb, "%s%llu", k ? ", " : "", (unsigned long long)heap_child_addr(h, c[k]));
    sb_addc(sb, ']');
    if (lb)
        jsonl_labels(h, o, lb, sb);
    if (h->flags[o] & OF_COLLAPSED)
        sb_adds(sb, ", \"collapsed\": true");
    if (p) {
        if (p->dist[o] == PATH_UNREACHED)
            sb_adds(sb, ", \"distance\": null");
        else
            sb_printf(sb, ", \"distance\": %u", p->dist[o]);
        if (p->pred[o] != OBJ_NONE)
            sb_printf(sb, ", \"pred\": %llu", (unsigned long long)h->addr[p->pred[o]]);
    }
    if (r && r->kind[o])
        sb_printf(sb, ", \"root\": \"%s\"", roots_kind_name((enum root_kind)r->kind[o]));
    sb_adds(sb, "}\n");
}

int export_jsonl_set(const struct heap *h, const struct roots *r, const struct paths *p, const obj_t *set, size_t n,
                     unsigned flags, FILE *to)
{
    struct strbuf sb;
    struct label_buf lb = {NULL, 0, {0}};
    sb_init(&sb);
    sb_init(&lb.text);
    int rc = 0;
    for (size_t i = 0; i < (set ? n : h->n) && rc == 0; i++) {
        sb_reset(&sb);
        jsonl_object(h, r, p, set ? set[i] : (obj_t)i, (flags & EXPORT_LABELS) ? &lb : NULL, &sb);
        if (fwrite(sb.buf, 1, sb.len, to) != sb.len)
            rc = -1;
    }
    sb_free(&sb);
    sb_free(&lb.text);
    free(lb.pos);
    return rc;
}

int export_jsonl(const struct heap *h, const struct roots *r, const struct paths *p, unsigned flags, FILE *to)
{
    return export_jsonl_set(h, r, p, NULL, 0, flags, to);
}

void export_dot_set(const struct heap *h, const struct roots *r, const obj_t *set, size_t n, size_t max_nodes,
                    size_t fanout, struct strbuf *out)
{
    /* drawn: 1 = a member shown, 2 = a holder shown */
    uint8_t *drawn = xcalloc(h->n ? h->n : 1, 1, "the graph");
    uint32_t *counts = refs_class_counts(h);
    size_t shown = n < max_nodes || !max_nodes ? n : max_nodes;
    sb_adds(out, "digraph set {\n  node [shape=box, fontname=\"monospace\", fontsize=10];\n");
    for (size_t k = 0; k < shown; k++) {
        drawn[set[k]] = 1;
        dot_node(h, counts, r, set[k], 1, out);
    }
    if (shown < n)
        sb_printf(out, "  more [label=\"%zu more objects\", shape=plaintext];\n", n - shown);
    struct strbuf lab;
    sb_init(&lab);
    for (size_t k = 0; k < shown; k++) {
        obj_t m = set[k];
        const uint32_t *par = heap_parents(h, m);
        size_t np = heap_nparents(h, m), holders = 0;
        for (size_t j = 0; j < np; j++) {
            obj_t p = par[j];
            if (drawn[p] != 1) {
                if (holders == fanout) {
                    sb_printf(out, "  more%u [label=\"%zu more\", shape=plaintext];\n  more%u -> o%u;\n", m,
                              np - j, m, m);
                    break;
                }
                holders++;
                if (!drawn[p]) {
                    drawn[p] = 2;
                    dot_node(h, counts, r, p, 0, out);
                }
            }
            sb_reset(&lab);
            paths_edge_label(h, p, m, &lab);
            sb_printf(out, "  o%u -> o%u [label=", p, m);
            dot_quote(sb_cstr(&lab), out);
            sb_adds(out, "];\n");
        }
    }
    sb_adds(out, "}\n");
    sb_free(&lab);
    free(counts);
    free(drawn);
}
