#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "load.h"

#define CACHE_MAGIC "HWCACHE\0"
#define CACHE_VERSION 3u
#define CACHE_ALIGN 64u
#define CACHE_SUFFIX ".hwc"
#define CACHE_DEFAULT_MAX_MB 4096u
#define CACHE_RESERVE_MIN (1ull << 30) /* always leave 1 GiB free ... */
#define CACHE_RESERVE_PERCENT 10u      /* ... and 10% of the filesystem */

/* The sections, in file order. */
enum {
    SEC_PATH, SEC_ADDR, SEC_TYPE, SEC_SIZE32, SEC_LEN32, SEC_STR, SEC_FLAGS, SEC_CHILD_OFF, SEC_CHILDREN,
    SEC_DANGLING, SEC_INDEX, SEC_ARENA, SEC_STR_OFF, SEC_TYPE_NAMES, SEC_BIG,
    SEC_MESSAGES, SEC_LINES, SEC_COUNT
};

struct cache_section {
    uint64_t offset, length, checksum;
};

struct cache_header {
    char magic[8];
    uint32_t version, nsections;
    uint64_t file_size;
    uint64_t dev, ino, size, mtime_sec, mtime_nsec;
    uint32_t collapse, flavour, collapsed, n_messages;
    uint64_t n, n_edges, n_dangling, index_size;
    uint64_t str_n, arena_len, ntypes, nbig;
    uint64_t report_bad_lines;
    uint64_t n_lines;         /* the stack frames' "line" table (heap_line) */
    struct heap_stats stats;
    uint64_t checksum;        /* over this header (with 0 here) and the section table */
};

struct cache_big {
    uint64_t key, val; /* as heap_big_export gives them */
};

/* --- checksums: four lanes of 64-bit multiply-rotate, a few GB/s --- */

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t checksum(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    const uint64_t P1 = 0x9e3779b185ebca87ULL, P2 = 0xc2b2ae3d27d4eb4fULL;
    uint64_t h[4] = {seed + P1, seed ^ P2, seed - P1, ~seed};
    size_t i = 0;
    for (; i + 32 <= len; i += 32)
        for (int k = 0; k < 4; k++) {
            uint64_t w;
            memcpy(&w, p + i + 8 * k, 8);
            h[k] = rotl(h[k] ^ (w * P2), 31) * P1;
        }
    uint64_t acc = (uint64_t)len * P2;
    for (int k = 0; k < 4; k++)
        acc = rotl(acc ^ h[k], 27) * P1 + P2;
    for (; i < len; i++)
        acc = rotl(acc ^ p[i], 11) * P1;
    acc ^= acc >> 29;
    acc *= P2;
    acc ^= acc >> 32;
    return acc;
}

static uint64_t header_checksum(const struct cache_header *hd, const struct cache_section *sec)
{
    struct cache_header copy = *hd;
    copy.checksum = 0;
    return checksum(sec, SEC_COUNT * sizeof *sec, checksum(&copy, sizeof copy, CACHE_VERSION));
}

/* --- the key and the file name --- */

int cache_dir(char *buf, size_t len)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && *xdg == '/')
        n = snprintf(buf, len, "%s/heapwalk", xdg);
    else if (home && *home)
        n = snprintf(buf, len, "%s/.cache/heapwalk", home);
    else
        return -1;
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

int cache_key(const char *path, int collapse, struct cache_key *key)
{
    memset(key, 0, sizeof *key);
    if (strcmp(path, "-") == 0)
        return -1;
    char real[PATH_MAX];
    struct stat st;
    if (!realpath(path, real) || strlen(real) >= sizeof key->path || stat(real, &st) < 0 || !S_ISREG(st.st_mode))
        return -1;
    strcpy(key->path, real);
    key->dev = (uint64_t)st.st_dev;
    key->ino = (uint64_t)st.st_ino;
    key->size = (uint64_t)st.st_size;
    key->mtime_sec = (uint64_t)st.st_mtim.tv_sec;
    key->mtime_nsec = (uint64_t)st.st_mtim.tv_nsec;
    key->collapse = collapse ? 1 : 0;
    return 0;
}

