import ArgumentParser
import Dispatch
import Dossier
import DossierIndex
import Foundation
import Synchronization

/// `dossier-bench index`: indexing throughput (analysis, segment building, merging, commit) on
/// the same extracted text the peers index, one and two threads, with index size and memory;
/// with `--peer-python`, tantivy indexes the same text in the same run and the ratios are
/// printed. The end-to-end run from HTML is `dossier index` itself (see README.md).
struct IndexBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "index", abstract: "Indexing throughput on extracted text, against tantivy.")

  @Option(help: "TSV corpus `id<TAB>text` (peers.py extract writes one).")
  var tsv = "/tmp/docs.tsv"

  @Option(help: "Thread counts to measure.")
  var threads: [Int] = [1, 2]

  @Option(help: "Analyzer profile.")
  var profile = "standard"

  @Flag(help: "Also measure one thread without the stored copy of the text (as the peer indexes).")
  var withoutStoredText = false

  @Flag(
    help: """
      Measure only one thread without the stored copy of the text, in a process of its own: \
      every later run in a process finds the heap already grown, so each configuration is \
      fairest measured first, as the peer's is.
      """)
  var onlyWithoutStoredText = false

  @Option(help: "Python with the peers installed; with it, tantivy indexes the same text in this run.")
  var peerPython: String?

  @Option(help: "peers.py of ../shared/bench.")
  var peers = "../shared/bench/peers.py"

  func run() throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: tsv))
    var docs: [Document] = []
    var textBytes = 0
    for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
      guard let tab = line.firstIndex(of: UInt8(ascii: "\t")) else { continue }
      let id = String(decoding: line[..<tab], as: UTF8.self)
      let text = String(decoding: line[(tab + 1)...], as: UTF8.self)
      textBytes += line.count - (tab - line.startIndex) - 1
      docs.append(Document(id: id, type: .text, title: "", blocks: [text]))
    }
    let mb = Double(textBytes) / 1e6
    print("corpus: \(docs.count) docs, \(String(format: "%.1f", mb)) MB of text")
    guard let p = Analyzer.Profile(rawValue: profile) else { throw ValidationError("unknown profile") }
    var ours: [Int: Double] = [:]
    var runs = onlyWithoutStoredText ? [] : threads.map { ($0, true) }
    if withoutStoredText || onlyWithoutStoredText { runs.append((1, false)) }
    for (n, storing) in runs {
      let folder = NSTemporaryDirectory() + "dossier-bench-index-\(n)"
      try? FileManager.default.removeItem(atPath: folder)
      let t0 = Date()
      let indexer = try Indexer(path: folder, create: IndexSettings(analyzer: Analyzer(profile: p)))
      let mappers = (0..<n).map { _ in DocumentMapper(settings: indexer.settings) }
      for mapper in mappers { mapper.storesDocuments = storing }
      var mapTime = 0.0
      var addTime = 0.0
      // Batches of 512 documents. With more than one thread, as `dossier index` does, the
      // workers analyze the next batch while this thread adds the current one to the writer.
      let batches = stride(from: 0, to: docs.count, by: 512).map {
        Array(docs[$0..<min(docs.count, $0 + 512)])
      }
      let first = Date()
      var mapped = Self.map(batches[0], mappers)
      mapTime += Date().timeIntervalSince(first)
      for (k, batch) in batches.enumerated() {
        let nextResult = Mutex<[SegmentDocument]?>(nil)
        let group = DispatchGroup()
        if n > 1 && k + 1 < batches.count {
          let work = _Unchecked((batches[k + 1], mappers))
          DispatchQueue.global().async(group: group) {
            let result = Self.map(work.value.0, work.value.1)
            nextResult.withLock { $0 = result }
          }
        }
        let a0 = Date()
        if n > 1 {
          // As `dossier index` does: the segment building too on the threads, a lane each.
          try indexer.writer.apply(
            mapped.enumerated().map { .update($1, id: Array(batch[$0].id.utf8)) }, lanes: n)
        } else {
          for (i, fields) in mapped.enumerated() {
            try indexer.writer.update(fields, id: Array(batch[i].id.utf8))
          }
        }
        addTime += Date().timeIntervalSince(a0)
        guard k + 1 < batches.count else { break }
        let m0 = Date()
        if n > 1 {
          group.wait()
          mapped = nextResult.withLock { $0! }
        } else {
          mapped = Self.map(batches[k + 1], mappers)
        }
        mapTime += Date().timeIntervalSince(m0)
      }
      let c0 = Date()
      try indexer.commit()
      let commitTime = Date().timeIntervalSince(c0)
      indexer.close()
      let seconds = Date().timeIntervalSince(t0)
      if storing { ours[n] = mb / seconds } else { ours[0] = mb / seconds }
      print(
        "  phases: analysis and stored records \(String(format: "%.2f", mapTime)) s (with threads: the time spent waiting for it), "
          + "segment building "
          + "\(String(format: "%.2f", addTime)) s (flushes included), final commit \(String(format: "%.2f", commitTime)) s"
      )
      var kinds: [String: Int] = [:]
      for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
        let size = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.size] as! Int
        kinds[String(name.split(separator: ".").last ?? ""), default: 0] += size
      }
      let inverted = ["doc", "pos", "dict", "norm"].reduce(0) { $0 + (kinds[$1] ?? 0) }
      let total = kinds.values.reduce(0, +)
      var usage = rusage()
      getrusage(RUSAGE_SELF.rawValue, &usage)
      print(
        "dossier \(n) thread\(n == 1 ? "" : "s")\(storing ? "" : ", text not stored"): \(String(format: "%.1f", mb / seconds)) MB/s "
          + "(\(String(format: "%.1f", seconds)) s), inverted index \(String(format: "%.1f", 100 * Double(inverted) / Double(textBytes))) % "
          + "of the text, with stored text \(String(format: "%.1f", 100 * Double(total) / Double(textBytes))) %, "
          + "peak RSS \(usage.ru_maxrss / 1024) MB (the corpus itself held in memory included)")
      try? FileManager.default.removeItem(atPath: folder)
    }
    guard let peerPython else { return }
    let work = NSTemporaryDirectory() + "dossier-bench-tantivy"
    let peerList = (onlyWithoutStoredText ? [1] : threads).map { "tantivy:\($0)" }.joined(separator: ",")
    try? FileManager.default.removeItem(atPath: work + ".json")
    let output = try runProcess(
      peerPython,
      [
        peers, "bench", "--corpus", tsv, "--queries", "/dev/null", "--work", work, "--out", work + ".json",
        "--peers", peerList, "--no-query", "--reps", "1",
      ])
    let results = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: work + ".json")))
    for run in (results as? [String: Any])?["runs"] as? [[String: Any]] ?? [] {
      guard let peer = run["peer"] as? String, let rate = run["text_MBps"] as? Double,
        let n = Int(peer.split(separator: ":").last ?? "")
      else { continue }
      let pct = run["index_pct_of_text"] as? Double ?? 0
      let rss = ((run["build_time"] as? [String: Any])?["peak_rss_kb"] as? Int ?? 0) / 1024
      print(
        "peer \(peer): \(String(format: "%.1f", rate)) MB/s, index \(String(format: "%.1f", pct)) % of the text, "
          + "peak RSS \(rss) MB; ratio dossier/tantivy"
          + (ours[n].map { " \(String(format: "%.2f", $0 / rate))" } ?? "")
          + (n == 1 && ours[0] != nil ? ", text not stored \(String(format: "%.2f", ours[0]! / rate))" : ""))
    }
    if output.contains("Traceback") { print(output) }
  }

  /// Analyzes a batch on `mappers.count` threads; results in input order.
  static func map(_ batch: [Document], _ mappers: [DocumentMapper]) -> [SegmentDocument] {
    if mappers.count == 1 {
      return batch.map { doc in
        var fields = SegmentDocument(schema: .standard)
        mappers[0].map(doc, into: &fields)
        return fields
      }
    }
    let slots = Mutex([SegmentDocument?](repeating: nil, count: batch.count))
    let next = Atomic<Int>(0)
    let box = _Unchecked(mappers)
    DispatchQueue.concurrentPerform(iterations: mappers.count) { worker in
      while true {
        let i = next.add(1, ordering: .relaxed).oldValue
        if i >= batch.count { break }
        var fields = SegmentDocument(schema: .standard)
        box.value[worker].map(batch[i], into: &fields)
        slots.withLock { $0[i] = fields }
      }
    }
    return slots.withLock { $0.map { $0! } }
  }
}
