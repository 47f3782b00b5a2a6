/// The input of one fuzz run as text: invalid UTF-8 is repaired, as Foundation does for data read from a store.
public func fuzzText(_ start: UnsafeRawPointer, _ count: Int) -> String {
    String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
}

/// Stops the fuzzer with a finding when `condition` is false: libFuzzer records the input that caused it.
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        fatalError("property violated: \(message())")
    }
}
