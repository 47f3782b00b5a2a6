// Tests for TerminalUI land here.
