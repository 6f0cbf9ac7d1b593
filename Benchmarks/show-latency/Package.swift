// swift-tools-version:6.1
import PackageDescription

/// The latency of `unify show` as the library serves it, in a package of its own so that the
/// main package's build and CI do not grow: `Benchmarks/show-latency.sh` builds and runs it.
let package = Package(
    name: "show-latency",
    dependencies: [
        .package(name: "unify", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "show-latency",
            dependencies: [.product(name: "Unify", package: "unify")],
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
    ]
)
