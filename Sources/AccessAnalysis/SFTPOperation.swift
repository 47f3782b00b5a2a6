/// A file operation an SFTP client asks for, as the access report lists them.
public enum SFTPOperation: String, Sendable, Hashable, Codable, CaseIterable {
    case list
    case download
    case upload
    case mkdir
    case delete
    case rename

    /// How people call it.
    public var title: String {
        switch self {
        case .list: "list"
        case .download: "download"
        case .upload: "upload"
        case .mkdir: "create a directory"
        case .delete: "delete"
        case .rename: "rename"
        }
    }

    /// The operations that apply to a mapped directory and to a mapped single file.
    static let onDirectory: [SFTPOperation] = allCases
    static let onFile: [SFTPOperation] = [.download, .upload, .delete]
}
