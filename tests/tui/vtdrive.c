/*
 * vtdrive: drive a terminal program from a script, with no terminal.
 *
 * The program runs on a pseudo-terminal.  Everything it writes is fed into a
 * libvterm screen; the script waits for text, sends keys as terminfo spells
 * them for the chosen TERM, resizes the terminal, and checks text and cell
 * attributes.  The script language is described in README.md next to this
 * file.
 *
 * Exit status: 0 when every step passed; 1 when a step failed (the script
 * line and the screen go to stderr); 2 when the script could not be run at
 * all (usage, syntax, or a system call failed).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pty.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <vterm.h>
/* Last: term.h defines a macro per capability name ("bell", "tab", ...). */
#include <term.h>

enum { EXIT_FAILED = 1, EXIT_TROUBLE = 2 };

#define QUIET_MS 30	/* no output for this long: the program is done drawing */
#define DEFAULT_TIMEOUT_MS 5000
#define MAX_DIM 1000	/* largest COLS or ROWS accepted */
#define READ_ROUNDS 64	/* reads per wake-up, so a flood cannot starve deadlines */

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/* ------------------------------------------------------------------ */
/* Small utilities                                                      */

static void die(const char *fmt, ...) PRINTF_LIKE(1, 2) __attribute__((noreturn));

