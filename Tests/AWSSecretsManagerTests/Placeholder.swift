// Tests for AWSSecretsManager land here.
