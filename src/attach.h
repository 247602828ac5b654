/* attach.h: dump a running CPython process from outside (heapwalk dump PID).
 *
 * The target has no heapwalk code. attach_dump writes the scanner and a short
 * bootstrap into the target's own /tmp through /proc/PID/root (so a process in
 * another mount namespace works), then runs gdb in batch mode, which attaches
 * and makes the interpreter run the bootstrap at a safe point:
 *
 * - a breakpoint on the entry of PyEval_SaveThread: the thread that hits it
 *   holds the GIL and is about to release it, between two C calls of the
 *   interpreter (not inside malloc, no interpreter lock taken);
 * - Py_AddPendingCall(PyRun_SimpleString, ...) as well, for a main thread that
 *   runs pure Python and never releases the GIL by itself;
 * - a main thread blocked in a system call with the GIL released (an idle
 *   server in epoll_wait) is woken with EINTR (x86-64: gdb sets the syscall's
 *   return value); CPython's wrapper takes the GIL to check for signals and
 *   releases it again: the breakpoint.
 * The bootstrap only starts a thread and returns; gdb then detaches. That
 * thread loads the scanner and writes the dump under a temporary name, then
 * writes a status file. heapwalk waits for it (progress: bytes so far) and
 * moves the finished dump to the output path.
 * docs/heapwalk.1 and docs/reliability.md say what risk remains. */
#ifndef HW_ATTACH_H
#define HW_ATTACH_H

#include <stdint.h>
#include <sys/types.h>

#include "util.h"

enum attach_stage {
    ATTACH_ENTERING,         /* gdb attached, waiting for a safe point */
    ATTACH_WRITING,          /* the target is writing: bytes so far */
};

struct attach_options {
    pid_t pid;
    const char *out;                    /* final path of the dump (.json.gz) */
    double timeout;                     /* seconds for the whole dump */
    const char *gdb;                    /* the gdb to run ("gdb") */
    const unsigned char *scanner;       /* the scanner's source */
    size_t scanner_len;
    /* Called about every 200 ms (may be NULL). */
    void (*progress)(enum attach_stage stage, uint64_t bytes, double elapsed, void *ctx);
    void *progress_ctx;
};

struct attach_result {
    uint64_t objects;                   /* objects the scanner wrote */
    uint64_t bytes;                     /* size of the dump */
    double seconds;
};

/* Dump the process; 0, or -1 with err saying what happened. The target is
 * never left stopped: gdb detaches on every path. */
int attach_dump(const struct attach_options *o, struct attach_result *res, struct hw_error *err);

#endif
