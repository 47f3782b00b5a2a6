// Placeholder: replaced by the TerminalUI implementation.
