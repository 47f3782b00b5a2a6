// Placeholder: replaced by the SecretStoreTesting implementation.
