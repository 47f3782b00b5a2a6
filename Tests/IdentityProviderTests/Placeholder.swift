// Tests for IdentityProvider land here.
