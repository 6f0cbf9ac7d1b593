import Foundation
import Testing
@testable import Unify

/// The views analysts query (docs/SCHEMA.md) say what the library says, customer by customer,
/// on the retail fixtures.
@Suite("Projection views")
struct ProjectionViewTests {
    let store: TemporaryStore

    init() throws {
        store = try TemporaryStore.forProjections()
        let folder = repositoryRoot.appendingPathComponent("Fixtures/retail")
        for file in ["web", "app", "email", "sms", "pos", "callcenter", "postal"] {
            _ = try store.store.ingest(fileAt: folder.appendingPathComponent("\(file).ndjson").path)
        }
    }

    func profiles() throws -> [String: Profile] {
        var result: [String: Profile] = [:]
        for id in try store.rows("SELECT customer_id FROM profiles").map({ $0[0] }) {
            result[id] = try store.profile(id)
        }
        return result
    }

    func iso(_ time: Timestamp?) -> String { time?.iso8601 ?? "NULL" }

    @Test func profilesGiveEachCustomerOnceWithTheLibrarysStageAndAggregates() throws {
        let profiles = try profiles()
        #expect(profiles.count == (try store.count("customers")))
        #expect(profiles.count > 300)
        var stages: Set<String> = []
        for row in try store.rows("SELECT customer_id, first_seen, last_seen, events, orders, stage, stage_since FROM profiles") {
            let profile = try #require(profiles[row[0]])
            #expect(row[1] == iso(profile.firstSeen) && row[2] == iso(profile.lastSeen), "\(row[0])")
            #expect(row[3] == String(profile.events) && row[4] == String(profile.orders.count), "\(row[0])")
            #expect(row[5] == (profile.stage ?? "NULL"), "\(row[0]): \(row[5]) in the view, \(profile.stage ?? "none") in the library")
            #expect(row[6] == iso(profile.stageSince), "\(row[0])")
            stages.insert(row[5])
        }
        #expect(stages.isSuperset(of: ["dormant", "customer", "loyal"]))
    }

    @Test func traitsConsentsAndJourneyAreOneRowEachWithTheEventThatSetThem() throws {
        let profiles = try profiles()
        var traits: [String: [String]] = [:]
        for row in try store.rows("SELECT customer_id, trait, event_id, time, coalesce(source, '') FROM traits") {
            traits[row[0], default: []].append(row[1...].joined(separator: " "))
        }
        var consents: [String: [String]] = [:]
        for row in try store.rows("SELECT customer_id, channel, status, event_id, time FROM consents") {
            consents[row[0], default: []].append(row[1...].joined(separator: " "))
        }
        var journeys: [String: [String]] = [:]
        for row in try store.rows("SELECT customer_id, stage, entered_at, coalesce(event_id, '') FROM journey ORDER BY customer_id, step") {
            journeys[row[0], default: []].append(row[1...].joined(separator: " "))
        }
        for (id, profile) in profiles {
            #expect(Set(traits[id] ?? []) == Set(profile.traits.map { "\($0.name) \($0.eventID) \($0.time.iso8601) \($0.source ?? "")" }))
            #expect(Set(consents[id] ?? []) == Set(profile.consents.map {
                "\($0.channel) \($0.granted ? "granted" : "withdrawn") \($0.eventID) \($0.time.iso8601)"
            }))
            #expect(journeys[id] ?? [] == profile.journey.map { "\($0.stage) \($0.enteredAt.iso8601) \($0.event?.eventID ?? "")" })
        }
        #expect(consents.count > 50)
    }

    @Test func theTimelineHoldsEveryEventOfACustomer() throws {
        let customer = try #require(try store.store.customerID(for: "ines.dupuy84@orange.fr"))
        let timeline = try store.rows("SELECT event_id FROM timeline WHERE customer_id = '\(customer)' ORDER BY time, seq")
        let profile = try store.profile(customer)
        #expect(timeline.count == profile.events)
        #expect(Set(timeline.map { $0[0] }) == Set(try store.store.timeline(of: customer).map(\.eventID)))
        #expect(try store.count("timeline") == (try store.count("events")))
    }
}
