// Placeholder: replaced by the IdentityProvider implementation.
