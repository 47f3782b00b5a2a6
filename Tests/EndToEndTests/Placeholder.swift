// Tests for EndToEnd land here.
