/* notes.h: what loading a dump skipped or could not resolve, as a list both
 * stderr and the explorer read: skipped bad lines (each with its file and
 * line), repeated addresses, dangling refs. */
#ifndef HW_NOTES_H
#define HW_NOTES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "heap.h"
#include "load.h"
#include "util.h"

enum note_kind {
    NOTE_BAD_LINES,    /* how many lines were skipped */
    NOTE_BAD_LINE,     /* one of them: file, line and reason (a detail of NOTE_BAD_LINES) */
    NOTE_DUPLICATES,   /* repeated addresses ignored */
    NOTE_DANGLING,     /* refs to addresses not in the dump */
};

struct load_note {
    enum note_kind kind;
    uint64_t line;     /* NOTE_BAD_LINE: the line number (1-based), 0 when unknown */
    char text[HW_ERRMAX + 64]; /* the sentence, as stderr shows it (without "heapwalk: ") */
};

struct load_notes {
    struct load_note *v; /* owned; free with notes_free */
    size_t n;
};

/* The notes of a finished load of name ("<stdin>" for stdin), in the order
 * stderr prints them. Empty when nothing was skipped or dangling. */
void notes_collect(const char *name, const struct load_report *rep, const struct heap *h, struct load_notes *out);
void notes_free(struct load_notes *notes);
/* Writes them as heapwalk prints them on stderr: "heapwalk: " before each
 * note, two spaces before each bad line (the first max_lines of them); the
 * text escaped as escape.h says for messages. */
void notes_print(const struct load_notes *notes, size_t max_lines, FILE *to);

#endif
