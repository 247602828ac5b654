#include "escape.h"

#include <string.h>

/* Non-ASCII code points Python's str.isprintable() rejects among the assigned
 * ones of categories Cc, Cf, Zs, Zl, Zp (Unicode 15.1, as CPython 3.13 has it;
 * tests/cli/test_hostile.sh checks the table against Python). */
static const struct {
    unsigned lo, hi;
} unsafe_ranges[] = {
    {0x80, 0xA0},       {0xAD, 0xAD},       {0x600, 0x605},     {0x61C, 0x61C},     {0x6DD, 0x6DD},
    {0x70F, 0x70F},     {0x890, 0x891},     {0x8E2, 0x8E2},     {0x1680, 0x1680},   {0x180E, 0x180E},
    {0x2000, 0x200F},   {0x2028, 0x202F},   {0x205F, 0x2064},   {0x2066, 0x206F},   {0x3000, 0x3000},
    {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD}, {0x110CD, 0x110CD}, {0x13430, 0x1343F},
    {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
};

static int unsafe_code_point(unsigned c)
{
    if (c < 0x20 || c == 0x7f)
        return 1;
    if (c < 0x80)
        return 0;
    size_t lo = 0, hi = sizeof unsafe_ranges / sizeof *unsafe_ranges;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c < unsafe_ranges[mid].lo)
            hi = mid;
        else if (c > unsafe_ranges[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* Decode one UTF-8 character at s (n > 0 bytes left): its length, and the
 * code point in *cp; 0 when s[0] starts no valid sequence (overlong forms,
 * surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, min = 0x80, c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, min = 0x800, c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, min = 0x10000, c &= 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Python's escape for code point c (a byte when c < 0x100). */
static void add_py_escape(struct strbuf *out, unsigned c)
{
    switch (c) {
    case '\n': sb_adds(out, "\\n"); return;
    case '\r': sb_adds(out, "\\r"); return;
    case '\t': sb_adds(out, "\\t"); return;
    default: break;
    }
    if (c < 0x100)
        sb_printf(out, "\\x%02x", c);
    else if (c < 0x10000)
        sb_printf(out, "\\u%04x", c);
    else
        sb_printf(out, "\\U%08x", c);
}

/* The common walk: quote is a character to escape with a backslash (or 0),
 * keep_backslash leaves backslashes alone (messages). */
static void escape_walk(struct strbuf *out, const char *s, size_t len, char quote, int keep_backslash)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        /* Copy the run of plain printable ASCII at once. */
        size_t run = i;
        while (run < len && u[run] >= 0x20 && u[run] < 0x7f && (u[run] != '\\' || keep_backslash) &&
               u[run] != (unsigned char)quote)
            run++;
        if (run > i) {
            sb_add(out, s + i, run - i);
            i = run;
            continue;
        }
        unsigned c;
        size_t n = utf8_decode(u + i, len - i, &c);
        if (n == 0) {
            sb_printf(out, "\\x%02x", u[i]);
            i++;
        } else if (c == '\\' || (quote && c == (unsigned char)quote)) {
            sb_addc(out, '\\');
            sb_addc(out, (char)c);
            i++;
        } else if (unsafe_code_point(c)) {
            add_py_escape(out, c);
            i += n;
        } else {
            sb_add(out, s + i, n);
            i += n;
        }
    }
}

void hw_sb_escaped(struct strbuf *out, const char *s, size_t len) { escape_walk(out, s, len, 0, 0); }
void hw_sb_escaped_str(struct strbuf *out, const char *s) { escape_walk(out, s, strlen(s), 0, 0); }
void hw_sb_message(struct strbuf *out, const char *s, size_t len) { escape_walk(out, s, len, 0, 1); }

void hw_sb_repr(struct strbuf *out, const char *s, size_t len)
{
    int has_single = memchr(s, '\'', len) != NULL, has_double = memchr(s, '"', len) != NULL;
    char q = (has_single && !has_double) ? '"' : '\'';
    sb_addc(out, q);
    escape_walk(out, s, len, q, 0);
    sb_addc(out, q);
}

static void add_json_unit(struct strbuf *out, unsigned c)
{
    if (c >= 0x10000) {
        c -= 0x10000;
        sb_printf(out, "\\u%04x\\u%04x", 0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF));
    } else {
        sb_printf(out, "\\u%04x", c);
    }
}

/* JSON's escapes; quotes_too: also " and \ and C0 (a raw string), else only
 * what cJSON leaves raw (DEL and above). */
static void json_walk(struct strbuf *out, const char *s, size_t len, int quotes_too)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        while (run < len && u[run] < 0x7f && (!quotes_too || (u[run] >= 0x20 && u[run] != '"' && u[run] != '\\')))
            run++;
        if (run > i) {
            sb_add(out, s + i, run - i);
            i = run;
            continue;
        }
        unsigned c;
        size_t n = utf8_decode(u + i, len - i, &c);
        if (n == 0) {
            sb_adds(out, "\\ufffd");
            i++;
            continue;
        }
        i += n;
        switch (c) {
        case '"': sb_adds(out, "\\\""); break;
        case '\\': sb_adds(out, "\\\\"); break;
        case '\n': sb_adds(out, "\\n"); break;
        case '\r': sb_adds(out, "\\r"); break;
        case '\t': sb_adds(out, "\\t"); break;
        default:
            if (unsafe_code_point(c))
                add_json_unit(out, c);
            else
                sb_add(out, s + i - n, n);
        }
    }
}

