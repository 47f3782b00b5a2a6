import FuzzSupport
import TerminalUI

/// A theme file, as a user writes it into ~/.config/sftpidp/themes/. Properties: parsing never traps (TOMLKit's C++
/// parser included); a theme that loads gives a style for every role the console draws.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzThemeTOML(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard let theme = try? Theme.parse(fuzzText(start, count), origin: "fuzz.toml") else { return 0 }
    for role in StyleRole.allCases {
        _ = theme.style(for: role)
    }
    return 0
}
