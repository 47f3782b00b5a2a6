/// How far long store work has got, for a progress display: first the listing (its total not known yet), then
/// the items handled one by one out of the listed total.
public enum StoreProgress: Sendable, Hashable {
    /// Secrets listed so far.
    case listing(listed: Int)
    /// Items handled so far, out of `total`.
    case handling(done: Int, total: Int)
}

/// Told what ``StoreProgress`` long store work has made; called on the working task, so it must be quick.
public typealias StoreProgressHandler = @Sendable (StoreProgress) -> Void
