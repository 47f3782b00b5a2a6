/// Text from a request made safe for one log line: control characters escaped, length capped.
func loggable(_ text: String?, maxLength: Int = 256) -> String {
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
