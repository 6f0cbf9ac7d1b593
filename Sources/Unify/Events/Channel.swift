/// The touchpoint where an event happened: web, app, store, call centre…
///
/// Read from `context.channel` or `channel`, lower-cased. Segment's own values map onto the
/// list (`browser` → web, `mobile` → app, `server` → other). A value outside the list is
/// kept as written and counted under ``isKnown`` `== false`; it never rejects a line.
public struct Channel: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    /// Takes a channel as written in an export, mapping Segment's names and lower-casing.
    public init(rawValue: String) {
        let lowered = rawValue.trimmedAndLowercased()
        switch lowered {
        case "browser", "website": self.rawValue = "web"
        case "mobile", "ios", "android": self.rawValue = "app"
        case "server": self.rawValue = "other"
        case "call center", "call-center", "callcenter", "call_centre", "call centre": self.rawValue = "call_center"
        case "mail", "post": self.rawValue = "postal"
        case "pos": self.rawValue = "store"
        default: self.rawValue = lowered
        }
    }

    public static let web = Channel(rawValue: "web")
    public static let app = Channel(rawValue: "app")
    public static let email = Channel(rawValue: "email")
    public static let sms = Channel(rawValue: "sms")
    public static let push = Channel(rawValue: "push")
    public static let store = Channel(rawValue: "store")
    public static let callCenter = Channel(rawValue: "call_center")
    public static let postal = Channel(rawValue: "postal")
    public static let social = Channel(rawValue: "social")
    public static let ads = Channel(rawValue: "ads")
    public static let chat = Channel(rawValue: "chat")
    public static let partner = Channel(rawValue: "partner")
    public static let offline = Channel(rawValue: "offline")
    public static let other = Channel(rawValue: "other")

    /// The channels of DESIGN.md's list, in its order.
    public static let known: [Channel] = [
        .web, .app, .email, .sms, .push, .store, .callCenter, .postal, .social, .ads, .chat, .partner, .offline, .other,
    ]

    /// Whether the channel is one of ``known``.
    public var isKnown: Bool { Channel.known.contains(self) }

    /// Offline touchpoints: store, call centre, postal mail, partner, and a literal `offline`.
    public var isOnline: Bool { Channel.isOnline(normalised: rawValue) }

    private static let offlineNames = [store, callCenter, postal, partner, offline].map(\.rawValue)

    /// ``isOnline`` of a channel name already in its normal form, as the log and profiles
    /// keep it: asked for every event, so without normalising it again.
    static func isOnline(normalised name: String) -> Bool {
        !offlineNames.contains(name)
    }

    public var description: String { rawValue }
}
