#define _GNU_SOURCE 1
#include "CCurses.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

// ---- display width -------------------------------------------------------------------------

static locale_t utf8_locale = (locale_t)0;
static pthread_once_t utf8_locale_once = PTHREAD_ONCE_INIT;

static void make_utf8_locale(void) {
    const char *names[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8", "en_US.utf8"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        utf8_locale = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
        if (utf8_locale != (locale_t)0) return;
    }
}

int ccurses_scalar_width(uint32_t scalar) {
    pthread_once(&utf8_locale_once, make_utf8_locale);
    if (utf8_locale == (locale_t)0) return wcwidth((wchar_t)scalar);
    locale_t previous = uselocale(utf8_locale);
    int width = wcwidth((wchar_t)scalar);
    uselocale(previous);
    return width;
}

// ---- restoring the terminal ----------------------------------------------------------------
//
// On close and at exit: endwin. On a fatal or terminating signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT,
// SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP; Swift traps arrive as SIGILL or SIGTRAP): only
// async-signal-safe calls. The bytes that undo what the UI turned on were looked up in terminfo at open;
// the handler write(2)s them, tcsetattr(3)s the termios saved before curses changed anything, restores
// the default disposition and raises the signal again, so the process still dies of it (exit status,
// core dump) and the shell or ssh sees the real cause. endwin is never called from a handler: it is
// not async-signal-safe (stdio, malloc) and the heap may be the very thing that crashed.

static volatile sig_atomic_t curses_active = 0;
// Set by the first SIGHUP while the screen is open: the connection is gone, the console ends on its own loop.
static volatile sig_atomic_t hangup_received = 0;
static const int restore_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
#define RESTORE_SIGNAL_COUNT (sizeof(restore_signals) / sizeof(restore_signals[0]))
static struct sigaction previous_actions[RESTORE_SIGNAL_COUNT];
static int handlers_installed = 0;
static int atexit_registered = 0;
static int locale_utf8 = 0;

// Bracketed paste (xterm private mode 2004): terminals that lack it ignore the request.
static const char paste_on[] = "\033[?2004h";
static const char paste_off[] = "\033[?2004l";

// Filled at open, read by the handler: the reset bytes, and the termios of the terminal as it was before.
static char reset_bytes[512];
static size_t reset_length = 0;
static int terminal_fd = -1;
static struct termios saved_termios;
static int termios_saved = 0;

// An alternate stack, so that the handler can run after a stack overflow (SIGSEGV) on the opening thread.
static char alternate_stack[64 * 1024];

static void write_all(int fd, const char *text, size_t length) {
    while (length > 0) {
        ssize_t written = write(fd, text, length);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return;
        text += written;
        length -= (size_t)written;
    }
}

// Appends a terminfo string without its padding ($<5>, $<2*/>): the handler cannot wait.
static void append_capability(const char *name) {
    const char *value = tigetstr(name);
    if (value == NULL || value == (char *)-1) return;
    for (const char *p = value; *p != 0 && reset_length < sizeof(reset_bytes) - 1; p++) {
        if (p[0] == '$' && p[1] == '<') {
            const char *end = strchr(p, '>');
            if (end != NULL) {
                p = end;
                continue;
            }
        }
        reset_bytes[reset_length++] = *p;
    }
}

static void append_bytes(const char *text, size_t length) {
    for (size_t i = 0; i < length && reset_length < sizeof(reset_bytes) - 1; i++) reset_bytes[reset_length++] = text[i];
}

// Normal attributes, bracketed paste off, keypad back to normal mode, cursor shown, alternate screen left.
static void prepare_reset_bytes(void) {
    reset_length = 0;
    append_capability("sgr0");
    append_bytes(paste_off, sizeof(paste_off) - 1);
    append_capability("rmkx");
    append_capability("cnorm");
    append_capability("rmcup");
}

static void restore_terminal(void) {
    if (curses_active) {
        curses_active = 0;
        write_all(STDOUT_FILENO, paste_off, sizeof(paste_off) - 1);
        endwin();
    }
}

static void restore_and_reraise(int signal_number) {
    int saved_errno = errno;
    // The first hangup only raises the flag: the console finishes the writes it sent, logs what is lost, closes the
    // screen and then dies of SIGHUP itself. A second one (a console that does not end) is handled as before.
    if (signal_number == SIGHUP && curses_active && !hangup_received) {
        hangup_received = 1;
        errno = saved_errno;
        return;
    }
    if (curses_active) {
        curses_active = 0;
        if (terminal_fd >= 0) write_all(terminal_fd, reset_bytes, reset_length);
        if (termios_saved) tcsetattr(terminal_fd, TCSANOW, &saved_termios);
    }
    struct sigaction fallback;
    memset(&fallback, 0, sizeof(fallback));
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(signal_number, &fallback, NULL);
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, signal_number);
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);
    raise(signal_number);
    errno = saved_errno;
}

static void install_alternate_stack(void) {
    stack_t current;
    if (sigaltstack(NULL, &current) != 0 || !(current.ss_flags & SS_DISABLE)) return;
    stack_t stack;
    memset(&stack, 0, sizeof(stack));
    stack.ss_sp = alternate_stack;
    stack.ss_size = sizeof(alternate_stack);
    sigaltstack(&stack, NULL);
}

