/* attach.c: heapwalk dump PID: make a running CPython write a dump, with gdb.
 * How the safe point is reached, and why, is in attach.h. */
#include "attach.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Run in the target by PyRun_SimpleString (Python 2 syntax too, so that an old
 * interpreter can say what it is). It starts one thread and returns; that
 * thread loads the scanner, writes BASE.json.gz.partial, renames it, and
 * reports through BASE.status: "started", "ok N", "error ...", "unsupported V".
 * A write fails once BASE.cancel exists (heapwalk's timeout). */
static const char boot_py[] =
    "import os, sys\n"
    "\n"
    "\n"
    "def _heapwalk_boot(base):\n"
    "    st = base + '.status'\n"
    "\n"
    "    def status(text):\n"
    "        tmp = st + '.tmp'\n"
    "        f = open(tmp, 'w')\n"
    "        try:\n"
    "            f.write(text + '\\n')\n"
    "        finally:\n"
    "            f.close()\n"
    "        os.rename(tmp, st)\n"
    "\n"
    "    # Once: the pending call and the breakpoint may both get here (setdefault\n"
    "    # is one step under the GIL).\n"
    "    key = '_heapwalk_' + base\n"
    "    if sys.__dict__.setdefault(key, st) is not st:\n"
    "        return\n"
    "    try:\n"
    "        os.unlink(base + '.boot.py')\n"
    "    except OSError:\n"
    "        pass\n"
    "    v = sys.version_info\n"
    "    if getattr(sys, 'implementation', None) is None or sys.implementation.name != 'cpython' \\\n"
    "            or not ((3, 8) <= tuple(v[:2]) <= (3, 13)):\n"
    "        status('unsupported %d.%d.%d' % tuple(v[:3]))\n"
    "        sys.__dict__.pop(key, None)\n"
    "        return\n"
    "    import _thread\n"
    "    part = base + '.json.gz.partial'\n"
    "\n"
    "    class Out(object):\n"
    "        \"\"\"The dump file; a write fails once heapwalk gives up (timeout).\"\"\"\n"
    "        def __init__(self, f):\n"
    "            self.f = f\n"
    "\n"
    "        def write(self, b):\n"
    "            if os.path.exists(base + '.cancel'):\n"
    "                raise RuntimeError('cancelled by heapwalk (timeout)')\n"
    "            return self.f.write(b)\n"
    "\n"
    "        def flush(self):\n"
    "            self.f.flush()\n"
    "\n"
    "    def run():\n"
    "        try:\n"
    "            import gzip, types\n"
    "            m = types.ModuleType('heapwalk_scanner')\n"
    "            m.__file__ = base + '.scanner.py'\n"
    "            with open(base + '.scanner.py') as f:\n"
    "                src = f.read()\n"
    "            exec(compile(src, 'heapwalk_scanner.py', 'exec'), m.__dict__)\n"
    "            with open(part, 'wb') as raw:\n"
    "                with gzip.GzipFile(filename='', mode='wb', fileobj=Out(raw), compresslevel=6, mtime=0) as z:\n"
    "                    n = m.dump_all_objects(z)\n"
    "                raw.flush()\n"
    "                os.fsync(raw.fileno())\n"
    "            os.rename(part, base + '.json.gz')\n"
    "            status('ok %d' % n)\n"
    "        except BaseException as e:\n"
    "            try:\n"
    "                os.unlink(part)\n"
    "            except OSError:\n"
    "                pass\n"
    "            try:\n"
    "                status('error %s: %s' % (type(e).__name__, str(e).replace('\\n', ' ')))\n"
    "            except BaseException:\n"
    "                pass\n"
    "        finally:\n"
    "            sys.__dict__.pop(key, None)\n"
    "\n"
    "    status('started')\n"
    "    _thread.start_new_thread(run, ())\n";

/* Where the files live: base as the target sees it (/tmp/.heapwalk-PID-N) and
 * as heapwalk sees it (/proc/PID/root/tmp/.heapwalk-PID-N). */
struct files {
    char target[128];
    char host[PATH_MAX - 32];
};

static void file_path(const struct files *f, const char *suffix, char *out, size_t n)
{
    snprintf(out, n, "%s%s", f->host, suffix);
}

static void files_unlink(const struct files *f, const char *suffix)
{
    char p[PATH_MAX];
    file_path(f, suffix, p, sizeof p);
    unlink(p);
}

static void files_cleanup(const struct files *f)
{
    static const char *const suffixes[] = {".boot.py", ".scanner.py", ".status", ".status.tmp", ".cancel",
                                           ".json.gz.partial", ".json.gz"};
    for (size_t k = 0; k < sizeof suffixes / sizeof *suffixes; k++)
        files_unlink(f, suffixes[k]);
}

static int ptrace_denied(pid_t pid, struct hw_error *err)
{
    char scope[16] = "";
    FILE *fp = fopen("/proc/sys/kernel/yama/ptrace_scope", "r");
    if (fp) {
        if (!fgets(scope, sizeof scope, fp))
            scope[0] = 0;
        fclose(fp);
        scope[strcspn(scope, "\n")] = 0;
    }
    return hw_fail(err,
                   "not permitted to trace process %d (ptrace): run heapwalk as the process's user or as root "
                   "(CAP_SYS_PTRACE)%s%s%s",
                   (int)pid, scope[0] ? "; kernel.yama.ptrace_scope is " : "", scope,
                   scope[0] && strcmp(scope, "0") != 0 ? " (1: only a parent may trace without CAP_SYS_PTRACE; "
                                                         "3: nobody may)"
                                                       : "");
}

/* Create path (must not exist) with data, owned by uid:gid when heapwalk is root
 * (so that the target may remove it from a sticky /tmp). */
static int write_new_file(const char *path, const void *data, size_t n, const struct stat *owner,
                          struct hw_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return hw_fail(err, "cannot create %s: %s", path, strerror(errno));
    if (geteuid() == 0 && fchown(fd, owner->st_uid, owner->st_gid) < 0) {
        /* Not fatal: the target can still read the file; heapwalk removes it. */
    }
    const char *p = data;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : EIO;
            close(fd);
            unlink(path);
            return hw_fail(err, "writing %s: %s", path, strerror(e));
        }
        p += w;
        n -= (size_t)w;
    }
    if (close(fd) < 0) {
        int e = errno;
        unlink(path);
        return hw_fail(err, "writing %s: %s", path, strerror(e));
    }
    return 0;
}

