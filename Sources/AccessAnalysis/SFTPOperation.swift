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

/// A place in S3: a bucket and a key (a folder prefix ending in `/`, empty for the bucket root, or an object key).
public struct S3Location: Sendable, Hashable {
    public var bucket: String
    public var key: String

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// The location of a service path `/bucket/key...`; nil for `/` or an empty path.
    public init?(path: String) {
        let trimmed = path.drop(while: { $0 == "/" })
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bucket = parts.first, !bucket.isEmpty else { return nil }
        self.bucket = String(bucket)
        key = parts.count > 1 ? String(parts[1]) : ""
    }

    /// The same location as a folder: its key ends in `/` unless it is the bucket root.
    var asFolder: S3Location {
        S3Location(bucket: bucket, key: key.isEmpty || key.hasSuffix("/") ? key : key + "/")
    }
}

/// One S3 request the service makes for an SFTP operation: the IAM action, the resource ARN and the condition keys.
public struct S3Request: Sendable, Hashable {
    /// What this request does within the operation: `list`, `copy: read the source`...
    public var step: String
    public var action: String
    public var resource: String
    public var context: RequestContext

    public init(step: String, action: String, resource: String, context: RequestContext) {
        self.step = step
        self.action = action
        self.resource = resource
        self.context = context
    }
}

/// How SFTP operations become S3 requests, per the Transfer Family user guide and CONTRACT.md section 8
/// (the table and its sources are in docs/access.md).
///
/// Object operations are checked on sample names directly inside the directory, since identity policies grant
/// prefixes, not single files: ``sampleFile``, ``sampleFolder`` and ``renamedFile``.
public enum OperationMapping {
    public static let sampleFile = "example.txt"
    public static let sampleFolder = "example-folder/"
    public static let renamedFile = "example-renamed.txt"

    /// The requests for `operation` in `directory` (a folder), ARNs in `partition` (`aws`, `aws-cn`...).
    public static func requests(for operation: SFTPOperation, inDirectory directory: S3Location, partition: String) -> [S3Request] {
        let folder = directory.asFolder
        let object = S3Location(bucket: folder.bucket, key: folder.key + sampleFile)
        switch operation {
        case .list:
            return [S3Request(
                step: "list", action: "s3:ListBucket", resource: bucketARN(folder.bucket, partition: partition),
                context: RequestContext(values: ["s3:prefix": [folder.key], "s3:delimiter": ["/"]])
            )]
        case .mkdir:
            return [objectRequest("create the folder marker", "s3:PutObject", S3Location(bucket: folder.bucket, key: folder.key + sampleFolder), partition)]
        case .rename:
            let target = S3Location(bucket: folder.bucket, key: folder.key + renamedFile)
            return renameRequests(from: object, to: target, partition: partition)
        case .download, .upload, .delete:
            return requests(for: operation, onFile: object, partition: partition)
        }
    }

    /// The requests for `operation` on one object (a mapped file, or the sample file of a directory).
    public static func requests(for operation: SFTPOperation, onFile object: S3Location, partition: String) -> [S3Request] {
        switch operation {
        case .download: [objectRequest("read", "s3:GetObject", object, partition)]
        case .upload: [objectRequest("write", "s3:PutObject", object, partition)]
        case .delete: [objectRequest("delete", "s3:DeleteObject", object, partition)]
        case .rename: renameRequests(from: object, to: S3Location(bucket: object.bucket, key: object.key + ".renamed"), partition: partition)
        case .list, .mkdir: []
        }
    }

    /// S3 has no rename: the service copies (read the source, write the target) and deletes the source.
    private static func renameRequests(from source: S3Location, to target: S3Location, partition: String) -> [S3Request] {
        [
            objectRequest("copy: read the source", "s3:GetObject", source, partition),
            objectRequest("copy: write the target", "s3:PutObject", target, partition),
            objectRequest("delete the source", "s3:DeleteObject", source, partition),
        ]
    }

    private static func objectRequest(_ step: String, _ action: String, _ object: S3Location, _ partition: String) -> S3Request {
        // Listing keys are never part of an object request.
        S3Request(step: step, action: action, resource: "arn:\(partition):s3:::\(object.bucket)/\(object.key)",
                  context: RequestContext(absent: ["s3:prefix", "s3:delimiter"]))
    }

    /// `arn:<partition>:s3:::<bucket>`.
    public static func bucketARN(_ bucket: String, partition: String) -> String {
        "arn:\(partition):s3:::\(bucket)"
    }
}
