import ArgumentParser
import Dossier
import DossierIndex
import Foundation

/// `dossier-bench search`: query latency, one thread, one process answering a query file, on an
/// index of the Debian documentation text: top-10 ranked OR, AND and phrase versions of the
/// queries from `peers.py genqueries`. Per query the median over `--runs` (after a warm-up
/// pass); then p50, p99 and mean over queries, and queries per second, as `peers.py` reports
/// them. With `--peer-python`, tantivy answers the OR and AND queries in the same run.
struct SearchBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search", abstract: "Query latency (OR, AND, phrase), against tantivy.")

  @Option(help: "TSV corpus `id<TAB>text` (peers.py extract).")
  var tsv = "/tmp/docs.tsv"

  @Option(help: "Queries, one per line (peers.py genqueries).")
  var queries = "/tmp/q.txt"

  @Option(help: "The index to build once and reuse.")
  var index = NSTemporaryDirectory() + "dossier-bench-search-index"

  @Option(help: "Timed passes over the queries (after one warm-up pass).")
  var runs = 3

  @Option(help: "Query kinds to measure: or, and, phrase.")
  var mode: [String] = ["or", "and", "phrase"]

  @Option(help: "Python with the peers installed; with it, tantivy answers the same queries in this run.")
  var peerPython: String?

  @Option(help: "Write each query's median latency (µs) and hit count per mode to FILE-MODE.tsv.")
  var latencies: String?

  @Option(help: "peers.py of ../shared/bench.")
  var peers = "../shared/bench/peers.py"

  func run() throws {
    if !FileManager.default.fileExists(atPath: index + "/manifest") {
      print("building \(index) from \(tsv) ...")
      let data = try Data(contentsOf: URL(fileURLWithPath: tsv))
      let indexer = try Indexer(path: index, create: IndexSettings())
      for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
        guard let tab = line.firstIndex(of: UInt8(ascii: "\t")) else { continue }
        try indexer.update(
          Document(
            id: String(decoding: line[..<tab], as: UTF8.self), type: .text, title: "",
            metadata: ["lang": "en"],
            blocks: [String(decoding: line[(tab + 1)...], as: UTF8.self)]))
      }
      try indexer.forceMerge()
      indexer.close()
    }
    let searcher = try Searcher(path: index)
    let lines = try String(contentsOfFile: queries, encoding: .utf8).split(separator: "\n").map(String.init)
    print("index: \(searcher.documentCount) documents; \(lines.count) queries, top 10, one thread")
    var options = SearchOptions()
    options.fetchDocuments = false
    options.snippets = 0
    options.exactTotal = false
    var ours: [String: Double] = [:]
    for mode in self.mode {
      var opts = options
      if mode == "and" { opts.defaultOperator = .and }
      func query(_ text: String) -> Query {
        mode == "phrase" ? .phrase(text) : Query(words: text, defaultOperator: opts.defaultOperator)
      }
      var latencies = [[Double]](repeating: [], count: lines.count)
      var hits = 0
      for pass in -1..<runs {
        for (i, line) in lines.enumerated() {
          let t0 = DispatchTime.now().uptimeNanoseconds
          let result = try searcher.search(query(line), limit: 10, options: opts)
          let us = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000
          if pass >= 0 { latencies[i].append(us) } else if !result.hits.isEmpty { hits += 1 }
        }
      }
      let perQuery = latencies.map { $0.sorted()[$0.count / 2] }
      if let out = self.latencies {
        let rows = zip(lines, perQuery).map { "\($0.0)\t\(String(format: "%.1f", $0.1))" }
        try (rows.joined(separator: "\n") + "\n").write(
          toFile: "\(out)-\(mode).tsv", atomically: true, encoding: .utf8)
      }
      let medians = perQuery.sorted()
      func pct(_ f: Double) -> Double {
        medians[min(medians.count - 1, Int(((Double(medians.count) - 1) * f).rounded()))]
      }
      let mean = medians.reduce(0, +) / Double(medians.count)
      ours[mode] = pct(0.5)
      print(
        "dossier \(mode): p50 \(String(format: "%.0f", pct(0.5))) µs, p99 \(String(format: "%.0f", pct(0.99))) µs, "
          + "mean \(String(format: "%.0f", mean)) µs, \(String(format: "%.0f", 1e6 / mean)) queries/s; "
          + "\(hits) of \(lines.count) queries with hits")
    }
    guard let peerPython else { return }
    let work = NSTemporaryDirectory() + "dossier-bench-tantivy-q"
    try? FileManager.default.removeItem(atPath: work + ".json")
    _ = try runProcess(
      peerPython,
      [
        peers, "bench", "--corpus", tsv, "--queries", queries, "--work", work, "--out", work + ".json",
        "--peers",
        "tantivy:1", "--reps", "1", "--runs", "\(runs)",
      ])
    let results = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: work + ".json")))
    for run in (results as? [String: Any])?["runs"] as? [[String: Any]] ?? [] {
      guard let q = run["query"] as? [String: Any] else { continue }
      for mode in ["or", "and"] {
        guard let st = q[mode] as? [String: Any], let p50 = st["p50_us"] as? Double else { continue }
        let p99 = st["p99_us"] as? Double ?? 0
        let mean = st["mean_us"] as? Double ?? 0
        print(
          "peer tantivy \(mode): p50 \(String(format: "%.0f", p50)) µs, p99 \(String(format: "%.0f", p99)) µs, "
            + "mean \(String(format: "%.0f", mean)) µs; ratio dossier/tantivy p50 "
            + String(format: "%.2f", (ours[mode] ?? 0) / p50))
      }
    }
  }
}