/* dir/HASH-c.hwc: one file per dump path and collapse mode. */
static int cache_file(const struct cache_key *key, char *buf, size_t len)
{
    char dir[PATH_MAX];
    if (cache_dir(dir, sizeof dir) < 0)
        return -1;
    uint64_t hash = checksum(key->path, strlen(key->path), 0);
    int n = snprintf(buf, len, "%s/%016llx-%c%s", dir, (unsigned long long)hash, key->collapse ? 'c' : 'r',
                     CACHE_SUFFIX);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* --- writing --- */

struct layout {
    const void *src[SEC_COUNT];
    uint64_t len[SEC_COUNT];
};

static uint64_t align_up(uint64_t x) { return (x + CACHE_ALIGN - 1) & ~(uint64_t)(CACHE_ALIGN - 1); }

static void *type_names_blob(const struct heap *h, uint64_t *len)
{
    struct strbuf sb;
    sb_init(&sb);
    for (uint32_t t = 0; t < h->types.n; t++)
        sb_add(&sb, h->types.names[t], strlen(h->types.names[t]) + 1);
    *len = sb.len;
    return sb.buf;
}

static struct cache_big *big_table(const struct heap *h, uint64_t *n)
{
    size_t count = heap_big_export(h, NULL);
    struct cache_big *out = xcalloc(count ? count : 1, sizeof *out, "the cache's big values");
    heap_big_export(h, (uint64_t *)(void *)out);
    *n = count;
    return out;
}

/* What a cache file holds for a store: the header, the section table (with
 * the checksums) and where each section's bytes are in memory. */
struct plan {
    struct cache_header hd;
    struct cache_section sec[SEC_COUNT];
    const void *src[SEC_COUNT];
    void *names;
    struct cache_big *big;
};

static void plan_make(const struct cache_key *key, const struct heap *h, const struct load_report *rep,
                      struct plan *pl)
{
    struct cache_header *hd = &pl->hd;
    memset(pl, 0, sizeof *pl);
    memcpy(hd->magic, CACHE_MAGIC, 8);
    hd->version = CACHE_VERSION;
    hd->nsections = SEC_COUNT;
    hd->dev = key->dev;
    hd->ino = key->ino;
    hd->size = key->size;
    hd->mtime_sec = key->mtime_sec;
    hd->mtime_nsec = key->mtime_nsec;
    hd->collapse = key->collapse;
    hd->flavour = (uint32_t)h->flavour;
    hd->collapsed = (uint32_t)h->collapsed;
    hd->n_messages = (uint32_t)rep->n_messages;
    hd->report_bad_lines = rep->bad_lines;
    hd->n = h->n;
    hd->n_edges = h->n_edges;
    hd->n_dangling = h->n_dangling;
    hd->index_size = h->index.size;
    hd->str_n = h->strings.n;
    hd->arena_len = h->strings.arena_len;
    hd->ntypes = h->types.n;
    hd->stats = h->stats;
    hd->n_lines = h->n_lines;

    uint64_t names_len, nbig;
    pl->names = type_names_blob(h, &names_len);
    pl->big = big_table(h, &nbig);
    hd->nbig = nbig;
    const void *src[SEC_COUNT] = {key->path, h->addr, h->type, h->size32, h->len32, h->str, h->flags,
                                  h->child_off, h->children, h->dangling,
                                  h->index.slots, h->strings.arena, h->strings.off, pl->names, pl->big,
                                  rep->messages, h->lines};
    uint64_t len[SEC_COUNT] = {strlen(key->path), h->n * 8, h->n * 4, h->n * 4, h->n * 4, h->n * 4, h->n,
                               (h->n + 1) * 4, h->n_edges * 4, h->n_dangling * 8, h->index.size * 4, h->strings.arena_len,
                               (uint64_t)h->strings.n * 8, names_len, nbig * sizeof *pl->big,
                               rep->n_messages * HW_ERRMAX, h->n_lines * sizeof *h->lines};
    uint64_t pos = align_up(sizeof pl->hd + sizeof pl->sec);
    for (int s = 0; s < SEC_COUNT; s++) {
        pl->src[s] = src[s];
        pl->sec[s].offset = pos;
        pl->sec[s].length = len[s];
        pl->sec[s].checksum = checksum(src[s], len[s], (uint64_t)s);
        pos = align_up(pos + len[s]);
    }
    hd->file_size = pos;
    hd->checksum = header_checksum(hd, pl->sec);
}

static void plan_free(struct plan *pl)
{
    free(pl->names);
    free(pl->big);
}

void *cache_serialize(const struct cache_key *key, const struct heap *h, const struct load_report *rep, size_t *len)
{
    struct plan pl;
    plan_make(key, h, rep, &pl);
    char *out = xcalloc(1, pl.hd.file_size, "the cache file");
    memcpy(out, &pl.hd, sizeof pl.hd);
    memcpy(out + sizeof pl.hd, pl.sec, sizeof pl.sec);
    for (int s = 0; s < SEC_COUNT; s++)
        if (pl.sec[s].length)
            memcpy(out + pl.sec[s].offset, pl.src[s], pl.sec[s].length);
    *len = pl.hd.file_size;
    plan_free(&pl);
    return out;
}

void cache_seal(void *data, size_t len)
{
    struct cache_header hd;
    struct cache_section sec[SEC_COUNT];
    if (len < sizeof hd + sizeof sec)
        return;
    memcpy(&hd, data, sizeof hd);
    memcpy(sec, (char *)data + sizeof hd, sizeof sec);
    for (int s = 0; s < SEC_COUNT; s++)
        if (sec[s].offset <= len && sec[s].length <= len - sec[s].offset)
            sec[s].checksum = checksum((char *)data + sec[s].offset, sec[s].length, (uint64_t)s);
    hd.checksum = header_checksum(&hd, sec);
    memcpy(data, &hd, sizeof hd);
    memcpy((char *)data + sizeof hd, sec, sizeof sec);
}

/* --- reading: sizes, checksums, then every bound the store's readers rely on --- */

#define BAD(...) (snprintf(note, note_len, __VA_ARGS__), 0)

/* Each section's length from the header's counts; -1 on overflow. */
static int expected_lengths(const struct cache_header *hd, uint64_t *len)
{
    uint64_t n = hd->n;
    if (n > HEAP_MAX_OBJECTS || hd->n_edges > HEAP_MAX_EDGES || hd->n_dangling > HEAP_DANGLING || hd->index_size > (1ull << 33) || hd->str_n > UINT32_MAX ||
        hd->arena_len > (1ull << 40) || hd->ntypes > UINT32_MAX || hd->nbig > 2 * n ||
        hd->n_messages > LOAD_MAX_MESSAGES || hd->n_lines > n)
        return -1;
    uint64_t fixed[SEC_COUNT] = {0, n * 8, n * 4, n * 4, n * 4, n * 4, n, (n + 1) * 4, hd->n_edges * 4,
                                 hd->n_dangling * 8, hd->index_size * 4,
                                 hd->arena_len, hd->str_n * 8, 0, hd->nbig * sizeof(struct cache_big),
                                 (uint64_t)hd->n_messages * HW_ERRMAX, hd->n_lines * sizeof(struct heap_line)};
    memcpy(len, fixed, sizeof fixed);
    return 0;
}

static int offsets_ok(const uint32_t *off, uint64_t n, uint64_t total)
{
    if (off[0] != 0 || off[n] != total)
        return 0;
    for (uint64_t i = 0; i < n; i++)
        if (off[i + 1] < off[i])
            return 0;
    return 1;
}

static int edges_ok(const uint32_t *e, uint64_t ne, uint64_t n, uint64_t n_dangling)
{
    for (uint64_t k = 0; k < ne; k++) {
        uint32_t c = e[k];
        if (c & HEAP_DANGLING) {
            if ((c & ~HEAP_DANGLING) >= n_dangling)
                return 0;
        } else if (c >= n) {
            return 0;
        }
    }
    return 1;
}

static int strings_ok(const char *arena, uint64_t arena_len, const uint64_t *off, uint64_t n)
{
    for (uint64_t id = 1; id < n; id++) {
        uint64_t o = off[id];
        uint32_t l;
        if (o > arena_len || arena_len - o < 5)
            return 0;
        memcpy(&l, arena + o, 4);
        if ((uint64_t)l + 5 > arena_len - o || arena[o + 4 + l] != '\0')
            return 0;
    }
    return 1;
}

/* The index: every slot 0, an object number + 1 or INDEX_GONE, and at
 * least one empty slot so that a lookup of a missing address ends. */
static int index_ok(const uint32_t *slots, uint64_t size, uint64_t n)
{
    uint64_t empty = 0;
    for (uint64_t i = 0; i < size; i++) {
        if (slots[i] > n && slots[i] != INDEX_GONE)
            return 0;
        empty += slots[i] == 0;
    }
    return size > 0 && empty > 0;
}

static int type_names_count(const char *blob, uint64_t len, uint64_t *count)
{
    if (len && blob[len - 1] != '\0')
        return 0;
    uint64_t c = 0;
    for (uint64_t i = 0; i < len; i++)
        c += blob[i] == '\0';
    *count = c;
    return 1;
}

/* Check data as a cache file for key; fills hd and sec. 1 good, 0 with note. */
static int validate(const struct cache_key *key, const char *data, size_t len, struct cache_header *hd,
                    struct cache_section *sec, char *note, size_t note_len)
{
    if (len < sizeof *hd + SEC_COUNT * sizeof *sec)
        return BAD("truncated (%zu bytes)", len);
    memcpy(hd, data, sizeof *hd);
    memcpy(sec, data + sizeof *hd, SEC_COUNT * sizeof *sec);
    if (memcmp(hd->magic, CACHE_MAGIC, 8) != 0)
        return BAD("not a heapwalk cache file");
    if (hd->version != CACHE_VERSION || hd->nsections != SEC_COUNT)
        return BAD("written by another version of heapwalk");
    if (hd->file_size != len)
        return BAD("truncated or extended (%zu bytes, the header says %llu)", len,
                   (unsigned long long)hd->file_size);
    if (hd->checksum != header_checksum(hd, sec))
        return BAD("corrupt (the header's checksum does not match)");
    if (hd->dev != key->dev || hd->ino != key->ino || hd->size != key->size || hd->mtime_sec != key->mtime_sec ||
        hd->mtime_nsec != key->mtime_nsec || hd->collapse != key->collapse)
        return BAD("stale (the dump changed since it was written)");
    uint64_t want[SEC_COUNT];
    if (expected_lengths(hd, want) < 0)
        return BAD("corrupt (impossible counts)");
    want[SEC_PATH] = strlen(key->path);
    for (int s = 0; s < SEC_COUNT; s++) {
        if (s != SEC_TYPE_NAMES && sec[s].length != want[s])
            return BAD("corrupt (section %d has %llu bytes, not %llu)", s, (unsigned long long)sec[s].length,
                       (unsigned long long)want[s]);
        if (sec[s].offset % CACHE_ALIGN || sec[s].offset > len || sec[s].length > len - sec[s].offset)
            return BAD("corrupt (section %d lies outside the file)", s);
        if (sec[s].checksum != checksum(data + sec[s].offset, sec[s].length, (uint64_t)s))
            return BAD("corrupt (section %d's checksum does not match)", s);
    }
    if (memcmp(data + sec[SEC_PATH].offset, key->path, want[SEC_PATH]) != 0)
        return BAD("stale (written for another path)");
    return 1;
}

/* The bounds every reader of the store relies on (a file with good checksums
 * may still have been made by hand). */
static int check_bounds(const char *data, const struct cache_header *hd, const struct cache_section *sec,
                        char *note, size_t note_len)
{
#define AT(s) ((const void *)(data + sec[s].offset))
    uint64_t n = hd->n, ntypes;
    const uint32_t *type = AT(SEC_TYPE), *str = AT(SEC_STR);
    if (n == 0 || hd->str_n == 0)
        return BAD("corrupt (no objects)");
    if (!type_names_count(AT(SEC_TYPE_NAMES), sec[SEC_TYPE_NAMES].length, &ntypes) || ntypes != hd->ntypes)
        return BAD("corrupt (type names)");
    for (uint64_t i = 0; i < n; i++)
        if (type[i] >= ntypes || str[i] >= hd->str_n)
            return BAD("corrupt (object %llu's type or string)", (unsigned long long)i);
    if (!offsets_ok(AT(SEC_CHILD_OFF), n, hd->n_edges))
        return BAD("corrupt (edge offsets)");
    if (!edges_ok(AT(SEC_CHILDREN), hd->n_edges, n, hd->n_dangling))
        return BAD("corrupt (an edge points outside the store)");
    if (!strings_ok(AT(SEC_ARENA), hd->arena_len, AT(SEC_STR_OFF), hd->str_n))
        return BAD("corrupt (string table)");
    if (!index_ok(AT(SEC_INDEX), hd->index_size, n))
        return BAD("corrupt (address index)");
    const struct cache_big *big = AT(SEC_BIG);
    for (uint64_t k = 0; k < hd->nbig; k++)
        if (big[k].key / 2 >= n)
            return BAD("corrupt (big values)");
    if (hd->flavour > FLAVOUR_PY3)
        return BAD("corrupt (flavour)");
    const struct heap_line *lines = AT(SEC_LINES);
    for (uint64_t k = 0; k < hd->n_lines; k++)
        if (lines[k].obj >= n || (k && lines[k].obj <= lines[k - 1].obj))
            return BAD("corrupt (frame lines)");
#undef AT
    return 1;
}

/* Point h's arrays into data (already validated); 0 with note when the type
 * names repeat one another. */
static int adopt(const char *data, const struct cache_header *hd, const struct cache_section *sec, struct heap *h,
                 struct load_report *rep, char *note, size_t note_len)
{
#define AT(s) ((void *)(uintptr_t)(data + sec[s].offset))
    h->n = h->cap = hd->n;
    h->addr = AT(SEC_ADDR);
    h->type = AT(SEC_TYPE);
    h->size32 = AT(SEC_SIZE32);
    h->len32 = AT(SEC_LEN32);
    h->str = AT(SEC_STR);
    h->flags = AT(SEC_FLAGS);
    h->child_off = AT(SEC_CHILD_OFF);
    h->children = AT(SEC_CHILDREN);
    h->n_edges = hd->n_edges;
    h->dangling = hd->n_dangling ? AT(SEC_DANGLING) : NULL;
    h->n_dangling = hd->n_dangling;
    h->index.slots = AT(SEC_INDEX);
    h->index.size = hd->index_size;
    strpool_free(&h->strings); /* heap_init's empty pool: frozen, the hash table is not needed */
    h->strings.arena = AT(SEC_ARENA);
    h->strings.arena_len = h->strings.arena_cap = hd->arena_len;
    h->strings.off = AT(SEC_STR_OFF);
    h->strings.n = h->strings.cap = (uint32_t)hd->str_n;
    const char *name = AT(SEC_TYPE_NAMES);
    for (uint64_t t = 0; t < hd->ntypes; t++) {
        size_t l = strlen(name);
        types_intern(&h->types, name, l);
        name += l + 1;
    }
    h->mapped = 1;
    if (h->types.n != hd->ntypes)
        return BAD("corrupt (a type name twice)");
    heap_big_import(h, AT(SEC_BIG), hd->nbig);
    if (hd->n_lines) { /* copied: heap_free frees the table */
        h->lines = xmalloc(hd->n_lines * sizeof *h->lines, "frame lines");
        memcpy(h->lines, AT(SEC_LINES), hd->n_lines * sizeof *h->lines);
        h->n_lines = h->lines_cap = hd->n_lines;
    }
    /* The parents are built again, not read: they then agree with the
     * children by construction, whatever the file says. */
    heap_build_parents(h);
    h->flavour = (enum heap_flavour)hd->flavour;
    h->collapsed = (int)hd->collapsed;
    h->stats = hd->stats;
    rep->bad_lines = hd->report_bad_lines;
    rep->n_messages = hd->n_messages;
    memcpy(rep->messages, AT(SEC_MESSAGES), hd->n_messages * HW_ERRMAX);
    for (size_t m = 0; m < rep->n_messages; m++)
        rep->messages[m][HW_ERRMAX - 1] = '\0';
#undef AT
    return 1;
}

int cache_read_buffer(const struct cache_key *key, const void *data, size_t len, struct heap *h,
                      struct load_report *rep, char *note, size_t note_len)
{
    struct cache_header hd;
    struct cache_section sec[SEC_COUNT];
    note[0] = '\0';
    if (!validate(key, data, len, &hd, sec, note, note_len) || !check_bounds(data, &hd, sec, note, note_len))
        return 0;
    return adopt(data, &hd, sec, h, rep, note, note_len);
}

int cache_open(const struct cache_key *key, struct heap *h, struct load_report *rep, char *note, size_t note_len)
{
    char file[PATH_MAX];
    note[0] = '\0';
    if (cache_file(key, file, sizeof file) < 0)
        return 0;
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
        close(fd);
        snprintf(note, note_len, "ignored the cache file %s: empty or not a file", file);
        return 0;
    }
    size_t len = (size_t)st.st_size;
    /* Private and writable: the store is never written after loading, and if
     * it were, the file would not change. */
    void *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return 0;
    char why[HW_ERRMAX - 128];
    if (!cache_read_buffer(key, map, len, h, rep, why, sizeof why)) {
        munmap(map, len);
        heap_free(h);
        heap_init(h);
        snprintf(note, note_len, "ignored the cache file %s: %s", file, why);
        return 0;
    }
    h->map = map;
    h->map_len = len;
    (void)utimensat(AT_FDCWD, file, NULL, 0); /* recently used: the bound drops the oldest first */
    return 1;
}

