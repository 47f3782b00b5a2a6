// Tests for EmbeddedStore land here.