static void install_handlers(void) {
    if (handlers_installed) return;
    install_alternate_stack();
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = restore_and_reraise;
    action.sa_flags = SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    // Block the other restoring signals while one is handled, so that the reset is written once.
    for (size_t i = 0; i < RESTORE_SIGNAL_COUNT; i++) sigaddset(&action.sa_mask, restore_signals[i]);
    for (size_t i = 0; i < RESTORE_SIGNAL_COUNT; i++) {
        sigaction(restore_signals[i], &action, &previous_actions[i]);
    }
    handlers_installed = 1;
}

static void remove_handlers(void) {
    if (!handlers_installed) return;
    for (size_t i = 0; i < RESTORE_SIGNAL_COUNT; i++) {
        sigaction(restore_signals[i], &previous_actions[i], NULL);
    }
    handlers_installed = 0;
}

int ccurses_check_terminal(const char *term) {
    int status = 0;
    if (setupterm(term, 1, &status) != OK) {
        // -1: no database; 1: hard-copy terminal; 0: not found, or a generic type such as dumb.
        return status == -1 ? 3 : (status == 1 ? 2 : 1);
    }
    const char *cursor_address_capability = tigetstr("cup");
    int usable = cursor_address_capability != NULL && cursor_address_capability != (char *)-1;
    del_curterm(cur_term);
    return usable ? 0 : 2;
}

static int current_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

int ccurses_use_environment_locale(void) {
    setlocale(LC_ALL, "");
    return current_locale_is_utf8();
}

int ccurses_use_utf8_locale(void) {
    const char *names[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8", "en_US.utf8"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (setlocale(LC_CTYPE, names[i]) != NULL && current_locale_is_utf8()) return 1;
    }
    setlocale(LC_ALL, "");
    return 0;
}

int ccurses_hangup_received(void) { return hangup_received; }

SCREEN *ccurses_open(const char *term) {
    if (curses_active) return NULL;  // one screen at a time
    locale_utf8 = current_locale_is_utf8();
    // The terminal's modes before curses touches them: what a signal handler puts back.
    terminal_fd = STDOUT_FILENO;
    termios_saved = tcgetattr(terminal_fd, &saved_termios) == 0;
    // Handlers first, so that ncurses sees ours and does not install its own for these signals.
    install_handlers();
    if (!atexit_registered) {
        atexit(restore_terminal);
        atexit_registered = 1;
    }
    SCREEN *screen = newterm(term, stdout, stdin);
    if (screen == NULL) {
        remove_handlers();
        return NULL;
    }
    set_term(screen);
    prepare_reset_bytes();
    curses_active = 1;
    write_all(STDOUT_FILENO, paste_on, sizeof(paste_on) - 1);
    return screen;
}

void ccurses_close(SCREEN *screen) {
    restore_terminal();
    if (screen != NULL) delscreen(screen);
    remove_handlers();
}

int ccurses_locale_is_utf8(void) { return locale_utf8; }

// ---- globals and macros --------------------------------------------------------------------

WINDOW *ccurses_stdscr(void) { return stdscr; }
int ccurses_colors(void) { return COLORS; }
int ccurses_color_pairs(void) { return COLOR_PAIRS; }

void ccurses_size(WINDOW *window, int *row_count, int *column_count) {
    int y = 0, x = 0;
    getmaxyx(window, y, x);
    *row_count = y;
    *column_count = x;
}

attr_t ccurses_attributes(int bold, int dim, int underline, int reverse, int italic) {
    attr_t attributes = A_NORMAL;
    if (bold) attributes |= A_BOLD;
    if (dim) attributes |= A_DIM;
    if (underline) attributes |= A_UNDERLINE;
    if (reverse) attributes |= A_REVERSE;
    if (italic) attributes |= A_ITALIC;
    return attributes;
}

// ---- cells ---------------------------------------------------------------------------------

static const cchar_t *line_character(wchar_t character) {
    switch (character) {
    case L'─': return WACS_HLINE;
    case L'│': return WACS_VLINE;
    case L'┌': return WACS_ULCORNER;
    case L'┐': return WACS_URCORNER;
    case L'└': return WACS_LLCORNER;
    case L'┘': return WACS_LRCORNER;
    case L'├': return WACS_LTEE;
    case L'┤': return WACS_RTEE;
    case L'┬': return WACS_TTEE;
    case L'┴': return WACS_BTEE;
    case L'┼': return WACS_PLUS;
    default: return NULL;
    }
}

int ccurses_is_line_character(wchar_t character) { return line_character(character) != NULL; }

int ccurses_put_cell(WINDOW *window, int row, int column, const wchar_t *text, attr_t attributes, int pair) {
    cchar_t cell;
    const cchar_t *line = (text[0] != 0 && text[1] == 0) ? line_character(text[0]) : NULL;
    if (line != NULL) {
        wchar_t characters[CCHARW_MAX + 1];
        attr_t line_attributes = A_NORMAL;
        short ignored_pair = 0;
        if (getcchar(line, characters, &line_attributes, &ignored_pair, NULL) == ERR) return ERR;
        if (setcchar(&cell, characters, line_attributes | attributes, 0, &pair) == ERR) return ERR;
    } else {
        if (setcchar(&cell, text, attributes, 0, &pair) == ERR) return ERR;
    }
    return mvwadd_wch(window, row, column, &cell);
}

void ccurses_force_repaint(WINDOW *window) { clearok(window, TRUE); }