/* The process exists and its /tmp is reachable; *owner gets /proc/PID's owner. */
static int check_target(pid_t pid, struct files *f, struct stat *owner, struct hw_error *err)
{
    char p[64];
    if (pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH))
        return hw_fail(err, "no process with id %d", (int)pid);
    snprintf(p, sizeof p, "/proc/%d", (int)pid);
    if (stat(p, owner) < 0)
        return hw_fail(err, "no process with id %d", (int)pid);
    if (pid == getpid())
        return hw_fail(err, "process %d is heapwalk itself", (int)pid);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(f->target, sizeof f->target, "/tmp/.heapwalk-%d-%d-%ld", (int)pid, (int)getpid(), (long)ts.tv_nsec);
    snprintf(f->host, sizeof f->host, "/proc/%d/root%s", (int)pid, f->target);
    char tmp[64];
    snprintf(tmp, sizeof tmp, "/proc/%d/root/tmp", (int)pid);
    struct stat st;
    if (stat(tmp, &st) < 0) {
        if (errno == EACCES || errno == EPERM)
            return ptrace_denied(pid, err);
        return hw_fail(err, "cannot reach the /tmp of process %d through %s: %s", (int)pid, tmp, strerror(errno));
    }
    return 0;
}

/* The gdb commands. x86-64 only: waking a main thread blocked in a system call. */
static void gdb_script(const struct files *f, struct strbuf *sb)
{
    sb_printf(sb,
              "set pagination off\n"
              "set confirm off\n"
              "set unwindonsignal on\n"
              "handle SIGINT stop print nopass\n"
              "echo HW-ATTACHED\\n\n"
              "print (void *) &Py_AddPendingCall\n"
              "print (void *) &PyRun_SimpleString\n"
              "print (void *) &PyEval_SaveThread\n"
              "echo HW-CPYTHON\\n\n"
              /* A page for the code, by mmap (a system call: no lock, unlike malloc). */
              "set $hw_page = ((void *(*)(void *, unsigned long, int, int, int, long)) mmap)(0, 4096, 3, 0x22, -1, 0)\n"
              "if $hw_page == (void *) -1\n"
              "  echo HW-NO-PAGE\\n\n"
              "  detach\n"
              "  quit\n"
              "end\n");
    char code[1024];
    int n = snprintf(code, sizeof code,
                     "try:\\n    exec(open('%s.boot.py').read(), {'__name__': '__heapwalk__'})\\nexcept OSError:\\n"
                     "    pass\\n",
                     f->target);
    /* The \n escapes count one byte each in the target. */
    size_t bytes = (size_t)n;
    for (const char *c = code; (c = strstr(c, "\\n")) != NULL; c += 2)
        bytes--;
    sb_printf(sb,
              "set {char[%zu]} $hw_page = \"%s\"\n"
              "set $hw_rc = ((int (*)(void *, void *)) Py_AddPendingCall)((void *) PyRun_SimpleString, $hw_page)\n"
              "echo HW-PENDING\\n\n"
              "break *PyEval_SaveThread\n"
              "echo HW-WAIT\\n\n"
              "continue\n",
              bytes + 1, code);
#if defined(__x86_64__)
    sb_adds(sb, "if $pc != (long) &PyEval_SaveThread\n"
                "  thread 1\n"
                "  if $orig_rax >= 0 && ($rax == -4 || $rax == -512 || $rax == -514 || $rax == -516)\n"
                "    set $rax = -4\n"
                "    set $orig_rax = -1\n"
                "  end\n"
                "  echo HW-WOKEN\\n\n"
                "  continue\n"
                "end\n");
#else
    sb_adds(sb, "echo HW-WOKEN\\n\n"
                "if $pc != (long) &PyEval_SaveThread\n"
                "  continue\n"
                "end\n");
#endif
    sb_adds(sb, "if $pc == (long) &PyEval_SaveThread\n"
                "  delete\n"
                "  echo HW-ENTERED\\n\n"
                "  set $hw_rc = ((int (*)(void *)) PyRun_SimpleString)($hw_page)\n"
                "  echo HW-RAN\\n\n"
                "else\n"
                "  echo HW-NO-SAFE-POINT\\n\n"
                "  delete\n"
                "end\n"
                "detach\n"
                "echo HW-DETACHED\\n\n");
}

