extension SignableRequest {
    /// A call of the AWS query protocol (STS, IAM): `Action`, `Version` and the parameters form-encoded in a POST body.
    /// The scheme, host and path are the sender's endpoint's.
    public static func query(action: String, version: String, parameters: [(String, String)]) -> SignableRequest {
        let form = ([("Action", action), ("Version", version)] + parameters)
            .map { "\(SigV4Signer.percentEncode($0.0))=\(SigV4Signer.percentEncode($0.1))" }
            .joined(separator: "&")
        return SignableRequest(method: "POST", scheme: "https", host: "", path: "/",
                               headers: [.init("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                               body: Array(form.utf8))
    }
}
