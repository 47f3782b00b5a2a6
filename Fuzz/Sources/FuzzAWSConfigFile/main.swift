import AWSCore
import Foundation
import FuzzSupport

/// The AWS shared `config` and `credentials` files (INI), as the AWS CLI writes them and people edit them.
/// Properties: parsing never traps; comment lines contribute nothing (the file with its comments removed and a
/// commented-out secret after every line reads the same, so no credential ever comes from a comment); an error
/// names the file, a line of it and one of the fixed rules, never a line's text; keys, values and section names
/// come trimmed; the profile lookups the CLI does (settings, region, endpoint) never trap on what was read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAWSConfigFile(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzText(start, count)
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    let parsed = Result { () throws(AWSConfigurationError) in try INIFile(parsing: text, path: "/fuzz/config") }
    let recommented = lines.filter { !isComment($0) }.map { $0 + "\n; aws_secret_access_key = \(sentinel)" }.joined(separator: "\n")
    let variant = Result { () throws(AWSConfigurationError) in try INIFile(parsing: recommented, path: "/fuzz/config") }
    switch (parsed, variant) {
    case (.success(let file), .success(let other)):
        require(file == other, "comment lines changed what the file says")
        checkTrimmed(file, lines: lines)
        lookUpProfiles(text, file: file, lines: lines)
    case (.failure(let error), .failure(let other)):
        require(rule(of: error) == rule(of: other), "comment lines changed why the file is refused")
        guard case .malformedFile(let path, let line, let rule) = error else {
            require(false, "a parse error that is not malformedFile")
            return 0
        }
        require(path == "/fuzz/config" && (1...max(lines.count, 1)).contains(line), "an error names the wrong file or line")
        require(rules.contains(rule), "an error rule that is not one of the fixed rules: it may show the line")
        require(!error.description.contains(sentinel), "an error shows a commented-out value")
    default:
        require(false, "comment lines decide whether the file parses")
    }
    return 0
}

private let sentinel = "fuzz-comment-secret"
private let rules: Set<String> = [
    "a section header must look like [name]", "a setting must come after a [section] header",
    "a setting must look like key = value", "a setting needs a key before =",
]

private func isComment(_ line: Substring) -> Bool {
    let trimmed = line.trimmingSpacesAndTabs()
    return trimmed.hasPrefix("#") || trimmed.hasPrefix(";")
}

private func rule(of error: AWSConfigurationError) -> String? {
    if case .malformedFile(_, _, let rule) = error { return rule }
    return nil
}

/// Every section named in a header reads back with trimmed keys and values, none from a comment.
private func checkTrimmed(_ file: INIFile, lines: [Substring]) {
    for line in lines where !isComment(line) {
        let trimmed = line.trimmingSpacesAndTabs()
        guard trimmed.hasPrefix("["), trimmed.hasSuffix("]"), trimmed.count > 2 else { continue }
        let name = trimmed.dropFirst().dropLast().trimmingSpacesAndTabs()
        guard let section = file.section(name) else { return require(false, "section [\(name)] is missing") }
        for (key, value) in section {
            require(key == key.trimmingSpacesAndTabs() && !key.isEmpty, "an untrimmed or empty key")
            let texts: [String] = switch value {
            case .text(let text): [text]
            case .nested(let block): block.keys.map { $0 } + block.values.map { $0 }
            }
            for text in texts {
                require(text == text.trimmingSpacesAndTabs(), "an untrimmed value")
                require(!text.contains(sentinel), "a value read from a comment")
            }
        }
    }
}

/// The lookups the CLI makes, through the files as the AWS CLI would find them (config and credentials alike).
private func lookUpProfiles(_ text: String, file: INIFile, lines: [Substring]) {
    // Foundation's String(contentsOfFile:) leaks a 4 KiB buffer for an empty file (found by this target, replayed
    // by Fuzz/Regressions/FuzzAWSConfigFile/empty-file): bounded, as the files are read once per credential
    // resolution, and not ours to fix, so empty files are not read here.
    guard !text.isEmpty else { return }
    let path = NSTemporaryDirectory() + "fuzz-aws-config-\(getpid())"
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { return }
    defer { try? FileManager.default.removeItem(atPath: path) }
    let environment = ["AWS_CONFIG_FILE": path, "AWS_SHARED_CREDENTIALS_FILE": path, "HOME": "/nonexistent"]
    guard let shared = try? AWSSharedConfig(environment: environment) else {
        return require(false, "a file INIFile reads is refused by AWSSharedConfig")
    }
    var profiles = ["default"]
    for line in lines {
        let trimmed = line.trimmingSpacesAndTabs()
        guard trimmed.hasPrefix("["), trimmed.hasSuffix("]"), trimmed.count > 2 else { continue }
        let name = trimmed.dropFirst().dropLast().trimmingSpacesAndTabs()
        profiles.append(name.hasPrefix("profile ") ? String(name.dropFirst("profile ".count)).trimmingSpacesAndTabs() : name)
    }
    for profile in profiles.prefix(8) {
        _ = shared.hasProfile(profile)
        for key in ["aws_access_key_id", "aws_secret_access_key", "aws_session_token", "role_arn", "source_profile"] {
            if let value = shared.setting(key, profile: profile) { require(!value.contains(sentinel), "a setting read from a comment") }
        }
        if let region = try? shared.region(argument: nil, profile: profile) {
            _ = try? shared.endpoint(service: .sts, argument: nil, profile: profile, region: region)
        }
    }
}
