#include "report.h"

#include "escape.h"

#include <string.h>

void report_escape(const char *s, size_t len, struct strbuf *out)
{
    hw_sb_escaped(out, s, len);
}

void report_escape_quoted(const char *s, struct strbuf *out)
{
    hw_sb_message(out, s, strlen(s));
}

void report_escape_str(const char *s, struct strbuf *out)
{
    report_escape(s, strlen(s), out);
}

void report_csv_field(const char *s, struct strbuf *out)
{
    struct strbuf e;
    sb_init(&e);
    report_escape_str(s, &e);
    const char *t = sb_cstr(&e);
    if (strpbrk(t, ",\" ") == NULL) {
        sb_adds(out, t);
    } else {
        sb_addc(out, '"');
        for (; *t; t++) {
            if (*t == '"')
                sb_addc(out, '"');
            sb_addc(out, *t);
        }
        sb_addc(out, '"');
    }
    sb_free(&e);
}

void report_xml_text(const char *s, struct strbuf *out)
{
    struct strbuf e;
    sb_init(&e);
    report_escape_str(s, &e);
    for (const char *t = sb_cstr(&e); *t; t++) {
        switch (*t) {
        case '&': sb_adds(out, "&amp;"); break;
        case '<': sb_adds(out, "&lt;"); break;
        case '>': sb_adds(out, "&gt;"); break;
        case '"': sb_adds(out, "&quot;"); break;
        case '\'': sb_adds(out, "&#39;"); break;
        default: sb_addc(out, *t);
        }
    }
    sb_free(&e);
}

void report_md_text(const char *s, struct strbuf *out)
{
    struct strbuf e;
    sb_init(&e);
    report_escape_str(s, &e);
    for (const char *t = sb_cstr(&e); *t; t++) {
        if (strchr("|`*_[]<>#", *t))
            sb_addc(out, '\\');
        sb_addc(out, *t);
    }
    sb_free(&e);
}

void report_sparkline(const uint64_t *v, size_t n, int utf8, struct strbuf *out)
{
    static const char ascii[] = "_.,-=+*#";
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t k = 0; k < n; k++) {
        lo = v[k] < lo ? v[k] : lo;
        hi = v[k] > hi ? v[k] : hi;
    }
    for (size_t k = 0; k < n; k++) {
        unsigned level = hi > lo ? (unsigned)((double)(v[k] - lo) * 7.0 / (double)(hi - lo) + 0.5) : 0;
        if (utf8) {
            /* U+2581 + level: E2 96 81..88 */
            char glyph[3] = {(char)0xe2, (char)0x96, (char)(0x81 + level)};
            sb_add(out, glyph, 3);
        } else {
            sb_addc(out, ascii[level]);
        }
    }
}
