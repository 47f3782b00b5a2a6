import Foundation
import Testing

/// `scripts/package-lambda.sh --check FILE`, the gate every package passes, on binaries built to break each rule.
@Suite struct LambdaPackageCheckTests {
    static let script = LambdaPackageTests.packageRoot.appendingPathComponent("scripts/package-lambda.sh").path
    static let program = """
        #include <math.h>
        #include <stdio.h>
        #include <stdlib.h>
        int main(int argc, char **argv) { printf("%f\\n", hypot(atof(argv[0]), 2.0)); return 0; }
        """

    let sandbox: Sandbox

    init() throws {
        sandbox = try Sandbox()
        try sandbox.write(Self.program, to: "hypot.c")
        try sandbox.write("#include <string>\n#include <cstdio>\nint main(int argc, char **argv) { std::string s(argv[0]); std::puts(s.c_str()); }\n", to: "text.cpp")
    }

    func check(_ binary: String) throws -> CommandResult {
        try sandbox.runTool("bash", [Self.script, "--check", binary])
    }

    func compile(_ compiler: String, _ arguments: [String]) throws {
        let result = try sandbox.runTool(compiler, arguments)
        guard result.status == 0 else { throw SandboxError("\(compiler) failed: \(result)") }
    }

    @Test func aGlibcSymbolNewerThan2_34IsRefusedNamingIt() throws {
        try compile("clang", ["-O1", "-o", sandbox.path("hypot"), sandbox.path("hypot.c"), "-lm"])
        let result = try check(sandbox.path("hypot"))
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("needs GLIBC_2.35 (hypot"), "\(result)")
    }

    @Test func libstdcxxAndSwiftRuntimeLibrariesAreRefused() throws {
        try compile("clang++", ["-O1", "-o", sandbox.path("text"), sandbox.path("text.cpp")])
        let cxx = try check(sandbox.path("text"))
        #expect(cxx.status == 1 && cxx.stderr.contains("needs libstdc++.so.6, which provided.al2023 does not have"), "\(cxx)")
        // The debug build links the Swift runtime dynamically: not something the runtime has.
        let debug = try check(LambdaProcess.binary.path)
        #expect(debug.status == 1 && debug.stderr.contains("needs libswift"), "\(debug)")
    }

    @Test func aStaticBinaryPasses() throws {
        try compile("clang", ["-static", "-O1", "-o", sandbox.path("hypot-static"), sandbox.path("hypot.c"), "-lm"])
        let result = try check(sandbox.path("hypot-static"))
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("fit for provided.al2023 (static, no shared libraries)"))
    }
}