/* --- the writer --- */

struct cache_writer {
    pthread_t thread;
    char file[PATH_MAX], dir[PATH_MAX];
    struct cache_key key;
    const struct heap *h;
    struct load_report rep;
    uint64_t max_bytes;
};

static uint64_t cache_max_bytes(void)
{
    const char *s = getenv("HEAPWALK_CACHE_MAX_MB");
    char *end;
    if (s && *s) {
        unsigned long long v = strtoull(s, &end, 10);
        if (!*end)
            return (uint64_t)v << 20;
    }
    return (uint64_t)CACHE_DEFAULT_MAX_MB << 20;
}

static int mkdir_p(const char *dir)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(tmp, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

static int write_at(int fd, const char *p, size_t n, uint64_t off)
{
    while (n) {
        ssize_t w = pwrite(fd, p, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        off += (uint64_t)w;
        n -= (size_t)w;
    }
    return 0;
}

/* The file straight from the store's arrays (no copy: the writer must not
 * double the process's memory); the gaps between sections stay zero. */
static int write_plan(int fd, const struct plan *pl)
{
    if (ftruncate(fd, (off_t)pl->hd.file_size) < 0 || write_at(fd, (const char *)&pl->hd, sizeof pl->hd, 0) < 0 ||
        write_at(fd, (const char *)pl->sec, sizeof pl->sec, sizeof pl->hd) < 0)
        return -1;
    for (int s = 0; s < SEC_COUNT; s++)
        if (pl->sec[s].length && write_at(fd, pl->src[s], pl->sec[s].length, pl->sec[s].offset) < 0)
            return -1;
    return 0;
}

struct cache_entry {
    char name[256];
    uint64_t size;
    struct timespec mtime;
};

static int entry_older(const void *a, const void *b)
{
    const struct cache_entry *x = a, *y = b;
    if (x->mtime.tv_sec != y->mtime.tv_sec)
        return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
    return (x->mtime.tv_nsec > y->mtime.tv_nsec) - (x->mtime.tv_nsec < y->mtime.tv_nsec);
}

/* Drop the least recently used files until the directory holds at most max
 * bytes, and leftovers of writers that died (temporary files over an hour old). */
static void cache_trim(const char *dir, uint64_t max)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct cache_entry *e = NULL;
    size_t n = 0, cap = 0;
    uint64_t total = 0;
    time_t now = time(NULL);
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        struct stat st;
        if (l >= sizeof e->name || fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
            !S_ISREG(st.st_mode))
            continue;
        if (strstr(de->d_name, CACHE_SUFFIX ".tmp.")) {
            if (now - st.st_mtime > 3600)
                unlinkat(dirfd(d), de->d_name, 0);
            continue;
        }
        if (l < 4 || strcmp(de->d_name + l - 4, CACHE_SUFFIX) != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            e = xreallocarray(e, cap, sizeof *e, "the cache directory");
        }
        memcpy(e[n].name, de->d_name, l + 1);
        e[n].size = (uint64_t)st.st_size;
        e[n].mtime = st.st_mtim;
        total += e[n].size;
        n++;
    }
    if (e)
        qsort(e, n, sizeof *e, entry_older);
    for (size_t k = 0; k < n && total > max; k++)
        if (unlinkat(dirfd(d), e[k].name, 0) == 0)
            total -= e[k].size;
    closedir(d);
    free(e);
}

