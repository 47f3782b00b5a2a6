// Placeholder: replaced by the AWSSecretsManager implementation.
