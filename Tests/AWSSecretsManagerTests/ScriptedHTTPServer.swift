import PeerTesting
import Foundation

/// A tiny HTTP server (python3, on a free loopback port) that answers POSTs from a script of canned answers,
/// then repeats the last one; it records each request's X-Amz-Target, ClientRequestToken and Authorization.
final class ScriptedHTTPServer: @unchecked Sendable {
    struct Answer: Encodable {
        var status: Int
        var headers: [String: String] = [:]
        var body: String
        /// Seconds to wait before answering (to provoke client timeouts).
        var delay: Double = 0
    }

    static let script = """
        import sys, json, time, http.server
        answers = json.loads(sys.argv[2])
        log = open(sys.argv[3], "a")
        state = {"n": 0}
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    token = json.loads(body).get("ClientRequestToken")
                except ValueError:
                    token = None
                answer = answers[min(state["n"], len(answers) - 1)]
                state["n"] += 1
                log.write(json.dumps({"target": self.headers.get("X-Amz-Target"),
                                      "token": token,
                                      "authorization": self.headers.get("Authorization")}) + "\\n")
                log.flush()
                time.sleep(answer["delay"])
                body = answer["body"].encode()
                try:
                    self.send_response(answer["status"])
                    for name, value in answer["headers"].items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except BrokenPipeError:
                    pass
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
        """

    let port: Int
    private let process: Process
    private let logURL: URL

    init(answers: [Answer]) async throws {
        port = try freeLoopbackPort()
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("scripted-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        guard let python = ExternalProcess.which("python3") else {
            throw ExternalProcess.Failure(description: "python3 is not installed; the retry tests need it")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", Self.script, String(port), String(decoding: try JSONEncoder().encode(answers), as: UTF8.self), logURL.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        let port = self.port
        guard await waitUntil({ isListening(port: port) }) else {
            stop()
            throw ExternalProcess.Failure(description: "the scripted HTTP server did not start")
        }
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// One logged request.
    struct Received: Decodable {
        var target: String?
        var token: String?
        var authorization: String?
    }

    /// Every request received so far, in order.
    var received: [Received] {
        let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Received.self, from: Data($0.utf8)) }
    }

    func stop() {
        stopServer(process)
        try? FileManager.default.removeItem(at: logURL)
    }
}
