/// The characters a generated password is drawn from.
public struct PasswordAlphabet: Sendable, Hashable {
    /// The distinct characters, each equally likely.
    public let characters: [Character]

    /// An alphabet of the distinct characters of `text`; throws when it has fewer than 10.
    public init(_ text: String) throws(FieldError) {
        var seen = Set<Character>()
        let distinct = text.filter { seen.insert($0).inserted }
        guard distinct.count >= 10 else {
            throw FieldError(field: "alphabet", rule: "must have at least 10 distinct characters")
        }
        characters = Array(distinct)
    }

    private init(unchecked text: String) {
        characters = Array(text)
    }

    private static let lowercase = "abcdefghijklmnopqrstuvwxyz"
    private static let uppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    private static let digits = "0123456789"
    private static let symbols = "!#%+-./:=?@^_~"
    private static let lookAlikes: Set<Character> = ["0", "O", "o", "1", "l", "I", "i", "5", "S", "2", "Z", "8", "B"]

    /// a-z, A-Z, 0-9.
    public static let lettersAndDigits = PasswordAlphabet(unchecked: lowercase + uppercase + digits)
    /// a-z, A-Z, 0-9 and symbols that need no quoting in JSON or most shells: `!#%+-./:=?@^_~`.
    public static let lettersDigitsAndSymbols = PasswordAlphabet(unchecked: lowercase + uppercase + digits + symbols)
    /// Letters and digits without characters that are easy to confuse when read aloud or copied by hand (0/O, 1/l/I, ...).
    public static let noLookAlikes = PasswordAlphabet(unchecked: (lowercase + uppercase + digits).filter { !lookAlikes.contains($0) })
    /// Letters, digits and symbols.
    public static let `default` = lettersDigitsAndSymbols
}

/// Generates random passwords from a CSPRNG (the system generator), each character uniform over the alphabet.
public enum PasswordGenerator {
    public static let lengthRange = 12...1024

    /// A new password of `length` characters. `Int.random(in:using:)` rejects out-of-range draws, so there is no modulo bias.
    public static func generate(length: Int = 24, alphabet: PasswordAlphabet = .default) throws(FieldError) -> String {
        guard lengthRange.contains(length) else {
            throw FieldError(field: "password length", rule: "must be 12 to 1024")
        }
        var generator = SystemRandomNumberGenerator()
        let count = alphabet.characters.count
        return String((0..<length).map { _ in alphabet.characters[Int.random(in: 0..<count, using: &generator)] })
    }
}