static void *writer_run(void *arg)
{
    struct cache_writer *w = arg;
    struct plan pl;
    plan_make(&w->key, w->h, &w->rep, &pl);
    char tmp[PATH_MAX + 32];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", w->file, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
        int ok = write_plan(fd, &pl) == 0;
        ok = close(fd) == 0 && ok;
        if (!ok || rename(tmp, w->file) < 0)
            unlink(tmp);
    }
    plan_free(&pl);
    cache_trim(w->dir, w->max_bytes);
    return NULL;
}

/* The file's size, as cache_serialize lays it out, without building it. */
static uint64_t estimate_size(const struct heap *h)
{
    return (uint64_t)h->n * 29 + ((uint64_t)h->n_edges + h->index.size) * 4 +
           (uint64_t)h->n_dangling * 8 + h->strings.arena_len + (uint64_t)h->strings.n * 8 + (1u << 20);
}

int cache_store_start(const struct cache_key *key, struct heap *h, const struct load_report *rep, char *note,
                      size_t note_len)
{
    note[0] = '\0';
    struct cache_writer *w = xcalloc(1, sizeof *w, "the cache writer");
    w->key = *key;
    w->h = h;
    w->rep = *rep;
    w->max_bytes = cache_max_bytes();
    uint64_t need = estimate_size(h);
    struct statvfs vfs;
    int rc = 0;
    if (cache_dir(w->dir, sizeof w->dir) < 0 || cache_file(key, w->file, sizeof w->file) < 0)
        goto out;
    if (need > w->max_bytes) {
        snprintf(note, note_len, "not caching the index (%llu MB): over the cache's bound of %llu MB "
                 "(HEAPWALK_CACHE_MAX_MB)", (unsigned long long)(need >> 20),
                 (unsigned long long)(w->max_bytes >> 20));
        goto out;
    }
    if (mkdir_p(w->dir) < 0)
        goto out;
    if (statvfs(w->dir, &vfs) == 0) {
        uint64_t total = (uint64_t)vfs.f_blocks * vfs.f_frsize, avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
        uint64_t reserve = total / 100 * CACHE_RESERVE_PERCENT;
        if (reserve < CACHE_RESERVE_MIN)
            reserve = CACHE_RESERVE_MIN;
        if (avail < need || avail - need < reserve) {
            snprintf(note, note_len, "not caching the index (%llu MB): %s would keep less than %llu MB free",
                     (unsigned long long)(need >> 20), w->dir, (unsigned long long)(reserve >> 20));
            goto out;
        }
    }
    if (pthread_create(&w->thread, NULL, writer_run, w) == 0) {
        h->writer = w;
        return 1;
    }
out:
    free(w);
    return rc;
}

void cache_store_wait(struct heap *h)
{
    if (!h->writer)
        return;
    pthread_join(h->writer->thread, NULL);
    free(h->writer);
    h->writer = NULL;
}
