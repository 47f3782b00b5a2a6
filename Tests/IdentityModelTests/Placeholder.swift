// Tests for IdentityModel land here.
