#ifndef CCURSES_H
#define CCURSES_H

// SwiftPM drops pkg-config defines: ask for the wide-character API explicitly.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#include <stdint.h>
#include <wchar.h>

// The display width (0, 1, 2; -1 when not printable) of one Unicode scalar under a UTF-8 locale,
// whatever the process locale is (so that tests and curses agree on widths).
int ccurses_scalar_width(uint32_t scalar);

// Whether `term` can run a full-screen UI, checked in terminfo without opening anything:
// 0 yes, 1 unknown terminal type, 2 no cursor addressing (e.g. dumb), 3 no terminfo database.
int ccurses_check_terminal(const char *term);

// setlocale(LC_ALL, ""): the locale the environment asks for; whether it uses UTF-8.
int ccurses_use_environment_locale(void);
// Switches LC_CTYPE to an installed UTF-8 locale (C.UTF-8, then en_US.UTF-8); 0 when none is installed (the
// environment's locale is then kept).
int ccurses_use_utf8_locale(void);

// Opening and closing: newterm(term, stdout, stdin) in the locale set by the calls above, with handlers for
// SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGTRAP that restore the
// terminal with async-signal-safe calls only (reset bytes precomputed here, the saved termios) and
// re-raise with the default disposition. The first SIGHUP only sets the flag ccurses_hangup_received reads, so
// that the console can end cleanly (a second one restores and re-raises). NULL on failure (unknown TERM).
SCREEN *ccurses_open(const char *term);
// endwin + delscreen, removes the signal handlers. Safe to call twice.
void ccurses_close(SCREEN *screen);
// Whether a SIGHUP arrived while the screen was open (the terminal or the ssh connection is gone).
int ccurses_hangup_received(void);
// Whether the locale chosen at open uses UTF-8.
int ccurses_locale_is_utf8(void);

// C globals and macros Swift cannot import.
WINDOW *ccurses_stdscr(void);
int ccurses_colors(void);
int ccurses_color_pairs(void);
void ccurses_size(WINDOW *window, int *row_count, int *column_count);
attr_t ccurses_attributes(int bold, int dim, int underline, int reverse, int italic);

// Puts one cell: a NUL-terminated wide string (base character + combining marks, at most CCHARW_MAX)
// with attributes and colour pair. Box-drawing characters are sent as WACS line characters so that
// terminals without UTF-8 line drawing (vt100, linux console) still draw lines.
int ccurses_put_cell(WINDOW *window, int row, int column, const wchar_t *text, attr_t attributes, int pair);

// Whether `character` is a box-drawing character that ccurses_put_cell sends as a WACS line character
// (drawable even when the locale is not UTF-8).
int ccurses_is_line_character(wchar_t character);

// Full repaint on the next refresh (Ctrl-L): clearok.
void ccurses_force_repaint(WINDOW *window);

#endif
