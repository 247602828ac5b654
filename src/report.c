#include "report.h"

#include <string.h>

/* The length of the UTF-8 sequence at s (at most left bytes), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
    size_t n;
    uint32_t min, cp;
    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xe0) == 0xc0)
        n = 2, min = 0x80, cp = s[0] & 0x1f;
    else if ((s[0] & 0xf0) == 0xe0)
        n = 3, min = 0x800, cp = s[0] & 0x0f;
    else if ((s[0] & 0xf8) == 0xf0)
        n = 4, min = 0x10000, cp = s[0] & 0x07;
    else
        return 0;
    if (n > left)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

static void escape(const char *s, size_t len, int keep_backslash, struct strbuf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c == '\\' && !keep_backslash) {
            sb_add(out, "\\\\", 2);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            static const char named[] = {['\n'] = 'n', ['\t'] = 't', ['\r'] = 'r'};
            if (c < sizeof named && named[c])
                sb_printf(out, "\\%c", named[c]);
            else
                sb_printf(out, "\\x%02x", c);
            i++;
        } else if (c < 0x80) {
            sb_addc(out, (char)c);
            i++;
        } else {
            size_t n = utf8_seq(p + i, len - i);
            if (n == 0) {
                sb_printf(out, "\\x%02x", c);
                i++;
            } else if (n == 2 && c == 0xc2 && p[i + 1] < 0xa0) { /* C1 controls, U+0080..U+009F */
                sb_printf(out, "\\u%04x", p[i + 1]);
                i += 2;
            } else {
                sb_add(out, p + i, n);
                i += n;
            }
        }
    }
}

void report_escape(const char *s, size_t len, struct strbuf *out)
{
    escape(s, len, 0, out);
}

void report_escape_quoted(const char *s, struct strbuf *out)
{
    escape(s, strlen(s), 1, out);
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
