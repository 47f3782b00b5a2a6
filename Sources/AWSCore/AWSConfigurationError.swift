/// Why AWS credentials or settings could not be resolved; the messages follow the AWS CLI's wording.
public enum AWSConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No source held an access key.
    case noCredentials
    /// A source held part of a key pair; `missing` names the absent setting.
    case partialCredentials(source: String, missing: String)
    /// A profile was asked for by name and neither file has it.
    case profileNotFound(String)
    /// No region in the arguments, the environment or the profile.
    case noRegion
    /// A region that is not a plain AWS region name.
    case invalidRegion(String)
    /// An endpoint URL that is not an http(s) URL with a host.
    case invalidEndpointURL(String, source: String)
    /// A config or credentials file that exists but cannot be read or parsed.
    case unreadableFile(path: String, reason: String)
    case malformedFile(path: String, line: Int, rule: String)
    /// A credential setting (`name`, from `source`: `env` or `profile NAME`) that breaks `rule`.
    case invalidSetting(name: String, source: String, rule: String)
    /// Profiles whose `source_profile` settings lead back to one of them, in order.
    case profileCycle([String])

    public var description: String {
        switch self {
        case .noCredentials:
            "Unable to locate credentials. You can configure credentials by running \"aws configure\"."
        case .partialCredentials(let source, let missing):
            "Partial credentials found in \(source), missing: \(missing)"
        case .profileNotFound(let profile):
            "The config profile (\(profile)) could not be found"
        case .noRegion:
            "You must specify a region. You can also configure your region by running \"aws configure\", or set AWS_REGION."
        case .invalidRegion(let region):
            "Invalid region \"\(region)\": a region is lower-case letters, digits and dashes, e.g. us-east-1"
        case .invalidEndpointURL(let url, let source):
            "Invalid endpoint URL \"\(url)\" (from \(source)): it must start with http:// or https:// and name a host"
        case .unreadableFile(let path, let reason):
            "Cannot read \(path): \(reason)"
        case .malformedFile(let path, let line, let rule):
            "\(path) line \(line): \(rule)"
        case .invalidSetting(let name, let source, let rule):
            "Invalid \(name) in \(source): it \(rule)"
        case .profileCycle(let profiles):
            "Infinite loop in profile configuration: source_profile goes \(profiles.joined(separator: " -> "))"
        }
    }
}
