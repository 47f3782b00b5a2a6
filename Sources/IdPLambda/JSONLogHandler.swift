import Foundation
import IdentityModel
import Logging

/// Writes each log record as one JSON object on one line (CloudWatch Logs and Logs Insights read the fields).
///
/// Fields: `time` (ISO 8601, UTC, milliseconds), `level`, `logger`, `message`, then the metadata. Every value is
/// JSON-escaped, so request text (a user name with quotes or line breaks) can never add or forge fields, and the
/// record's own fields win over metadata of the same name.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public let label: String
    private let write: @Sendable (String) -> Void

    /// A handler for `label` passing records at `logLevel` and above to `write` (one line, newline included).
    public init(label: String, logLevel: Logger.Level = .info, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput) {
        self.label = label
        self.logLevel = logLevel
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: JSONValue] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = Self.json(value)
        }
        fields["time"] = .string(Date().formatted(.iso8601.year().month().day().timeSeparator(.colon).time(includingFractionalSeconds: true).timeZone(separator: .omitted)))
        fields["level"] = .string(event.level.rawValue)
        fields["logger"] = .string(label)
        fields["message"] = .string(event.message.description)
        write(JSONValue.object(fields).jsonText + "\n")
    }

    /// Writes straight to file descriptor 1, one `write` per record, so lines never interleave or wait in a buffer.
    public static let standardOutput: @Sendable (String) -> Void = { line in
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let members): .object(members.mapValues(json))
        }
    }
}
