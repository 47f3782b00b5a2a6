import Testing
@testable import AccessAnalysis

/// The example policies of the AWS Transfer Family user guide (and the IAM user guide's S3 example), each with the
/// outcome the guide's own text gives it.
@Suite struct GuideExampleTests {
    static let role = "arn:aws:iam::012345678901:role/TransferUser"

    /// https://docs.aws.amazon.com/transfer/latest/userguide/users-policies-all-access.html
    /// "Assigning an IAM role that has this IAM policy to your user gives that user read/write access to the specified
    /// Amazon S3 bucket." ListBucket on the bucket, object actions on `bucket/*`.
    static let readWriteRole = """
    {"Version": "2012-10-17", "Statement": [
      {"Sid": "ReadWriteS3", "Action": ["s3:ListBucket"], "Effect": "Allow", "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket"]},
      {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:GetObjectTagging", "s3:DeleteObject", "s3:DeleteObjectVersion",
        "s3:GetObjectVersion", "s3:GetObjectVersionTagging", "s3:GetObjectACL", "s3:PutObjectACL"],
       "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket/*"]}
    ]}
    """

    /// https://docs.aws.amazon.com/transfer/latest/userguide/users-policies-session.html (also session-policy.html):
    /// "a session policy that limits users' access to their home directories only", assuming homes end in `/`.
    static let homeSessionPolicy = """
    {"Version": "2012-10-17", "Statement": [
      {"Sid": "AllowListingOfUserFolder", "Action": ["s3:ListBucket"], "Effect": "Allow",
       "Resource": ["arn:aws:s3:::${transfer:HomeBucket}"],
       "Condition": {"StringLike": {"s3:prefix": ["${transfer:HomeFolder}/*", "${transfer:HomeFolder}"]}}},
      {"Sid": "HomeDirObjectAccess", "Effect": "Allow",
       "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObjectVersion", "s3:GetObjectACL", "s3:PutObjectACL"],
       "Resource": "arn:aws:s3:::${transfer:HomeDirectory}*"}
    ]}
    """

    /// https://docs.aws.amazon.com/transfer/latest/userguide/scope-down-policy.html, with its `Optional_path/`
    /// placeholder as printed.
    static let scopeDownWithPlaceholder = """
    {"Version": "2012-10-17", "Statement": [
      {"Sid": "AllowListingOfUserFolder", "Action": ["s3:ListBucket"], "Effect": "Allow",
       "Resource": ["arn:aws:s3:::${transfer:HomeBucket}"],
       "Condition": {"StringLike": {"s3:prefix": ["Optional_path/${transfer:HomeFolder}/*", "Optional_path/${transfer:HomeFolder}"]}}},
      {"Sid": "HomeDirObjectAccess", "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:GetObjectVersion"],
       "Resource": "arn:aws:s3:::${transfer:HomeDirectory}*"}
    ]}
    """

    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_s3_rw-bucket.html:
    /// "The AllObjectActions statement allows the GetObject, DeleteObject, PutObject, and any other Amazon S3 action
    /// that ends with the word Object."
    static let iamAllObjectActions = """
    {"Version": "2012-10-17", "Statement": [
      {"Sid": "ListObjectsInBucket", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::bucket-name"]},
      {"Sid": "AllObjectActions", "Effect": "Allow", "Action": "s3:*Object", "Resource": ["arn:aws:s3:::bucket-name/*"]}
    ]}
    """

    /// https://docs.aws.amazon.com/transfer/latest/userguide/configure-storage.html#headobject-access-denied, "Grant
    /// ability to only write and list files", as printed (awsdocs/aws-transfer-user-guide, doc_source/requirements-S3.md),
    /// its two typos included: `s3:GetobjectVersion` (actions ignore case: still GetObjectVersion) and
    /// `se:GetObjectVersion` in the Deny (no such service: it denies nothing). "This prevents GetObject on files so they
    /// cannot be read, while allowing the user to list and traverse folders"; the policy "does not allow for appending
    /// to a file ... cannot open files to add content to them, or to modify them".
    static let writeAndListOnly = """
    {"Version": "2012-10-17", "Statement": [
      {"Sid": "AllowListing", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET"},
      {"Sid": "AllowReadWrite", "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:GetobjectVersion"],
       "Resource": ["arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"]},
      {"Sid": "DenyIfNotFolder", "Effect": "Deny", "Action": ["s3:GetObject", "se:GetObjectVersion"],
       "NotResource": ["arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/"]}
    ]}
    """

