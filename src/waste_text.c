#include "waste_text.h"

#include <stdlib.h>
#include <string.h>

#include "refs.h"
#include "report.h"

static void add_line(struct waste_lines *l, enum waste_line_kind kind, size_t index, struct strbuf *text)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->list = xreallocarray(l->list, l->cap, sizeof *l->list, "the waste report");
    }
    l->list[l->n++] = (struct waste_line){kind, index, xstrdup(sb_cstr(text), "the waste report")};
    sb_reset(text);
}

static void add_text(struct waste_lines *l, const char *s, struct strbuf *tmp)
{
    sb_adds(tmp, s);
    add_line(l, WASTE_LINE_TEXT, 0, tmp);
}

/* A value as a Python literal, cut to max bytes, escaped. */
static void value_text(const struct heap *h, obj_t o, size_t max, struct strbuf *out)
{
    size_t len;
    const char *s = heap_str(h, o, &len);
    size_t keep = hw_utf8_cut(s, len, max);
    struct strbuf q;
    sb_init(&q);
    refs_py_quote(s, keep, &q);
    if (keep < len)
        sb_adds(&q, "...");
    report_escape_quoted(sb_cstr(&q), out);
    sb_free(&q);
}

static void type_text(const struct heap *h, uint32_t type, struct strbuf *out)
{
    report_escape_str(types_name(&h->types, type), out);
}

static void strings_text(const struct heap *h, const struct waste *w, struct waste_lines *l, struct strbuf *sb)
{
    sb_printf(sb, "Duplicate values: %llu bytes would be saved by keeping one copy of each",
              (unsigned long long)w->dup_saving);
    add_line(l, WASTE_LINE_TEXT, 0, sb);
    add_text(l, "   Objects      Bytes   Values   Copies     Saving      Cut   CutBytes Kind", sb);
    for (size_t k = 0; k < w->n_strings; k++) {
        const struct waste_strings *s = &w->strings[k];
        sb_printf(sb, "%10llu %10llu %8llu %8llu %10llu %8llu %10llu ", (unsigned long long)s->objects,
                  (unsigned long long)s->bytes, (unsigned long long)s->dup_values, (unsigned long long)s->dup_copies,
                  (unsigned long long)s->saving, (unsigned long long)s->cut, (unsigned long long)s->cut_bytes);
        type_text(h, s->type, sb);
        add_line(l, WASTE_LINE_STRINGS, k, sb);
    }
    if (w->n_dups) {
        add_text(l, "", sb);
        add_text(l, "  Copies     Saving Kind  Value <- held by", sb);
    }
    for (size_t k = 0; k < w->n_dups; k++) {
        const struct waste_dup *d = &w->dups[k];
        sb_printf(sb, "%8llu %10llu ", (unsigned long long)d->copies, (unsigned long long)d->saving);
        type_text(h, d->type, sb);
        sb_adds(sb, "  ");
        value_text(h, d->example, 60, sb);
        for (size_t j = 0; j < d->n_holders; j++) {
            sb_adds(sb, j ? ", " : " <- ");
            report_escape_str(d->holders[j].name, sb);
            if (d->holders[j].instance_dict)
                sb_adds(sb, ".__dict__");
            sb_printf(sb, " x%llu", (unsigned long long)d->holders[j].copies);
        }
        add_line(l, WASTE_LINE_DUP, k, sb);
    }
}

static void containers_text(const struct heap *h, const struct waste *w, struct waste_lines *l, struct strbuf *sb)
{
    add_text(l, "", sb);
    add_text(l, "Containers: empty, and bigger than CPython makes them for their len", sb);
    add_text(l, "   Objects      Bytes    Empty EmptyBytes     Over  OverBytes     Excess Kind", sb);
    for (size_t k = 0; k < w->n_containers; k++) {
        const struct waste_container *c = &w->containers[k];
        sb_printf(sb, "%10llu %10llu %8llu %10llu ", (unsigned long long)c->objects, (unsigned long long)c->bytes,
                  (unsigned long long)c->empty, (unsigned long long)c->empty_bytes);
        if (c->assessed) {
            sb_printf(sb, "%8llu %10llu %10llu ", (unsigned long long)c->over, (unsigned long long)c->over_bytes,
                      (unsigned long long)c->excess);
            type_text(h, c->type, sb);
        } else {
            sb_printf(sb, "%8s %10s %10s ", "-", "-", "-");
            type_text(h, c->type, sb);
            sb_adds(sb, " (sizes do not follow the model: not assessed)");
        }
        add_line(l, WASTE_LINE_CONTAINER, k, sb);
    }
    if (w->n_over) {
        add_text(l, "", sb);
        add_text(l, "    Excess Object", sb);
    }
    for (size_t k = 0; k < w->n_over; k++) {
        struct strbuf r;
        sb_init(&r);
        refs_repr(h, w->over[k].object, 40, &r);
        sb_printf(sb, "%10llu ", (unsigned long long)w->over[k].excess);
        report_escape_quoted(sb_cstr(&r), sb);
        sb_free(&r);
        add_line(l, WASTE_LINE_OVER, k, sb);
    }
}

static void classes_text(const struct waste *w, size_t top, struct waste_lines *l, struct strbuf *sb)
{
    add_text(l, "", sb);
    sb_printf(sb, "Instances with a __dict__: %llu bytes would be saved by __slots__",
              (unsigned long long)w->slots_saving);
    add_line(l, WASTE_LINE_TEXT, 0, sb);
    add_text(l, " Instances  DictBytes    Attrs     Saving Class", sb);
    for (size_t k = 0; k < w->n_classes && (!top || k < top); k++) {
        const struct waste_class *c = &w->classes[k];
        sb_printf(sb, "%10llu %10llu %8llu %10llu ", (unsigned long long)c->instances,
                  (unsigned long long)c->dict_bytes, (unsigned long long)c->attributes, (unsigned long long)c->saving);
        report_escape_str(c->name, sb);
        add_line(l, WASTE_LINE_CLASS, k, sb);
    }
}

void waste_text(const struct heap *h, const struct waste *w, size_t top, struct waste_lines *out)
{
    memset(out, 0, sizeof *out);
    struct strbuf sb;
    sb_init(&sb);
    strings_text(h, w, out, &sb);
    containers_text(h, w, out, &sb);
    classes_text(w, top, out, &sb);
    sb_free(&sb);
}

void waste_lines_free(struct waste_lines *l)
{
    for (size_t k = 0; k < l->n; k++)
        free(l->list[k].text);
    free(l->list);
    memset(l, 0, sizeof *l);
}
