import Foundation

/// Where the engine gets the current time, injected so that replays and tests are
/// deterministic: the engine never reads the wall clock on its own.
///
/// The only use today is the time given to a line that carries no time field at all.
///
/// ```swift
/// let store = try Store(path: "unify.db", configuration: .init(clock: .fixed(Timestamp(iso8601: "2025-01-01T00:00:00Z")!)))
/// ```
public struct Clock: Sendable {
    public var now: @Sendable () -> Timestamp

    public init(now: @escaping @Sendable () -> Timestamp) {
        self.now = now
    }

    /// The system's wall clock.
    public static let system = Clock {
        Timestamp(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// A clock that always answers `time`.
    public static func fixed(_ time: Timestamp) -> Clock { Clock { time } }
}
