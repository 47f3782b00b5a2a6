import Foundation
import SecretStore
import UserManagement

/// The list columns of one user (authentication, short role, home, flags) as text, computed once per load
/// from the shared ``UserOverview`` (the same facts `sftpidp users list` prints).
struct UserSummary: Sendable, Hashable {
    var authentication: String
    var role: String
    var home: String
    var flags: [UserOverview.Flag]
    /// Why the user is flagged invalid, when it is.
    var problem: String?
    /// The whole role and the `PATH` home, as stored: what the onboarding wizard suggests from.
    var roleARN: String?
    var homePath: String?

    static let pending = UserSummary(authentication: "…", role: "", home: "", flags: [], problem: nil)

    init(authentication: String, role: String, home: String, flags: [UserOverview.Flag], problem: String?) {
        self.authentication = authentication
        self.role = role
        self.home = home
        self.flags = flags
        self.problem = problem
    }

    init(_ overview: UserOverview) {
        let unreadable = overview.flags.contains(.invalidSecret) && overview.home == .unknown
        authentication = unreadable ? "?" : overview.authenticationSummary
        role = overview.roleShortName ?? (unreadable ? "" : "(no role)")
        home = unreadable ? (overview.problems.first ?? "") : overview.home.text
        flags = overview.flags
        problem = overview.problems.first
        roleARN = overview.role
        if case .path(let path?) = overview.home { homePath = path }
    }
}

extension UserOverview.Flag {
    /// The short badge the list shows.
    var badge: String {
        switch self {
        case .disabled: "disabled"
        case .expired: "expired"
        case .legacyPassword: "legacy pw"
        case .invalidSecret: "invalid"
        case .deleted: "deleted"
        }
    }

    var isError: Bool { self == .invalidSecret || self == .expired }
}
