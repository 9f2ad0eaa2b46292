// swift-tools-version:6.1
//
// Dossier: a full-text search engine for collections of reports.
//
// The package reads as a table of contents. Data flows top to bottom:
//
//   CLibXML2, CStemmer   C libraries from Debian's -dev packages (system library targets)
//   CPrefetch            the processor's prefetch hint, which Swift cannot spell (one header)
//   DossierIngest        files -> Document (walking, type sniffing, encodings, HTML/text/JSONL)
//   DossierAnalysis      text -> tokens (Unicode words, folding, stopwords, stemming, CJK)
//   DossierIndex         tokens -> segments on disk (storage, codecs, commits)
//   DossierSearch        query -> ranked hits (query language, BM25/BM25F, top-k, evaluation)
//   Dossier              the public library: the one module most users import
//   dossier              the command-line tool
//   DossierBenchmarks    release-mode measurements against peer engines (never a test)
//
// Dependencies point one way: Ingest and Analysis know nothing of the index; the CLI calls only
// `Dossier` (and swift-argument-parser).
import PackageDescription

let package = Package(
  name: "Dossier",
  products: [
    .library(name: "Dossier", targets: ["Dossier"]),
    .executable(name: "dossier", targets: ["dossier"]),
    .executable(name: "dossier-bench", targets: ["DossierBenchmarks"]),
  ],
  dependencies: [
    // Command-line parsing for `dossier` and `dossier-bench`: typed options, generated help,
    // and usage errors we map to our own exit codes. Small, pure Swift, builds in seconds.
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    // MARK: C libraries

    /// libxml2's HTML parser (Debian libxml2-dev). The include path comes from pkg-config.
    .systemLibrary(
      name: "CLibXML2",
      pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]
    ),
    /// Snowball stemmers (Debian libstemmer-dev, which ships no .pc file).
    .systemLibrary(
      name: "CStemmer",
      providers: [.apt(["libstemmer-dev"])]
    ),
    /// Zstandard (Debian libzstd-dev) compresses the index's stored-fields blocks. Measured on
    /// SciFact (16 KB blocks): level 1 keeps 43 % of the text at ~200 MB/s and fetches a document
    /// in ~18 µs; LZ4 (the lz4 tool) keeps 56 %, so an LZ4-style coder written here would leave the
    /// stored text a third larger.
    .systemLibrary(
      name: "CZstd",
      providers: [.apt(["libzstd-dev"])]
    ),

    /// Our own one-line C header: the compiler's prefetch builtin, for the loops that visit
    /// memory in an order the processor cannot guess (terms in key order at a flush, the
    /// analyzer's term cache). Nothing to install.
    .target(name: "CPrefetch"),

    // MARK: The engine, one module per concept

    .target(
      name: "DossierIngest",
      dependencies: ["CLibXML2"]
    ),
    .target(
      name: "DossierAnalysis",
      dependencies: ["CStemmer", "CPrefetch"]
    ),
    .target(
      name: "DossierIndex",
      dependencies: ["DossierAnalysis", "CZstd", "CPrefetch"]
    ),
    .target(
      name: "DossierSearch",
      dependencies: ["DossierAnalysis", "DossierIndex"]
    ),
    .target(
      name: "Dossier",
      dependencies: ["DossierIngest", "DossierAnalysis", "DossierIndex", "DossierSearch"]
    ),

    // MARK: Programs

    .executableTarget(
      name: "dossier",
      dependencies: [
        "Dossier",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "DossierBenchmarks",
      dependencies: [
        "Dossier",
        "DossierIndex",
        "DossierSearch",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // MARK: Tests, one target per module plus end-to-end tests of the built `dossier`

    /// Helpers the test targets share (seeded generator, repository paths, temporary folders).
    .target(name: "DossierTestSupport", path: "Tests/DossierTestSupport"),
    .testTarget(name: "DossierIngestTests", dependencies: ["DossierIngest", "DossierTestSupport"]),
    .testTarget(name: "DossierAnalysisTests", dependencies: ["DossierAnalysis", "DossierTestSupport"]),
    .testTarget(
      name: "DossierIndexTests", dependencies: ["DossierIndex", "DossierTestSupport"],
      exclude: ["Golden"]  // format-version golden segments, read by path from the tests
    ),
    .testTarget(name: "DossierSearchTests", dependencies: ["DossierSearch", "DossierTestSupport"]),
    .testTarget(
      name: "DossierTests", dependencies: ["Dossier", "DossierIndex", "DossierTestSupport"],
      exclude: ["GoldenIndex"]  // a committed index of format version 1, opened by path
    ),
    .testTarget(name: "DossierCLITests", dependencies: ["Dossier", "dossier", "DossierTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
