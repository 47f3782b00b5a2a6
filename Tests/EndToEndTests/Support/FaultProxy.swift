import Foundation
import PeerTesting

/// An HTTP proxy on a free loopback port in front of a moto server that injects faults at random: throttling,
/// 500, 503, connection resets before and after the request reached moto, slow answers and truncated answers.
///
/// Its random generator is seeded (``seed``, printed by the tests), so a failing sequence can be replayed with
/// `SFTPIDP_FAULT_SEED`. The fault rate and kinds are read from a file before each request (``setFaults(rate:kinds:)``).
/// The proxy forwards the `Host` header unchanged, so the client's SigV4 signatures still verify at moto.
final class FaultProxy: Sendable {
    /// The faults the proxy can inject.
    enum Fault: String, CaseIterable {
        case throttle, internalError = "500", unavailable = "503", resetBeforeForwarding = "reset-before"
        case resetAfterForwarding = "reset-after", slow, truncated

        /// Faults that make a call fail (``slow`` only delays it).
        static let failures: [Fault] = allCases.filter { $0 != .slow }
    }

    let port: Int
    let seed: UInt64
    private let process: BackgroundProcess
    private let configPath: String
    private let logPath: String

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Starts the proxy in front of `upstreamPort` with no faults enabled.
    init(upstreamPort: Int, directory: String, seed: UInt64) throws {
        self.seed = seed
        configPath = directory + "/fault-proxy.json"
        logPath = directory + "/fault-proxy.log"
        let portPath = directory + "/fault-proxy.port"
        let errorPath = directory + "/fault-proxy.err"
        try Data(#"{"rate": 0, "kinds": []}"#.utf8).write(to: URL(fileURLWithPath: configPath))
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process = try BackgroundProcess(try Sandbox.which("python3"), ["-c", Self.script, String(upstreamPort), String(seed), configPath, portPath, logPath],
                                        streams: .files(error: errorPath))
        var port: Int?
        for _ in 0..<100 where port == nil && process.isRunning {
            port = (try? String(contentsOfFile: portPath, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if port == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        guard let port else {
            process.stop()
            throw SandboxError("the fault proxy did not start: \((try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")")
        }
        self.port = port
    }

    func stop() { process.stop() }

    /// From the next request on, injects one of `kinds` (picked at random) into a share `rate` of the requests.
    func setFaults(rate: Double, kinds: [Fault] = Fault.allCases) throws {
        let config: [String: Any] = ["rate": rate, "kinds": kinds.map(\.rawValue)]
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath), options: .atomic)
    }

    /// How many requests got each fault so far (`none` for those passed through untouched).
    func injected() -> [String: Int] {
        let lines = ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n")
        return lines.reduce(into: [:]) { counts, line in counts[String(line.split(separator: " ").first ?? ""), default: 0] += 1 }
    }

    /// How many requests each operation got so far (`ListSecrets`, `BatchGetSecretValue`, ...), faulted or not.
    func requests() -> [String: Int] {
        let lines = ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n")
        return lines.reduce(into: [:]) { counts, line in
            let target = line.split(separator: " ").dropFirst().first ?? ""
            counts[String(target.split(separator: ".").last ?? target), default: 0] += 1
        }
    }

    /// The seed for a test run: `SFTPIDP_FAULT_SEED` to replay one, else a fresh one.
    static func seedForThisRun() -> UInt64 {
        ProcessInfo.processInfo.environment["SFTPIDP_FAULT_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...999_999_999)
    }

    /// The proxy itself: Python's threaded HTTP server, forwarding with http.client.
    static let script = #"""
        import http.client, http.server, json, os, random, socket, struct, sys, threading, time
        upstream, seed, config_path, port_path, log_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
        rng, lock = random.Random(seed), threading.Lock()
        HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection", "content-length"}

        def choose():
            try:
                with open(config_path) as f:
                    config = json.load(f)
            except (OSError, ValueError):
                config = {"rate": 0, "kinds": []}
            with lock:
                fault = rng.choice(config["kinds"]) if config["kinds"] and rng.random() < config["rate"] else None
                return fault, rng.uniform(0.2, 1.5)

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                self.relay()

            def do_POST(self):
                self.relay()

            def relay(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fault, delay = choose()
                with lock, open(log_path, "a") as log:
                    log.write("%s %s\n" % (fault or "none", self.headers.get("X-Amz-Target", self.path)))
                if fault == "reset-before":
                    return self.reset()
                if fault == "throttle":
                    return self.answer(400, b'{"__type":"ThrottlingException","message":"Rate exceeded"}', "application/x-amz-json-1.1")
                if fault == "500":
                    return self.answer(500, b'{"__type":"InternalServiceError","message":"injected fault"}', "application/x-amz-json-1.1")
                if fault == "503":
                    return self.answer(503, b"Service Unavailable", "text/plain")
                if fault == "slow":
                    time.sleep(delay)
                connection = http.client.HTTPConnection("127.0.0.1", upstream, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                connection.close()
                if fault == "reset-after":
                    return self.reset()
                self.send_response(response.status)
                for k, v in response.getheaders():
                    if k.lower() not in HOP:
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if fault == "truncated":
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    return self.reset()
                self.wfile.write(data)

            def answer(self, status, data, content_type):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def reset(self):
                # SO_LINGER 0: close() sends a TCP reset instead of a clean end of stream.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()

            def finish(self):
                try:
                    super().finish()
                except (OSError, ValueError):
                    pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass

        server = Server(("127.0.0.1", 0), Handler)
        with open(port_path + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(port_path + ".tmp", port_path)
        server.serve_forever()
        """#
}
