import Testing
@testable import AccessAnalysis

@Suite struct WildcardPatternTests {
    @Test(arguments: [
        ("*", "", true), ("*", "anything/at:all", true),
        ("a*c", "abc", true), ("a*c", "ac", true), ("a*c", "abd", false),
        ("a?c", "abc", true), ("a?c", "ac", false), ("a?c", "abbc", false),
        ("home/*/x", "home/jess/sub/x", true), ("home/*/x", "home/jess/y", false),
        ("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        ("arn:aws:s3:::bucket", "arn:aws:s3:::bucket/", false),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/", true),
        ("Home/*", "home/x", false),
    ])
    func globMatching(pattern: String, value: String, matches: Bool) {
        #expect(WildcardPattern(pattern).matches(value) == matches)
    }

    @Test func actionsIgnoreCaseResourcesDoNot() {
        #expect(WildcardPattern("s3:getobject").matches("s3:GetObject", ignoringCase: true))
        #expect(WildcardPattern("S3:Get*").matches("s3:GetObjectVersion", ignoringCase: true))
        #expect(!WildcardPattern("arn:aws:s3:::Bucket/*").matches("arn:aws:s3:::bucket/x"))
    }

    @Test func substitutedValuesMatchLiterally() {
        let text = PolicyText(segments: [.written("arn:aws:s3:::b/"), .substituted("a*b"), .written("/*")])
        #expect(WildcardPattern(text).matches("arn:aws:s3:::b/a*b/file"))
        #expect(!WildcardPattern(text).matches("arn:aws:s3:::b/aXXb/file"))
        #expect(text.text == "arn:aws:s3:::b/a*b/*")
    }
}
