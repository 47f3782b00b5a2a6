import IdentityModel

/// Which keys of a secret hold something secret, and how their values are shown: the one rule behind
/// `users show` (text and `--json`), the console's detail pane and its conflict screen.
public enum SecretRedaction {
    /// Parts of a key name that mark its value as secret, compared ignoring case.
    public static let secretMarkers = [
        "password", "passwd", "passphrase", "secret", "token", "hash", "private", "credential",
        "apikey", "api_key", "api-key", "accesskey", "access_key", "signature", "cookie", "session",
    ]

    /// The text shown instead of a secret value.
    public static let hidden = "(hidden)"

    /// True when the key's value must never be shown: every password key (`Password`, `SFTPPasswordHash`, ...)
    /// and any key whose name contains a marker of ``secretMarkers``.
    public static func looksSecret(_ key: String) -> Bool {
        if SecretKey.isPasswordVariant(key) { return true }
        let lowered = key.lowercased()
        return secretMarkers.contains { lowered.contains($0) }
    }

    /// The value of `key` as text to show: ``hidden`` for a secret-looking key, `(absent)` when missing,
    /// a string as it is, anything else as JSON.
    public static func displayValue(of key: String, in secret: UserSecret) -> String {
        guard let value = secret[key] else { return "(absent)" }
        if looksSecret(key) { return hidden }
        return value.stringValue ?? value.jsonText
    }
}