/* The environment for gdb: ours, with messages in English and no debuginfod. */
static char **gdb_environ(void)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = xmalloc((n + 2) * sizeof *env, "gdb's environment");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "LC_ALL=", 7) != 0 && strncmp(environ[i], "DEBUGINFOD_URLS=", 16) != 0)
            env[k++] = environ[i];
    env[k++] = "LC_ALL=C";
    env[k] = NULL;
    return env;
}

struct gdb_run {
    pid_t pid;
    int fd;                  /* gdb's stdout and stderr */
    struct strbuf log;       /* what it said (bounded) */
};

static int gdb_start(const struct attach_options *o, const char *script, struct gdb_run *g, struct hw_error *err)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        return hw_fail(err, "pipe: %s", strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    char pidarg[32];
    snprintf(pidarg, sizeof pidarg, "%d", (int)o->pid);
    char *argv[] = {(char *)o->gdb, "-nx", "-batch", "-iex", "set debuginfod enabled off", "-iex", "set auto-load off", "-p", pidarg, "-x",
                    (char *)script, NULL};
    char **env = gdb_environ();
    int rc = posix_spawnp(&g->pid, o->gdb, &fa, NULL, argv, env);
    free(env);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        if (rc == ENOENT)
            return hw_fail(err, "%s not found: install the Debian package gdb (apt-get install gdb)", o->gdb);
        return hw_fail(err, "cannot run %s: %s", o->gdb, strerror(rc));
    }
    g->fd = fds[0];
    sb_init(&g->log);
    return 0;
}

