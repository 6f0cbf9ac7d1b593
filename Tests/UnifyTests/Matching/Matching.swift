import Testing

/// The probabilistic matcher's tests, grouped so that `swift test --filter Matching` runs them all.
@Suite("Matching")
enum Matching {}