    /// https://docs.aws.amazon.com/transfer/latest/userguide/prevent-mkdir.html: "an IAM policy that allows the
    /// s3:PutObject action but also denies it when the key ends with a "/"". The guide prints only the Deny statement,
    /// here as a policy of its own beside the read/write policy (the allow it assumes). Its note: "The second resource
    /// line makes it impossible for users to create sub-folders by running a command such as put my-file
    /// DOC-EXAMPLE-BUCKET/new-folder/my-file".
    static let denyMkdir = """
    {"Version": "2012-10-17", "Statement": [
      {"Sid": "DenyMkdir", "Action": ["s3:PutObject"], "Effect": "Deny",
       "Resource": ["arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/*"]}
    ]}
    """

    /// The read/write policy for DOC-EXAMPLE-BUCKET with the DenyMkdir policy beside it, for a PATH home.
    static func denyMkdirReport(home: String) throws -> AccessReport {
        let readWrite = readWriteRole.replacingOccurrences(of: "amzn-s3-demo-bucket", with: "DOC-EXAMPLE-BUCKET")
        let answer = TransferAnswer(role: role, policy: nil, homeDirectoryType: "PATH", homeDirectory: home)
        return AccessExplainer(answer: answer, userName: "jess",
                               rolePolicies: [try Fixture.role(readWrite, name: "ReadWrite"), try Fixture.role(denyMkdir, name: "DenyMkdir")]).report()
    }

    static func report(home: String, session: String? = nil, rolePolicy: String = readWriteRole, user: String = "jess") throws -> AccessReport {
        let answer = TransferAnswer(role: role, policy: session, homeDirectoryType: "PATH", homeDirectory: home)
        return AccessExplainer(answer: answer, userName: user, rolePolicies: [try Fixture.role(rolePolicy, name: "ReadWrite")]).report()
    }

    static func decisions(_ report: AccessReport) -> [SFTPOperation: Decision] {
        Dictionary(uniqueKeysWithValues: report.places[0].operations.map { ($0.operation, $0.decision) })
    }

    static let everything = Dictionary(uniqueKeysWithValues: SFTPOperation.allCases.map { ($0, Decision.allowed) })

    @Test func readWriteRoleGivesReadWriteAccessToItsBucket() throws {
        let report = try Self.report(home: "/amzn-s3-demo-bucket/home/jess")
        #expect(Self.decisions(report) == Self.everything)
        #expect(report.findings.isEmpty)
        // ... and to nothing else.
        let elsewhere = try Self.report(home: "/other-bucket/home/jess")
        #expect(Self.decisions(elsewhere).values.allSatisfy { $0 == .denied })
        #expect(Set(elsewhere.findings.map(\.code)) == [.placeOutsideAllowedResources, .homeBucketNotListable])
    }

    @Test func homeSessionPolicyKeepsUsersInTheirHomes() throws {
        let report = try Self.report(home: "/amzn-s3-demo-bucket/home/jess/", session: Self.homeSessionPolicy)
        #expect(Self.decisions(report) == Self.everything)
        #expect(report.findings.isEmpty)
        let evaluator = PolicyEvaluator(rolePolicies: [try Fixture.role(Self.readWriteRole)], sessionPolicy: try Fixture.session(Self.homeSessionPolicy),
                                        variables: PolicyVariables(userName: "jess", home: "/amzn-s3-demo-bucket/home/jess/"))
        let othersFile = evaluator.evaluate(Fixture.get("home/bob/report.csv", bucket: "amzn-s3-demo-bucket"))
        #expect(othersFile.decision == .denied)
        #expect(othersFile.reasons.first?.statement == "\"HomeDirObjectAccess\"")
        let othersFolder = evaluator.evaluate(Fixture.list("home/bob/", bucket: "amzn-s3-demo-bucket"))
        #expect(othersFolder.decision == .denied)
        #expect(othersFolder.reasons.first?.element == .condition)
    }

