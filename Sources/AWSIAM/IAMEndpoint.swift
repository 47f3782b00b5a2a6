import AWSCore
import Foundation

/// Where IAM is called and which region signs the calls: IAM has one endpoint per partition, signed for the
/// partition's first region, unless an endpoint is configured (a test server, a VPC endpoint).
public struct IAMEndpoint: Sendable, Hashable {
    public var url: URL
    public var signingRegion: String

    public init(url: URL, signingRegion: String) {
        self.url = url
        self.signingRegion = signingRegion
    }

    /// The public endpoint of the partition `region` belongs to: `iam.amazonaws.com` (us-east-1),
    /// `iam.cn-north-1.amazonaws.com.cn` (cn-north-1) or `iam.us-gov.amazonaws.com` (us-gov-west-1).
    public static func global(forRegion region: String) -> IAMEndpoint {
        if region.hasPrefix("cn-") {
            return IAMEndpoint(url: URL(string: "https://iam.cn-north-1.amazonaws.com.cn")!, signingRegion: "cn-north-1")
        }
        if region.hasPrefix("us-gov-") {
            return IAMEndpoint(url: URL(string: "https://iam.us-gov.amazonaws.com")!, signingRegion: "us-gov-west-1")
        }
        return IAMEndpoint(url: URL(string: "https://iam.amazonaws.com")!, signingRegion: "us-east-1")
    }

    /// The endpoint as the AWS CLI picks it: `argument`, `AWS_ENDPOINT_URL_IAM`, `AWS_ENDPOINT_URL`, the profile's
    /// `services` section (`iam =` block) or `endpoint_url`; otherwise the partition's global endpoint. Calls are
    /// signed for the partition's signing region either way.
    public static func resolve(argument: String?, config: AWSSharedConfig, profile: String, region: String) throws(AWSConfigurationError) -> IAMEndpoint {
        var endpoint = global(forRegion: region)
        if let configured = try config.configuredEndpoint(service: .iam, argument: argument, profile: profile) {
            endpoint.url = configured
        }
        return endpoint
    }
}
