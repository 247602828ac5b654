/* parse.h: one line of a dump -> one record.
 *
 * cJSON is the parser of record. Numbers come out of cJSON as doubles, so every
 * integer field is checked to be whole, non-negative and below 2^53; an int
 * "value" is taken as its exact text from the line instead. */
#ifndef HW_PARSE_H
#define HW_PARSE_H

#include <stddef.h>
#include <stdint.h>

struct cJSON;

struct record {
    uint64_t addr, size, len;
    const char *type;        /* not NUL-terminated; valid until the next parse_line */
    size_t type_len;
    const char *str;         /* value or name text (see flags), or NULL */
    size_t str_len;
    uint8_t flags;           /* OF_NAME, OF_VALUE, OF_VALUE_NUM, OF_VALUE_NULL, OF_HAS_LEN, and
                                OF_COLLAPSED for "collapsed": true (heapwalk's export) */
    uint32_t line;           /* "line" (heapwalk's scanner: a stack frame's current line), 0 if none */
    uint64_t *refs;          /* owned by the parser */
    size_t nrefs;
};

/* A parser keeps its buffers between lines; one per thread. */
struct parser {
    struct cJSON *root;
    uint64_t *refs;
    size_t refs_cap;
    char *text;              /* unescaped strings of the fast path */
    size_t text_cap;
    uint64_t fast, slow;     /* lines read by the fast path and by cJSON */
};

enum parse_result { PARSE_ERROR = -1, PARSE_SKIP = 0, PARSE_RECORD = 1 };

void parser_init(struct parser *p);
void parser_free(struct parser *p);

/* Parse one line (without its '\n'; a trailing '\r', white space and a
 * trailing ',' of the JSON array form are allowed). Blank lines and the
 * array's "[" and "]" lines give PARSE_SKIP. On PARSE_ERROR, why holds the
 * reason (no file or line: the caller adds those).
 *
 * Lines in the exact layout meliae's scanner writes are read by a fast path;
 * any line it does not fully recognise goes to cJSON, which decides. Both give
 * the same record for every line the fast path accepts (tests/unit/test_parse.c
 * checks this on every line of the dumps in tests/data). */
enum parse_result parse_line(struct parser *p, const char *line, size_t len, struct record *rec,
                             char *why, size_t whylen);
/* The same with cJSON only. */
enum parse_result parse_line_cjson(struct parser *p, const char *line, size_t len, struct record *rec,
                                   char *why, size_t whylen);

#endif