    /// The guide: the policy assumes home directories end in `/`. Without it, `${transfer:HomeDirectory}*` also covers
    /// every folder whose name starts with the user's: jess reaches jessica's files.
    @Test func withoutTheTrailingSlashTheHomeResourceReachesSiblings() throws {
        let evaluator = PolicyEvaluator(rolePolicies: [try Fixture.role(Self.readWriteRole)], sessionPolicy: try Fixture.session(Self.homeSessionPolicy),
                                        variables: PolicyVariables(userName: "jess", home: "/amzn-s3-demo-bucket/home/jess"))
        #expect(evaluator.evaluate(Fixture.get("home/jessica/private.txt", bucket: "amzn-s3-demo-bucket")).decision == .allowed)
        #expect(evaluator.evaluate(Fixture.get("home/bob/private.txt", bucket: "amzn-s3-demo-bucket")).decision == .denied)
        let report = try Self.report(home: "/amzn-s3-demo-bucket/home/jess", session: Self.homeSessionPolicy)
        #expect(Self.decisions(report) == Self.everything)
    }

    /// Left as printed, the `Optional_path/` placeholder makes the home folder unlistable while files still work;
    /// the explainer names the condition and the prefix the service sends.
    @Test func scopeDownPlaceholderLeftInBreaksListingOnly() throws {
        let report = try Self.report(home: "/amzn-s3-demo-bucket/home/jess", session: Self.scopeDownWithPlaceholder)
        var expected = Self.everything
        expected[.list] = .denied
        #expect(Self.decisions(report) == expected)
        #expect(report.findings.map(\.code) == [.prefixConditionCannotMatch])
        #expect(report.findings.first?.message.contains(#"s3:prefix "home/jess/""#) == true)
        // With the placeholder replaced by the real path part (here: none), listing works again.
        let fixed = Self.scopeDownWithPlaceholder.replacingOccurrences(of: "Optional_path/", with: "")
        #expect(Self.decisions(try Self.report(home: "/amzn-s3-demo-bucket/home/jess", session: fixed)) == Self.everything)
    }

    @Test func iamAllObjectActionsCoversEveryObjectOperation() throws {
        let report = try Self.report(home: "/bucket-name/uploads", rolePolicy: Self.iamAllObjectActions)
        #expect(Self.decisions(report) == Self.everything)
        #expect(report.findings.isEmpty)
    }

    /// Write and list, and folders can be made and traversed (their markers read); files cannot be read, so neither
    /// downloaded nor renamed (a copy reads the source); nothing grants DeleteObject.
    @Test func writeAndListOnlyExampleWritesListsAndMakesFoldersButNeverReadsFiles() throws {
        let report = try Self.report(home: "/DOC-EXAMPLE-BUCKET/dropbox/jess", rolePolicy: Self.writeAndListOnly)
        #expect(Self.decisions(report) == [.list: .allowed, .upload: .allowed, .mkdir: .allowed, .download: .denied, .delete: .denied, .rename: .denied])
        let download = try #require(report.places[0].operations.first { $0.operation == .download })
        #expect(download.requests.first?.reasons.first?.statement == "\"DenyIfNotFolder\"")
        let delete = try #require(report.places[0].operations.first { $0.operation == .delete })
        #expect(delete.requests.first?.reasons.isEmpty == false, "an implicit deny names what did not match")

        let evaluator = PolicyEvaluator(rolePolicies: [try Fixture.role(Self.writeAndListOnly)], sessionPolicy: nil,
                                        variables: PolicyVariables(userName: "jess", home: "/DOC-EXAMPLE-BUCKET/dropbox/jess"))
        // The HeadObject of a folder marker (a GetObject permission) works: "list and traverse folders".
        #expect(evaluator.evaluate(Fixture.get("dropbox/jess/invoices/", bucket: "DOC-EXAMPLE-BUCKET")).decision == .allowed)
        #expect(evaluator.evaluate(Fixture.get("dropbox/jess/invoices/march.pdf", bucket: "DOC-EXAMPLE-BUCKET")).decision == .denied)
        // The typos as printed: the Deny's `se:` action matches nothing, so the versions of a file stay readable.
        let version = S3Request(step: "read a version", action: "s3:GetObjectVersion", resource: "arn:aws:s3:::DOC-EXAMPLE-BUCKET/dropbox/jess/march.pdf",
                                context: RequestContext(absent: ["s3:prefix", "s3:delimiter"]))
        #expect(evaluator.evaluate(version).decision == .allowed)
    }