/* Reports trouble that stops the script from running at all; exits 2. */
static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("vtdrive: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_TROUBLE);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Parses a whole decimal number in [lo, hi]; returns 0 if S is not one. */
static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	if (!s || !isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return 0;
	*out = (int)v;
	return 1;
}

/*
 * TEXT as it can go in a message: control bytes as \xHH, long text cut.
 * Returns a static buffer, overwritten by the next call.
 */
static const char *shown(const char *s, size_t len)
{
	static char buf[200];
	size_t i, o = 0;

	for (i = 0; i < len && o + 8 < sizeof buf; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, sizeof buf - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	if (i < len)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "...");
	buf[o] = '\0';
	return buf;
}

/* ------------------------------------------------------------------ */
/* Signals by name                                                      */

static const struct {
	const char *name;
	int sig;
} signal_names[] = {
	{ "HUP", SIGHUP },
	{ "INT", SIGINT },
	{ "TERM", SIGTERM },
	{ "KILL", SIGKILL },
};

/* The signal called NAME ("TERM" or "SIGTERM", any case), or 0. */
static int signal_by_name(const char *name)
{
	size_t i;

	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (i = 0; i < sizeof signal_names / sizeof signal_names[0]; i++)
		if (strcasecmp(name, signal_names[i].name) == 0)
			return signal_names[i].sig;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */

/*
 * Named keys.  CAP is the terminfo capability that spells the key for the
 * chosen TERM; a curses program calls keypad(), which sends smkx, and the
 * terminfo strings are the ones a terminal sends in that mode.  FALLBACK is
 * xterm's spelling, used when the entry lacks the capability (vt100 has no
 * khome, for instance) or the key has no capability at all.
 */
static const struct keydef {
	const char *name;
	const char *cap;
	const char *fallback;
} keydefs[] = {
	{ "Up", "kcuu1", "\033OA" },
	{ "Down", "kcud1", "\033OB" },
	{ "Right", "kcuf1", "\033OC" },
	{ "Left", "kcub1", "\033OD" },
	{ "Home", "khome", "\033OH" },
	{ "End", "kend", "\033OF" },
	{ "PgUp", "kpp", "\033[5~" },
	{ "PgDn", "knp", "\033[6~" },
	{ "Insert", "kich1", "\033[2~" },
	{ "Delete", "kdch1", "\033[3~" },
	{ "Backspace", "kbs", "\177" },
	{ "BackTab", "kcbt", "\033[Z" },
	{ "F1", "kf1", "\033OP" },
	{ "F2", "kf2", "\033OQ" },
	{ "F3", "kf3", "\033OR" },
	{ "F4", "kf4", "\033OS" },
	{ "F5", "kf5", "\033[15~" },
	{ "F6", "kf6", "\033[17~" },
	{ "F7", "kf7", "\033[18~" },
	{ "F8", "kf8", "\033[19~" },
	{ "F9", "kf9", "\033[20~" },
	{ "F10", "kf10", "\033[21~" },
	{ "F11", "kf11", "\033[23~" },
	{ "F12", "kf12", "\033[24~" },
	{ "Enter", NULL, "\r" },
	{ "Tab", NULL, "\t" },
	{ "Esc", NULL, "\033" },
	{ "Space", NULL, " " },
};

static int have_terminfo;	/* setupterm() found the entry for TERM */

/* The terminfo string CAP for the loaded entry, or NULL when absent. */
static const char *terminfo_string(const char *cap)
{
	const char *s;

	if (!have_terminfo)
		return NULL;
	s = tigetstr(cap);
	if (s == NULL || s == (char *)-1 || *s == '\0')
		return NULL;
	return s;
}

/* Length of S if it is exactly one UTF-8 encoded character, else 0. */
static size_t utf8_single(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	size_t n, i;

	if (c < 0x80)
		n = 1;
	else if ((c & 0xe0) == 0xc0)
		n = 2;
	else if ((c & 0xf0) == 0xe0)
		n = 3;
	else if ((c & 0xf8) == 0xf0)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 0;
	return s[n] == '\0' ? n : 0;
}

/*
 * The bytes that key NAME sends.  Returns a string the caller owns, or NULL
 * with *err saying why.
 */
static char *key_bytes(const char *name, const char **err)
{
	size_t i;
	char ctl[2] = { 0, 0 };

	for (i = 0; i < sizeof keydefs / sizeof keydefs[0]; i++) {
		const struct keydef *k = &keydefs[i];
		const char *s;

		if (strcasecmp(name, k->name) != 0)
			continue;
		if (k->cap && !have_terminfo) {
			*err = "no terminfo entry for TERM, so cannot spell key";
			return NULL;
		}
		s = k->cap ? terminfo_string(k->cap) : NULL;
		return xstrdup(s ? s : k->fallback);
	}
	if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' &&
	    isalpha((unsigned char)name[2]) && name[3] == '\0') {
		ctl[0] = (char)(name[2] & 0x1f);
		return xstrdup(ctl);
	}
	if (strlen(name) == 1 && isprint((unsigned char)name[0]))
		return xstrdup(name);
	if ((unsigned char)name[0] >= 0x80 && utf8_single(name))
		return xstrdup(name);
	*err = "unknown key name";
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The script                                                           */

enum op {
	OP_WAIT, OP_WAIT_GONE, OP_EXPECT, OP_EXPECT_NOT, OP_EXPECT_ROW,
	OP_EXPECT_ROW_RE, OP_EXPECT_REVERSE, OP_EXPECT_BOLD, OP_KEY, OP_TYPE,
	OP_RESIZE, OP_SLEEP_QUIET, OP_SCREEN, OP_SIGNAL, OP_EXIT,
};

/* What may follow a command's name. */
enum args {
	ARGS_NONE,	/* nothing */
	ARGS_TEXT,	/* TEXT */
	ARGS_ROW_TEXT,	/* N TEXT */
	ARGS_ROW_RE,	/* N REGEX */
	ARGS_KEY,	/* NAME [COUNT] */
	ARGS_SIZE,	/* COLS ROWS */
	ARGS_FILE,	/* [FILE] */
	ARGS_SIGNAL,	/* NAME */
	ARGS_STATUS,	/* [STATUS | SIGNAL-NAME] */
};

static const struct {
	const char *name;
	enum op op;
	enum args args;
} commands[] = {
	{ "wait", OP_WAIT, ARGS_TEXT },
	{ "wait-gone", OP_WAIT_GONE, ARGS_TEXT },
	{ "expect", OP_EXPECT, ARGS_TEXT },
	{ "expect-not", OP_EXPECT_NOT, ARGS_TEXT },
	{ "expect-row", OP_EXPECT_ROW, ARGS_ROW_TEXT },
	{ "expect-row-re", OP_EXPECT_ROW_RE, ARGS_ROW_RE },
	{ "expect-reverse", OP_EXPECT_REVERSE, ARGS_TEXT },
	{ "expect-bold", OP_EXPECT_BOLD, ARGS_TEXT },
	{ "key", OP_KEY, ARGS_KEY },
	{ "type", OP_TYPE, ARGS_TEXT },
	{ "resize", OP_RESIZE, ARGS_SIZE },
	{ "sleep-quiet", OP_SLEEP_QUIET, ARGS_NONE },
	{ "screen", OP_SCREEN, ARGS_FILE },
	{ "signal", OP_SIGNAL, ARGS_SIGNAL },
	{ "exit", OP_EXIT, ARGS_STATUS },
};

struct cmd {
	enum op op;
	int line;		/* line in the script, from 1 */
	char *text;		/* TEXT unescaped, key bytes, or FILE; owned; may be NULL */
	size_t len;		/* bytes in text: TEXT may hold a NUL through \x00 */
	int n;			/* row; key count; columns; signal; exit status */
	int m;			/* rows, for resize */
	int by_signal;		/* exit: expect the program killed by signal n */
	int has_re;
	regex_t re;		/* expect-row-re, compiled when the script is read */
};

struct script {
	const char *name;	/* the script's name in messages */
	struct cmd *cmds;
	size_t n, cap;
};

static void syntax_error(const struct script *s, int line, const char *fmt, ...)
	PRINTF_LIKE(3, 4) __attribute__((noreturn));

static void syntax_error(const struct script *s, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: ", s->name, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_TROUBLE);
}

/*
 * Splits the first blank-separated word off *P, NUL-terminates it and moves
 * *P to the start of the next word.  Returns NULL when *P holds no word.
 */
static char *next_word(char **p)
{
	char *s = *p, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0') {
		*p = s;
		return NULL;
	}
	w = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	*p = s;
	return w;
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * Turns a TEXT argument into bytes.  One pair of enclosing double quotes is
 * dropped, so that TEXT can begin or end with blanks; then \\ \" \n \r \t \e
 * and \xHH are replaced.  Returns the bytes (owned by the caller, also
 * NUL-terminated) or NULL with *err set.
 */
static char *unescape(const char *in, size_t *outlen, const char **err)
{
	size_t n = strlen(in), i, o = 0;
	char *out;

	if (n >= 2 && in[0] == '"' && in[n - 1] == '"') {
		in++;
		n -= 2;
	}
	out = xmalloc(n + 1);
	for (i = 0; i < n; i++) {
		int hi, lo;

		if (in[i] != '\\') {
			out[o++] = in[i];
			continue;
		}
		if (++i == n) {
			*err = "TEXT ends with a lone backslash";
			free(out);
			return NULL;
		}
		switch (in[i]) {
		case '\\': out[o++] = '\\'; break;
		case '"': out[o++] = '"'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'e': out[o++] = '\033'; break;
		case 'x':
			hi = i + 1 < n ? hex_digit((unsigned char)in[i + 1]) : -1;
			lo = i + 2 < n ? hex_digit((unsigned char)in[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				*err = "\\x needs two hex digits";
				free(out);
				return NULL;
			}
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
			break;
		default:
			*err = "unknown escape (use \\\\ \\\" \\n \\r \\t \\e \\xHH)";
			free(out);
			return NULL;
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* Reads TEXT (the rest of the line) into C. */
static void parse_text(const struct script *s, struct cmd *c, const char *rest)
{
	const char *err = NULL;

	if (*rest == '\0')
		syntax_error(s, c->line, "TEXT is missing");
	c->text = unescape(rest, &c->len, &err);
	if (!c->text)
		syntax_error(s, c->line, "%s", err);
	if (c->len == 0)
		syntax_error(s, c->line, "TEXT is empty");
}

static void parse_row(const struct script *s, struct cmd *c, char **p)
{
	if (!parse_int(next_word(p), 0, MAX_DIM - 1, &c->n))
		syntax_error(s, c->line, "row N must be a number from 0");
}

static void parse_regex(const struct script *s, struct cmd *c, const char *rest)
{
	int rc;
	char msg[256];

	if (*rest == '\0')
		syntax_error(s, c->line, "REGEX is missing");
	rc = regcomp(&c->re, rest, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, &c->re, msg, sizeof msg);
		syntax_error(s, c->line, "bad regular expression: %s", msg);
	}
	c->has_re = 1;
	c->text = xstrdup(rest);
	c->len = strlen(rest);
}

static void parse_key(const struct script *s, struct cmd *c, char **p)
{
	const char *name = next_word(p), *count, *err = NULL;

	if (!name)
		syntax_error(s, c->line, "key NAME is missing");
	c->text = key_bytes(name, &err);
	if (!c->text)
		syntax_error(s, c->line, "%s: '%s'", err, name);
	c->len = strlen(c->text);
	c->n = 1;
	count = next_word(p);
	if (count && !parse_int(count, 1, 10000, &c->n))
		syntax_error(s, c->line, "COUNT must be a number from 1 to 10000");
}

static void parse_size(const struct script *s, struct cmd *c, char **p)
{
	if (!parse_int(next_word(p), 1, MAX_DIM, &c->n) ||
	    !parse_int(next_word(p), 1, MAX_DIM, &c->m))
		syntax_error(s, c->line, "resize needs COLS ROWS, each 1 to %d", MAX_DIM);
}

static void parse_status(const struct script *s, struct cmd *c, char **p)
{
	const char *w = next_word(p);

	c->n = 0;
	if (!w || parse_int(w, 0, 255, &c->n))
		return;
	c->n = signal_by_name(w);
	c->by_signal = 1;
	if (!c->n)
		syntax_error(s, c->line, "exit STATUS must be 0-255 or HUP, INT, TERM, KILL");
}

/* Reads the arguments of C, whose shape is ARGS, from the rest of the line. */
static void parse_args(const struct script *s, struct cmd *c, enum args args, char *p)
{
	const char *w;

	switch (args) {
	case ARGS_NONE:
		break;
	case ARGS_TEXT:
		parse_text(s, c, p);
		p += strlen(p);
		break;
	case ARGS_ROW_TEXT:
		parse_row(s, c, &p);
		parse_text(s, c, p);
		p += strlen(p);
		break;
	case ARGS_ROW_RE:
		parse_row(s, c, &p);
		parse_regex(s, c, p);
		p += strlen(p);
		break;
	case ARGS_KEY:
		parse_key(s, c, &p);
		break;
	case ARGS_SIZE:
		parse_size(s, c, &p);
		break;
	case ARGS_FILE:
		if (*p)
			c->text = xstrdup(p);
		p += strlen(p);
		break;
	case ARGS_SIGNAL:
		w = next_word(&p);
		c->n = w ? signal_by_name(w) : 0;
		if (!c->n)
			syntax_error(s, c->line, "signal NAME must be HUP, INT, TERM or KILL");
		break;
	case ARGS_STATUS:
		parse_status(s, c, &p);
		break;
	}
	if (*p)
		syntax_error(s, c->line, "unexpected '%s'", p);
}

/* Adds the command on line LINE (trimmed, not blank, not a comment). */
static void parse_line(struct script *s, int line, char *p)
{
	const char *name = next_word(&p);
	struct cmd c = { .line = line };
	size_t i;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(name, commands[i].name) == 0)
			break;
	if (i == sizeof commands / sizeof commands[0])
		syntax_error(s, line, "unknown command '%s'", name);
	c.op = commands[i].op;
	parse_args(s, &c, commands[i].args, p);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 32;
		s->cmds = xrealloc(s->cmds, s->cap * sizeof *s->cmds);
	}
	s->cmds[s->n++] = c;
}

/*
 * Reads and checks the whole script before the program starts, so that a
 * typo late in a script fails at once (exit 2) instead of after a long run.
 */
static void script_read(struct script *s, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	int line = 0;

	s->name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (!f)
		die("cannot open script %s: %s", path, strerror(errno));
	while ((len = getline(&buf, &cap, f)) >= 0) {
		char *p = buf;

		line++;
		while (len > 0 && isspace((unsigned char)buf[len - 1]))
			buf[--len] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		parse_line(s, line, p);
	}
	if (ferror(f))
		die("cannot read script %s: %s", path, strerror(errno));
	free(buf);
	if (f != stdin)
		fclose(f);
}

static void script_free(struct script *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->cmds[i].text);
		if (s->cmds[i].has_re)
			regfree(&s->cmds[i].re);
	}
	free(s->cmds);
}

/* ------------------------------------------------------------------ */
/* The program on the pseudo-terminal                                   */

struct drv {
	const char *script;	/* script name, for messages */
	int timeout_ms;		/* deadline of each waiting step */
	pid_t pid;
	int alive;		/* pid not reaped yet */
	int status;		/* waitpid status, once reaped */
	int master;		/* pty master, non-blocking; -1 before the start */
	int pty_eof;		/* every slave fd is closed: no more output */
	int sigpipe[2];		/* SIGCHLD wakes poll() through this pipe */
	VTerm *vt;
	VTermScreen *vs;
	char *out;		/* bytes queued for the program: keys and */
	size_t outlen, outcap;	/* the terminal's answers to its queries */
	int64_t last_output;	/* when the program last wrote, ms */
};

/* One per process: the atexit and signal handlers need to reach it. */
static struct drv drv = { .master = -1, .sigpipe = { -1, -1 } };

/*
 * The pid the termination-signal handler kills.  Cleared before the child
 * is reaped, while its zombie still holds the pid, so that a recycled pid
 * is never signalled.
 */
static volatile sig_atomic_t victim;

static void on_sigchld(int sig)
{
	int saved = errno;
	ssize_t n;

	(void)sig;
	n = write(drv.sigpipe[1], "c", 1);	/* full pipe: a wake-up is pending anyway */
	(void)n;
	errno = saved;
}

/* SIGINT, SIGTERM, SIGHUP to vtdrive itself: take the program down too. */
static void on_fatal_signal(int sig)
{
	if (victim > 0)
		kill((pid_t)victim, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_handlers(void)
{
	static const int fatal[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	if (sigaction(SIGCHLD, &sa, NULL) != 0)
		die("sigaction: %s", strerror(errno));
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = 0;
	for (i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
}

/* Runs in the forked child: undo what the parent set up, then exec. */
static void child_exec(char **argv)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD };
	sigset_t none;
	size_t i;

	/* Ignored signals survive exec; a CI runner may have ignored SIGINT. */
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvp(argv[0], argv);
	fprintf(stderr, "vtdrive: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Queues bytes for the program; out_flush and pump() write them. */
static void out_push(struct drv *d, const char *s, size_t len)
{
	if (d->outlen + len > d->outcap) {
		d->outcap = (d->outlen + len) * 2;
		d->out = xrealloc(d->out, d->outcap);
	}
	memcpy(d->out + d->outlen, s, len);
	d->outlen += len;
}

/*
 * Called by libvterm, inside vterm_input_write, with the terminal's answers
 * to the program's queries (cursor position, device attributes).  Only
 * queued here: writing may have to wait, and waiting means reading, which
 * must not re-enter vterm_input_write.
 */
static void on_vterm_output(const char *s, size_t len, void *user)
{
	out_push(user, s, len);
}

static void vterm_start(struct drv *d, int cols, int rows)
{
	d->vt = vterm_new(rows, cols);
	if (!d->vt)
		die("vterm_new failed");
	vterm_set_utf8(d->vt, 1);
	vterm_output_set_callback(d->vt, on_vterm_output, d);
	d->vs = vterm_obtain_screen(d->vt);
	vterm_screen_enable_altscreen(d->vs, 1);
	vterm_screen_reset(d->vs, 1);
}

static void child_start(struct drv *d, int cols, int rows, char **argv)
{
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };

	if (pipe2(d->sigpipe, O_CLOEXEC | O_NONBLOCK) != 0)
		die("pipe: %s", strerror(errno));
	install_handlers();
	vterm_start(d, cols, rows);
	d->pid = forkpty(&d->master, NULL, NULL, &ws);
	if (d->pid < 0)
		die("forkpty: %s", strerror(errno));
	if (d->pid == 0)
		child_exec(argv);
	d->alive = 1;
	victim = d->pid;
	d->last_output = now_ms();
	if (fcntl(d->master, F_SETFL, fcntl(d->master, F_GETFL) | O_NONBLOCK) != 0 ||
	    fcntl(d->master, F_SETFD, FD_CLOEXEC) != 0)
		die("fcntl: %s", strerror(errno));
}

/* Reaps the program if it has exited; never blocks. */
static void child_reap(struct drv *d)
{
	siginfo_t si;

	if (!d->alive)
		return;
	memset(&si, 0, sizeof si);
	if (waitid(P_PID, d->pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0 || si.si_pid == 0)
		return;
	victim = 0;
	if (waitpid(d->pid, &d->status, 0) == d->pid)
		d->alive = 0;
}

/* Writes what is queued for the program, as far as the pty takes it now. */
static void out_flush(struct drv *d)
{
	while (d->outlen > 0) {
		ssize_t n = write(d->master, d->out, d->outlen);

		if (n > 0) {
			memmove(d->out, d->out + n, d->outlen - (size_t)n);
			d->outlen -= (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			return;
		} else {
			d->outlen = 0;	/* EIO: nobody is left to read it */
			return;
		}
	}
}

/* Feeds what the program wrote into the screen. */
static void child_read(struct drv *d)
{
	char buf[16384];
	int round;

	for (round = 0; round < READ_ROUNDS && !d->pty_eof; round++) {
		ssize_t n = read(d->master, buf, sizeof buf);

		if (n > 0) {
			vterm_input_write(d->vt, buf, (size_t)n);
			d->last_output = now_ms();
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			break;
		} else {
			d->pty_eof = 1;	/* EIO (or 0): every slave fd is closed */
		}
	}
	out_flush(d);
}

/*
 * Waits up to TIMEOUT ms for something to happen (output, the pty ready for
 * queued input, the child exiting) and handles it.  The only place that
 * blocks, so nothing spins.
 */
static void pump(struct drv *d, int64_t timeout)
{
	struct pollfd pfd[2];
	char junk[64];
	int n;

	pfd[0].fd = d->pty_eof ? -1 : d->master;
	pfd[0].events = POLLIN | (d->outlen ? POLLOUT : 0);
	pfd[1].fd = d->sigpipe[0];
	pfd[1].events = POLLIN;
	pfd[0].revents = pfd[1].revents = 0;
	n = poll(pfd, 2, timeout < 0 ? 0 : timeout > 60000 ? 60000 : (int)timeout);
	if (n < 0) {
		if (errno == EINTR)
			return;
		die("poll: %s", strerror(errno));
	}
	if (pfd[1].revents) {
		while (read(d->sigpipe[0], junk, sizeof junk) > 0)
			;
		child_reap(d);
	}
	if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
		child_read(d);
	if (pfd[0].revents & POLLOUT)
		out_flush(d);
}

/* atexit: the program never outlives vtdrive. */
static void cleanup(void)
{
	struct drv *d = &drv;

	if (d->alive) {
		victim = 0;
		kill(d->pid, SIGKILL);
		waitpid(d->pid, &d->status, 0);
		d->alive = 0;
	}
	if (d->master >= 0)
		close(d->master);
	if (d->sigpipe[0] >= 0) {
		close(d->sigpipe[0]);
		close(d->sigpipe[1]);
	}
	if (d->vt)
		vterm_free(d->vt);
	free(d->out);
	if (have_terminfo)
		del_curterm(cur_term);
}

/* ------------------------------------------------------------------ */
/* Reading the screen                                                   */

/* One screen row as UTF-8, with the screen column of each byte. */
struct row {
	char *s;	/* NUL-terminated */
	int *col;	/* col[i]: the column that byte i of s came from */
	size_t len;
};

static size_t utf8_put(char *out, uint32_t c)
{
	if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static void screen_size(const struct drv *d, int *cols, int *rows)
{
	vterm_get_size(d->vt, rows, cols);
}

static void cell_get(const struct drv *d, int r, int c, VTermScreenCell *cell)
{
	VTermPos pos = { .row = r, .col = c };

	if (!vterm_screen_get_cell(d->vs, pos, cell))
		memset(cell, 0, sizeof *cell);
}

/* Reads row R; free it with row_free. */
static void row_read(const struct drv *d, int r, struct row *row)
{
	size_t cap;
	int cols, rows, c;

	screen_size(d, &cols, &rows);
	cap = (size_t)cols * VTERM_MAX_CHARS_PER_CELL * 4 + 1;
	row->s = xmalloc(cap);
	row->col = xmalloc(cap * sizeof *row->col);
	row->len = 0;
	for (c = 0; c < cols;) {
		VTermScreenCell cell;
		size_t start = row->len, i;
		int k;

		cell_get(d, r, c, &cell);
		if (cell.chars[0] == 0)
			row->s[row->len++] = ' ';	/* an erased cell */
		/* (uint32_t)-1 marks the right half of a wide character: no text */
		for (k = 0; k < VTERM_MAX_CHARS_PER_CELL && cell.chars[k] &&
			    cell.chars[k] != (uint32_t)-1; k++)
			row->len += utf8_put(row->s + row->len, cell.chars[k]);
		for (i = start; i < row->len; i++)
			row->col[i] = c;
		c += cell.width > 1 ? cell.width : 1;	/* skip a wide char's right half */
	}
	row->s[row->len] = '\0';
}

static void row_free(struct row *row)
{
	free(row->s);
	free(row->col);
}

/* Length of row R's text without trailing blanks. */
static size_t row_trimmed(const struct row *row)
{
	size_t n = row->len;

	while (n > 0 && row->s[n - 1] == ' ')
		n--;
	return n;
}

/* Where a text was found: the row and the columns of its first and last byte. */
struct found {
	int row, col0, col1;
};

/* Finds the first occurrence of TEXT, top to bottom, left to right. */
static int screen_find(const struct drv *d, const char *text, size_t len, struct found *f)
{
	int cols, rows, r;

	screen_size(d, &cols, &rows);
	for (r = 0; r < rows; r++) {
		struct row row;
		const char *hit;

		row_read(d, r, &row);
		hit = memmem(row.s, row.len, text, len);
		if (hit && f) {
			f->row = r;
			f->col0 = row.col[hit - row.s];
			f->col1 = row.col[hit - row.s + (ptrdiff_t)len - 1];
		}
		row_free(&row);
		if (hit)
			return 1;
	}
	return 0;
}

/* Writes the screen, one line a row, trailing blanks dropped. */
static void screen_write(const struct drv *d, FILE *f, int numbered)
{
	int cols, rows, r;

	screen_size(d, &cols, &rows);
	for (r = 0; r < rows; r++) {
		struct row row;

		row_read(d, r, &row);
		if (numbered)
			fprintf(f, "%2d|", r);
		fwrite(row.s, 1, row_trimmed(&row), f);
		fputc('\n', f);
		row_free(&row);
	}
}

/* A phrase for how the program ended, for messages. */
static void describe_status(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "was killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "ended with wait status %#x", (unsigned)status);
}

static void fail(const struct drv *d, int line, const char *fmt, ...)
	PRINTF_LIKE(3, 4) __attribute__((noreturn));

/* Reports a failed step with the screen; exits 1. */
static void fail(const struct drv *d, int line, const char *fmt, ...)
{
	va_list ap;
	VTermPos cur;
	int cols, rows;
	char how[128];

	fflush(stdout);
	fprintf(stderr, "%s:%d: ", d->script, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	screen_size(d, &cols, &rows);
	vterm_state_get_cursorpos(vterm_obtain_state(d->vt), &cur);
	fprintf(stderr, "--- screen %dx%d, cursor at row %d col %d", cols, rows, cur.row, cur.col);
	if (!d->alive) {
		describe_status(d->status, how, sizeof how);
		fprintf(stderr, "; the program %s", how);
	}
	fputs(" ---\n", stderr);
	screen_write(d, stderr, 1);
	fputs("--- end of screen ---\n", stderr);
	exit(EXIT_FAILED);
}

/* ------------------------------------------------------------------ */
/* Running the steps                                                    */

/*
 * Waits until no output has come for QUIET_MS, counted from SINCE or the
 * last output, whichever is later.  Returns 0 at the deadline.
 */
static int wait_quiet(struct drv *d, int64_t since, int64_t deadline)
{
	for (;;) {
		int64_t t = now_ms();
		int64_t from = d->last_output > since ? d->last_output : since;
		int64_t left = from + QUIET_MS - t;

		if (d->pty_eof || left <= 0)
			return 1;
		if (t >= deadline)
			return 0;
		pump(d, left < deadline - t ? left : deadline - t);
	}
}

static void step_quiet(struct drv *d, const struct cmd *c, int64_t start)
{
	if (!wait_quiet(d, start, start + d->timeout_ms))
		fail(d, c->line, "the program kept writing; no %d ms pause within %d ms",
		     QUIET_MS, d->timeout_ms);
}

/* wait / wait-gone: until TEXT is (or is not) on the screen, then quiet. */
static void step_wait(struct drv *d, const struct cmd *c, int want)
{
	int64_t start = now_ms(), deadline = start + d->timeout_ms;
	const char *what = shown(c->text, c->len);

	while (screen_find(d, c->text, c->len, NULL) != want) {
		int64_t left = deadline - now_ms();

		if (d->pty_eof || left <= 0)
			fail(d, c->line, "'%s' %s after %lld ms%s", what,
			     want ? "not on the screen" : "still on the screen",
			     (long long)(now_ms() - start),
			     d->pty_eof ? " (the program closed the terminal)" : "");
		pump(d, left);
	}
	if (!wait_quiet(d, start, deadline))
		fail(d, c->line, "'%s' %s, but the program kept writing for %d ms", what,
		     want ? "appeared" : "went", d->timeout_ms);
}

static void step_expect(const struct drv *d, const struct cmd *c, int want)
{
	if (screen_find(d, c->text, c->len, NULL) != want)
		fail(d, c->line, "'%s' is %s", shown(c->text, c->len),
		     want ? "not on the screen" : "on the screen");
}

/* Reads row c->n, or fails when the screen has no such row. */
static void step_row_read(const struct drv *d, const struct cmd *c, struct row *row)
{
	int cols, rows;

	screen_size(d, &cols, &rows);
	if (c->n >= rows)
		fail(d, c->line, "row %d is off the screen (rows 0-%d)", c->n, rows - 1);
	row_read(d, c->n, row);
}

static void step_expect_row(const struct drv *d, const struct cmd *c)
{
	struct row row;
	int ok;

	step_row_read(d, c, &row);
	ok = memmem(row.s, row.len, c->text, c->len) != NULL;
	row_free(&row);
	if (!ok)
		fail(d, c->line, "row %d does not contain '%s'", c->n,
		     shown(c->text, c->len));
}

/* The regex sees the row without its trailing blanks, so $ means the text's end. */
static void step_expect_row_re(const struct drv *d, const struct cmd *c)
{
	struct row row;
	int ok;

	step_row_read(d, c, &row);
	row.s[row_trimmed(&row)] = '\0';
	ok = regexec(&c->re, row.s, 0, NULL, 0) == 0;
	row_free(&row);
	if (!ok)
		fail(d, c->line, "row %d does not match /%s/", c->n, c->text);
}

/* expect-reverse / expect-bold: every cell of TEXT's first occurrence. */
static void step_expect_attr(const struct drv *d, const struct cmd *c, int bold)
{
	const char *attr = bold ? "bold" : "reverse";
	struct found f;
	int col;

	if (!screen_find(d, c->text, c->len, &f))
		fail(d, c->line, "'%s' is not on the screen", shown(c->text, c->len));
	for (col = f.col0; col <= f.col1;) {
		VTermScreenCell cell;

		cell_get(d, f.row, col, &cell);
		if (!(bold ? cell.attrs.bold : cell.attrs.reverse))
			fail(d, c->line, "'%s' at row %d col %d: the cell at col %d is not %s",
			     shown(c->text, c->len), f.row, f.col0, col, attr);
		col += cell.width > 1 ? cell.width : 1;
	}
}

/* key / type: queue the bytes and wait until the pty has taken them. */
static void step_send(struct drv *d, const struct cmd *c, int count)
{
	int64_t deadline = now_ms() + d->timeout_ms;
	int i;

	if (d->pty_eof)
		fail(d, c->line, "cannot send input: the program closed the terminal");
	for (i = 0; i < count; i++)
		out_push(d, c->text, c->len);
	out_flush(d);
	while (d->outlen > 0) {
		int64_t left = deadline - now_ms();

		if (d->pty_eof)
			fail(d, c->line, "the program closed the terminal before reading its input");
		if (left <= 0)
			fail(d, c->line, "the program did not read its input within %d ms",
			     d->timeout_ms);
		pump(d, left);
	}
}

/* resize: the screen first, so the redraw the program sends fits it. */
static void step_resize(struct drv *d, const struct cmd *c)
{
	struct winsize ws = { .ws_row = (unsigned short)c->m, .ws_col = (unsigned short)c->n };
	int64_t start = now_ms();

	vterm_set_size(d->vt, c->m, c->n);
	/* The kernel sends SIGWINCH to the pty's foreground process group. */
	if (ioctl(d->master, TIOCSWINSZ, &ws) != 0)
		fail(d, c->line, "cannot resize the terminal: %s", strerror(errno));
	step_quiet(d, c, start);
}

static void step_screen(const struct drv *d, const struct cmd *c)
{
	FILE *f;

	if (!c->text) {
		screen_write(d, stdout, 0);
		fflush(stdout);
		return;
	}
	f = fopen(c->text, "we");
	if (!f)
		die("%s:%d: cannot write %s: %s", d->script, c->line, c->text, strerror(errno));
	screen_write(d, f, 0);
	if (fclose(f) != 0)
		die("%s:%d: cannot write %s: %s", d->script, c->line, c->text, strerror(errno));
}

static void step_signal(const struct drv *d, const struct cmd *c)
{
	if (!d->alive)
		fail(d, c->line, "cannot send a signal: the program has ended");
	if (kill(d->pid, c->n) != 0)
		fail(d, c->line, "kill: %s", strerror(errno));
}

/* exit: wait for the program to end, then check how it ended. */
static void step_exit(struct drv *d, const struct cmd *c)
{
	int64_t start = now_ms(), deadline = start + d->timeout_ms;
	char how[128];
	int ok;

	while (d->alive) {
		int64_t left = deadline - now_ms();

		if (left <= 0)
			fail(d, c->line, "the program did not end within %d ms", d->timeout_ms);
		pump(d, left);
	}
	if (!d->pty_eof)
		child_read(d);	/* what it wrote last is still in the pty */
	if (c->by_signal)
		ok = WIFSIGNALED(d->status) && WTERMSIG(d->status) == c->n;
	else
		ok = WIFEXITED(d->status) && WEXITSTATUS(d->status) == c->n;
	if (ok)
		return;
	describe_status(d->status, how, sizeof how);
	if (c->by_signal)
		fail(d, c->line, "the program %s; expected it killed by signal %d (%s)", how,
		     c->n, strsignal(c->n));
	fail(d, c->line, "the program %s; expected exit status %d", how, c->n);
}

static void step_run(struct drv *d, const struct cmd *c)
{
	switch (c->op) {
	case OP_WAIT: step_wait(d, c, 1); break;
	case OP_WAIT_GONE: step_wait(d, c, 0); break;
	case OP_EXPECT: step_expect(d, c, 1); break;
	case OP_EXPECT_NOT: step_expect(d, c, 0); break;
	case OP_EXPECT_ROW: step_expect_row(d, c); break;
	case OP_EXPECT_ROW_RE: step_expect_row_re(d, c); break;
	case OP_EXPECT_REVERSE: step_expect_attr(d, c, 0); break;
	case OP_EXPECT_BOLD: step_expect_attr(d, c, 1); break;
	case OP_KEY: step_send(d, c, c->n); break;
	case OP_TYPE: step_send(d, c, 1); break;
	case OP_RESIZE: step_resize(d, c); break;
	case OP_SLEEP_QUIET: step_quiet(d, c, now_ms()); break;
	case OP_SCREEN: step_screen(d, c); break;
	case OP_SIGNAL: step_signal(d, c); break;
	case OP_EXIT: step_exit(d, c); break;
	}
}

/* ------------------------------------------------------------------ */
/* Options                                                              */

/*
 * A CI job may start us with stdin (or more) closed; then pipe2 or forkpty
 * would hand out fd 0-2 and confuse everything that writes there.
 */
static void std_fds_ensure(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			die("cannot open /dev/null for fd %d", fd);
}

static void usage(void) __attribute__((noreturn));

static void usage(void)
{
	fputs("usage: vtdrive [-s COLSxROWS] [-t TERM] [-e NAME=VALUE]... [-T timeout_ms]\n"
	      "               SCRIPT -- PROGRAM [ARGS...]\n"
	      "SCRIPT is a file or - for stdin; see tests/tui/README.md\n", stderr);
	exit(EXIT_TROUBLE);
}

static void parse_size_option(const char *arg, int *cols, int *rows)
{
	char buf[32], *x;

	if (strlen(arg) >= sizeof buf)
		usage();
	strcpy(buf, arg);
	x = strchr(buf, 'x');
	if (!x)
		usage();
	*x = '\0';
	if (!parse_int(buf, 1, MAX_DIM, cols) || !parse_int(x + 1, 1, MAX_DIM, rows))
		usage();
}

/*
 * The program's environment, set in our own so that setupterm() below sees
 * TERMINFO and friends the same way the program will.  LINES and COLUMNS
 * are removed: curses prefers them to the pty size and would miss resizes.
 */
static void environment_set(const char *term, char **assigns, int nassigns)
{
	int i;

	setenv("ESCDELAY", "25", 1);	/* curses waits 1 s after Esc by default */
	unsetenv("LINES");
	unsetenv("COLUMNS");
	for (i = 0; i < nassigns; i++) {
		char *eq = strchr(assigns[i], '=');

		if (!eq || eq == assigns[i])
			usage();
		*eq = '\0';
		if (strcmp(assigns[i], "TERM") == 0)
			die("use -t to set TERM, so that keys are spelled for it");
		setenv(assigns[i], eq + 1, 1);
		*eq = '=';
	}
	setenv("TERM", term, 1);
}

int main(int argc, char **argv)
{
	struct script script = { 0 };
	const char *term = "xterm-256color";
	char **assigns = xmalloc((size_t)argc * sizeof *assigns);
	int nassigns = 0, cols = 80, rows = 24, opt, err;
	size_t i;

	/* Screen text is UTF-8 whatever the caller's locale; the regexes see it so. */
	std_fds_ensure();
	/* A closed stdout must not kill us before cleanup() kills the program. */
	signal(SIGPIPE, SIG_IGN);
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "C");
	drv.timeout_ms = DEFAULT_TIMEOUT_MS;
	while ((opt = getopt(argc, argv, "+s:t:e:T:")) != -1) {
		switch (opt) {
		case 's': parse_size_option(optarg, &cols, &rows); break;
		case 't': term = optarg; break;
		case 'e': assigns[nassigns++] = optarg; break;
		case 'T':
			if (!parse_int(optarg, 1, 3600000, &drv.timeout_ms))
				usage();
			break;
		default: usage();
		}
	}
	if (argc - optind < 3 || strcmp(argv[optind + 1], "--") != 0 || *term == '\0')
		usage();
	environment_set(term, assigns, nassigns);
	free(assigns);
	have_terminfo = setupterm(term, STDERR_FILENO, &err) == 0;	/* OK */
	script_read(&script, argv[optind]);
	drv.script = script.name;

	atexit(cleanup);
	child_start(&drv, cols, rows, argv + optind + 2);
	for (i = 0; i < script.n; i++)
		step_run(&drv, &script.cmds[i]);
	script_free(&script);
	return 0;	/* cleanup() kills the program if the script left it running */
}
