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
