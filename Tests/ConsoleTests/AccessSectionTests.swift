import AccessAnalysis
import Foundation
import TerminalUI
import Testing
@testable import Console

/// The access section: under an allowed test answer, in the wizard's test step, and in the user's details with `a`;
/// the role's policies from the console's source, read by the effect runner.
@Suite struct AccessSectionTests {
    /// Answers for one role, counting how often it was asked.
    final class Source: RolePolicySource, @unchecked Sendable {
        let answer: RolePolicyLookup
        private let lock = NSLock()
        private var asked: [String] = []

        init(_ answer: RolePolicyLookup) { self.answer = answer }

        func lookup(role: String) async -> RolePolicyLookup {
            lock.withLock { asked.append(role) }
            return role == Fixtures.role ? answer : .notGiven
        }

        var roles: [String] { lock.withLock { asked } }
    }

    /// Lists the bucket and reads and writes objects, but does not delete.
    static func readWrite() throws -> RolePolicyLookup {
        let text = #"{"Version": "2012-10-17", "Statement": [{"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket"}, {"Sid": "Objects", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket/*"}]}"#
        return .found([try NamedPolicy(name: "inline policy read-write", origin: .role, parsing: text)])
    }

    static let tall = TerminalSize(rows: 60, columns: 130)

    @Test("an allowed test answer is followed by what the user can do in their home, with the reason for each denial")
    func testPanelShowsTheSection() async throws {
        let source = Source(try Self.readWrite())
        let driver = ConsoleDriver(store: try await Fixtures.store(), size: Self.tall, rolePolicies: source)
        await driver.start()
        await driver.press(.character("t"))
        await driver.type("legacy-secret")
        await driver.press(.control("s"))
        let screen = driver.screen
        #expect(screen.contains("ALLOWED"))
        #expect(screen.contains("what alice can do where"), "\(screen)")
        #expect(screen.contains("inline policy read-write"))
        #expect(screen.contains("/bucket/home/alice"))
        #expect(screen.contains("download") && screen.contains("allowed"))
        #expect(screen.contains("delete              denied: inline policy read-write: no Allow statement in the role's policies names s3:DeleteObject"), "\(screen)")
        #expect(source.roles == [Fixtures.role])
        #expect(driver.effects.contains { if case .explainAccess = $0 { true } else { false } })
        #expect(driver.state.operations.isEmpty)
    }

    @Test("a denied answer has no access section and reads no policies")
    func deniedAnswersAreNotExplained() async throws {
        let source = Source(try Self.readWrite())
        let driver = ConsoleDriver(store: try await Fixtures.store(), size: Self.tall, rolePolicies: source)
        await driver.start()
        await driver.press(.character("t"))
        await driver.type("wrong")
        await driver.press(.control("s"))
        #expect(driver.screen.contains("DENIED"))
        #expect(!driver.screen.contains("can do where"))
        #expect(source.roles.isEmpty)
    }

    @Test("policies that cannot be read leave every answer unknown, with the reason")
    func unreadablePoliciesAreShownAsUnknown() async throws {
        let source = Source(.unreadable("\(Fixtures.role): IAM refused iam:ListRolePolicies (AccessDenied: not allowed)"))
        let driver = ConsoleDriver(store: try await Fixtures.store(), size: Self.tall, rolePolicies: source)
        await driver.start()
        await driver.press(.character("t"))
        await driver.type("legacy-secret")
        await driver.press(.control("s"))
        let screen = driver.screen
        #expect(screen.contains("role policies unknown: could not read the role's policies (\(Fixtures.role):"), "\(screen)")
        #expect(screen.contains("IAM refused iam:ListRolePolicies (AccessDenied: not allowed))"), "wrapped onto the next line: \(screen)")
        for operation in ["list", "download", "upload", "mkdir", "delete", "rename"] {
            #expect(screen.contains("  " + operation.padding(toLength: 20, withPad: " ", startingAt: 0) + "unknown  "), "\(operation): \(screen)")
        }
    }

    @Test("a in the list explains the selected user in the detail pane; it is gone when another user is selected")
    func detailPaneOnDemand() async throws {
        let driver = ConsoleDriver(store: try await Fixtures.store(), size: Self.tall, rolePolicies: Source(try Self.readWrite()))
        await driver.start()
        #expect(driver.screen.contains("n new user  a access"), "the key bar lists the key")
        #expect(!driver.screen.contains("can do where"))
        await driver.press(.character("a"))
        var screen = driver.screen
        #expect(screen.contains("what alice can do where"), "\(screen)")
        #expect(screen.contains("/bucket/home/alice"))
        #expect(driver.state.modals.isEmpty)
        await driver.press(.character("j"))
        screen = driver.screen
        #expect(driver.state.selectedUsername == "bob")
        #expect(!screen.contains("can do where"))
        // A user without a role: nothing to explain, and said so.
        await driver.press(.end)
        await driver.press(.character("a"))
        #expect(driver.state.selectedUsername == "dave")
        #expect(driver.screen.contains("not explained: the user has no Role"), "\(driver.screen)")
    }

    @Test("on a narrow terminal a opens the full-screen details with the section")
    func narrowTerminalOpensTheDetails() async throws {
        let driver = ConsoleDriver(store: try await Fixtures.store(), size: TerminalSize(rows: 40, columns: 80), rolePolicies: Source(try Self.readWrite()))
        await driver.start()
        await driver.press(.character("a"))
        #expect(driver.state.detailScroll == 0)
        let screen = driver.screen
        #expect(screen.contains("User alice"))
        #expect(screen.contains("what alice can do where"), "\(screen)")
    }

    @Test("the help screen lists the access key")
    func helpListsTheKey() async throws {
        let driver = ConsoleDriver(store: try await Fixtures.store(), size: Self.tall)
        await driver.start()
        await driver.press(.character("?"))
        #expect(driver.screen.contains("access: what the user can do in each directory"))
    }

    @Test("the wizard's test step shows the new user's access")
    func wizardShowsTheSection() async throws {
        let driver = ConsoleDriver(store: try await Fixtures.store(), size: Self.tall, rolePolicies: Source(try Self.readWrite()))
        await driver.start()
        await driver.press(.character("n"))
        await driver.type("erin")
        await driver.press(.enter)
        await driver.press(.control("s"))
        await driver.press(.control("s"))
        await driver.press(.control("s"))
        await driver.press(.control("s"))
        #expect(driver.screen.contains("Review"), "\(driver.screen)")
        await driver.press(.enter)
        let screen = driver.screen
        #expect(screen.contains("login allowed"), "\(screen)")
        #expect(screen.contains("Access       role policies: inline policy read-write"), "\(screen)")
        #expect(screen.contains("/bucket/home/erin: ✔ list  ✔ download  ✔ upload  ✔ mkdir  ✘ delete  ✘ rename"), "\(screen)")
        #expect(screen.contains("Shown only now"), "the summary to pass on comes first")
    }
}
