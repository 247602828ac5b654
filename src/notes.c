#include "notes.h"

#include "escape.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static struct load_note *add(struct load_notes *out, enum note_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static struct load_note *add(struct load_notes *out, enum note_kind kind, const char *fmt, ...)
{
    out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v, "the load notes");
    struct load_note *nt = &out->v[out->n++];
    memset(nt, 0, sizeof *nt);
    nt->kind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(nt->text, sizeof nt->text, fmt, ap);
    va_end(ap);
    return nt;
}

/* "FILE:LINE: reason" -> LINE, when the message starts with the file's name. */
static uint64_t line_of(const char *name, const char *msg)
{
    size_t len = strlen(name);
    if (strncmp(msg, name, len) != 0 || msg[len] != ':')
        return 0;
    char *end;
    unsigned long long line = strtoull(msg + len + 1, &end, 10);
    return *end == ':' ? (uint64_t)line : 0;
}

void notes_collect(const char *name, const struct load_report *rep, const struct heap *h, struct load_notes *out)
{
    memset(out, 0, sizeof *out);
    if (rep->bad_lines) {
        add(out, NOTE_BAD_LINES, "%s: skipped %llu bad line%s (--strict stops at the first)%s", name,
            (unsigned long long)rep->bad_lines, rep->bad_lines == 1 ? "" : "s",
            rep->n_messages < rep->bad_lines ? "; the first:" : ":");
        for (size_t i = 0; i < rep->n_messages; i++)
            add(out, NOTE_BAD_LINE, "%s", rep->messages[i])->line = line_of(name, rep->messages[i]);
    }
    if (h->stats.duplicates)
        add(out, NOTE_DUPLICATES, "%s: %llu repeated addresses ignored (the first occurrence wins; %llu with another type)",
            name, (unsigned long long)h->stats.duplicates, (unsigned long long)h->stats.dup_type_mismatch);
    if (h->stats.dangling_refs)
        add(out, NOTE_DANGLING, "%s: %llu refs point to %zu addresses that are not in the dump", name,
            (unsigned long long)h->stats.dangling_refs, h->n_dangling);
}

void notes_free(struct load_notes *notes)
{
    free(notes->v);
    memset(notes, 0, sizeof *notes);
}

void notes_print(const struct load_notes *notes, size_t max_lines, FILE *to)
{
    size_t lines = 0;
    struct strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < notes->n; i++) {
        int detail = notes->v[i].kind == NOTE_BAD_LINE;
        if (detail && lines++ >= max_lines)
            continue;
        sb_reset(&sb);
        sb_adds(&sb, detail ? "  " : "heapwalk: ");
        hw_sb_message(&sb, notes->v[i].text, strlen(notes->v[i].text));
        sb_addc(&sb, '\n');
        fwrite(sb.buf, 1, sb.len, to);
    }
    sb_free(&sb);
}