/* Read what gdb says for up to ms milliseconds; 0 at its end (EOF), 1 otherwise. */
static int gdb_read(struct gdb_run *g, int ms)
{
    struct pollfd pfd = {g->fd, POLLIN, 0};
    if (poll(&pfd, 1, ms) <= 0)
        return 1;
    char buf[4096];
    ssize_t r = read(g->fd, buf, sizeof buf);
    if (r < 0)
        return errno == EINTR || errno == EAGAIN ? 1 : 0;
    if (r == 0)
        return 0;
    if (g->log.len < (1 << 16))
        sb_add(&g->log, buf, (size_t)r);
    return 1;
}

static int said(const struct gdb_run *g, const char *marker)
{
    return g->log.len && strstr(g->log.buf, marker) != NULL;
}

/* gdb's last error-looking line, for a message. */
static void gdb_last_line(const struct gdb_run *g, char *out, size_t n)
{
    out[0] = 0;
    if (!g->log.len)
        return;
    const char *s = g->log.buf, *best = NULL;
    size_t best_len = 0;
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len && strncmp(s, "HW-", 3) != 0 && strncmp(s, "$", 1) != 0 && strstr(s, "warning") != s) {
            best = s;
            best_len = len;
        }
        s += len + (e ? 1 : 0);
    }
    if (best)
        snprintf(out, n, "%.*s", (int)(best_len < 200 ? best_len : 200), best);
}

/* Run gdb to the end. It is interrupted (SIGINT: it stops the target, then its
 * script goes on) once after a second without a safe point, to wake an idle
 * main thread, and again at the deadline; it always detaches. */
static void gdb_run_to_end(const struct attach_options *o, struct gdb_run *g, double t0, double deadline)
{
    double t_wait = 0;
    int woken = 0, stopped = 0;
    for (;;) {
        if (!gdb_read(g, 100))
            break;
        double now = hw_now();
        if (!said(g, "HW-ENTERED")) {
            if (!t_wait && said(g, "HW-WAIT"))
                t_wait = now;
            if (t_wait && !woken && now - t_wait >= 1.0) {
                kill(g->pid, SIGINT);
                woken = 1;
            }
            if (now >= deadline && !stopped && (said(g, "HW-WOKEN") || !said(g, "HW-WAIT"))) {
                kill(g->pid, SIGINT);
                stopped = 1;
            }
        }
        if (o->progress)
            o->progress(ATTACH_ENTERING, 0, now - t0, o->progress_ctx);
    }
    close(g->fd);
    int status;
    while (waitpid(g->pid, &status, 0) < 0 && errno == EINTR)
        ;
    sb_cstr(&g->log);
}

/* What the status file says: "" while there is none. */
static void read_status(const struct files *f, char *out, size_t n)
{
    char p[PATH_MAX];
    file_path(f, ".status", p, sizeof p);
    out[0] = 0;
    FILE *fp = fopen(p, "r");
    if (!fp)
        return;
    if (!fgets(out, (int)n, fp))
        out[0] = 0;
    fclose(fp);
    out[strcspn(out, "\n")] = 0;
}

