/* parse_text.h: what the two line readers share (private to parse.c and
 * parse_fast.c): reading JSON text by hand, a cursor over a line, whole
 * numbers, strings decoded into the parser's buffer, and room for refs.
 *
 * parse.c reads any line with cJSON (the reader of record) and uses these
 * to recover what cJSON loses (NUL bytes in strings, the exact digits of an
 * int value); parse_fast.c reads meliae's own layout with them alone. */
#ifndef HW_PARSE_TEXT_H
#define HW_PARSE_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "parse.h"

static inline int ptext_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static inline int ptext_hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A place in a line: s moves towards end as text is read. */
struct ptext_cursor {
    const char *s, *end;
};

/* Read text (n bytes) if the line goes on with it: 1, or 0 leaving c alone. */
static inline int ptext_lit(struct ptext_cursor *c, const char *text, size_t n)
{
    if ((size_t)(c->end - c->s) < n || memcmp(c->s, text, n) != 0)
        return 0;
    c->s += n;
    return 1;
}
#define PTEXT_LIT(c, text) ptext_lit((c), (text), sizeof(text) - 1)

/* Digits below 2^53 (what cJSON would also accept exactly): 1 with *out set,
 * or 0 leaving c alone. */
int ptext_count(struct ptext_cursor *c, uint64_t *out);

/* Room in p->text for every string of a line of len bytes: call once per
 * line, before the first ptext_string, so decoded strings never move. */
void ptext_reserve(struct parser *p, size_t len);

/* A JSON string at c->s == '"'. Without escapes it points into the line;
 * with them it is decoded into p->text at offset *text_used. Strict (the fast
 * path) refuses what it leaves to cJSON: \u0000, lone surrogates and bytes
 * that are not UTF-8. Lenient (the cJSON path, which reads value and name
 * strings with it) keeps \u0000 as a NUL byte, which cJSON's C strings would
 * cut at, reads a lone surrogate as U+FFFD and replaces bad bytes with
 * U+FFFD. Control bytes and bad escapes fail either way. 1, or 0. */
int ptext_string(struct parser *p, struct ptext_cursor *c, size_t *text_used, const char **out, size_t *outlen,
                 int lenient);

/* The slot for ref n of the line in p->refs, which grows as needed. */
uint64_t *ptext_ref_slot(struct parser *p, size_t n);

/* parse_fast.c: a trimmed line in meliae's exact layout: 1 with rec filled,
 * 0 when the line is anything else (cJSON then decides). */
int parse_fast(struct parser *p, const char *line, size_t len, struct record *rec);

#endif
