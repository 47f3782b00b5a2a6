import Foundation

/// A tiny HTTP server (python3, on a free loopback port) that answers GET, PUT and POST requests from a script of
/// canned answers, then repeats the last one; it records each request's method, path, X-Amz-Target, X-Amz-Date,
/// ClientRequestToken, Authorization and body. An answer with its own `Date` header is sent with that date only.
public final class ScriptedHTTPServer: Sendable {
    public struct Answer: Encodable, Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: String
        /// Seconds to wait before answering (to provoke client timeouts).
        public var delay: Double

        public init(status: Int, headers: [String: String] = [:], body: String, delay: Double = 0) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
        }
    }

    static let script = """
        import sys, json, time, http.server
        answers = json.loads(sys.argv[2])
        log = open(sys.argv[3], "a")
        state = {"n": 0}
        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    token = json.loads(body).get("ClientRequestToken")
                except (ValueError, AttributeError):
                    token = None
                answer = answers[min(state["n"], len(answers) - 1)]
                state["n"] += 1
                log.write(json.dumps({"method": self.command, "path": self.path,
                                      "target": self.headers.get("X-Amz-Target"),
                                      "amzDate": self.headers.get("X-Amz-Date"),
                                      "token": token,
                                      "authorization": self.headers.get("Authorization"),
                                      "body": body.decode("utf-8", "replace")}) + "\\n")
                log.flush()
                time.sleep(answer["delay"])
                body = answer["body"].encode()
                try:
                    if "Date" in answer["headers"]:
                        self.send_response_only(answer["status"])
                    else:
                        self.send_response(answer["status"])
                    for name, value in answer["headers"].items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except BrokenPipeError:
                    pass
            do_GET = do_PUT = do_POST = answer
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
        """

    public let port: Int
    private let process: BackgroundProcess
    private let logURL: URL

    public init(answers: [Answer]) async throws {
        port = try freeLoopbackPort()
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("scripted-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        guard let python = ExternalProcess.which("python3") else {
            throw ExternalProcess.Failure(description: "python3 is not installed; the scripted HTTP tests need it")
        }
        process = try BackgroundProcess(python, ["-c", Self.script, String(port), String(decoding: try JSONEncoder().encode(answers), as: UTF8.self), logURL.path])
        let port = self.port
        guard await waitUntil({ isListening(port: port) }) else {
            stop()
            throw ExternalProcess.Failure(description: "the scripted HTTP server did not start")
        }
    }

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// One logged request.
    public struct Received: Decodable, Sendable {
        public var method: String
        public var path: String
        public var target: String?
        public var amzDate: String?
        public var token: String?
        public var authorization: String?
        /// The request body as text (a query-protocol form, a JSON document).
        public var body: String?
    }

    /// Every request received so far, in order.
    public var received: [Received] {
        let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Received.self, from: Data($0.utf8)) }
    }

    public func stop() {
        process.stop()
        try? FileManager.default.removeItem(at: logURL)
    }
}
