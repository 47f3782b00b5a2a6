// Placeholder: replaced by the EmbeddedStore implementation.
