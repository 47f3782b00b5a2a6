import Crypto
import Foundation

/// Where listing caches live: `$XDG_CACHE_HOME/sftpidp/` (`~/.cache/sftpidp/`), one file per store scope and one key
/// file for them all.
public struct ListingCacheLocation: Sendable, Hashable {
    /// The directory holding the caches and their key.
    public var directory: String

    /// The file name of the key that encrypts every cache in ``directory``.
    public static let keyFileName = "listing-cache.key"

    public init(directory: String) {
        self.directory = directory
    }

    /// `$XDG_CACHE_HOME/sftpidp`, or `~/.cache/sftpidp` when `XDG_CACHE_HOME` is unset or relative (as the XDG
    /// specification says).
    public static func resolve(environment: [String: String]) -> ListingCacheLocation {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.cache"
        return ListingCacheLocation(directory: base + "/sftpidp")
    }

    /// The key file's path.
    public var keyPath: String { directory + "/" + Self.keyFileName }

    /// The cache file of one scope (for AWS: region, endpoint and identity): `listing-<16 hex digits>.cache`, named by
    /// a digest of the scope so that the name says nothing about it.
    public func cachePath(scope: String) -> String {
        let digest = SHA256.hash(data: Data(scope.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        return directory + "/listing-\(digest).cache"
    }
}
