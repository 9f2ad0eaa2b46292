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

  @Flag(
    help:
      "Lucene (Debian's liblucene8-java, through Scripts/peers/LucenePhrase.java) answers the phrase queries in this run."
  )
  var lucene = false

  @Option(help: "The Lucene jars for --lucene.")
  var luceneJars = "/usr/share/java/lucene-core-8.7.0.jar:/usr/share/java/lucene-analyzers-common-8.7.0.jar"

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
    if lucene, mode.contains("phrase") { try lucenePhrases(ours: ours["phrase"] ?? 0) }
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

  /// Compiles the Lucene harness (once), builds its index of the corpus (once), and times the
  /// same phrase queries: p50, p99 and mean over the per-query medians, after 20 warm-up passes
  /// for the JIT.
  func lucenePhrases(ours: Double) throws {
    let tmp = NSTemporaryDirectory()
    let classes = tmp + "dossier-lucene-classes"
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Scripts/peers/LucenePhrase.java").standardized.path
    if !FileManager.default.fileExists(atPath: classes + "/LucenePhrase.class") {
      try FileManager.default.createDirectory(atPath: classes, withIntermediateDirectories: true)
      print(try runProcess("/usr/bin/javac", ["-cp", luceneJars, "-d", classes, source]), terminator: "")
    }
    let classpath = luceneJars + ":" + classes
    let index = tmp + "dossier-bench-lucene-index"
    if !FileManager.default.fileExists(atPath: index + "/segments.gen")
      && ((try? FileManager.default.contentsOfDirectory(atPath: index))?.contains {
        $0.hasPrefix("segments_")
      } != true)
    {
      print("building \(index) with Lucene ...")
      _ = try runProcess("/usr/bin/java", ["-cp", classpath, "LucenePhrase", "index", tsv, index])
    }
    let out = tmp + "dossier-bench-lucene-phrase.tsv"
    _ = try runProcess(
      "/usr/bin/java", ["-cp", classpath, "LucenePhrase", "phrase", index, queries, "20", "\(runs)", out])
    let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
    let medians = rows.map { row -> Double in
      let runs = row.split(separator: "\t").dropFirst().compactMap { Double($0) }.sorted()
      return runs.isEmpty ? 0 : runs[runs.count / 2]
    }.sorted()
    guard !medians.isEmpty else { throw ValidationError("the Lucene harness answered no query") }
    let p50 = medians[Int((Double(medians.count - 1) * 0.5).rounded())]
    let p99 = medians[min(medians.count - 1, Int((Double(medians.count - 1) * 0.99).rounded()))]
    let mean = medians.reduce(0, +) / Double(medians.count)
    print(
      "peer lucene phrase: p50 \(String(format: "%.0f", p50)) µs, p99 \(String(format: "%.0f", p99)) µs, "
        + "mean \(String(format: "%.0f", mean)) µs; ratio dossier/lucene p50 \(String(format: "%.2f", ours / p50))"
    )
  }
}
