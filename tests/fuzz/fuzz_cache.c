/* libFuzzer target: the index cache's reader.  The input is a dump followed
 * by edits: the dump is loaded, its cache file made (cache_serialize), the
 * edits applied to the file's bytes, the checksums made right again or not,
 * and the file read back (cache_read_buffer).  A file the reader accepts goes
 * through every analysis a user can reach.  Nothing may crash, leak or hang;
 * an unsealed edit to a covered byte must be refused.
 *
 * Input: u8 flags (bit 0: seal after editing, bit 1: cut the file at the
 * first edit's offset), u8 number of edits E, E edits of (u32 offset, u8
 * value), then the dump. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"
#include "cache.h"
#include "load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size < 2 + (size_t)data[1] * 5)
        return 0;
    uint8_t flags = data[0], nedits = data[1];
    const uint8_t *edits = data + 2, *dump = edits + nedits * 5;
    size_t dump_len = size - 2 - (size_t)nedits * 5;

    struct load_options opt;
    struct load_report rep;
    struct hw_error err;
    struct heap h;
    load_options_default(&opt);
    opt.threads = 1;
    heap_init(&h);
    if (load_buffer("fuzz", (const char *)dump, dump_len, &opt, &h, &rep, &err) < 0) {
        heap_free(&h);
        return 0;
    }
    struct cache_key key;
    memset(&key, 0, sizeof key);
    strcpy(key.path, "/fuzz/dump.json");
    key.collapse = 1;
    size_t len;
    char *file = cache_serialize(&key, &h, &rep, &len);
    heap_free(&h);

    for (uint8_t k = 0; k < nedits; k++) {
        uint32_t off;
        memcpy(&off, edits + 5 * k, 4);
        off %= (uint32_t)len;
        if (k == 0 && (flags & 2))
            len = off;
        else if (off < len)
            file[off] = (char)edits[5 * k + 4];
    }
    if (flags & 1)
        cache_seal(file, len);

    /* The reader's data is 64-byte aligned, as a mapping is. */
    void *copy = NULL;
    if (posix_memalign(&copy, 64, len ? len : 1) != 0)
        abort();
    memcpy(copy, file, len);
    free(file);
    char note[HW_ERRMAX];
    heap_init(&h);
    if (cache_read_buffer(&key, copy, len, &h, &rep, note, sizeof note) == 1)
        fuzz_analyse(&h, 0);
    else if (!note[0])
        abort(); /* a file set aside always says why */
    heap_free(&h);
    free(copy);
    return 0;
}
