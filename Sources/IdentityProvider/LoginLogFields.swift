import Foundation
import Logging

/// The one log line every front (`serve`, the Lambda function) writes per login: who asked, how, the result and
/// why. Never the password: the reasons only name fields and rules.
extension LoginOutcome {
    /// `info` for decisions (allowed or denied), `error` when the store could not be read.
    public var logLevel: Logger.Level {
        switch self {
        case .decided: .info
        case .storeFailure: .error
        }
    }

    /// The fields of the line: `server`, `user`, `protocol`, `sourceIp`, `auth`, `result` (`allowed`, `denied` or
    /// `error`), `reason` and `latencyMs`; request text made safe by ``loggable(_:maxLength:)``.
    public func logMetadata(for request: LoginRequest) -> Logger.Metadata {
        let (result, reason, duration): (String, String, Duration) = switch self {
        case .decided(let decision): (decision.isAllowed ? "allowed" : "denied", decision.reason, decision.duration)
        case .storeFailure(let failure): ("error", failure.message, failure.duration)
        }
        return [
            "server": .string(loggable(request.serverID)),
            "user": .string(loggable(request.username)),
            "protocol": .string(loggable(request.protocolName)),
            "sourceIp": .string(loggable(request.sourceIP)),
            "auth": .string(request.authentication.rawValue),
            "result": .string(result),
            "reason": .string(loggable(reason, maxLength: 512)),
            "latencyMs": .string(String(format: "%.3f", Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)),
        ]
    }
}

/// Text from a request made safe for one log line: control characters escaped, length capped.
public func loggable(_ text: String?, maxLength: Int = 256) -> String {
    guard let text else { return "-" }
    var result = ""
    for scalar in text.unicodeScalars.prefix(maxLength) {
        if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
            result += scalar.escaped(asASCII: true)
        } else {
            result.unicodeScalars.append(scalar)
        }
    }
    return text.unicodeScalars.count > maxLength ? result + "..." : result
}
