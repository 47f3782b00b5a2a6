import IdentityModel
import SecretStore
import UserManagement

/// What the console works on: the store's name, how secrets are named, the server and the mode.
public struct ConsoleContext: Sendable, Hashable {
    public var storeName: String
    public var naming: NamingScheme
    /// The SFTP server id for naming schemes and test logins, when known.
    public var serverID: String?
    /// When true, every action that writes is hidden and refused.
    public var readOnly: Bool
    /// The names of the themes the theme key cycles through, the active one first.
    public var themeNames: [String]
    /// How the first theme was chosen, for the help screen (e.g. `light (auto: light background, ...)`).
    public var themeExplanation: String?
    /// The configured argon2 cost: new passwords are hashed with it, stored argon2 hashes above it are flagged.
    public var argon2: Argon2Parameters
    /// How many days a deleted user stays restorable (the `recovery-window-days` setting); the delete question says it.
    public var recoveryWindowDays: Int

    public init(
        storeName: String, naming: NamingScheme, serverID: String?, readOnly: Bool, themeNames: [String], themeExplanation: String? = nil,
        argon2: Argon2Parameters = .default, recoveryWindowDays: Int = UserDirectory.defaultRecoveryWindowDays
    ) {
        self.argon2 = argon2
        self.recoveryWindowDays = recoveryWindowDays
        self.storeName = storeName
        self.naming = naming
        self.serverID = serverID
        self.readOnly = readOnly
        self.themeNames = themeNames.isEmpty ? ["default"] : themeNames
        self.themeExplanation = themeExplanation
    }
}