static uint64_t partial_size(const struct files *f)
{
    char p[PATH_MAX];
    struct stat st;
    file_path(f, ".json.gz.partial", p, sizeof p);
    return stat(p, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* Wait for the target's final status (ok, error, unsupported) until the
 * deadline; on timeout ask it to stop writing. 0 with status filled, -1 with err. */
static int wait_for_dump(const struct attach_options *o, const struct files *f, double t0, double deadline,
                         char *status, size_t n, struct hw_error *err)
{
    uint64_t bytes = 0;
    for (;;) {
        read_status(f, status, n);
        if (status[0] && strcmp(status, "started") != 0)
            return 0;
        double now = hw_now();
        bytes = partial_size(f);
        if (now >= deadline)
            break;
        if (o->progress)
            o->progress(ATTACH_WRITING, bytes, now - t0, o->progress_ctx);
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    char p[PATH_MAX];
    file_path(f, ".cancel", p, sizeof p);
    int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0)
        close(fd);
    /* The dump stops at its next write (every 4096 objects). */
    for (int k = 0; k < 50; k++) {
        read_status(f, status, n);
        if (status[0] && strcmp(status, "started") != 0)
            break;
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return hw_fail(err,
                   "timed out after %.0f s: process %d had written %llu bytes of the dump; it was told to stop "
                   "(%s) (--timeout S gives it longer)",
                   o->timeout, (int)o->pid, (unsigned long long)bytes,
                   strncmp(status, "error", 5) == 0 ? "it stopped" : "it has not stopped yet");
}

static int copy_fd(int in, int out)
{
    char buf[1 << 16];
    for (;;) {
        ssize_t r = read(in, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            return 0;
        for (ssize_t off = 0; off < r;) {
            ssize_t w = write(out, buf + off, (size_t)(r - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                return -1;
            off += w;
        }
    }
}

/* Copy from into the open file out (syncs a regular file), then close out:
 * 0, or the errno of the first failure. */
static int copy_and_close(const char *from, int out)
{
    int e = 0;
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        e = errno;
    } else {
        if (copy_fd(in, out) < 0)
            e = errno;
        close(in);
    }
    struct stat st;
    if (!e && fstat(out, &st) == 0 && S_ISREG(st.st_mode) && fsync(out) < 0)
        e = errno;
    if (close(out) < 0 && !e)
        e = errno;
    return e;
}

/* Move the finished dump to `to`: a rename, or (another file system: a
 * container's /tmp) a copy under a temporary name, then a rename. A `to` that
 * exists and is not a regular file (a symbolic link such as /dev/stdout, a
 * device, a FIFO) is written in place, never replaced. */
static int move_dump(const char *from, const char *to, struct hw_error *err)
{
    struct stat lst, st;
    if (lstat(to, &lst) == 0 && !S_ISREG(lst.st_mode)) {
        int trunc = stat(to, &st) == 0 && S_ISREG(st.st_mode) ? O_TRUNC : 0;
        int out = open(to, O_WRONLY | O_CLOEXEC | trunc);
        if (out < 0)
            return hw_fail(err, "cannot write the dump to %s: %s", to, strerror(errno));
        int e = copy_and_close(from, out);
        return e ? hw_fail(err, "writing the dump to %s: %s", to, strerror(e)) : 0;
    }
    if (rename(from, to) == 0)
        return 0;
    if (errno != EXDEV)
        return hw_fail(err, "cannot move the dump to %s: %s", to, strerror(errno));
    char tmp[PATH_MAX];
    const char *slash = strrchr(to, '/');
    if (slash)
        snprintf(tmp, sizeof tmp, "%.*s/.%s.partial-%d", (int)(slash - to), to, slash + 1, (int)getpid());
    else
        snprintf(tmp, sizeof tmp, ".%s.partial-%d", to, (int)getpid());
    int out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0)
        return hw_fail(err, "cannot create %s: %s", tmp, strerror(errno));
    int e = copy_and_close(from, out);
    if (!e && rename(tmp, to) < 0)
        e = errno;
    if (e) {
        unlink(tmp);
        return hw_fail(err, "writing the dump to %s: %s", to, strerror(e));
    }
    return 0;
}

/* Why gdb did not get in, from what it said. */
static int gdb_failure(const struct attach_options *o, const struct gdb_run *g, struct hw_error *err)
{
    char last[256];
    if (said(g, "ptrace: Operation not permitted"))
        return ptrace_denied(o->pid, err);
    if (said(g, "ptrace: No such process"))
        return hw_fail(err, "no process with id %d", (int)o->pid);
    if (said(g, "HW-ATTACHED") && !said(g, "HW-CPYTHON"))
        return hw_fail(err, "process %d is not a CPython process (gdb finds no Py_AddPendingCall, "
                            "PyRun_SimpleString, PyEval_SaveThread)", (int)o->pid);
    gdb_last_line(g, last, sizeof last);
    return hw_fail(err, "gdb could not get into process %d%s%s", (int)o->pid, last[0] ? ": " : "", last);
}

/* After gdb: the status the bootstrap left, interpreted. */
static int finish(const struct attach_options *o, const struct files *f, const struct gdb_run *g, double t0,
                  struct attach_result *res, struct hw_error *err)
{
    double deadline = t0 + o->timeout;
    char status[512];
    read_status(f, status, sizeof status);
    if (!status[0] && !said(g, "HW-RAN")) {
        /* No safe point (or gdb failed): take the bootstrap away so that the
         * pending call, if it ever runs, does nothing; then look once more. */
        files_unlink(f, ".boot.py");
        read_status(f, status, sizeof status);
        if (!status[0] && said(g, "HW-NO-SAFE-POINT"))
            return hw_fail(err,
                           "no safe point in process %d within %.0f s: no thread released the GIL (a thread "
                           "stuck in C code holding it, e.g. a long call into a C extension); the process was "
                           "left running as it was",
                           (int)o->pid, o->timeout);
        if (!status[0])
            return gdb_failure(o, g, err);
    }
    if (!status[0]) {
        /* Entered: the status comes within moments. */
        for (int k = 0; k < 100 && !status[0]; k++) {
            struct timespec ts = {0, 50 * 1000 * 1000};
            nanosleep(&ts, NULL);
            read_status(f, status, sizeof status);
        }
        if (!status[0])
            return hw_fail(err, "process %d ran the entry code but its dump thread never reported (%s)",
                           (int)o->pid, f->target);
    }
    if (strcmp(status, "started") == 0 && wait_for_dump(o, f, t0, deadline, status, sizeof status, err) < 0)
        return -1;
    if (strncmp(status, "unsupported ", 12) == 0)
        return hw_fail(err, "process %d runs Python %s: the scanner supports CPython 3.8 to 3.13", (int)o->pid,
                       status + 12);
    if (strncmp(status, "error ", 6) == 0)
        return hw_fail(err, "the dump failed in process %d: %s", (int)o->pid, status + 6);
    unsigned long long n;
    if (sscanf(status, "ok %llu", &n) != 1)
        return hw_fail(err, "process %d reported '%.100s'", (int)o->pid, status);
    char from[PATH_MAX];
    file_path(f, ".json.gz", from, sizeof from);
    struct stat st;
    res->objects = n;
    res->bytes = stat(from, &st) == 0 ? (uint64_t)st.st_size : 0;
    if (move_dump(from, o->out, err) < 0)
        return -1;
    res->seconds = hw_now() - t0;
    return 0;
}

int attach_dump(const struct attach_options *o, struct attach_result *res, struct hw_error *err)
{
    memset(res, 0, sizeof *res);
    double t0 = hw_now();
    struct files f;
    struct stat owner;
    if (check_target(o->pid, &f, &owner, err) < 0)
        return -1;
    char path[PATH_MAX];
    file_path(&f, ".scanner.py", path, sizeof path);
    if (write_new_file(path, o->scanner, o->scanner_len, &owner, err) < 0)
        return -1;
    struct strbuf boot;
    sb_init(&boot);
    sb_add(&boot, boot_py, sizeof boot_py - 1);
    sb_printf(&boot, "\n_heapwalk_boot('%s')\n", f.target);
    file_path(&f, ".boot.py", path, sizeof path);
    int rc = write_new_file(path, boot.buf, boot.len, &owner, err);
    sb_free(&boot);
    if (rc < 0) {
        files_cleanup(&f);
        return -1;
    }

    /* The gdb script: heapwalk's own private file. */
    const char *tmpdir = getenv("TMPDIR");
    char script[PATH_MAX];
    snprintf(script, sizeof script, "%s/heapwalk-gdb-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int sfd = mkstemp(script);
    if (sfd < 0) {
        hw_fail(err, "cannot create a temporary file (%s): %s", script, strerror(errno));
        files_cleanup(&f);
        return -1;
    }
    struct strbuf sb;
    sb_init(&sb);
    gdb_script(&f, &sb);
    ssize_t w = write(sfd, sb.buf, sb.len);
    int werr = errno;
    close(sfd);
    if (w != (ssize_t)sb.len) {
        sb_free(&sb);
        unlink(script);
        files_cleanup(&f);
        return hw_fail(err, "cannot write %s: %s", script, w < 0 ? strerror(werr) : "short write");
    }
    sb_free(&sb);

    struct gdb_run g;
    if (gdb_start(o, script, &g, err) < 0) {
        unlink(script);
        files_cleanup(&f);
        return -1;
    }
    gdb_run_to_end(o, &g, t0, t0 + o->timeout);
    unlink(script);
    rc = finish(o, &f, &g, t0, res, err);
    sb_free(&g.log);
    files_cleanup(&f);
    return rc;
}
