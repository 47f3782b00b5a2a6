import Foundation
import IdentityModel
import Logging

/// Writes every log entry as one JSON object on one line, for `sftpidp serve`.
///
/// Every value is a JSON string, escaped by the JSON encoder: a user name holding ` result=allowed`, a quote or
/// a newline stays inside its own field and cannot forge another one or another line. Keys: `time` (ISO 8601),
/// `level`, `label`, `message`, then the metadata's keys (they never override those four).
public struct JSONLineLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    /// A handler for `label` writing lines through `write` (tests collect them; ``standardError(label:level:)``
    /// writes them to standard error).
    public init(label: String, level: Logger.Level = .info, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.logLevel = level
        self.write = write
    }

    /// A handler writing to standard error, one `write` per line.
    public static func standardError(label: String, level: Logger.Level) -> JSONLineLogHandler {
        JSONLineLogHandler(label: label, level: level) { line in
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { $1 }
        }
        if let extra = event.metadata {
            merged.merge(extra) { $1 }
        }
        var object = merged.mapValues(Self.json)
        object["time"] = .string(ISODate.format(Date()))
        object["level"] = .string(event.level.rawValue)
        object["label"] = .string(label)
        object["message"] = .string(event.message.description)
        write(JSONValue.object(object).jsonText + "\n")
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