    /// Folders cannot be made anywhere; and with the second resource line, nothing can be uploaded below the bucket's
    /// top level either: a home in a folder can read, list and delete but not upload or rename (the copy writes).
    @Test func denyMkdirExampleAlsoBlocksUploadsIntoFolders() throws {
        let inFolder = try Self.denyMkdirReport(home: "/DOC-EXAMPLE-BUCKET/home/jess")
        #expect(Self.decisions(inFolder) == [.list: .allowed, .download: .allowed, .delete: .allowed, .upload: .denied, .mkdir: .denied, .rename: .denied])
        for operation in [SFTPOperation.upload, .mkdir] {
            let decision = try #require(inFolder.places[0].operations.first { $0.operation == operation })
            #expect(decision.requests.contains { $0.reasons.first?.statement == "\"DenyMkdir\"" }, "\(operation)")
        }
        // At the top of the bucket a file has no "/" in its key: uploads and renames work, folders still do not.
        let atTop = try Self.denyMkdirReport(home: "/DOC-EXAMPLE-BUCKET")
        var expected = Self.everything
        expected[.mkdir] = .denied
        #expect(Self.decisions(atTop) == expected)
    }

    /// https://docs.aws.amazon.com/transfer/latest/userguide/logical-dir-example.html: marymajor sees `pics` and
    /// `doc` ("within pics and doc, she can add subdirectories"), mapped to two buckets. The guide does not print
    /// marymajor-role's policy: here it is the read/write policy for both buckets, and then for the first only,
    /// where `/doc`'s Target is in a bucket the role does not cover.
    @Test func logicalDirectoriesInTwoBuckets() throws {
        let answer = try TransferAnswer(json: #"{"Role": "arn:aws:iam::123456789012:role/marymajor-role", "HomeDirectoryType": "LOGICAL", "HomeDirectoryDetails": "[{\"Entry\":\"/pics\", \"Target\":\"/amzn-s3-demo-bucket1/pics\"}, {\"Entry\":\"/doc\", \"Target\":\"/amzn-s3-demo-bucket2/test/mydocs\"}]"}"#)
        func bucketPolicy(_ bucket: String) -> String { Self.readWriteRole.replacingOccurrences(of: "amzn-s3-demo-bucket", with: bucket) }
        let both = AccessExplainer(answer: answer, userName: "marymajor",
                                   rolePolicies: [try Fixture.role(bucketPolicy("amzn-s3-demo-bucket1")), try Fixture.role(bucketPolicy("amzn-s3-demo-bucket2"))]).report()
        #expect(both.places.map(\.entry) == ["/pics", "/doc"])
        #expect(both.places.allSatisfy { $0.operations.allSatisfy { $0.decision == .allowed } })
        #expect(both.findings.isEmpty)
        let one = AccessExplainer(answer: answer, userName: "marymajor", rolePolicies: [try Fixture.role(bucketPolicy("amzn-s3-demo-bucket1"))]).report()
        #expect(one.places[0].operations.allSatisfy { $0.decision == .allowed })
        #expect(one.places[1].operations.allSatisfy { $0.decision == .denied })
        #expect(one.findings.map(\.message) == ["Target /amzn-s3-demo-bucket2/test/mydocs (Entry /doc) is outside every Resource that the role's policies allow"])
    }
}