void hw_sb_json(struct strbuf *out, const char *s, size_t len)
{
    sb_addc(out, '"');
    json_walk(out, s, len, 1);
    sb_addc(out, '"');
}

void hw_json_sanitize(struct strbuf *out, const char *json, size_t len) { json_walk(out, json, len, 0); }

static int write_sb(FILE *f, struct strbuf *sb)
{
    int rc = sb->len && fwrite(sb->buf, 1, sb->len, f) != sb->len ? EOF : 0;
    sb_free(sb);
    return rc;
}

int hw_fputs_escaped(FILE *f, const char *s, size_t len)
{
    struct strbuf sb;
    sb_init(&sb);
    hw_sb_escaped(&sb, s, len);
    return write_sb(f, &sb);
}

int hw_fputs_json(FILE *f, const char *s, size_t len)
{
    struct strbuf sb;
    sb_init(&sb);
    hw_sb_json(&sb, s, len);
    return write_sb(f, &sb);
}

int hw_is_utf8(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned c;
    for (size_t i = 0, n; i < len; i += n)
        if ((n = utf8_decode(u + i, len - i, &c)) == 0)
            return 0;
    return 1;
}

int hw_is_safe_text(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned c;
        size_t n = utf8_decode(u + i, len - i, &c);
        if (n == 0 || unsafe_code_point(c))
            return 0;
        i += n;
    }
    return 1;
}

static void add_utf8(struct strbuf *out, unsigned c)
{
    char b[4];
    size_t n;
    if (c < 0x80) {
        b[0] = (char)c, n = 1;
    } else if (c < 0x800) {
        b[0] = (char)(0xC0 | c >> 6), b[1] = (char)(0x80 | (c & 0x3F)), n = 2;
    } else if (c < 0x10000) {
        b[0] = (char)(0xE0 | c >> 12), b[1] = (char)(0x80 | ((c >> 6) & 0x3F)), b[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | c >> 18), b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((c >> 6) & 0x3F)), b[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    sb_add(out, b, n);
}

static int hex_value(const char *s, size_t n, unsigned *v)
{
    *v = 0;
    for (size_t k = 0; k < n; k++) {
        char ch = s[k];
        unsigned d = ch >= '0' && ch <= '9' ? (unsigned)(ch - '0')
                   : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
                   : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10) : 16;
        if (d == 16)
            return -1;
        *v = *v * 16 + d;
    }
    return 0;
}

int hw_unescape(struct strbuf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\\') {
            sb_addc(out, s[i]);
            continue;
        }
        if (++i == len)
            return -1;
        size_t digits = 0;
        switch (s[i]) {
        case '\\': case '\'': case '"': sb_addc(out, s[i]); continue;
        case 'n': sb_addc(out, '\n'); continue;
        case 'r': sb_addc(out, '\r'); continue;
        case 't': sb_addc(out, '\t'); continue;
        case 'x': digits = 2; break;
        case 'u': digits = 4; break;
        case 'U': digits = 8; break;
        default: return -1;
        }
        unsigned c;
        if (len - i - 1 < digits || hex_value(s + i + 1, digits, &c) < 0 || c > 0x10FFFF)
            return -1;
        add_utf8(out, c);
        i += digits;
    }
    return 0;
}

void hw_eprintf(const char *fmt, ...)
{
    struct strbuf raw, safe;
    va_list ap;
    sb_init(&raw);
    sb_init(&safe);
    va_start(ap, fmt);
    sb_vprintf(&raw, fmt, ap);
    va_end(ap);
    size_t n = raw.len;
    int newline = n && raw.buf[n - 1] == '\n';
    hw_sb_message(&safe, raw.buf ? raw.buf : "", n - (size_t)newline);
    if (newline)
        sb_addc(&safe, '\n');
    if (safe.len)
        fwrite(safe.buf, 1, safe.len, stderr);
    sb_free(&raw);
    sb_free(&safe);
}
