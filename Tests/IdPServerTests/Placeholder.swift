// Tests for IdPServer land here.
