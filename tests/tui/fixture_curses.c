/*
 * fixture_curses: a tiny curses program for vtdrive's self-test.
 *
 *   row 0  hello                      (C-t hides and shows it)
 *   row 1  key NAME                   keyname() of the last key read
 *   row 2  size COLSxROWS             updated on KEY_RESIZE
 *   row 3  typed [TEXT]               the printable keys read so far
 *   row 4  plain selected strong      "selected" in reverse, "strong" in bold
 *
 * 'q' exits with status 0, 'x' with status 3.
 */
#include <ctype.h>
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct state {
	char last[64];
	char typed[64];
	int hide_hello;
};

static void draw(const struct state *st)
{
	erase();
	if (!st->hide_hello)
		mvaddstr(0, 0, "hello");
	mvprintw(1, 0, "key %s", st->last);
	mvprintw(2, 0, "size %dx%d", COLS, LINES);
	mvprintw(3, 0, "typed [%s]", st->typed);
	mvaddstr(4, 0, "plain ");
	attron(A_REVERSE);
	addstr("selected");
	attroff(A_REVERSE);
	addstr(" ");
	attron(A_BOLD);
	addstr("strong");
	attroff(A_BOLD);
	refresh();
}

/* Records key CH; returns the exit status to quit with, or -1 to go on. */
static int handle_key(struct state *st, int ch)
{
	const char *name = keyname(ch);
	size_t n = strlen(st->typed);

	if (ch == 'q')
		return 0;
	if (ch == 'x')
		return 3;
	if (ch == ('t' & 0x1f))
		st->hide_hello = !st->hide_hello;
	snprintf(st->last, sizeof st->last, "%s", name ? name : "?");
	if (ch < 128 && isprint(ch) && n + 1 < sizeof st->typed) {
		st->typed[n] = (char)ch;
		st->typed[n + 1] = '\0';
	}
	return -1;
}

int main(void)
{
	struct state st = { "none", "", 0 };
	SCREEN *scr;
	int status = -1;

	setlocale(LC_ALL, "");
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		const char *term = getenv("TERM");

		fprintf(stderr, "fixture: cannot use TERM=%s\n", term ? term : "(unset)");
		return 4;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	timeout(200);	/* a blocking getch can miss a resize that lands mid-redraw */
	draw(&st);
	while (status < 0) {
		int ch = getch();

		if (ch == ERR)
			continue;
		status = handle_key(&st, ch);
		if (status < 0)
			draw(&st);
	}
	endwin();
	delscreen(scr);
	return status;
}
