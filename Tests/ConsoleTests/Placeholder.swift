// Tests for Console land here.
