// Placeholder: replaced by the Console implementation.
