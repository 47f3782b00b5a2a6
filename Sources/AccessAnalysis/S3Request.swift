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
