// Placeholder: replaced by the IdPServer implementation.
