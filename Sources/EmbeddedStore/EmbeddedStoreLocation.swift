import Foundation

/// Where an embedded store's database and master key live, from the command line and the environment.
public enum EmbeddedStoreLocation {
    /// The database and key paths: the store from `storePath` (`--store`), else `SFTPIDP_STORE`, else
    /// `$XDG_DATA_HOME/sftpidp/secrets.db` (`~/.local/share/sftpidp/secrets.db`); the key from
    /// `SFTPIDP_MASTER_KEY_FILE`, else `$XDG_CONFIG_HOME/sftpidp/master.key` (`~/.config/sftpidp/master.key`).
    ///
    /// Relative XDG directories are ignored, as the XDG specification says. A leading `~/` is expanded.
    public static func resolve(storePath: String?, environment: [String: String]) -> (databasePath: String, keyPath: String) {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let database = nonEmpty(storePath) ?? nonEmpty(environment["SFTPIDP_STORE"])
            ?? xdgDirectory(environment["XDG_DATA_HOME"], fallback: home + "/.local/share") + "/sftpidp/secrets.db"
        let key = nonEmpty(environment["SFTPIDP_MASTER_KEY_FILE"])
            ?? xdgDirectory(environment["XDG_CONFIG_HOME"], fallback: home + "/.config") + "/sftpidp/master.key"
        return (expandTilde(database, home: home), expandTilde(key, home: home))
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    private static func xdgDirectory(_ value: String?, fallback: String) -> String {
        guard let value, value.hasPrefix("/") else { return fallback }
        return value
    }

    private static func expandTilde(_ path: String, home: String) -> String {
        path.hasPrefix("~/") ? home + path.dropFirst(1) : path
    }
}
