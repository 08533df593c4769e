// swift-tools-version: 6.1
import PackageDescription

// Fluxion: a differentiable scientific-computing engine.
//
// Layers (arrows point down only):
//   fluxion (CLI), examples  ->  FluxionInput  ->  FluxionPINN, FluxionMD  ->  FluxionNN  ->  Fluxion (engine)  ->  FluxionKernels (storage, loops)
//     ->  CBLAS / CFFTW / CZlib (system libraries), CVectorMath (libmvec, small products)
// Each module above the engine sees only the engine's public API; the kernels' API is `package`.
let package = Package(
    name: "Fluxion",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Fluxion", targets: ["Fluxion"]),
        .library(name: "FluxionNN", targets: ["FluxionNN"]),
        .library(name: "FluxionPINN", targets: ["FluxionPINN"]),
        .library(name: "FluxionMD", targets: ["FluxionMD"]),
        .executable(name: "fluxion", targets: ["fluxion"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        // System libraries. Only Sources/Fluxion/Kernels imports these.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CFFTW", path: "Sources/CFFTW"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // glibc's vector math (libmvec) and the register-tiled kernel for small products, behind a runtime CPU check.
        .target(name: "CVectorMath", path: "Sources/CVectorMath",
                linkerSettings: [.linkedLibrary("mvec"), .linkedLibrary("m")]),
        // Storage, dtypes and the loops over raw buffers; the only target that imports the C libraries.
        .target(
            name: "FluxionKernels",
            dependencies: [
                "CBLAS", "CFFTW", "CZlib", "CVectorMath",
                .product(name: "Numerics", package: "swift-numerics"),
            ]
        ),
        // The engine: Tensor, primitives and their rules, transforms, jit. Everything above it
        // (FluxionNN, FluxionPINN, FluxionMD, the CLI) sees only its public API.
        .target(
            name: "Fluxion",
            dependencies: [
                "FluxionKernels",
                .product(name: "Numerics", package: "swift-numerics"),
            ],
            // No unsafe flags: release builds keep their checks, and the package can be depended on by version.
        ),
        // Neural networks: layers, initializers, optimizers, training. Uses the engine's public API only.
        .target(name: "FluxionNN", dependencies: ["Fluxion"]),
        // Physics-informed neural networks: geometry, sampling, problems, training, reference solvers.
        .target(name: "FluxionPINN", dependencies: ["Fluxion", "FluxionNN", .product(name: "Numerics", package: "swift-numerics")]),
        // Molecular dynamics: spaces, potentials, neighbor lists, integrators, observables, files.
        .target(name: "FluxionMD", dependencies: ["Fluxion", "FluxionNN"]),
        // The `fluxion` program's input files: TOML read (by our own reader) and validated into typed
        // configurations; a library of its own so that the fuzz harnesses can link it.
        .target(name: "FluxionInput", dependencies: ["FluxionPINN", "FluxionMD"]),
        .executableTarget(
            name: "fluxion",
            dependencies: ["Fluxion", "FluxionNN", "FluxionPINN", "FluxionMD", "FluxionInput",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "spectral-poisson", dependencies: ["Fluxion"], path: "examples/SpectralPoisson"),
        .executableTarget(name: "taylor-ode", dependencies: ["Fluxion"], path: "examples/TaylorODE"),
        .executableTarget(name: "hessian-spectrum", dependencies: ["Fluxion"], path: "examples/HessianSpectrum"),
        .executableTarget(name: "burgers-pinn", dependencies: ["FluxionPINN"], path: "examples/BurgersPINN"),
        .executableTarget(name: "laplacian-1000", dependencies: ["Fluxion"], path: "examples/HighDimensionalLaplacian"),
        .executableTarget(name: "lj-melt", dependencies: ["FluxionMD"], path: "examples/LennardJonesMelt"),
        .executableTarget(name: "learned-potential", dependencies: ["FluxionMD", "FluxionNN"], path: "examples/LearnedPotential"),
        // Tolerance checks, deterministic inputs and the derivative table, for the tests of every module;
        // built on Fluxion's public API only.
        .target(name: "FluxionTestSupport", dependencies: ["Fluxion"], path: "Tests/FluxionTestSupport"),
        .testTarget(
            name: "FluxionTests",
            // FluxionNN, FluxionPINN and FluxionMD for the README's snippets, which the suite compiles and runs.
            dependencies: ["Fluxion", "FluxionNN", "FluxionPINN", "FluxionMD", "FluxionTestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Reference")]
        ),
        .testTarget(name: "FluxionCLITests", dependencies: ["fluxion", "FluxionInput", "FluxionPINN", "FluxionMD"]),
        .testTarget(name: "FluxionMDTests", dependencies: ["FluxionMD", "FluxionTestSupport"], resources: [.copy("Reference")]),
        .testTarget(name: "FluxionPINNTests", dependencies: ["FluxionPINN", "FluxionTestSupport"], resources: [.copy("Reference")]),
        .testTarget(
            name: "FluxionNNTests",
            dependencies: ["FluxionNN", "FluxionTestSupport"],
            resources: [.copy("Reference")]
        ),
        .executableTarget(
            name: "FluxionBenchmarks",
            dependencies: [
                "Fluxion", "FluxionNN", "FluxionMD", "CBLAS", "CFFTW",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/FluxionBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
