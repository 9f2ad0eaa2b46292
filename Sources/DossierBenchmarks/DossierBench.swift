import ArgumentParser

/// `dossier-bench`: release-mode measurements, one subcommand per benchmark. Each prints
/// plain lines `name: value unit` so that results can be compared with peers run in the
/// same sitting (see ../shared/bench/README.md).
@main
struct DossierBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dossier-bench",
    abstract: "Dossier benchmarks (build with -c release).",
    subcommands: [
      ExtractBench.self, IndexCodecBench.self, AnalyzeBench.self, RelevanceBench.self, IndexBench.self,
      SearchBench.self,
    ]
  )
}
