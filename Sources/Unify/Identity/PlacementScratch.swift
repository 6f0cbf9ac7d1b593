/// The lists ``IdentityGraph/add(_:keys:seq:storage:)`` fills for each event.
struct PlacementScratch {
    var slots: [Int32] = []
    var created: [Int32] = []
    var linking: [Int32] = []
    var touched: [CustomerID] = []

    mutating func clear() {
        slots.removeAll(keepingCapacity: true)
        created.removeAll(keepingCapacity: true)
        linking.removeAll(keepingCapacity: true)
        touched.removeAll(keepingCapacity: true)
    }
}
