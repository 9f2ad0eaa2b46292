import ArgumentParser
import Dossier

struct ExtractBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "extract", abstract: "HTML extraction throughput (MB of HTML per second).")

  func run() throws {
    print("not yet")
  }
}
