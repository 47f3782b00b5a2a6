import Testing
@testable import IdentityModel

@Suite struct ValidationTests {
    @Test func userNames() {
        for good in ["jess", "a_b", "_x1", "user@example.com", "A.b-c", String(repeating: "a", count: 100)] {
            #expect(Validation.userName(good) == nil, "\(good)")
        }
        for bad in ["ab", "-jess", ".jess", "@jess", "je ss", "jéss", String(repeating: "a", count: 101), "root"] {
            #expect(Validation.userName(bad)?.field == "username", "\(bad)")
        }
        #expect(Validation.userName("root", transferProtocol: .ftp) == nil)
        #expect(Validation.userName("root")?.rule == "root is refused for SFTP")
    }

    @Test func serverIDs() {
        #expect(Validation.serverID("s-0123456789abcdef0") == nil)
        for bad in ["s-0123456789ABCDEF0", "s-0123456789abcdef", "x-0123456789abcdef0", "s-0123456789abcdefg", ""] {
            #expect(Validation.serverID(bad) != nil, "\(bad)")
        }
    }

    @Test func roleARNs() {
        for good in ["arn:aws:iam::012345678901:role/AWSTransferAccessRole", "arn:aws-cn:iam::012345678901:role/path/to/Role+=,.@_-",
                     "arn:aws-us-gov:iam::012345678901:role/r"] {
            #expect(Validation.roleARN(good) == nil, "\(good)")
        }
        for bad in ["arn:aws:iam::01234567890:role/R", "arn:aws:s3:::bucket/role/xxxxxxxx", "arn:aws:iam::012345678901:user/R",
                    "arn:aws:iam::012345678901:role/", "arn:aws:iam:us-east-1:012345678901:role/R", "short",
                    "arn:aws:iam::012345678901:role/" + String(repeating: "r", count: 65),
                    "arn:aws:iam::012345678901:role/" + String(repeating: "p/", count: 1100) + "r"] {
            #expect(Validation.roleARN(bad)?.field == "Role", "\(bad.prefix(60))")
        }
        // Only ASCII passes: letters that look right, digits of other scripts, an upper-case partition.
        for lookalike in ["arn:aws:iam::012345678901:role/Rolé", "arn:aws:iam::٠١٢٣٤٥٦٧٨٩٠١:role/R", "arn:aw٣:iam::012345678901:role/R",
                          "arn:AWS:iam::012345678901:role/R", "arn:aws:iam::012345678901:role/Ｒ", "arn:aws:iam::012345678901:role/R\u{0}"] {
            #expect(Validation.roleARN(lookalike) != nil, "\(lookalike)")
        }
        // The length rule counts characters, not bytes: 1,000 two-byte letters break the name rule, not the length.
        let accented = "arn:aws:iam::012345678901:role/" + String(repeating: "é", count: 1_000)
        #expect(Validation.roleARN(accented)?.rule.hasPrefix("the role name must be") == true)
    }

    @Test func policiesAndPaths() {
        #expect(Validation.policy(#"{"Version":"2012-10-17","Statement":[]}"#) == nil)
        #expect(Validation.policy("{not json")?.rule == "must be a JSON object (a policy document): it is not valid JSON")
        #expect(Validation.policy("[1]") != nil)
        #expect(Validation.policy("{\"a\":\"" + String(repeating: "x", count: 2050) + "\"}")?.rule == "must be at most 2048 characters")
        #expect(Validation.homeDirectory("") == nil)
        #expect(Validation.homeDirectory("/bucket/home/jess") == nil)
        #expect(Validation.homeDirectory("bucket")?.rule == "must start with /")
        #expect(Validation.homeDirectory("/" + String(repeating: "a", count: 1024)) != nil)
        #expect(Validation.homeMappings([]) != nil)
        #expect(Validation.homeMappings([HomeMapping(entry: "/", target: "/bucket/jess")]) == nil)
        #expect(Validation.homeMappings([HomeMapping(entry: "/", target: "bucket")])?.field == "HomeDirectoryDetails[1].Target")
        #expect(Validation.homeMappings(Array(repeating: HomeMapping(entry: "/a", target: "/b"), count: 50_001)) != nil)
    }

    @Test func limits() {
        #expect(Validation.posixProfile(PosixProfile(uid: 1, gid: 1, secondaryGids: Array(repeating: 2, count: 16))) == nil)
        #expect(Validation.posixProfile(PosixProfile(uid: 1, gid: 1, secondaryGids: Array(repeating: 2, count: 17))) != nil)
        #expect(Validation.publicKeyCount(50) == nil)
        #expect(Validation.publicKeyCount(51) != nil)
        #expect(Validation.password("") != nil)
        #expect(Validation.password(String(repeating: "p", count: 1024)) == nil)
        let long = String(repeating: "p", count: 1025)
        let error = Validation.password(long)
        #expect(error != nil)
        #expect(error?.description.contains("ppp") == false)
        #expect(Validation.secretValue(String(repeating: "x", count: 65_536)) == nil)
        #expect(Validation.secretValue(String(repeating: "é", count: 32_769)) != nil, "bytes, not characters, are counted")
        #expect(Validation.secretName("SFTP/jess") == nil)
        #expect(Validation.secretName("aws/transfer/s-0123456789abcdef0/a+b=c.d@e-f_g") == nil)
        #expect(Validation.secretName("") != nil)
        #expect(Validation.secretName("SFTP/je ss") != nil)
        #expect(Validation.secretName(String(repeating: "a", count: 513)) != nil)
    }

    @Test func fieldErrorDescribesFieldAndRule() {
        #expect(FieldError(field: "Role", rule: "is required").description == "Role: is required")
    }
}
