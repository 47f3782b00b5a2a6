import Synchronization

/// Lines handed to a callback (warnings, log lines), collected for a test to inspect.
public final class CollectedLines: Sendable {
    private let collected = Mutex<[String]>([])

    public init() {}

    public var lines: [String] { collected.withLock { $0 } }

    /// The callback to hand out.
    public var record: @Sendable (String) -> Void {
        { line in self.collected.withLock { $0.append(line) } }
    }
}
