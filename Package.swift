// swift-tools-version:6.1
import PackageDescription

/// One settings block for every target, as swift-log does.
let settings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "unify",
    // Int128 amounts and ContinuousClock need these on Apple's systems; Linux has no floor.
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        .library(name: "Unify", targets: ["Unify"]),
        .executable(name: "unify", targets: ["UnifyCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // zlib, for inputs that arrive gzip-compressed (Segment's S3 exports, warehouse unloads).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .target(
            name: "Unify",
            dependencies: [
                "CZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "UnifyCLI",
            dependencies: [
                "Unify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "UnifyTests",
            dependencies: ["Unify", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "UnifyCLITests",
            dependencies: ["UnifyCLI", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings
        ),
    ]
)
