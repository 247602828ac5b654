/* escape.h: the one rule for putting dump text (and any other untrusted text:
 * file names, arguments) on a terminal or into JSON.
 *
 * A dump's strings came from the process's inputs: a type, attribute or
 * module name, or a value, may hold ESC sequences (set the clipboard, retitle
 * the window, clear the screen), a newline that forges an output row, or a
 * bidi override that reorders what is shown. The rule is Python's repr():
 *
 *   - C0 controls and DEL: \n \r \t, others \xNN;
 *   - C1 controls (U+0080..U+009F) and non-ASCII spaces (U+00A0): \xNN;
 *   - Unicode format characters (category Cf: bidi overrides and isolates,
 *     zero-width spaces and joiners, U+FEFF, tags...), line and paragraph
 *     separators (U+2028, U+2029), other non-ASCII spaces (Zs): \uNNNN or
 *     \UNNNNNNNN;
 *   - a byte that starts no valid UTF-8 sequence: \xNN;
 *   - a backslash: \\ (so the text reads back unambiguously);
 *   - everything else (printable ASCII, other valid UTF-8) as is.
 * Unassigned and private-use code points are kept (Python escapes them too;
 * they are printable for a terminal). JSON output escapes the same characters
 * as \u escapes (astral ones as surrogate pairs); an invalid UTF-8 byte
 * becomes \ufffd there, since JSON text must be UTF-8.
 *
 * Use hw_fputs_escaped / hw_sb_escaped for a bare field (type names, module
 * and attribute names, file names), hw_sb_repr for a Python literal ('text'),
 * hw_sb_json for a JSON string literal, and cli_json_print (which runs
 * hw_json_sanitize) for cJSON documents. */
#ifndef HW_ESCAPE_H
#define HW_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

/* Append s[0..len) to out with the rule above (no quotes added). */
void hw_sb_escaped(struct strbuf *out, const char *s, size_t len);
/* The same for a C string. */
void hw_sb_escaped_str(struct strbuf *out, const char *s);
/* Append Python's repr() of the UTF-8 text s: quotes chosen as Python does
 * ('...' unless the text holds ' and no "), the quote escaped, the rule above. */
void hw_sb_repr(struct strbuf *out, const char *s, size_t len);
/* Append s as a JSON string literal, quotes included. */
void hw_sb_json(struct strbuf *out, const char *s, size_t len);
/* Write s[0..len) escaped to f; 0, or EOF on a write error. */
int hw_fputs_escaped(FILE *f, const char *s, size_t len);
/* Write s as a JSON string literal (quotes included) to f; 0, or EOF. */
int hw_fputs_json(FILE *f, const char *s, size_t len);
/* A whole JSON text (as cJSON prints it: control bytes already escaped):
 * append it to out with DEL, C1, Cf, Zl, Zp, Zs characters as \u escapes and
 * invalid UTF-8 bytes as \ufffd. Outside strings JSON is plain ASCII, so
 * nothing else changes. */
void hw_json_sanitize(struct strbuf *out, const char *json, size_t len);
/* A message for stderr (already composed: our words around file names,
 * arguments, dump text): the rule above except that a backslash is kept, so
 * text already escaped is not escaped twice. */
void hw_sb_message(struct strbuf *out, const char *s, size_t len);
/* Undo hw_sb_escaped (and the inside of hw_sb_repr): \\ \n \r \t \' \" \xNN
 * \uNNNN \UNNNNNNNN. 0, or -1 for a malformed escape. For tests: an invalid
 * UTF-8 byte and the C1 character of the same value both read \xNN, and
 * come back as the character. */
int hw_unescape(struct strbuf *out, const char *s, size_t len);
/* 1 when s[0..len) is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
int hw_is_utf8(const char *s, size_t len);
/* 1 when s[0..len) holds nothing the rule would escape (backslash aside). */
int hw_is_safe_text(const char *s, size_t len);

/* fprintf(stderr, ...) for every message heapwalk prints: the composed text
 * goes through hw_sb_message (a trailing newline kept), so a file name, an
 * argument or dump text in it cannot reach the terminal raw. */
void hw_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
