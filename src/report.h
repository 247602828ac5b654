/* report.h: writing dump strings into reports safely.
 *
 * Every string in a dump (type names, values, names) is hostile: it can hold
 * terminal escapes, newlines, invalid UTF-8. report_escape applies the
 * project's one rule (escape.h); the format-specific writers (CSV, XML,
 * Markdown) build on it. JSON output goes through cli_json_print, which
 * applies the same rule to what cJSON leaves raw. */
#ifndef HW_REPORT_H
#define HW_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Append s[0..len) escaped as escape.h says (hw_sb_escaped). */
void report_escape(const char *s, size_t len, struct strbuf *out);
/* For text already quoted (Python reprs, path expressions): the same, but
 * backslashes are kept as they are (hw_sb_message). */
void report_escape_quoted(const char *s, struct strbuf *out);
/* report_escape of a NUL-terminated string. */
void report_escape_str(const char *s, struct strbuf *out);
/* A CSV field (RFC 4180): escaped, then quoted when it holds , " or space. */
void report_csv_field(const char *s, struct strbuf *out);
/* Text for XML/SVG: escaped, then & < > " ' as entities. */
void report_xml_text(const char *s, struct strbuf *out);
/* Text for a Markdown table cell or inline code: escaped, then | ` * _ [ ] < > # backslashed. */
void report_md_text(const char *s, struct strbuf *out);

/* A block-character sparkline of v[0..n): one character a value, from U+2581
 * (the least) to U+2588 (the most), or, without utf8, from "_.,-=+*#".
 * All-equal values draw the lowest level. */
void report_sparkline(const uint64_t *v, size_t n, int utf8, struct strbuf *out);

#endif
